"""Use case: consolidate a period (导入并汇总 / guishang consolidate).

Reads every workbook in the inbox, checks each one (the workbook's own rules, then the checks that
need the register and the other counties), records every submission in the store in one
transaction, settles duplicates (newest receipt wins), and computes the period's figures, status and
assessment from the store. Importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from toolkit import __version__
from toolkit.adapters.atomic import TEMP_PREFIX
from toolkit.adapters.results_workbook import write_results
from toolkit.adapters.store import ACCEPTED, REJECTED, SUPERSEDED, Store, SubmissionRow
from toolkit.adapters.summary_workbook import write_summary
from toolkit.adapters.workbook_file import UnreadableWorkbook, read_sheets
from toolkit.domain import report_schema as S
from toolkit.domain.assessment import assess
from toolkit.domain.cross_checks import Prior, cross_check
from toolkit.domain.figures import MISSING, city_figures, county_figures, rank_by_completion
from toolkit.domain.figures import ACCEPTED as ACCEPTED_LABEL
from toolkit.domain.figures import REJECTED as REJECTED_LABEL
from toolkit.domain.findings import Finding, Level
from toolkit.domain.period_summary import COUNTED, PENDING, DetailRow, PendingClaim, PeriodSummary, StatusRow
from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy
from toolkit.domain.report import CountyReport
from toolkit.domain.register import (Holder, Listing, Submitted, contested, counted_entries, effective,
                                     listings_of, register_at, register_rows)
from toolkit.domain.stamp import STAMP_SHEET, FileKind, Stamp
from toolkit.services.checking import FileCheck, check_sheets
from toolkit.services.errors import UserError
from toolkit.services.workspace import Workspace

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
SUMMARY_DIR_NAME = "汇总"
RESULTS_DIR_NAME = "校验结果"
PARALLEL_FROM = 40  # files; below this, worker processes cost more than they save
MAX_WORKERS = 8


@dataclass(frozen=True)
class InboxNote:
    """What happened to one file in the inbox, in words for the clerk."""

    file: str
    what: str  # 新收 / 已导入 / 已忽略 / 非本期 / 无法读取 / 被替换
    message: str


@dataclass
class ConsolidationRun:
    period: Period
    notes: list[InboxNote] = field(default_factory=list)
    summary: PeriodSummary | None = None
    summary_files: list[Path] = field(default_factory=list)  # the workbook, then CSV files of long lists
    results: list[Path] = field(default_factory=list)  # results workbooks to send back to counties

    @property
    def summary_path(self) -> Path | None:
        return self.summary_files[0] if self.summary_files else None

    @property
    def exit_code(self) -> int:
        """0: every county accepted; 1: a county rejected, missing or pending; 2: a file could not be read."""
        if any(n.what in ("无法读取", "无法识别") for n in self.notes):
            return 2
        if self.summary and any(s.status != ACCEPTED_LABEL for s in self.summary.statuses):
            return 1
        return 0


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _inbox_files(inbox: Path) -> tuple[list[Path], list[InboxNote]]:
    """Workbooks in the inbox (any depth, in name order) and notes on what is skipped."""
    files, notes = [], []
    for path in sorted(inbox.rglob("*")):
        name = path.name
        if name.startswith(TEMP_PREFIX):
            continue
        if name.startswith("~$"):
            notes.append(InboxNote(name, "已忽略", "Office 临时锁定文件（报表正在 Excel 中打开），已跳过。"))
            continue
        if path.is_dir():
            if path.suffix.lower() in WORKBOOK_SUFFIXES:
                notes.append(InboxNote(name, "已忽略", "这是一个文件夹，不是工作簿，已跳过。"))
            continue
        if path.suffix.lower() not in WORKBOOK_SUFFIXES:
            notes.append(InboxNote(name, "已忽略", "不是 Excel 工作簿（.xlsx），已跳过。"))
            continue
        files.append(path)
    return files, notes


def _stamp_of(sheets: dict) -> Stamp | None:
    return Stamp.from_rows(sheets[STAMP_SHEET]) if STAMP_SHEET in sheets else None


def _mtime(path: Path) -> str:
    return dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0).isoformat(sep=" ")


def _now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


@dataclass
class Examined:
    """One inbox file read and checked (possibly in a worker process), not yet recorded."""

    path: Path
    sha256: str
    note: InboxNote | None = None  # set when the file is not a submission of this period
    county: str = ""
    findings: list[Finding] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # as the store keeps them
    entries: tuple[Listing, ...] = ()
    exits: tuple[Listing, ...] = ()


def examine(path: Path, sha: str, policy: Policy, period: Period) -> Examined:
    """Read and check one workbook (no store access: safe in a worker process).

    One bad file never stops the others: even a problem this program did not foresee becomes a
    note on that file (and exit code 2), not the end of the run.
    """
    try:
        return _examine(path, sha, policy, period)
    except Exception as error:  # noqa: BLE001 - reported to the user with what to do
        return Examined(path, sha, InboxNote(path.name, "无法读取", f"读取时遇到本程序未能处理的情况（{type(error).__name__}），"
                                                                  "已跳过此文件，其他文件照常处理。请把该文件发给维护人员。"))


def _examine(path: Path, sha: str, policy: Policy, period: Period) -> Examined:
    name = path.name
    try:
        sheets = read_sheets(path)
    except UnreadableWorkbook as problem:
        return Examined(path, sha, InboxNote(name, "无法读取", str(problem)))
    stamp = _stamp_of(sheets)
    if stamp is not None and not stamp.kind.is_submission:
        return Examined(path, sha, InboxNote(name, "已忽略", f"这是系统生成的“{stamp.kind.label}”，不是县市区报表，已跳过。"))
    if stamp is not None and stamp.period and stamp.period != str(period):
        return Examined(path, sha, InboxNote(name, "非本期", f"报送期为 {stamp.period}，不属于 {period}，本次不处理。"))
    report, findings = check_sheets(sheets, name, policy, expect_period=period)
    unit = policy.find_county(report.county or (stamp.county if stamp else ""))
    if unit is None:
        reason = findings[0].message if findings else "缺少模板标识。"
        return Examined(path, sha, InboxNote(name, "无法识别", f"无法确定所属{policy.unit_label}：{reason}请使用下发的模板。"))
    lists = {key: [(r.sheet, r.row, str(r.values.get("uscc") or ""), str(r.values.get("name") or ""), r.values)
                   for r in report.records(key)] for key in ("entries", "exits")}
    entries, exits = (listings_of(key, lists[key], unit.name, period, name, sha) for key in ("entries", "exits"))
    return Examined(path, sha, county=unit.name, findings=findings, rows=Store.serialise_rows(report),
                    entries=entries, exits=exits)


_WORKER: dict = {}


def _worker_init(policy: Policy, period: Period) -> None:
    _WORKER.update(policy=policy, period=period)


def _worker_examine(job: tuple[Path, str]) -> Examined:
    return examine(job[0], job[1], _WORKER["policy"], _WORKER["period"])


def _examine_all(jobs: list[tuple[Path, str]], policy: Policy, period: Period, parallel: bool,
                 on_file: Callable[[int, int, str], None] | None) -> Iterator[Examined]:
    """Examine files in order; with many files, in worker processes (reading and checking are CPU-bound)."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if parallel and workers > 1 and len(jobs) >= PARALLEL_FROM:
        with ProcessPoolExecutor(workers, initializer=_worker_init, initargs=(policy, period)) as pool:
            for index, result in enumerate(pool.map(_worker_examine, jobs, chunksize=4), start=1):
                if on_file:
                    on_file(index, len(jobs), result.path.name)
                yield result
        return
    for index, (path, sha) in enumerate(jobs, start=1):
        if on_file:
            on_file(index, len(jobs), path.name)
        yield examine(path, sha, policy, period)


