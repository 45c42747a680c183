"""Every rule, as a table of cases: a row as a clerk fills it -> the finding (code, cell) or none."""

import datetime as dt

import pytest

from conftest import entry, layout_sheets, valid_uscc
from toolkit.domain.findings import Level
from toolkit.services.checking import check_sheets

WRONG_CHECK = valid_uscc()[:-1] + ("0" if valid_uscc()[-1] != "0" else "1")


def findings_for(policy, **lists):
    cover = lists.pop("cover", None)
    _, findings = check_sheets(layout_sheets(lists=lists, cover=cover), "t.xlsx", policy)
    return [(f.code, f.sheet, f.cell) for f in findings]


ENTRY_CASES = [
    ({}, None),
    ({"name": None}, ("E101", "B4")),
    ({"uscc": valid_uscc()[:-1]}, ("E102", "A4")),
    ({"uscc": WRONG_CHECK}, ("E103", "A4")),
    ({"uscc": valid_uscc().lower()}, None),
    ({"uscc": " " + valid_uscc() + "　"}, None),
    ({"uscc": valid_uscc().replace("91", "92", 1)[:-1] + "0"}, ("E103", "A4")),
    ({"uscc": valid_uscc(area="430281")}, ("W105", "A4")),  # registered in 醴陵市
    ({"uscc": valid_uscc(area="430200")}, None),  # registered by the city bureau
    ({"entry_kind": "新建"}, ("E115", "C4")),
    ({"entry_kind": " 小升规 ", "entry_mode": "年度入库"}, None),
    ({"entry_mode": "年度入库"}, ("W123", "D4")),
    ({"entry_month": "2021-12"}, ("E113", "E4")),
    ({"entry_month": "2022-07"}, ("E114", "E4")),
    ({"entry_month": "7月"}, ("E112", "E4")),
    ({"entry_month": dt.date(2022, 5, 1)}, None),
    ({"industry": "5179"}, ("E109", "F4")),
    ({"industry": "331"}, ("E108", "F4")),
    ({"industry": 610.0}, None),  # 0610 typed into a number cell
    ({"industry": "0610"}, None),
    ({"revenue": "2,600.5"}, None),
    ({"revenue": "２６００．５"}, None),
    ({"revenue": "二千万"}, ("E110", "G4")),
    ({"revenue": -5}, ("E111", "G4")),
    ({"revenue": 26005000}, ("E117", "G4")),  # entered in 元
    ({"revenue": 260050}, ("W118", "G4")),  # entered in 千元
    ({"revenue": 1850}, ("W119", "G4")),
    ({"tax": 3000, "revenue": 2600}, ("W124", "H4")),
    ({"tax": 800000 * 10}, ("E117", "H4")),
    ({"employees": 12.5}, ("E128", "I4")),
    ({"employees": "60"}, None),
]


@pytest.mark.parametrize("change, expected", ENTRY_CASES)
def test_new_entry_rules(policy, change, expected):
    found = findings_for(policy, entries=[entry(**change)])
    if expected is None:
        assert found == []
    else:
        code, cell = expected
        assert (code, "新增入规企业", cell) in found


def test_duplicate_uscc_points_at_the_second_row(policy):
    found = findings_for(policy, entries=[entry(), entry(name="另一家")])
    assert found == [("E106", "新增入规企业", "A5")]


def test_blank_rows_inside_data_are_tolerated_and_rows_keep_their_addresses(policy):
    found = findings_for(policy, entries=[entry(), {}, {}, entry(uscc=valid_uscc(body="MA4L99999"), revenue=-1)])
    assert found == [("E111", "新增入规企业", "G7")]


def test_hint_explained_in_note_does_not_block(policy):
    _, findings = check_sheets(layout_sheets(lists={"entries": [entry(revenue=1850, note="上年核定收入已达标准")]}),
                               "t.xlsx", policy)
    assert [(f.code, f.explained, f.blocking) for f in findings] == [("W119", True, False)]


def test_error_is_never_explained(policy):
    _, findings = check_sheets(layout_sheets(lists={"entries": [entry(uscc=WRONG_CHECK, note="营业执照如此")]}),
                               "t.xlsx", policy)
    assert [(f.code, f.level, f.blocking) for f in findings] == [("E103", Level.ERROR, True)]


