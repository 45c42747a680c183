"""Tracking as it was before it went column-wise (Python loops over every sighting), kept as the oracle the
column-wise ``toolkit.domain.tracking.track`` is held to: the same tracks, reasons, days, cross-county findings,
ledger histories and unit tallies (tests/unit/test_tracking_columns.py), and measured beside it by
benchmarks/bench_pipeline.py. Not used by the product."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from typing import Iterable, Mapping

from toolkit.domain.periods import Period
from toolkit.domain.pipeline import (AT_RISK_CEILING, DONE, THRESHOLD, CountyLists, LedgerItem, UnitTally, _date,
                                     _month, _number, _text, month_end, overdue_days, unit_tallies)
from toolkit.domain.report_rules import pool_floor
from toolkit.domain.tracking import (ENTERED, EXITED, FELL, GREW, MOVED, POOL_FLOOR, REMOVED, ROSE, CrossCounty,
                                     FirmTrack, LedgerTrack, ProjectTrack, Sighting, Tracking, _days, _spin_off,
                                     ledger_key, normalised)


def _firm_tracks(returns: list[tuple[Period, CountyLists]], key: str, reported: Mapping[str, list[Period]],
                 period: Period, why) -> list[FirmTrack]:
    seen: dict[tuple[str, str], list] = {}  # (county, uscc) -> [its sightings, its latest row]
    for p, lists in returns:  # returns come in period order: each track's sightings are in order
        county, file = lists.county, lists.file
        for row in getattr(lists, key):
            value = row.values.get("revenue")
            sighting = Sighting(p, value if type(value) is float else _number(value), file, row.sheet, row.row)
            entry = seen.get((county, row.uscc))
            if entry is None:
                seen[(county, row.uscc)] = [[sighting], row]
            else:
                entry[0].append(sighting)
                entry[1] = row
    latest = {county: periods[-1] for county, periods in reported.items()}
    tracks = []
    for (county, uscc), (sightings, row) in seen.items():
        first, last = sightings[0].period, sightings[-1].period
        left = "" if last == latest[county] else why(county, uscc, row, last)
        values = row.values
        tracks.append(FirmTrack(county, uscc, row.name, _text(values.get("industry")),
                                _spin_off(values.get("spin_off")), tuple(sightings), first, last, left,
                                _days(first, last if left else period)))
    return tracks


def _project_tracks(returns: list[tuple[Period, CountyLists]], reported: Mapping[str, list[Period]],
                    entered: Mapping[str, str]) -> list[ProjectTrack]:
    seen: dict[tuple[str, str], list] = {}
    for p, lists in returns:
        for row in lists.projects:
            v = row.values
            key = (lists.county, row.uscc or normalised(_text(v.get("project"))))
            sighting = Sighting(p, _number(v.get("revenue")), lists.file, row.sheet, row.row)
            entry = seen.setdefault(key, [[], row])
            entry[0].append(sighting)
            entry[1] = row
    tracks = []
    for (county, _), (sightings, row) in seen.items():
        v = row.values
        first, last = sightings[0].period, sightings[-1].period
        left = ""
        if last != reported[county][-1]:
            left = (f"{ENTERED}（{entered[row.uscc]}）" if entered[row.uscc] else ENTERED) if row.uscc in entered \
                else REMOVED
        project = _text(v.get("project"))
        tracks.append(ProjectTrack(county, project, row.uscc, _text(row.name) or project, _text(v.get("industry")),
                                   tuple(sightings), first, last, left, _month(v.get("actual_month")),
                                   _month(v.get("planned_month"))))
    return tracks


def _where(returns: list[tuple[Period, CountyLists]]) -> tuple[dict[str, list[tuple[Period, str]]], dict[str, str]]:
    """Every pool firm listed by more than one county this year: where (period, county), and its name."""
    first: dict[str, str] = {}
    several: set[str] = set()
    for _, lists in returns:
        county = lists.county
        for row in lists.pool:
            if first.setdefault(row.uscc, county) != county:
                several.add(row.uscc)
    where: dict[str, list[tuple[Period, str]]] = defaultdict(list)
    names: dict[str, str] = {}
    for p, lists in returns:
        for row in lists.pool:
            if row.uscc in several:
                where[row.uscc].append((p, lists.county))
                names.setdefault(row.uscc, row.name)
    return where, names


def _cross_county(where: Mapping[str, list[tuple[Period, str]]], names: Mapping[str, str]) -> list[CrossCounty]:
    out = []
    for uscc, places in where.items():
        by_period: dict[Period, list[str]] = defaultdict(list)
        for p, county in places:
            if county not in by_period[p]:
                by_period[p].append(county)
        out += [CrossCounty(p, uscc, names[uscc], tuple(c)) for p, c in by_period.items() if len(c) > 1]
    return sorted(out, key=lambda c: c.period)


def _ledger(returns: list[tuple[Period, CountyLists]], reported: Mapping[str, list[Period]],
            as_of: dt.date) -> list[LedgerTrack]:
    seen: dict[tuple[str, str, str], list[tuple[Period, object, str]]] = {}
    for p, lists in returns:
        for row in lists.ledger:
            key = ledger_key(lists.county, row.uscc, row.name, _text(row.values.get("problem")))
            rows = seen.setdefault(key, [])
            if rows and rows[-1][0] == p:  # the same problem twice in one return: the later row stands
                rows[-1] = (p, row, lists.file)
            else:
                rows.append((p, row, lists.file))
    tracks = []
    for (county, _, _), rows in seen.items():
        rows.sort(key=lambda r: r[0])
        last_period, row, _ = rows[-1]
        v = row.values
        later = [p for p in reported[county] if p > last_period]
        deadline, status = _date(v.get("deadline")), _text(v.get("status"))
        history = tuple(Sighting(p, _text(r.values.get("status")), file, r.sheet, r.row) for p, r, file in rows)
        tracks.append(LedgerTrack(county, row.uscc, row.name, _text(v.get("problem")), _text(v.get("assigned_to")),
                                  deadline, status, rows[0][0], history, (as_of - month_end(rows[0][0])).days,
                                  overdue_days(deadline, status, as_of), later[0] if later else None))
    # overdue first, longest first; then open by deadline; done last (as the period's ledger sorts)
    return sorted(tracks, key=lambda t: (t.overdue_days is None, -(t.overdue_days or 0), t.status == DONE,
                                         t.deadline or dt.date.max))


def _units(ledger: list[LedgerTrack]) -> list[UnitTally]:
    """The pipeline's tally per (county, 交办单位) over the year's problems, and how many were dropped unclosed."""
    items = [LedgerItem(t.county, t.uscc, t.name, t.problem, t.assigned_to, t.deadline, t.status, t.overdue_days,
                        t.origin) for t in ledger]
    dropped: dict[tuple[str, str], int] = defaultdict(int)
    for t in ledger:
        dropped[(t.county, t.assigned_to)] += t.dropped is not None and t.status != DONE
    return [replace(u, dropped=dropped[(u.county, u.unit)]) for u in unit_tallies(items)]


def track(period: Period, returns: Iterable[tuple[Period, CountyLists]], *, entered: Mapping[str, str],
          exited: Mapping[str, str], as_of: dt.date) -> Tracking:
    """The year's tracks from the accepted returns of the year up to ``period`` (one per county and period).

    ``entered``: USCC -> when (e.g. "2022-06") of the firms an accepted 新增 list of the year or the confirmed list
    holds; ``exited``: the same for the accepted 退库 lists; ``as_of``: the day the ledger is judged on."""
    returns = sorted(((p, lists) for p, lists in returns if p.year == period.year and p <= period),
                     key=lambda r: r[0])
    reported: dict[str, list[Period]] = defaultdict(list)
    for p, lists in returns:
        if p not in reported[lists.county]:
            reported[lists.county].append(p)
    pool_at, names = _where(returns)  # where the firms more than one county listed are, when

    def pool_why(county: str, uscc: str, row, last: Period) -> str:
        revenue = _number(row.values.get("revenue"))
        if uscc in entered:
            return f"{ENTERED}（{entered[uscc]}）" if entered[uscc] else ENTERED
        places = pool_at.get(uscc, ())
        beside = {c for p, c in places if p == last}  # a county holding it already is not where it moved
        moved = [c for p, c in places if p > last and c not in beside]
        if moved:
            return MOVED.format(county=moved[0])
        if revenue is not None and revenue >= THRESHOLD:
            return GREW
        if revenue is not None and revenue < pool_floor(last, POOL_FLOOR) and not _spin_off(row.values.get("spin_off")):
            return f"{FELL}（{last.label}本年累计{revenue:g}万元，下限{pool_floor(last, POOL_FLOOR):g}万元）"
        return REMOVED

    def risk_why(county: str, uscc: str, row, last: Period) -> str:
        revenue = _number(row.values.get("revenue"))
        if uscc in exited:
            return f"{EXITED}（{exited[uscc]}）" if exited[uscc] else EXITED
        if revenue is not None and revenue >= AT_RISK_CEILING:
            return ROSE
        return REMOVED

    out = Tracking(period, as_of, sorted({p for p, _ in returns}))
    out.pool = _firm_tracks(returns, "pool", reported, period, pool_why)
    out.at_risk = _firm_tracks(returns, "at_risk", reported, period, risk_why)
    out.projects = _project_tracks(returns, reported, entered)
    out.cross_county = _cross_county(pool_at, names)
    out.ledger = _ledger(returns, reported, as_of)
    out.units = _units(out.ledger)
    return out