def _receive_all(store: Store, policy: Policy, period: Period, files: list[Path], run: ConsolidationRun,
                 fresh: dict[int, FileCheck], parallel: bool, on_file) -> None:
    """Record every new inbox file in the store (or say why not); a known file changes nothing."""
    jobs = []
    for path in files:
        try:
            sha = file_sha256(path)
        except OSError:
            run.notes.append(InboxNote(path.name, "无法读取", f"“{path.name}”无法打开（可能正被占用或没有权限）。请关闭后重试。"))
            continue
        known = store.submission_by_hash(sha)
        if known is None:
            jobs.append((path, sha))
        elif known.period == str(period):
            run.notes.append(InboxNote(path.name, "已导入",
                                       f"与 {known.received_at} 收到的“{known.file_name}”内容相同，未重复计入。"))
    received_at = _now()
    for result in _examine_all(jobs, policy, period, parallel, on_file):
        if result.note is not None:
            run.notes.append(result.note)
            continue
        if store.submission_by_hash(result.sha256) is not None:  # the same file twice in the inbox
            run.notes.append(InboxNote(result.path.name, "已导入", "与收件箱中另一文件内容相同，未重复计入。"))
            continue
        submission_id = store.add_submission(sha256=result.sha256, file_name=result.path.name, county=result.county,
                                             period=str(period), received_at=received_at, file_mtime=_mtime(result.path))
        store.replace_findings(submission_id, "file", result.findings)
        store.add_rows(submission_id, result.rows)
        store.remember(Submitted(submission_id, result.county, period, result.path.name, result.sha256, result.entries,
                                 result.exits))
        # keep only what the results workbook needs, not the whole report (memory at national scale)
        fresh[submission_id] = FileCheck(result.path, report=CountyReport(result.path.name, county=result.county,
                                                                          period=period))
        errors = sum(f.level is Level.ERROR for f in result.findings)
        run.notes.append(InboxNote(result.path.name, "新收", f"{result.county} {period}，本表校验：错误 {errors} 条，"
                                                             f"提示 {len(result.findings) - errors} 条。"))


