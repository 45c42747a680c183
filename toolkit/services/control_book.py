"""The city control workbook (市级控制台): writing it, and what it shows after any door's run.

The 报送情况 / 进度 / 公文 / 奖励 sheets and the result lines of 控制台 are filled the same way whether a
button did the work (``toolkit/excel/control_sheet.py``: the buttons read their inputs there and call the
same services) or a command or the workbench did (``reflect``: the .xlsx edition beside the workspace shows
what was done).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import __version__
from toolkit.domain.buttons import CONTROL_SHEET, input_cell
from toolkit.domain.figures import ACCEPTED, percent
from toolkit.domain.file_names import TEMP_PREFIX
from toolkit.domain.money import capitals
from toolkit.domain.period_summary import PeriodSummary
from toolkit.domain.periods import Period
from toolkit.domain.stamp import FileKind, Stamp
from toolkit.ports.files import SignatureMismatch, UnreadableWorkbook
from toolkit.ports.tools import tools
from toolkit.services import signing
from toolkit.ports.book import Book, Table
from toolkit.services.errors import UserError
from toolkit.services.workspace import Workspace

if TYPE_CHECKING:  # the notices and rewards bring python-docx and docxtpl: imported by their own buttons only
    from toolkit.services import notices, rewards

CONTROL_STEM = "市级控制台"


def report(book: Book, what: str, result: str) -> None:
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


def show_period(book: Book, summary: PeriodSummary) -> None:
    book.put_table("报送情况", status_table(summary), after=CONTROL_SHEET)
    book.put_table("进度", progress_table(summary), after="报送情况")


def status_result(summary: PeriodSummary) -> str:
    missing = [s.county for s in summary.statuses if s.status != ACCEPTED]
    return f"{summary.period}：" + (f"尚未受理 {'、'.join(missing)}" if missing else "各县市区均已受理")


def show_notices(book: Book, period: Period, made: notices.Notices) -> str:
    rows = [(n.label, n.number, n.path.name if n.path else n.skipped) for n in made]
    book.put_table("公文", Table(f"{period} 公文", ("文种", "发文字号", "文件"), rows, (16, 26, 60)),
                   after="进度")
    written = [n for n in made if n.path]
    folder = written[0].path.parent if written else ""
    return f"{period}：生成公文 {len(written)} 份，位于 {folder}；" + (made.held_open.rstrip("。") or "该期已封账")


def show_rewards(book: Book, year: int, run: rewards.RewardRun) -> str:
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
            show_period(book, summary)
            result = status_result(summary)
        if made is not None and period is not None:
            result = show_notices(book, period, made)
        if reward_run is not None and year is not None:
            result = show_rewards(book, year, reward_run)
        report(book, what, result)
        temp = path.with_name(f"{TEMP_PREFIX}{path.stem}.更新中{path.suffix}")  # skipped by folder readers
        book.save_as(temp)
        os.replace(temp, path)
    except (OSError, UnreadableWorkbook) as error:
        path.with_name(f"{TEMP_PREFIX}{path.stem}.更新中{path.suffix}").unlink(missing_ok=True)
        return (f"“{path.name}”未更新（{type(error).__name__}：可能正在 Excel 中打开）。关闭后再运行一次命令即可，"
                "命令本身的结果不受影响。")
    return ""


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
