"""The check runs the list rules over whole columns (report_columns); while the row-by-row rules exist beside
it (report_rules.check_report_by_row), both must give exactly the same findings, in the same order, on any
workbook: random rows near every threshold, codes valid, misspelt, repeated or from another area."""

from __future__ import annotations

import datetime as dt
from functools import partial
from unittest.mock import patch

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import entry, examples, layout_sheets, valid_uscc
from toolkit.domain import report_parsing
from toolkit.domain import report_schema as S
from toolkit.domain.report_columns import check_report, duplicates, plain_usccs
from toolkit.domain.report_parsing import parse_report
from toolkit.domain.report_rules import check_report_by_row, duplicate_usccs
from toolkit.domain.uscc import ALPHABET, check_uscc, with_check_character

codes = st.one_of(
    st.sampled_from([valid_uscc(), valid_uscc(body="MA4L54321"), valid_uscc(area="430281"), valid_uscc(area="430200"),
                     valid_uscc()[:-1] + "0", valid_uscc()[:-2], valid_uscc().replace("91", "92", 1),
                     valid_uscc().lower(), with_check_character("92430211MA4L12345"), "91430211MA4L1234５", "9143021IMA4L12345", "", None, 91430211123456789.0]),
    st.text(alphabet=ALPHABET + "IOSVZ.", min_size=17, max_size=19),
    st.builds(lambda body: with_check_character("91430211" + body), st.text(alphabet=ALPHABET, min_size=9, max_size=9)),
)
amounts = st.one_of(st.none(), st.sampled_from([0, 999.99, 1000, 1999.99, 2000, 2999.99, 3000, 100000, 100000.01,
                                                999999.99, 1000000, 26005000, 260050, -5, "二千万", "2,600.5"]),
                    st.floats(min_value=0, max_value=2e6, allow_nan=False))
months = st.one_of(st.none(), st.sampled_from(["2021-12", "2022-01", "2022-06", "2022-07", "2023-01", "7月", 2022.1]),
                   st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2023, 12, 31)))
industries = st.one_of(st.none(), st.sampled_from(["3484", "0610", 610.0, "5179", "331", "0510", "4690", "4710",
                                                   "１２３４", "34a4", "06100"]))
kinds = st.sampled_from([*S.ENTRY_KINDS, "新建", None])
modes = st.sampled_from(["月度入库", "年度入库", None, "季度"])
notes = st.sampled_from(["", "已核实", None])
WRONG_CHECK = valid_uscc()[:-1] + ("0" if valid_uscc()[-1] != "0" else "1")


def _rows(**columns):
    return st.lists(st.fixed_dictionaries(columns), max_size=8)


entry_rows = _rows(uscc=codes, name=st.sampled_from(["株洲恒达精密机械有限公司", "", None]), entry_kind=kinds,
                   entry_mode=modes, entry_month=months, industry=industries, revenue=amounts, tax=amounts,
                   employees=st.sampled_from([60, 12.5, None]), note=notes)
exit_rows = _rows(uscc=codes, name=st.just("株洲旧厂有限公司"), exit_month=months,
                  exit_reason=st.sampled_from([*S.CODE_LISTS["exit_reason"], None]), revenue=amounts, note=notes)
pool_rows = _rows(uscc=codes, name=st.just("株洲培育企业有限公司"), industry=industries, revenue=amounts,
                  spin_off=st.sampled_from(["是", "否", None]), expected_entry=months, measures=st.just("服务指导"),
                  note=notes)
at_risk_rows = _rows(uscc=codes, name=st.just("株洲风险企业有限公司"), revenue=amounts,
                     risk_reason=st.sampled_from([*S.CODE_LISTS["risk_reason"], None]), help_measures=st.just("一企一策"),
                     note=notes)
ledger_rows = _rows(name=st.just("株洲台账企业有限公司"), uscc=codes, problem=st.just("用地"), assigned_to=st.just("自然资源局"),
                    deadline=st.one_of(st.none(), st.dates(min_value=dt.date(2022, 5, 1), max_value=dt.date(2022, 8, 1))),
                    status=st.sampled_from([*S.LEDGER_STATUSES, None]))

