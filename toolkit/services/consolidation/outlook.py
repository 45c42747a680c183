"""The year's forecast wired to the workspace (issue #37): the pool and at-risk firms followed through the year's
accepted returns (domain.tracking) become ``forecast.Firms``, are projected to the year's end and summed per county
and for the city against the annex's targets (domain.forecast). Read only: nothing is written to the store.

- 培育库: each firm still in its county's latest return; its 本年累计营业收入 at the month of each period reported
  (quarter ends today, every month once monthly returns come: the arrays take whatever months there are). Last
  year's shape: the firm's own series in last year's accepted returns, when it has every month 1–2月..12月
  (quarterly returns never do, so today the basis is the industry's or straight-line). Industry: the first two
  digits of the 行业代码.
- 风险库: the list reports a firm's 年主营业务收入 (last year's or the last twelve months'), not a year-to-date
  figure: it is read as the year's level (month m holds value × m/12, projected straight-line, so the point is
  the value), with the straight-line error of month m around it — and with nothing counted as booked already.
- New builds (新建投产, entering month by month): the 重点项目 list (template 2022.2 on). A project still on its
  county's latest return, not yet in the register, with an actual (else planned) 投产 month is forecast from its
  本年累计营业收入, counted from that month, as a new build when that month is on or after 1 October of last year
  (forecast.new_builds); a project whose firm is in the same county's pool is that pool firm, commissioned then. A
  project not yet producing has no revenue: not forecast, counted apart. ``commissioned`` (credit code -> the day
  it began producing) says the same for pool firms from elsewhere.
- Calibration: on last year's accepted returns when at least ``forecast.MIN_CALIBRATION`` pool firms of them have a
  December figure (their year); else ``forecast.fallback_spread()``, and the outlook says so.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from statistics import NormalDist
from typing import Mapping

import numpy as np

from toolkit.domain import forecast as F
from toolkit.domain.calendar import entry_for
from toolkit.domain.forecast import CountyOutlook
from toolkit.domain.periods import Period
from toolkit.domain.pipeline import CountyLists, as_of_date
from toolkit.domain.policy import Policy
from toolkit.domain.register import Submitted, contested, counted_entries, effective
from toolkit.domain.tracking import (POOL_KIND, PROJECT_KIND, RISK_KIND, FirmOutlook, FirmTrack, Tracking, YearOutlook,
                                     period_values, series, track)
from toolkit.ports.store import Store
from toolkit.services.closing import policy_for
from toolkit.services.consolidation.judging import bulk_work, confirmed_changes
from toolkit.services.workspace import Workspace

LIST_KEYS = ("pool", "at_risk", "ledger", "projects")
CONFIRMED = "统计部门确认名单"
RISK_BASIS = "风险库所报年营业收入（上年或近12个月），按全年水平推算"
_NORMAL = NormalDist()
IN_REGISTER = "已在规上名录（本年已入库）"


def year_returns(store: Store, upto: list[Submitted], period: Period,
                 known: Mapping[int, CountyLists] | None = None) -> list[tuple[Period, CountyLists]]:
    """Every accepted return of ``period``'s year up to it, as (period, the county's pool/at-risk/ledger rows);
    ``known``: rows already read, by submission id."""
    known = known or {}
    year = [s for s in upto if s.period.year == period.year and s.period <= period]
    read = store.submissions.sourced_lists([s.submission_id for s in year if s.submission_id not in known], LIST_KEYS)
    return [(s.period, known.get(s.submission_id) or CountyLists(
        s.county, s.file, *(tuple(read[s.submission_id][key]) for key in LIST_KEYS))) for s in year]


def register_changes(store: Store, upto: list[Submitted], period: Period) -> tuple[dict[str, str], dict[str, str]]:
    """Who entered and who left the register this year, with when: the latest accepted 新增 and 退库 lists of each
    county for the year up to ``period``, then the statistics office's confirmed list of the period if imported."""
    entered: dict[str, str] = {}
    exited: dict[str, str] = {}
    for sub in effective(s for s in upto if s.period.year == period.year and s.period <= period).values():
        for x in sub.entries:
            entered.setdefault(x.uscc, str(x.month or x.period))
        for x in sub.exits:
            exited.setdefault(x.uscc, str(x.month or x.period))
    confirmed = confirmed_changes(store, period)
    if confirmed is not None:
        for uscc in confirmed["entry"]:
            entered.setdefault(uscc, CONFIRMED)
        for uscc in confirmed["exit"]:
            exited.setdefault(uscc, CONFIRMED)
    return entered, exited


