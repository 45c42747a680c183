"""Every pool and at-risk firm and every ledger problem followed from return to return through the year (issue #37).

Pure: the service hands in, per county and per period of the year up to P, the accepted return's pool, at-risk and
ledger rows (``pipeline.CountyLists``, rows with their source), the firms that entered or left the register this
year (from the accepted 新增 and 退库 lists, or the statistics office's confirmed list), and the as-of date. Nothing
here reads a file, and nothing assumes the returns are quarterly: "the accepted returns up to P, whatever months".

- A pool or at-risk firm is followed per county by its credit code (a firm two counties list is two tracks, and a
  cross-county finding for each period both list it): its revenue at each period its county reported it, the
  first and last period it was listed, and why it left when its county's latest return no longer lists it.
  A firm that is in its county's latest return is still in, whatever gaps lie between.
- Why a pool firm left, first that applies: it entered the register (an accepted 新增 list of the year or the
  confirmed list); it moved (a county that did not list it with its last return lists it later); its last
  revenue had reached 2000 万元; its last revenue was under 1000 万元 and it is not a spin-off (孵化裂变 firms
  are not held to the band); else removed without a reason. An at-risk firm: it left the register (an accepted
  退库 list); its last revenue had reached 3000 万元; else removed.
- Days listed: from the month end of the first period listed to the month end of the last (a firm that left) or
  of P (a firm still in).
- A 重点项目 is followed per county by its firm's credit code, else its name normalised; it leaves by entering
  the register, else it is removed.
- A ledger problem keeps its identity by (county, credit code — or the name when there is none — and the problem
  text normalised: width, spaces and punctuation do not make a new problem): first seen, deadline and status as
  last reported, the status at each period, age in days (first seen month end to the as-of date) and overdue
  days; a problem the county's latest return no longer lists is "dropped" (its last status stands). Per 交办单位:
  the pipeline's tally over the year's problems, with how many were dropped before they were closed.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Iterable, Mapping, NamedTuple

import numpy as np
import polars as pl

from toolkit.domain.forecast import CountyOutlook
from toolkit.domain.periods import Period
from toolkit.domain.report_rules import pool_floor
from toolkit.domain.pipeline import (AT_RISK_CEILING, DONE, THRESHOLD, CountyLists, Origin, UnitTally, _date, _month,
                                     _number, _text, cross_county_flag, month_end, overdue_days)

POOL_FLOOR = 1000.0  # 万元: the pool's band is 1000–2000 万元 (spin-offs are not held to it)

# why a firm left (as the sheets print it)
ENTERED = "已入规"
MOVED = "转入{county}培育库"
GREW = "营收已达2000万元（未见入库）"
FELL = "营收低于培育库下限"  # below the pool's floor for its month (report_rules.pool_floor: 1000 万元 in December)
REMOVED = "移出（未说明原因）"
EXITED = "已退库"
ROSE = "营收升至3000万元以上"


class Sighting(NamedTuple):
    """A firm (or a problem) in one period's return: its revenue (or status) there and the row it came from (a
    tuple with names: a national year holds a few hundred thousand)."""

    period: Period
    value: float | str | None
    file: str
    sheet: str
    row: int

    @property
    def origin(self) -> Origin:
        return Origin(self.file, self.sheet, self.row)


@dataclass(slots=True)
class FirmTrack:
    county: str
    uscc: str
    name: str
    industry: str  # the pool's 行业代码 as last reported ("" for at-risk firms)
    spin_off: bool
    seen: Sequence[Sighting]  # in period order; value = revenue (万元) or None (``Sightings``: read when asked)
    first: Period
    last: Period
    left: str  # "" while the county's latest return still lists it; else why it left
    days: int

    @property
    def revenue(self) -> dict[Period, float | None]:
        return {s.period: s.value for s in self.seen}

    @property
    def origin(self) -> Origin:
        """The row of the latest return that lists it."""
        seen = self.seen
        return seen.last_origin() if isinstance(seen, Sightings) else seen[-1].origin

    @property
    def current(self) -> bool:
        return not self.left


@dataclass(slots=True)
class ProjectTrack:
    """A 重点项目（新建投产） followed through the year's returns, by its firm's credit code, else its name."""

    county: str
    project: str
    uscc: str  # "" while the project's firm is not registered
    name: str  # the firm's name, else the project's
    industry: str
    seen: tuple[Sighting, ...]  # value = 本年累计营业收入 (None before it produces)
    first: Period
    last: Period
    left: str  # "" while the county's latest return lists it; 已入规（…） or 移出（未说明原因）
    actual: Period | None  # 实际投产月份, as last reported
    planned: Period | None  # 计划投产月份, as last reported

    @property
    def current(self) -> bool:
        return not self.left

    @property
    def origin(self) -> Origin:
        return self.seen[-1].origin

    @property
    def commissioned(self) -> Period | None:
        """The month it began producing, else the month it plans to."""
        return self.actual or self.planned


@dataclass(frozen=True)
class CrossCounty:
    period: Period
    uscc: str
    name: str
    counties: tuple[str, ...]

    @property
    def text(self) -> str:
        return f"{self.period}：{cross_county_flag(self.counties)}"


@dataclass(frozen=True)
class LedgerTrack:
    county: str
    uscc: str
    name: str
    problem: str
    assigned_to: str
    deadline: dt.date | None
    status: str
    first_seen: Period
    history: tuple[Sighting, ...]  # value = the status reported in that period
    age_days: int
    overdue_days: int | None
    dropped: Period | None  # the first later return of the county that no longer lists it

    @property
    def origin(self) -> Origin:
        return self.history[-1].origin

    @property
    def changes(self) -> str:
        """'2022-03 办理中 → 2022-09 已办结': the periods where the status changed (and the first)."""
        parts, last = [], None
        for s in self.history:
            if s.value != last:
                parts.append(f"{s.period} {s.value or '（未填）'}")
                last = s.value
        text = " → ".join(parts)
        return f"{text} → {self.dropped} 起未再报送" if self.dropped else text


@dataclass
class Tracking:
    period: Period
    as_of: dt.date
    periods: list[Period] = field(default_factory=list)  # every period with an accepted return, in order
    pool: list[FirmTrack] = field(default_factory=list)
    at_risk: list[FirmTrack] = field(default_factory=list)
    projects: list[ProjectTrack] = field(default_factory=list)
    cross_county: list[CrossCounty] = field(default_factory=list)
    ledger: list[LedgerTrack] = field(default_factory=list)
    units: list[UnitTally] = field(default_factory=list)

    def pool_track(self, county: str, uscc: str) -> FirmTrack | None:
        return _find(self.pool, county, uscc)

    def risk_track(self, county: str, uscc: str) -> FirmTrack | None:
        return _find(self.at_risk, county, uscc)

    def ledger_track(self, county: str, uscc: str, name: str, problem: str) -> LedgerTrack | None:
        key = ledger_key(county, uscc, name, problem)
        return next((t for t in self.ledger if ledger_key(t.county, t.uscc, t.name, t.problem) == key), None)


def _find(tracks: list[FirmTrack], county: str, uscc: str) -> FirmTrack | None:
    return next((t for t in tracks if t.county == county and t.uscc == uscc), None)


_USCC = attrgetter("uscc")
_NEW = tuple.__new__
_AS_READ = {float, type(None)}  # revenue cells _number would give back unchanged
_PUNCTUATION = re.compile(r"[\s\u3000。，、；：,.;:!！?？\"'“”‘’（）()【】\[\]《》<>—\-_/]+")


@lru_cache(maxsize=1 << 16)
def normalised(text: str) -> str:
    """A problem's text for identity: full-width folded (NFKC), spaces and punctuation dropped (a year's returns
    repeat each text month after month: worked out once)."""
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text or ""))


def ledger_key(county: str, uscc: str, name: str, problem: str) -> tuple[str, str, str]:
    return county, (uscc or normalised(name)), normalised(problem)


@lru_cache(maxsize=None)
def _month_end(period: Period) -> dt.date:
    return month_end(period)


def _days(start: Period, end: Period) -> int:
    return (_month_end(end) - _month_end(start)).days


def _spin_off(value) -> bool:
    return _text(value) == "是"


class _Columns:
    """One list's rows (pool or at-risk) over the year's returns, column by column, in return order, grouped track
    by track (``order``): what a track's sightings are read from when asked — a national year holds over a million,
    and none is made until then."""

    __slots__ = ("rows", "values", "period", "ret", "periods", "files", "order", "_order", "_numbers", "_months")

    def __init__(self, rows: list, values: list, period: list[int], ret: list[int], periods: list[Period],
                 files: list[str], order: np.ndarray):
        self.rows, self.values, self.period, self.ret = rows, values, period, ret
        self.periods, self.files, self._order, self.order = periods, files, order, order.tolist()
        self._numbers: np.ndarray | None = None
        self._months: np.ndarray | None = None

    def sighting(self, i: int) -> Sighting:
        row = self.rows[i]  # made as tuple.__new__ makes it, without the named tuple's own __new__ in Python
        return _NEW(Sighting, (self.periods[self.period[i]], self.values[i], self.files[self.ret[i]], row.sheet,
                               row.row))

    def pair(self, i: int) -> tuple[Period, float | None]:
        return self.periods[self.period[i]], self.values[i]

    def numbers(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every row's value as a float (NaN: none), its period's month, and the rows grouped track by track."""
        if self._numbers is None:
            self._numbers = np.array([np.nan if v is None else v for v in self.values], dtype=float)
            months = np.array([p.month for p in self.periods], dtype=np.int64)
            self._months = months[np.array(self.period, dtype=np.int64)]
        return self._numbers, self._months, self._order


