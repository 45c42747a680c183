"""One look for every workbook we write (XlsxWriter): fonts, fills and number formats."""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
import zipfile
from pathlib import Path
from typing import Iterable, Sequence

import xlsxwriter
import xlsxwriter.workbook
import xlsxwriter.worksheet
from xlsxwriter.utility import xl_col_to_name

from toolkit.domain.stamp import STAMP_SHEET, Stamp
from toolkit.domain.text import cell_text

FONT = "宋体"
ERROR_FILL = "#FFC7CE"  # 错误: light red, as Excel's own "bad" style
ERROR_FONT = "#9C0006"
HINT_FILL = "#FFEB9C"  # 提示: light amber
HINT_FONT = "#9C5700"
EXAMPLE_FONT = "#7F7F7F"  # the template's example row: grey italics, legible in black-and-white print
HEADER_FILL = "#DDEBF7"
REQUIRED_HEADER_FILL = "#BDD7EE"
LOCKED_FILL = "#F2F2F2"
LINE_POINTS = 15.0  # one line of the 11-point body text (Excel's own row is 14.25)
MAX_ROW_POINTS = 409.0  # the tallest row Excel allows


def text_columns(text: str) -> int:
    """Excel width units the text needs: a CJK character takes two (as in 宋体), a Latin one one.
    (From the UTF-8 length: a CJK character is three bytes; this runs for every wrapped cell.)"""
    size = len(text)
    return size + (len(text.encode("utf-8", "surrogatepass")) - size) // 2


