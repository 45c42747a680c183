"""Use case: check county workbooks (校验本表 / guishang check).

Reads each file once in bulk, parses it against the schema, applies the rules, and writes the
results into NEW files: the input is never modified.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from toolkit import __version__
from toolkit.domain import report_schema as S
from toolkit.domain.file_check import FileCheck
from toolkit.domain.file_names import derived_name
from toolkit.domain.findings import MACROS_LOST, MAX_LISTED, NO_CARRIED_POLICY, TOO_MANY, Finding, make_finding
from toolkit.domain.carried_policy import carried_policy
from toolkit.domain.period_due import period_to_check
from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy
from toolkit.domain.report import CountyReport
from toolkit.domain.report_parsing import Layout, parse_report, reads_sheet
from toolkit.domain.report_columns import check_report
from toolkit.domain.stamp import STAMP_SHEET, FileKind, Stamp
from toolkit.domain.tables import Rows
from toolkit.domain.outcomes import Outcome
from toolkit.ports.files import Stopped, UnreadableWorkbook
from toolkit.ports.tools import tools
from toolkit.services.errors import UserError
from toolkit.services.marking import write_marked_copy
from toolkit.services.policy import SAMPLE_SOURCE
from toolkit.services.workspace import INBOX_NAME, OUTPUT_NAME

RESULTS_DIR_NAME = "校验结果"

_SHEET_ORDER = {name: i for i, name in enumerate((S.COVER_SHEET, *(s.name for s in S.LIST_SHEETS)))}


def _order(finding: Finding) -> tuple:
    return (_SHEET_ORDER.get(finding.sheet, -1), finding.row or 0, finding.cell, finding.code)


def check_sheets(sheets: dict[str, Rows], file: str, policy: Policy, *, expect_county: str | None = None,
                 expect_period: Period | None = None, layout: Layout | None = None) -> tuple[CountyReport, list[Finding]]:
    """The whole check on a workbook's sheets, wherever they came from (a file or a live Excel book);
    ``layout`` (merged cells, hidden rows) when the source can tell."""
    report, findings = parse_report(sheets, file, policy, expect_county, expect_period, layout)
    if report.period is not None and report.county:  # the stamp was accepted (parse_report stops otherwise)
        findings = findings + check_report(report, policy)
    return report, listed(sorted(findings, key=_order), file)


def listed(findings: list[Finding], file: str) -> list[Finding]:
    """At most MAX_LISTED findings, in order, and one more that says how many there were: a county acts on the
    first ones (the cause is usually one), and neither the results workbook nor the marked copy grows without
    end (150,000 rows of a pasted sheet give some 800,000 findings)."""
    if len(findings) <= MAX_LISTED:
        return findings
    return [make_finding(TOO_MANY, file=file, value=f"{len(findings):,}", expected=f"{MAX_LISTED:,}"),
            *findings[:MAX_LISTED]]


@dataclass(frozen=True)
class DueRule:
    """Decide the period due (domain.period_due) once the policy is known: ``given`` when named, else the
    calendar's on ``today``, else the file name's."""

    today: dt.date
    given: Period | None = None


def check_file(path: Path, policy: Policy | None, *, expect_county: str | None = None,
               expect_period: Period | None = None, due: DueRule | None = None,
               policy_source: str = "") -> FileCheck:
    """One workbook's check. ``policy`` None: the policy the workbook carries (the city wrote it into the template;
    E009 when it carries none). ``due`` decides the period expected by the one rule and puts why beside the
    verdict; ``expect_period`` alone: a period the caller already decided."""
    path = Path(path)
    try:
        book = tools().workbooks.read_workbook(path, layout=True, wanted=reads_sheet)
    except UnreadableWorkbook as problem:
        return FileCheck.unreadable_file(path, str(problem))
    if policy is None:
        stamp_rows = book.sheets.get(STAMP_SHEET)
        stamp = Stamp.from_rows(stamp_rows) if stamp_rows else None
        carried = carried_policy(stamp_rows, stamp.generated_at) if stamp is not None else None
        if carried is None:
            code = NO_CARRIED_POLICY if stamp is not None and stamp.kind.is_submission else "E001"
            return FileCheck(path, [make_finding(code, file=path.name)])
        policy, policy_source = carried.policy, carried.source
    basis = period_to_check(policy.calendar, due.today, path.name, due.given) if due is not None else None
    if basis is not None:
        expect_period = basis.period
    report, findings = check_sheets(book.sheets, path.name, policy, expect_county=expect_county,
                                    expect_period=expect_period, layout=book)
    if book.macros_lost:
        findings.append(make_finding(MACROS_LOST, file=path.name))
    check = FileCheck(path, findings, report, policy_source=policy_source or _source_of(policy))
    if basis is not None:
        check.period_basis, check.period_warning = basis.basis, basis.warning
    return check


def _source_of(policy: Policy) -> str:
    return SAMPLE_SOURCE if policy.builtin else f"{policy.region}的政策参数"


def default_output_dir(first_input: Path) -> Path:
    """A 校验结果 folder beside the input; for a workspace inbox, under the workspace's 输出 instead."""
    parent = Path(first_input).resolve().parent
    if parent.name == INBOX_NAME:
        return parent.parent / OUTPUT_NAME / RESULTS_DIR_NAME
    return parent / RESULTS_DIR_NAME