class Sightings(Sequence):
    """A track's sightings in period order, made from the year's columns when read; compares equal to the tuple of
    ``Sighting`` it stands for."""

    __slots__ = ("columns", "start", "stop")

    def __init__(self, columns: _Columns, start: int, stop: int):
        self.columns, self.start, self.stop = columns, start, stop

    def __len__(self) -> int:
        return self.stop - self.start

    def _row(self, i: int) -> int:
        n = self.stop - self.start
        if not -n <= i < n:
            raise IndexError(i)
        return self.columns.order[self.start + (i if i >= 0 else n + i)]

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(self)[i]
        return self.columns.sighting(self._row(i))

    def __iter__(self):
        return map(self.columns.sighting, self.columns.order[self.start:self.stop])

    def __reversed__(self):
        return map(self.columns.sighting, reversed(self.columns.order[self.start:self.stop]))

    def __eq__(self, other) -> bool:
        if isinstance(other, (tuple, Sequence)) and not isinstance(other, str):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(tuple(self))

    def pairs(self) -> "PeriodValues":
        return PeriodValues(self)

    def last_origin(self) -> Origin:
        i = self.columns.order[self.stop - 1]  # a track has at least one sighting
        row = self.columns.rows[i]
        return Origin(self.columns.files[self.columns.ret[i]], row.sheet, row.row)


