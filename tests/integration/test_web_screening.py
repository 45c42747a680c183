"""The workbench's 应入尽入 page (#38) through Flask's test client: the steps in order (starting register, the
departments' files, the screen), each refused with its reason while what it needs is missing; a bad department file
refused whole with the cell named; the screen run as a job whose outputs are offered for download (the city's file
apart); and the funnel per county with each firm's evidence, stage and the county's answer."""

from __future__ import annotations

import datetime as dt
import re
import time
from io import BytesIO

import pytest

from conftest import new_workspace
from county_files import register_file, write_report
from screening_data import CODES, department_files
from toolkit.services.workspace import Workspace
from toolkit.web.app import create_app


def _client(root):
    workspace = Workspace(root)
    return create_app(workspace.policy(), policy_source="工作区的政策参数.xlsx", workspace=workspace).test_client()


def _csrf(client) -> str:
    page = client.get("/screening").get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def _upload(path) -> tuple:
    return (BytesIO(path.read_bytes()), path.name)


def _wait(client, location: str) -> str:
    for _ in range(200):
        page = client.get(location + "/progress").get_data(as_text=True)
        if 'data-state="running"' not in page:
            return client.get(location).get_data(as_text=True)
        time.sleep(0.05)
    raise AssertionError("the job did not finish")


@pytest.fixture
def root(tmp_path):
    return new_workspace(tmp_path / "ws")


def test_the_page_walks_the_steps_and_refuses_what_cannot_be_done_yet(root, tmp_path):
    client = _client(root)
    page = client.get("/screening").get_data(as_text=True)
    assert "尚未导入。达到2000万元的企业大多已在库" in page and 'id="no-departments"' in page
    assert re.search(r'<button type="submit" disabled>筛选并写出清单</button>', page)
    csrf = _csrf(client)
    # a GBK file with an ID-card number as a code: refused whole, the cell named, nothing stored
    bad = tmp_path / "税务.csv"
    bad.write_bytes("纳税人识别号,纳税人名称,所属期,销售额（元）,国标行业\r\n430202199001011234,个人,202201,100,3311\r\n"
                    .encode("gbk"))
    answer = client.post("/screening/import", data={"csrf": csrf, "files": [_upload(bad)]},
                         content_type="multipart/form-data")
    said = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "有 1 处问题，未导入（数据库未作任何改动）" in said
    assert "第 2 行 第 1 列（纳税人识别号）" in said and "身份证号码" in said
    assert 'id="no-departments"' in client.get("/screening").get_data(as_text=True)
    # a screen asked for before the register is in: the job says why and links to the step that fixes it
    files = department_files(tmp_path)
    answer = client.post("/screening/import", data={"csrf": csrf, "files": [_upload(p) for p in files]},
                         content_type="multipart/form-data", follow_redirects=True)
    said = answer.get_data(as_text=True)
    assert "已导入“税务申报销售额.csv”：税务申报销售额" in said and 'id="department-files"' in said
    # the tax office resends 2022-09 corrected: taken from the new file, and the page says which months overlapped
    again = tmp_path / "税务9月更正.csv"
    again.write_text("纳税人识别号,纳税人名称,所属期,销售额（元）,国标行业\n"
                     f"{CODES['reached']},株洲甲机械有限公司,202209,3100000,3311\n", encoding="utf-8")
    said = client.post("/screening/import", data={"csrf": csrf, "files": [_upload(again)]},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "与其后导入的“税务9月更正.csv”月份重叠（2022-09）：同一纳税人同一月份以后导入的文件为准" in said
    job = client.post("/screening/run", data={"csrf": csrf, "period": "2022-09"})
    done = _wait(client, job.headers["Location"])
    assert "尚未导入规划起始时的规上工业企业名录" in done and "/screening#starting" in done
    assert client.post("/screening/run", data={"csrf": csrf, "period": "九月"},
                       follow_redirects=True).get_data(as_text=True).count("不是月份") == 1


def test_the_screen_runs_as_a_job_and_the_funnel_shows_each_firm(root, tmp_path, policy):
    client = _client(root)
    csrf = _csrf(client)
    listing = register_file(tmp_path / "名录.xlsx", [(CODES["held"], "株洲在库老厂有限公司", "430202", "荷塘区")])
    said = client.post("/screening/starting", data={"csrf": csrf, "list": _upload(listing)},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "已导入规划起始名录“名录.xlsx”：1 家" in said
    client.post("/screening/import", data={"csrf": csrf, "files": [_upload(p) for p in department_files(tmp_path)]},
                content_type="multipart/form-data")
    job = client.post("/screening/run", data={"csrf": csrf, "period": "2022-09"})
    done = _wait(client, job.headers["Location"])
    assert "按2022年1—9月筛选，共列出 4 家：达标未入规 2 家，新建投产窗口 1 家，可能达标 1 家。" in done
    page = client.get("/screening").get_data(as_text=True)  # the latest screen is shown by default
    assert "应入尽入（2022年1—9月筛选）" in page
    assert "天元区_2022-09_应入尽入工作清单.xlsx" in page and "市级（不外发）" in page
    link = re.search(r'href="([^"]+)">应入尽入候选企业_2022-09.xlsx</a>', page)
    assert link and client.get(link.group(1)).status_code == 200
    # 天元区 answers in its October return: the page shows the stage and where the answer came from
    answers = [{"uscc": CODES["reached"], "name": "株洲甲机械有限公司", "contacted": dt.date(2022, 10, 12),
                "applied": "已申报", "applied_on": dt.date(2022, 10, 20), "result": "跟进中"}]
    write_report(root / "收件箱", policy, "天元区", "2022-10", more={"follow_up": answers})
    _wait(client, client.post("/consolidate", data={"csrf": csrf, "period": "2022-10"}).headers["Location"])
    page = client.get("/screening?period=2022-10").get_data(as_text=True)
    row = re.search(rf'<tr data-uscc="{CODES["reached"]}" data-stage="([^"]+)">(.*?)</tr>', page, re.S)
    assert row.group(1) == "已申报" and "天元区_2022-10_规上工业企业报表.xlsx 第 5 行" in row.group(2)
    assert "2022年1—9月累计销售额2,700.00万元" in row.group(2)
    totals = re.search(r'<tr class="total" data-county="全市">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'<td class="num[^"]*">(\d+)</td>', totals)[:5] == ["4", "0", "1", "1", "0"]
    only = client.get("/screening?period=2022-10&county=攸县").get_data(as_text=True)
    assert only.count('<tr data-uscc="') == 1 and 'data-stage="未反馈"' in only
    assert "<script>" not in page  # the chart's data ride in an attribute; the script is a file
