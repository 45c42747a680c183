"""Use cases of the city control workbook's buttons, on any ``Book`` sitting in a workspace folder:
生成县区模板, 导入并汇总, 刷新报送情况, 生成通报, 生成奖励审批.

Each one calls the same service as the CLI verb, then writes what the clerk needs to see into the
control workbook (the 报送情况 / 进度 / 公文 / 奖励 sheets and the result lines of 控制台).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from toolkit import __version__
from toolkit.domain.buttons import CONTROL_SHEET, INPUTS, input_cell
from toolkit.domain.figures import ACCEPTED, percent
from toolkit.domain.file_names import TEMP_PREFIX
from toolkit.domain.money import capitals
from toolkit.domain.intake_outcome import IntakeOutcome
from toolkit.domain.period_summary import PeriodSummary
from toolkit.domain.periods import Period
from toolkit.domain.stamp import FileKind, Stamp
from toolkit.domain.tables import cell, find_label
from toolkit.domain.hints import Action, Hint
from toolkit.ports.files import SignatureMismatch, UnreadableWorkbook
from toolkit.ports.tools import tools
from toolkit.services import consolidation, signing, templates
from toolkit.ports.book import Book, Table
from toolkit.services.errors import UserError
from toolkit.services.prefill import prefill_templates
from toolkit.services.workspace import Workspace

if TYPE_CHECKING:  # the notices and rewards bring python-docx and docxtpl: imported by their own buttons only
    from toolkit.services import notices, rewards
    from toolkit.services.doc_check import LayoutCheck

CONTROL_STEM = "市级控制台"


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


def _report(book: Book, what: str, result: str) -> None:
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    book.write(CONTROL_SHEET, input_cell("工作区"), [[str(book.path.parent)], [what], [now], [result]])


# --- tables shown in the control workbook -------------------------------------------------------------
def status_table(summary: PeriodSummary) -> Table:
    rows = [(s.county, s.status, s.file, s.received_at, s.errors if s.file else "", s.hints if s.file else "",
             s.to_verify if s.file else "", s.note) for s in summary.statuses]
    title = f"报送情况（{summary.period.label}）" + (f"：已于 {summary.closed.closed_at} 封账" if summary.closed else "")
    return Table(title, (summary.unit_label, "状态", "文件", "收到时间", "错误", "提示", "待核实", "备注"), rows,
                 (12, 10, 40, 20, 8, 8, 8, 50))


def progress_table(summary: PeriodSummary) -> Table:
    rows = []
    for f in summary.counties:
        decision = summary.decision(f.county)
        outcome, reason = (decision.outcome, decision.reason) if decision and decision.outcome else ("", "")
        if not f.has_figures:
            rows.append((f.county, f.status, "", "", "", f.target or "", "", "", "", outcome, reason))
            continue
        rows.append((f.county, f.status, f.new, f.exits, f.net, f.target or "", percent(f.completion),
                     "" if f.gap_points is None else round(f.gap_points, 1), f.rank or "", outcome, reason))
    city = summary.city
    rows.append((city.row_label, "", city.new, city.exits, city.net, city.reporting_target or "", percent(city.completion),
                 "" if city.gap_points is None else round(city.gap_points, 1), "", "", city.whole_city_note))
    return Table(f"{summary.region}新增规上工业企业进度（{summary.period.label}，时序进度 {percent(city.progress)}）",
                 (summary.unit_label, "状态", "新增", "退库", "净增", "年度目标", "完成率", "差距(百分点)", "排名", "评价",
                  "评价理由"), rows, (12, 9, 7, 7, 7, 9, 9, 12, 6, 7, 70))


def _show_period(book: Book, summary: PeriodSummary) -> None:
    book.put_table("报送情况", status_table(summary), after=CONTROL_SHEET)
    book.put_table("进度", progress_table(summary), after="报送情况")


def _status_result(summary: PeriodSummary) -> str:
    missing = [s.county for s in summary.statuses if s.status != ACCEPTED]
    return f"{summary.period}：" + (f"尚未受理 {'、'.join(missing)}" if missing else "各县市区均已受理")


def _show_notices(book: Book, period: Period, made: notices.Notices) -> str:
    rows = [(n.label, n.number, n.path.name if n.path else n.skipped) for n in made]
    book.put_table("公文", Table(f"{period} 公文", ("文种", "发文字号", "文件"), rows, (16, 26, 60)),
                   after="进度")
    written = [n for n in made if n.path]
    folder = written[0].path.parent if written else ""
    return f"{period}：生成公文 {len(written)} 份，位于 {folder}；" + (made.held_open.rstrip("。") or "该期已封账")


def _show_rewards(book: Book, year: int, run: rewards.RewardRun) -> str:
    batches = [run.batch] if run.batch else run.existing
    rows = []
    for batch in batches:
        per_county, total = batch.totals
        for t in per_county:
            rows.append((batch.label, t.county, t.first_count, t.second_count, t.amount, t.amount / 10000,
                         t.city_amount, t.county_amount, t.excluded))
        rows.append((batch.label, "合计", total.first_count, total.second_count, total.amount, total.amount / 10000,
                     total.city_amount, total.county_amount, total.excluded))
        rows.append((batch.label, "大写", capitals(batch.total)))
    book.put_table("奖励", Table(f"{year}年度奖励资金", ("批次", "县市区", "首期(家)", "第二期(家)", "金额(元)", "金额(万元)",
                                                       "市级承担(元)", "县级承担(元)", "不予兑现(家)"),
                                 rows, (18, 12, 10, 10, 14, 12, 14, 14, 12)), after="公文")
    if run.batch:
        return f"已审批{run.batch.label}：{run.batch.total:,} 元，文件位于 {run.folder}"
    if run.existing:
        more = f"；另有 {run.not_yet_approved} 家（次）现在符合条件，尚待追加审批" if run.not_yet_approved else ""
        return f"{year}年度已审批过，未重复审批（显示已审批的批次）{more}"
    return run.nothing or f"{year}年度没有可审批的奖励"


# --- after a command: the control workbook without macros shows what the command did -----------------
def reflect(workspace: Workspace, what: str, *, summary: PeriodSummary | None = None,
            made: notices.Notices | None = None, period: Period | None = None,
            reward_run: rewards.RewardRun | None = None, year: int | None = None) -> str:
    """Write what a command did into the workspace's 市级控制台.xlsx, as its button would have: the 报送情况,
    进度, 公文 or 奖励 sheet and the result lines. Replaced whole and atomically; returns a note to print when
    it could not be (open in Excel, damaged), '' otherwise — the command's own work is done either way."""
    path = workspace.root / f"{CONTROL_STEM}.xlsx"
    if not path.is_file():
        return ""
    try:
        book = tools().workbooks.file_book(path)
        result = what
        if summary is not None:
            _show_period(book, summary)
            result = _status_result(summary)
        if made is not None and period is not None:
            result = _show_notices(book, period, made)
        if reward_run is not None and year is not None:
            result = _show_rewards(book, year, reward_run)
        _report(book, what, result)
        temp = path.with_name(f"{TEMP_PREFIX}{path.stem}.更新中{path.suffix}")  # skipped by folder readers
        book.save_as(temp)
        os.replace(temp, path)
    except (OSError, UnreadableWorkbook) as error:
        path.with_name(f"{TEMP_PREFIX}{path.stem}.更新中{path.suffix}").unlink(missing_ok=True)
        return (f"“{path.name}”未更新（{type(error).__name__}：可能正在 Excel 中打开）。关闭后再运行一次命令即可，"
                "命令本身的结果不受影响。")
    return ""


