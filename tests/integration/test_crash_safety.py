"""A consolidation killed midway (power cut, task manager) leaves the store consistent and the outputs
complete or absent; the next run finishes the job and counts nothing twice."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import JUNE_REPORTS, ROOT, new_workspace, sha256
from toolkit.adapters.atomic import TEMP_PREFIX
from toolkit.adapters.workbook_file import read_workbook
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.services.consolidation import status
from toolkit.services.workspace import Workspace


# Each scenario patches one step of a real run to kill the process with SIGKILL right there.
KILLERS = {
    # inside the store's transaction, while the second file's rows are being recorded
    "记录第二份报表时": """
        from toolkit.adapters.store.submissions import SqliteSubmissions
        real = SqliteSubmissions.add_rows
        calls = []
        def add_rows(self, *args, **kwargs):
            calls.append(1)
            if len(calls) == 2:
                die()
            return real(self, *args, **kwargs)
        SqliteSubmissions.add_rows = add_rows
    """,
    # after the store committed, when the summary workbook is complete in its temp file but not renamed
    "写汇总表时": """
        from toolkit.adapters import atomic
        real = atomic.os.replace
        def replace(source, target, *args, **kwargs):
            if Path(target).parent.name == "汇总":
                die()
            return real(source, target, *args, **kwargs)
        atomic.os.replace = replace
    """,
    # halfway through the results sent back to the counties
    "写第二份校验结果时": """
        from toolkit.adapters import atomic
        real = atomic.os.replace
        calls = []
        def replace(source, target, *args, **kwargs):
            if Path(target).parent.name == "校验结果":
                calls.append(1)
                if len(calls) == 2:
                    die()
            return real(source, target, *args, **kwargs)
        atomic.os.replace = replace
    """,
}


def _run_and_kill(root: Path, patch: str) -> subprocess.CompletedProcess:
    script = "\n".join([
        "import os, signal, sys",
        "from pathlib import Path",
        "def die():",
        "    os.kill(os.getpid(), signal.SIGKILL)",
        textwrap.dedent(patch),
        "from toolkit.cli import main",
        f"sys.exit(main(['consolidate', '--workspace', {str(root)!r}, '--period', '2022-06']))",
    ])
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          cwd=ROOT, env={**os.environ, "COLUMNS": "200"})


def _figures(root: Path) -> dict:
    summary = status(Workspace.at(root), Period(2022, 6))
    return {"statuses": {s.county: s.status for s in summary.statuses},
            "counties": {f.county: (f.new, f.exits, f.net) for f in summary.counties},
            "city": (summary.city.new, summary.city.exits, summary.city.net)}


def _count(root: Path, table: str) -> int:
    with sqlite3.connect(root / "数据库" / "guishang.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    """What an uninterrupted run gives: the figures and the files it writes."""
    root = new_workspace(tmp_path_factory.mktemp("clean") / "工作区", reports=JUNE_REPORTS.glob("*.xlsx"))
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 1
    outputs = sorted(p.relative_to(root / "输出").as_posix() for p in (root / "输出").rglob("*.xlsx"))
    return _figures(root), _count(root, "submissions"), outputs


@pytest.mark.parametrize("moment", list(KILLERS))
def test_a_run_killed_midway(moment, tmp_path, clean_run):
    expected_figures, expected_submissions, expected_outputs = clean_run
    root = new_workspace(tmp_path / "工作区", reports=JUNE_REPORTS.glob("*.xlsx"))
    inbox = {p.name: sha256(p) for p in (root / "收件箱").iterdir()}
    killed = _run_and_kill(root, KILLERS[moment])
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    # the store is consistent: all of the run's submissions, or (killed inside the transaction) none
    submissions = _count(root, "submissions")
    assert submissions in (0, expected_submissions)
    if moment == "记录第二份报表时":
        assert submissions == 0
    # the outputs are complete or absent: a killed write leaves only a temp file with our prefix
    leftovers = []
    for path in (root / "输出").rglob("*"):
        if path.is_file() and path.name.startswith(TEMP_PREFIX):
            leftovers.append(path)
        elif path.is_file() and path.suffix == ".xlsx":
            read_workbook(path)  # complete: it opens
    summaries = [p for p in (root / "输出" / "汇总").glob("*.xlsx") if not p.name.startswith(TEMP_PREFIX)]
    results = [p for p in (root / "输出" / "校验结果").glob("*.xlsx") if not p.name.startswith(TEMP_PREFIX)]
    if moment == "记录第二份报表时":
        assert not leftovers and not summaries and not results
    elif moment == "写汇总表时":
        assert len(leftovers) == 1 and not summaries and not results
    else:
        assert len(leftovers) == 1 and len(summaries) == 1 and len(results) == 1
    assert {p.name: sha256(p) for p in (root / "收件箱").iterdir()} == inbox  # inputs untouched

    # an hour later the clerk runs it again: the job is finished, nothing is counted twice
    for path in leftovers:
        old = time.time() - 2 * 3600
        os.utime(path, (old, old))
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 1
    assert _figures(root) == expected_figures
    assert _count(root, "submissions") == expected_submissions
    outputs = sorted(p.relative_to(root / "输出").as_posix() for p in (root / "输出").rglob("*.xlsx"))
    assert set(expected_outputs) <= set(outputs)
    assert not any(p.exists() for p in leftovers)  # what the killed run left behind is swept


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_an_output_written_atomically_is_as_readable_as_any_file_written_here(tmp_path):
    """mkstemp makes its file private (0600); renamed into place, an output must not stay unreadable to the
    colleagues who share the folder."""
    from toolkit.adapters.atomic import atomic_output

    ordinary = tmp_path / "ordinary.txt"
    ordinary.write_text("x")
    with atomic_output(tmp_path / "汇总表.xlsx") as temp:
        temp.write_bytes(b"x")
    assert (tmp_path / "汇总表.xlsx").stat().st_mode & 0o777 == ordinary.stat().st_mode & 0o777


def test_the_cycle_collector_is_back_on_after_every_run(tmp_path, monkeypatch):
    """A consolidation pauses Python's cycle collector while it builds its records: afterwards it is on again,
    whether the run succeeded or stopped with a message, and a caller who had it off finds it off."""
    import gc

    from toolkit.services.consolidation import run as consolidation
    from toolkit.services.errors import UserError

    root = new_workspace(tmp_path / "工作区", reports=JUNE_REPORTS.glob("*.xlsx"))
    seen = []
    real = consolidation.run_period

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(consolidation, "run_period", spy)
    assert gc.isenabled()
    consolidation.consolidate(Workspace(root), Period(2022, 6), parallel=False)
    assert seen == [False] and gc.isenabled()
    shutil.rmtree(root / "收件箱")
    with pytest.raises(UserError):
        consolidation.consolidate(Workspace(root), Period(2022, 6))
    assert gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(UserError):
            consolidation.consolidate(Workspace(root), Period(2022, 6))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_each_file_is_archived_from_the_bytes_read_or_else_copied_after(tmp_path, monkeypatch):
    """The process that reads a county file keeps those very bytes in the archive (no second read); where that
    fails (a full disk, a locked folder), the consolidation copies and checks the file itself, as before."""
    from toolkit.adapters.archive import Archive, sha256_of

    copied = []
    real_keep = Archive.keep
    monkeypatch.setattr(Archive, "keep", lambda self, source, sha: copied.append(sha) or real_keep(self, source, sha))
    root = new_workspace(tmp_path / "读时存档" / "工作区", reports=JUNE_REPORTS.glob("*.xlsx"))
    inbox = {sha256(p): p for p in (root / "收件箱").glob("*.xlsx")}
    from toolkit.services.consolidation import consolidate as consolidate_period

    run = consolidate_period(Workspace(root), Period(2022, 6), parallel=False)
    kept = [n for n in run.notes if n.what == "新收"]
    assert kept and not set(copied) & set(inbox)  # (the policy workbook is kept by copying, as always)
    archive = Workspace(root).archive
    for digest, path in inbox.items():
        if any(n.file == path.name for n in kept):
            assert archive.path_of(digest).read_bytes() == path.read_bytes()
            assert sha256_of(archive.path_of(digest)) == digest

    def no_room(self, data, sha, suffix):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Archive, "keep_bytes", no_room)
    copied.clear()
    root = new_workspace(tmp_path / "事后复制" / "工作区", reports=JUNE_REPORTS.glob("*.xlsx"))
    run = consolidate_period(Workspace(root), Period(2022, 6), parallel=False)
    kept = {n.file for n in run.notes if n.what == "新收"}
    assert kept and {inbox[sha].name for sha in copied if sha in inbox} == kept
    for sha in set(copied) & set(inbox):
        assert sha256_of(Workspace(root).archive.path_of(sha)) == sha


def test_what_a_killed_run_left_behind_is_removed_at_the_next_run_and_logged(tmp_path):
    """Archive copies no journal event names (a run killed between keeping its files and recording them) and our
    hour-old temp files anywhere in the workspace go at the start of the next writing run; a user's file, a
    journalled copy and a fresh temp file (a run may be writing it) stay."""
    import json
    import os
    import time

    from toolkit.adapters.archive import sha256_of
    from toolkit.services.workspace import init_workspace

    workspace, _ = init_workspace(tmp_path / "工作区")
    archive = workspace.archive
    kept = archive.keep(workspace.policy_path, sha256_of(workspace.policy_path))
    archive.record({"event": "note", "policy": kept.stem})
    orphan = archive.path_of("ab" * 32)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"read by a killed run")
    old = time.time() - 2 * 3600
    leftovers = [workspace.output / "汇总" / ".~guishang-abc.xlsx", workspace.inbox / ".~guishang-def.xlsx",
                 workspace.root / ".~guishang-市级控制台.更新中.xlsx"]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
        os.utime(path, (old, old))
    fresh = workspace.output / ".~guishang-now.xlsx"
    fresh.write_bytes(b"being written")
    users = workspace.inbox / "攸县_2022-06_规上工业企业报表.xlsx"
    users.write_bytes(b"a county's file")
    with workspace.writing("测试"):
        pass
    assert not orphan.exists() and not any(p.exists() for p in leftovers)
    assert kept.exists() and fresh.exists() and users.exists()
    log = [json.loads(line) for line in (archive.root / "清理记录.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(log) == 1 and len(log[0]["removed"]) == 4 and any("文件/ab/" in r for r in log[0]["removed"])
    (archive.journal).unlink()
    orphan.write_bytes(b"x")
    with workspace.writing("测试"):
        pass
    assert orphan.exists()  # no journal to go by: nothing is called an orphan
