"""Use case: consolidate a period (导入并汇总 / guishang consolidate).

Reads every workbook in the inbox, checks each one (the workbook's own rules, then the checks that
need the register and the other counties), records every submission in the store in one
transaction, settles duplicates (the latest saved workbook counts, or the city's choice: domain.submissions), and computes the period's figures, status and
assessment from the store. Importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from toolkit import __version__
from toolkit.domain.assessment import assess
from toolkit.domain.cross_checks import Prior, confirmed_by_county, cross_check
from toolkit.domain.figures import MISSING, city_figures, county_figures, rank
from toolkit.domain.figures import ACCEPTED as ACCEPTED_LABEL
from toolkit.domain.figures import REJECTED as REJECTED_LABEL
from toolkit.domain.file_names import derived_name
from toolkit.domain.findings import KINDS, PERIOD_MISMATCH, UNREADABLE, Level
from toolkit.domain.period_summary import (COUNTED, PENDING, Adjustment, DetailRow, PendingClaim, PeriodSummary,
                                          StatusRow)
from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy
from toolkit.domain.reconcile import reconcile
from toolkit.domain.register import (Holder, Submitted, contested, counted_entries, effective, register_at,
                                     register_rows)
from toolkit.domain.report import CountyReport
from toolkit.domain.hints import Action, Hint
from toolkit.domain.intake_outcome import IntakeOutcome
from toolkit.domain.stamp import FileKind
from toolkit.domain.submissions import Candidate, Submission, SubmissionStatus, own_name, pick_current, saved_time
from toolkit.domain.outcomes import Outcome
from toolkit.domain.file_check import FileCheck
from toolkit.ports.store import Store
from toolkit.ports.tools import Archive, tools
from toolkit.services.checking import generated_stamp
from toolkit.services.clock import now_text
from toolkit.services.closing import keep_policy, policy_for
from toolkit.services.errors import UserError
from toolkit.services.intake import InboxNote, Incoming, Progress, Recorded, receive, scan_inbox
from toolkit.services.workspace import Workspace

SUMMARY_DIR_NAME = "汇总"
RESULTS_DIR_NAME = "校验结果"


@dataclass
class ConsolidationRun:
    period: Period
    notes: list[InboxNote] = field(default_factory=list)
    summary: PeriodSummary | None = None
    summary_files: list[Path] = field(default_factory=list)  # the workbook, then CSV files of long lists
    results: list[Path] = field(default_factory=list)  # results workbooks to send back to counties
    # a closed period with nothing new in the inbox: why nothing was written (the signed figures stand)
    unchanged: str = ""

    @property
    def summary_path(self) -> Path | None:
        return self.summary_files[0] if self.summary_files else None

    @property
    def exit_code(self) -> Outcome:
        """FINDINGS: a county rejected or missing; INPUT: a file could not be read or identified."""
        if any(n.what.returned for n in self.notes):
            return Outcome.INPUT
        if self.summary and any(s.status != ACCEPTED_LABEL for s in self.summary.statuses):
            return Outcome.FINDINGS
        return Outcome.OK


def _settle_duplicates(store: Store, period: Period, run: ConsolidationRun,
                       new: frozenset[int] = frozenset()) -> dict[str, Submission]:
    """Per county, the file that counts (domain.submissions: the city's choice, else the latest saved
    workbook, else the latest receipt); the others stay in the audit trail, each saying why. A file received
    in this run (``new``: its submission id) already has its line in the run's notes: the replacement is
    said on that line, so the inbox table lists each file once."""
    by_county: dict[str, list[Submission]] = defaultdict(list)
    for sub in store.submissions.all(period=period):
        by_county[sub.county].append(sub)
    choices = store.submissions.choices(period)
    current: dict[str, Submission] = {}
    for county, subs in by_county.items():
        choice = choices.get(county)
        candidates = subs
        if len(subs) > 1:
            # a file that could not be read never outranks one that could (a .ods copy beside the .xlsx), nor
            # last period's workbook renamed one whose cover says this period
            codes = {row.id: {f.code for f in found} for row, found in
                     zip(subs, (store.submissions.findings(s.id, origin="file") for s in subs))}
            candidates = [Candidate(s, readable=UNREADABLE not in codes[s.id],
                                    this_period=PERIOD_MISMATCH not in codes[s.id]) for s in subs]
        pick = pick_current(candidates, choice.sha256 if choice else "", choice.decided_at if choice else "")
        current[county] = pick.current
        for other in subs:
            if other.id == pick.current.id or (other.status == SubmissionStatus.SUPERSEDED
                                               and other.superseded_by == pick.current.id):
                continue
            store.submissions.set_status(other.id, SubmissionStatus.SUPERSEDED, f"同一单位同一报送期有多个文件，{pick.reason}",
                             superseded_by=pick.current.id)
            replaced = f"{county} {period} 有多个文件，{pick.reason}；本文件保留在记录中，不再计入。"
            line = next((i for i, n in enumerate(run.notes) if n.file == other.file_name), None)
            if other.id in new and line is not None:
                said = run.notes[line]
                run.notes[line] = InboxNote(said.file, said.what,  # 新收 or 无法读取: what happened to it first
                                            f"{said.message.rstrip()}（被替换：{replaced.rstrip('。')}）")
            else:
                run.notes.append(InboxNote(other.file_name, IntakeOutcome.REPLACED, replaced))
    return current


def _starting_holders(store: Store) -> dict[str, Holder]:
    return {uscc: Holder(firm.county, "规划起始名录", firm.name, firm.source)
            for uscc, firm in store.register.starting().items()}


def _judge(store: Store, policy: Policy, period: Period, current: dict[str, Submission], *,
           incremental: bool = True) -> None:
    """Cross-file checks for each county's current submission, then accept or reject it.

    Only what a change can reach is judged again (``incremental``, see _reach); the other counties keep the
    findings and status their last judgment gave, which judging them again would give unchanged
    (tests/integration/test_incremental_judging.py holds both ways to the same store)."""
    attributions = store.decisions.attributions()
    others = [s for s in store.submissions.accepted() if s.period != period]
    start = _starting_holders(store)
    register = register_at(start, effective(others).values(), period.year, attributions)
    candidates = {county: store.submissions.submitted(row) for county, row in current.items()}
    same_year = effective([s for s in [*others, *candidates.values()] if s.period.year == period.year])
    entered = {e.uscc: e for s in same_year.values() for e in s.entries}
    previous: dict[str, Submitted] = {}
    for s in others:
        if s.period.year == period.year and s.period < period and (
                s.county not in previous or s.period > previous[s.county].period):
            previous[s.county] = s

    confirmed = _confirmed(store, period)
    confirmed_here = confirmed_by_county(confirmed) if confirmed is not None else {}

    claimants: dict[str, set[str]] = defaultdict(set)
    for s in same_year.values():
        for e in s.entries:
            claimants[e.uscc].add(e.county)
    claimed_by = dict(claimants)  # read only from here on

    def prior(county: str, disputed: dict) -> Prior:
        return Prior(register, entered, bool(start), previous.get(county), disputed, attributions, confirmed,
                     claimed_by, confirmed_here.get(county, {}))

    rejected: dict[str, bool] = {}
    undisputed: dict[str, list] = {}

    def judge_alone(counties) -> None:
        """Each county's acceptance on its own: blocking findings in its file, errors against the register."""
        own = store.submissions.findings_of([current[c] for c in counties], origin="file", named=False)
        for county in counties:
            if any(f.blocking for f in own[current[county].id]):
                rejected[county] = True
                continue
            undisputed[county] = cross_check(candidates[county], prior(county, {}))
            rejected[county] = any(f.level is Level.ERROR for f in undisputed[county])

    inputs = _judgment_inputs(store, period, others, attributions)
    reach = _reach(store, period, current, candidates, previous, inputs, judge_alone, rejected) if incremental else None
    if reach is None:  # everything judged again
        reach = set(current)
        judge_alone(list(current))
    disputed = contested(candidates[c] for c in candidates if not rejected[c])
    for county, sub in candidates.items():
        if county not in reach:
            continue  # nothing it rests on has changed: its findings and status stand
        row = current[county]
        if not rejected[county] and any(e.uscc in disputed for e in sub.entries):
            found = cross_check(sub, prior(county, disputed))
        else:  # the disputes cannot change this county's findings: they were found already (or are found now)
            found = undisputed[county] if county in undisputed else cross_check(sub, prior(county, {}))
        store.submissions.replace_findings(row.id, "cross", found)
        if rejected[county]:
            findings = store.submissions.findings(row.id)
            errors = sum(f.level is Level.ERROR for f in findings)
            unexplained = sum(f.level is Level.HINT and f.blocking for f in findings)
            reason = "、".join(p for p in (f"错误 {errors} 条" if errors else "",
                                           f"未说明的提示 {unexplained} 条" if unexplained else "") if p)
            store.submissions.set_status(row.id, SubmissionStatus.REJECTED, f"有{reason}，须改正后重新报送")
        else:
            store.submissions.set_status(row.id, SubmissionStatus.ACCEPTED, "")
    ids = {county: row.id for county, row in current.items()}
    store.decisions.remember_judgment(period, {"inputs": inputs, "current": ids, "states": {
        str(sub_id): state for sub_id, state in store.submissions.judged_states(ids.values()).items()}})