class PeriodValues(Sequence):
    """(period, value) of each sighting of a track, read from the year's columns when asked (a forecast firm's
    series); compares equal to the tuple of pairs it stands for."""

    __slots__ = ("seen",)

    def __init__(self, seen: Sightings):
        self.seen = seen

    def __len__(self) -> int:
        return len(self.seen)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(self)[i]
        return self.seen.columns.pair(self.seen._row(i))

    def __iter__(self):
        columns = self.seen.columns
        return map(columns.pair, columns.order[self.seen.start:self.seen.stop])

    def __reversed__(self):
        columns = self.seen.columns
        return map(columns.pair, reversed(columns.order[self.seen.start:self.seen.stop]))

    def __eq__(self, other) -> bool:
        if isinstance(other, (tuple, Sequence)) and not isinstance(other, str):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(tuple(self))


def period_values(seen: Sequence[Sighting]) -> Sequence[tuple[Period, float | None]]:
    """A track's (period, value) pairs: read when asked from columns, else made now."""
    return seen.pairs() if isinstance(seen, Sightings) else tuple((s.period, s.value) for s in seen)


def series(tracks: Sequence, scale_annual: bool = False) -> np.ndarray:
    """The tracks' values by statistics month, (n, 12), NaN where none: a period's value at its month (the later
    sighting of a month standing; a missing or negative value none); ``scale_annual``: value × month / 12 (an
    at-risk firm's yearly level read as year-to-date). Column-wise for tracks read from columns."""
    ytd = np.full((len(tracks), 12), np.nan)
    groups: dict[int, tuple[_Columns, list[int]]] = {}
    for i, t in enumerate(tracks):
        seen = t.seen
        if isinstance(seen, Sightings):
            groups.setdefault(id(seen.columns), (seen.columns, []))[1].append(i)
            continue
        for x in seen:
            if x.value is not None and x.value >= 0:
                m = x.period.month
                ytd[i, m - 1] = x.value * m / 12 if scale_annual else x.value
    for columns, at in groups.values():
        numbers, months, order = columns.numbers()
        starts = np.array([tracks[i].seen.start for i in at], dtype=np.int64)
        lengths = np.array([tracks[i].seen.stop for i in at], dtype=np.int64) - starts
        offsets = np.cumsum(lengths) - lengths
        rows = order[np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))]
        value, month = numbers[rows], months[rows]
        place = np.repeat(np.array(at, dtype=np.int64), lengths) * 12 + month - 1
        ok = value >= 0
        value, month, place = value[ok], month[ok], place[ok]
        if scale_annual:
            value = value * month / 12
        _, last = np.unique(place[::-1], return_index=True)  # a month seen twice: the later sighting stands
        keep = len(place) - 1 - last
        ytd.reshape(-1)[place[keep]] = value[keep]
    return ytd