def wrapped_height(cells) -> float | None:
    """The row height that shows each wrapped cell, given as (text, column width), whole; None when
    one line does. The height is written into the file: LibreOffice and WPS do not grow a row for
    wrapped text on opening, so without it the lines of a long message are drawn over each other."""
    lines = 1
    for text, width in cells:
        usable = max(width - 1, 1)
        if len(text) * 2 <= usable and "\n" not in text:
            continue  # certainly one line: the common case, decided without measuring
        lines = max(lines, sum(max(1, -(-text_columns(part) // usable)) for part in text.split("\n")))
    return None if lines == 1 else min(MAX_ROW_POINTS, lines * LINE_POINTS)


# text that can go into a cell's XML as it is (inline): nothing to escape (XML or Excel's _xHHHH_, which not every
# reader decodes in inline text), no white space to keep at either end, nothing cell_text would change, short
_NOT_PLAIN = re.compile("[\x00-\x1f\x7f&<>\"\ufffe\uffff\u202a-\u202e\u2066-\u2069\ud800-\udfff]|_x|^\\s|\\s$")
_PLAIN_LENGTH = 8000


# worksheet functions that are neither dynamic-array nor "future" functions (none of XlsxWriter's prefixes): a
# formula calling only these is left by XlsxWriter's preparation as it was, bar its "=" and braces
CLASSIC_FUNCTIONS = frozenset({
    "ABS", "AND", "AVERAGE", "COUNT", "COUNTA", "COUNTIF", "COUNTIFS", "DATE", "IF", "IFERROR", "INDEX", "ISBLANK",
    "ISNA", "ISNUMBER", "LEFT", "LEN", "MATCH", "MAX", "MID", "MIN", "MONTH", "N", "NA", "NOT", "OR", "RANK", "RIGHT",
    "ROUND", "SUM", "SUMIF", "SUMIFS", "SUMPRODUCT", "TEXT", "TODAY", "TRIM", "VALUE", "VLOOKUP", "YEAR"})
_FUNCTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*(?=\s*\()")  # every name a "(" follows, as written


class _TextSafeWorksheet(xlsxwriter.worksheet.Worksheet):
    """Every string any writer puts in a cell passes here: characters XML cannot carry are made visible
    and text beyond what a cell holds is cut with a note (instead of a file Excel must repair).

    ``write_rows`` writes a long table's rows straight into the sheet's XML (XlsxWriter keeps an object per
    cell and spends some microseconds on each: most of a province's summary)."""

    def __init__(self):
        super().__init__()
        self._bulk: list[str] = []  # rendered <row> elements, written after XlsxWriter's own rows
        self._bulk_from: int | None = None  # 0-based first row written by write_rows

    def _write_string(self, row, col, string, cell_format=None):
        if self._bulk_from is not None and row >= self._bulk_from:
            raise ValueError(f"row {row + 1} of {self.name} was written by write_rows")
        return super()._write_string(row, col, cell_text(string), cell_format)

    def _prepare_formula(self, formula, expand_future_functions=False):
        """XlsxWriter's preparation tries some thirty regular-expression substitutions on every formula (half a
        second for a national overview's 23,000); a formula calling classic functions only is merely stripped of
        its "=" and array braces, as that preparation would leave it. Anything else goes through XlsxWriter's own
        (tests/integration/test_direct_rows.py holds the two together on random formulas)."""
        if self.use_future_functions or expand_future_functions \
                or not CLASSIC_FUNCTIONS.issuperset(_FUNCTION_NAME.findall(formula)):
            return super()._prepare_formula(formula, expand_future_functions)
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula

    def write_rows(self, first_row: int, rows: Iterable[Sequence], formats: Sequence,
                   heights: Sequence[float | None] | None = None) -> int:
        """Write ``rows`` (tuples of str, int, float or None) from 0-based ``first_row`` down, column ``i`` in
        ``formats[i]``: the same cells as write_string / write_number / write_blank (text always as text; an empty
        string or None a formatted blank), with ``heights[n]`` points for row ``n`` where given. Plain text goes
        inline; text with anything to escape, trim-sensitive spaces or Excel's own _xHHHH_ notation goes through
        the shared strings exactly as write_string puts it (made safe by cell_text), so that every reader sees
        the same value either way. Once per sheet, below every other cell; returns the number of rows."""
        if self.constant_memory or self._bulk_from is not None:
            raise ValueError("write_rows: once per sheet, not in constant_memory mode")
        styles = [f' s="{f._get_xf_index()}"' if f is not None else "" for f in formats]
        letters = [xl_col_to_name(col) for col in range(len(formats))]
        out = self._bulk
        count = 0
        for count, row in enumerate(rows, start=1):
            number = first_row + count  # 1-based
            height = heights[count - 1] if heights else None
            cells = [f'<row r="{number}" ht="{height:g}" customHeight="1">' if height else f'<row r="{number}">']
            for col, value in enumerate(row):
                kind = type(value)
                if kind is int or kind is float:
                    if value != value or value in (math.inf, -math.inf):  # as write_number: no such cell in a file
                        raise ValueError(f"{self.name}: row {number} holds {value}, not a number a cell can hold")
                    cells.append(f'<c r="{letters[col]}{number}"{styles[col]}><v>{value:.16G}</v></c>')
                    continue
                if value is None or value == "":
                    if styles[col]:
                        cells.append(f'<c r="{letters[col]}{number}"{styles[col]}/>')
                    continue
                text = value if kind is str else str(value)
                if len(text) > _PLAIN_LENGTH or _NOT_PLAIN.search(text):  # rare: exactly as write_string stores it
                    shared = self.str_table._get_shared_string_index(cell_text(text))
                    cells.append(f'<c r="{letters[col]}{number}"{styles[col]} t="s"><v>{shared}</v></c>')
                else:
                    cells.append(f'<c r="{letters[col]}{number}"{styles[col]} t="inlineStr"><is><t>{text}</t></is></c>')
            cells.append("</row>")
            out.append("".join(cells))
        if count:
            self._bulk_from = first_row
            self._check_dimensions(first_row, 0)
            self._check_dimensions(first_row + count - 1, len(formats) - 1)
        return count

    def _write_rows(self):
        if self._bulk_from is not None and any(r >= self._bulk_from for r, cells in self.table.items() if cells):
            raise ValueError(f"{self.name}: a cell was written among the rows of write_rows")
        super()._write_rows()
        bulk = self._bulk
        for start in range(0, len(bulk), 1000):  # a thousand rows a write, not one
            self.fh.write("".join(bulk[start:start + 1000]))


ZIP_LEVEL = 1  # zlib's fastest: a third of the time of XlsxWriter's default level 6, files about 30 % larger


class _FastZipFile(zipfile.ZipFile):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("compresslevel", ZIP_LEVEL)
        super().__init__(*args, **kwargs)


_PACKAGING = threading.Lock()


class _TextSafeWorkbook(xlsxwriter.Workbook):
    fast = False  # set by new_workbook(fast=True): deflated at ZIP_LEVEL

    def add_worksheet(self, name=None, worksheet_class=None):
        return super().add_worksheet(name, worksheet_class or _TextSafeWorksheet)

    def _store_workbook(self):
        """XlsxWriter's packaging; a ``fast`` workbook deflated at ZIP_LEVEL (XlsxWriter has no setting for it:
        its own module's ZipFile is swapped while our workbook is packed, one workbook at a time)."""
        if not self.fast:
            return super()._store_workbook()
        with _PACKAGING:
            original = xlsxwriter.workbook.ZipFile
            xlsxwriter.workbook.ZipFile = _FastZipFile
            try:
                return super()._store_workbook()
            finally:
                xlsxwriter.workbook.ZipFile = original


def new_workbook(path: Path, *, title: str, created: dt.datetime | None = None,
                 constant_memory: bool = False, fast: bool = False) -> xlsxwriter.Workbook:
    """A workbook that never turns text into numbers, formulas or links (input is written as text).

    ``constant_memory``: each row is flushed once the next begins (the writer must go row by row).
    ``fast``: deflated at ZIP_LEVEL, for the long outputs written on every run (the summary, the reward lists);
    templates, samples and the policy workbook keep the compact default (and their bytes).
    """
    workbook = _TextSafeWorkbook(
        str(path),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
         "constant_memory": constant_memory},
    )
    properties = {"title": title, "author": "guishang 规上工业企业培育工具", "company": ""}
    if created is not None:
        properties["created"] = created  # fixed for reproducible files
    workbook.set_properties(properties)
    workbook.set_size(1600, 1000)
    workbook.fast = fast
    return workbook


MIN_PRINT_PT = 8  # nothing prints smaller
MM_PER_WIDTH_UNIT = 2.0  # an Excel column-width unit on paper at 100 %, rounded up (11 pt text)
A4_MM = (210, 297)


def _fit_scale(widths, landscape: bool, margin_in: float) -> float:
    page = (A4_MM[1] if landscape else A4_MM[0]) - 2 * margin_in * 25.4
    need = sum(widths) * MM_PER_WIDTH_UNIT
    return min(1.0, page / need) if need else 1.0


def fits_page_width(widths, *, font_pt: float = 11, landscape: bool = True, margin_in: float = 0.4) -> bool:
    """Whether ``print_fit`` will fit these columns to one page width (else they continue on the next pages)."""
    return font_pt * _fit_scale(widths, landscape, margin_in) >= MIN_PRINT_PT


def table_number_format(value: object) -> str | None:
    """How a number in a plain table (the control workbook's sheets) shows: whole numbers with separators,
    others with two to four decimals (万元 stay exact); None for anything that is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return "#,##0" if isinstance(value, int) else "#,##0.00##"


def print_fit(ws, widths, *, font_pt: float = 11, landscape: bool = True, repeat_columns: int = 0,
              margin_in: float = 0.4) -> float:
    """A4 printing that stays readable: the sheet fitted to the page width when its text is then still at
    least 8 pt; otherwise printed at the scale that keeps 8 pt, the columns continued on the next pages
    (with the first ``repeat_columns`` repeated). Returns the smallest text size on paper, in points."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=margin_in, right=margin_in, top=0.6, bottom=0.6)
    scale = _fit_scale(widths, landscape, margin_in)
    if font_pt * scale >= MIN_PRINT_PT:
        ws.fit_to_pages(1, 0)
        return font_pt * scale
    percent = math.ceil(MIN_PRINT_PT / font_pt * 100)
    ws.set_print_scale(percent)
    ws.print_across()  # a row's columns on neighbouring pages
    if repeat_columns:
        ws.repeat_columns(0, repeat_columns - 1)
    return font_pt * percent / 100


def formats(workbook: xlsxwriter.Workbook) -> dict[str, object]:
    base = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}

    def fmt(**extra):
        return workbook.add_format({**base, **extra})

    border = {"border": 1, "border_color": "#8EA9C1"}
    return {
        "title": fmt(bold=True, font_size=16, align="center"),
        "title_left": fmt(bold=True, font_size=16),
        "note_left": fmt(font_size=10, font_color="#404040"),
        "subtitle": fmt(font_size=11, align="center", font_color="#404040"),
        "description": fmt(font_size=10, text_wrap=True, font_color="#404040"),
        "caution": fmt(font_size=10, text_wrap=True, bold=True, font_color=ERROR_FONT, bg_color=ERROR_FILL),
        "header": fmt(bold=True, align="center", text_wrap=True, bg_color=HEADER_FILL, **border),
        "header_required": fmt(bold=True, align="center", text_wrap=True, bg_color=REQUIRED_HEADER_FILL, **border),
        "label": fmt(bold=True, bg_color=LOCKED_FILL, **border),
        "locked_value": fmt(bg_color=LOCKED_FILL, num_format="@", **border),
        "locked_int": fmt(bg_color=LOCKED_FILL, num_format="0", align="left", **border),
        "hint": fmt(font_size=9, font_color="#595959", text_wrap=True),
        "text": fmt(num_format="@", locked=False),
        "text_wrap": fmt(num_format="@", locked=False, text_wrap=True),
        "input_text": fmt(num_format="@", locked=False, **border),
        "input_date": fmt(num_format="yyyy-mm-dd", locked=False, align="left", **border),
        "wan": fmt(num_format="#,##0.00", locked=False),
        "integer": fmt(num_format="0", locked=False),
        "date": fmt(num_format="yyyy-mm-dd", locked=False),
        "example_text": fmt(num_format="@", locked=False, italic=True, font_color=EXAMPLE_FONT),
        "example_wan": fmt(num_format="#,##0.00", locked=False, italic=True, font_color=EXAMPLE_FONT),
        "example_integer": fmt(num_format="0", locked=False, italic=True, font_color=EXAMPLE_FONT),
        "plain": fmt(),
        "plain_wrap": fmt(text_wrap=True),
        "bold": fmt(bold=True),
        "number": fmt(num_format="#,##0.00"),
        "int_plain": fmt(num_format="0"),
        "link": fmt(font_color="#0563C1", underline=1),
        "error": fmt(bg_color=ERROR_FILL, font_color=ERROR_FONT),
        "hint_level": fmt(bg_color=HINT_FILL, font_color=HINT_FONT),
        "ok": fmt(bg_color="#C6EFCE", font_color="#006100"),
        "cf_error": workbook.add_format({"bg_color": ERROR_FILL, "font_color": ERROR_FONT}),
        "cf_hint": workbook.add_format({"bg_color": HINT_FILL, "font_color": HINT_FONT}),
    }


def add_stamp_sheet(workbook: xlsxwriter.Workbook, stamp: Stamp, *, protect: bool = False,
                    more: list[list[str]] | None = None) -> None:
    """The very hidden sheet that says what kind of file this is (see toolkit.domain.stamp); ``more``: rows after
    the stamp's (a template's carried policy, domain.carried_policy)."""
    ws = workbook.add_worksheet(STAMP_SHEET)
    for row, (label, value) in enumerate([*stamp.to_rows(), *(more or [])]):
        ws.write_string(row, 0, label)
        ws.write_string(row, 1, value)
    ws.very_hidden()
    if protect:
        ws.protect()