@dataclass
class CheckRun:
    checks: list[FileCheck]
    written: list[Path]

    @property
    def exit_code(self) -> Outcome:
        """FINDINGS: at least one 错误 or unexplained 提示; INPUT: a file could not be read."""
        if any(c.unreadable for c in self.checks):
            return Outcome.INPUT
        return Outcome.FINDINGS if any(c.blocking for c in self.checks) else Outcome.OK


def check_files(paths: Iterable[Path], policy: Policy | None, out_dir: Path | None, *, mark: bool = False,
                write: bool = True, on_file: Callable[[Path], None] | None = None,
                period: Period | None = None, today: dt.date | None = None, policy_source: str = "") -> CheckRun:
    """Check every file (one bad file never stops the others) and write the results workbooks. Each file is
    checked against the period domain.period_due gives (``period`` when named, else the calendar's, else the
    file name's), so that last period's workbook sent again is an error that says so (E005); ``policy`` None:
    each against the policy it carries."""
    paths = [Path(p) for p in paths]
    due = DueRule(today or current_day(), period)
    checks = []
    for path in paths:
        if on_file:
            on_file(path)
        checks.append(check_file(path, policy, due=due, policy_source=policy_source))
    written: list[Path] = []
    if write and paths:
        out_dir = Path(out_dir) if out_dir else default_output_dir(paths[0])
        now = dt.datetime.now().replace(microsecond=0)
        for check in checks:
            results, marked = _write_outputs(check, out_dir, now, mark=mark)
            written += [results] if marked is None else [results, marked]
        if len(checks) > 1:
            target = tools().files.unused_path(out_dir, "校验结果汇总", ".xlsx")
            written.append(tools().workbooks.write_results(target, checks, generated_stamp(FileKind.RESULTS, now),
                                                           created=now))
    return CheckRun(checks, written)


def current_day() -> dt.date:
    """Today, for the period due (one place for tests to set the calendar's day)."""
    return dt.date.today()


def generated_stamp(kind: FileKind, now: dt.datetime, county: str = "", period: object = "") -> Stamp:
    """The stamp of a file this tool generates (results, summary), so that it is never taken for a report."""
    return Stamp(kind, S.SCHEMA_VERSION, county, str(period), now.isoformat(sep=" "), __version__)


@dataclass(frozen=True)
class SelfCheck:
    """A county's own check before sending (the workbench's 县区自查): what was found, and the two files to take
    away — the results workbook and, when something is marked, the marked copy (both None for a file dropped
    into the inbox with nothing to send back)."""

    check: FileCheck
    results: Path | None
    marked: Path | None


@dataclass(frozen=True)
class Budget:
    """What the check of one uploaded workbook may use on the workbench's computer (``serve --upload-limit-mb``):
    its archive may expand to ``inflate_mb`` (refused before parsing past that); reading, checking and writing
    its results run in a child process that is stopped past ``memory_mb`` of memory or ``seconds`` of time."""

    inflate_mb: int = 100
    memory_mb: int = 800
    seconds: int = 60

    @classmethod
    def for_uploads_of(cls, inflate_mb: int) -> "Budget":
        """The budget that goes with an inflation ceiling: reading a sheet takes several times its XML's size."""
        return cls(inflate_mb, max(400, 8 * inflate_mb), 60)


def self_check(path: Path, policy: Policy | None, *, today: dt.date | None = None,
               policy_source: str = "", budget: Budget | None = None) -> SelfCheck:
    """Check ``path`` (a county's workbook, under the name it was sent with) and write its results workbook and
    marked copy beside it; nothing is kept anywhere else. The period due by the reporting calendar is expected, so
    that last period's workbook is named as such (E005); when the calendar has none, the file name's. ``policy``
    None: the policy the workbook carries. With ``budget``, in a child process within it (``UserError`` past it)."""
    path = Path(path)
    return check_and_write(path, policy, DueRule(today or current_day()), path.parent, policy_source=policy_source,
                           budget=budget)


