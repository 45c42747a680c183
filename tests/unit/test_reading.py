"""Reading what clerks actually send, and refusing what is someone else's workbook."""

import pytest

from conftest import entry, layout_sheets
from toolkit.domain import report_schema as S
from toolkit.domain.periods import Period
from toolkit.domain.stamp import STAMP_SHEET, FileKind
from toolkit.services.checking import check_sheets


def codes(findings):
    return [(f.code, f.sheet, f.cell) for f in findings]


def test_extra_column_at_the_right_is_ignored(policy):
    sheets = layout_sheets(lists={"entries": [entry()]})
    rows = sheets["新增入规企业"]
    rows[2].append("联系人")
    rows[3].append("张三")
    report, findings = check_sheets(sheets, "t.xlsx", policy)
    assert findings == [] and len(report.records("entries")) == 1


def test_columns_found_by_alias_and_loose_header(policy):
    sheets = layout_sheets(lists={"entries": [entry()]})
    header = sheets["新增入规企业"][2]
    header[0] = " 信用代码 "
    header[6] = "主营业务收入(万元)"  # half-width brackets
    report, findings = check_sheets(sheets, "t.xlsx", policy)
    assert findings == [] and report.records("entries")[0].values["revenue"] == 2600.5


def test_records_remember_their_source(policy):
    report, _ = check_sheets(layout_sheets(lists={"entries": [entry(), {}, entry(uscc=None, name="x")]}), "f.xlsx", policy)
    rows = [(r.sheet, r.row) for r in report.records("entries")]
    assert rows == [("新增入规企业", 4), ("新增入规企业", 6)]
    assert report.file == "f.xlsx"


def test_county_alias_on_the_cover(policy):
    sheets = layout_sheets(county="攸县", cover={"county": "攸 县"},
                           lists={"entries": [entry(uscc=__import__("conftest").valid_uscc(area="430223"))]})
    report, findings = check_sheets(sheets, "t.xlsx", policy)
    assert report.county == "攸县" and findings == []


@pytest.mark.parametrize("mutate, expected", [
    (lambda s: s.pop(STAMP_SHEET), ("E001", "", "")),
    (lambda s: s.update({STAMP_SHEET: layout_sheets(version="2021.9")[STAMP_SHEET]}), ("E002", "", "")),
    (lambda s: s.update({STAMP_SHEET: layout_sheets(kind=FileKind.MARKED)[STAMP_SHEET]}), ("E003", "", "")),
    (lambda s: s.update({STAMP_SHEET: layout_sheets(kind=FileKind.RESULTS)[STAMP_SHEET]}), ("E003", "", "")),
    (lambda s: s.update({STAMP_SHEET: layout_sheets(county="长沙县")[STAMP_SHEET]}), ("E004", "", "")),
    (lambda s: s.pop("退库企业"), ("E006", "退库企业", "")),
    (lambda s: s.pop("重点项目"), ("E006", "重点项目", "")),  # the current template has it
    (lambda s: s.pop("应入尽入跟踪"), ("E006", "应入尽入跟踪", "")),
    (lambda s: s["新增入规企业"][2].__setitem__(2, "类型"), ("E007", "新增入规企业", "")),
])
def test_refusals(policy, mutate, expected):
    sheets = layout_sheets(lists={"entries": [entry()]})
    mutate(sheets)
    _, findings = check_sheets(sheets, "t.xlsx", policy)
    assert expected in codes(findings)


def test_last_versions_template_is_read_without_the_sheets_added_since(policy):
    sheets = layout_sheets(version="2022.1", lists={"entries": [entry()]})
    for name in ("重点项目", "应入尽入跟踪"):
        sheets.pop(name)
    report, findings = check_sheets(sheets, "t.xlsx", policy)
    assert findings == [] and len(report.records("entries")) == 1 and report.records("projects") == []
    assert [s.key for s in S.sheets_of("2022.1")] == ["entries", "exits", "pool", "at_risk", "ledger"]
    assert [s.key for s in S.sheets_of(S.SCHEMA_VERSION)][-2:] == ["projects", "follow_up"]


def test_expected_county_and_period(policy):
    sheets = layout_sheets(lists={"entries": [entry()]})
    _, findings = check_sheets(sheets, "t.xlsx", policy, expect_county="芦淞区", expect_period=Period(2022, 3))
    assert {f.code for f in findings} == {"E004", "E005"}


def test_the_period_is_the_covers_and_a_workbook_of_another_period_says_which_is_due(policy):
    sheets = layout_sheets(period="2022-03", cover={"period": "2022-03"}, lists={"entries": [entry(entry_month="2022-02")]})
    report, findings = check_sheets(sheets, "t.xlsx", policy, expect_period=Period(2022, 6))
    (wrong,) = [f for f in findings if f.code == "E005"]
    assert wrong.message.startswith("这是 2022年1-3月 的报表，本期应报 2022年1-6月：") and "改为 2022-06" in wrong.message
    assert wrong.cell == "B5"  # points at the cover's 报送期
    carried = layout_sheets(period="2022-03", cover={"period": "2022-06"}, lists={"entries": [entry(entry_month="2022-05")]})
    report, findings = check_sheets(carried, "t.xlsx", policy, expect_period=Period(2022, 6))
    assert report.period == Period(2022, 6) and findings == []  # reused and brought forward: it reports 2022-06


def test_the_messages_say_what_to_do(policy):
    sheets = layout_sheets(lists={"entries": [entry(revenue=26005000)]})
    _, findings = check_sheets(sheets, "t.xlsx", policy)
    (finding,) = findings
    assert "元" in finding.message and "2,600.5 万元" in finding.message and "换算为万元" in finding.message
    assert finding.column == "主营业务收入（万元）" and finding.value == "26,005,000"


def test_schema_columns_are_unique():
    for spec in S.LIST_SHEETS:
        keys = [c.key for c in spec.columns]
        assert len(keys) == len(set(keys)), spec.name
        headers = [c.header for c in spec.columns]
        assert len(headers) == len(set(headers)), spec.name


def test_openpyxl_parses_with_defusedxml():
    """The marked copy opens a county's file with openpyxl: its XML parsing must go through defusedxml."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
