"""The period's summary, read from the store (never written to it): statuses, figures, ranks, praise and
criticism, details, pending claims, adjustments to closed periods."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from toolkit.domain.assessment import assess
from toolkit.domain.calendar import entry_for
from toolkit.domain.figures import MISSING, city_figures, county_figures, rank
from toolkit.domain.figures import ACCEPTED as ACCEPTED_LABEL
from toolkit.domain.figures import REJECTED as REJECTED_LABEL
from toolkit.domain.findings import KINDS, Level
from toolkit.domain.period_summary import (COUNTED, PENDING, Adjustment, DetailRow, PendingClaim, PeriodSummary,
                                           StatusRow)
from toolkit.domain.periods import Period
from toolkit.domain.level import Level as AdminLevel
from toolkit.domain.pipeline import CountyLists, Pipeline, pipeline
from toolkit.domain.policy import Policy
from toolkit.domain.province_figures import SUB_UNIT, UnitLine, entry_quality, sub_unit_figures, tiers
from toolkit.domain.reconcile import reconcile
from toolkit.domain.register import STARTING_LIST, Submitted, contested, counted_entries, effective, register_at
from toolkit.domain.submissions import SubmissionStatus
from toolkit.domain.tracking import Tracking, YearOutlook
from toolkit.ports.store import Store
from toolkit.services.closing import policy_for
from toolkit.services.province_intake import UNITS_KEY
from toolkit.services.screening import classification, funnel_at
from toolkit.services.consolidation.judging import confirmed_changes, starting_holders
from toolkit.services.consolidation.outlook import LIST_KEYS, year_outlook, year_tracking
from toolkit.services.workspace import Workspace


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
    upto = [s for s in store.submissions.accepted() if s.period <= period]  # every accepted list so far, read once
    city = city_figures(policy, period, figures, _net_since_start(upto, policy, attributions), undecided)
    claims = [PendingClaim(uscc, rows[0].name, period.year, tuple(rows), attributions.get((uscc, period.year), ""))
              for uscc, rows in sorted(disputed.items())]
    summary = PeriodSummary(policy.region, period, statuses, figures, city, assess(policy, period, figures, day or dt.date.today()),
                            entries, exits, claims, findings, policy.unit_label,
                            closed, _adjustments(store, period))
    accepted_rows = [r for r in current.values() if r.status == SubmissionStatus.ACCEPTED]
    if policy.level is AdminLevel.PROVINCE:  # a 市州's summary carries no pools, projects or department data
        _province(store, policy, period, summary, accepted_rows, upto)
    else:
        summary.pipeline, summary.tracking, summary.outlook = _pipeline(store, policy, period, accepted_rows,
                                                                        attributions, upto)
        summary.screening = funnel_at(store, policy, period)
    confirmed = confirmed_changes(store, period)
    if confirmed is not None:
        info = store.register.confirmed_info(period)
        summary.confirmed_source = f"{info['file']}（{info['at']} 导入，{info['count']} 条）"
        summary.reconciliation = reconcile(policy.county_names, accepted, confirmed)
    return summary


def _pipeline(store: Store, policy: Policy, period: Period, accepted, attributions,
              upto: list[Submitted]) -> tuple[Pipeline, Tracking, YearOutlook]:
    """The pool, at-risk firms and problem ledger of the accepted reports, against the register at the period's end
    (the starting list, then every accepted list up to the period) and as of the period's due date; the same
    followed through the year's accepted returns up to the period; and the year's forecast from them."""
    start = starting_holders(store)
    lists = effective(upto).values()
    held = register_at(start, lists, period.year + 1, attributions)
    register = {uscc: h.since if h.since == STARTING_LIST else f"{h.since}入库" for uscc, h in held.items()}
    order = {county: i for i, county in enumerate(policy.county_names)}
    read = store.submissions.sourced_lists([row.id for row in accepted], LIST_KEYS)  # one query per 500 reports
    reports = [CountyLists(row.county, row.file_name, *(tuple(read[row.id][key]) for key in LIST_KEYS))
               for row in sorted(accepted, key=lambda r: order.get(r.county, len(order)))]
    entry = entry_for(policy.calendar, period)
    found = pipeline(period, reports, policy.county_names, policy.new_targets, register, register_checked=bool(start),
                     due=entry.due if entry else None)
    known = {row.id: lists for row, lists in zip(sorted(accepted, key=lambda r: order.get(r.county, len(order))),
                                                 reports)}  # this period's rows, read once
    tracking = year_tracking(store, policy, period, upto, known)
    return found, tracking, year_outlook(store, policy, period, tracking, upto, attributions)


def _province(store: Store, policy: Policy, period: Period, summary: PeriodSummary, accepted,
              upto: list[Submitted]) -> None:
    """A province's own figures: each accepted 市州's 县市区 (their targets the 市州's, as its summary gives them),
    the 市州's tiers, and the quality of the counted entrants (with last year's survival when its lists are here)."""
    order = {county: i for i, county in enumerate(policy.county_names)}
    accepted = sorted(accepted, key=lambda r: order.get(r.county, len(order)))
    read = store.submissions.sourced_lists([row.id for row in accepted], (UNITS_KEY,))
    units = {row.county: [UnitLine(r.name, str(r.values.get("status") or ""), r.values.get("target"),
                                   r.values.get("net_target")) for r in read[row.id][UNITS_KEY]] for row in accepted}
    counted = [d.listing for d in summary.entries if d.counted == COUNTED]
    held = Counter(d.listing.values.get(SUB_UNIT, "") for d in summary.entries if d.counted == PENDING)
    summary.sub_units = sub_unit_figures(units, counted, [d.listing for d in summary.exits], held,
                                         policy.expected_progress(period.month), policy.assessment)
    summary.tiers = tiers(summary.counties)
    last = [s for s in effective([s for s in upto if s.period.year == period.year - 1]).values()]
    gone = {x.uscc for s in upto if s.period.year == period.year for x in s.exits}
    summary.quality = entry_quality(counted, classification(),
                                    last_year=[x for s in last for x in s.entries] if last else None, exited=gone)


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


def _net_since_start(upto: list[Submitted], policy: Policy, attributions) -> int | None:
    """Net change of the register since the plan's start, from each county-year's latest accepted list (``upto``:
    the accepted submissions up to the period)."""
    if policy.base_register_total is None:
        return None
    subs = [s for s in upto if policy.first_year <= s.period.year]
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