class _Rows(NamedTuple):
    """One list's rows of every return, in return order, with each row's return, period and county (indices) and
    credit code."""

    rows: list
    ret: list[int]
    period: list[int]
    county: np.ndarray
    files: list[str]
    usccs: list[str]


def _gather(returns: list[tuple[Period, CountyLists]], key: str, periods: list[Period],
            counties: Mapping[str, int]) -> _Rows:
    rows: list = []
    sizes = []
    for _, lists in returns:
        these = getattr(lists, key)
        rows.extend(these)
        sizes.append(len(these))
    sizes = np.array(sizes, dtype=np.int64)
    at = {p: i for i, p in enumerate(periods)}
    ret = np.repeat(np.arange(len(returns), dtype=np.int64), sizes)
    period = np.repeat(np.array([at[p] for p, _ in returns], dtype=np.int64), sizes)
    county = np.repeat(np.array([counties[lists.county] for _, lists in returns], dtype=np.int64), sizes)
    return _Rows(rows, ret.tolist(), period.tolist(), county, [lists.file for _, lists in returns],
                 list(map(_USCC, rows)))


def _revenues(rows: list) -> list[float | None]:
    """Each row's revenue as a number (None: none), as ``_number`` reads a cell."""
    values = [r.values.get("revenue") for r in rows]
    if set(map(type, values)) <= _AS_READ:
        return values
    return [v if type(v) is float else _number(v) for v in values]


class _Groups(NamedTuple):
    """A list's rows grouped by (county, credit code): ``order`` the row indices group after group, each group's
    rows in return order, the groups in the order of their first row; ``starts``/``stops`` each group's slice of
    it; ``several``: the rows, in return order, of the credit codes of more than one group (firms listed by more
    than one county)."""

    order: np.ndarray
    starts: np.ndarray
    stops: np.ndarray
    several: np.ndarray


def _groups(found: _Rows) -> _Groups:
    """By polars' group_by keeping order (hashing the codes: measured twice as fast as numbering them in a dict
    and a stable numpy sort, benchmarks/bench_pipeline.py)."""
    table = pl.DataFrame({"county": found.county, "uscc": pl.Series(found.usccs, dtype=pl.String)})
    groups = table.with_row_index("i").group_by(["county", "uscc"], maintain_order=True).agg(pl.col("i"))
    rows = groups["i"]
    lengths = rows.list.len().to_numpy().astype(np.int64)
    stops = np.cumsum(lengths)
    several = rows.filter(groups["uscc"].is_duplicated()).explode().sort().to_numpy().astype(np.int64)
    return _Groups(rows.explode().to_numpy().astype(np.int64), stops - lengths, stops, several)