def year_tracking(store: Store, policy: Policy, period: Period, upto: list[Submitted],
                  known: Mapping[int, CountyLists] | None = None) -> Tracking:
    """The year's tracks up to ``period`` (as of the period's due date, else its month end)."""
    entry = entry_for(policy.calendar, period)
    as_of, _ = as_of_date(period, entry.due if entry else None)
    entered, exited = register_changes(store, upto, period)
    return track(period, year_returns(store, upto, period, known), entered=entered, exited=exited, as_of=as_of)


def _so_far(upto: list[Submitted], period: Period, attributions, counties: list[str]) -> tuple[list[int], list[int]]:
    """Per county: the year's counted entries and its exits so far (the latest accepted lists)."""
    subs = list(effective(s for s in upto if s.period.year == period.year and s.period <= period).values())
    disputed = contested(subs)
    entries: dict[str, int] = defaultdict(int)
    exits: dict[str, int] = defaultdict(int)
    for sub in subs:
        counted, _, _ = counted_entries(sub, disputed, attributions)
        entries[sub.county] += len(counted)
        exits[sub.county] += len(sub.exits)
    return [entries[c] for c in counties], [exits[c] for c in counties]


def _series(tracks: list[FirmTrack], scale_annual: bool) -> np.ndarray:
    """The tracks' values by month (n, 12): read column-wise from the year's rows (``tracking.series``)."""
    return series(tracks, scale_annual)


def _last_year(store: Store, upto: list[Submitted], policy: Policy, year: int) -> Tracking | None:
    previous = [s for s in upto if s.period.year == year - 1]
    if not previous:
        return None
    return year_tracking(store, policy, max(s.period for s in previous), previous)


def _calibration(last: Tracking | None, year: int) -> tuple[np.ndarray, F.Spread, bool, str, dict[str, np.ndarray]]:
    """The industry shapes, the spread, whether it was measured and how to say it, and last year's series by
    credit code."""
    if last is None:
        return (F.shape_table({}), F.fallback_spread(), False,
                f"存储中没有{year - 1}年的已受理报表，无法校准：区间为未经校准的保守估计（偏宽）。", {})
    tracks = last.pool
    ytd = _series(tracks, False)
    by_code = {}
    for t, row in zip(tracks, ytd):
        by_code.setdefault(t.uscc, row)
    full = np.isfinite(ytd[:, 11]) & (np.nan_to_num(ytd[:, 11]) > 0)
    industry = F.divisions([t.industry for t in tracks])
    table = F.industry_shapes(ytd, industry) if len(tracks) else F.shape_table({})
    if full.sum() < F.MIN_CALIBRATION:
        return (table, F.fallback_spread(), False,
                f"{year - 1}年已受理报表中有12月营业收入的培育库企业只有 {int(full.sum())} 家（少于 {F.MIN_CALIBRATION} 家），"
                "无法校准：区间为未经校准的保守估计（偏宽）。", by_code)
    history = F.Firms(np.zeros(int(full.sum()), dtype=np.int64), industry[full], ytd[full],
                      np.full((int(full.sum()), 12), np.nan))
    spread = F.calibrate(history, F.shape_table({}))
    return (table, spread, True,
            f"用{year - 1}年已受理报表中 {int(full.sum())} 家培育库企业的全年结果校准（推算与实际全年之差的分布）。", by_code)


