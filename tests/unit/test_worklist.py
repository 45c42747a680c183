"""Each county's 培育工作清单 (toolkit.domain.worklist): which rows go on which list, boundary by boundary, and
never another county's."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.domain import pipeline as P
from toolkit.domain.periods import Period
from toolkit.domain.register import ListRow
from toolkit.domain.worklist import Worklist, worklist, worklist_name, worklists

PERIOD = Period(2022, 6)
DUE = dt.date(2022, 7, 8)
A, B, C, D = "91430200MA4AAAAA01", "91430200MA4BBBBB02", "91430200MA4CCCCC03", "91430200MA4DDDDD04"


def _pool(uscc, revenue=1500.0, expected="2022-12", row=5) -> ListRow:
    return ListRow("重点培育企业", row, uscc, f"企业{uscc[-2:]}", {"uscc": uscc, "industry": "3311", "revenue": revenue,
                                                              "spin_off": "否", "expected_entry": expected,
                                                              "measures": "上门走访"})


def _risk(uscc, revenue=2500.0, measures="一企一策：对接银行续贷", row=5) -> ListRow:
    return ListRow("退规风险企业", row, uscc, f"风险{uscc[-2:]}", {"uscc": uscc, "revenue": revenue, "risk_reason": "订单下滑",
                                                             "help_measures": measures, "helper": "区工信局"})


def _item(uscc, deadline, status="办理中", row=5) -> ListRow:
    return ListRow("问题台账", row, uscc, f"台账{uscc[-2:]}", {"uscc": uscc, "problem": "流动资金紧张",
                                                         "assigned_to": "区金融办", "deadline": deadline, "status": status})


def _pipeline(*reports, register=None, checked=True):
    return P.pipeline(PERIOD, reports, [r.county for r in reports], {}, register or {}, register_checked=checked,
                      due=DUE)


@pytest.mark.parametrize("revenue, pushed", [(2000.0, True), (1999.99, False), (2500, True), (None, False)])
def test_a_pool_firm_is_pushed_to_apply_from_2000_wan(revenue, pushed):
    w = worklist(_pipeline(P.CountyLists("天元区", "天元区.xlsx", pool=(_pool(A, revenue),))), "天元区", "天元区.xlsx")
    assert [r.uscc for r in w.push] == ([A] if pushed else [])
    assert w.stalled == () and w.empty is (not pushed)


def test_the_push_list_runs_from_the_highest_revenue():
    w = worklist(_pipeline(P.CountyLists("天元区", "天元区.xlsx", pool=(
        _pool(A, 2100, row=5), _pool(B, 2900, row=6), _pool(C, 1200, row=7), _pool(D, 2100, row=8)))),
        "天元区", "天元区.xlsx")
    assert [r.uscc for r in w.push] == [B, A, D]


def test_stalled_firms_past_their_month_in_the_register_or_in_two_pools_with_their_reasons():
    p = _pipeline(P.CountyLists("天元区", "天元区.xlsx", pool=(
        _pool(A, expected="2022-05", row=5),  # before the period: past
        _pool(B, expected="2022-06", row=6),  # the period's own month: not yet
        _pool(C, 2600, row=7),  # in the register (at the threshold too: to leave the pool, not to apply)
        _pool(D, 2200, expected="2022-01", row=8))),  # at the threshold and past: on both lists
        P.CountyLists("攸县", "攸县.xlsx", pool=(_pool(B, row=5),)), register={C: "2022-03入库"})
    w = worklist(p, "天元区", "天元区.xlsx")
    assert [(s.row.uscc, s.reasons) for s in w.stalled] == [
        (A, (f"{P.EXPECTED_PAST}（2022-05）",)), (B, (P.cross_county_flag(["天元区", "攸县"]),)),
        (C, (f"{P.IN_REGISTER}（2022-03入库）",)), (D, (f"{P.EXPECTED_PAST}（2022-01）",))]
    assert [r.uscc for r in w.push] == [D]


def test_at_risk_firms_go_on_the_list_only_with_a_finding():
    p = _pipeline(P.CountyLists("天元区", "天元区.xlsx", at_risk=(
        _risk(A, row=5), _risk(B, measures="无", row=6), _risk(C, revenue=3000, row=7), _risk(D, revenue=2999.99,
                                                                                          row=8))),
        register={A: "规划起始名录", B: "规划起始名录", C: "规划起始名录"})
    w = worklist(p, "天元区", "天元区.xlsx")
    assert [(r.uscc, r.flags) for r in w.at_risk] == [(B, (P.WITHOUT_MEASURES,)), (C, (P.OVER_CEILING,)),
                                                      (D, (P.NOT_IN_REGISTER,))]
    unchecked = _pipeline(P.CountyLists("天元区", "天元区.xlsx", at_risk=(_risk(D),)), checked=False)
    assert worklist(unchecked, "天元区", "天元区.xlsx").at_risk == ()  # "not in the register": only with the start


def test_overdue_items_most_overdue_first_never_on_the_due_day_or_done():
    p = _pipeline(P.CountyLists("天元区", "天元区.xlsx", ledger=(
        _item(A, "2022-07-07", row=5),  # 1 day
        _item(B, "2022-07-08", row=6),  # the as-of day itself: 0 days, not listed
        _item(C, "2022-05-01", "已办结", row=7),  # done: never
        _item(D, "2022-06-01", "未办结", row=8),  # 37 days
        _item(A, "2022-09-30", row=9),  # not due yet
        _item(B, "", row=10))))  # no deadline
    w = worklist(p, "天元区", "天元区.xlsx")
    assert [(i.uscc, i.overdue_days) for i in w.overdue] == [(D, 37), (A, 1)]


def test_a_county_gets_only_its_own_rows_and_one_with_nothing_to_do_gets_an_empty_list():
    p = _pipeline(P.CountyLists("天元区", "天元区.xlsx", pool=(_pool(A, 2500),), at_risk=(_risk(B, measures=""),),
                                ledger=(_item(C, "2022-06-01"),)),
                  P.CountyLists("攸县", "攸县.xlsx", pool=(_pool(D, 1500),)), checked=False)
    lists = worklists(p, {"天元区": "天元区.xlsx", "攸县": "攸县.xlsx"})
    assert [(w.county, w.file, w.items) for w in lists] == [("天元区", "天元区.xlsx", 3), ("攸县", "攸县.xlsx", 0)]
    tianyuan, youxian = lists
    assert {r.county for r in (*tianyuan.push, *tianyuan.at_risk, *tianyuan.overdue)} == {"天元区"}
    assert isinstance(youxian, Worklist) and youxian.empty and youxian.as_of == DUE
    assert worklist_name("攸县", PERIOD) == "攸县_2022-06_培育工作清单.xlsx"


def test_all_counties_at_once_are_each_county_alone():
    p = _pipeline(P.CountyLists("天元区", "天元区.xlsx", pool=(_pool(A, 2500), _pool(B, expected="2022-01", row=6)),
                                ledger=(_item(C, "2022-06-01"),)),
                  P.CountyLists("攸县", "攸县.xlsx", pool=(_pool(A, 2100),), at_risk=(_risk(D, measures=""),),
                                ledger=(_item(D, "2022-07-01"),)), checked=False)
    accepted = {"攸县": "攸县.xlsx", "天元区": "天元区.xlsx"}
    assert worklists(p, accepted) == [worklist(p, county, file) for county, file in accepted.items()]
    assert [w.items for w in worklists(p, accepted)] == [4, 4]  # 攸县: push, stalled (two pools), risk, overdue