def _firm_tracks(found: _Rows, groups: _Groups | None, periods: list[Period], counties: Mapping[str, int],
                 latest: np.ndarray, period: Period, why) -> list[FirmTrack]:
    """Every (county, credit code) of one list followed through the returns, column-wise: one track a group of
    rows, each listed until its county's latest return; ``why`` only for the tracks that left."""
    rows = found.rows
    if not rows:
        return []
    order, starts, stops, _ = groups or _groups(found)
    first_row, last_row = order[starts], order[stops - 1]
    periods_of = np.array(found.period, dtype=np.int64)
    first, last = periods_of[first_row], periods_of[last_row]
    track_county = found.county[first_row]
    left = last != latest[track_county]
    ends = np.array([_month_end(p).toordinal() for p in periods], dtype=np.int64)
    days = np.where(left, ends[last], _month_end(period).toordinal()) - ends[first]
    names = list(counties)
    columns = _Columns(rows, _revenues(rows), found.period, found.ret, periods, found.files, order)
    tracks = []
    for a, b, f, la, c, gone, d, r in zip(starts.tolist(), stops.tolist(), first.tolist(), last.tolist(),
                                          track_county.tolist(), left.tolist(), days.tolist(), last_row.tolist()):
        row = rows[r]
        v = row.values
        county, last_period = names[c], periods[la]
        industry, spin_off = v.get("industry"), v.get("spin_off")  # as _text and _spin_off read them
        tracks.append(FirmTrack(county, row.uscc, row.name, "" if industry is None else str(industry).strip(),
                                spin_off is not None and str(spin_off).strip() == "是", Sightings(columns, a, b),
                                periods[f], last_period, why(county, row.uscc, row, last_period) if gone else "", d))
    return tracks


def _project_tracks(returns: list[tuple[Period, CountyLists]], reported: Mapping[str, list[Period]],
                    entered: Mapping[str, str]) -> list[ProjectTrack]:
    seen: dict[tuple[str, str], list] = {}
    for p, lists in returns:
        county, file = lists.county, lists.file
        for row in lists.projects:
            v = row.values
            key = (county, row.uscc or normalised(_text(v.get("project"))))
            revenue = v.get("revenue")
            sighting = _NEW(Sighting, (p, revenue if type(revenue) is float else _number(revenue), file, row.sheet,
                                       row.row))
            entry = seen.get(key)
            if entry is None:
                seen[key] = [[sighting], row]
            else:
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


def _where(pool: _Rows, groups: _Groups | None, periods: list[Period],
           counties: Mapping[str, int]) -> tuple[dict[str, list[tuple[Period, str]]], dict[str, str]]:
    """Every pool firm listed by more than one county this year (in more than one group of rows): where (period,
    county), and its name."""
    where: dict[str, list[tuple[Period, str]]] = defaultdict(list)
    names: dict[str, str] = {}
    if groups is None:
        return where, names
    county_names = list(counties)
    for i in groups.several.tolist():
        row = pool.rows[i]
        where[row.uscc].append((periods[pool.period[i]], county_names[pool.county[i]]))
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
    seen: dict[tuple[str, str, str], list[tuple[int, Period, object, str]]] = {}
    norm, number = normalised, {p: i for i, p in enumerate(sorted({p for p, _ in returns}))}
    for p, lists in returns:
        county, file, at = lists.county, lists.file, number[p]
        for row in lists.ledger:
            problem = row.values.get("problem")
            key = (county, row.uscc or norm(row.name), norm("" if problem is None else str(problem).strip()))
            rows = seen.get(key)
            if rows is None:
                seen[key] = [(at, p, row, file)]
            elif rows[-1][0] == at:  # the same problem twice in one return: the later row stands
                rows[-1] = (at, p, row, file)
            else:
                rows.append((at, p, row, file))
    tracks = []
    for (county, _, _), rows in seen.items():  # each in period order: the returns come in period order
        _, last_period, row, _ = rows[-1]
        v = row.values
        listed = reported[county]
        later = listed[bisect_right(listed, last_period):]
        deadline, status = _date(v.get("deadline")), _text(v.get("status"))
        history = tuple(_NEW(Sighting, (p, "" if (x := r.values.get("status")) is None else str(x).strip(), file,
                                        r.sheet, r.row)) for _, p, r, file in rows)
        first = rows[0][1]
        tracks.append(LedgerTrack(county, row.uscc, row.name, _text(v.get("problem")), _text(v.get("assigned_to")),
                                  deadline, status, first, history, (as_of - _month_end(first)).days,
                                  overdue_days(deadline, status, as_of), later[0] if later else None))
    # overdue first, longest first; then open by deadline; done last (as the period's ledger sorts)
    return sorted(tracks, key=lambda t: (t.overdue_days is None, -(t.overdue_days or 0), t.status == DONE,
                                         t.deadline or dt.date.max))