EXIT = {"uscc": valid_uscc(body="MA4L00001"), "name": "株洲某某陶瓷有限公司", "exit_month": "2022-04",
        "exit_reason": "停产", "revenue": 1500, "note": ""}


@pytest.mark.parametrize("change, expected", [
    ({}, None),
    ({"exit_reason": "倒闭"}, ("E115", "D4")),
    ({"exit_month": "2022-09"}, ("E114", "C4")),
    ({"exit_reason": None}, ("E101", "D4")),
    ({"revenue": 15000000}, ("E117", "E4")),
])
def test_exit_rules(policy, change, expected):
    found = findings_for(policy, exits=[{**EXIT, **change}])
    assert found == ([] if expected is None else [(expected[0], "退库企业", expected[1])])


POOL = {"uscc": valid_uscc(body="MA4L00002"), "name": "株洲某某塑料制品有限公司", "industry": "2929", "revenue": 1500,
        "spin_off": "否", "expected_entry": "2022-12", "measures": "上门走访", "note": ""}


@pytest.mark.parametrize("change, expected", [
    ({}, None),
    ({"revenue": 299.99}, ("E120", "D4")),  # June: year-to-date under 1000 × 6/12 × 0.6 = 300
    ({"revenue": 300}, None),
    ({"revenue": 200, "spin_off": "是"}, None),  # spin-offs of leading firms are exempt
    ({"revenue": 2300}, ("W121", "D4")),  # already above scale: 应入尽入
    ({"revenue": 15000}, ("W118", "D4")),  # 1,500万 typed in 千元
    ({"spin_off": "可能"}, ("E115", "E4")),
    ({"measures": None}, ("E101", "G4")),
    ({"expected_entry": "2023-03"}, None),  # an expected entry may be next year
])
def test_pool_rules(policy, change, expected):
    found = findings_for(policy, pool=[{**POOL, **change}])
    assert found == ([] if expected is None else [(expected[0], "重点培育企业", expected[1])])


@pytest.mark.parametrize("period, revenue, expected", [
    ("2022-02", 99.99, "E120"), ("2022-02", 100, None),  # 1–2月: 1000 × 2/12 × 0.6
    ("2022-11", 549.99, "E120"), ("2022-11", 550, None),
    ("2022-12", 999.99, "E120"), ("2022-12", 1000, None),  # the year's figure: the band itself
])
def test_the_pools_floor_follows_the_months_of_year_to_date_revenue(policy, period, revenue, expected):
    """The pool's 营业收入 is year-to-date: a firm of the band shows a fraction of 1000 万元 before December."""
    _, findings = check_sheets(layout_sheets(period=period, lists={"pool": [{**POOL, "revenue": revenue}]}), "t.xlsx",
                               policy)
    assert [f.code for f in findings if f.code == "E120"] == ([expected] if expected else [])


RISK = {"uscc": valid_uscc(body="MA4L00003"), "name": "株洲某某机械有限公司", "revenue": 2500, "risk_reason": "订单下滑",
        "help_measures": "一企一策", "helper": "区工信局", "note": ""}


@pytest.mark.parametrize("change, expected", [
    ({}, None),
    ({"revenue": 3200}, ("E122", "C4")),
    ({"revenue": 25000}, ("W118", "C4")),
    ({"risk_reason": "其它"}, ("E115", "D4")),
])
def test_at_risk_rules(policy, change, expected):
    found = findings_for(policy, at_risk=[{**RISK, **change}])
    assert found == ([] if expected is None else [(expected[0], "退规风险企业", expected[1])])


LEDGER = {"uscc": "", "name": "株洲某某机械有限公司", "problem": "续贷困难", "assigned_to": "区金融办",
          "deadline": dt.date(2022, 7, 31), "status": "办理中", "note": ""}


@pytest.mark.parametrize("change, expected", [
    ({}, None),
    ({"deadline": dt.date(2022, 5, 31)}, ("W127", "E4")),
    ({"deadline": dt.date(2022, 5, 31), "status": "已办结"}, None),
    ({"deadline": "下周"}, ("E116", "E4")),
    ({"deadline": "2022/7/31"}, None),
    ({"status": "完成"}, ("E115", "F4")),
])
def test_ledger_rules(policy, change, expected):
    found = findings_for(policy, ledger=[{**LEDGER, **change}])
    assert found == ([] if expected is None else [(expected[0], "问题台账", expected[1])])


