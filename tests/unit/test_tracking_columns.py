"""The column-wise tracking (toolkit.domain.tracking.track) against the row-by-row one it replaced
(tests/unit/tracking_rowwise.py), on random years: the same tracks in the same order with the same sightings (period,
value, file, sheet, row), reasons, days, cross-county findings, ledger histories and unit tallies — and the
forecast's series read from the columns equal to the series read sighting by sighting."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

import tracking_rowwise
from toolkit.domain import tracking as T
from toolkit.domain.periods import Period
from toolkit.domain.pipeline import CountyLists
from toolkit.domain.register import ListRow
from toolkit.services.consolidation.outlook import _series

COUNTIES = ("天元区", "攸县", "茶陵县", "醴陵市")
KINDS = (T.ENTERED, T.GREW, T.FELL, T.REMOVED, T.EXITED, T.ROSE, "转入")  # a reason by how it begins
REVENUES = (None, "", "abc", "1,250.5", 1800, True, 2400.0, 950.0, 3100.0, float("nan"), -5.0)


def _firm(rng: random.Random, firms: list[str]) -> str:
    return rng.choice(firms)


def _revenue(rng: random.Random):
    return rng.choice(REVENUES) if rng.random() < 0.2 else round(rng.uniform(500, 3500), 2)


def random_year(seed: int) -> tuple[list[tuple[Period, CountyLists]], dict[str, str], dict[str, str]]:
    """A year of returns with everything the rules tell apart: firms joining, leaving, coming back, moving, listed
    twice in one return or by two counties, blank credit codes, odd revenue cells, counties missing months, returns
    of another year or after the period, the same problem written differently."""
    rng = random.Random(seed)
    firms = [f"9143{n:014d}" for n in range(rng.randint(1, 25))] + [""]
    problems = ("流动资金紧张", "流动资金 紧张。", "用地手续未办结", "用工缺口")
    returns = []
    months = sorted(rng.sample(range(1, 13), rng.randint(1, 8)))
    for month in months:
        for county in COUNTIES:
            if rng.random() < 0.25:
                continue
            year = 2021 if rng.random() < 0.05 else 2022

            def row(sheet: str, values: dict, uscc: str) -> ListRow:
                return ListRow(sheet, rng.randint(5, 60), uscc, f"企业{uscc[-3:] or '无码'}{rng.randint(0, 1)}",
                               {"uscc": uscc, **values})
            pool = [row("重点培育企业", {"revenue": _revenue(rng), "industry": rng.choice(("3311", " 1391", None)),
                                     "spin_off": rng.choice(("是", "否", "", None))}, _firm(rng, firms))
                    for _ in range(rng.randint(0, 10))]
            risk = [row("退规风险企业", {"revenue": _revenue(rng)}, _firm(rng, firms)) for _ in range(rng.randint(0, 5))]
            ledger = [row("问题台账", {"problem": rng.choice(problems), "assigned_to": rng.choice(("县金融办", "县住建局")),
                                   "deadline": rng.choice(("2022-03-31", "2022-08-31", "", None, "不详")),
                                   "status": rng.choice(("待办理", "办理中", "已办结", ""))}, _firm(rng, firms))
                      for _ in range(rng.randint(0, 4))]
            projects = [row("重点项目", {"project": rng.choice(("年产A线", "B 项目")), "industry": "3311",
                                     "revenue": _revenue(rng), "actual_month": rng.choice(("2022-03", "", None)),
                                     "planned_month": rng.choice(("2022-05", "2022-13", None))}, _firm(rng, firms))
                        for _ in range(rng.randint(0, 3))]
            returns.append((Period(year, month), CountyLists(county, f"{county}_{month}.xlsx", tuple(pool),
                                                             tuple(risk), tuple(ledger), tuple(projects))))
    rng.shuffle(returns)  # track() puts them in period order, keeping the order within a period
    entered = {u: rng.choice(("2022-05", "")) for u in firms if rng.random() < 0.2}
    exited = {u: rng.choice(("2022-07", "")) for u in firms if rng.random() < 0.2}
    return returns, entered, exited


def _firm_fields(t: T.FirmTrack) -> tuple:
    return (t.county, t.uscc, t.name, t.industry, t.spin_off, tuple(t.seen), t.first, t.last, t.left, t.days,
            t.revenue, t.origin, t.current)


def _same(seed: int, period: Period) -> None:
    returns, entered, exited = random_year(seed)
    as_of = dt.date(2022, 10, 9)
    new = T.track(period, returns, entered=entered, exited=exited, as_of=as_of)
    old = tracking_rowwise.track(period, returns, entered=entered, exited=exited, as_of=as_of)
    assert new.periods == old.periods
    for kind in ("pool", "at_risk"):
        assert [_firm_fields(t) for t in getattr(new, kind)] == [_firm_fields(t) for t in getattr(old, kind)], kind
    assert new.projects == old.projects
    assert new.cross_county == old.cross_county
    assert new.ledger == old.ledger
    assert [t.changes for t in new.ledger] == [t.changes for t in old.ledger]
    assert new.units == old.units
    for kind in ("pool", "at_risk"):  # the forecast's series: from the columns as from the sightings
        tracks, reference = getattr(new, kind), getattr(old, kind)
        for scale in (False, True):
            np.testing.assert_array_equal(_series(tracks, scale), _series(reference, scale))
            np.testing.assert_array_equal(_series(tracks[::2], scale), _series(reference[::2], scale))


@pytest.mark.parametrize("seed", range(300))
def test_column_wise_tracking_equals_the_row_by_row_one(seed):
    _same(seed, Period(2022, 12) if seed % 3 else Period(2022, random.Random(seed).randint(1, 12)))


def test_the_random_years_reach_every_way_of_leaving():
    """The property above is only as good as the years it runs on: they hold every reason and finding."""
    reasons, crossed, dropped, sightings_in_one_period = set(), 0, 0, 0
    for seed in range(300):
        returns, entered, exited = random_year(seed)
        t = T.track(Period(2022, 12), returns, entered=entered, exited=exited, as_of=dt.date(2022, 10, 9))
        reasons |= {next((k for k in KINDS if x.left.startswith(k)), x.left) for x in [*t.pool, *t.at_risk]}
        crossed += len(t.cross_county)
        dropped += sum(x.dropped is not None for x in t.ledger)
        sightings_in_one_period += sum(len({s.period for s in x.seen}) < len(x.seen) for x in t.pool)
    assert reasons == {"", *KINDS}
    assert crossed and dropped and sightings_in_one_period


def test_sightings_read_from_the_columns_behave_as_a_tuple():
    returns, entered, exited = random_year(3)
    track = next(t for t in T.track(Period(2022, 12), returns, entered=entered, exited=exited,
                                    as_of=dt.date(2022, 10, 9)).pool if len(t.seen) > 1)
    seen = tuple(track.seen)
    assert isinstance(track.seen, T.Sightings) and track.seen == seen and seen == track.seen
    assert track.seen[-1] == seen[-1] and track.seen[0] == seen[0] and track.seen[1:] == seen[1:]
    assert len(track.seen) == len(seen) and list(reversed(track.seen)) == list(reversed(seen))
    assert all(type(s) is T.Sighting for s in track.seen) and track.seen[-1].origin == track.origin
    pairs = T.period_values(track.seen)
    assert pairs == tuple((s.period, s.value) for s in seen) and list(reversed(pairs)) == list(reversed(pairs[:]))
    assert pairs[-1] == (seen[-1].period, seen[-1].value)
    with pytest.raises(IndexError):
        track.seen[len(seen)]
