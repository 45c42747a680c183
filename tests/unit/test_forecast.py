"""The pipeline forecast (toolkit.domain.forecast), boundary by boundary, and the backtest's coverage."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest

from conftest import ROOT
from toolkit.domain import forecast as F

WIDE = F.fallback_spread()
NO_SHAPES = np.full((100, 12), np.nan)
NAN = float("nan")


def _ytd(values: dict[int, float]) -> list[float]:
    """A year-to-date row from {month: revenue}."""
    return [values.get(k, NAN) for k in range(1, 13)]


def _firms(*rows: dict) -> F.Firms:
    """Firms from dicts: ytd {month: revenue}, last (12 values or None), county, industry, start, new."""
    return F.Firms(np.array([r.get("county", 0) for r in rows]), np.array([r.get("industry", 0) for r in rows]),
                   np.array([_ytd(r.get("ytd", {})) for r in rows], dtype=float),
                   np.array([r.get("last") or [NAN] * 12 for r in rows], dtype=float),
                   np.array([r.get("start", 1) for r in rows]), np.array([r.get("new", False) for r in rows]))


def _steady(full: float) -> list[float]:
    """Last year's cumulative revenue of a firm booking 1/12 a month."""
    return [full * k / 12 for k in range(1, 13)]


@pytest.mark.parametrize("revenue, passed", [(2000.0, 5), (2000.01, 5), (1999.99, 0)])
def test_exactly_2000_passes_in_the_month_it_is_reached(revenue, passed):
    p = F.project(_firms({"ytd": {5: revenue}}), 5, NO_SHAPES, WIDE)
    assert bool(p.pass_month[0] == 5) is bool(passed)
    if passed:
        assert p.p_over[0] == 1.0 and p.p_below[0] == 0.0
    else:
        assert 0 < p.p_over[0] < 1


def test_a_firm_already_over_2000_passed_in_its_first_month_over_and_cannot_fall_back():
    p = F.project(_firms({"ytd": {2: 900, 3: 2100, 4: 2600, 5: 3000}}), 5, NO_SHAPES, WIDE)
    assert p.pass_month[0] == 3
    assert p.p_over[0] == 1.0 and p.p_below[0] == 0.0
    assert p.low[0] >= 3000 and p.point[0] >= 3000


def test_january_is_not_a_statistics_month():
    with pytest.raises(ValueError, match="1–2月"):
        F.project(_firms({"ytd": {2: 100}}), 1, NO_SHAPES, WIDE)
    # a January figure over the threshold is not read: 1–2月 is the first month a firm can pass
    p = F.project(_firms({"ytd": {1: 2500, 2: 2600}}, {"ytd": {1: 2500}}), 2, NO_SHAPES, WIDE)
    assert list(p.pass_month) == [2, 0]
    assert p.basis[1] == F.NO_DATA and np.isnan(p.point[1]) and np.isnan(p.p_over[1])


def test_without_history_or_industry_shape_the_projection_is_straight_line():
    p = F.project(_firms({"ytd": {6: 900}, "industry": 34}), 6, NO_SHAPES, WIDE)
    assert p.basis[0] == F.STRAIGHT and p.basis_label(0) == "按月数直线推算"
    assert p.point[0] == pytest.approx(1800)
    assert p.low[0] < 1800 < p.high[0]


def test_the_firms_own_shape_is_preferred_over_its_industrys_and_that_over_straight_line():
    table = F.shape_table({34: [k / 24 if k < 12 else 1.0 for k in range(1, 13)]})  # half the year by November
    own = [1000 * k / 10 if k <= 10 else 1000 + 500 * (k - 10) for k in range(1, 13)]  # 1000 by Oct, 2000 by Dec
    firms = _firms({"ytd": {6: 600}, "industry": 34, "last": own}, {"ytd": {6: 600}, "industry": 34},
                   {"ytd": {6: 600}, "industry": 13})
    p = F.project(firms, 6, table, WIDE)
    assert list(p.basis) == [F.OWN, F.INDUSTRY, F.STRAIGHT]
    assert p.point[0] == pytest.approx(600 / 0.3)  # own: 600 of 2000 booked by June last year
    assert p.point[1] == pytest.approx(600 / 0.25)  # industry: 6/24 by June
    assert p.point[2] == pytest.approx(1200)