def _units(ledger: list[LedgerTrack]) -> list[UnitTally]:
    """The pipeline's tally per (county, 交办单位) over the year's problems (as ``pipeline.unit_tallies`` counts
    and orders a period's: items, done, overdue; most overdue first, then the lowest 办结率, then by name — one
    row a unit, so the order is the key's alone), with how many were dropped before they were closed."""
    tally: dict[tuple[str, str], list[int]] = {}
    for t in ledger:
        counts = tally.get((t.county, t.assigned_to))
        if counts is None:
            counts = tally[(t.county, t.assigned_to)] = [0, 0, 0, 0]
        done = t.status == DONE
        counts[0] += 1
        counts[1] += done
        counts[2] += t.overdue_days is not None
        counts[3] += t.dropped is not None and not done
    units = [UnitTally(county, unit, *counts) for (county, unit), counts in tally.items()]
    return sorted(units, key=lambda u: (-u.overdue, u.done_rate, u.county, u.unit))


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
    periods = sorted({p for p, _ in returns})
    counties = {county: i for i, county in enumerate(reported)}
    pool = _gather(returns, "pool", periods, counties)
    groups = _groups(pool) if pool.rows else None
    pool_at, names = _where(pool, groups, periods, counties)  # where the firms more than one county listed are

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

    out = Tracking(period, as_of, periods)
    at = {p: i for i, p in enumerate(periods)}
    latest = np.array([at[listed[-1]] for listed in reported.values()], dtype=np.int64)
    out.pool = _firm_tracks(pool, groups, periods, counties, latest, period, pool_why)
    out.at_risk = _firm_tracks(_gather(returns, "at_risk", periods, counties), None, periods, counties, latest,
                               period, risk_why)
    out.projects = _project_tracks(returns, reported, entered)
    out.cross_county = _cross_county(pool_at, names)
    out.ledger = _ledger(returns, reported, as_of)
    out.units = _units(out.ledger)
    return out


# ---- what the year's forecast says of the followed firms (assembled by services.consolidation.outlook) -------------

POOL_KIND, RISK_KIND, PROJECT_KIND = "培育库", "风险库", "重点项目"


@dataclass(slots=True)
class FirmOutlook:
    """One pool or at-risk firm's year as the forecast sees it at the period: its reported series (Period,
    万元 — the pool's 本年累计; the at-risk list's 年营业收入 as reported), the year's revenue (point and range, None
    without data), the basis of the projection, the month its year-to-date revenue is expected to reach 2000 万元
    (pool firms; None: not this year), its way in (pool) and its chance: of ending the year at or over 2000 万元
    (pool), of ending it under (at-risk)."""

    county: str
    uscc: str
    name: str
    ytd: Sequence[tuple[Period, float | None]]  # (``PeriodValues``: read from the year's columns when asked)
    point: float | None
    low: float | None
    high: float | None
    basis: str
    pass_month: Period | None
    route: str
    kind: str = POOL_KIND
    chance: float | None = None
    origin: Origin | None = None  # the latest return's row


@dataclass
class YearOutlook:
    """The year's forecast at a period: per county then the city (last), per firm, and how it was calibrated."""

    period: Period
    month: int  # the statistics month forecast from (the period's month)
    calibrated: bool  # False: the deliberately wide ranges of forecast.fallback_spread()
    calibration: str  # in plain Chinese, as the sheet and the console print it
    counties: list[CountyOutlook] = field(default_factory=list)
    firms: list[FirmOutlook] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)  # the periods of the year with an accepted return
