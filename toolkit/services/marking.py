"""Marking a workbook's findings in place, on any ``Book``: the findings sheet with links to the cells,
the cells coloured (错误 red, 提示 amber) and annotated, and the same marks removed again.

Shared by the 校验本表 / 清除标记 buttons and by the CLI's marked copy (``guishang check --mark``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from toolkit.domain.findings import KINDS, Finding, Level
from toolkit.domain.stamp import STAMP_SHEET, FileKind, Stamp
from toolkit.domain.tables import find_label, header_key
from toolkit.ports.book import Book, Link, Mark, Table
from toolkit.ports.tools import tools

FINDINGS_SHEET = "校验结果"
_HEADERS = ("级别", "代码", "问题", "工作表", "单元格", "处理意见")
_WIDTHS = (6, 7, 18, 14, 9, 90)
MAX_NOTES = 500  # beyond this, findings are listed in the findings sheet only (notes cost one call each)


def marked_cells(book: Book) -> list[tuple[str, str]]:
    """The cells an earlier check marked, as listed in its findings sheet."""
    if FINDINGS_SHEET not in book.sheet_names():
        return []
    rows = book.read_sheets([FINDINGS_SHEET]).get(FINDINGS_SHEET, [])
    header = find_label(rows, _HEADERS[0])
    if header is None:
        return []
    keys = [header_key(v) for v in rows[header]]
    try:
        sheet_col, cell_col = keys.index(header_key("工作表")), keys.index(header_key("单元格"))
    except ValueError:
        return []
    cells = []
    for row in rows[header + 1:]:
        sheet = row[sheet_col] if sheet_col < len(row) else None
        address = row[cell_col] if cell_col < len(row) else None
        if sheet and address:
            cells.append((str(sheet), str(address)))
    return cells


def findings_table(findings: Sequence[Finding], title: str, sheets: Sequence[str]) -> Table:
    rows = []
    for f in findings:
        where = Link(f.sheet, f.cell, f.cell) if f.cell and f.sheet in sheets else f.cell
        rows.append((f.level.value, f.code, KINDS[f.code].title, f.sheet, where, f.message))
    return Table(title, _HEADERS, rows, _WIDTHS)


def mark_findings(book: Book, findings: Sequence[Finding], title: str) -> None:
    """The findings sheet first (with links), and each finding's cell coloured and annotated."""
    names = book.sheet_names()
    book.put_table(FINDINGS_SHEET, findings_table(findings, title, names), first=True)
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.cell and f.sheet in names:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    marks = []
    for (sheet, address), items in list(by_cell.items())[:MAX_NOTES]:
        worst = Level.ERROR if any(f.level is Level.ERROR for f in items) else Level.HINT
        marks.append(Mark(sheet, address, worst, "\n".join(f"[{f.level.value} {f.code}] {f.message}" for f in items)))
    book.mark(marks)


def set_stamp_kind(book: Book, kind: FileKind) -> None:
    if STAMP_SHEET not in book.sheet_names():
        return
    rows = book.read_sheets([STAMP_SHEET])[STAMP_SHEET]
    stamp = Stamp.from_rows(rows)
    if stamp is not None:
        book.write(STAMP_SHEET, "A1", stamp.with_kind(kind).to_rows())


def write_marked_copy(source: Path, target: Path, findings: Sequence[Finding]) -> Path:
    """The CLI's marked copy (``check --mark``): the same marks as the button, in a NEW file."""
    book = tools().workbooks.file_book(source)
    book.freeze_input()  # the copy is an output: nothing live (formulas, links) comes from the input
    mark_findings(book, findings, f"校验结果：{Path(source).name}（共 {len(findings)} 条）")
    set_stamp_kind(book, FileKind.MARKED)
    book.select(FINDINGS_SHEET)
    return book.save_as(target)