def year_outlook(store: Store, policy: Policy, period: Period, tracking: Tracking, upto: list[Submitted],
                 attributions, commissioned: Mapping[str, dt.date] | None = None) -> YearOutlook:
    """The year's forecast at ``period`` from its tracks; ``commissioned``: the seam for the 重点项目 list (see the
    module's docstring)."""
    month = period.month
    if month < F.FIRST_MONTH:
        return YearOutlook(period, month, False, "1月不是统计月份（1–2月为第一个累计月份），本期不作预测。",
                           periods=list(tracking.periods))
    counties = policy.county_names
    index = {c: i for i, c in enumerate(counties)}
    last = _last_year(store, upto, policy, period.year)
    table, spread, calibrated, note, last_series = _calibration(last, period.year)
    entries, exits = _so_far(upto, period, attributions, counties)
    entered, exited = register_changes(store, upto, period)
    pool = [t for t in tracking.pool if t.current and t.county in index]
    risk = [t for t in tracking.at_risk if t.current and t.county in index and t.uscc not in exited]
    commissioned = dict(commissioned or {})
    in_pool = {(t.county, t.uscc) for t in pool}
    projects = []
    for t in tracking.projects:  # a project's firm in the pool is that pool firm, commissioned when the list says
        if not t.current or t.county not in index or t.commissioned is None or t.uscc in entered:
            continue
        if t.uscc and (t.county, t.uscc) in in_pool:
            commissioned.setdefault(t.uscc, dt.date(t.commissioned.year, t.commissioned.month, 1))
        else:
            projects.append(t)
    candidates = [*pool, *projects]
    when = [commissioned.get(t.uscc) for t in pool] + \
        [dt.date(t.commissioned.year, t.commissioned.month, 1) for t in projects]
    known = [i for i, d in enumerate(when) if d]  # most firms have no commissioning date: filled where known
    dates = np.full(len(when), np.datetime64("NaT"), dtype="datetime64[D]")
    dates[known] = [np.datetime64(when[i], "D") for i in known]
    new_build = F.new_builds(dates, period.year) if candidates else np.zeros(0, dtype=bool)
    start = np.ones(len(when), dtype=np.int64)
    start[known] = [when[i].month if when[i].year == period.year else 1 for i in known]
    last_year = np.full((len(candidates), 12), np.nan)
    had = [(i, last_series[t.uscc]) for i, t in enumerate(candidates) if t.uscc and t.uscc in last_series]
    if had:
        last_year[[i for i, _ in had]] = [row for _, row in had]
    pool_firms = F.Firms(np.array([index[t.county] for t in candidates], dtype=np.int64),
                         F.divisions([t.industry for t in candidates]) if candidates else np.zeros(0, dtype=np.int64),
                         _series(candidates, False), last_year, start, new_build)
    risk_firms = F.Firms(np.array([index[t.county] for t in risk], dtype=np.int64), np.zeros(len(risk), dtype=np.int64),
                         _series(risk, True), np.full((len(risk), 12), np.nan))
    pool_p = F.project(pool_firms, month, table, spread)
    risk_p = _as_level(F.project(risk_firms, month, table, spread))
    in_register = np.array([bool(t.uscc) and t.uscc in entered for t in candidates], dtype=bool)
    year = period.year
    rows = F.outlook(counties, pool_firms, pool_p, risk_firms, risk_p, entries_so_far=entries, exits_so_far=exits,
                     targets=[policy.new_targets.get(c, {}).get(year) for c in counties],
                     next_targets=[policy.new_targets.get(c, {}).get(year + 1) for c in counties],
                     entered=in_register, city="全市")
    route = F.routes(pool_p, pool_firms.new_build)
    months = [None] + [Period(year, m) for m in range(1, 13)]
    passes = [months[m] for m in pool_p.pass_month.tolist()]
    routes = [IN_REGISTER if entered_ else F.ROUTE_LABELS[r]
              for entered_, r in zip(in_register.tolist(), route.tolist())]
    pool_basis = [F.BASIS_LABELS[b] for b in pool_p.basis.tolist()]
    risk_basis = [RISK_BASIS if b != F.NO_DATA else F.BASIS_LABELS[b] for b in risk_p.basis.tolist()]
    kinds = [POOL_KIND] * len(pool) + [PROJECT_KIND] * len(projects)
    firms = [FirmOutlook(t.county, t.uscc, t.name, period_values(t.seen), point, low, high,
                         basis, passes_, route_, kind, chance, t.origin)
             for t, point, low, high, basis, passes_, route_, chance, kind in zip(
                 candidates, *_values(pool_p), pool_basis, passes, routes, _plain(pool_p.p_over), kinds)]
    firms += [FirmOutlook(t.county, t.uscc, t.name, period_values(t.seen), point, low, high,
                          basis, None, "", RISK_KIND, chance, t.origin)
              for t, point, low, high, basis, chance in zip(risk, *_values(risk_p), risk_basis, _plain(risk_p.p_below))]
    return YearOutlook(period, month, calibrated, note, rows, firms, list(tracking.periods))


