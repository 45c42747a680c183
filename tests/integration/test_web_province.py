"""The workbench and the command line at province level (#39) speak of the province's units: its pages say 市州
where a city's say 县市区, 省里 where they say 市里; the pages a province's summaries carry no data for (培育,
应入尽入, 奖励) leave its menu and answer with the reason; and the city's pages read as before."""

from __future__ import annotations

import argparse
import io
import re
import shutil

import pytest
from rich.console import Console

from toolkit.cli import main
from toolkit.cli import workspace as verbs
from toolkit.domain.periods import Period
from toolkit.services.workspace import Workspace
from toolkit.web.app import create_app

MENU_PAGES = ("/status?period=2022-06", "/inbox", "/consolidate?period=2022-06", "/assign?year=2022",
              "/notices?period=2022-06", "/policy", "/self-check")
LEFT_OUT = {"/pipeline?period=2022-06": "培育", "/screening?year=2022": "应入尽入", "/rewards?year=2022": "奖励"}


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory, consolidated_2022_06):
    """A province workspace with Zhuzhou's 2022-06 summary consolidated by ``guishang consolidate`` (the other 13
    市州 not reporting), and what the command printed (exit 1: Zhuzhou's returned counties are findings)."""
    root = tmp_path_factory.mktemp("province") / "省工作区"
    assert main(["init", "--level", "province", str(root)]) == 0
    (summary,) = sorted((consolidated_2022_06 / "输出" / "汇总").glob("*汇总表_2022-06*.xlsx"))
    shutil.copyfile(summary, root / "收件箱" / summary.name)
    out = io.StringIO()
    args = argparse.Namespace(workspace=root, period=Period(2022, 6))
    assert verbs.cmd_consolidate(args, Console(file=out, width=300, color_system=None)) == 1
    return Workspace(root), out.getvalue()


@pytest.fixture()
def province(consolidated):
    return consolidated[0]


def _client(workspace: Workspace):
    return create_app(workspace.policy(), policy_source="工作区的政策参数.xlsx", workspace=workspace).test_client()


def _menu(page: str) -> list[str]:
    return re.findall(r"<a href=\"[^\"]*\"(?: class=\"here\" aria-current=\"page\")?>([^<]+)</a>",
                      page.split("<nav>")[1].split("</nav>")[0])


def _outside_findings(page: str) -> str:
    """The page without the findings' own messages (they quote the 市州's files, which speak of their 县市区)."""
    return re.sub(r"<tbody>.*?</tbody>", "", page, flags=re.S) if 'class="findings"' in page else page


def test_the_command_line_tells_the_province_its_units_are_the_cities(consolidated):
    said = consolidated[1]
    assert "提示：须市州改正或在“说明”中写明；待核实：汇总时发现、供省里核实的情况（不影响受理）" in said
    assert "全省合计只含已受理的 1 个市州（共 14 个）" in said
    assert "须县市区改正" not in said and "供市里核实" not in said


def test_every_page_of_the_province_menu_names_its_units_as_city_prefectures(province):
    client = _client(province)
    status = client.get("/status?period=2022-06").get_data(as_text=True)
    assert _menu(status) == ["报送情况", "收件箱", "汇总", "认定", "公文", "政策参数", "市州自查"]
    for path in MENU_PAGES:
        answer = client.get(path)
        page = answer.get_data(as_text=True)
        assert answer.status_code == 200, path
        assert 'lang="zh-CN"' in page and "湖南省" in page, path
        assert "县市区" not in _outside_findings(page) and "市里" not in _outside_findings(page), path
        assert "县区自查" not in page, path
    assert "<th>市州</th>" in status and 'data-county="株洲市"' in status
    assert "“被退回”的报表须由市州改正后重新报送" in status
    inbox = client.get("/inbox").get_data(as_text=True)
    assert "把市州报回的报表拖到下面" in inbox and "跨市州的核对" in inbox
    consolidated = client.get("/consolidate?period=2022-06").get_data(as_text=True)
    assert "生成汇总表和发回市州的校验结果" in consolidated
    assert "<th>级别</th><th>代码</th><th>市州</th>" in consolidated  # the findings' column of the unit
    assert "在省里认定归属前" in client.get("/assign?year=2022").get_data(as_text=True)
    policy = client.get("/policy").get_data(as_text=True)
    assert "奖励标准" not in policy and "<th>市州</th>" in policy
    assert "市州报表自查" in client.get("/self-check").get_data(as_text=True)


def test_the_pages_a_province_has_no_data_for_answer_why(province):
    client = _client(province)
    for path, title in LEFT_OUT.items():
        answer = client.get(path)
        page = answer.get_data(as_text=True)
        assert answer.status_code == 404, path
        assert f"<h1>{title}</h1>" in page and f"所以省级没有“{title}”页" in page, path
        assert "省级工作区汇总各市州报来的汇总表，汇总表中不含" in page, path
        assert 'href="/status"' in page and 'href="/pipeline"' not in page, path
    # what those pages would do is refused too, before anything is read or written
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/status").get_data(as_text=True)).group(1)
    for path in ("/screening/run", "/rewards/draft", "/department-data"):
        answer = client.post(path, data={"csrf": csrf, "year": "2022"})
        assert answer.status_code == 404 and "省级工作区汇总各市州" in answer.get_data(as_text=True), path


def test_the_same_pages_of_a_city_still_say_counties(city_2022_06):
    client = _client(city_2022_06)
    status = client.get("/status?period=2022-06").get_data(as_text=True)
    assert _menu(status) == ["报送情况", "收件箱", "汇总", "培育", "应入尽入", "认定", "公文", "奖励", "政策参数", "县区自查"]
    assert "<th>县市区</th>" in status and "“被退回”的报表须由县市区改正后重新报送" in status
    assert "把县市区报回的报表拖到下面" in client.get("/inbox").get_data(as_text=True)
    assert "生成汇总表和发回县市区的校验结果" in client.get("/consolidate?period=2022-06").get_data(as_text=True)
    assert "在市里认定归属前" in client.get("/assign?year=2022").get_data(as_text=True)
    assert "奖励标准" in client.get("/policy").get_data(as_text=True)
    assert "县区报表自查" in client.get("/self-check").get_data(as_text=True)
    for path in LEFT_OUT:
        answer = client.get(path)
        assert answer.status_code == 200 and "省级工作区" not in answer.get_data(as_text=True), path
