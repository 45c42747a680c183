"""The workbench killed in the middle of a consolidation (#34): `guishang serve` is sent SIGKILL while its worker
processes read the inbox; none of them outlives it holding the listening socket, and the workbench starts again on
the same port at once. Linux: the parent-death signal (toolkit.adapters.bounded_process.die_with_parent)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import JUNE_REPORTS, ROOT



def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == pid and fields[0] not in ("Z", "X"):
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) not in ("Z", "X")
    except (OSError, IndexError):
        return False


def _serve(root: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    code = "import sys; from toolkit.cli import main; sys.exit(int(main(sys.argv[1:])))"
    return subprocess.Popen([sys.executable, "-c", code, "serve", "--workspace", str(root), "--port", str(port),
                             "--no-browser"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _answers(port: int, opener, timeout: float = 20) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            return opener.open(f"http://127.0.0.1:{port}/status", timeout=2).status == 200
        except OSError:
            time.sleep(0.2)
    return False


def _workbench(root: Path) -> tuple[subprocess.Popen, int, urllib.request.OpenerDirector]:
    """``guishang serve`` on a free loopback port, answering; with a browser-like opener that keeps cookies."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    server = _serve(root, port)
    if not _answers(port, opener):
        server.kill()
        pytest.fail(server.stdout.read() if server.poll() is not None else "the workbench does not answer")
    return server, port, opener


def _kill_then_start_again(server: subprocess.Popen, helpers: list[int], root: Path, port: int, opener) -> None:
    """SIGKILL the workbench; every helper process it started ends within 10 s, and a workbench started again at
    once on the same port answers."""
    server.send_signal(signal.SIGKILL)
    server.wait(10)
    end = time.monotonic() + 10
    while time.monotonic() < end and any(_alive(pid) for pid in helpers):
        time.sleep(0.1)
    assert not [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in helpers if _alive(pid)]
    again = _serve(root, port)
    try:
        assert _answers(port, opener), again.stdout.read() if again.poll() is not None else "no answer"
    finally:
        again.kill()
        again.wait(10)


def _end_all(server: subprocess.Popen, helpers: list[int]) -> None:
    server.kill()
    for pid in helpers:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
                    reason="the parent-death signal is Linux's; the workers need two cores")
def test_a_workbench_killed_mid_consolidation_starts_again_on_the_same_port(tmp_path):
    from toolkit.services.intake import PARALLEL_FROM
    from toolkit.services.workspace import init_workspace

    workspace, _ = init_workspace(tmp_path / "工作区")
    sources = sorted(JUNE_REPORTS.glob("*.xlsx"))
    for n in range(PARALLEL_FROM // len(sources) + 1):  # enough files for the worker processes
        for source in sources:
            folder = workspace.inbox / f"第{n}批"
            folder.mkdir(exist_ok=True)
            shutil.copy2(source, folder / source.name)
    server, port, opener = _workbench(workspace.root)
    workers: list[int] = []
    try:
        page = opener.open(f"http://127.0.0.1:{port}/consolidate?period=2022-06").read().decode()
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrf": csrf, "period": "2022-06"}).encode()
        opener.open(urllib.request.Request(f"http://127.0.0.1:{port}/consolidate", data=form), timeout=10)
        end = time.monotonic() + 30
        while time.monotonic() < end and len(workers) < 2:
            workers = _children(server.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the run never started its workers"
        _kill_then_start_again(server, workers, workspace.root, port, opener)
    finally:
        _end_all(server, workers)


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_workbench_killed_while_it_checks_an_upload_leaves_no_process_behind(tmp_path):
    """The upload's check runs in a child of the fork server: both end with the server, and the port is free."""
    import threading

    import hostile_files as H
    from toolkit.services.workspace import init_workspace

    workspace, _ = init_workspace(tmp_path / "工作区")
    pasted = H.pasted_sheet(tmp_path / "上传", workspace.policy(), 30_000)
    server, port, opener = _workbench(workspace.root)
    helpers: list[int] = []
    try:
        page = opener.open(f"http://127.0.0.1:{port}/self-check").read().decode()
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        boundary = "guishang-boundary"
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n--{boundary}\r\n'
                'Content-Disposition: form-data; name="workbook"; filename="upload.xlsx"\r\n'
                'Content-Type: application/octet-stream\r\n\r\n').encode() + pasted.read_bytes() + \
            f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/self-check", data=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": f"http://127.0.0.1:{port}"})

        def send() -> None:
            try:
                opener.open(request, timeout=60).read()
            except OSError:
                pass  # the server is killed under it

        threading.Thread(target=send, daemon=True).start()
        end = time.monotonic() + 30
        while time.monotonic() < end and len(helpers) < 3:  # the fork server, its resource tracker, the check
            helpers = _descendants(server.pid)
            time.sleep(0.05)
        assert len(helpers) >= 3, "the check never started its process"
        time.sleep(0.5)  # the check busy reading
        _kill_then_start_again(server, helpers, workspace.root, port, opener)
    finally:
        _end_all(server, helpers)