def _as_level(p: F.Projection) -> F.Projection:
    """An at-risk projection read as a level: the list's figure is not revenue booked this year, so none of it
    counts as "already booked" (no floor under the range, no certainty once value × m/12 reaches 2000 万元)."""
    sd = np.sqrt(p.sd_common ** 2 + p.sd_own ** 2)
    known = np.isfinite(p.log_center)
    center = np.where(known, p.log_center, 0.0)
    z = _NORMAL.inv_cdf((1 + F.LEVEL) / 2)
    margin = (center - np.log(F.THRESHOLD)) / np.where(sd > 0, sd, 1.0)
    over = np.where(sd > 0, [_NORMAL.cdf(x) for x in margin], (center >= np.log(F.THRESHOLD)).astype(float))
    nan = np.full(len(center), np.nan)
    return replace(p, ytd=np.zeros(len(center)), point=np.where(known, np.exp(center), nan),
                   low=np.where(known, np.exp(center - z * sd), nan),
                   high=np.where(known, np.exp(center + z * sd), nan), p_over=np.where(known, over, nan))


def _plain(values: np.ndarray, digits: int | None = None) -> list[float | None]:
    """An array as Python numbers, NaN as None (rounded to ``digits`` when given)."""
    values = np.round(values, digits) if digits is not None else values
    return [None if v != v else v for v in values.tolist()]


def _values(p: F.Projection) -> tuple[list, list, list]:
    return _plain(p.point, 2), _plain(p.low, 2), _plain(p.high, 2)


def city_sentence(outlook: YearOutlook) -> str:
    """The city's year end in one sentence (the control workbook's result line and message box)."""
    if not outlook.periods:
        return f"{outlook.period.year}年截至{outlook.period}还没有已受理的报表，无法预测"
    if not outlook.counties:
        return outlook.calibration.rstrip("。")
    c, year = outlook.counties[-1], outlook.period.year

    def count(r) -> str:
        return f"{r.expected:.1f} 家（{r.low:g}–{r.high:g}）"

    def rate(r) -> str:
        return f"，完成率 {r.expected:.0%}（{r.low:.0%}–{r.high:.0%}）" if r else ""
    return (f"{year}年全年预测（不是计划数字）：{c.county}已入库 {c.entries_so_far} 家，预计全年新增 {count(c.added)}"
            f"{rate(c.completion)}，预计全年退库 {count(c.exits)}；{year + 1}年小升规后备 {count(c.pipeline)}"
            f"{rate(c.coverage).replace('完成率', '覆盖率')}。{'' if outlook.calibrated else '区间未经校准。'}"
            "各县市区见汇总表“预测”表")


def outlook_of(workspace: Workspace, period: Period) -> YearOutlook:
    """The year's forecast at ``period`` from the workspace's store (read only), with its calibration note; the
    cycle collector paused while the year's rows are read and followed, as in a consolidation run."""
    store = workspace.open_store()
    try:
        with bulk_work():
            policy = policy_for(workspace, store, period)
            upto = [s for s in store.submissions.accepted() if s.period <= period]
            closed = store.decisions.closures().get(period)
            attributions = closed.attributions if closed else store.decisions.attributions()
            tracking = year_tracking(store, policy, period, upto)
            return year_outlook(store, policy, period, tracking, upto, attributions)
    finally:
        store.close()


def outlook_for(workspace: Workspace, period: Period) -> tuple[list[CountyOutlook], list[FirmOutlook]]:
    """What the workbench shows: each county's year end and the city's (last), and every pool and at-risk firm."""
    result = outlook_of(workspace, period)
    return result.counties, result.firms
