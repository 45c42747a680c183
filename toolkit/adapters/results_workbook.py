"""The results workbook of a check: a summary and one row per finding, linked to its cell."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Sequence

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.xlsx_styles import add_stamp_sheet, formats, new_workbook, print_fit, wrapped_height
from toolkit.domain.findings import KINDS, Level
from toolkit.domain.file_check import FileCheck
from toolkit.domain.stamp import FileKind, Stamp

SUMMARY_HEADERS = ("文件", "县市区", "报送期", "错误", "提示", "其中未说明", "结论")
FINDING_HEADERS = ("序号", "级别", "代码", "问题", "文件", "工作表", "单元格", "列", "所见值", "处理意见", "已说明")


SUMMARY_WIDTHS = (44, 12, 12, 10, 10, 10, 40)


def _link_target(source: Path, results_dir: Path, sheet: str, cell: str) -> str:
    relative = os.path.relpath(source.resolve(), results_dir.resolve())
    anchor = f"#'{sheet}'!{cell}" if sheet and cell else ""
    return f"external:{relative}{anchor}"


def write_results(path: Path, checks: Sequence[FileCheck], stamp: Stamp, *, created: dt.datetime | None = None) -> Path:
    path = Path(path)
    with atomic_output(path) as temp:
        wb = new_workbook(temp, title="规上工业企业报表校验结果", created=created)
        f = formats(wb)
        summary = wb.add_worksheet("汇总")
        for col, width in enumerate(SUMMARY_WIDTHS):
            summary.set_column(col, col, width)
        summary.merge_range(0, 0, 0, 6, "规上工业企业报表校验结果", f["title"])
        when = (created or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
        summary.merge_range(1, 0, 1, 6, f"校验时间：{when}（guishang {stamp.tool_version}）。“错误”必须改正；“提示”须改正或在该行“说明”列写明原因。", f["description"])
        for col, header in enumerate(SUMMARY_HEADERS):
            summary.write_string(2, col, header, f["header"])
        for row, check in enumerate(checks, start=3):
            summary.write_url(row, 0, _link_target(check.path, path.parent, "", ""), f["link"], check.path.name)
            summary.write_string(row, 1, check.county, f["plain"])
            summary.write_string(row, 2, check.period, f["plain"])
            summary.write_number(row, 3, check.errors, f["int_plain"])
            summary.write_number(row, 4, check.hints, f["int_plain"])
            summary.write_number(row, 5, check.unexplained_hints, f["int_plain"])
            style = "ok" if check.verdict_ok else "error"
            summary.write_string(row, 6, check.verdict, f[style])
        summary.freeze_panes(3, 1)
        print_fit(summary, SUMMARY_WIDTHS)

        sheet = wb.add_worksheet("问题清单")
        widths = (5, 6, 7, 16, 26, 12, 8, 16, 20, 56, 6)  # 8 pt or more on landscape A4
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        for col, header in enumerate(FINDING_HEADERS):
            sheet.write_string(0, col, header, f["header"])
        row = 1
        for check in checks:
            for finding in check.findings:
                level_style = f["error"] if finding.level is Level.ERROR else f["hint_level"]
                values = (row, finding.level.value, finding.code, KINDS[finding.code].title, check.path.name,
                          finding.sheet, "", finding.column, finding.value, finding.message,
                          "是" if finding.explained else ("否" if finding.level is Level.HINT else ""))
                _fit_row(sheet, row, values, widths)
                for col, value in enumerate(values):
                    _write(sheet, row, col, value, level_style if col == 1 else f["plain_wrap"])
                if finding.cell:
                    sheet.write_url(row, 6, _link_target(check.path, path.parent, finding.sheet, finding.cell),
                                    f["link"], finding.cell)
                row += 1
        sheet.autofilter(0, 0, max(row - 1, 1), len(FINDING_HEADERS) - 1)
        sheet.freeze_panes(1, 0)
        print_fit(sheet, widths)
        sheet.repeat_rows(0)

        add_stamp_sheet(wb, stamp.with_kind(FileKind.RESULTS))
        wb.close()
    return path


def _fit_row(sheet, row: int, values: tuple, widths: tuple) -> None:
    height = wrapped_height((v, w) for v, w in zip(values, widths) if isinstance(v, str))
    if height:
        sheet.set_row(row, height)


def _write(sheet, row: int, col: int, value: object, fmt) -> None:
    if isinstance(value, int):
        sheet.write_number(row, col, value, fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)