# --- the buttons' use cases ----------------------------------------------------------------------------
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
    _report(book, "生成县区模板", result)
    book.tell(result + "。请把 .xlsx（或本单位已安装 Python 的县市区用 .xlsm）下发。")
    return paths


def consolidate(book: Book) -> consolidation.ConsolidationRun:
    period = read_controls(book).need_period()
    workspace = workspace_of(book)

    def on_file(index: int, total: int, name: str) -> None:
        book.progress(f"正在读取并校验（{index}/{total}）：{name}")

    run = consolidation.consolidate(workspace, period, on_file=on_file)
    _show_period(book, run.summary)
    if run.unchanged:  # a closed period, nothing new: the one rule of every door (services.consolidation)
        _report(book, "导入并汇总", run.unchanged)
        book.tell(run.unchanged)
        return run
    accepted = sum(1 for s in run.summary.statuses if s.status == ACCEPTED)
    new_files = sum(1 for n in run.notes if n.what is IntakeOutcome.NEW)
    result = (f"{period}：收件箱新收 {new_files} 份，已受理 {accepted}/{len(run.summary.statuses)} 个县市区；"
              f"汇总表 {run.summary_path.name if run.summary_path else '未生成'}")
    _report(book, "导入并汇总", result)
    unreadable = [n for n in run.notes if n.what.returned]
    extra = f"另有 {len(unreadable)} 个文件无法读取或识别，见“报送情况”下方的说明。" if unreadable else ""
    book.tell(result + "。详见“报送情况”“进度”两表。" + extra, problem=bool(unreadable))
    return run