PROJECT = {"project": "年产2万吨电池材料项目", "uscc": "", "name": None, "industry": None, "planned_month": "2022-09",
           "actual_month": None, "planned_revenue": 30000, "revenue": None, "milestone": "设备安装",
           "responsible": "天元区工信局", "note": ""}


@pytest.mark.parametrize("change, expected", [
    ({}, None),
    ({"planned_month": "2023-03"}, None),  # next year's project: planned beyond the period is its plan
    ({"planned_month": "2022-06"}, None),  # due this month: not yet late
    ({"planned_month": "2022-05"}, ("W139", "E4")),
    ({"planned_month": "2022-05", "actual_month": "2022-05"}, None),
    ({"actual_month": "2021-11", "planned_month": "2021-10", "revenue": 2500}, None),  # last year's Q4: the window
    ({"actual_month": "2022-07"}, ("E114", "F4")),
    ({"revenue": 800}, ("W140", "H4")),
    ({"actual_month": "2022-04", "revenue": 2600000}, ("E117", "H4")),  # typed in 元
    ({"industry": "5179"}, ("E109", "D4")),
    ({"uscc": valid_uscc()[:-1]}, ("E102", "B4")),
    ({"project": None}, ("E101", "A4")),
    ({"responsible": None}, ("E101", "J4")),
])
def test_project_rules(policy, change, expected):
    found = findings_for(policy, projects=[{**PROJECT, **change}])
    assert found == ([] if expected is None else [(expected[0], "重点项目", expected[1])])


FOLLOW = {"uscc": valid_uscc(body="MA4L77777"), "name": "株洲候选机械有限公司", "contacted": dt.date(2022, 6, 10),
          "applied": "已申报", "applied_on": dt.date(2022, 6, 20), "result": "跟进中", "reason": "", "note": ""}


@pytest.mark.parametrize("change, expected", [
    ({}, None),
    ({"contacted": dt.date(2022, 7, 1)}, ("E143", "C4")),
    ({"contacted": dt.date(2022, 6, 30)}, None),
    ({"applied": "未申报"}, ("W142", "E4")),
    ({"applied": None, "applied_on": None}, None),
    ({"result": "不符合条件"}, ("E141", "G4")),
    ({"result": "企业暂不申报", "reason": "企业担心统计报表负担，约定10月再谈"}, None),
    ({"result": "已入库"}, None),
    ({"result": None}, ("E101", "F4")),
    ({"result": "联系不上"}, ("E115", "F4")),
])
def test_follow_up_rules(policy, change, expected):
    found = findings_for(policy, follow_up=[{**FOLLOW, **change}])
    assert found == ([] if expected is None else [(expected[0], "应入尽入跟踪", expected[1])])


def test_cross_sheet_rules(policy):
    e = entry()
    found = findings_for(policy, entries=[e], exits=[{**EXIT, "uscc": e["uscc"]}], pool=[{**POOL, "uscc": e["uscc"]}],
                         at_risk=[{**RISK, "uscc": EXIT["uscc"]}])
    assert ("W107", "退库企业", "A4") in found  # entered and exited in the same year
    assert ("W125", "重点培育企业", "A4") in found  # entered but still in the pool
    assert ("E106", "新增入规企业", "A4") not in found


def test_exited_firm_still_at_risk(policy):
    found = findings_for(policy, exits=[EXIT], at_risk=[{**RISK, "uscc": EXIT["uscc"]}])
    assert found == [("W126", "退规风险企业", "A4")]


@pytest.mark.parametrize("cover, expected", [
    ({}, None),
    ({"phone": "0731-28888888"}, None),
    ({"phone": "138"}, ("W129", "B10")),
    ({"preparer": None}, ("E101", "B9")),
    ({"date": "昨天"}, ("E116", "B11")),
    ({"county": "芦淞区"}, ("E004", "B4")),
    ({"period": "2022-05"}, ("E008", "B5")),  # earlier than the template: a cover edited backwards
    ({"period": "2022-09"}, None),  # last period's workbook carried on, its cover brought forward: allowed
])
def test_cover_rules(policy, cover, expected):
    found = findings_for(policy, cover=cover)
    assert found == ([] if expected is None else [(expected[0], "封面", expected[1])])
