"""The workbook seam on the open workbook that pressed a button (xlwings, Windows or macOS Excel).

Everything goes through whole ranges: a sheet is read with one call, a table written with one call per
block, the fills of all marked cells of one colour set with one call per ~200 cells (a union range).
Notes are the exception (Excel has no bulk call for them); their number is capped by the use case.
Protected sheets are unprotected (our templates use no password) and protected again with the same
permissions.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from toolkit.adapters.file_book import NOTE_PREFIXES
from toolkit.adapters.xlsx_styles import ERROR_FILL, HEADER_FILL, HINT_FILL, table_number_format
from toolkit.domain.findings import Level
from toolkit.domain.tables import Rows
from toolkit.ports.book import Link, Mark, Table

_ADDRESS_BATCH = 200  # cells per union range (Excel limits a range address to 255 characters per area list)
_FILLS = {Level.ERROR: ERROR_FILL, Level.HINT: HINT_FILL}
_PERMISSIONS = ("AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows", "AllowInsertingColumns",
                "AllowInsertingRows", "AllowInsertingHyperlinks", "AllowDeletingColumns", "AllowDeletingRows",
                "AllowSorting", "AllowFiltering", "AllowUsingPivotTables")


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class LiveBook:
    """``xw.Book`` (normally ``xw.Book.caller()``) behind the ``Book`` protocol."""

    def __init__(self, book):
        self.book = book
        self.path = Path(book.fullname)

    @property
    def saved(self) -> bool:
        return bool(self.book.api.Saved) and self.path.exists()

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def read_sheets(self, only: Sequence[str] | None = None) -> dict[str, Rows]:
        out = {}
        for sheet in self.book.sheets:
            if only is not None and sheet.name not in only:
                continue
            last = sheet.used_range.last_cell
            values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, empty=None).value
            out[sheet.name] = values or []
        return out

    def layout(self) -> None:
        """Not read from a live book (it would cost a COM call per area); the saved file's check when the
        report is made (生成上报文件) and the city's consolidation both report merged and hidden rows."""
        return None

    @contextmanager
    def _unprotected(self, sheet) -> Iterator[None]:
        api = sheet.api
        if not api.ProtectContents:
            yield
            return
        protection = api.Protection
        kept = {name: getattr(protection, name) for name in _PERMISSIONS}
        api.Unprotect()
        try:
            yield
        finally:
            api.Protect(DrawingObjects=True, Contents=True, Scenarios=True, **kept)

    def write(self, sheet: str, cell: str, rows: Rows) -> None:
        target = self.book.sheets[sheet]
        with self._unprotected(target):
            block = target.range(cell).resize(len(rows), max(len(r) for r in rows))
            block.number_format = "@"  # text stays text: "=..." from a county is never a formula
            block.value = [list(r) for r in rows]

    def put_table(self, sheet: str, table: Table, *, first: bool = False, after: str | None = None) -> None:
        names = self.sheet_names()
        if sheet in names:
            target = self.book.sheets[sheet]
            target.clear()
        else:
            if first:
                target = self.book.sheets.add(sheet, before=self.book.sheets[0])
            else:
                anchor = self.book.sheets[after] if after in names else self.book.sheets[-1]
                target = self.book.sheets.add(sheet, after=anchor)
        width = max(len(table.headers), 1)
        target.range("A1").value = table.title
        target.range("A1").font.bold = True
        header = target.range((2, 1), (2, width))
        header.value = [list(table.headers)]
        header.font.bold = True
        header.color = _rgb(HEADER_FILL)
        if table.rows:
            body = target.range((3, 1), (len(table.rows) + 2, width))
            body.number_format = "@"
            body.value = [[v.text if isinstance(v, Link) else v for v in row] for row in table.rows]
            for r, row in enumerate(table.rows, start=3):
                if 0 < len(row) < width:  # a short row (a total in capitals): its last cell spans the rest
                    target.range((r, len(row)), (r, width)).merge()
                for c, value in enumerate(row, start=1):
                    if table_number_format(value):
                        target.range((r, c)).number_format = table_number_format(value)
            self._links(target, table)
        for column, size in enumerate(table.widths, start=1):
            target.range((1, column)).column_width = size

    def _links(self, target, table: Table) -> None:
        """Links as HYPERLINK formulas, one block per column: built from our sheet names and addresses only."""
        for column in range(len(table.headers)):
            cells = [row[column] if column < len(row) else None for row in table.rows]
            if not any(isinstance(v, Link) for v in cells):
                continue
            formulas = [[_hyperlink(v) if isinstance(v, Link) else (v if v is not None else "")] for v in cells]
            block = target.range((3, column + 1), (len(cells) + 2, column + 1))
            block.number_format = "General"
            block.formula = formulas

    def drop_sheet(self, sheet: str) -> None:
        if sheet in self.sheet_names():
            app = self.book.app
            alerts = app.display_alerts
            app.display_alerts = False
            try:
                self.book.sheets[sheet].delete()
            finally:
                app.display_alerts = alerts

    def mark(self, marks: Sequence[Mark]) -> None:
        by_sheet: dict[str, list[Mark]] = defaultdict(list)
        for mark in marks:
            by_sheet[mark.sheet].append(mark)
        for name, items in by_sheet.items():
            sheet = self.book.sheets[name]
            with self._unprotected(sheet):
                for level, colour in _FILLS.items():
                    cells = [m.cell for m in items if m.level is level]
                    for chunk in _chunks(cells, _ADDRESS_BATCH):
                        for area in _areas(chunk):
                            sheet.range(area).color = _rgb(colour)
                for mark in items:
                    cell = sheet.range(mark.cell)
                    existing = cell.api.Comment
                    if existing is not None and not _ours(existing):
                        continue  # a note of the county's own stays; the finding is in the findings sheet
                    if existing is not None:
                        existing.Delete()
                    cell.api.AddComment(mark.note)

    def unmark(self, cells: Sequence[tuple[str, str]]) -> None:
        by_sheet: dict[str, list[str]] = defaultdict(list)
        for sheet, address in cells:
            by_sheet[sheet].append(address)
        names = self.sheet_names()
        for name, addresses in by_sheet.items():
            if name not in names:
                continue
            sheet = self.book.sheets[name]
            with self._unprotected(sheet):
                for chunk in _chunks(sorted(set(addresses)), _ADDRESS_BATCH):
                    for area in _areas(chunk):
                        sheet.range(area).color = None
                for address in set(addresses):
                    comment = sheet.range(address).api.Comment
                    if comment is not None and _ours(comment):
                        comment.Delete()

    def select(self, sheet: str) -> None:
        self.book.sheets[sheet].activate()

    def tell(self, message: str, *, problem: bool = False) -> None:
        self.book.app.alert(message, title="规上工业企业培育工具", mode="critical" if problem else "info")

    def progress(self, text: str | None) -> None:
        self.book.app.status_bar = text if text else False


def _ours(comment) -> bool:
    """Excel sets a note's author itself, so ours are known by their text: "[错误 E101] ..." / "[提示 W201] ..."."""
    return comment.Text().startswith(NOTE_PREFIXES)


def _areas(cells: list[str]) -> list[str]:
    """Comma-joined addresses, each list short enough for Excel's 255-character range address."""
    out, current = [], ""
    for address in cells:
        candidate = f"{current},{address}" if current else address
        if len(candidate) > 250:
            out.append(current)
            candidate = address
        current = candidate
    if current:
        out.append(current)
    return out


def _hyperlink(link: Link) -> str:
    text = link.text.replace('"', '""')
    return f'=HYPERLINK("#\'{link.sheet}\'!{link.cell}","{text}")'
