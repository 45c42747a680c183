"""A long table's rows written straight into the sheet XML (xlsx_styles.write_rows) read back exactly as the
same values written cell by cell through XlsxWriter: awkward text included (escapes, Excel's own _xHHHH_
notation, spaces at either end, control characters, bidi overrides, emoji, text longer than a cell holds)."""

from __future__ import annotations

import math

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from conftest import examples

from toolkit.adapters.xlsx_styles import new_workbook

AWKWARD = ["", " lead", "trail ", "a&b<c>d\"e", "_x0041_", "x_x00_y", "line\nbreak", "tab\there", "cr\rhere", "bell\x07",
           "\u202eRTL", "emoji 😀", "攸县工信局", "=SUM(A1)", "+1", "0012", "\ufeffbom", "\u3000全角空格",
           "x" * 40_000, "😀" * 20_000]
values = st.one_of(st.sampled_from(AWKWARD), st.text(max_size=30), st.integers(-10**9, 10**12),
                   st.floats(allow_nan=False, allow_infinity=False), st.none(), st.booleans())


def _write(path, rows, direct: bool):
    wb = new_workbook(path, title="t")
    ws = wb.add_worksheet("表")
    text = wb.add_format({"num_format": "@", "border": 1})
    wrap = wb.add_format({"text_wrap": True})
    formats = [text, None, wrap]
    ws.write_string(0, 0, "表头", text)
    if direct:
        ws.write_rows(1, rows, formats, [30.0 if i % 2 else None for i in range(len(rows))])
    else:
        for r, row in enumerate(rows, start=1):
            if r % 2 == 0:
                ws.set_row(r, 30.0)
            for c, value in enumerate(row):
                if type(value) in (int, float):
                    ws.write_number(r, c, value, formats[c])
                elif value is None or value == "":
                    ws.write_blank(r, c, None, formats[c])
                else:
                    ws.write_string(r, c, str(value), formats[c])
    wb.close()


def _read(path):
    book = openpyxl.load_workbook(path)
    sheet = book["表"]
    cells = [[(c.value, c.number_format, c.alignment.wrap_text, c.border.left.style) for c in row]
             for row in sheet.iter_rows()]
    heights = {r: d.height for r, d in sheet.row_dimensions.items() if d.height}
    return cells, heights, sheet.dimensions


@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(values, values, values), min_size=1, max_size=12))
def test_direct_rows_read_back_as_cell_by_cell(tmp_path, rows):
    _write(tmp_path / "direct.xlsx", rows, True)
    _write(tmp_path / "cells.xlsx", rows, False)
    assert _read(tmp_path / "direct.xlsx") == _read(tmp_path / "cells.xlsx")


def test_every_awkward_text_survives(tmp_path):
    rows = [(text, len(text), None) for text in AWKWARD]
    _write(tmp_path / "direct.xlsx", rows, True)
    _write(tmp_path / "cells.xlsx", rows, False)
    direct, cells = _read(tmp_path / "direct.xlsx"), _read(tmp_path / "cells.xlsx")
    assert direct == cells
    assert direct[0][5][0][0] == "_x0041_" and direct[0][2][0][0] == " lead"  # kept, not decoded or trimmed


def test_a_number_no_cell_can_hold_and_a_cell_among_the_rows_are_refused(tmp_path):
    wb = new_workbook(tmp_path / "x.xlsx", title="t")
    ws = wb.add_worksheet("表")
    with pytest.raises(ValueError):
        ws.write_rows(1, [(math.nan,)], [None])
    ws2 = wb.add_worksheet("表2")
    ws2.write_rows(1, [("a",), ("b",)], [None])
    with pytest.raises(ValueError):
        ws2.write_string(2, 0, "among the rows")


def test_fast_workbooks_are_deflated_at_the_fast_level_and_others_are_left_alone(tmp_path):
    """Every member of a ``fast`` workbook is deflated at ZIP_LEVEL (byte for byte what zlib makes at that level),
    others at the default; XlsxWriter's own ZipFile is back as it was afterwards, even when packing fails."""
    import zipfile
    import zlib

    import xlsxwriter.workbook

    from toolkit.adapters import xlsx_styles

    def deflated(fast: bool, level: int) -> tuple[int, int]:
        path = tmp_path / f"{fast}.xlsx"
        wb = new_workbook(path, title="t", fast=fast)
        ws = wb.add_worksheet("表")
        ws.write_rows(0, [(f"企业{n}", n * 1.5, "株洲" * (n % 7)) for n in range(3000)], [None, None, None])
        wb.close()
        with zipfile.ZipFile(path) as archive:
            part = archive.getinfo("xl/worksheets/sheet1.xml")
            data = archive.read(part)
        assert part.compress_type == zipfile.ZIP_DEFLATED
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return part.compress_size, len(packer.compress(data) + packer.flush())

    fast, expected = deflated(True, xlsx_styles.ZIP_LEVEL)
    assert fast == expected
    default, expected = deflated(False, 6)
    assert default == expected and default < fast
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
    broken = new_workbook(tmp_path / "无此文件夹" / "坏.xlsx", title="t", fast=True)
    broken.add_worksheet("表")
    with pytest.raises(Exception):
        broken.close()
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile


FORMULA_PARTS = ["SUM(", "SUMIF(", "IF(", "N(", "ISNUMBER(", "RANK(", "FILTER(", "XLOOKUP(", "SINGLE(", "xSINGLE(",
                 "A.FILTER(", "_FILTER(", "filter(", "FILTER (", "ACOT(", "RANK.EQ(", "_xlfn.SUM(", "A1", "B$2:C9", ",",
                 ")", '"SORT("', "+", "*", " ", "{", "}", "=", "MAP(", "LET(", "CONCAT(", "T(", "SUM2("]


@settings(max_examples=examples(500), deadline=None)
@given(parts=st.lists(st.sampled_from(FORMULA_PARTS), max_size=12), future=st.booleans(),
       expand=st.booleans())
def test_formulas_are_prepared_as_xlsxwriter_prepares_them(tmp_path_factory, parts, future, expand):
    """The shortcut for formulas calling classic functions only gives what XlsxWriter's own preparation gives,
    on any formula (functions it rewrites, names that merely contain one, braces, strings)."""
    import xlsxwriter.worksheet

    wb = new_workbook(tmp_path_factory.mktemp("f") / "f.xlsx", title="t")
    ws = wb.add_worksheet("表")
    ws.use_future_functions = future
    formula = "".join(parts)
    assert ws._prepare_formula(formula, expand) == \
        xlsxwriter.worksheet.Worksheet._prepare_formula(ws, formula, expand)


def test_the_formulas_we_write_take_the_shortcut():
    """Every function our workbooks' formulas call is a classic one (else the shortcut would be dead code)."""
    import re
    from pathlib import Path

    from toolkit.adapters.xlsx_styles import CLASSIC_FUNCTIONS

    source = Path(__file__).resolve().parents[2] / "toolkit" / "adapters"
    calls = [call for path in source.glob("*.py")
             for call in path.read_text(encoding="utf-8").split("write_formula(")[1:]]
    called = {name for call in calls for name in re.findall(r"([A-Z][A-Z0-9.]*)\(", call[:300])}  # over lines too
    assert {"SUM", "IF", "ISNUMBER", "SUMIF", "NA", "RANK", "N"} <= called <= CLASSIC_FUNCTIONS
