"""The workbook seam: the few bulk operations the Excel buttons' use cases need.

Two implementations: ``adapters.live_book.LiveBook`` (the workbook that pressed the button, through
xlwings) and ``adapters.file_book.FileBook`` (a workbook file, through openpyxl, saved to a new file).
The use cases in ``services.county_book`` and ``services.control_book`` only see this protocol, so the
CLI, the tests and Excel run the same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

from toolkit.domain.findings import Level
from toolkit.domain.report_parsing import Layout
from toolkit.domain.tables import Rows


@dataclass(frozen=True)
class Mark:
    """A cell to colour (错误 red, 提示 amber) and annotate."""

    sheet: str
    cell: str  # "B5"
    level: Level
    note: str


@dataclass(frozen=True)
class Link:
    """A value shown as a link to a cell of the same workbook (in a findings or status sheet)."""

    sheet: str
    cell: str
    text: str


@dataclass(frozen=True)
class Table:
    """A sheet we own and rewrite whole: a title line, headers, rows (text, numbers or Links)."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    widths: Sequence[float] = ()


class Book(Protocol):
    path: Path  # where the workbook lives: its folder is the county's or the workspace's

    def sheet_names(self) -> list[str]: ...

    def read_sheets(self, only: Sequence[str] | None = None) -> dict[str, Rows]:
        """Sheets as 2-D lists of values from A1, read in one go per sheet."""

    def layout(self) -> Layout | None:
        """Merged ranges and hidden rows by sheet, when this kind of book can tell (else None)."""

    def write(self, sheet: str, cell: str, rows: Rows) -> None:
        """Plain values into an existing sheet, as one block from ``cell``; text stays text."""

    def put_table(self, sheet: str, table: Table, *, first: bool = False, after: str | None = None) -> None:
        """Create or clear the sheet and write the table (values as text or numbers, never formulas)."""

    def drop_sheet(self, sheet: str) -> None: ...

    def mark(self, marks: Sequence[Mark]) -> None:
        """Colour and annotate the cells, in batches (one fill per colour, not one call per cell)."""

    def unmark(self, cells: Sequence[tuple[str, str]]) -> None:
        """Remove our colour and note from these (sheet, cell) pairs."""

    def select(self, sheet: str) -> None: ...

    def tell(self, message: str, *, problem: bool = False) -> None:
        """One message for the clerk (a message box in Excel)."""

    def progress(self, text: str | None) -> None:
        """Show what is happening (Excel's status bar); None clears it."""
