"""The county workbook's buttons that act on the open workbook: 校验本表 (check it as it is now, mark the
cells, list the findings in a sheet) and 清除标记. Any ``Book`` will do: the workbook that pressed the button
(through xlwings) or a workbook file (the tests, a caller outside Excel).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toolkit.domain.findings import Finding, FindingCounts
from toolkit.domain.period_due import PeriodToCheck, period_to_check
from toolkit.domain.policy import Policy
from toolkit.domain.report import CountyReport
from toolkit.ports.book import Book
from toolkit.services.checking import check_sheets
from toolkit.services.county_book import carried_or_refuse, data_sheets
from toolkit.services.marking import FINDINGS_SHEET, mark_findings, marked_cells


@dataclass
class BookCheck(FindingCounts):
    report: CountyReport
    findings: list[Finding]
    policy_source: str = ""
    period_due: PeriodToCheck | None = None

    @property
    def blocking(self) -> bool:
        return self.findings_block

    def summary(self) -> str:
        text = self._verdict()
        if self.period_due is not None and self.period_due.warning:
            text += f"\n注意：{self.period_due.basis}。"
        return text

    def _verdict(self) -> str:
        basis = f"（按{self.policy_source}）" if self.policy_source else ""
        if not self.findings:
            return f"校验通过{basis}：没有发现问题。可以点“生成上报文件”。"
        counts = f"错误 {self.errors} 条，提示 {self.hints} 条（未说明 {self.unexplained_hints} 条）"
        if not self.blocking:
            return (f"校验通过{basis}：{counts}，提示均已说明。问题单元格已着色，详见“{FINDINGS_SHEET}”表；"
                    f"可以点“生成上报文件”。")
        return (f"校验发现问题{basis}：{counts}。红色为错误，黄色为提示，鼠标停在单元格上可看批注，"
                f"全部问题见“{FINDINGS_SHEET}”表（点单元格地址可跳转）。改正或在“说明”列写明后，请再点“校验本表”。")


def check_book(book: Book, policy: Policy | None, *, policy_source: str = "",
               today: dt.date | None = None) -> BookCheck:
    """校验本表: check the workbook as it is now, replace the previous marks with the new ones. The period it
    should report is the one every door expects (domain.period_due: the calendar's, else its file name's).
    ``policy`` None: the policy the workbook carries (the city wrote it into the template)."""
    book.progress("正在读取本表……")
    sheets = data_sheets(book.read_sheets())
    if policy is None:
        policy, policy_source = carried_or_refuse(sheets, book.path.name)
    book.progress("正在校验……")
    due = period_to_check(policy.calendar, today or dt.date.today(), book.path.name)
    report, findings = check_sheets(sheets, book.path.name, policy, expect_period=due.period, layout=book.layout())
    book.progress("正在标注问题单元格……")
    book.unmark(marked_cells(book))
    title = f"校验结果：{report.county or book.path.stem} {report.period or ''}（共 {len(findings)} 条）"
    mark_findings(book, findings, title)
    book.select(FINDINGS_SHEET)
    result = BookCheck(report, findings, policy_source, due)
    book.tell(result.summary(), problem=result.blocking)
    return result


def clear_marks(book: Book) -> int:
    """清除标记: remove the colours and notes of the last check and its findings sheet."""
    cells = marked_cells(book)
    book.unmark(cells)
    book.drop_sheet(FINDINGS_SHEET)
    book.tell(f"已清除 {len(set(cells))} 个单元格的校验标记。" if cells else "本表没有校验标记。")
    return len(set(cells))
