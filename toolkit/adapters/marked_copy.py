"""A marked copy of a county workbook: the cells with findings coloured and annotated.

Written to a NEW file (the input is never modified) with openpyxl, which keeps the template's
dropdowns (they point at defined names), conditional formats and notes. The copy's stamp says it is
a marked copy, so it is never taken for a submission.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Sequence

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.hyperlink import Hyperlink

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.xlsx_styles import ERROR_FILL, FONT, HINT_FILL
from toolkit.domain.findings import KINDS, Finding, Level
from toolkit.domain.stamp import STAMP_SHEET, FileKind

RESULTS_SHEET = "校验结果"


def _argb(colour: str) -> str:
    return "FF" + colour.lstrip("#")


def write_marked_copy(source: Path, target: Path, findings: Sequence[Finding]) -> Path:
    workbook = openpyxl.load_workbook(source)
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.sheet in workbook.sheetnames and finding.cell:
            by_cell[(finding.sheet, finding.cell)].append(finding)
    fills = {Level.ERROR: PatternFill("solid", fgColor=_argb(ERROR_FILL)),
             Level.HINT: PatternFill("solid", fgColor=_argb(HINT_FILL))}
    for (sheet, address), items in by_cell.items():
        cell = workbook[sheet][address]
        worst = Level.ERROR if any(f.level is Level.ERROR for f in items) else Level.HINT
        cell.fill = fills[worst]
        text = "\n".join(f"[{f.level.value} {f.code}] {f.message}" for f in items)
        cell.comment = Comment(text, "规上报表校验", width=320, height=120)

    results = workbook.create_sheet(RESULTS_SHEET, 0)
    headers = ("级别", "代码", "问题", "工作表", "单元格", "处理意见")
    results.append(headers)
    for col, width in zip("ABCDEF", (6, 7, 18, 14, 9, 90)):
        results.column_dimensions[col].width = width
    bold = Font(name=FONT, bold=True)
    for cell in results[1]:
        cell.font = bold
    for finding in findings:
        results.append((finding.level.value, finding.code, KINDS[finding.code].title, finding.sheet, finding.cell,
                        finding.message))
        row = results.max_row
        results.cell(row, 1).fill = fills[finding.level]
        if finding.cell and finding.sheet in workbook.sheetnames:
            link = results.cell(row, 5)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{finding.sheet}'!{finding.cell}",
                                       display=finding.cell)
            link.font = Font(name=FONT, color="FF0563C1", underline="single")
    wrap = Alignment(wrap_text=True, vertical="top")
    for (message,) in results.iter_rows(min_row=2, min_col=6, max_col=6):
        message.alignment = wrap
    results.freeze_panes = "A2"
    results.page_setup.orientation = "landscape"
    results.page_setup.paperSize = results.PAPERSIZE_A4
    results.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    results.page_setup.fitToWidth = 1
    results.page_setup.fitToHeight = 0
    results.print_title_rows = "1:1"
    workbook.active = 0
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = sheet.title == RESULTS_SHEET

    if STAMP_SHEET in workbook.sheetnames:
        stamp = workbook[STAMP_SHEET]
        for row in stamp.iter_rows(min_col=1, max_col=2):
            if row[0].value == "文件类型":
                row[1].value = FileKind.MARKED.value
    with atomic_output(Path(target)) as temp:
        workbook.save(temp)
    return Path(target)