def test_a_firm_that_began_producing_late_last_year_has_no_own_shape():
    q4 = [0.0] * 9 + [300.0, 700.0, 1200.0]  # commissioned in October: nothing in last year's 1–2月
    p = F.project(_firms({"ytd": {6: 900}, "last": q4}), 6, NO_SHAPES, WIDE)
    assert p.basis[0] == F.STRAIGHT


def test_an_industry_shape_needs_enough_firms():
    year = np.array([_steady(1200.0)] * F.MIN_SHAPE_FIRMS + [_steady(900.0)] * (F.MIN_SHAPE_FIRMS - 1))
    industry = np.array([34] * F.MIN_SHAPE_FIRMS + [13] * (F.MIN_SHAPE_FIRMS - 1))
    table = F.industry_shapes(year, industry)
    assert table[34] == pytest.approx(np.arange(1, 13) / 12)
    assert np.isnan(table[13]).all()


def test_a_new_build_counts_its_shares_from_the_month_it_began_producing():
    p = F.project(_firms({"ytd": {9: 900}, "start": 7, "new": True}), 9, NO_SHAPES, WIDE)
    assert p.point[0] == pytest.approx(1800)  # 3 of its 6 months


def test_the_expected_pass_month_follows_the_points_path():
    p = F.project(_firms({"ytd": {6: 1200}}), 6, NO_SHAPES, WIDE)
    assert p.point[0] == pytest.approx(2400)
    assert p.pass_month[0] == 10  # 1200 + 1200 × (k − 6) / 6 reaches 2000 at k = 10
    below = F.project(_firms({"ytd": {6: 900}}), 6, NO_SHAPES, WIDE)
    assert below.pass_month[0] == 0


@pytest.mark.parametrize("day, new", [("2021-09-30", False), ("2021-10-01", True), ("2022-08-01", True),
                                      ("NaT", False), ("2019-05-01", False)])
def test_a_new_build_is_established_or_commissioned_from_1_october_of_last_year(day, new):
    assert list(F.new_builds(np.array([day], dtype="datetime64[D]"), 2022)) == [new]


def test_new_builds_enter_this_year_and_other_firms_in_next_years_annual_batch():
    firms = _firms({"ytd": {6: 1200}, "new": True}, {"ytd": {6: 1200}}, {"ytd": {6: 600}, "new": True},
                   {"ytd": {6: 600}})
    p = F.project(firms, 6, NO_SHAPES, WIDE)
    assert list(F.routes(p, firms.new_build)) == [F.ROUTE_MONTHLY, F.ROUTE_BATCH, F.ROUTE_NONE, F.ROUTE_NONE]
    assert F.ROUTE_LABELS[F.ROUTE_BATCH] == "预计全年达2000万元，次年年度入库（小升规）"


@pytest.mark.parametrize("month, ytd, low, high", [(11, 2900, 0.0, 1e-4), (11, 300, 0.9999, 1.0), (11, 2000, 0, 0),
                                                   (12, 1999.99, 1, 1), (12, 2000, 0, 0)])
def test_the_chance_an_at_risk_firm_falls_below_reaches_its_limits(month, ytd, low, high):
    p = F.project(_firms({"ytd": {month: ytd}}), month, NO_SHAPES, WIDE)
    assert low <= p.p_below[0] <= high


def test_the_range_contains_the_point_and_never_falls_under_the_revenue_booked():
    rng = np.random.default_rng(3)
    n = 400
    month = 7
    ytd = np.full((n, 12), np.nan)
    ytd[:, month - 1] = rng.uniform(100, 2600, n)
    last = np.where(rng.random((n, 1)) < 0.5, np.cumsum(rng.uniform(50, 300, (n, 12)), axis=1), np.nan)
    firms = F.Firms(rng.integers(0, 3, n), rng.choice([13, 34], n), ytd, last)
    p = F.project(firms, month, NO_SHAPES, WIDE)
    assert np.all(p.low <= p.point) and np.all(p.point <= p.high)
    assert np.all(p.low >= ytd[:, month - 1])


