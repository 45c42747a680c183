"""The pipeline's flags and tallies (toolkit.domain.pipeline), boundary by boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.domain import pipeline as P
from toolkit.domain.periods import Period
from toolkit.domain.register import ListRow

PERIOD = Period(2022, 6)
DUE = dt.date(2022, 7, 8)
A, B, C = "91430200MA4AAAAA01", "91430200MA4BBBBB02", "91430200MA4CCCCC03"


def _pool(uscc=A, revenue=1500.0, expected="2022-12", row=5, **extra) -> ListRow:
    return ListRow("重点培育企业", row, uscc, f"企业{uscc[-2:]}", {"uscc": uscc, "industry": "3311", "revenue": revenue,
                                                              "spin_off": "否", "expected_entry": expected,
                                                              "measures": "上门走访", **extra})


def _risk(uscc=A, revenue=2500.0, measures="一企一策：对接银行续贷", row=5) -> ListRow:
    return ListRow("退规风险企业", row, uscc, "风险企业", {"uscc": uscc, "revenue": revenue, "risk_reason": "订单下滑",
                                                      "help_measures": measures, "helper": "区工信局"})


def _item(deadline="2022-07-08", status="办理中", unit="区金融办", row=5) -> ListRow:
    return ListRow("问题台账", row, A, "台账企业", {"uscc": A, "problem": "流动资金紧张", "assigned_to": unit,
                                                "deadline": deadline, "status": status})


def _run(*reports, register=None, checked=True, due=DUE, targets=None, counties=None):
    counties = counties or [r.county for r in reports]
    return P.pipeline(PERIOD, reports, counties, targets or {}, register or {}, register_checked=checked, due=due)


@pytest.mark.parametrize("revenue, flagged", [(2000.0, True), (1999.99, False), (2000.01, True), (1000, False),
                                              (None, False)])
def test_pool_firm_at_the_threshold_is_pushed_to_apply(revenue, flagged):
    p = _run(P.CountyLists("天元区", "天元区.xlsx", pool=(_pool(revenue=revenue),)))
    assert (P.AT_THRESHOLD in p.pool[0].flags) is flagged
    assert p.counties[0].at_threshold == int(flagged)
    assert p.pool_actions == int(flagged)


def test_pool_firm_in_the_register_should_leave_the_pool():
    p = _run(P.CountyLists("天元区", "天元区.xlsx", pool=(_pool(A), _pool(B, row=6))), register={A: "2022-03入库"})
    assert p.pool[0].flags == (f"{P.IN_REGISTER}（2022-03入库）",)
    assert p.pool[1].flags == ()
    assert p.pool_count(P.IN_REGISTER) == 1


def test_a_firm_in_two_counties_pools_names_both_on_both_rows():
    p = _run(P.CountyLists("天元区", "天元区.xlsx", pool=(_pool(A), _pool(B, row=6))),
             P.CountyLists("攸县", "攸县.xlsx", pool=(_pool(A, row=7),)))
    flag = P.cross_county_flag(["天元区", "攸县"])
    assert flag == "跨县市区重复：天元区、攸县均列入培育库"
    assert [r.flags for r in p.pool] == [(flag,), (), (flag,)]
    assert p.pool_count("跨县市区重复") == 2


@pytest.mark.parametrize("expected, past", [("2022-05", True), ("2022-06", False), ("2022-12", False), ("", False),
                                            ("2021-12", True)])
def test_expected_entry_month_before_the_period_is_past(expected, past):
    p = _run(P.CountyLists("天元区", "天元区.xlsx", pool=(_pool(expected=expected),)))
    assert any(f.startswith(P.EXPECTED_PAST) for f in p.pool[0].flags) is past


def test_pool_rows_keep_their_source():
    p = _run(P.CountyLists("天元区", "天元区_2022-06.xlsx", pool=(_pool(row=9),)))
    assert p.pool[0].origin == P.Origin("天元区_2022-06.xlsx", "重点培育企业", 9)


def test_coverage_against_next_years_target_else_this_years():
    pool = tuple(_pool(f"91430200MA4AAAA{i:03d}", row=5 + i) for i in range(10))
    targets = {"天元区": {2022: 40, 2023: 20}, "攸县": {2022: 25}}
    p = _run(P.CountyLists("天元区", "t.xlsx", pool=pool), P.CountyLists("攸县", "y.xlsx", pool=pool[:5]),
             targets=targets, counties=["天元区", "攸县", "茶陵县"])
    tianyuan, youxian, chaling = p.counties
    assert (tianyuan.size, tianyuan.target, tianyuan.coverage) == (10, 20, 0.5)
    assert tianyuan.target_basis == "2023年新增目标"
    assert (youxian.size, youxian.target, youxian.coverage) == (5, 25, 0.2)
    assert youxian.target_basis.startswith("2022年新增目标")
    assert (chaling.size, chaling.target, chaling.coverage) == (None, None, None)  # no accepted report, no target
    total = p.pool_total("全市")
    assert (total.size, total.at_threshold, total.target, total.coverage) == (15, 0, 45, 15 / 45)


@pytest.mark.parametrize("revenue, flagged", [(3000.0, True), (2999.99, False), (3500, True)])
def test_at_risk_firm_at_3000_is_not_at_risk(revenue, flagged):
    p = _run(P.CountyLists("天元区", "t.xlsx", at_risk=(_risk(revenue=revenue),)), register={A: "规划起始名录"})
    assert (P.OVER_CEILING in p.at_risk[0].flags) is flagged


def test_at_risk_firm_must_be_in_the_register_when_the_register_can_tell():
    lists = P.CountyLists("天元区", "t.xlsx", at_risk=(_risk(A), _risk(B, row=6)))
    checked = _run(lists, register={A: "规划起始名录"})
    assert [r.flags for r in checked.at_risk] == [(), (P.NOT_IN_REGISTER,)]
    unchecked = _run(lists, register={A: "2022-03入库"}, checked=False)  # no starting list: nothing to tell
    assert [r.flags for r in unchecked.at_risk] == [(), ()]
    assert "未导入规划起始名录" in P.action_lines(unchecked)[1]
    assert "未导入规划起始名录" not in P.action_lines(checked)[1]


@pytest.mark.parametrize("measures, flagged", [("", True), ("无", True), ("  ", True), ("协调银行续贷", False)])
def test_at_risk_firm_without_measures(measures, flagged):
    p = _run(P.CountyLists("天元区", "t.xlsx", at_risk=(_risk(measures=measures),)), register={A: ""})
    assert (P.WITHOUT_MEASURES in p.at_risk[0].flags) is flagged
    assert p.risk_actions == int(flagged)


@pytest.mark.parametrize("deadline, status, days", [
    ("2022-07-08", "办理中", None),  # due on the as-of day itself: not overdue
    ("2022-07-07", "办理中", 1),
    ("2022-06-28T00:00:00", "未办结", 10),  # as the store keeps a date read as a datetime
    ("2022-05-01", "已办结", None),  # done is never overdue
    ("", "办理中", None),
])
def test_overdue_days_as_of_the_due_date(deadline, status, days):
    p = _run(P.CountyLists("天元区", "t.xlsx", ledger=(_item(deadline, status),)))
    assert p.ledger[0].overdue_days == days
    assert p.overdue == (days is not None)


def test_as_of_is_the_calendars_due_date_else_the_month_end():
    assert P.as_of_date(PERIOD, DUE) == (DUE, "报送日历截止日")
    assert P.as_of_date(PERIOD, None) == (dt.date(2022, 6, 30), "月末")
    p = _run(P.CountyLists("天元区", "t.xlsx", ledger=(_item("2022-06-29"),)), due=None)
    assert p.ledger[0].overdue_days == 1


def test_ledger_overdue_first_and_tallies_per_unit_within_its_county():
    items = (_item("2022-08-01", "办理中", "区金融办", 5), _item("2022-06-01", "已办结", "区金融办", 6),
             _item("2022-07-01", "未办结", "供电公司", 7), _item("2022-06-08", "办理中", "区金融办", 8))
    p = _run(P.CountyLists("天元区", "t.xlsx", ledger=items),
             P.CountyLists("攸县", "y.xlsx", ledger=(_item("2022-07-30", "办理中", "区金融办", 5),)))
    assert [(i.county, i.origin.row, i.overdue_days) for i in p.ledger] == [
        ("天元区", 8, 30), ("天元区", 7, 7), ("攸县", 5, None), ("天元区", 5, None), ("天元区", 6, None)]
    tallies = {(u.county, u.unit): (u.items, u.done, u.overdue) for u in p.units}
    assert tallies == {("天元区", "区金融办"): (3, 1, 1), ("天元区", "供电公司"): (1, 0, 1), ("攸县", "区金融办"): (1, 0, 0)}
    finance = next(u for u in p.units if (u.county, u.unit) == ("天元区", "区金融办"))
    assert finance.done_rate == pytest.approx(1 / 3)
    assert p.units[-1].overdue == 0  # most overdue first
    assert "逾期 2 条（涉及交办单位 2 个）" in P.action_lines(p)[2]
    assert p.open_items == 4


def test_action_lines_name_only_what_needs_action():
    quiet = _run(P.CountyLists("天元区", "t.xlsx", pool=(_pool(B),), at_risk=(_risk(),), ledger=(_item("2022-09-01"),)),
                 register={A: ""})
    assert P.action_lines(quiet) == ["培育库：1 家，无需处理的企业。", "风险库：1 家，无需处理的企业。",
                                     "问题台账：1 条，未办结 1 条，截至 2022-07-08 无逾期。"]
    busy = _run(P.CountyLists("天元区", "t.xlsx", pool=(_pool(revenue=2100, expected="2022-01"), _pool(B, row=6)),
                              at_risk=(_risk(B, revenue=3100, measures=""),)), register={A: ""})
    assert P.action_lines(busy)[:2] == [
        "培育库：2 家，需处理 1 家（已达2000万元应督促申报入统 1 家、已在名录应移出 1 家、预计入规月份已过 1 家）。",
        "风险库：1 家，需处理 1 家（不在名录 1 家、营收达3000万元 1 家、未填帮扶措施 1 家）。"]


def _project(planned="2022-09", actual=None, revenue=None, uscc="", row=5) -> ListRow:
    return ListRow("重点项目", row, uscc, "", {"project": "年产2万吨新材料项目", "uscc": uscc, "name": "株洲新材料有限公司",
                                           "industry": "2641", "planned_month": planned, "actual_month": actual,
                                           "planned_revenue": 30000.0, "revenue": revenue, "milestone": "设备安装",
                                           "responsible": "区工信局"})


@pytest.mark.parametrize("project, register, flags", [
    (_project(), {}, ()),
    (_project(planned="2022-06"), {}, ()),  # due this month: not yet late
    (_project(planned="2022-05"), {}, (P.PROJECT_LATE,)),
    (_project(planned="2022-05", actual="2022-05", revenue=800.0), {}, ()),
    (_project(actual="2022-04", revenue=1999.99), {}, ()),
    (_project(actual="2022-04", revenue=2000.0), {}, (P.PROJECT_AT_THRESHOLD,)),
    (_project(actual="2022-04", revenue=2300.0, uscc=A), {A: "2022-06入库"}, ("已在规上名录（2022-06入库）",)),
])
def test_a_project_says_what_needs_doing(project, register, flags):
    p = _run(P.CountyLists("天元区", "天元区.xlsx", projects=(project,)), register=register)
    (got,) = p.projects
    assert got.flags == flags and got.origin == P.Origin("天元区.xlsx", "重点项目", 5)
    assert (got.planned, got.actual) == (project.values["planned_month"], project.values["actual_month"] or "")
    assert (got.project, got.planned_revenue, got.responsible) == ("年产2万吨新材料项目", 30000.0, "区工信局")
