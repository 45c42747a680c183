"""The browser workbench's server side (#21), through Flask's test client: the county self-check, and the rules
that keep it safe — loopback unless an access token is set, CSRF on every POST, names never used as paths,
uploads bounded, hostile files answered with a message, nothing of the workspace in the self-check-only mode.
(A real browser drives the same pages in tests/browser.)"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

import hostile_files as H
from conftest import ROOT, new_workspace
from toolkit.cli import main
from toolkit.web.app import create_app
from toolkit.web.server import check_binding, NotAllowed
from toolkit.web.uploads import Uploads, safe_name

FAULTY = ROOT / "samples" / "县区报表" / "2022-06" / "攸县_2022-06_规上工业企业报表.xlsx"
CLEAN = ROOT / "samples" / "县区报表" / "2022-06" / "天元区_2022-06_规上工业企业报表.xlsx"


@pytest.fixture()
def uploads(tmp_path):
    kept = Uploads(tmp_path / "uploads")
    kept.root.mkdir(parents=True, exist_ok=True)
    yield kept
    kept.close()


@pytest.fixture()
def client(policy, uploads):
    app = create_app(policy, policy_source="测试政策参数", self_check_only=True, uploads=uploads)
    return app.test_client()


def _csrf(client, path="/self-check") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _upload(client, data: bytes, name: str, csrf: str | None = None, **headers):
    form = {"workbook": (io.BytesIO(data), name)}
    if csrf is not None:
        form["csrf"] = csrf
    return client.post("/self-check", data=form, content_type="multipart/form-data", headers=headers)


def test_a_county_checks_its_workbook_and_takes_the_findings_away(client):
    answer = _upload(client, FAULTY.read_bytes(), FAULTY.name, _csrf(client))
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "有错误，须改正后重新报送" in page and "攸县" in page and "2022-06" in page
    assert "E106" in page and "<td>A35</td>" in page  # a duplicate code, with its cell (see the story tests)
    links = dict(re.findall(r'data-kind="(\w+)" href="([^"]+)"', page))
    assert set(links) == {"results", "marked"}
    results = client.get(links["results"])
    assert results.status_code == 200 and "attachment" in results.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(results.data))
    assert any("E106" in str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row)
    marked = openpyxl.load_workbook(io.BytesIO(client.get(links["marked"]).data))
    assert marked.sheetnames[0] == "校验结果"
    assert "攸县_2022-06_规上工业企业报表_标注.xlsx" in client.get(links["marked"]).headers["Content-Disposition"] \
        or "filename*=" in client.get(links["marked"]).headers["Content-Disposition"]


def test_a_clean_workbook_passes_and_nothing_is_marked(client):
    page = _upload(client, CLEAN.read_bytes(), CLEAN.name, _csrf(client)).get_data(as_text=True)
    assert "通过，可以报送" in page and 'data-kind="marked"' not in page and 'data-kind="results"' in page


def test_the_self_check_expects_the_period_every_door_expects(client, monkeypatch):
    """Last period's workbook renamed to this period: E005 when the calendar has a period due and when it has none
    (then by the file's name, with the warning beside the verdict), as ``check`` and 校验本表 say."""
    import datetime as dt

    from toolkit.services import checking

    renamed = "攸县_2022-06_规上工业企业报表.xlsx"
    old = (ROOT / "samples" / "县区报表" / "2022-03" / "攸县_2022-03_规上工业企业报表.xlsx").read_bytes()
    for today, note in ((dt.date(2022, 7, 3), "本期应报：2022年1-6月（按政策参数的报送日历）"),
                        (dt.date(2030, 1, 1), "注意：报送日历中今天没有应报的报送期，按文件名核对报送期：2022年1-6月")):
        monkeypatch.setattr(checking, "current_day", lambda: today)
        page = _upload(client, old, renamed, _csrf(client)).get_data(as_text=True)
        assert "E005" in page and "通过，可以报送" not in page and note in page


def test_every_post_needs_the_pages_csrf_token_and_this_servers_origin(client):
    no_token = _upload(client, CLEAN.read_bytes(), CLEAN.name)
    assert no_token.status_code == 400 and "请刷新页面后重新操作" in no_token.get_data(as_text=True)
    wrong = _upload(client, CLEAN.read_bytes(), CLEAN.name, "forged")
    assert wrong.status_code == 400
    csrf = _csrf(client)
    elsewhere = _upload(client, CLEAN.read_bytes(), CLEAN.name, csrf, Origin="http://evil.example")
    assert elsewhere.status_code == 400 and "其他网站" in elsewhere.get_data(as_text=True)
    assert _upload(client, CLEAN.read_bytes(), CLEAN.name, csrf, Origin="http://localhost").status_code == 200


@pytest.mark.parametrize("given, kept", [
    ("../../etc/攸县报表.xlsx", "攸县报表.xlsx"),
    ("..\\..\\Windows\\报表.XLSM", "报表.xlsm"),
    ("C:\\Users\\刘志强\\桌面\\天元区 6月.xlsx", "天元区 6月.xlsx"),
    ("报\x00表\u202e.xlsx", "报表.xlsx"),
    ("....xlsx", "报表.xlsx"),
    ("a" * 300 + ".xlsx", "a" * 80 + ".xlsx"),
    ("报表.xls", None),
    ("报表.xlsx.exe", None),
    ("", None),
])
def test_a_name_from_the_browser_is_only_ever_a_plain_name(given, kept):
    assert safe_name(given) == kept


def test_a_traversing_name_writes_only_inside_the_private_folder(client, uploads, tmp_path):
    answer = _upload(client, CLEAN.read_bytes(), "../../../逃逸.xlsx", _csrf(client))
    assert answer.status_code == 200
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written and all(uploads.root in p.parents for p in written)
    assert not list(tmp_path.parent.glob("逃逸*"))


def test_a_file_that_is_not_a_workbook_or_too_big_is_answered_in_chinese(client):
    csrf = _csrf(client)
    wrong_kind = _upload(client, b"a,b\n1,2\n", "报表.csv", csrf)
    assert wrong_kind.status_code == 400 and "另存为" in wrong_kind.get_data(as_text=True)
    nothing = client.post("/self-check", data={"csrf": csrf}, content_type="multipart/form-data")
    assert nothing.status_code == 400 and "请先选择" in nothing.get_data(as_text=True)
    client.application.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    too_big = _upload(client, b"0" * (2 * 1024 * 1024), "报表.xlsx", csrf)
    assert too_big.status_code == 413 and "上限" in too_big.get_data(as_text=True)
    assert client.get("/self-check").status_code == 200  # and the server goes on


def test_hostile_files_through_the_upload_get_a_message_and_the_server_survives(client, policy, tmp_path):
    csrf = _csrf(client)
    for label, (maker, phrase) in H.MAKERS.items():
        (tmp_path / label).mkdir()
        made = maker(tmp_path / label, policy)
        if made.is_dir():
            continue  # a folder cannot be uploaded
        answer = _upload(client, made.read_bytes(), made.name, csrf)
        page = answer.get_data(as_text=True)
        assert answer.status_code in (200, 400), label
        if safe_name(made.name) and answer.status_code == 200:
            assert "无法读取" in page and phrase in page, label
        else:
            assert "不是 Excel 工作簿" in page, label
    assert client.get("/self-check").status_code == 200


def test_the_self_check_only_mode_shows_nothing_of_the_workspace(policy, uploads, tmp_path):
    root = new_workspace(tmp_path / "工作区")
    from toolkit.services.workspace import Workspace
    app = create_app(policy, policy_source="工作区的政策参数", workspace=Workspace.at(root), self_check_only=True,
                     uploads=uploads)
    client = app.test_client()
    assert client.get("/").status_code == 302 and client.get("/").headers["Location"].endswith("/self-check")
    page = client.get("/self-check").get_data(as_text=True)
    assert str(root) not in page and "首页" not in page
    assert client.get("/status").status_code == 404  # no workspace route exists in this mode


def test_an_access_token_guards_every_page(policy, uploads):
    app = create_app(policy, policy_source="测试", self_check_only=True, token="株洲工信2022", uploads=uploads)
    client = app.test_client()
    first = client.get("/self-check")
    assert first.status_code == 302 and "/sign-in" in first.headers["Location"]
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/sign-in").get_data(as_text=True)).group(1)
    wrong = client.post("/sign-in", data={"csrf": csrf, "token": "12345678"})
    assert wrong.status_code == 403 and "口令不正确" in wrong.get_data(as_text=True)
    right = client.post("/sign-in?next=//evil.example/", data={"csrf": csrf, "token": "株洲工信2022"})
    assert right.status_code == 302 and right.headers["Location"] == "/"  # never sent to another site
    assert client.get("/self-check").status_code == 200


def test_any_address_but_loopback_needs_a_token(tmp_path, capsys):
    check_binding("127.0.0.1", None)
    check_binding("localhost", None)
    check_binding("::1", None)
    for host in ("0.0.0.0", "192.168.1.20", "::"):
        with pytest.raises(NotAllowed):
            check_binding(host, None)
        with pytest.raises(NotAllowed):
            check_binding(host, "short")
    check_binding("0.0.0.0", "株洲工信2022")
    assert main(["serve", "--self-check-only", "--host", "0.0.0.0", "--no-browser"]) == 2
    assert "必须设置访问口令" in capsys.readouterr().out
