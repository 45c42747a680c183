"""The city control workbook's buttons (RunPython targets), acting on the workspace folder the
workbook sits in: 生成县区模板, 导入并汇总, 刷新报送情况, 生成通报, 培育预测, 应入尽入筛选, 生成奖励审批.

``book`` is for the tests and for callers outside Excel (a ``FileBook``); in Excel it is the caller.
"""

from __future__ import annotations

from functools import partial

from toolkit.excel import control_sheet, hints
from toolkit.excel.runner import run_button
from toolkit.ports.book import Book


def make_templates(vba_xlwings: str = "", *, book: Book | None = None):
    """生成县区模板."""
    return run_button("生成县区模板", control_sheet.make_county_templates, vba_xlwings, book)


def consolidate(vba_xlwings: str = "", *, book: Book | None = None):
    """导入并汇总."""
    return run_button("导入并汇总", control_sheet.consolidate, vba_xlwings, book)


def refresh_status(vba_xlwings: str = "", *, book: Book | None = None):
    """刷新报送情况."""
    return run_button("刷新报送情况", control_sheet.refresh_status, vba_xlwings, book)


def make_notices(vba_xlwings: str = "", *, book: Book | None = None):
    """生成通报."""
    return run_button("生成通报", partial(control_sheet.make_notices, render=hints.render), vba_xlwings, book)


def pipeline(vba_xlwings: str = "", *, book: Book | None = None):
    """培育预测."""
    return run_button("培育预测", control_sheet.pipeline_outlook, vba_xlwings, book)


def screen(vba_xlwings: str = "", *, book: Book | None = None):
    """应入尽入筛选."""
    return run_button("应入尽入筛选", control_sheet.screen_departments, vba_xlwings, book)


def make_rewards(vba_xlwings: str = "", *, book: Book | None = None):
    """生成奖励审批."""
    return run_button("生成奖励审批", partial(control_sheet.make_rewards, render=hints.render), vba_xlwings, book)