days = st.one_of(st.none(), st.dates(min_value=dt.date(2022, 5, 1), max_value=dt.date(2022, 8, 1)))
project_rows = _rows(project=st.just("年产1万吨新材料项目"), uscc=codes, name=st.sampled_from(["株洲新材料有限公司", None]),
                     industry=industries, planned_month=months, actual_month=months, planned_revenue=amounts,
                     revenue=amounts, milestone=st.just("设备安装"), responsible=st.just("园区"), note=notes)
follow_rows = _rows(uscc=codes, name=st.just("株洲候选企业有限公司"), contacted=days,
                    applied=st.sampled_from([*S.APPLIED, None]), applied_on=days,
                    result=st.sampled_from([*S.FOLLOW_RESULTS, None]), reason=st.sampled_from(["", "营收未达", None]),
                    note=notes)


def _shared(lists: dict, data) -> dict:
    """Some codes repeated within a sheet and across sheets (E106, W107, W125, W126)."""
    pool = [r["uscc"] for rows in lists.values() for r in rows if r.get("uscc")]
    if pool:
        for rows in lists.values():
            for row in rows:
                if data.draw(st.booleans()):
                    row["uscc"] = data.draw(st.sampled_from(pool))
    return lists


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=entry_rows, exits=exit_rows, pool=pool_rows, at_risk=at_risk_rows, ledger=ledger_rows,
       projects=project_rows, follow_up=follow_rows, phone=st.sampled_from(["0731-22881234", "电话", "", None]),
       data=st.data())
def test_columnar_and_row_by_row_rules_agree(policy, entries, exits, pool, at_risk, ledger, projects, follow_up, phone,
                                             data):
    lists = _shared({"entries": [entry(), *entries], "exits": exits, "pool": pool, "at_risk": at_risk,
                     "ledger": ledger, "projects": projects, "follow_up": follow_up}, data)
    report, parsed = parse_report(layout_sheets(lists=lists, cover={"phone": phone}), "p.xlsx", policy)
    assert report.county == "天元区" and report.period is not None
    by_row = check_report_by_row(report, policy)
    assert check_report(report, policy) == by_row


def test_agreement_covers_every_list_rule(policy):
    # the property's strategies reach every rule: one workbook with a finding of each list code
    rows = {"entries": [entry(uscc=WRONG_CHECK), entry(uscc=valid_uscc(area="430281")), entry(uscc=valid_uscc()[:-2]),
                        entry(uscc=with_check_character("92430211MA4L12345")), entry(industry="5179"),
                        entry(industry="331"), entry(entry_month="2022-07"), entry(entry_month="2021-12"),
                        entry(revenue=26005000), entry(revenue=260050), entry(revenue=1850),
                        entry(tax=3000, revenue=2600), entry(entry_mode="年度入库"),
                        entry(uscc=valid_uscc(body="MA4L00001")), entry(uscc=valid_uscc(body="MA4L00001"))],
            "exits": [{"uscc": valid_uscc(body="MA4L00001"), "name": "甲", "exit_month": "2022-07",
                       "exit_reason": S.CODE_LISTS["exit_reason"][0], "revenue": 26005000}],
            "pool": [{"uscc": valid_uscc(body="MA4L00001"), "name": "乙", "industry": "3484", "revenue": 290,
                      "measures": "服务"},
                     {"uscc": valid_uscc(body="MA4L00002"), "name": "丙", "industry": "3484", "revenue": 2500,
                      "measures": "服务"}],
            "at_risk": [{"uscc": valid_uscc(body="MA4L00001"), "name": "丁", "revenue": 3500,
                         "risk_reason": S.CODE_LISTS["risk_reason"][0], "help_measures": "帮扶"}],
            "ledger": [{"name": "戊", "problem": "用地", "assigned_to": "局", "deadline": dt.date(2022, 5, 1),
                        "status": "未办结"}],
            "projects": [{"project": "甲项目", "planned_month": "2022-03", "planned_revenue": 5000, "revenue": 800,
                          "milestone": "试生产", "responsible": "园区"},
                         {"project": "乙项目", "planned_month": "2022-05", "actual_month": "2022-07",
                          "planned_revenue": 5000, "milestone": "已投产", "responsible": "园区"}],
            "follow_up": [{"uscc": valid_uscc(body="MA4L00003"), "name": "己", "contacted": dt.date(2022, 7, 2),
                           "applied_on": dt.date(2022, 6, 20), "result": "不符合条件"}]}
    report, _ = parse_report(layout_sheets(lists=rows), "p.xlsx", policy)
    columnar = check_report(report, policy)
    assert columnar == check_report_by_row(report, policy)
    assert {f.code for f in columnar} >= {"E102", "E103", "E104", "W105", "E106", "W107", "E108", "E109", "E113",
                                          "E114", "E117", "W118", "W119", "E120", "W121", "E122", "W123", "W124",
                                          "W125", "W126", "W127", "W139", "W140", "E141", "W142", "E143"}


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(codes.filter(lambda c: isinstance(c, str)), max_size=12))
def test_a_code_passed_as_plain_is_valid(column):
    # the columnar test may only ever wave through a code the row's own rule accepts
    for code, plain in zip(column, plain_usccs(column).tolist()):
        if plain:
            assert check_uscc(code) is None


