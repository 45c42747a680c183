"""The template workbook: structure, protection, formats, dropdowns and Excel's formula rules."""

import re

import openpyxl
import pytest

from toolkit.adapters import live_checks as LC
from toolkit.adapters.workbook_file import read_sheets
from toolkit.domain import report_schema as S
from toolkit.domain.periods import Period
from toolkit.domain.stamp import STAMP_SHEET, FileKind, Stamp
from toolkit.services.templates import make_templates


@pytest.fixture(scope="module")
def template(tmp_path_factory, policy):
    out = tmp_path_factory.mktemp("tpl")
    (path,) = make_templates(policy, Period(2022, 6), [policy.find_county("天元区")], out)
    return path


def test_named_for_the_clerk(template):
    assert template.name == "天元区_2022-06_规上工业企业报表.xlsx"


def test_sheets_cover_and_stamp(template):
    sheets = read_sheets(template)
    assert list(sheets)[:8] == [S.COVER_SHEET, *(s.name for s in S.LIST_SHEETS)]
    stamp = Stamp.from_rows(sheets[STAMP_SHEET])
    assert (stamp.kind, stamp.county, stamp.period, stamp.schema_version) == (
        FileKind.TEMPLATE, "天元区", "2022-06", S.SCHEMA_VERSION)
    cover = {row[0]: row[1] for row in sheets[S.COVER_SHEET] if row and row[0]}
    assert cover["县市区"] == "天元区" and cover["报送期"] == "2022-06"
    assert cover["本年新增目标（家）"] == 50  # the annex's 2022 target for 天元区
    assert "本年累计" in sheets[S.COVER_SHEET][1][0]


def test_protection_visibility_and_layout(template):
    wb = openpyxl.load_workbook(template)
    assert wb[STAMP_SHEET].sheet_state == "veryHidden" and wb[LC.HELPER_SHEET].sheet_state == "hidden"
    for spec in S.LIST_SHEETS:
        ws = wb[spec.name]
        assert ws.protection.sheet and not ws.protection.password  # protected, no password needed to fill
        assert ws.freeze_panes == "C5"  # the headers and the example row stay in view
        headers = [ws.cell(S.HEADER_ROW, i + 1).value for i in range(len(spec.columns))]
        assert headers == [c.header for c in spec.columns]
        assert ws.cell(S.HEADER_ROW, 1).protection.locked  # headers protected
        assert all(ws.cell(S.HEADER_ROW, i + 1).comment is not None for i in range(len(spec.columns)))


def test_text_and_number_formats(template):
    wb = openpyxl.load_workbook(template)
    ws = wb["新增入规企业"]
    styles = {c.key: ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)] for i, c in
              enumerate(S.ENTRIES.columns)}
    # column formats live in the column definitions written by XlsxWriter
    import zipfile
    xml = zipfile.ZipFile(template).read("xl/styles.xml").decode()
    assert 'formatCode="@"' in xml and 'formatCode="#,##0.00"' in xml
    assert 'locked="0"' in xml  # the input columns are unlocked: filling needs no password
    assert styles["uscc"].width and styles["revenue"].width


def test_dropdowns_point_at_defined_names(template):
    wb = openpyxl.load_workbook(template)
    names = set(wb.defined_names.keys())
    for key in (*S.CODE_LISTS, S.MONTH_LIST):
        assert f"L_{key.upper()}" in names
    sources = {dv.formula1 for dv in wb["新增入规企业"].data_validations.dataValidation if dv.type == "list"}
    assert sources == {"L_ENTRY_KIND", "L_ENTRY_MODE", "L_MONTHS"}
    months = read_sheets_months(template)
    assert months == [f"2022-{m:02d}" for m in range(1, 7)]


def read_sheets_months(path):
    rows = read_sheets(path)[LC.HELPER_SHEET]
    col = rows[0].index(S.MONTH_LIST)
    return [r[col] for r in rows[1:] if col < len(r) and r[col]]


_ARRAY_CONSTANT = re.compile(r"\{[^}]*\}")
_INTERSECTION = re.compile(r"\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?\s+\$?[A-Z]{1,3}\$?\d+")
_UNION = re.compile(r"(?<![A-Za-z0-9_.])\(\s*\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?\s*,\s*\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?\s*\)")


def _formulas(template):
    wb = openpyxl.load_workbook(template)
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            for formula in (dv.formula1, dv.formula2):
                if formula:
                    yield "validation", ws.title, formula
        for rng in ws.conditional_formatting:
            for rule in rng.rules:
                for formula in rule.formula:
                    yield "conditional", ws.title, formula


def test_no_formula_breaks_excels_rules(template):
    seen = list(_formulas(template))
    assert len(seen) > 20
    for where, sheet, formula in seen:
        assert not _ARRAY_CONSTANT.search(formula), (sheet, formula)
        assert not _INTERSECTION.search(formula), (sheet, formula)
        assert not _UNION.search(formula), (sheet, formula)
        if where == "validation":
            assert len(formula) <= LC.MAX_VALIDATION_FORMULA, (sheet, len(formula), formula)