def test_calibration_measures_the_errors_and_keeps_the_fallback_where_too_few_firms():
    n = F.MIN_CALIBRATION
    full = np.linspace(1000, 3000, n)
    history = F.Firms(np.zeros(n, dtype=int), np.full(n, 34), np.array([_steady(f) for f in full]),
                      np.array([_steady(f * 0.9) for f in full]))
    spread = F.calibrate(history, NO_SHAPES)
    # every firm's shape repeated exactly: no error, on its own shape and straight-line alike
    assert spread.firms[0, F.OWN, 6] == n and spread.firms[0, F.STRAIGHT, 6] == n
    assert spread.total[0, F.OWN, 2:12] == pytest.approx(0, abs=1e-9)
    assert spread.mean[0, F.STRAIGHT, 2:12] == pytest.approx(0, abs=1e-9)
    # no industry shape, no new builds: those cells keep the wide fallback
    assert spread.firms[0, F.INDUSTRY, 6] == 0 and spread.firms[1, F.STRAIGHT, 6] == 0
    assert spread.total[1, F.STRAIGHT, 6] == pytest.approx(WIDE.total[1, F.STRAIGHT, 6])
    fewer = F.calibrate(F.Firms(history.county[1:], history.industry[1:], history.ytd[1:], history.last_year[1:]),
                        NO_SHAPES)
    assert fewer.firms[0, F.OWN, 6] == 0


def test_last_years_drift_is_not_carried_over_but_widens_the_common_part():
    """Every firm booked 45 % of its year by June against 50 % the year before: a drift shared by all."""
    n = F.MIN_CALIBRATION
    full = np.linspace(1000, 3000, n)
    this = np.array([[f * (0.9 * k / 12 if k <= 6 else 0.45 + 0.55 * (k - 6) / 6) for k in range(1, 13)]
                     for f in full])
    spread = F.calibrate(F.Firms(np.zeros(n, dtype=int), np.full(n, 34), this,
                                 np.array([_steady(f) for f in full])), NO_SHAPES)
    assert spread.mean[0, F.OWN, 6] == 0
    assert spread.common[0, F.OWN, 6] == pytest.approx(np.log(0.5 / 0.45))
    assert spread.own[0, F.OWN, 6] == pytest.approx(0, abs=1e-9)


def test_a_projection_far_from_last_years_revenue_is_pulled_back_as_far_as_last_year_shows():
    """Every firm ended its year at last year's revenue, but its months to November wandered: the wander was
    noise, so the calibration pulls the whole way back to last year's revenue, with no error left."""
    n = F.MIN_CALIBRATION + 1
    full = np.linspace(1000, 3000, n)
    wander = np.exp(np.linspace(-0.2, 0.2, n))[:, None]
    this = np.array([_steady(f) for f in full])
    this[:, :11] *= wander
    spread = F.calibrate(F.Firms(np.zeros(n, dtype=int), np.full(n, 34), this,
                                 np.array([_steady(f) for f in full])), NO_SHAPES)
    assert spread.pull[0, F.OWN, 2:12] == pytest.approx(1.0)
    assert spread.total[0, F.OWN, 2:12] == pytest.approx(0, abs=1e-9)
    month = 6
    ytd = np.full((1, 12), np.nan)
    ytd[0, month - 1] = 1200.0  # 2400 by its own shape, last year 1500, the only firm: nothing to pull against
    p = F.project(F.Firms(np.zeros(1, dtype=int), np.zeros(1, dtype=int), ytd, np.array([_steady(1500.0)])), month,
                  NO_SHAPES, spread)
    assert p.point[0] == pytest.approx(2400)


def _outlook(month: int, pool: F.Firms, risk: F.Firms, **kw):
    return F.outlook(["天元区", "攸县"], pool, F.project(pool, month, NO_SHAPES, WIDE), risk,
                     F.project(risk, month, NO_SHAPES, WIDE), **kw)


