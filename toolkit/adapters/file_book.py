"""The workbook seam on a file (openpyxl): for the CLI, the tests and offices without Excel.

The source file is only read; ``save_as`` writes the result to a NEW file, atomically. Cell values
from the input are written as text (a name beginning with "=" stays a name, never a formula).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Sequence

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.workbook_file import UnreadableWorkbook, WorkbookData, preflight, read_workbook
from toolkit.adapters.xlsx_styles import ERROR_FILL, FONT, HEADER_FILL, HINT_FILL, table_number_format, wrapped_height
from toolkit.domain.findings import Level
from toolkit.domain.tables import Rows
from toolkit.domain.text import cell_text
from toolkit.ports.book import Link, Mark, Table

NOTE_AUTHOR = "规上报表校验"  # our notes carry this author, so that 清除标记 removes only ours
NOTE_PREFIXES = tuple(f"[{level.value} " for level in Level)  # and begin so (Excel sets the author itself)
_FILLS = {Level.ERROR: ERROR_FILL, Level.HINT: HINT_FILL}


def _argb(colour: str) -> str:
    return "FF" + colour.lstrip("#")


def _text_cell(cell, value: object) -> None:
    if isinstance(value, str):
        value = cell_text(value)  # characters XML cannot carry made visible, at most what a cell holds
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would take "=..." for a formula


class FileBook:
    """A workbook file opened for one use case; nothing is written until ``save_as``."""

    def __init__(self, path: Path, *, keep_vba: bool | None = None):
        """``keep_vba``: keep a macro workbook's VBA project (default: when the file is .xlsm)."""
        self.path = Path(path)
        self._source: WorkbookData | None = None
        if keep_vba is None:
            keep_vba = self.path.suffix.lower() == ".xlsm"
        data = preflight(self.path)  # the same safety checks as every read; openpyxl parses these bytes
        try:
            self.workbook = openpyxl.load_workbook(io.BytesIO(data), keep_vba=keep_vba)
        except Exception:  # noqa: BLE001 - openpyxl's (and defusedxml's) refusals, in the user's words
            raise UnreadableWorkbook(f"无法读取“{self.path.name}”：文件内容不符合 Excel 工作簿格式。"
                                     "请在 Excel 中打开后重新保存再试。") from None
        self.messages: list[tuple[str, bool]] = []
        self.progress_log: list[str] = []
        self._touched: set[str] = set()  # sheets changed since loading: read from openpyxl, not the file

    # --- reading
    def sheet_names(self) -> list[str]:
        return list(self.workbook.sheetnames)

    def read_sheets(self, only: Sequence[str] | None = None) -> dict[str, Rows]:
        source = self._source_sheets()
        current = {}
        for name in self.workbook.sheetnames:
            if only is not None and name not in only:
                continue
            if name in source and name not in self._touched:
                current[name] = source[name]
            else:
                current[name] = [list(row) for row in self.workbook[name].iter_rows(values_only=True)]
        return current

    def _source_sheets(self) -> dict[str, Rows]:
        if self._source is None:  # the file as saved, read in bulk by calamine
            self._source = read_workbook(self.path, layout=True)
        return self._source.sheets

    def layout(self) -> WorkbookData | None:
        """Merged cells and hidden rows of the file as saved (None once a sheet was changed here)."""
        self._source_sheets()
        return None if self._touched else self._source

    def freeze_input(self) -> int:
        """Make a copy we hand out carry nothing live from the input: each formula becomes the value it
        showed when saved (as text when it is text), the input's hyperlinks are removed, and external or
        DDE links (in link parts and defined names) are dropped. Returns the number of formulas frozen."""
        source = self._source_sheets()
        frozen = 0
        for ws in self.workbook.worksheets:
            values = source.get(ws.title, [])
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f" or isinstance(cell.value, (ArrayFormula, DataTableFormula)):
                        r, c = cell.row - 1, cell.column - 1
                        value = values[r][c] if r < len(values) and c < len(values[r]) else None
                        _text_cell(cell, None if value == "" else value)
                        frozen += 1
                    if cell.hyperlink is not None:
                        cell.hyperlink = None
        self.workbook._external_links = []
        for name in list(self.workbook.defined_names):
            text = str(self.workbook.defined_names[name].value or "")
            if "|" in text or "[" in text:
                del self.workbook.defined_names[name]
        return frozen

    # --- writing
    def write(self, sheet: str, cell: str, rows: Rows) -> None:
        ws = self.workbook[sheet]
        top = ws[cell]
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _text_cell(ws.cell(top.row + r, top.column + c), value)
        self._touched.add(sheet)

    def put_table(self, sheet: str, table: Table, *, first: bool = False, after: str | None = None) -> None:
        index = None
        if sheet in self.workbook.sheetnames:
            index = self.workbook.sheetnames.index(sheet)
            del self.workbook[sheet]
        elif first:
            index = 0
        elif after in self.workbook.sheetnames:
            index = self.workbook.sheetnames.index(after) + 1
        ws = self.workbook.create_sheet(sheet, index)
        bold = Font(name=FONT, bold=True)
        ws.cell(1, 1).value = table.title
        ws.cell(1, 1).font = Font(name=FONT, bold=True, size=13)
        header_fill = PatternFill("solid", fgColor=_argb(HEADER_FILL))
        for c, header in enumerate(table.headers, start=1):
            cell = ws.cell(2, c)
            _text_cell(cell, header)
            cell.font, cell.fill = bold, header_fill
        link_font = Font(name=FONT, color="FF0563C1", underline="single")
        wrap = Alignment(wrap_text=True, vertical="top")
        for r, row in enumerate(table.rows, start=3):
            widths = list(table.widths[:len(row)])
            if 0 < len(row) < len(table.headers):  # a short row (a total in capitals): its last cell spans the rest
                widths[-1] = sum(table.widths[len(row) - 1:len(table.headers)])
                ws.merge_cells(start_row=r, start_column=len(row), end_row=r, end_column=len(table.headers))
            height = wrapped_height((v.text if isinstance(v, Link) else v, w) for v, w in zip(row, widths)
                                    if isinstance(v, (str, Link)))
            if height:
                ws.row_dimensions[r].height = height
            for c, value in enumerate(row, start=1):
                cell = ws.cell(r, c)
                if table_number_format(value):
                    cell.number_format = table_number_format(value)
                if isinstance(value, Link):
                    cell.value = value.text
                    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{value.sheet}'!{value.cell}",
                                               display=value.text)
                    cell.font = link_font
                    cell.alignment = wrap  # aligned with its row's other cells
                else:
                    _text_cell(cell, value)
                    cell.alignment = wrap
        for c, width in enumerate(table.widths, start=1):
            ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = width
        ws.freeze_panes = "A3"
        ws.print_title_rows = "2:2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        self._touched.add(sheet)

    def drop_sheet(self, sheet: str) -> None:
        if sheet in self.workbook.sheetnames:
            del self.workbook[sheet]

    def _visible_cell(self, sheet: str, address: str):
        """The cell itself, or for a cell covered by a merge the merge's top-left cell: only that one
        shows, and only that one can carry a comment."""
        ws = self.workbook[sheet]
        cell = ws[address]
        if isinstance(cell, MergedCell):
            merge = next((m for m in ws.merged_cells.ranges if cell.coordinate in m), None)
            if merge is not None:
                return ws.cell(merge.min_row, merge.min_col)
        return cell

    def mark(self, marks: Sequence[Mark]) -> None:
        fills = {level: PatternFill("solid", fgColor=_argb(colour)) for level, colour in _FILLS.items()}
        shown: dict[tuple[str, str], tuple] = {}  # several marks may land on one merged area
        for mark in marks:
            cell = self._visible_cell(mark.sheet, mark.cell)
            key = (mark.sheet, cell.coordinate)
            if key in shown:
                _, level, note = shown[key]
                level = Level.ERROR if Level.ERROR in (level, mark.level) else level
                shown[key] = (cell, level, f"{note}\n[{mark.cell}] {mark.note}")
            else:
                prefix = "" if cell.coordinate == mark.cell else f"[{mark.cell}] "
                shown[key] = (cell, mark.level, prefix + mark.note)
        for cell, level, note in shown.values():
            cell.fill = fills[level]
            if cell.comment is None or cell.comment.author == NOTE_AUTHOR:
                cell.comment = Comment(note, NOTE_AUTHOR, width=320, height=120)

    def unmark(self, cells: Sequence[tuple[str, str]]) -> None:
        for sheet, address in cells:
            if sheet not in self.workbook.sheetnames:
                continue
            cell = self._visible_cell(sheet, address)
            cell.fill = PatternFill(fill_type=None)
            if cell.comment is not None and cell.comment.author == NOTE_AUTHOR:
                cell.comment = None

    def select(self, sheet: str) -> None:
        self.workbook.active = self.workbook.sheetnames.index(sheet)
        for ws in self.workbook.worksheets:
            ws.sheet_view.tabSelected = ws.title == sheet

    def tell(self, message: str, *, problem: bool = False) -> None:
        self.messages.append((message, problem))

    def progress(self, text: str | None) -> None:
        if text:
            self.progress_log.append(text)

    # --- the file
    def save_as(self, target: Path) -> Path:
        """Write the changed workbook to ``target`` (never the source), complete or not at all."""
        target = Path(target)
        if target.resolve() == self.path.resolve():
            raise ValueError("FileBook never overwrites its source")
        with atomic_output(target) as temp:
            self.workbook.save(temp)
        return target