def test_live_checks_cover_what_the_issue_asks(template):
    kinds = " ".join(f for _, _, f in _formulas(template))
    assert "USCC_WEIGHTS" in kinds  # the check character
    assert "COUNTIF(" in kinds  # duplicates in the column
    assert "COUNTA(" in kinds  # a required cell empty in a started row
    assert "ISNUMBER(G5),G5<2000" in kinds  # a new entry's revenue below the threshold


def test_guidance_prints_on_the_sheets_not_only_in_notes(template):
    """#19: what each column takes is on a printed sheet, with an example; the cover says when, how and to
    whom to report and has a line to sign and seal; the lists print every row a county adds."""
    from toolkit.adapters.county_workbook import GUIDE_SHEET
    from toolkit.domain.report_schema import EXAMPLE_USCC
    from toolkit.domain.uscc import check_uscc

    wb = openpyxl.load_workbook(template)
    guide = [row for row in wb[GUIDE_SHEET].iter_rows(min_row=4, values_only=True) if row[0]]
    assert [(r[0], r[1]) for r in guide] == [(spec.name, c.header) for spec in S.LIST_SHEETS for c in spec.columns]
    assert all(r[2] == ("必填" if c.required else "选填")
               for r, c in zip(guide, [c for spec in S.LIST_SHEETS for c in spec.columns]))
    kinds = {r[1]: r[4] for r in guide if r[0] == "新增入规企业"}
    assert kinds["入规类型"] == "新建投产" and kinds["统一社会信用代码"] == EXAMPLE_USCC
    assert check_uscc(EXAMPLE_USCC) is None  # an example that would itself pass
    cover = [str(v) for row in wb[S.COVER_SHEET].iter_rows(values_only=True) for v in row if v]
    assert any(t.startswith("2022年7月8日前报送") for t in cover)  # the 报送日历's due date
    assert any("以电子邮件发送至" in t for t in cover) and "市里联系人" in cover
    assert any(t.startswith("单位负责人（签字）") and "（单位盖章）" in t for t in cover)
    for spec in S.LIST_SHEETS:
        ws = wb[spec.name]
        assert not ws.print_area and ws.print_title_rows  # grows with the rows; headers on every page
        assert "必填" in str(ws.cell(2, 1).value)  # the legend above the headers


def test_the_example_row_is_shown_and_never_read(template, policy, tmp_path):
    """#19: each list starts with a grey example row the reader ignores, even after a sort; a row that is half
    the example (a clerk typed over the name but not the code) is named (E138), neither counted nor dropped unseen."""
    from toolkit.services.checking import check_file
    from conftest import valid_uscc

    wb = openpyxl.load_workbook(template)
    for spec in S.LIST_SHEETS:
        ws = wb[spec.name]
        example = [ws.cell(S.EXAMPLE_ROW, i + 1).value for i in range(len(spec.columns))]
        assert str(example[spec.index("name")]).startswith(S.EXAMPLE_MARK)
        assert ws.cell(S.EXAMPLE_ROW, 1).font.i and not ws.cell(S.EXAMPLE_ROW, 1).protection.locked
        assert f"第{S.EXAMPLE_ROW}行是填写示例" in str(ws.cell(2, 1).value)
    untouched = check_file(template, policy)
    assert untouched.report is not None and all(not untouched.report.lists.get(s.key) for s in S.LIST_SHEETS)
    assert not [f for f in untouched.findings if f.sheet != S.COVER_SHEET]

    entries = wb["新增入规企业"]
    firm = [valid_uscc(), "株洲恒达精密机械有限公司", "新建投产", "月度入库", "2022-03", "3311", 2300, 12, 40, None]
    for col, value in enumerate(firm, start=1):  # the firm below the example, the example moved under it (a sort)
        entries.cell(S.EXAMPLE_ROW, col).value, entries.cell(S.FIRST_DATA_ROW, col).value = (
            value, entries.cell(S.EXAMPLE_ROW, col).value)
    pool = wb["重点培育企业"]
    pool.cell(S.EXAMPLE_ROW, 2).value = "株洲新材料科技有限公司"  # the name typed over, the example's code left
    risk = wb["退规风险企业"]  # a firm typed over the example, its 说明 left: the example's other values may linger
    risk.cell(S.EXAMPLE_ROW, 1).value, risk.cell(S.EXAMPLE_ROW, 2).value = valid_uscc(body="MA4L99999"), "株洲某某公司"
    edited = tmp_path / template.name
    wb.save(edited)
    check = check_file(edited, policy)
    assert [r.values["uscc"] for r in check.report.lists["entries"]] == [firm[0]]
    assert not check.report.lists["pool"] and not check.report.lists["at_risk"]
    half, rewritten = sorted((f for f in check.findings if f.code == "E138"), key=lambda f: f.sheet != "重点培育企业")
    assert (half.sheet, half.cell) == ("重点培育企业", f"A{S.EXAMPLE_ROW}") and "株洲新材料科技有限公司" in half.message
    assert "部分改动" in half.message and "本行未计入" in half.message
    assert rewritten.sheet == "退规风险企业" and "在示例行上改写" in rewritten.message
