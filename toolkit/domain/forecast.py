"""The year's forecast of the cultivation pipeline (issue #37): where each pool firm's and each at-risk firm's
revenue ends the year, and so each county's 新增, 退库, 净增 and 完成率 at year end, with ranges that are measured,
not guessed (docs/预测.md; benchmarks/backtest_forecast.py checks them on generated years whose outcome is known).

Pure and columnar: every figure is computed over arrays of all firms at once (numpy); nothing here reads a file.
A later slice hands in the monthly returns as arrays; the arrays' layout is the contract:

- ``ytd``: (firms, 12) year-to-date 主营业务收入 (万元) by month, column ``k - 1`` for month ``k``; NaN where not
  reported. Statistics skip January: 1–2月 (month 2) is the first cumulative month, so column 0 is never read.
- ``last_year``: the same for last year (the firm's own shape), NaN where unknown.
- ``industry``: GB/T 4754 division (大类, 1–97; 0 unknown); ``start``: the month a new build began producing this
  year (1 = all year); ``new_build``: established or commissioned on or after 1 October of last year.

How a firm's year is projected: its year-to-date revenue at the latest reported month ``m`` divided by the share of
a year's revenue that is usually booked by month ``m`` — its own share last year when it produced all last year, else
its industry's (the mean share of last year's firms in the division, when at least ``MIN_SHAPE_FIRMS`` had one), else
``m / 12``; a firm that began producing this year counts its shares from that month. The log-error of that projection
at month ``m`` for the basis used has a mean and a spread measured on last year (``calibrate``): a part common to all
firms (the year's shock: it moves every firm together) and a firm's own part. The point is the projection corrected
by the mean error; the range holds the middle ``LEVEL`` of the errors. Counts (entries, exits, the next year's
小升规) are sums of the firms' chances, and their ranges mix over the common part (a bad year lowers every firm's
chance at once), so a county's range is not the sum of independent coin tosses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

THRESHOLD = 2000.0  # 万元: 规模以上工业
LEVEL = 0.8  # the ranges hold the middle 80 %: about 8 years in 10 the outcome falls inside
FIRST_MONTH = 2  # 1–2月: the first cumulative month of the statistics year
NEW_BUILD_SINCE = (10, 1)  # (month, day) of last year: new builds are established or commissioned on or after it
MIN_SHAPE_FIRMS = 5  # an industry's shape is used when at least this many firms of last year make it
MIN_CALIBRATION = 20  # firm errors needed to measure a (group, basis, month) cell; fewer: the wide fallback

OWN, INDUSTRY, STRAIGHT, NO_DATA = 0, 1, 2, 3
BASIS_LABELS = ("本企业上年同期累计占比", "所属行业大类上年同期累计占比", "按月数直线推算", "本年尚无营业收入数据")

# what a pool firm can do this year (route)
ROUTE_NONE, ROUTE_MONTHLY, ROUTE_BATCH = 0, 1, 2
ROUTE_LABELS = ("预计本年达不到2000万元", "新建投产，本年可月度入库", "预计全年达2000万元，次年年度入库（小升规）")

_NODES = 15  # Gauss–Hermite nodes over the common part of the error


def _phi(x: np.ndarray) -> np.ndarray:
    """The standard normal distribution function (Abramowitz–Stegun 7.1.26, error < 1.5e-7), ±inf handled."""
    z = np.abs(x) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = 1.0 - poly * np.exp(-z * z)
    return 0.5 * (1.0 + np.sign(x) * erf)


def _quantile_z(level: float) -> float:
    """z with Φ(z) = (1 + level) / 2, by bisection on _phi (no scipy)."""
    lo, hi = 0.0, 10.0
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _phi(np.array(mid)) < (1 + level) / 2 else (lo, mid)
    return (lo + hi) / 2


_Z = _quantile_z(LEVEL)  # 1.2816 for the middle 80 %


@dataclass(frozen=True)
class Firms:
    """Firms as columns (see the module's docstring for the layout)."""

    county: np.ndarray  # (N,) int: index into the county labels
    industry: np.ndarray  # (N,) int: GB/T 4754 division, 0 unknown
    ytd: np.ndarray  # (N, 12) float
    last_year: np.ndarray  # (N, 12) float
    start: np.ndarray | None = None  # (N,) int 1..12; None: all 1
    new_build: np.ndarray | None = None  # (N,) bool; None: none

    def __post_init__(self):
        n = len(self.county)
        for name in ("ytd", "last_year"):
            if getattr(self, name).shape != (n, 12):
                raise ValueError(f"{name} must be (firms, 12), got {getattr(self, name).shape}")
        if len(self.industry) != n:
            raise ValueError("industry must have one value per firm")
        if self.start is None:
            object.__setattr__(self, "start", np.ones(n, dtype=np.int64))
        if self.new_build is None:
            object.__setattr__(self, "new_build", np.zeros(n, dtype=bool))

    def __len__(self) -> int:
        return len(self.county)


@dataclass(frozen=True)
class Spread:
    """The log-error of the year-end projection, log(actual) − log(projected), per (group, basis, month):
    group 0 established firms, 1 new builds; its mean, the sd common to all firms, a firm's own sd, how many
    firm errors measured it (0: the fallback), and the pull towards last year's revenue (own basis only: a firm
    whose projection sits far from last year's revenue, relative to the other firms, is partly noise)."""

    mean: np.ndarray  # (2, 3, 13)
    common: np.ndarray
    own: np.ndarray
    firms: np.ndarray
    pull: np.ndarray

    @property
    def total(self) -> np.ndarray:
        return np.sqrt(self.common ** 2 + self.own ** 2)


def fallback_spread() -> Spread:
    """A deliberately wide guess, not a measurement, for a year with no calibration: sd 0.35 of log revenue at 1–2月
    shrinking with the months left, half of its variance common; twice as wide for new builds. Month 12 is exact."""
    months = np.arange(13, dtype=float)
    sd = 0.35 * np.sqrt(np.clip(12 - months, 0, None) / 10)
    sd = np.broadcast_to(sd, (2, 3, 13)).copy()
    sd[1] *= 2
    part = sd / np.sqrt(2)
    return Spread(np.zeros((2, 3, 13)), part, part.copy(), np.zeros((2, 3, 13), dtype=np.int64),
                  np.zeros((2, 3, 13)))


def new_builds(commissioned: np.ndarray, year: int) -> np.ndarray:
    """Whether each firm is a new build of ``year`` (dates as numpy datetime64[D]; NaT: no): established or
    commissioned on or after 1 October of last year (the fourth quarter opens the new-build window)."""
    since = np.datetime64(dt.date(year - 1, *NEW_BUILD_SINCE), "D")
    dates = np.asarray(commissioned, dtype="datetime64[D]")
    return ~np.isnat(dates) & (dates >= since)


def divisions(codes: Sequence[str]) -> np.ndarray:
    """GB/T 4754 codes as written ("3484", "34", " 13 ") to divisions (34, 34, 13); not two leading digits: 0."""
    text = np.char.strip(np.asarray(codes, dtype=str)).astype("U2")
    ok = (np.char.str_len(text) == 2) & np.char.isdigit(text)
    out = np.zeros(len(text), dtype=np.int64)
    out[ok] = text[ok].astype(np.int64)
    return out


def shape_table(shapes: Mapping[int, Sequence[float]]) -> np.ndarray:
    """A (100, 12) table of cumulative shares by division from {division: 12 shares}; NaN rows: no shape."""
    table = np.full((100, 12), np.nan)
    for division, shares in shapes.items():
        table[int(division)] = np.asarray(shares, dtype=float)
    return table


def industry_shapes(ytd: np.ndarray, industry: np.ndarray) -> np.ndarray:
    """Each division's cumulative shares from a complete year of firms' year-to-date revenue: the mean over the
    division's firms that produced all year (revenue in 1–2月) of their share booked by each month; divisions with
    fewer than MIN_SHAPE_FIRMS such firms get none (NaN)."""
    full = ytd[:, 11]
    ok = np.isfinite(ytd[:, 1:]).all(axis=1) & (full > 0) & (ytd[:, 1] > 0) & (industry > 0) & (industry < 100)
    shares = ytd[ok] / full[ok, None]
    code = industry[ok].astype(np.int64)
    counts = np.bincount(code, minlength=100)
    table = np.full((100, 12), np.nan)
    sums = np.stack([np.bincount(code, weights=shares[:, k], minlength=100) for k in range(12)], axis=1)
    enough = counts >= MIN_SHAPE_FIRMS
    table[enough] = sums[enough] / counts[enough, None]
    return table


def _shares(firms: Firms, table: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The (N, 12) cumulative shares of each basis (own, industry, straight) and where each is available, counted
    from the month the firm began producing."""
    last = firms.last_year
    full = last[:, 11]
    own_ok = np.isfinite(last[:, 1:]).all(axis=1) & (full > 0) & (last[:, 1] > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.where(own_ok[:, None], last / np.where(full > 0, full, 1.0)[:, None], np.nan)
    industry = np.clip(firms.industry.astype(np.int64), 0, 99)
    ind = table[industry]
    ind_ok = np.isfinite(ind[:, 1:]).all(axis=1) & (firms.industry > 0)
    straight = np.broadcast_to(np.arange(1, 13) / 12.0, (len(firms), 12))
    start = np.clip(firms.start.astype(np.int64), 1, 12)
    late = start > 1
    out = []
    for shares in (own, ind, straight):
        if late.any():
            before = np.where(late, shares[np.arange(len(firms)), np.clip(start - 2, 0, 11)], 0.0)
            left = np.where(before < 1, 1 - before, 1.0)
            shares = np.clip((shares - before[:, None]) / left[:, None], 0.0, None)
            shares = np.where(np.arange(12)[None, :] >= (start - 1)[:, None], shares, 0.0)
        out.append(shares)
    return out, [own_ok, ind_ok, np.ones(len(firms), dtype=bool)]


def _observed(ytd: np.ndarray, month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per firm: whether it reported in 1–2月..month, the column of its latest report, the revenue there."""
    cols = ytd[:, 1:month]
    seen = np.isfinite(cols)
    has = seen.any(axis=1)
    col = 1 + (cols.shape[1] - 1 - np.argmax(seen[:, ::-1], axis=1))
    value = np.where(has, ytd[np.arange(len(ytd)), col], np.nan)
    return has, col, value


@dataclass(frozen=True)
class Projection:
    """Each firm's year as of ``month``: the basis, the latest reported month and revenue, the point and the range
    of the year's revenue, the chance of ending the year at or over the threshold, the month it is expected to pass
    it (0: not this year), and what the forecast's mixture over counties needs (log projection, error parts)."""

    month: int
    basis: np.ndarray  # int8, one of OWN..NO_DATA
    reported: np.ndarray  # latest reported month (0: none)
    ytd: np.ndarray
    point: np.ndarray
    low: np.ndarray
    high: np.ndarray
    p_over: np.ndarray  # P(year ≥ THRESHOLD); NaN without data
    pass_month: np.ndarray  # int: 2..12 (2 = 1–2月), 0 = not expected this year
    log_center: np.ndarray  # log of the projection with the mean error
    sd_common: np.ndarray
    sd_own: np.ndarray

    @property
    def p_below(self) -> np.ndarray:
        """For at-risk firms: the chance the year ends under the threshold."""
        return 1.0 - self.p_over

    def basis_label(self, i: int) -> str:
        return BASIS_LABELS[int(self.basis[i])]


def project(firms: Firms, month: int, table: np.ndarray, spread: Spread) -> Projection:
    """Every firm's year from its returns up to ``month`` (2..12; January is not a statistics month)."""
    if not FIRST_MONTH <= month <= 12:
        raise ValueError(f"统计月份为1–2月至12月（{FIRST_MONTH}..12），不能是 {month}")
    n = len(firms)
    rows = np.arange(n)
    has, col, ytd = _observed(firms.ytd, month)
    shares, ok = _shares(firms, table)
    basis = np.where(ok[OWN], OWN, np.where(ok[INDUSTRY], INDUSTRY, STRAIGHT))
    chosen = np.select([(basis == OWN)[:, None], (basis == INDUSTRY)[:, None]], [shares[OWN], shares[INDUSTRY]],
                       shares[STRAIGHT])
    share_now = chosen[rows, col]
    usable = has & (ytd > 0) & (share_now > 0)
    basis = np.where(usable, basis, NO_DATA).astype(np.int8)
    group = firms.new_build.astype(np.int64)
    cell = (group, np.minimum(basis, STRAIGHT), col + 1)
    mean, common, own, pull = spread.mean[cell], spread.common[cell], spread.own[cell], spread.pull[cell]
    sd = np.sqrt(common ** 2 + own ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        log_projected = np.log(np.where(usable, ytd / share_now, 1.0))
        own_basis = usable & (basis == OWN)
        gap = _gap(firms.last_year[:, 11], log_projected, own_basis)
        log_center = np.where(usable, log_projected + mean + pull * gap, np.nan)
        point = np.where(usable, np.maximum(ytd, np.exp(log_center)), np.nan)
        low = np.where(usable, np.maximum(ytd, np.exp(log_center - _Z * sd)), np.nan)
        high = np.where(usable, np.maximum(ytd, np.exp(log_center + _Z * sd)), np.nan)
        margin = log_center - np.log(THRESHOLD)
        p_over = np.where(sd > 0, _phi(margin / np.where(sd > 0, sd, 1.0)), (margin >= 0).astype(float))
    p_over = np.where(ytd >= THRESHOLD, 1.0, np.where(usable, p_over, np.nan))
    return Projection(month, basis, np.where(has, col + 1, 0), ytd, point, low, high, p_over,
                      _pass_month(firms.ytd, month, col, ytd, point, chosen, share_now, usable),
                      log_center, np.where(usable, common, 0.0), np.where(usable, own, 0.0))


def _pass_month(all_ytd, month, col, ytd, point, shares, share_now, usable) -> np.ndarray:
    """The month the year-to-date revenue reaches the threshold (2000 itself passes): the first reported month
    that did (1–2月 at the earliest: a January figure is not read), else the first later month on the point's
    path (the booked revenue plus the rest of the point, spread by the shares), else 0."""
    n = len(ytd)
    columns = np.arange(12)[None, :]
    reached = np.isfinite(all_ytd) & (all_ytd >= THRESHOLD) & (columns >= 1) & (columns <= col[:, None])
    done = reached.any(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rest = np.where((share_now < 1)[:, None], (shares - share_now[:, None]) / (1 - share_now)[:, None], 0.0)
        path = ytd[:, None] + (point - ytd)[:, None] * rest
    ahead = usable[:, None] & (columns > col[:, None]) & (path >= THRESHOLD)
    future = ahead.any(axis=1)
    out = np.zeros(n, dtype=np.int64)
    out[future] = np.argmax(ahead[future], axis=1) + 1
    out[done] = np.argmax(reached[done], axis=1) + 1
    return out


def routes(projection: Projection, new_build: np.ndarray) -> np.ndarray:
    """Each pool firm's way in (ROUTE_*): a new build whose point reaches the threshold enters this year month by
    month; another firm whose point reaches it enters next year's annual batch (小升规, on this year's revenue)."""
    over = np.nan_to_num(projection.point) >= THRESHOLD
    return np.where(over, np.where(new_build, ROUTE_MONTHLY, ROUTE_BATCH), ROUTE_NONE).astype(np.int8)


# ---- calibration -------------------------------------------------------------------------------------------------

def calibrate(history: Firms, table: np.ndarray) -> Spread:
    """The spread of the projection's log-error measured on a past year whose outcome is known: ``history.ytd`` a
    complete year, ``history.last_year`` the year before it, ``table`` the industry shapes of the year before.
    For every group, basis and month 2..11, every firm that could use that basis is projected and compared with its
    year: the mean error; the common sd from how far the divisions' mean errors spread (beyond what their own
    firms' spread explains) and from last year's drift; a firm's own sd from the spread within divisions. Cells
    with fewer than MIN_CALIBRATION errors keep the fallback."""
    spread = fallback_spread()
    mean, common, own, counted = spread.mean.copy(), spread.common.copy(), spread.own.copy(), spread.firms.copy()
    pulls = spread.pull.copy()
    shares, ok = _shares(history, table)
    full = history.ytd[:, 11]
    industry = np.clip(history.industry.astype(np.int64), 0, 99)
    for group in (0, 1):
        in_group = history.new_build == bool(group)
        for basis in (OWN, INDUSTRY, STRAIGHT):
            for month in range(FIRST_MONTH, 12):
                ytd, share = history.ytd[:, month - 1], shares[basis][:, month - 1]
                use = in_group & ok[basis] & (ytd > 0) & (share > 0) & (full > 0)
                if use.sum() < MIN_CALIBRATION:
                    continue
                log_projected = np.log(ytd[use] / share[use])
                err = np.log(full[use]) - log_projected
                if basis == OWN:
                    gap = _gap(history.last_year[use, 11], log_projected, np.ones(len(err), dtype=bool))
                    spread_gap = float((gap ** 2).mean())
                    pull = float(np.clip((err * gap).mean() / spread_gap, 0.0, 1.0)) if spread_gap > 0 else 0.0
                    err = err - pull * gap
                    pulls[group, basis, month] = pull
                m, c, o = _split(err, industry[use])
                mean[group, basis, month], common[group, basis, month], own[group, basis, month] = m, c, o
                counted[group, basis, month] = use.sum()
    # Last year's mean error of established firms is that year's drift, shared by every firm: it does not repeat,
    # so it is not carried over; it is one sample of how far a year drifts, so it joins the common part. The new
    # builds keep their mean error beyond that drift (the ramp-up after commissioning repeats every year).
    measured = counted[0] > 0
    drift = np.where(measured, mean[0], 0.0)
    common[0] = np.where(measured, np.sqrt(common[0] ** 2 + drift ** 2), common[0])
    mean[0] = 0.0
    new = counted[1] > 0
    mean[1] = np.where(new, mean[1] - drift, mean[1])
    common[1] = np.where(new, np.sqrt(common[1] ** 2 + drift ** 2), common[1])
    return Spread(mean, common, own, counted, pulls)


def _gap(last_full: np.ndarray, log_projected: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """log(last year's revenue) − log(projection), less its median over the masked firms (the year's growth so far
    is everyone's); 0 outside the mask."""
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(mask, np.log(np.where(mask, last_full, 1.0)) - log_projected, 0.0)
    if not mask.any():
        return raw
    return np.where(mask, raw - np.median(raw[mask]), 0.0)


def _split(err: np.ndarray, industry: np.ndarray) -> tuple[float, float, float]:
    """Mean, common sd and own sd of errors: within-division variance is a firm's own; the divisions' means spread
    around the overall mean by the common part plus their firms' own variance over their size."""
    mean = float(err.mean())
    counts = np.bincount(industry, minlength=100)
    sums = np.bincount(industry, weights=err, minlength=100)
    present = counts > 0
    group_mean = np.zeros(100)
    group_mean[present] = sums[present] / counts[present]
    within = float(((err - group_mean[industry]) ** 2).sum() / max(len(err) - present.sum(), 1))
    big = counts >= MIN_SHAPE_FIRMS
    if big.sum() >= 2:
        between = float((counts[big] * (group_mean[big] - mean) ** 2).sum() / counts[big].sum())
        common = max(0.0, between - within * float((1.0 / counts[big]).mean()))
    else:
        common = 0.0
    total = float(err.var())
    own = max(total - common, within, 0.0)
    return mean, float(np.sqrt(common)), float(np.sqrt(own))


# ---- counties ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Range:
    expected: float
    low: float
    high: float

    def scaled(self, by: float) -> Range:
        return Range(self.expected / by, self.low / by, self.high / by)

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class CountyOutlook:
    """One county's (or the city's) year end: entries so far and the expected further ones (new builds in the pool
    reaching the threshold), exits so far and expected (at-risk firms ending under it), hence 新增, 净增 and
    完成率 against the annex target; and next year's 小升规 pipeline (pool firms, not new builds, expected to reach
    the threshold this year) against next year's target."""

    county: str
    entries_so_far: int
    further: Range
    exits_so_far: int
    exits: Range  # the year's exits: so far plus expected
    added: Range  # 新增
    net: Range  # 净增
    target: int | None
    completion: Range | None  # 新增 / target
    pipeline: Range
    next_target: int | None
    coverage: Range | None  # pipeline / next year's target
    without_data: int  # pool and at-risk firms with no revenue this year: not forecast


def _chances(p: Projection, z: np.ndarray) -> np.ndarray:
    """(N, nodes): each firm's chance of ending at or over the threshold given the common part at each node."""
    own = p.sd_own[:, None]
    margin = p.log_center[:, None] + p.sd_common[:, None] * z[None, :] - np.log(THRESHOLD)
    with np.errstate(invalid="ignore", divide="ignore"):
        chance = np.where(own > 0, _phi(margin / np.where(own > 0, own, 1.0)), (margin >= 0).astype(float))
    chance = np.where(np.isfinite(p.log_center)[:, None], chance, 0.0)
    return np.where((p.ytd >= THRESHOLD)[:, None], 1.0, chance)


def _by_county(county: np.ndarray, values: np.ndarray, weight: np.ndarray, size: int) -> np.ndarray:
    """(counties, nodes) sums of values (N, nodes) × weight (N,)."""
    return np.stack([np.bincount(county, weights=values[:, k] * weight, minlength=size)
                     for k in range(values.shape[1])], axis=1)


def _quantiles(mean: np.ndarray, var: np.ndarray, weights: np.ndarray, q: float) -> np.ndarray:
    """Per row, the smallest integer x with P(count ≤ x) ≥ q for a count that is, at each node, about normal with
    that mean and variance (continuity-corrected), mixed by the nodes' weights."""
    sd = np.sqrt(np.maximum(var, 0.0))
    lo = np.floor((mean - 8 * sd).min(axis=1)) - 1
    hi = np.ceil((mean + 8 * sd).max(axis=1)) + 1
    while np.any(hi - lo > 1):
        mid = np.floor((lo + hi) / 2)
        x = mid[:, None] + 0.5 - mean
        with np.errstate(invalid="ignore", divide="ignore"):
            cdf = np.where(sd > 0, _phi(x / np.where(sd > 0, sd, 1.0)), (x >= 0).astype(float))
        below = (cdf * weights[None, :]).sum(axis=1) >= q
        hi = np.where(below, mid, hi)
        lo = np.where(below, lo, mid)
    return hi


def _ranges(mean: np.ndarray, var: np.ndarray, weights: np.ndarray, level: float) -> list[Range]:
    expected = np.round((mean * weights[None, :]).sum(axis=1), 9)  # the nodes' weights sum to 1 up to rounding
    low = np.minimum(_quantiles(mean, var, weights, (1 - level) / 2), np.floor(expected))
    high = np.maximum(_quantiles(mean, var, weights, (1 + level) / 2), np.ceil(expected))
    return [Range(float(e), float(lo), float(hi)) for e, lo, hi in zip(expected, low, high)]


def outlook(counties: Sequence[str], pool: Firms, pool_projection: Projection, at_risk: Firms,
            risk_projection: Projection, *, entries_so_far: Sequence[int], exits_so_far: Sequence[int],
            targets: Sequence[int | None], next_targets: Sequence[int | None], entered: np.ndarray | None = None,
            level: float = LEVEL, city: str = "全市") -> list[CountyOutlook]:
    """Every county's year end, then the city's (last row). ``entered``: pool firms already in the register this
    year (counted in ``entries_so_far``, not again); expected values add up over the counties exactly, ranges do
    not (the city's range is its own)."""
    size = len(counties)
    z, w = np.polynomial.hermite_e.hermegauss(_NODES)
    w = w / w.sum()
    entered = np.zeros(len(pool), dtype=bool) if entered is None else np.asarray(entered, dtype=bool)
    p_pool = _chances(pool_projection, z)
    p_risk = 1.0 - _chances(risk_projection, z)
    p_risk[~np.isfinite(risk_projection.log_center) & (risk_projection.ytd < THRESHOLD)] = 0.0
    p_risk[risk_projection.ytd >= THRESHOLD] = 0.0
    further = (pool.new_build & ~entered).astype(float)
    batch = (~pool.new_build & ~entered).astype(float)
    one = np.ones(len(at_risk))
    f_mean = _by_county(pool.county, p_pool, further, size)
    f_var = _by_county(pool.county, p_pool * (1 - p_pool), further, size)
    b_mean = _by_county(pool.county, p_pool, batch, size)
    b_var = _by_county(pool.county, p_pool * (1 - p_pool), batch, size)
    x_mean = _by_county(at_risk.county, p_risk, one, size)
    x_var = _by_county(at_risk.county, p_risk * (1 - p_risk), one, size)
    so_far = np.asarray(entries_so_far, dtype=float)
    gone = np.asarray(exits_so_far, dtype=float)
    rows = [f_mean, f_var, b_mean, b_var, x_mean, x_var]
    rows = [np.vstack([r, r.sum(axis=0, keepdims=True)]) for r in rows]  # the city: the counties' sums per node
    f_mean, f_var, b_mean, b_var, x_mean, x_var = rows
    so_far, gone = np.append(so_far, so_far.sum()), np.append(gone, gone.sum())
    missing = np.bincount(pool.county[pool_projection.basis == NO_DATA], minlength=size) + \
        np.bincount(at_risk.county[risk_projection.basis == NO_DATA], minlength=size)
    missing = np.append(missing, missing.sum())
    further_r = _ranges(f_mean, f_var, w, level)
    added_r = _ranges(f_mean + so_far[:, None], f_var, w, level)
    exits_r = _ranges(x_mean + gone[:, None], x_var, w, level)
    net_r = _ranges(f_mean + so_far[:, None] - x_mean - gone[:, None], f_var + x_var, w, level)
    pipe_r = _ranges(b_mean, b_var, w, level)
    known = [t for t in targets if t]
    next_known = [t for t in next_targets if t]
    all_targets = list(targets) + [sum(known) if len(known) == size else None]
    all_next = list(next_targets) + [sum(next_known) if len(next_known) == size else None]
    out = []
    for i, name in enumerate(list(counties) + [city]):
        target, next_target = all_targets[i], all_next[i]
        out.append(CountyOutlook(name, int(so_far[i]), further_r[i], int(gone[i]), exits_r[i], added_r[i], net_r[i],
                                 target, added_r[i].scaled(target) if target else None, pipe_r[i], next_target,
                                 pipe_r[i].scaled(next_target) if next_target else None, int(missing[i])))
    return out