def _judgment_inputs(store: Store, period: Period, others: list[Submitted], attributions: dict) -> str:
    """A digest of everything a period's judgment rests on besides its own counties' submissions: the other
    periods' accepted submissions, the attributions, the starting register, the period's confirmed list, and the
    rules (this tool's version)."""
    facts = {"version": __version__, "others": sorted(s.submission_id for s in others),
             "attributions": sorted([uscc, year, county] for (uscc, year), county in attributions.items()),
             "starting": store.register.starting_info(), "confirmed": store.register.confirmed_info(period)}
    return hashlib.sha256(json.dumps(facts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _reach(store: Store, period: Period, current: dict[str, Submission], candidates: dict[str, Submitted],
           previous: dict[str, Submitted], inputs: str, judge_alone, rejected: dict[str, bool]) -> set[str] | None:
    """The counties a new judgment of the period must judge again, having judged each alone (``judge_alone``
    fills ``rejected``; the others' is their stored status); None when all must be.

    All must be, unless the period's last judgment rested on the same ``inputs`` and nothing has written over
    what it left on the counties whose submission is the same (status, note, cross findings). Then a county is
    judged again when its current submission changed, or when it lists an enterprise whose facts may have
    changed: as an entry or exit, or among its previous period's entries (a dropped entry is looked up among the
    other claimants). An enterprise's facts may change when a county whose submission changed listed it as an
    entry (in the old submission or the new), or a county whose acceptance flipped lists it as an entry (it joins
    or leaves the disputes): so the reach grows until no acceptance flips."""
    last = store.decisions.judgment(period)
    if last is None or last.get("inputs") != inputs:
        return None
    before: dict[str, int] = last.get("current", {})
    same = [county for county, row in current.items() if before.get(county) == row.id]
    states = store.submissions.judged_states(current[county].id for county in same)
    if any(last.get("states", {}).get(str(current[c].id)) != states.get(current[c].id) for c in same):
        return None  # something else wrote over a judgment (another tool version): judge everything
    changed = set(current) - set(same)
    old_rows = {row.id: row for row in store.submissions.all(period=period)}
    touched: set[str] = set()
    for county in changed | (set(before) - set(current)):
        if county in candidates:
            touched.update(e.uscc for e in candidates[county].entries)
        old = old_rows.get(before.get(county))
        if old is not None:
            touched.update(e.uscc for e in store.submissions.submitted(old).entries)

    def reached(county: str) -> bool:
        sub, earlier = candidates[county], previous.get(county)
        return any(x.uscc in touched for x in (*sub.entries, *sub.exits, *(earlier.entries if earlier else ())))

    reach = set(changed)
    fresh = list(changed) + [c for c in same if reached(c)]
    while fresh:
        judge_alone(fresh)
        reach.update(fresh)
        flipped = [c for c in fresh
                   if c not in changed and rejected[c] != (current[c].status == SubmissionStatus.REJECTED)]
        more = {e.uscc for c in flipped for e in candidates[c].entries} - touched
        touched |= more
        fresh = [c for c in same if c not in reach and reached(c)] if more else []
    for county in same:
        if county not in reach:
            rejected[county] = current[county].status == SubmissionStatus.REJECTED
    return reach


def _confirmed(store: Store, period: Period) -> dict[str, dict[str, tuple[str, str]]] | None:
    rows = store.register.confirmed(period)
    if rows is None:
        return None
    out: dict[str, dict[str, tuple[str, str]]] = {"entry": {}, "exit": {}}
    for firm in rows:
        out[firm.change][firm.uscc] = (firm.county, firm.source)
    return out


def run_period(store: Store, policy: Policy, period: Period, files: list[Incoming], received_at: str,
               run: ConsolidationRun, *, parallel: bool = True, on_file: Progress | None = None,
               clock: "_Stopwatch | None" = None, archive: Archive | None = None) -> list[Recorded]:
    """The store's part of a consolidation (inside the caller's transaction): take in the new files (kept in
    ``archive`` as they are read, where given), settle duplicates, judge every county's current submission,
    derive the register."""
    clock = clock or _Stopwatch(None)
    recorded = receive(store, policy, period, files, received_at, run.notes, parallel=parallel, on_file=on_file,
                       archive=archive)
    clock.lap("读取、校验并入库")
    closed = store.decisions.closures().get(period)
    if closed is None:
        new = frozenset(r.submission_id for r in recorded)
        _judge(store, policy, period, _settle_duplicates(store, period, run, new))
    else:
        _record_adjustments(store, period, recorded, closed.closed_at, run)
    clock.lap("跨文件核对")
    refresh_register(store)
    clock.lap("更新名录")
    return recorded


def _record_adjustments(store: Store, period: Period, recorded: list[Recorded], closed_at: str,
                        run: ConsolidationRun) -> None:
    """A submission for a closed period is kept as an adjustment: the signed figures never change."""
    for item in recorded:
        reason = item.cover_note or "县市区未在封面“情况说明”中写明原因"
        store.submissions.set_status(item.submission_id, SubmissionStatus.ADJUSTMENT, reason)
        run.notes.append(InboxNote(item.incoming.name, IntakeOutcome.ADJUSTMENT,
                                   f"{period} 已于 {closed_at} 封账：本文件记为调整，封账数字不变，调整将在汇总表中列明。"))


def refresh_register(store: Store) -> None:
    store.register.replace(register_rows(effective(store.submissions.accepted()).values(),
                                         store.decisions.attributions(), _starting_holders(store)))


def rejudge(store: Store, policy: Policy, periods) -> None:
    """Judge the given periods again, in order (after a decision or a new register list), then the register.

    Closed periods (封账) are never judged again: their figures were issued.
    """
    closed = store.decisions.closures()
    with _bulk_work():
        for period in sorted(p for p in periods if p not in closed):
            _judge(store, policy, period, _settle_duplicates(store, period, ConsolidationRun(period)))
        refresh_register(store)


@contextmanager
def _bulk_work() -> Iterator[None]:
    """Python's cycle collector paused while a run builds its records: it would otherwise walk every listing
    held so far again and again (a third of a national run), and finds nothing to free, since records, tuples
    and dicts form no cycles. Back on, as it was, when the run ends, however it ends."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def consolidate(workspace: Workspace, period: Period, *, on_file: Progress | None = None,
                write: bool = True, parallel: bool = True, timings: dict[str, float] | None = None) -> ConsolidationRun:
    """Import the inbox for ``period`` into the store and write the period's summary workbook.

    Every new file is copied into the archive and the run is written to the archive's journal before
    the store commits, so that ``rebuild`` can always recreate the store. ``timings`` (for the
    benchmark) receives the seconds spent in each stage.
    """
    with _bulk_work():
        return _consolidate(workspace, period, on_file=on_file, write=write, parallel=parallel, timings=timings)


def _consolidate(workspace: Workspace, period: Period, *, on_file: Progress | None, write: bool, parallel: bool,
                 timings: dict[str, float] | None) -> ConsolidationRun:
    clock = _Stopwatch(timings)
    policy = workspace.policy()
    if not workspace.inbox.is_dir():
        raise UserError(f"工作区中没有“{workspace.inbox.name}”文件夹。请新建该文件夹并放入县市区报回的报表。")
    run = ConsolidationRun(period)
    files, run.notes = scan_inbox(workspace.inbox)
    archive = workspace.archive
    received_at = now_text()
    with workspace.writing(f"汇总{period}") as store:
        with store.transaction():
            clock.lap("准备")
            recorded = run_period(store, policy, period, files, received_at, run, parallel=parallel,
                                  on_file=on_file, clock=clock, archive=archive)
            for item in recorded:
                if not item.archived:  # the reader could not keep it: copied and checked here, or an error said
                    archive.keep(item.incoming.path, item.incoming.sha256)
            archive.record({"event": "consolidate", "period": str(period), "at": received_at,
                            "policy": keep_policy(workspace, archive),
                            "files": [{"sha256": r.incoming.sha256, "name": r.incoming.name, "mtime": r.incoming.mtime}
                                      for r in recorded]})
            clock.lap("存档")
        summary_policy = policy_for(workspace, store, period, policy)  # a closed period's: the policy at closing
        run.summary = period_summary(store, summary_policy, period)
        closed = store.decisions.closures().get(period)
        if closed is not None and not recorded:
            # the one rule for a closed period at every door: a late report is taken in as an adjustment (and a
            # summary with it written); with nothing new, nothing is written — no second summary of signed figures
            run.unchanged = (f"{period} 已于 {closed.closed_at[:10]} 封账，收件箱中没有该期新的报表：封账的数字不变，"
                             "未重新生成汇总表。封账后收到的补报放入收件箱后再导入，记为调整。")
            return run
        # what each new file's county must act on (advisory findings are for the city only); and the results
        # a killed run owed but never wrote (the store committed, the files did not follow)
        results_dir = workspace.output / RESULTS_DIR_NAME
        new_ids = {r.submission_id for r in recorded}
        sent = store.submissions.sent_back(period)
        owed = [row for row in store.submissions.all(period)
                if row.id in new_ids or (row.status != SubmissionStatus.SUPERSEDED and write and row.id not in sent
                                         and not (results_dir / results_name(row.file_name)).exists())]
        # the county is sent what it can fix or explain; what only the city can verify (advisory: W202, W204,
        # W206-W212) stays in the summary's findings for the city
        owed_findings = store.submissions.findings_of(owed, named=False)
        to_send_back = {row.id: (row, [f for f in owed_findings[row.id] if not f.advisory]) for row in owed}
        to_send_back = {k: v for k, v in to_send_back.items() if v[1]}
        clock.lap("计算汇总")
        if write:  # still holding the workspace: two runs never number their outputs alike
            now = dt.datetime.now().replace(microsecond=0)
            run.summary_files = tools().workbooks.write_summary(
                _summary_path(workspace, policy, period), run.summary, summary_policy,
                generated_stamp(FileKind.SUMMARY, now, period=period), created=now)
            clock.lap("写汇总表")
            for row, findings in to_send_back.values():
                check = FileCheck(Path(row.file_name), findings, CountyReport(row.file_name, county=row.county,
                                                                               period=period))
                # numbered "（2）" beside an earlier file's results of the same name (the .xls beside the .xlsx,
                # one name in two folders): what went back to a county is never written over
                path = tools().workbooks.write_results(results_path(results_dir, row.file_name), [check],
                                     generated_stamp(FileKind.RESULTS, now, row.county, period), created=now)
                store.submissions.record_sent_back(row.id, path.name, now_text())
                run.results.append(path)
            clock.lap("写校验结果")
    return run


def results_name(file_name: str) -> str:
    """The plain name of the results sent back for one county's file (named after the file)."""
    return derived_name(Path(own_name(file_name)).stem, "_校验结果.xlsx")


def results_path(folder: Path, file_name: str) -> Path:
    """Where the results for one county's file go: named after the file, numbered when the name is taken."""
    return tools().files.unused_path(folder, results_name(file_name)[:-len(".xlsx")], ".xlsx")


class _Stopwatch:
    def __init__(self, timings: dict[str, float] | None):
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now


def _summary_path(workspace: Workspace, policy: Policy, period: Period) -> Path:
    """A new file every time: never over an existing summary (a clerk may have annotated it)."""
    return tools().files.unused_path(workspace.output / SUMMARY_DIR_NAME, f"{policy.region}规上工业企业汇总表_{period}", ".xlsx")


def period_summary(store: Store, policy: Policy, period: Period, day: dt.date | None = None) -> PeriodSummary:
    """Everything about the period, computed from the store (read only); praise and criticism as decided on
    ``day`` (today when not given: criticism for reporting waits for the resubmission deadline)."""
    subs = store.submissions.all(period=period)
    current = {s.county: s for s in subs if s.status.judged}  # one per county: the others are superseded
    replaced = {}
    for s in subs:
        if s.status == SubmissionStatus.SUPERSEDED:
            replaced.setdefault(s.superseded_by, []).append(s)
    accepted = {c: store.submissions.submitted(r) for c, r in current.items() if r.status == SubmissionStatus.ACCEPTED}
    closed = store.decisions.closures().get(period)
    attributions = closed.attributions if closed else store.decisions.attributions()  # signed figures stay signed
    disputed = contested(accepted.values())

    statuses, figures, entries, exits, findings = [], [], [], [], []
    found = store.submissions.findings_of(current.values())
    for county in policy.county_names:
        row = current.get(county)
        if row is None:
            statuses.append(StatusRow(county, MISSING))
            figures.append(county_figures(policy, period, county, MISSING))
            continue
        own = found[row.id]
        findings.extend(own)
        errors = sum(f.level is Level.ERROR for f in own)
        hints = sum(f.level is Level.HINT and not f.advisory for f in own)
        to_verify = sum(f.advisory for f in own)
        unexplained = sum(f.level is Level.HINT and f.blocking for f in own)
        notes = [f"替换了 {r.received_at} 收到的“{r.file_name}”" for r in replaced.get(row.id, [])]
        if row.status == SubmissionStatus.REJECTED:
            causes = tuple(dict.fromkeys(KINDS[f.code].title for f in own if f.level is Level.ERROR))
            statuses.append(StatusRow(county, REJECTED_LABEL, row.file_name, row.received_at, errors, hints,
                                      unexplained, "；".join([row.status_note, *notes]), row.sha256, to_verify, causes))
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
    figures = rank(figures, policy.assessment)  # by completion, or the policy's weighted score
    undecided = sum((uscc, period.year) not in attributions for uscc in disputed)
    city = city_figures(policy, period, figures, _net_since_start(store, policy, period, attributions), undecided)
    claims = [PendingClaim(uscc, rows[0].name, period.year, tuple(rows), attributions.get((uscc, period.year), ""))
              for uscc, rows in sorted(disputed.items())]
    summary = PeriodSummary(policy.region, period, statuses, figures, city, assess(policy, period, figures, day or dt.date.today()),
                            entries, exits, claims, findings, policy.unit_label,
                            closed, _adjustments(store, period))
    confirmed = _confirmed(store, period)
    if confirmed is not None:
        info = store.register.confirmed_info(period)
        summary.confirmed_source = f"{info['file']}（{info['at']} 导入，{info['count']} 条）"
        summary.reconciliation = reconcile(policy.county_names, accepted, confirmed)
    return summary


def _adjustments(store: Store, period: Period) -> list[Adjustment]:
    """Adjustments to the closed periods of the year, up to ``period``, beside the signed figures."""
    out = []
    for sub in store.submissions.all():
        if sub.status != SubmissionStatus.ADJUSTMENT or sub.period.year != period.year or sub.period > period:
            continue
        signed = next((s for s in store.submissions.all(period=sub.period, county=sub.county)
                       if s.status == SubmissionStatus.ACCEPTED), None)
        now = store.submissions.submitted(sub)
        before = store.submissions.submitted(signed) if signed else None
        errors = sum(f.level is Level.ERROR for f in store.submissions.findings(sub.id))
        out.append(Adjustment(sub.period, sub.county, sub.file_name, sub.received_at, sub.status_note,
                              len(before.entries) if before else None, len(now.entries),
                              len(before.exits) if before else None, len(now.exits), errors))
    return out


def _net_since_start(store: Store, policy: Policy, period: Period, attributions) -> int | None:
    """Net change of the register since the plan's start, from each county-year's latest accepted list."""
    if policy.base_register_total is None:
        return None
    subs = [s for s in store.submissions.accepted() if policy.first_year <= s.period.year and s.period <= period]
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
    store = workspace.open_store()
    try:
        return period_summary(store, policy_for(workspace, store, period), period)
    finally:
        store.close()


def assign(workspace: Workspace, uscc: str, county_name: str, year: int, note: str = "") -> tuple[str, list[str]]:
    """Record which county an enterprise claimed by several counties belongs to (认定归属)."""
    policy = workspace.policy()
    county = policy.find_county(county_name)
    if county is None:
        raise UserError(f"政策参数中没有“{county_name}”。可选：{'、'.join(policy.county_names)}。")
    with workspace.writing("认定归属") as store:
        claimants = sorted({s.county for s in store.submissions.accepted() if s.period.year == year
                            for e in s.entries if e.uscc == uscc})
        if not claimants:
            raise UserError(f"{year} 年已受理的报表中没有统一社会信用代码为“{uscc}”的新增企业。请核对代码和年份。")
        if county.name not in claimants:
            raise UserError(f"“{uscc}”在 {year} 年只由{'、'.join(claimants)}报为新增，不能认定给{county.name}。")
        with store.transaction():
            at = now_text()
            apply_assignment(store, policy, uscc, year, county.name, note, at)
            workspace.archive.record({"event": "assign", "uscc": uscc, "year": year, "county": county.name,
                                      "note": note, "at": at, "policy": keep_policy(workspace, workspace.archive)})
        return county.name, claimants


def choose(workspace: Workspace, period: Period, county_name: str, file_name: str, note: str = "") -> tuple[str, str]:
    """The city takes one of a county's files for a period, over the usual rule (the latest saved workbook);
    recorded with the decision time and journalled. Returns (county, the file now counted)."""
    policy = workspace.policy()
    county = policy.find_county(county_name)
    if county is None:
        raise UserError(f"政策参数中没有“{county_name}”。可选：{'、'.join(policy.county_names)}。")
    with workspace.writing(f"指定报表{period}") as store:
        if period in store.decisions.closures():
            raise UserError(f"{period} 已封账，封账时计入的报表不能再改。")
        received = store.submissions.all(period=period, county=county.name)
        wanted = file_name.strip().replace("\\", "/").strip("/")
        matches = [s for s in received if s.file_name == wanted]
        if not matches and "/" not in wanted:  # a bare name: enough when no two folders hold a file of that name
            matches = [s for s in received if own_name(s.file_name) == wanted]
            if len({s.file_name for s in matches}) > 1:
                raise UserError(f"{county.name} {period} 收到的文件中有 {len(matches)} 个都叫“{wanted}”，在收件箱的不同文件夹里："
                                f"{_received_list(matches)}。请写出收件箱中的路径（如“{matches[-1].file_name}”）。")
        if not matches:
            known = _received_list(received) or "没有任何文件"
            raise UserError(f"{county.name} {period} 没有收到名为“{wanted}”的报表（已收到：{known}）。",
                            Hint.of(Action.CONSOLIDATE, workspace=workspace.root, period=period))
        chosen = max(matches, key=lambda s: s.id)  # the same name received twice: the later content
        with store.transaction():
            at = now_text()
            apply_choice(store, policy, period, county.name, chosen.sha256, note, at)
            workspace.archive.record({"event": "choose", "period": str(period), "county": county.name,
                                      "sha256": chosen.sha256, "name": chosen.file_name, "note": note, "at": at,
                                      "policy": keep_policy(workspace, workspace.archive)})
        return county.name, chosen.file_name


def _received_list(rows: list[Submission]) -> str:
    """Each file by its path in the inbox, with when it came and when it says it was saved: what tells two apart."""
    return "、".join(f"“{s.file_name}”（{s.received_at} 收到" + (f"，保存于 {saved_time(s.saved_at)}）" if s.saved_at else "）")
                    for s in rows)


def apply_choice(store: Store, policy: Policy, period: Period, county: str, sha256: str, note: str, at: str) -> None:
    store.submissions.choose(period, county, sha256, at, note)
    rejudge(store, policy, {period})


def apply_assignment(store: Store, policy: Policy, uscc: str, year: int, county: str, note: str, at: str) -> None:
    """Record the decision and re-judge that year, so that the findings follow it at once
    (W202 becomes W206 for the other claimants)."""
    store.decisions.set_attribution(uscc, year, county, note, at)
    rejudge(store, policy, {s.period for s in store.submissions.all() if s.period.year == year})
