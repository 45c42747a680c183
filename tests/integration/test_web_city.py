"""The city's workbench pages (#21) through Flask's test client: one writer at a time (a second run, or another
program holding the workspace, is refused with a message and the store is unchanged), downloads only of listed
output files, CSRF on every writing page, the inbox never overwriting and never storing a file twice, hostile
files dropped into the inbox answered, and the self-check-only mode without any of these routes. (The whole
flow runs in a real browser in tests/browser/test_workbench_city.py.)"""

from __future__ import annotations

import hashlib
import os
import io
import re
import shutil
import threading
import time

import openpyxl
import pytest

import hostile_files as H
from conftest import ROOT
from toolkit.domain.periods import Period
from toolkit.services import consolidation
from toolkit.services import workspace as workspaces
from toolkit.services.workspace import Workspace
from toolkit.web.app import create_app
from toolkit.web.uploads import Uploads

PERIOD_DIR = ROOT / "samples" / "县区报表" / "2022-06"


@pytest.fixture()
def workspace(city_2022_06):
    return city_2022_06


@pytest.fixture()
def client(workspace, tmp_path):
    uploads = Uploads(tmp_path / "uploads")
    uploads.root.mkdir()
    app = create_app(workspace.policy(), policy_source="工作区的政策参数.xlsx", workspace=workspace, uploads=uploads)
    yield app.test_client()
    uploads.close()


def _csrf(client, path: str = "/status") -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def _digest(workspace: Workspace) -> str:
    return hashlib.sha256(workspace.store_path.read_bytes()).hexdigest()


def _undecided(client) -> tuple[str, list[str]]:
    page = client.get("/assign?year=2022").get_data(as_text=True)
    uscc = re.search(r'name="uscc" value="([^"]+)"', page).group(1)
    return uscc, re.findall(r'name="county" value="([^"]+)"', page)


