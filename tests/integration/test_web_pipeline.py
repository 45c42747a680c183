"""The workbench's 培育 page (#37) through Flask's test client: the funnel per county with the pool's coverage of the
target, a pool firm's year-to-date line against 2000 万元 chosen by name or code, the pool with what needs action
first, at-risk firms without measures and overdue problems by 交办单位 — and what the page says with no accepted
report, with one county, and to a search that finds nothing. (In a real browser: tests/browser/
test_workbench_pipeline.py.)"""

from __future__ import annotations

import html
import json
import re

import pytest

from pipeline_year import ENTERED, GROWER, pipeline_year
from toolkit.domain.periods import Period
from toolkit.domain.tracking import YearOutlook
from toolkit.services.consolidation.outlook import outlook_of
from toolkit.web.app import create_app
from toolkit.web.city import pipeline as pipeline_page


def _client(workspace, **options):
    return create_app(workspace.policy(), policy_source="工作区的政策参数.xlsx", workspace=workspace,
                      **options).test_client()


def _page(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, path
    return answer.get_data(as_text=True)


def _chart(page: str, box: str) -> dict:
    found = re.search(rf'id="{box}" class="chart" data-chart=\'([^\']*)\'', page)
    assert found, f"no chart #{box}"
    return json.loads(html.unescape(found.group(1)))


def _rows(page: str, table: str) -> list[str]:
    """The text of each body row of the table with id ``table``."""
    body = re.search(rf'<table[^>]*id="{table}".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in re.findall(r"<tr.*?</tr>", body, re.S)]


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """2022-03, 2022-06 and 2022-09 consolidated, 天元区's firms moving as pipeline_year says."""
    return pipeline_year(tmp_path_factory.mktemp("pipeline") / "工作区")


def test_the_funnel_counts_the_pool_the_firms_at_2000_and_those_that_entered(year):
    page = _page(_client(year), "/pipeline?period=2022-09")
    funnel = _chart(page, "funnel")
    assert len(funnel["counties"]) == 10  # every county's 2022-09 report was accepted (炎陵县's late one too)
    at = {c: (pool, over, entered, target) for c, pool, over, entered, target in
          zip(funnel["counties"], funnel["pool"], funnel["at_threshold"], funnel["entered"], funnel["target"])}
    assert at["天元区"] == (57, 1, 1, 52)  # the grower at 2080 万元; the firm listed as 新增 in August
    assert sum(v[1] for v in at.values()) == 1 and sum(v[2] for v in at.values()) == 1
    assert funnel["coverage"][funnel["counties"].index("天元区")] == round(57 / 52 * 100, 1)
    coverage = _rows(page, "coverage")
    assert coverage[-1].startswith("全市 357 1 1 280")  # the total row: accepted counties with their targets
    assert "天元区 57 1 1 52 2023年新增目标 109.6%" in coverage
    assert "培育库 357 家，已达2000万元 1 家，本年已入库的培育库企业 1 家；需处理 2 家。" in page


def test_a_firms_line_is_its_revenue_in_each_return_of_the_year(year):
    client = _client(year)
    code, name = GROWER
    for asked in (code, code.lower(), name, "茶乡瑞丰煤业", f"{name}（{code}）"):
        lines = _chart(_page(client, f"/pipeline?period=2022-09&firm={asked}"), "firm-line")
        assert lines["chosen"] == code, asked
    firm = lines["firms"][code]
    assert firm["points"] == [[3, 1150.0], [6, 1600.0], [9, 2080.0]] and firm["county"] == "天元区"
    assert lines["threshold"] == 2000.0
    # the line stops at the period shown: in June, two points
    june = _chart(_page(client, f"/pipeline?period=2022-06&firm={code}"), "firm-line")
    assert june["firms"][code]["points"] == [[3, 1150.0], [6, 1600.0]]
    # the datalist offers every pool firm of the year by name and code
    page = _page(client, "/pipeline?period=2022-09")
    assert f'<option value="{name}（{code}）">天元区</option>' in page
    datalist = re.search(r'<datalist id="firm-names">(.*?)</datalist>', page, re.S).group(1)
    offered = re.findall(r'<option value="[^"]+">([^<]+)</option>', datalist)
    assert len(offered) == 377 and offered == sorted(offered, key=year.policy().county_names.index)  # policy order
    assert _chart(page, "firm-line")["chosen"] == code  # unasked: the first row of the pool table


def test_a_firm_still_in_the_pool_has_its_year_forecast_at_december(year):
    outlook = outlook_of(year, Period(2022, 9))
    grower = next(f for f in outlook.firms if f.uscc == GROWER[0] and f.kind == "培育库")
    lines = _chart(_page(_client(year), f"/pipeline?period=2022-09&firm={GROWER[0]}"), "firm-line")
    forecast = lines["firms"][GROWER[0]]["forecast"]
    assert (forecast["point"], forecast["low"], forecast["high"]) == (grower.point, grower.low, grower.high)
    assert 2080 <= forecast["low"] <= forecast["point"] <= forecast["high"]  # never under what is already booked
    assert f"（约十次中八次在 {grower.low:,.0f}–{grower.high:,.0f} 之间，{grower.basis}）" in forecast["text"]
    assert "预计 2022-09 累计达2000万元" in forecast["text"] and grower.route in forecast["text"]


def test_the_band_is_each_countys_expected_new_entries_against_its_target(year):
    outlook = outlook_of(year, Period(2022, 9))
    page = _page(_client(year), "/pipeline?period=2022-09")
    band = _chart(page, "band")
    counties = outlook.counties[:-1]
    assert band["counties"] == [c.county for c in counties] and len(band["counties"]) == 10
    assert band["so_far"] == [c.entries_so_far for c in counties]
    assert band["low"] == [c.added.low for c in counties] and band["high"] == [c.added.high for c in counties]
    assert band["target"] == [c.target for c in counties]
    assert all(lo <= p <= hi for lo, p, hi in zip(band["low"], band["point"], band["high"]))
    rows = _rows(page, "forecast")
    assert len(rows) == 11 and rows[-1].startswith(f"全市 {outlook.counties[-1].entries_so_far} ")
    tianyuan = next(c for c in counties if c.county == "天元区")
    shown = rows[band["counties"].index("天元区")]
    assert shown.startswith(f"天元区 {tianyuan.entries_so_far} ")
    exits, net = tianyuan.exits, tianyuan.net  # a figure with its range: '16.1（15–18）'
    assert f"{exits.expected:.1f}（{exits.low:g}–{exits.high:g}）" in shown and f"（{net.low:g}–{net.high:g}）" in shown
    assert "不是计划数字，也不作为考核依据" in page and outlook.calibration in page and "一行只含" not in page
    # the at-risk firm without measures, with its chance of ending the year under 2000 万元
    chance = next(f.chance for f in outlook.firms if f.kind == "风险库" and f.name == "株洲凤凰博创日用陶瓷股份有限公司")
    assert f"{chance:.0%}" in _rows(page, "without-measures")[0]


def test_without_a_forecast_the_page_says_why(year, monkeypatch):
    said = "1月不是统计月份（1–2月为第一个累计月份），本期不作预测。"
    monkeypatch.setattr(pipeline_page, "outlook_of", lambda workspace, period: YearOutlook(period, 1, False, said))
    page = _page(_client(year), "/pipeline?period=2022-09")
    assert 'id="band"' not in page and said in page
    assert _chart(page, "firm-line")["firms"][GROWER[0]]["forecast"] is None


def test_a_search_that_finds_nothing_or_several_says_so(year):
    client = _client(year)
    page = _page(client, "/pipeline?period=2022-09&firm=不存在的企业")
    assert "本年培育库中没有名称或代码含“不存在的企业”的企业。" in page
    several = _page(client, "/pipeline?period=2022-09&firm=株洲")
    assert re.search(r"名称或代码含“株洲”的企业有 \d+ 家，显示第一家：", several)


def test_the_tables_put_what_needs_action_first(year):
    page = _page(_client(year), "/pipeline?period=2022-09")
    pool = _rows(page, "pool")
    assert len(pool) == 357
    assert pool[0].startswith(f"天元区 {GROWER[1]}") and "已达规模标准，应督促申报入统" in pool[0]
    assert pool[1].startswith(f"天元区 {ENTERED[1]}") and "已在规上名录，应移出培育库（2022-08入库）" in pool[1]
    assert not any("应督促" in row or "应移出" in row for row in pool[2:])
    revenues = [float(re.search(r" (\d[\d,]*\.\d\d) ", row).group(1).replace(",", "")) for row in pool[2:]]
    assert revenues == sorted(revenues, reverse=True)  # then the nearest to 2000 万元 first
    risk = _rows(page, "without-measures")
    assert len(risk) == 1 and risk[0].startswith("天元区 株洲凤凰博创日用陶瓷股份有限公司") and "未填帮扶措施" in risk[0]
    units = _rows(page, "overdue-units")  # the samples' own overdue problems, and 天元区's made overdue here
    assert units[0] == "天元区 国网供电公司 3 0 0.0% 2" and len(units) == 21
    overdue = [int(row.rsplit(" ", 1)[1]) for row in units]
    assert overdue == sorted(overdue, reverse=True)  # the units with most overdue first
    problems = _rows(page, "overdue")  # the problem made overdue here, among the samples' own
    assert "天元区 国网供电公司 株洲凤凰博创日用陶瓷股份有限公司 用电增容审批慢 2022-09-01 办理中 37" in problems
    assert len(problems) == 25
    assert "逾期天数截至 2022-10-08（报送日历截止日）" in page


def test_a_period_before_anything_went_wrong_says_there_is_nothing_to_act_on(year):
    page = _page(_client(year), "/pipeline?period=2022-03")
    assert "需处理 0 家" in page
    assert 'id="without-measures"' not in page and "都已填写帮扶措施" in page
    assert 'id="overdue"' not in page and "没有逾期未办结的问题" in page


def test_with_no_accepted_report_the_page_says_what_to_do(tmp_path):
    from toolkit.services.workspace import init_workspace

    workspace, _ = init_workspace(tmp_path / "工作区")
    page = _page(_client(workspace), "/pipeline?period=2022-09")
    assert "尚无已受理的 2022-09 报表：先在" in page and "“收件箱”页" in page and "“汇总”页" in page
    assert 'id="funnel"' not in page and 'id="pool"' not in page


def test_without_any_period_the_page_says_where_periods_come_from(year, monkeypatch):
    monkeypatch.setattr(pipeline_page, "asked_period", lambda: None)  # no calendar, nothing received
    page = _page(_client(year), "/pipeline")
    assert "还没有报送期。请在政策参数工作簿的“报送日历”中填写" in page and 'id="funnel"' not in page


def test_one_county_is_a_funnel_of_one_and_the_others_are_not_counted(tmp_path):
    workspace = pipeline_year(tmp_path / "工作区", periods=("2022-09",), counties=("天元区",))
    page = _page(_client(workspace), "/pipeline?period=2022-09")
    funnel = _chart(page, "funnel")
    assert funnel["counties"] == ["天元区"] and funnel["pool"] == [57] and funnel["entered"] == [1]
    assert "取自 1 个县市区已受理的报表（未受理的 9 个不计）" in page
    coverage = _rows(page, "coverage")
    assert sum("未受理，不计" in row for row in coverage) == 9
    assert coverage[-1] == "已受理合计（1/10） 57 1 1 52 109.6%"  # the summary's own label
    lines = _chart(page, "firm-line")
    assert lines["firms"][GROWER[0]]["points"] == [[9, 2080.0]]  # only September reported
    # the forecast: a county without any accepted report this year is unknown, not zero
    band = _chart(page, "band")
    assert [c for c, p in zip(band["counties"], band["point"]) if p is not None] == ["天元区"]
    assert band["so_far"].count(None) == 9 and None not in band["target"]
    rows = _rows(page, "forecast")
    assert sum("本年没有已受理的报表，不作预测" in row for row in rows) == 9 and rows[-1].startswith("全市 49 ")
    assert "全市一行只含本年有已受理报表的县市区，没有报表的 9 个不计入已入库和预测，但其目标仍计入目标和完成率。" in page


def test_the_page_is_in_the_menu_and_guarded_as_the_others(year):
    page = _page(_client(year), "/pipeline?period=2022-09")
    assert re.search(r'<a href="/pipeline" class="here" aria-current="page">培育</a>', page)
    assert "<script>" not in page and "onclick" not in page  # no inline script (the CSP forbids it)
    signed = _client(year, token="株洲工信2022").get("/pipeline?period=2022-09")
    assert signed.status_code == 302 and "/sign-in" in signed.headers["Location"]
    only = create_app(year.policy(), policy_source="x", self_check_only=True).test_client()
    assert only.get("/pipeline").status_code == 404
    assert _client(year).get("/pipeline?period=2022-13").status_code == 400