def _settle_duplicates(store: Store, period: Period, run: ConsolidationRun) -> dict[str, SubmissionRow]:
    """Per county, the newest receipt is the current submission; earlier ones stay in the audit trail."""
    current: dict[str, SubmissionRow] = {}
    for sub in sorted(store.submissions(period=str(period)), key=lambda s: s.order_key):
        earlier = current.get(sub.county)
        current[sub.county] = sub
        if earlier is not None and (earlier.status != SUPERSEDED or earlier.superseded_by != sub.id):
            note = f"已被 {sub.received_at} 收到的“{sub.file_name}”替换（同一单位同一报送期，以最新收到的为准）"
            store.set_status(earlier.id, SUPERSEDED, note, superseded_by=sub.id)
            run.notes.append(InboxNote(earlier.file_name, "被替换",
                                       f"{sub.county} {period} 有更新的报送“{sub.file_name}”，本文件保留在记录中，不再计入。"))
    return current


def _starting_holders(store: Store) -> dict[str, Holder]:
    return {uscc: Holder(county, "规划起始名录", name, source)
            for uscc, (name, county, source) in store.starting_register().items()}


def _judge(store: Store, policy: Policy, period: Period, current: dict[str, SubmissionRow]) -> None:
    """Cross-file checks for each county's current submission, then accept or reject it."""
    attributions = store.attributions()
    others = [s for s in store.accepted() if s.period != period]
    start = _starting_holders(store)
    register = register_at(start, effective(others).values(), period.year, attributions)
    candidates = {county: store.submitted(row) for county, row in current.items()}
    same_year = effective([s for s in [*others, *candidates.values()] if s.period.year == period.year])
    entered = {e.uscc: Holder(e.county, str(e.month or e.period), e.name, e.source.label)
               for s in same_year.values() for e in s.entries}
    previous: dict[str, Submitted] = {}
    for s in others:
        if s.period.year == period.year and s.period < period and (
                s.county not in previous or s.period > previous[s.county].period):
            previous[s.county] = s

    def prior(county: str, disputed: dict) -> Prior:
        return Prior(register, entered, bool(start), previous.get(county), disputed, attributions)

    rejected = {}
    for county, sub in candidates.items():
        own_blocking = any(f.blocking for f in store.findings(current[county].id, origin="file"))
        rejected[county] = own_blocking or any(f.level is Level.ERROR for f in cross_check(sub, prior(county, {})))
    disputed = contested(candidates[c] for c, no in rejected.items() if not no)
    for county, sub in candidates.items():
        row = current[county]
        store.replace_findings(row.id, "cross", cross_check(sub, prior(county, {} if rejected[county] else disputed)))
        if rejected[county]:
            findings = store.findings(row.id)
            errors = sum(f.level is Level.ERROR for f in findings)
            unexplained = sum(f.level is Level.HINT and f.blocking for f in findings)
            reason = "、".join(p for p in (f"错误 {errors} 条" if errors else "",
                                           f"未说明的提示 {unexplained} 条" if unexplained else "") if p)
            store.set_status(row.id, REJECTED, f"有{reason}，须改正后重新报送")
        else:
            store.set_status(row.id, ACCEPTED, "")