def test_every_page_of_the_workspace_answers_in_chinese(client):
    for path in ("/status?period=2022-06", "/inbox", "/consolidate?period=2022-06", "/assign?year=2022",
                 "/consolidate?period=2022-06&county=攸县&level=错误"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert 'lang="zh-CN"' in answer.get_data(as_text=True)
    board = client.get("/status?period=2022-06").get_data(as_text=True)
    assert "补报截止" in board and "被退回 2" in board and "已受理 8" in board  # 攸县, and 茶陵县 before its correction
    assert client.get("/status?period=2022-13").status_code == 400
    assert "不是报送期" in client.get("/status?period=abc").get_data(as_text=True)
    assert client.get("/assign?year=22").status_code == 400


def test_a_second_writer_is_refused_while_a_run_is_under_way(client, workspace, monkeypatch):
    release, started = threading.Event(), threading.Event()
    real = consolidation.consolidate

    def slow(*args, **kwargs):
        started.set()
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr("toolkit.web.city.consolidating.consolidate", slow)
    csrf = _csrf(client)
    first = client.post("/consolidate", data={"csrf": csrf, "period": "2022-06"})
    assert first.status_code == 302 and "/jobs/" in first.headers["Location"]
    assert started.wait(5)
    before = _digest(workspace)
    second = client.post("/consolidate", data={"csrf": csrf, "period": "2022-06"}, follow_redirects=True)
    assert "“汇总 2022-06”正在进行" in second.get_data(as_text=True)
    uscc, counties = _undecided(client)
    decided = client.post("/assign", data={"csrf": csrf, "year": "2022", "uscc": uscc, "county": counties[0],
                                           "note": "统计部门确认"}, follow_redirects=True)
    assert "正在进行" in decided.get_data(as_text=True) and "已认定" not in decided.get_data(as_text=True)
    assert _digest(workspace) == before  # nothing written by the refused requests
    assert "正在进行" in client.get("/status").get_data(as_text=True)  # every page says a run is on
    page = client.get("/consolidate?period=2022-06").get_data(as_text=True)
    assert re.search(r'<button type="submit" id="start" disabled>', page)  # the start button waits too
    release.set()
    job = first.headers["Location"]
    for _ in range(100):
        if 'data-state="done"' in client.get(job + "/progress").get_data(as_text=True):
            break
        time.sleep(0.1)
    assert 'data-state="done"' in client.get(job).get_data(as_text=True)


def test_another_program_holding_the_workspace_is_waited_for_then_named(client, workspace, monkeypatch):
    monkeypatch.setattr(workspaces, "LOCK_WAIT_SECONDS", 0.3)
    csrf = _csrf(client)
    uscc, counties = _undecided(client)
    before = _digest(workspace)
    with workspace.locked():  # the Excel button or the command line, writing
        refused = client.post("/assign", data={"csrf": csrf, "year": "2022", "uscc": uscc, "county": counties[0],
                                               "note": "统计部门确认"}, follow_redirects=True)
        assert "工作区正被另一个程序写入" in refused.get_data(as_text=True)
        job = client.post("/consolidate", data={"csrf": csrf, "period": "2022-06"}).headers["Location"]
        for _ in range(100):
            page = client.get(job + "/progress").get_data(as_text=True)
            if 'data-state="failed"' in page:
                break
            time.sleep(0.1)
        assert "工作区正被另一个程序写入" in page
    assert _digest(workspace) == before
    decided = client.post("/assign", data={"csrf": csrf, "year": "2022", "uscc": uscc, "county": counties[1],
                                           "note": "统计部门确认"}, follow_redirects=True)
    assert f"归属{counties[1]}" in decided.get_data(as_text=True)
    store = workspace.open_store()
    try:
        assert store.decisions.attributions()[(uscc, 2022)] == counties[1]
    finally:
        store.close()


def test_a_decision_needs_a_county_and_its_grounds(client, workspace):
    csrf = _csrf(client)
    uscc, counties = _undecided(client)
    before = _digest(workspace)
    for data, message in (({"county": counties[0]}, "认定依据"), ({"note": "依据"}, "请选择")):
        answer = client.post("/assign", data={"csrf": csrf, "year": "2022", "uscc": uscc, **data},
                             follow_redirects=True)
        assert message in answer.get_data(as_text=True)
    wrong = client.post("/assign", data={"csrf": csrf, "year": "2022", "uscc": uscc, "county": "攸县", "note": "x"},
                        follow_redirects=True)
    assert "不能认定给攸县" in wrong.get_data(as_text=True)
    assert _digest(workspace) == before


def test_writing_pages_need_the_csrf_token(client, workspace):
    before = _digest(workspace)
    inbox = sorted(p.name for p in workspace.inbox.iterdir())
    assert client.post("/consolidate", data={"period": "2022-06"}).status_code == 400
    assert client.post("/assign", data={"year": "2022", "uscc": "x", "county": "天元区", "note": "x"}).status_code == 400
    sample = next(PERIOD_DIR.glob("*.xlsx"))
    sent = client.post("/inbox", data={"workbook": (io.BytesIO(b"x"), "新.xlsx")}, content_type="multipart/form-data")
    assert sent.status_code == 400 and sample.exists()
    assert sorted(p.name for p in workspace.inbox.iterdir()) == inbox and _digest(workspace) == before


def test_downloads_are_only_of_listed_output_files(client, workspace):
    page = client.get("/consolidate?period=2022-06").get_data(as_text=True)
    link = re.search(r'href="(/files/summary/[^"]+)"', page).group(1)
    answer = client.get(link)
    assert answer.status_code == 200 and answer.data[:2] == b"PK"
    for path in ("/files/summary/..%2F..%2F数据库%2Fguishang.sqlite", "/files/summary/../../政策参数.xlsx",
                 "/files/store/guishang.sqlite", "/files/results/不存在.xlsx", "/files/summary/%2Fetc%2Fpasswd",
                 "/files/summary/汇总/../../数据库/guishang.sqlite", "/preview/summary/x/y.docx"):
        assert client.get(path, follow_redirects=True).status_code == 404, path


def test_the_inbox_never_overwrites_never_stores_twice_and_keeps_names_plain(client, workspace):
    csrf = _csrf(client, "/inbox")
    sample = PERIOD_DIR / "天元区_2022-06_规上工业企业报表.xlsx"
    again = client.post("/inbox", data={"csrf": csrf, "workbook": (io.BytesIO(sample.read_bytes()), sample.name)},
                        content_type="multipart/form-data", headers={"X-Fragment": "1"}).get_data(as_text=True)
    assert "内容相同的文件“天元区_2022-06_规上工业企业报表.xlsx”" in again and "已于" in again  # received before
    other = (ROOT / "samples" / "县区报表" / "2022-09" / "天元区_2022-09_规上工业企业报表.xlsx").read_bytes()
    renamed = client.post("/inbox", data={"csrf": csrf, "workbook": (io.BytesIO(other), "../../数据库/" + sample.name)},
                          content_type="multipart/form-data", headers={"X-Fragment": "1"}).get_data(as_text=True)
    assert "改名存放" in renamed and "天元区 2022-09" in renamed
    assert (workspace.inbox / sample.name).read_bytes() == sample.read_bytes()
    assert (workspace.inbox / "天元区_2022-06_规上工业企业报表（2）.xlsx").read_bytes() == other
    assert not (workspace.root / "数据库" / sample.name).exists()
    listed = client.get("/inbox").get_data(as_text=True)
    assert "天元区_2022-06_规上工业企业报表（2）.xlsx" in listed and "待汇总" in listed
    assert not [p for p in workspace.inbox.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_hostile_files_dropped_into_the_inbox_are_answered_and_the_server_goes_on(client, workspace, policy, tmp_path):
    csrf = _csrf(client, "/inbox")
    for label, (maker, phrase) in H.MAKERS.items():
        (tmp_path / label).mkdir()
        made = maker(tmp_path / label, policy)
        if made.is_dir():
            continue
        answer = client.post("/inbox", data={"csrf": csrf, "workbook": (io.BytesIO(made.read_bytes()), made.name)},
                             content_type="multipart/form-data", headers={"X-Fragment": "1"})
        page = answer.get_data(as_text=True)
        assert answer.status_code == 200, label
        assert ("无法读取" in page and phrase in page) or "不是表格文件" in page, label
    assert client.get("/inbox").status_code == 200


def test_a_countys_workbook_saved_in_another_format_is_taken_in_and_returned_not_lost(client, workspace):
    csrf = _csrf(client, "/inbox")
    name = "炎陵县_2022-09_规上工业企业报表.xls"
    page = client.post("/inbox", data={"csrf": csrf, "workbook": (io.BytesIO(b"\xd0\xcf\x11\xe0" + b"\0" * 600), name)},
                       content_type="multipart/form-data", headers={"X-Fragment": "1"}).get_data(as_text=True)
    assert "不是 Excel 工作簿" in page and "E000" in page  # what the county must do
    assert (workspace.inbox / name).is_file()  # kept: consolidation records 炎陵县 as received and returned
    run = consolidation.consolidate(workspace, Period.parse("2022-09"), parallel=False)
    assert next(s for s in run.summary.statuses if s.county == "炎陵县").status == "被退回"
    text = client.post("/inbox", data={"csrf": csrf, "workbook": (io.BytesIO(b"x"), "说明.docx")},
                       content_type="multipart/form-data", headers={"X-Fragment": "1"}).get_data(as_text=True)
    assert "不是表格文件" in text and not (workspace.inbox / "说明.docx").exists()


def test_no_workspace_route_exists_in_the_self_check_only_mode(workspace, tmp_path):
    uploads = Uploads(tmp_path / "uploads")
    uploads.root.mkdir()
    app = create_app(workspace.policy(), policy_source="工作区", workspace=workspace, self_check_only=True,
                     uploads=uploads)
    client = app.test_client()
    for path in ("/status", "/inbox", "/consolidate", "/assign", "/jobs/x", "/files/summary/x.xlsx"):
        assert client.get(path).status_code == 404, path
    uploads.close()


def _finished(client, job: str, state: str = "done") -> str:
    for _ in range(150):
        page = client.get(job + "/progress").get_data(as_text=True)
        if f'data-state="{state}"' in page:
            return page
        time.sleep(0.1)
    raise AssertionError(page)


def test_a_workbench_consolidation_refreshes_the_control_workbook_as_the_command_line_does(client, workspace):
    """The refresh after a run is one rule (services.control_book.reflect) that every door calls."""
    from toolkit.services.control_book import write_control_workbooks

    write_control_workbooks(workspace)
    control = workspace.root / "市级控制台.xlsx"
    before = control.read_bytes()
    job = client.post("/consolidate", data={"csrf": _csrf(client), "period": "2022-06"}).headers["Location"]
    assert re.search(r"各县市区的培育工作清单 \d+ 份", _finished(client, job))  # the worklists, as the console says
    assert control.read_bytes() != before
    book = openpyxl.load_workbook(control)
    texts = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("导入并汇总" in t for t in texts) and any("攸县" in t for t in texts)


def test_a_policy_workbook_with_a_problem_is_named_on_the_workbench(client, workspace):
    """The workbench names what the command line and the buttons name (services.errors.told): the policy's problem
    with its sheet and cell, not "程序内部出错"."""
    book = openpyxl.load_workbook(workspace.policy_path)
    annex = book["目标附件"]
    annex["B5"] = "很多"
    csrf = _csrf(client)  # before the policy is broken: the pages need it to list the periods
    book.save(workspace.policy_path)
    job = client.post("/consolidate", data={"csrf": csrf, "period": "2022-06"}).headers["Location"]
    page = _finished(client, job, "failed")
    assert "政策参数工作簿“政策参数.xlsx”有" in page and "目标附件!B5" in page and "程序内部出错" not in page
    shown = client.get("/status?period=2022-06")
    assert shown.status_code == 409 and "目标附件!B5" in shown.get_data(as_text=True)


def test_a_firm_claimed_twice_stays_disputed_while_one_claimant_has_not_sent_the_next_period(client, workspace):
    """One claimant sends 2022-09 (still claiming the firm), the other has not yet: each county's latest list
    still claims it — as the rewards count it (J101) — so the workbench still lists it, each claim with its
    period, not only a firm claimed twice in the latest period."""
    uscc, counties = _undecided(client)
    later = ROOT / "samples" / "县区报表" / "2022-09"
    sent = next(later.glob(f"{counties[0]}_*.xlsx"))
    shutil.copy2(sent, workspace.inbox / sent.name)
    consolidation.consolidate(workspace, Period.parse("2022-09"), parallel=False)
    summary = consolidation.status(workspace, Period.parse("2022-09"))
    assert not any(p.uscc == uscc for p in summary.pending)  # the latest period alone no longer shows it
    page = client.get("/assign?year=2022").get_data(as_text=True)
    assert f'id="{uscc}"' in page
    article = page.split(f'id="{uscc}"')[1].split("</article>")[0]
    assert f"<td>{counties[0]}</td><td class=\"nowrap\">2022-09</td>" in article
    assert f"<td>{counties[1]}</td><td class=\"nowrap\">2022-06</td>" in article


def test_the_summary_link_is_the_latest_with_older_versions_folded(client, workspace):
    for _ in range(2):  # two more runs: three summaries of the period
        job = client.post("/consolidate", data={"csrf": _csrf(client), "period": "2022-06"}).headers["Location"]
        _finished(client, job)
    page = client.get("/consolidate?period=2022-06").get_data(as_text=True)
    latest = re.findall(r'data-kind="summary" href="[^"]+">([^<]+)</a>', page)
    older = re.findall(r'data-kind="summary-older" href="[^"]+">([^<]+)</a>', page)
    assert len(latest) == 1 and "以前生成的 2 个版本" in page and len(older) == 2
    assert latest[0] == "株洲市规上工业企业汇总表_2022-06（3）.xlsx"
    assert 'id="waiting"' not in page and 'id="nothing-yet"' not in page


def test_the_rewards_overview_is_one_proposal_remembered_until_the_store_or_policy_changes(workspace):
    from toolkit.services import rewards

    first = rewards.overview(workspace, 2022)
    assert rewards.overview(workspace, 2022) is first  # viewed again: nothing computed again
    shown, due = rewards.show(workspace, 2022), rewards.pending(workspace, 2022)
    assert first.shown.existing == shown.existing and first.shown.waiting == shown.waiting
    assert (first.due.lines, first.due.exclusions) == (due.lines, due.exclusions)
    stat = workspace.store_path.stat()
    os.utime(workspace.store_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # any write to the store
    assert rewards.overview(workspace, 2022) is not first
    again = rewards.overview(workspace, 2022)
    policy = workspace.policy_path.stat()
    os.utime(workspace.policy_path, ns=(policy.st_atime_ns, policy.st_mtime_ns + 1_000_000))  # a new policy
    assert rewards.overview(workspace, 2022) is not again


def test_a_dropped_file_with_problems_comes_with_its_results_to_send_back(client, workspace, tmp_path):
    """The verdict of a drop carries the results workbook and the marked copy of that file (checked on its own),
    written in a private folder, never beside the county's file in the inbox."""
    sent = next(PERIOD_DIR.glob("攸县_*.xlsx"))  # 攸县's 2022-06 workbook has errors
    (workspace.inbox / sent.name).unlink()  # taken out, so that the drop is stored (not "已有内容相同的文件")
    with sent.open("rb") as handle:
        answer = client.post("/inbox", data={"csrf": _csrf(client), "workbook": (handle, "攸县_新报表.xlsx")},
                             content_type="multipart/form-data", headers={"X-Fragment": "1"})
    page = answer.get_data(as_text=True)
    links = dict((words, href) for href, words in re.findall(r'<a class="download" href="([^"]+)">([^<]+)</a>', page))
    assert set(links) == {"校验结果", "标注副本"}, page
    results = client.get(links["校验结果"])
    assert results.status_code == 200 and results.data[:2] == b"PK"
    book = openpyxl.load_workbook(io.BytesIO(results.data))
    texts = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert any(t.startswith("E") and t[1:].isdigit() for t in texts)  # the codes found, as the county gets them
    assert not [p for p in workspace.inbox.rglob("*") if "校验结果" in p.name or "标注" in p.name]
