"""The county workbook's buttons (RunPython targets): 校验本表, 清除标记, 生成上报文件.

``book`` is for the tests and for callers outside Excel (a ``FileBook``); in Excel it is the caller.
"""

from __future__ import annotations

from toolkit.adapters.live_book import LiveBook
from toolkit.excel import county_sheet
from toolkit.excel.runner import run_button
from toolkit.services import county_book
from toolkit.ports.book import Book
from toolkit.services.policy import POLICY_FILE_NAME, load_policy


def policy_near(book: Book):
    """The city's policy when it was sent along (政策参数.xlsx next to the workbook), else (None) the policy the
    workbook carries: never the built-in sample (services.policy_in_use)."""
    path = book.path.parent / POLICY_FILE_NAME
    if path.exists():
        return load_policy(path), f"同一文件夹中的“{POLICY_FILE_NAME}”"
    return None, ""


def check_sheet(vba_xlwings: str = "", *, book: Book | None = None):
    """校验本表."""
    def action(book: Book):
        policy, source = policy_near(book)
        return county_sheet.check_book(book, policy, policy_source=source)

    return run_button("校验本表", action, vba_xlwings, book)


def clear_marks(vba_xlwings: str = "", *, book: Book | None = None):
    """清除标记."""
    return run_button("清除标记", county_sheet.clear_marks, vba_xlwings, book)


def make_report(vba_xlwings: str = "", *, book: Book | None = None):
    """生成上报文件: from the workbook as saved, so the clerk is asked to save first."""
    def action(book: Book):
        if isinstance(book, LiveBook) and not book.saved:
            book.tell("请先保存本工作簿（Ctrl+S），再点“生成上报文件”：上报文件按已保存的内容生成。")
            return None
        policy, _ = policy_near(book)
        book.progress("正在生成上报文件……")
        submission = county_book.make_submission(book.path, policy)
        book.tell(submission.summary(), problem=bool(submission.errors or submission.unexplained))
        return submission

    return run_button("生成上报文件", action, vba_xlwings, book)
