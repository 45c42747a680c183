"""The workbench against a hostile web page and a guessing client (#34): a page that points its own name at this
server (DNS rebinding) is refused before anything is read or run; sign-in never sends the browser to another site;
a link put into an output folder is not served; wrong tokens slow the guesser; weak tokens are refused at start;
every page carries the headers that keep it out of other sites' frames and scripts."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import time

import pytest

from conftest import ROOT
from toolkit.domain.periods import Period
from toolkit.services import consolidation
from toolkit.services.checking import Budget
from toolkit.web.app import create_app
from toolkit.web.server import NotAllowed, allowed_hosts, check_binding
from toolkit.web.throttle import FREE_TRIES, SignInThrottle
from toolkit.web.uploads import Uploads, safe_name

TOKEN = "株洲工信局2022规上"


@pytest.fixture()
def workspace(city_2022_06):
    return city_2022_06


@pytest.fixture()
def uploads(tmp_path):
    kept = Uploads(tmp_path / "uploads")
    kept.root.mkdir()
    yield kept
    kept.close()


def _app(workspace, uploads, **more):
    return create_app(workspace.policy(), policy_source="工作区的政策参数.xlsx", workspace=workspace, uploads=uploads,
                      **more)


def _csrf(client, path="/status", **headers) -> str:
    page = client.get(path, headers=headers).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def _digest(workspace) -> str:
    return hashlib.sha256(workspace.store_path.read_bytes()).hexdigest()


def test_a_foreign_host_is_refused_before_anything_is_read_or_run(workspace, uploads):
    client = _app(workspace, uploads).test_client()
    csrf = _csrf(client)
    before, summaries = _digest(workspace), sorted(os.listdir(workspace.output / "汇总"))
    evil = {"Host": "evil.example:8765"}
    for path in ("/status", "/status?period=2022-06", "/inbox", "/static/site.css", "/consolidate"):
        answer = client.get(path, headers=evil)
        assert answer.status_code == 400 and "其他网站的名称" in answer.get_data(as_text=True), path
        assert "evil" not in str(answer.headers) and "Set-Cookie" not in answer.headers
        assert not any(word in answer.get_data(as_text=True) for word in ("天元区", "株洲", "工作区", "政策参数"))
    started = client.post("/consolidate", data={"csrf": csrf, "period": "2022-06"},
                          headers={**evil, "Origin": "http://evil.example:8765"})
    assert started.status_code == 400 and _digest(workspace) == before
    assert sorted(os.listdir(workspace.output / "汇总")) == summaries  # no run, no new summary
    for host in ("127.0.0.1:8765", "localhost:8765", "[::1]:8765", "localhost"):
        assert client.get("/status", headers={"Host": host}).status_code == 200, host


def test_the_names_allowed_follow_the_address_listened_on():
    assert allowed_hosts("127.0.0.1") == {"localhost", "127.0.0.1", "::1"}
    assert "192.168.1.20" in allowed_hosts("192.168.1.20") and "evil.example" not in allowed_hosts("192.168.1.20")
    assert "gxj.zhuzhou.gov" in allowed_hosts("0.0.0.0", ("GXJ.zhuzhou.gov",))


@pytest.mark.parametrize("target", ["/%09/evil.com/phish", "/%0d%0aSet-Cookie:x=1", "//evil.com/", "/%5Cevil.com",
                                    "https://evil.com/", "/\\evil.com"])
def test_sign_in_never_sends_the_browser_to_another_site(workspace, uploads, target):
    client = _app(workspace, uploads, token=TOKEN).test_client()
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/sign-in").get_data(as_text=True)).group(1)
    answer = client.post(f"/sign-in?next={target}", data={"csrf": csrf, "token": TOKEN})
    assert answer.status_code == 302 and answer.headers["Location"] == "/", answer.headers["Location"]


def test_sign_in_goes_on_to_the_page_asked_for_and_sign_out_ends_it(workspace, uploads):
    client = _app(workspace, uploads, token=TOKEN).test_client()
    asked = client.get("/status?period=2022-06")
    assert asked.status_code == 302
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/sign-in").get_data(as_text=True)).group(1)
    answer = client.post("/sign-in?next=/status?period=2022-06", data={"csrf": csrf, "token": TOKEN})
    assert answer.headers["Location"] == "/status?period=2022-06"
    page = client.get("/status").get_data(as_text=True)
    assert "退出" in page and str(workspace.root) not in page  # the footer names the folder, not its path
    assert client.post("/sign-out", data={"csrf": _csrf(client)}).status_code == 302
    assert client.get("/status").status_code == 302  # signed out


def test_wrong_tokens_slow_the_guesser_and_the_right_one_waits_too(workspace, uploads):
    client = _app(workspace, uploads, token=TOKEN).test_client()
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/sign-in").get_data(as_text=True)).group(1)
    for _ in range(FREE_TRIES):
        assert client.post("/sign-in", data={"csrf": csrf, "token": "猜一猜12345678"}).status_code == 403
    waiting = client.post("/sign-in", data={"csrf": csrf, "token": TOKEN})
    assert waiting.status_code == 429 and "口令错误次数过多" in waiting.get_data(as_text=True)
    assert int(waiting.headers["Retry-After"]) >= 1


def test_the_wait_doubles_per_client_and_all_clients_together_lock_sign_in():
    now = [1000.0]
    throttle = SignInThrottle(clock=lambda: now[0])
    for _ in range(FREE_TRIES):
        assert throttle.wait("a") == 0
        throttle.failed("a")
    waits = []
    for _ in range(5):
        waits.append(throttle.wait("a"))
        now[0] += waits[-1]
        throttle.failed("a")
    assert waits == [2, 4, 8, 16, 32] and throttle.wait("b") == 0  # another client is not slowed by "a" alone
    throttle.succeeded("a")
    assert throttle.wait("a") == 0
    for n in range(30):
        throttle.failed(f"c{n}")  # one wrong token each from thirty places within the minute
    assert throttle.wait("someone else") > 0


@pytest.mark.parametrize("token,ok", [("        ", False), ("12345678", False), ("aaaaaaaa", False),
                                      ("abab1212", False), (" 株洲工信局2022规上", False), ("short", False), ("password", False),
                                      ("123456789012", True), ("株洲工信2022", True), (TOKEN, True)])
def test_weak_tokens_are_refused_at_start(token, ok):
    if ok:
        check_binding("0.0.0.0", token)
    else:
        with pytest.raises(NotAllowed):
            check_binding("0.0.0.0", token)


def test_a_link_in_an_output_folder_is_neither_listed_nor_served(workspace, uploads, tmp_path):
    client = _app(workspace, uploads).test_client()
    summary = workspace.output / "汇总"
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the browser")
    (summary / "汇总表_偷看.xlsx").symlink_to(secret)
    (summary / "数据库.xlsx").symlink_to(workspace.store_path)
    (summary / "子目录").symlink_to(tmp_path, target_is_directory=True)
    page = client.get("/status?period=2022-06").get_data(as_text=True)
    assert "偷看" not in page and "数据库.xlsx" not in page
    for name in ("汇总表_偷看.xlsx", "数据库.xlsx"):
        assert client.get(f"/files/summary/{name}").status_code == 404
    assert client.get("/files/summary/子目录/secret.txt").status_code == 404


def test_every_page_carries_the_security_headers(workspace, uploads):
    client = _app(workspace, uploads).test_client()
    for path in ("/status", "/self-check", "/nonexistent"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in \
            policy.split("script-src")[1].split(";")[0]
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("given,kept", [("CON.xlsx", "报表_CON.xlsx"), ("nul .xlsx", "报表_nul.xlsx"),
                                        ("com1.report.xlsx", "报表_com1.report.xlsx"), ("攸县报表..xlsx", "攸县报表.xlsx"),
                                        ("CONTROL.xlsx", "CONTROL.xlsx")])
def test_windows_device_names_and_trailing_dots_are_renamed_on_upload(given, kept):
    assert safe_name(given) == kept


def test_expired_uploads_are_removed_on_a_timer_without_another_upload(tmp_path, monkeypatch):
    import time

    from toolkit.web import uploads as module

    kept = Uploads(tmp_path / "kept")
    kept.root.mkdir()
    upload = kept.new("报表.xlsx")
    upload.path.write_bytes(b"x")
    monkeypatch.setattr(module, "KEEP_SECONDS", 0.05)
    kept.sweep_every(0.05)
    for _ in range(100):
        if not upload.folder.exists():
            break
        time.sleep(0.05)
    kept.close()
    assert not upload.folder.exists() and kept.get(upload.key) is None


def test_an_upload_that_expands_past_the_servers_ceiling_is_refused_before_it_is_parsed(workspace, uploads, policy,
                                                                                        tmp_path, monkeypatch):
    """The attack as it was made: a workbook of some 450 KB that honestly declares a 450 MiB sheet (under the
    command line's 500 MB, over the workbench's 100 MB) — it took the server from 107 MB to 2,987 MB. Refused by
    the archive check in the check's own process (read in chunks, never whole): the server's peak memory does not
    grow by the sheet's size; outside the request the command line's ceiling holds."""
    import resource

    import hostile_files as H

    monkeypatch.setattr(H, "BOMB_BYTES", 450 * 1024 * 1024)
    bomb = H.zip_bomb(tmp_path, policy)
    assert bomb.stat().st_size < 1024 * 1024
    client = _app(workspace, uploads).test_client()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with bomb.open("rb") as handle:
        answer = client.post("/self-check", data={"csrf": _csrf(client, "/self-check"), "workbook": (handle, bomb.name)},
                             content_type="multipart/form-data")
    assert "解压后超过上限 100 MB" in answer.get_data(as_text=True)
    with bomb.open("rb") as handle:
        dropped = client.post("/inbox", data={"csrf": _csrf(client), "workbook": (handle, bomb.name)},
                              content_type="multipart/form-data", headers={"X-Fragment": "1"})
    assert "解压后超过上限 100 MB" in dropped.get_data(as_text=True)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 50 * 1024, grown_kb  # not the 450 MiB sheet, let alone its parse
    from toolkit.adapters.workbook_file import MAX_UNCOMPRESSED_MB, _INFLATION_MB
    assert _INFLATION_MB.get() == MAX_UNCOMPRESSED_MB  # the command line's ceiling outside the request


def test_a_closed_period_with_nothing_new_is_not_consolidated_again_at_any_door(workspace, uploads, capsys):
    """The one rule (services.consolidation): a closed period takes a late report in as an adjustment; with nothing
    new in the inbox, nothing is written — not a second summary of signed figures — by a direct POST, the command
    line or the button alike."""
    import time

    from toolkit.adapters.file_book import FileBook
    from toolkit.cli import main
    from toolkit.excel import city
    from toolkit.services.closing import close_period
    from toolkit.services.control_book import write_control_workbooks
    from toolkit.domain.buttons import CONTROL_SHEET, input_cell

    period = Period.parse("2022-06")
    close_period(workspace, period, "上半年通报已印发")
    before, summaries = _digest(workspace), sorted(os.listdir(workspace.output / "汇总"))
    client = _app(workspace, uploads).test_client()
    page = client.get("/consolidate?period=2022-06").get_data(as_text=True)
    assert re.search(r'<button type="submit" id="start" disabled>导入封账后收到的报表（记为调整）', page)
    job = client.post("/consolidate", data={"csrf": _csrf(client), "period": "2022-06"}).headers["Location"]
    for _ in range(100):
        done = client.get(job + "/progress").get_data(as_text=True)
        if 'data-state="running"' not in done:
            break
        time.sleep(0.1)
    assert 'id="unchanged"' in done and "封账的数字不变，未重新生成汇总表" in done
    assert main(["consolidate", "--workspace", str(workspace.root), "--period", "2022-06"]) == 0
    assert "未重新生成汇总表" in capsys.readouterr().out
    xlsm = write_control_workbooks(workspace, period=period).paths[0]
    book = FileBook(xlsm)
    book.write(CONTROL_SHEET, input_cell("报送期"), [["2022-06"]])
    city.consolidate(__import__("xlwings").__version__, book=book)
    assert "未重新生成汇总表" in book.messages[-1][0]
    assert sorted(os.listdir(workspace.output / "汇总")) == summaries  # no door wrote a summary
    # a late report is still taken in, as an adjustment, and then a summary is written
    late = ROOT / "samples" / "县区报表" / "2022-06补报"
    sent = next(late.glob("*.xlsx"))
    shutil.copy2(sent, workspace.inbox / ("补报" + sent.name))
    page = client.get("/consolidate?period=2022-06").get_data(as_text=True)
    assert re.search(r'<button type="submit" id="start">导入封账后收到的报表（记为调整）', page)
    run = consolidation.consolidate(workspace, period, parallel=False)
    assert not run.unchanged and any(n.what == "记为调整" for n in run.notes) and run.summary_path is not None
    assert _digest(workspace) != before


def test_on_every_address_the_computers_own_network_address_is_allowed():
    """On 0.0.0.0 a clerk types this computer's address: the one it reaches the network by is allowed even when
    its name does not resolve to it (skipped on a machine with no network route)."""
    import ipaddress
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.connect(("10.255.255.255", 1))
            own = udp.getsockname()[0]
    except OSError:
        pytest.skip("no network route on this machine")
    names = allowed_hosts("0.0.0.0")
    assert own in names and not ipaddress.ip_address(own).is_loopback
    assert socket.gethostname().lower() in names


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the address-space cap is Linux's")
def test_an_upload_costly_to_read_is_stopped_in_its_own_process_and_never_reaches_the_inbox(workspace, uploads,
                                                                                              policy, tmp_path):
    """A 1.3 MB workbook with 30,000 rows pasted under its list (18 MB of XML: under every ceiling of the archive
    check) costs hundreds of MB to read and mark: the check runs in a child process, is stopped past its memory
    budget, the page says so in words, the server's memory does not grow, and the drop leaves nothing in the
    inbox (the clerk asks the county for a sound file)."""
    import resource

    import hostile_files as H

    pasted = H.pasted_sheet(tmp_path, policy, 30_000)
    client = _app(workspace, uploads, budget=Budget(inflate_mb=100, memory_mb=60, seconds=120)).test_client()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pasted.open("rb") as handle:
        answer = client.post("/self-check", content_type="multipart/form-data",
                             data={"csrf": _csrf(client, "/self-check"), "workbook": (handle, pasted.name)})
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert f"校验“{pasted.name}”所需的内存超过服务器为每份上传设定的上限 60 MB，已停止" in page
    assert "删除后另存再上传" in page  # the county checking its own file is told what to do with it
    in_inbox = sorted(workspace.inbox.rglob("*"))
    with pasted.open("rb") as handle:
        dropped = client.post("/inbox", data={"csrf": _csrf(client), "workbook": (handle, pasted.name)},
                              content_type="multipart/form-data", headers={"X-Fragment": "1"})
    words = dropped.get_data(as_text=True)
    assert "未放入收件箱：校验" in words and "上限 60 MB" in words, words
    assert "请告知报送的县市区删除多余内容" in words and "发给市工信局" not in words  # the clerk is the city
    assert sorted(workspace.inbox.rglob("*")) == in_inbox
    assert not any(uploads.root.iterdir())  # no private folder left for results that were never written
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KB


def test_an_upload_that_takes_too_long_to_check_is_stopped(workspace, uploads, policy, tmp_path):
    import hostile_files as H

    pasted = H.pasted_sheet(tmp_path, policy, 30_000)
    client = _app(workspace, uploads, budget=Budget(inflate_mb=100, memory_mb=2000, seconds=1)).test_client()
    with pasted.open("rb") as handle:
        answer = client.post("/self-check", content_type="multipart/form-data",
                             data={"csrf": _csrf(client, "/self-check"), "workbook": (handle, pasted.name)})
    assert f"校验“{pasted.name}”超过 1 秒仍未完成，已停止" in answer.get_data(as_text=True)


def test_other_pages_are_answered_at_once_while_an_upload_is_checked(workspace, uploads, policy, tmp_path):
    """The check of a large upload runs in its own process: the server's threads answer other pages meanwhile
    (no interpreter lock held by the reading); the check then comes back with its first 1,000 findings."""
    import threading
    import urllib.request

    import hostile_files as H
    from web_serving import serving

    pasted = H.pasted_sheet(tmp_path, policy, 10_000)
    app = _app(workspace, uploads, budget=Budget(inflate_mb=100, memory_mb=3000, seconds=300))
    client = app.test_client()
    csrf = _csrf(client, "/self-check")
    boundary = "guishang-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n--{boundary}\r\n'
            f'Content-Disposition: form-data; name="workbook"; filename="upload.xlsx"\r\n'
            'Content-Type: application/octet-stream\r\n\r\n').encode() + pasted.read_bytes() + \
        f"\r\n--{boundary}--\r\n".encode()
    cookie = "; ".join(f"{c.key}={c.value}" for c in client._cookies.values())
    with serving(app) as base:
        answer: dict = {}

        def check() -> None:
            request = urllib.request.Request(f"{base}/self-check", data=body, headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookie, "Origin": base})
            with urllib.request.urlopen(request, timeout=300) as response:
                answer["page"] = response.read().decode("utf-8")

        running = threading.Thread(target=check)
        running.start()
        waits = []
        while running.is_alive() and len(waits) < 20:
            started = time.monotonic()
            with urllib.request.urlopen(f"{base}/status", timeout=10) as response:
                assert response.status == 200
            waits.append(time.monotonic() - started)
            time.sleep(0.1)
        running.join(300)
    assert len(waits) >= 3, "the check ended before other pages were asked for"
    assert max(waits) < 1, waits
    assert "只列出前 1,000 处" in answer["page"]


def test_a_large_request_that_is_not_signed_in_is_refused_before_its_body_is_read(workspace, uploads, policy,
                                                                                   tmp_path):
    """With an access token, 49 MB announced by a client that has not signed in are refused on the headers alone
    (a Chinese page, at once, nothing of the body sent); signed in, the same upload is taken."""
    import http.cookiejar
    import socket
    import urllib.parse
    import urllib.request

    from web_serving import serving

    app = _app(workspace, uploads, token=TOKEN)
    with serving(app) as base:
        host, port = base.rsplit("/", 1)[1].split(":")
        with socket.create_connection((host, int(port)), timeout=5) as raw:
            raw.sendall(b"POST /inbox HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                        b"Content-Length: 49000000\r\n\r\n")
            answer = b""
            while b"</html>" not in answer:
                chunk = raw.recv(65536)  # within the timeout, though no byte of the body was sent
                if not chunk:
                    break
                answer += chunk
        head, _, page = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 403"), head
        assert "请先登录工作台" in page.decode("utf-8")

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = opener.open(f"{base}/sign-in").read().decode()
        signing_in = {"csrf": re.search(r'name="csrf" value="([^"]+)"', form).group(1), "token": TOKEN}
        opener.open(urllib.request.Request(f"{base}/sign-in", data=urllib.parse.urlencode(signing_in).encode(),
                                           headers={"Origin": base}))
        page = opener.open(f"{base}/self-check").read().decode()
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        import hostile_files as H

        sample = H.pasted_sheet(tmp_path, policy, 3_000)
        assert sample.stat().st_size > 64 * 1024
        boundary = "guishang-boundary"
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n--{boundary}\r\n'
                f'Content-Disposition: form-data; name="workbook"; filename="upload.xlsx"\r\n'
                'Content-Type: application/octet-stream\r\n\r\n').encode() + sample.read_bytes() + \
            f"\r\n--{boundary}--\r\n".encode()
        taken = opener.open(urllib.request.Request(f"{base}/self-check", data=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": base}))
        assert taken.status == 200 and "校验结果" in taken.read().decode()
