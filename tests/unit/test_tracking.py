"""Every pool and at-risk firm followed through the year's returns, and the ledger's problems keeping their identity
(toolkit.domain.tracking): one table row per way of leaving."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.domain import tracking as T
from toolkit.domain.periods import Period
from toolkit.domain.pipeline import CountyLists, cross_county_flag
from toolkit.domain.register import ListRow

MAR, JUN, SEP = Period(2022, 3), Period(2022, 6), Period(2022, 9)
A, B = "91430200MA4AAAAA01", "91430200MA4BBBBB02"
AS_OF = dt.date(2022, 10, 8)


def _pool(uscc=A, revenue=1500.0, spin_off="否", row=5) -> ListRow:
    return ListRow("重点培育企业", row, uscc, f"企业{uscc[-2:]}", {"uscc": uscc, "industry": "3311", "revenue": revenue,
                                                              "spin_off": spin_off, "measures": "上门走访"})


def _risk(uscc=A, revenue=2500.0, row=5) -> ListRow:
    return ListRow("退规风险企业", row, uscc, "风险企业", {"uscc": uscc, "revenue": revenue, "help_measures": "续贷"})


def _item(problem="流动资金紧张", status="办理中", deadline="2022-07-31", unit="区金融办", uscc=A, name="台账企业",
          row=5) -> ListRow:
    return ListRow("问题台账", row, uscc, name, {"uscc": uscc, "problem": problem, "assigned_to": unit,
                                               "deadline": deadline, "status": status})


def _ret(period, county="天元区", pool=(), at_risk=(), ledger=()):
    return period, CountyLists(county, f"{county}_{period}.xlsx", tuple(pool), tuple(at_risk), tuple(ledger))


def _track(*returns, period=SEP, entered=None, exited=None):
    return T.track(period, returns, entered=entered or {}, exited=exited or {}, as_of=AS_OF)


def test_a_firm_in_every_return_is_followed_with_its_revenue_and_days():
    t = _track(_ret(MAR, pool=[_pool(revenue=900)]), _ret(JUN, pool=[_pool(revenue=1200, row=7)]),
               _ret(SEP, pool=[_pool(revenue=1600)]))
    [firm] = t.pool
    assert firm.revenue == {MAR: 900, JUN: 1200, SEP: 1600}
    assert (firm.first, firm.last, firm.left, firm.current) == (MAR, SEP, "", True)
    assert firm.days == (dt.date(2022, 9, 30) - dt.date(2022, 3, 31)).days == 183
    assert [s.origin.row for s in firm.seen] == [5, 7, 5] and firm.origin.file == "天元区_2022-09.xlsx"
    assert t.periods == [MAR, JUN, SEP]


@pytest.mark.parametrize("last, spin_off, entered, moved, reason", [
    (1500, "否", {A: "2022-06"}, False, "已入规（2022-06）"),  # in a 新增 list: entered, whatever its revenue
    (2100, "否", {A: ""}, False, "已入规"),  # the confirmed list, month unknown
    (1500, "否", {}, True, "转入攸县培育库"),
    (2000, "否", {}, False, T.GREW),  # exactly 2000 万元 has grown past
    (1999.99, "否", {}, False, T.REMOVED),
    (299.99, "否", {}, False, f"{T.FELL}（2022年1-6月本年累计299.99万元，下限300万元）"),  # June's floor: 1000 × 6/12 × 0.6
    (300, "否", {}, False, T.REMOVED),  # the floor itself is in the band
    (999.99, "否", {}, False, T.REMOVED),  # year to date in June: on course for 2000, not below the band
    (500, "是", {}, False, T.REMOVED),  # a spin-off is not held to the band
    (None, "否", {}, False, T.REMOVED),
])
def test_why_a_pool_firm_left(last, spin_off, entered, moved, reason):
    returns = [_ret(MAR, pool=[_pool(), _pool(B, row=6)]), _ret(JUN, pool=[_pool(revenue=last, spin_off=spin_off)]),
               _ret(SEP, pool=[_pool(B)])]
    if moved:
        returns.append(_ret(SEP, county="攸县", pool=[_pool()]))
    t = _track(*returns, entered=entered)
    firm = t.pool_track("天元区", A)
    assert (firm.left, firm.last, firm.current) == (reason, JUN, False)
    assert firm.days == 91  # March's end to June's end: the last period listed, not P
    if moved:
        assert t.pool_track("攸县", A).current


def test_a_firm_still_in_its_countys_latest_return_has_not_left_even_after_a_gap():
    t = _track(_ret(MAR, pool=[_pool()]), _ret(JUN, pool=[_pool(B)]), _ret(SEP, pool=[_pool()]))
    assert t.pool_track("天元区", A).left == "" and t.pool_track("天元区", B).left == T.REMOVED


def test_a_county_without_a_later_return_keeps_its_firms_in():
    t = _track(_ret(MAR, pool=[_pool()]), _ret(SEP, county="攸县", pool=[_pool(B)]))
    firm = t.pool_track("天元区", A)
    assert firm.current and firm.days == (dt.date(2022, 9, 30) - dt.date(2022, 3, 31)).days


def test_returns_after_the_period_or_of_another_year_are_not_read():
    t = _track(_ret(Period(2021, 12), pool=[_pool(B)]), _ret(MAR, pool=[_pool()]), _ret(SEP, pool=[_pool(B)]),
               period=JUN)
    assert [(f.uscc, f.first) for f in t.pool] == [(A, MAR)] and t.periods == [MAR]


@pytest.mark.parametrize("last, exited, reason", [
    (2500, {A: "2022-06"}, "已退库（2022-06）"),
    (3000, {}, T.ROSE),
    (2999.99, {}, T.REMOVED),
])
def test_why_an_at_risk_firm_left(last, exited, reason):
    t = _track(_ret(MAR, at_risk=[_risk()]), _ret(JUN, at_risk=[_risk(revenue=last)]), _ret(SEP, at_risk=[_risk(B)]),
               exited=exited)
    firm = t.risk_track("天元区", A)
    assert (firm.left, firm.first, firm.last) == (reason, MAR, JUN)
    assert t.risk_track("天元区", B).current


def test_a_firm_in_two_counties_pools_in_one_period_is_a_cross_county_finding():
    t = _track(_ret(MAR, pool=[_pool()]), _ret(MAR, county="攸县", pool=[_pool()]),
               _ret(JUN, pool=[_pool()]), _ret(JUN, county="攸县", pool=[_pool(B)]))
    assert [(c.period, c.uscc, c.counties) for c in t.cross_county] == [(MAR, A, ("天元区", "攸县"))]
    assert t.cross_county[0].text == f"2022-03：{cross_county_flag(['天元区', '攸县'])}"
    assert t.pool_track("攸县", A).left == T.REMOVED  # 攸县 let it go; 天元区 keeps it
    assert t.pool_track("天元区", A).current


def test_a_problem_keeps_its_identity_across_periods_whatever_its_spacing_and_punctuation():
    t = _track(_ret(MAR, ledger=[_item("流动资金紧张，需续贷", "未办结")]),
               _ret(JUN, ledger=[_item("流动资金紧张 需续贷。", "办理中", row=9)]),
               _ret(SEP, ledger=[_item("流动资金紧张,需续贷", "已办结")]))
    [item] = t.ledger
    assert item.first_seen == MAR and item.status == "已办结" and item.overdue_days is None
    assert [(s.period, s.value) for s in item.history] == [(MAR, "未办结"), (JUN, "办理中"), (SEP, "已办结")]
    assert item.changes == "2022-03 未办结 → 2022-06 办理中 → 2022-09 已办结"
    assert item.age_days == (AS_OF - dt.date(2022, 3, 31)).days
    assert item.origin.file == "天元区_2022-09.xlsx"


@pytest.mark.parametrize("second", [
    dict(problem="用工短缺"),  # another problem of the same firm
    dict(uscc=B),  # the same problem of another firm
])
def test_another_problem_or_another_firm_is_another_item(second):
    t = _track(_ret(MAR, ledger=[_item()]), _ret(JUN, ledger=[_item(), _item(row=6, **second)]))
    assert len(t.ledger) == 2
    assert sorted(i.first_seen for i in t.ledger) == [MAR, JUN]


def test_a_problem_without_a_credit_code_is_known_by_the_firms_name_and_the_same_text_in_two_counties_is_two():
    t = _track(_ret(MAR, ledger=[_item(uscc="", name="某 企业")]), _ret(JUN, ledger=[_item(uscc="", name="某企业")]),
               _ret(JUN, county="攸县", ledger=[_item(uscc="", name="某企业")]))
    assert sorted((i.county, i.first_seen) for i in t.ledger) == [("天元区", MAR), ("攸县", JUN)]


def test_overdue_and_dropped_problems_and_the_units_tally_over_the_year():
    t = _track(_ret(MAR, ledger=[_item(deadline="2022-09-01"), _item("用工短缺", deadline="2022-05-31", row=6),
                                 _item("用电增容", status="已办结", unit="供电公司", row=7)]),
               _ret(SEP, ledger=[_item(deadline="2022-09-01")]))
    assert [i.problem for i in t.ledger] == ["用工短缺", "流动资金紧张", "用电增容"]  # overdue first, longest first
    overdue = t.ledger_track("天元区", A, "台账企业", "流动资金紧张")
    assert (overdue.overdue_days, overdue.dropped) == (37, None)
    dropped = t.ledger_track("天元区", A, "台账企业", "用工短缺")
    assert dropped.dropped == SEP and dropped.overdue_days == (AS_OF - dt.date(2022, 5, 31)).days
    assert dropped.changes == "2022-03 办理中 → 2022-09 起未再报送"
    units = {u.unit: u for u in t.units}
    assert (units["区金融办"].items, units["区金融办"].done, units["区金融办"].overdue, units["区金融办"].dropped) == \
        (2, 0, 2, 1)
    assert (units["供电公司"].items, units["供电公司"].done_rate, units["供电公司"].dropped) == (1, 1.0, 0)
    assert [u.unit for u in t.units] == ["区金融办", "供电公司"]  # overdue first


def _project(uscc=A, name="新项目", revenue=None, actual=None, planned="2022-06", row=5) -> ListRow:
    return ListRow("重点项目", row, uscc, "企业" + uscc[-2:] if uscc else "",
                   {"project": name, "uscc": uscc, "industry": "3484", "planned_month": planned,
                    "actual_month": actual, "revenue": revenue, "milestone": "试生产", "responsible": "区工信局"})


def _with_projects(period, county="天元区", projects=()):
    p, lists = _ret(period, county)
    return p, CountyLists(lists.county, lists.file, projects=tuple(projects))


def test_a_project_is_followed_by_its_firms_code_else_its_name_and_leaves_by_entering_the_register():
    t = _track(_with_projects(MAR, projects=[_project(), _project("", "未注册项目", row=6), _project(B, row=7)]),
               _with_projects(JUN, projects=[_project(revenue=300, actual="2022-05"), _project("", "未注册 项目。")]),
               _with_projects(SEP, projects=[_project(revenue=900, actual="2022-05")]), entered={B: "2022-06"})
    [registered] = [p for p in t.projects if p.uscc == A]
    [unregistered] = [p for p in t.projects if not p.uscc]  # one project, however its name is spaced
    assert [s.value for s in registered.seen] == [None, 300, 900] and registered.current
    assert (registered.actual, registered.planned, registered.commissioned) == (Period(2022, 5), JUN, Period(2022, 5))
    assert (unregistered.first, unregistered.last, unregistered.left, unregistered.name) == \
        (MAR, JUN, T.REMOVED, "未注册 项目。")  # named as last reported
    assert [p.left for p in t.projects if p.uscc == B] == ["已入规（2022-06）"]