def check_and_write(path: Path, policy: Policy | None, due: DueRule, out_dir: Path | None, *,
                    policy_source: str = "", budget: Budget | None = None, only_with_findings: bool = False,
                    for_city: bool = False) -> SelfCheck:
    """One file checked on its own and what to send back written to ``out_dir`` (None: nothing written; with
    ``only_with_findings``, only when something was found). With ``budget``: in a child process within it, the
    file's name in a ``UserError`` past it, saying what to do to the county checking its own file or, with
    ``for_city``, to the city clerk who received it."""
    if budget is None:
        return _check_and_write(path, policy, due, out_dir, policy_source, only_with_findings, None)
    try:
        return tools().processes.run_bounded(_check_and_write, path, policy, due, out_dir, policy_source,
                                             only_with_findings, budget.inflate_mb, memory_mb=budget.memory_mb,
                                             seconds=budget.seconds)
    except Stopped as stopped:
        raise UserError(_stopped_words(path.name, stopped, budget, for_city)) from None


def _check_and_write(path: Path, policy: Policy | None, due: DueRule, out_dir: Path | None, policy_source: str,
                     only_with_findings: bool, inflate_mb: int | None) -> SelfCheck:
    """With ``inflate_mb`` (in the child process of a budget): what goes back to the server is what its pages show
    — the findings and the verdict — not the rows read (a pasted sheet's would cost the server what the child
    was there to spare it)."""
    with tools().workbooks.inflation_limit(inflate_mb) if inflate_mb else contextlib.nullcontext():
        check = check_file(path, policy, due=due, policy_source=policy_source)
    done = SelfCheck(check, None, None)
    if out_dir is not None and (check.findings or not only_with_findings):
        done = SelfCheck(check, *results_to_send(check, out_dir))
    if inflate_mb and check.report is not None:
        done = replace(done, check=replace(check, report=replace(check.report, lists={}, cover={}, cover_cells={})))
    return done


def _stopped_words(name: str, stopped: Stopped, budget: Budget, for_city: bool) -> str:
    extra = "多余的行或列（如公式或格式被填充到表格末尾、整张表被复制粘贴多次）"
    tidy = (f"县市区报表一般几秒内即可校验完、只需几十 MB 内存，多半是表格中有大量{extra}。请告知报送的县市区删除多余内容、"
            "另存后重新报送。" if for_city else
            f"县市区报表一般几秒内即可校验完、只需几十 MB 内存：请检查文件中是否有大量{extra}，删除后另存再上传；"
            "确需校验此文件，请把它发给市工信局，由市里用命令行校验。")
    if stopped.why == "memory":
        return f"校验“{name}”所需的内存超过服务器为每份上传设定的上限 {budget.memory_mb} MB，已停止。{tidy}"
    if stopped.why == "time":
        return f"校验“{name}”超过 {budget.seconds} 秒仍未完成，已停止。{tidy}"
    code = f"（退出代码 {stopped.exit_code}）" if stopped.exit_code is not None else ""
    return (f"校验“{name}”时读取程序意外退出{code}，未能完成。请把该文件发给市工信局，由市里用命令行校验并反馈。")


def results_to_send(check: FileCheck, out_dir: Path) -> tuple[Path, Path | None]:
    """The results workbook of a file checked on its own and its marked copy, written to ``out_dir`` (beside the
    upload on the self-check page; a private folder for a drop into the inbox, never beside the county's file):
    what can be sent back at once, before the consolidation's checks across counties."""
    return _write_outputs(check, out_dir, dt.datetime.now().replace(microsecond=0), mark=True)


def _write_outputs(check: FileCheck, out_dir: Path, now: dt.datetime, *, mark: bool) -> tuple[Path, Path | None]:
    """One checked file's results workbook and, with ``mark`` and something to mark on a county's file, its
    marked copy."""
    stamp = generated_stamp(FileKind.RESULTS, now, check.county, check.period)
    results = tools().workbooks.write_results(_unused(out_dir, check.path.stem, "_校验结果"), [check], stamp, created=now)
    marked = None
    if mark and check.findings and check.is_submission:
        marked = write_marked_copy(check.path, _unused(out_dir, check.path.stem, "_标注"), check.findings)
    return results, marked


def _unused(folder: Path, stem: str, tail: str) -> Path:
    """An output named after its input, numbered "（2）" when the name is taken: results a county was sent, or a
    clerk annotated, are never written over (a second check of the same file gets a new file)."""
    return tools().files.unused_path(folder, derived_name(stem, tail + ".xlsx")[:-len(".xlsx")], ".xlsx")