def consolidate(workspace: Workspace, period: Period, *, on_file: Callable[[int, int, str], None] | None = None,
                write: bool = True, parallel: bool = True, timings: dict[str, float] | None = None) -> ConsolidationRun:
    """Import the inbox for ``period`` into the store and write the period's summary workbook.

    ``timings`` (for the benchmark) receives the seconds spent in each stage.
    """
    clock = _Stopwatch(timings)
    policy = workspace.policy()
    if not workspace.inbox.is_dir():
        raise UserError(f"工作区中没有“{workspace.inbox.name}”文件夹。请新建该文件夹并放入县市区报回的报表。")
    run = ConsolidationRun(period)
    files, run.notes = _inbox_files(workspace.inbox)
    store = workspace.open_store()
    fresh: dict[int, FileCheck] = {}
    try:
        with store.transaction():
            clock.lap("准备")
            _receive_all(store, policy, period, files, run, fresh, parallel, on_file)
            clock.lap("读取、校验并入库")
            current = _settle_duplicates(store, period, run)
            _judge(store, policy, period, current)
            clock.lap("跨文件核对")
            store.replace_register(register_rows(effective(store.accepted()).values(), store.attributions()))
            clock.lap("更新名录")
        run.summary = period_summary(store, policy, period)
        # what each new file's county must act on (advisory findings are for the city only)
        to_send_back = {sid: store.findings(sid) for sid in fresh}
        to_send_back = {sid: found for sid, found in to_send_back.items() if any(not f.advisory for f in found)}
        clock.lap("计算汇总")
    finally:
        store.close()
    if write:
        now = dt.datetime.now().replace(microsecond=0)
        run.summary_files = write_summary(_summary_path(workspace, policy, period), run.summary, policy,
                                          _stamp(FileKind.SUMMARY, "", period, now), created=now)
        clock.lap("写汇总表")
        results_dir = workspace.output / RESULTS_DIR_NAME
        for submission_id, findings in to_send_back.items():
            check = FileCheck(fresh[submission_id].path, findings, fresh[submission_id].report)
            run.results.append(write_results(results_dir / f"{check.path.stem}_校验结果.xlsx", [check],
                                                 _stamp(FileKind.RESULTS, check.county, period, now), created=now))
        clock.lap("写校验结果")
    return run


class _Stopwatch:
    def __init__(self, timings: dict[str, float] | None):
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now


def _stamp(kind: FileKind, county: str, period: Period, now: dt.datetime) -> Stamp:
    return Stamp(kind, S.SCHEMA_VERSION, county, str(period), now.isoformat(sep=" "), __version__)


def _summary_path(workspace: Workspace, policy: Policy, period: Period) -> Path:
    """A new file every time: never over an existing summary (a clerk may have annotated it)."""
    folder = workspace.output / SUMMARY_DIR_NAME
    stem = f"{policy.region}规上工业企业汇总表_{period}"
    path, number = folder / f"{stem}.xlsx", 1
    while path.exists():
        number += 1
        path = folder / f"{stem}（{number}）.xlsx"
    return path