def test_at_year_end_the_counties_figures_are_exact_and_add_up():
    pool = _firms({"ytd": {12: 2300}, "new": True}, {"ytd": {12: 2100}, "new": True, "county": 1},
                  {"ytd": {12: 1900}, "new": True}, {"ytd": {12: 2050}}, {"ytd": {12: 2500}, "county": 1},
                  {"ytd": {12: 1500}, "county": 1}, {"ytd": {12: 2400}, "new": True, "county": 1})
    risk = _firms({"ytd": {12: 1800}}, {"ytd": {12: 2200}}, {"ytd": {12: 1700}, "county": 1})
    entered = np.array([False, False, False, False, False, False, True])  # in the register already
    rows = _outlook(12, pool, risk, entries_so_far=[5, 7], exits_so_far=[1, 0], targets=[8, 10],
                    next_targets=[2, 4], entered=entered)
    tianyuan, youxian, city = rows
    assert [r.county for r in rows] == ["天元区", "攸县", "全市"]
    assert (tianyuan.further.expected, youxian.further.expected) == (1, 1)
    assert tianyuan.added == F.Range(6, 6, 6) and youxian.added == F.Range(8, 8, 8)
    assert tianyuan.exits == F.Range(2, 2, 2) and youxian.exits == F.Range(1, 1, 1)
    assert tianyuan.net == F.Range(4, 4, 4) and youxian.net == F.Range(7, 7, 7)
    assert tianyuan.completion == F.Range(0.75, 0.75, 0.75) and youxian.completion == F.Range(0.8, 0.8, 0.8)
    assert tianyuan.pipeline.expected == 1 and youxian.pipeline.expected == 1
    assert tianyuan.coverage == F.Range(0.5, 0.5, 0.5) and youxian.coverage == F.Range(0.25, 0.25, 0.25)
    assert (city.entries_so_far, city.exits_so_far, city.target, city.next_target) == (12, 1, 18, 6)
    assert city.added == F.Range(14, 14, 14) and city.net == F.Range(11, 11, 11)


def test_mid_year_the_expected_values_add_up_to_the_city_and_each_range_holds_its_expected_value():
    rng = np.random.default_rng(7)
    n = 300
    ytd = np.full((n, 12), np.nan)
    ytd[:, 5] = rng.uniform(500, 1600, n)
    pool = F.Firms(rng.integers(0, 2, n), np.zeros(n, dtype=int), ytd, np.full((n, 12), np.nan), None,
                   rng.random(n) < 0.3)
    risk_ytd = np.full((n, 12), np.nan)
    risk_ytd[:, 5] = rng.uniform(900, 1500, n)
    risk = F.Firms(rng.integers(0, 2, n), np.zeros(n, dtype=int), risk_ytd, np.full((n, 12), np.nan))
    rows = _outlook(6, pool, risk, entries_so_far=[3, 4], exits_so_far=[2, 2], targets=[30, None],
                    next_targets=[50, 60])
    for name in ("further", "added", "exits", "net", "pipeline"):
        values = [getattr(r, name) for r in rows]
        assert values[0].expected + values[1].expected == pytest.approx(values[2].expected)
        assert all(v.expected in v and v.low < v.high for v in values)
    assert rows[0].completion is not None and rows[1].completion is None and rows[2].completion is None
    assert rows[2].next_target == 110


def test_divisions_read_the_two_leading_digits():
    assert list(F.divisions(["3484", " 13 ", "C34", "", "7"])) == [34, 13, 0, 0, 0]


def _backtest():
    spec = importlib.util.spec_from_file_location("backtest_forecast", ROOT / "benchmarks" / "backtest_forecast.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("backtest_forecast", module)
    spec.loader.exec_module(module)
    return module


def test_in_september_the_true_year_end_figures_fall_in_the_stated_range_about_as_often_as_stated():
    """Three generated cities of eight counties (seeds 1–3): the 新增 range, the exits' range and each firm's revenue
    range hold the truth at least at the nominal 80 % less a margin of 15 points (24 county-years: sampling)."""
    month9 = _backtest().backtest(range(1, 4), months=[9])[0]
    floor = F.LEVEL - 0.15
    assert month9["added"]["coverage"] >= floor
    assert month9["exits"]["coverage"] >= floor
    assert month9["firm_coverage"] >= floor
    assert abs(month9["added"]["bias"]) < 1.0
