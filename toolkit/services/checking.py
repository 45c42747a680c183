"""Use case: check county workbooks (校验本表 / guishang check).

Reads each file once in bulk, parses it against the schema, applies the rules, and writes the
results into NEW files: the input is never modified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from toolkit import __version__
from toolkit.adapters.atomic import derived_name, unused_path
from toolkit.adapters.results_workbook import write_results
from toolkit.adapters.workbook_file import UnreadableWorkbook, inflation_limit, read_workbook
from toolkit.domain import report_schema as S
from toolkit.domain.file_check import FileCheck
from toolkit.domain.findings import MACROS_LOST, NO_CARRIED_POLICY, Finding, make_finding
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
    return report, sorted(findings, key=_order)


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
        book = read_workbook(path, layout=True, wanted=reads_sheet)
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
            written.append(write_results(unused_path(out_dir, "校验结果汇总", ".xlsx"), checks,
                                         generated_stamp(FileKind.RESULTS, now), created=now))
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
    away — the results workbook and, when something is marked, the marked copy."""

    check: FileCheck
    results: Path
    marked: Path | None


def reading_at_most(mb: int):
    """A block in which workbooks that expand to more than ``mb`` MB are refused before anything parses them:
    the workbench's ceiling per upload (``serve --upload-limit-mb``), below the command line's."""
    return inflation_limit(mb)


def self_check(path: Path, policy: Policy | None, *, today: dt.date | None = None,
               policy_source: str = "") -> SelfCheck:
    """Check ``path`` (a county's workbook, under the name it was sent with) and write its results workbook and
    marked copy beside it; nothing is kept anywhere else. The period due by the reporting calendar is expected, so
    that last period's workbook is named as such (E005); when the calendar has none, the file name's. ``policy``
    None: the policy the workbook carries."""
    path = Path(path)
    check = check_file(path, policy, due=DueRule(today or current_day()), policy_source=policy_source)
    return SelfCheck(check, *results_to_send(check, path.parent))


def results_to_send(check: FileCheck, out_dir: Path) -> tuple[Path, Path | None]:
    """The results workbook of a file checked on its own and its marked copy, written to ``out_dir`` (beside the
    upload on the self-check page; a private folder for a drop into the inbox, never beside the county's file):
    what can be sent back at once, before the consolidation's checks across counties."""
    return _write_outputs(check, out_dir, dt.datetime.now().replace(microsecond=0), mark=True)


def _write_outputs(check: FileCheck, out_dir: Path, now: dt.datetime, *, mark: bool) -> tuple[Path, Path | None]:
    """One checked file's results workbook and, with ``mark`` and something to mark on a county's file, its
    marked copy."""
    stamp = generated_stamp(FileKind.RESULTS, now, check.county, check.period)
    results = write_results(_unused(out_dir, check.path.stem, "_校验结果"), [check], stamp, created=now)
    marked = None
    if mark and check.findings and check.is_submission:
        marked = write_marked_copy(check.path, _unused(out_dir, check.path.stem, "_标注"), check.findings)
    return results, marked


def _unused(folder: Path, stem: str, tail: str) -> Path:
    """An output named after its input, numbered "（2）" when the name is taken: results a county was sent, or a
    clerk annotated, are never written over (a second check of the same file gets a new file)."""
    return unused_path(folder, derived_name(stem, tail + ".xlsx")[:-len(".xlsx")], ".xlsx")