def period_summary(store: Store, policy: Policy, period: Period) -> PeriodSummary:
    """Everything about the period, computed from the store (read only)."""
    subs = store.submissions(period=str(period))
    current = {s.county: s for s in sorted(subs, key=lambda s: s.order_key) if s.status in (ACCEPTED, REJECTED)}
    replaced = {}
    for s in subs:
        if s.status == SUPERSEDED:
            replaced.setdefault(s.superseded_by, []).append(s)
    accepted = {c: store.submitted(r) for c, r in current.items() if r.status == ACCEPTED}
    attributions = store.attributions()
    disputed = contested(accepted.values())

    statuses, figures, entries, exits, findings = [], [], [], [], []
    for county in policy.county_names:
        row = current.get(county)
        if row is None:
            statuses.append(StatusRow(county, MISSING))
            figures.append(county_figures(policy, period, county, MISSING))
            continue
        own = store.findings(row.id, file=row.file_name)
        findings.extend(own)
        errors = sum(f.level is Level.ERROR for f in own)
        hints = sum(f.level is Level.HINT and not f.advisory for f in own)
        to_verify = sum(f.advisory for f in own)
        unexplained = sum(f.level is Level.HINT and f.blocking for f in own)
        notes = [f"替换了 {r.received_at} 收到的“{r.file_name}”" for r in replaced.get(row.id, [])]
        if row.status == REJECTED:
            statuses.append(StatusRow(county, REJECTED_LABEL, row.file_name, row.received_at, errors, hints,
                                      unexplained, "；".join([row.status_note, *notes]), row.sha256, to_verify))
            figures.append(county_figures(policy, period, county, REJECTED_LABEL, errors=errors, file=row.file_name))
            continue
        sub = accepted[county]
        counted, pending, elsewhere = counted_entries(sub, disputed, attributions)
        statuses.append(StatusRow(county, ACCEPTED_LABEL, row.file_name, row.received_at, errors, hints, unexplained,
                                  "；".join(notes), row.sha256, to_verify))
        figures.append(county_figures(policy, period, county, ACCEPTED_LABEL, entries=counted, exits=list(sub.exits),
                                      pending=len(pending), file=row.file_name))
        entries.extend(DetailRow(x, COUNTED) for x in counted)
        entries.extend(DetailRow(x, PENDING) for x in pending)
        entries.extend(DetailRow(x, f"属{attributions[(x.uscc, period.year)]}") for x in elsewhere)
        exits.extend(DetailRow(x, COUNTED) for x in sub.exits)
    figures = rank_by_completion(figures)
    undecided = sum((uscc, period.year) not in attributions for uscc in disputed)
    city = city_figures(policy, period, figures, _net_since_start(store, policy, period, attributions), undecided)
    claims = [PendingClaim(uscc, rows[0].name, period.year, tuple(rows), attributions.get((uscc, period.year), ""))
              for uscc, rows in sorted(disputed.items())]
    return PeriodSummary(policy.region, period, statuses, figures, city, assess(policy, period, figures),
                         entries, exits, claims, findings, policy.unit_label)


def _net_since_start(store: Store, policy: Policy, period: Period, attributions) -> int | None:
    """Net change of the register since the plan's start, from each county-year's latest accepted list."""
    if policy.base_register_total is None:
        return None
    subs = [s for s in store.accepted() if policy.first_year <= s.period.year and s.period <= period]
    total = 0
    by_year: dict[int, list[Submitted]] = {}
    for sub in effective(subs).values():
        by_year.setdefault(sub.period.year, []).append(sub)
    for group in by_year.values():
        disputed = contested(group)
        for sub in group:
            counted, pending, _ = counted_entries(sub, disputed, attributions)
            total += len(counted) - len(sub.exits)
        total += len({u for u, rows in disputed.items() if (u, group[0].period.year) not in attributions})
    return total


def status(workspace: Workspace, period: Period) -> PeriodSummary:
    """The period as the store has it now, without importing anything."""
    policy = workspace.policy()
    store = workspace.open_store()
    try:
        return period_summary(store, policy, period)
    finally:
        store.close()


def assign(workspace: Workspace, uscc: str, county_name: str, year: int, note: str = "") -> tuple[str, list[str]]:
    """Record which county an enterprise claimed by several counties belongs to (认定归属)."""
    policy = workspace.policy()
    county = policy.find_county(county_name)
    if county is None:
        raise UserError(f"政策参数中没有“{county_name}”。可选：{'、'.join(policy.county_names)}。")
    store = workspace.open_store()
    try:
        claimants = sorted({s.county for s in store.accepted() if s.period.year == year
                            for e in s.entries if e.uscc == uscc})
        if not claimants:
            raise UserError(f"{year} 年已受理的报表中没有统一社会信用代码为“{uscc}”的新增企业。请核对代码和年份。")
        if county.name not in claimants:
            raise UserError(f"“{uscc}”在 {year} 年只由{'、'.join(claimants)}报为新增，不能认定给{county.name}。")
        with store.transaction():
            store.set_attribution(uscc, year, county.name, note)
            # the year's findings follow the decision at once (W202 becomes W206 for the other claimants)
            periods = sorted({Period.parse(s.period) for s in store.submissions() if s.period.startswith(f"{year}-")})
            for period in periods:
                _judge(store, policy, period, _settle_duplicates(store, period, ConsolidationRun(period)))
            store.replace_register(register_rows(effective(store.accepted()).values(), store.attributions()))
        return county.name, claimants
    finally:
        store.close()
