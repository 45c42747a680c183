"""The cultivation pipeline through a year of monthly returns (#37), as ``guishang demo`` runs the shipped samples:
three firms and one problem followed by what the city sees and sends — the period summaries, the counties'
worklists and the monthly 调度通报 — each chosen from the samples by what happens to it, not by its name:

- a new build on a county's 重点项目 list crosses 2000 万元 and enters the register the next month;
- a pool firm stalls: the September forecast says it will not reach 2000 万元 this year, and December bears it out;
- an at-risk firm exits: it leaves the 风险库 as 已退库 in the month its county lists it among the exits;
- a problem is opened, goes past its deadline (overdue in a period's summary and its county's worklist) and is
  closed later in the year.
"""

from __future__ import annotations

import re
from io import StringIO

import openpyxl
import pytest
from rich.console import Console

from conftest import docx_text
from toolkit.cli import main
from toolkit.cli.demo import run_demo

PERIODS = [f"2022-{m:02d}" for m in range(2, 13)]


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    root = tmp_path_factory.mktemp("pipeline") / "演示"
    assert run_demo(root, Console(file=StringIO(), width=200), main, pdf=False) == 0
    return root / "工作区"


def _sheet(workspace, period: str, name: str) -> list[dict]:
    """A summary sheet's rows as dicts by its header (row 3), from the period's latest summary."""
    summaries = sorted((workspace / "输出" / "汇总").glob(f"*_{period}*.xlsx"), key=lambda p: p.stat().st_mtime)
    book = openpyxl.load_workbook(summaries[-1], read_only=True)
    try:
        rows = [list(r) for r in book[name].iter_rows(values_only=True)]
    finally:
        book.close()
    header = rows[2]
    return [dict(zip(header, r)) for r in rows[3:] if r and r[0]]


def _worklist(workspace, period: str, county: str, sheet: str) -> list[list]:
    (path,) = sorted((workspace / "输出" / "工作清单" / period).glob(f"{county}_{period}_*.xlsx"))[-1:]
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [list(r) for r in book[sheet].iter_rows(min_row=4, values_only=True) if r and r[0]]
    finally:
        book.close()


def test_a_new_build_crosses_2000_and_enters_the_next_month(year):
    projects = {p: {(r["县市区"], r["统一社会信用代码"]): r for r in _sheet(year, p, "重点项目") if r["统一社会信用代码"]}
                for p in PERIODS}
    entries = {r["统一社会信用代码"]: r for r in _sheet(year, "2022-12", "新增明细")}
    crossed = [(p, key) for i, p in enumerate(PERIODS[:-1]) if i for key, r in projects[p].items()
               if (r["本年累计营业收入（万元）"] or 0) >= 2000 and "应申报入库" in (r["需处理"] or "")
               and key[1] in entries and entries[key[1]]["入规月份"] == PERIODS[i + 1]]
    assert crossed, "the samples hold a new build that crosses 2000 万元 and enters the next month"
    period, (county, uscc) = crossed[0]
    entered = PERIODS[PERIODS.index(period) + 1]
    before = projects[PERIODS[PERIODS.index(period) - 1]].get((county, uscc))
    assert before is None or (before["本年累计营业收入（万元）"] or 0) < 2000  # it crossed in ``period``
    assert projects[entered][(county, uscc)]["需处理"] == f"已在规上名录（{entered}入库）"
    assert (entries[uscc]["入规类型"], entries[uscc]["县市区"]) == ("新建投产", county)
    assert projects[entered][(county, uscc)]["实际投产"] <= period


def test_a_pool_firm_stalls_the_forecast_says_so_in_september_and_december_bears_it_out(year):
    forecast = [r for r in _sheet(year, "2022-09", "预测明细")
                if r["类别"] == "培育库" and r["入规途径"] == "预计本年达不到2000万元"]
    track = {(r["县市区"], r["统一社会信用代码"]): r for r in _sheet(year, "2022-12", "培育跟踪")}
    stalled = [r for r in forecast if track.get((r["县市区"], r["统一社会信用代码"]), {}).get("状态") == "在库"]
    assert stalled, "the samples hold pool firms that stay in the pool without reaching 2000 万元"
    firm = stalled[0]
    year_end = track[(firm["县市区"], firm["统一社会信用代码"])]
    assert firm["预计全年营收（万元）"] < 2000 and year_end["2022-12（万元）"] < 2000  # as forecast in September
    in_pool = {r["统一社会信用代码"]: r for r in _sheet(year, "2022-12", "培育库") if r["县市区"] == firm["县市区"]}
    assert not in_pool[firm["统一社会信用代码"]]["需处理"]  # below 2000 万元 at year end: nothing to push, it waits


def test_an_at_risk_firm_exits_in_the_month_its_county_lists_it(year):
    track = _sheet(year, "2022-12", "风险跟踪")
    gone = [r for r in track if str(r["离库原因"] or "").startswith("已退库（")]
    assert gone, "the samples hold an at-risk firm that exits"
    firm = gone[0]
    month = re.search(r"已退库（(\d{4}-\d{2})）", firm["离库原因"]).group(1)
    exits = {r["统一社会信用代码"]: r for r in _sheet(year, "2022-12", "退库明细")}
    assert exits[firm["统一社会信用代码"]]["退库月份"] == month
    assert firm["最后列入"] < month or firm["最后列入"] == month  # listed at risk up to its exit, not after
    at_risk_then = {r["统一社会信用代码"] for r in _sheet(year, firm["最后列入"], "风险库")}
    assert firm["统一社会信用代码"] in at_risk_then


def test_a_problem_is_opened_goes_overdue_and_is_closed(year):
    ledgers = {p: _sheet(year, p, "问题台账") for p in PERIODS}
    closed = [r for r in ledgers["2022-12"] if "→" in str(r["状态变化"]) and str(r["状态变化"]).endswith("已办结")]
    overdue_then = []
    for item in closed:
        key = (item["县市区"], item["企业名称"], item["问题描述"])
        for p in PERIODS:
            same = [r for r in ledgers[p] if (r["县市区"], r["企业名称"], r["问题描述"]) == key]
            if same and same[0]["逾期天数"]:
                overdue_then.append((item, p, same[0]))
                break
    assert overdue_then, "the samples hold a problem that went overdue and was closed later"
    item, period, then = overdue_then[0]
    assert then["办理状态"] != "已办结" and then["逾期天数"] > 0
    assert item["逾期天数"] in (None, "", 0)  # closed: never overdue once done
    listed = _worklist(year, period, item["县市区"], "逾期问题")
    assert any(row[2] == item["问题描述"] and row[6] == then["逾期天数"] for row in listed)
    first = str(item["首次报送"])
    assert first <= period and item["状态变化"].startswith(first)


def test_the_monthly_dispatch_notice_reports_the_pipeline(year):
    (notice,) = (year / "输出" / "公文" / "2022-08").glob("*调度通报.docx")
    text = docx_text(notice)
    projects = _sheet(year, "2022-08", "重点项目")
    assert f"{len(projects)}个" in text or f"{len(projects)} 个" in text  # the 重点项目 counted as the summary lists them
    assert "预计全市全年新增约" in text and "不作为考核依据" in text
    units = {r["交办单位"] for r in _sheet(year, "2022-08", "问题台账") if r["逾期天数"]}
    assert any(unit in text for unit in units)  # overdue problems said by 交办单位