def refresh_status(book: Book) -> PeriodSummary:
    period = read_controls(book).need_period()
    summary = consolidation.status(workspace_of(book), period)
    _show_period(book, summary)
    result = _status_result(summary)
    _report(book, "刷新报送情况", result)
    book.tell(result + "。")
    return summary


def make_notices(book: Book, render: Callable[[Hint], str] = lambda hint: hint.action.title) -> notices.Notices:
    controls = read_controls(book)
    period = controls.need_period()
    book.progress(f"正在生成 {period} 的公文……")
    from toolkit.services import notices

    made = notices.make_notices(workspace_of(book), period, day=controls.day)
    result = _show_notices(book, period, made)
    _report(book, "生成通报", result)
    book.tell(result + "。" + layout_words(made.layout, render), problem=bool(made.layout))
    return made


def make_rewards(book: Book, render: Callable[[Hint], str] = lambda hint: hint.action.title) -> rewards.RewardRun:
    """The button approves the year's first batch; a follow-up batch needs the person to ask for it
    (rewards.make_rewards), which a button press cannot, so it says how (``render``: the Excel rendering of a
    hint, from the button's module)."""
    controls = read_controls(book)
    year = controls.need_year()
    book.progress(f"正在计算 {year} 年度奖励资金……")
    from toolkit.services import rewards

    run = rewards.make_rewards(workspace_of(book), year, day=controls.day)
    result = _show_rewards(book, year, run)
    _report(book, "生成奖励审批", result)
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


# --- writing the control workbook itself ---------------------------------------------------------------
def control_stamp(now: dt.datetime) -> Stamp:
    return Stamp(FileKind.CONTROL, "1", "", "", now.strftime("%Y-%m-%d %H:%M:%S"), __version__)


@dataclass
class ControlWorkbooks:
    paths: list[Path] = field(default_factory=list)
    signed: bool = False  # the .xlsm carries the city's signature (guishang excel sign)
    signature_problem: str = ""  # why a stored signature was not used


def write_control_workbooks(workspace: Workspace, *, period: Period | None = None, year: int | None = None,
                            created: dt.datetime | None = None, only_missing: bool = False) -> ControlWorkbooks:
    """市级控制台.xlsm and .xlsx in the workspace. An existing one is kept as a verified backup first
    (or, with ``only_missing``, left alone). The .xlsm carries the signature kept by ``excel sign`` while the
    macros are unchanged; otherwise it is written unsigned and ``signature_problem`` says why."""
    created = created or dt.datetime.now().replace(microsecond=0)
    values = {"报送期": str(period) if period else "", "奖励年度": str(year) if year else ""}
    result = ControlWorkbooks()
    for suffix, macros in ((".xlsm", True), (".xlsx", False)):
        target = workspace.root / f"{CONTROL_STEM}{suffix}"
        if target.exists() and only_missing:
            continue
        if target.exists():
            backup_before_replacing(target, created)
        write = partial(tools().workbooks.write_control_workbook, target, control_stamp(created),
                        region=workspace.policy().region, values=values, macros=macros, created=created)
        signed = signing.stored_signature(workspace) if macros else None
        if signed is not None:
            try:
                result.paths.append(write(signed=signed))
                result.signed = True
                continue
            except SignatureMismatch as mismatch:
                result.signature_problem = "；".join(mismatch.problems)
        result.paths.append(write())
    return result


def backup_before_replacing(path: Path, now: dt.datetime) -> Path:
    """Copy ``path`` beside itself with the time in its name and check the copy byte for byte."""
    backup = tools().files.unused_path(path.parent, f"{path.stem}.备份{now:%Y%m%d%H%M%S}", path.suffix)
    shutil.copy2(path, backup)
    if hashlib.sha256(backup.read_bytes()).digest() != hashlib.sha256(path.read_bytes()).digest():
        backup.unlink(missing_ok=True)
        raise UserError(f"无法备份“{path.name}”（备份与原文件不一致），未改动原文件。")
    return backup