def test_duplicates_name_the_first_row(policy):
    rows = [entry(uscc=valid_uscc(body=f"MA4L0000{i % 3}")) for i in range(7)]
    report, _ = parse_report(layout_sheets(lists={"entries": rows}), "p.xlsx", policy)
    records = report.records("entries")
    found = duplicates(records)
    assert found == duplicate_usccs(records)
    assert [(f.code, f.row) for f in found] == [("E106", 7), ("E106", 8), ("E106", 9), ("E106", 10)]
    assert isinstance(plain_usccs([]), np.ndarray)


ODD_CELLS = st.sampled_from([None, "", " ", "\u3000", "\u2000", float("nan"), " 株洲 ", "株洲\n机械", "x\x07y", "a" * 600,
                             12.0, -3.0, 0.0, 7.5, "12", "２０２２-06", "2022年6月", dt.datetime(2022, 6, 1), True,
                             "月度入库", " 月度入库", "是", "否 ", "91430211MA4L12345x", S.EXAMPLE_USCC,
                             S.EXAMPLE_MARK + "株洲某公司", S.EXAMPLE_NOTE, 3484.0, "3484"])


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=entry_rows, exits=exit_rows, pool=pool_rows, at_risk=at_risk_rows, ledger=ledger_rows, data=st.data())
def test_parsing_a_column_at_a_time_agrees_with_cell_by_cell(policy, entries, exits, pool, at_risk, ledger, data):
    """Each list is typed a column at a time where the common case decides; the same sheets sent cell by cell
    through convert() and the blank rules give the same records (values, cells as typed, rows) and findings."""
    lists = {"entries": [entry(), *entries], "exits": exits, "pool": pool, "at_risk": at_risk, "ledger": ledger}
    for rows in lists.values():
        for row in rows:
            for key in list(row):
                if data.draw(st.integers(0, 4)) == 0:
                    row[key] = data.draw(ODD_CELLS)
    sheets = layout_sheets(lists=lists)
    by_column = parse_report(sheets, "p.xlsx", policy)
    with patch.object(report_parsing, "_parse_list", partial(report_parsing._parse_list, by_column=False)):
        by_cell = parse_report(sheets, "p.xlsx", policy)
    assert by_column[1] == by_cell[1]
    assert {key: [(r.sheet, r.row, r.values, r.raw, r.columns) for r in records]
            for key, records in by_column[0].lists.items()} == \
           {key: [(r.sheet, r.row, r.values, r.raw, r.columns) for r in records]
            for key, records in by_cell[0].lists.items()}
