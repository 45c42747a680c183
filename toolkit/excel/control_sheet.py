"""The city control workbook's buttons, on any ``Book`` sitting in a workspace folder: 生成县区模板, 导入并汇总,
刷新报送情况, 生成通报, 培育预测, 应入尽入筛选, 生成奖励审批.

The door's own work: read the inputs of the 控制台 sheet (a wrong value refused naming its cell), call the same
service as the command line and the workbench, and show the outcome in the workbook and a message box. What the
workbook's output sheets show is shared with the other doors (``services.control_book``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from toolkit.domain.buttons import CONTROL_SHEET, INPUTS, input_cell
from toolkit.domain.figures import ACCEPTED
from toolkit.domain.hints import Action, Hint
from toolkit.domain.intake_outcome import IntakeOutcome
from toolkit.domain.period_summary import PeriodSummary
from toolkit.domain.periods import Period
from toolkit.domain.tables import cell, find_label
from toolkit.ports.book import Book
from toolkit.services import consolidation, control_book, templates
from toolkit.services.errors import UserError
from toolkit.services.prefill import prefill_templates
from toolkit.services.workspace import Workspace

if TYPE_CHECKING:  # the notices and rewards bring python-docx and docxtpl: imported by their own buttons only
    from toolkit.services import notices, rewards
    from toolkit.services.doc_check import LayoutCheck


@dataclass(frozen=True)
class Controls:
    period: Period | None
    year: int | None
    day: dt.date | None

    def need_period(self) -> Period:
        if self.period is None:
            raise UserError(f"请先在“{CONTROL_SHEET}”的“报送期”（{input_cell('报送期')}）填写报送期，如 2022-06。")
        return self.period

    def need_year(self) -> int:
        if self.year is None:
            raise UserError(f"请先在“{CONTROL_SHEET}”的“奖励年度”（{input_cell('奖励年度')}）填写年度，如 2022。")
        return self.year


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def read_controls(book: Book) -> Controls:
    """The inputs of the 控制台 sheet; a wrong value is refused naming its cell."""
    rows = book.read_sheets([CONTROL_SHEET]).get(CONTROL_SHEET)
    if rows is None:
        raise UserError(f"本工作簿没有“{CONTROL_SHEET}”工作表，不是市级控制台，或已被改动。",
                        Hint.of(Action.CONTROL_WORKBOOK, workspace=book.path.parent))
    values = {}
    for label, _ in INPUTS:
        index = find_label(rows, label)
        values[label] = cell(rows, index, 1) if index is not None else None
    period_value = values["报送期"]
    if isinstance(period_value, (dt.date, dt.datetime)):  # Excel turned "2022-06" into a date
        period_value = f"{period_value.year}-{period_value.month:02d}"
    period = year = day = None
    if _text(period_value):
        try:
            period = Period.parse(_text(period_value))
        except ValueError:
            raise UserError(f"“报送期”（{input_cell('报送期')}）填写的“{_text(period_value)}”不是报送期，"
                            f"请填写如 2022-06。") from None
    if _text(values["奖励年度"]):
        text = _text(values["奖励年度"])
        if not (text.isdigit() and len(text) == 4):
            raise UserError(f"“奖励年度”（{input_cell('奖励年度')}）填写的“{text}”不是年度，请填写如 2022。")
        year = int(text)
    day_value = values["成文日期"]
    if isinstance(day_value, dt.datetime):
        day = day_value.date()
    elif isinstance(day_value, dt.date):
        day = day_value
    elif _text(day_value):
        try:
            day = dt.date.fromisoformat(_text(day_value))
        except ValueError:
            raise UserError(f"“成文日期”（{input_cell('成文日期')}）填写的“{_text(day_value)}”不是日期，"
                            f"请填写如 2022-07-08，或留空。") from None
    return Controls(period, year, day)


def workspace_of(book: Book) -> Workspace:
    return Workspace.at(book.path.parent)


def make_county_templates(book: Book) -> list[Path]:
    controls = read_controls(book)
    period = controls.need_period()
    workspace = workspace_of(book)
    policy = workspace.policy()
    counties = list(policy.counties)
    book.progress(f"正在生成 {len(counties)} 个县市区的 {period} 报表模板……")
    out = workspace.output / "模板" / str(period)
    paths = templates.make_templates(policy, period, counties, out,
                                     prefills=prefill_templates(workspace, counties, period), macros=True)
    result = f"已生成 {len(counties)} 个县市区的模板（.xlsx 和带按钮的 .xlsm 各一份），位于 {out}"
    control_book.report(book, "生成县区模板", result)
    book.tell(result + "。请把 .xlsx（或本单位已安装 Python 的县市区用 .xlsm）下发。")
    return paths


def consolidate(book: Book) -> consolidation.ConsolidationRun:
    period = read_controls(book).need_period()
    workspace = workspace_of(book)

    def on_file(index: int, total: int, name: str) -> None:
        book.progress(f"正在读取并校验（{index}/{total}）：{name}")

    run = consolidation.consolidate(workspace, period, on_file=on_file)
    control_book.show_period(book, run.summary)
    if run.unchanged:  # a closed period, nothing new: the one rule of every door (services.consolidation)
        control_book.report(book, "导入并汇总", run.unchanged)
        book.tell(run.unchanged)
        return run
    accepted = sum(1 for s in run.summary.statuses if s.status == ACCEPTED)
    new_files = sum(1 for n in run.notes if n.what is IntakeOutcome.NEW)
    result = (f"{period}：收件箱新收 {new_files} 份，已受理 {accepted}/{len(run.summary.statuses)} 个县市区；"
              f"汇总表 {run.summary_path.name if run.summary_path else '未生成'}")
    control_book.report(book, "导入并汇总", result)
    unreadable = [n for n in run.notes if n.what.returned]
    extra = f"另有 {len(unreadable)} 个文件无法读取或识别，见“报送情况”下方的说明。" if unreadable else ""
    book.tell(result + "。详见“报送情况”“进度”两表。" + extra, problem=bool(unreadable))
    return run


def refresh_status(book: Book) -> PeriodSummary:
    period = read_controls(book).need_period()
    summary = consolidation.status(workspace_of(book), period)
    control_book.show_period(book, summary)
    result = control_book.status_result(summary)
    control_book.report(book, "刷新报送情况", result)
    book.tell(result + "。")
    return summary


def make_notices(book: Book, render: Callable[[Hint], str] = lambda hint: hint.action.title) -> notices.Notices:
    controls = read_controls(book)
    period = controls.need_period()
    book.progress(f"正在生成 {period} 的公文……")
    from toolkit.services import notices

    made = notices.make_notices(workspace_of(book), period, day=controls.day)
    result = control_book.show_notices(book, period, made)
    control_book.report(book, "生成通报", result)
    book.tell(result + "。" + layout_words(made.layout, render), problem=bool(made.layout))
    return made


def pipeline_outlook(book: Book):
    """The year's forecast at the period (the same as ``guishang pipeline``): the city's line, nothing written
    but the result line."""
    period = read_controls(book).need_period()
    book.progress(f"正在按截至 {period} 的已受理报表预测全年……")
    from toolkit.services.consolidation.outlook import city_sentence, outlook_of

    outlook = outlook_of(workspace_of(book), period)
    result = city_sentence(outlook)
    control_book.report(book, "培育预测", result)
    book.tell(result + "。")
    return outlook


def screen_departments(book: Book):
    """应入尽入筛选 (the same as ``guishang screen run``): the departments' data screened as of the period, the
    city's candidates and the counties' worklists written; the count by kind in the result line."""
    period = read_controls(book).need_period()
    book.progress(f"正在按 {period.year}年1月至{period.month}月的部门数据筛选应入尽入企业……")
    from toolkit.domain.screening import KINDS
    from toolkit.services.screening import run_screen

    done = run_screen(workspace_of(book), period)
    found = done.screen
    result = (f"应入尽入筛选（{found.period.year}年1—{found.period.month}月）：列出 {len(found.candidates)} 家，"
              + "，".join(f"{k} {sum(c.kind == k for c in found.candidates)} 家" for k in KINDS)
              + f"；清单在“输出/应入尽入/{period}”（市级候选企业表不外发）")
    control_book.report(book, "应入尽入筛选", result)
    book.tell(result + "。" + "".join(f"\n注意：{note}" for note in found.notes))
    return done


def make_rewards(book: Book, render: Callable[[Hint], str] = lambda hint: hint.action.title) -> rewards.RewardRun:
    """The button approves the year's first batch; a follow-up batch needs the person to ask for it
    (rewards.make_rewards), which a button press cannot, so it says how (``render``: the Excel rendering of a
    hint, from the button's module)."""
    controls = read_controls(book)
    year = controls.need_year()
    book.progress(f"正在计算 {year} 年度奖励资金……")
    from toolkit.services import rewards

    run = rewards.make_rewards(workspace_of(book), year, day=controls.day)
    result = control_book.show_rewards(book, year, run)
    control_book.report(book, "生成奖励审批", result)
    follow_up = "\n" + render(run.follow_up) if run.follow_up else ""
    book.tell(result + "。" + "".join(advice.text for advice in run.warnings[:1]) + layout_words(run.layout, render)
              + follow_up, problem=bool(run.nothing or run.layout))
    return run


def layout_words(layout: LayoutCheck, render: Callable[[Hint], str]) -> str:
    """The after-issue layout check in a button's message: the first reminder, how many, the full check."""
    if not layout:
        return ""
    more = f"等 {len(layout)} 处" if len(layout) > 1 else ""
    return f"\n版式提醒：{layout.reminders[0]}{more}。公文须改正后再印发。\n{render(layout.hint)}"
