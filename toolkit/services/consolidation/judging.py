"""Judging a period's files: which of a county's files counts, the checks across files and the register, each
file's status, and the register derived again; run inside the caller's transaction (consolidate, rebuild,
a decision of the city)."""

from __future__ import annotations

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
from toolkit.domain.cross_checks import Prior, confirmed_by_county, cross_check
from toolkit.domain.figures import ACCEPTED as ACCEPTED_LABEL
from toolkit.domain.findings import PERIOD_MISMATCH, UNREADABLE, Level, said_by
from toolkit.domain.period_summary import PeriodSummary
from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy
from toolkit.domain.register import STARTING_LIST, Holder, Submitted, contested, effective, register_at, register_rows
from toolkit.domain.intake_outcome import IntakeOutcome
from toolkit.domain.level import Level as AdminLevel
from toolkit.domain.submissions import Candidate, Submission, SubmissionStatus, pick_current
from toolkit.domain.outcomes import Outcome
from toolkit.ports.store import Store
from toolkit.ports.tools import Archive
from toolkit.services.intake import InboxNote, Incoming, Progress, Recorded, receive
from toolkit.services.province_intake import UNITS_KEY


@dataclass
class ConsolidationRun:
    period: Period
    notes: list[InboxNote] = field(default_factory=list)
    summary: PeriodSummary | None = None
    summary_files: list[Path] = field(default_factory=list)  # the workbook, then CSV files of long lists
    results: list[Path] = field(default_factory=list)  # results workbooks to send back to counties
    worklists: list[Path] = field(default_factory=list)  # each accepted county's 培育工作清单, sent back too
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


def starting_holders(store: Store) -> dict[str, Holder]:
    """The register at the plan's start, as holders (the statistics office's starting list)."""
    return {uscc: Holder(firm.county, STARTING_LIST, firm.name, firm.source)
            for uscc, firm in store.register.starting().items()}


def _set_aside(store: Store, policy: Policy, current: dict[str, Submission]) -> dict[str, frozenset[str]]:
    """At province level, each 市州's 县市区 whose own report it did not accept (its summary's 概览 says so); {} for a
    city."""
    if policy.level is not AdminLevel.PROVINCE or not current:
        return {}
    units = store.submissions.sourced_lists([row.id for row in current.values()], (UNITS_KEY,))
    return {county: frozenset(r.name for r in units[row.id][UNITS_KEY] if r.values.get("status") != ACCEPTED_LABEL)
            for county, row in current.items()}


def _judge(store: Store, policy: Policy, period: Period, current: dict[str, Submission], *,
           incremental: bool = True) -> None:
    """Cross-file checks for each county's current submission, then accept or reject it.

    Only what a change can reach is judged again (``incremental``, see _reach); the other counties keep the
    findings and status their last judgment gave, which judging them again would give unchanged
    (tests/integration/test_incremental_judging.py holds both ways to the same store)."""
    attributions = store.decisions.attributions()
    others = [s for s in store.submissions.accepted() if s.period != period]
    start = starting_holders(store)
    register = register_at(start, effective(others).values(), period.year, attributions)
    candidates = {county: store.submissions.submitted(row) for county, row in current.items()}
    same_year = effective([s for s in [*others, *candidates.values()] if s.period.year == period.year])
    entered = {e.uscc: e for s in same_year.values() for e in s.entries}
    previous: dict[str, Submitted] = {}
    for s in others:
        if s.period.year == period.year and s.period < period and (
                s.county not in previous or s.period > previous[s.county].period):
            previous[s.county] = s

    confirmed = confirmed_changes(store, period)
    confirmed_here = confirmed_by_county(confirmed) if confirmed is not None else {}

    claimants: dict[str, set[str]] = defaultdict(set)
    for s in same_year.values():
        for e in s.entries:
            claimants[e.uscc].add(e.county)
    claimed_by = dict(claimants)  # read only from here on

    set_aside = _set_aside(store, policy, current)

    def prior(county: str, disputed: dict) -> Prior:
        return Prior(register=register, entered_this_year=entered, has_starting_list=bool(start),
                     previous=previous.get(county), disputed=disputed, attributions=attributions, confirmed=confirmed,
                     claimants=claimed_by, confirmed_here=confirmed_here.get(county, {}),
                     set_aside=set_aside.get(county, frozenset()))

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
        if policy.level is AdminLevel.PROVINCE:  # 待省里认定, 请省里核实: the province decides, not a city
            found = said_by(found, consolidator=AdminLevel.PROVINCE.consolidator)
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


def confirmed_changes(store: Store, period: Period) -> dict[str, dict[str, tuple[str, str]]] | None:
    rows = store.register.confirmed(period)
    if rows is None:
        return None
    out: dict[str, dict[str, tuple[str, str]]] = {"entry": {}, "exit": {}}
    for firm in rows:
        out[firm.change][firm.uscc] = (firm.county, firm.source)
    return out


def run_period(store: Store, policy: Policy, period: Period, files: list[Incoming], received_at: str,
               run: ConsolidationRun, *, parallel: bool = True, on_file: Progress | None = None,
               clock: "Stopwatch | None" = None, archive: Archive | None = None) -> list[Recorded]:
    """The store's part of a consolidation (inside the caller's transaction): take in the new files (kept in
    ``archive`` as they are read, where given), settle duplicates, judge every county's current submission,
    derive the register."""
    clock = clock or Stopwatch(None)
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
                                         store.decisions.attributions(), starting_holders(store)))


def rejudge(store: Store, policy: Policy, periods) -> None:
    """Judge the given periods again, in order (after a decision or a new register list), then the register.

    Closed periods (封账) are never judged again: their figures were issued.
    """
    closed = store.decisions.closures()
    with bulk_work():
        for period in sorted(p for p in periods if p not in closed):
            _judge(store, policy, period, _settle_duplicates(store, period, ConsolidationRun(period)))
        refresh_register(store)


@contextmanager
def bulk_work() -> Iterator[None]:
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


class Stopwatch:
    def __init__(self, timings: dict[str, float] | None):
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now
