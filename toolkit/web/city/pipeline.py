"""培育: the cultivation pipeline of a period as the city follows it (issue #37) — the funnel per county (培育库企业 →
已达2000万元 → 已入库) with the pool's coverage of the target, a pool firm's year-to-date revenue month by month
against 2000 万元, and under them the pool (what needs action first), the at-risk firms without measures and the
overdue problems by 交办单位 — and the year's forecast (services.consolidation.outlook): each pool firm's year
with its range and basis on its line, and per county the expected 新增 with its range against the annex target.

Read only, computed from the store at each request like the other reading pages: the period's summary, and for the
firm lines and the funnel's 已入库 the summaries of the year's earlier periods (and last year's: a 小升规 enters
in the annual batch on last year's pool). The charts' data go to the page as JSON in data attributes (no inline
script: the Content-Security-Policy forbids it); the tables work without the script.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask import render_template, request

from toolkit.domain.figures import percent
from toolkit.domain.period_summary import COUNTED, PeriodSummary
from toolkit.domain.periods import Period
from toolkit.domain.pipeline import THRESHOLD, WITHOUT_MEASURES
from toolkit.domain.tracking import POOL_KIND, RISK_KIND, FirmOutlook, YearOutlook
from toolkit.services import board as boards
from toolkit.services.consolidation.outlook import outlook_of
from toolkit.services.consolidation.summary import status
from toolkit.web.city.common import asked_period, city, current_policy, current_workspace


@dataclass
class FirmLine:
    """A pool firm's year-to-date revenue by reported month of the year (万元)."""

    uscc: str
    name: str
    county: str
    points: dict[int, float] = field(default_factory=dict)
    flags: tuple[str, ...] = ()  # what needs action, as its latest return says
    forecast: FirmOutlook | None = None  # its year as the forecast sees it (a firm still in its county's pool)

    def as_json(self) -> dict:
        return {"uscc": self.uscc, "name": self.name, "county": self.county, "flags": list(self.flags),
                "points": [[m, self.points[m]] for m in sorted(self.points)], "forecast": _forecast(self.forecast)}


def _forecast(f: FirmOutlook | None) -> dict | None:
    """The December point and range with what the chart says under the firm's name."""
    if f is None or f.point is None:
        return None
    passes = f"预计 {f.pass_month} 累计达2000万元" if f.pass_month else "预计本年累计达不到2000万元"
    chance = "" if f.chance is None else f"，全年达2000万元的可能性约 {f.chance:.0%}"
    return {"point": f.point, "low": f.low, "high": f.high,
            "text": f"预计全年 {f.point:,.0f} 万元（约十次中八次在 {f.low:,.0f}–{f.high:,.0f} 之间，{f.basis}）；"
                    f"{passes}{chance}；{f.route}。"}


@dataclass
class History:
    """What the year's reported periods up to the one shown say about the pool: each pool firm's line, and who was
    in which county's pool (this year or last)."""

    lines: dict[str, FirmLine] = field(default_factory=dict)
    pooled: set[tuple[str, str]] = field(default_factory=set)  # (county, uscc)
    reported: set[str] = field(default_factory=set)  # the counties with an accepted report this year


def history(workspace, period: Period, summary: PeriodSummary) -> History:
    """The pools of every period of last year and of this year up to ``period`` (``summary`` is ``period``'s)."""
    known = boards.known_periods(workspace, current_policy())
    seen = History()
    for each in sorted(p for p in known if period.year - 1 <= p.year and p < period) + [period]:
        pipeline = (summary if each == period else status(workspace, each)).pipeline
        if pipeline is None:
            continue
        if each.year == period.year:
            seen.reported.update(c.county for c in pipeline.counties if c.size is not None)
        for row in pipeline.pool:
            seen.pooled.add((row.county, row.uscc))
            if each.year != period.year or row.revenue is None:
                continue
            line = seen.lines.setdefault(row.uscc, FirmLine(row.uscc, row.name, row.county))
            line.name, line.county, line.flags = row.name, row.county, row.flags  # as the latest report says
            line.points.setdefault(each.month, row.revenue)  # a firm in two pools: the first county's figure
    return seen


def entered_from_pool(summary: PeriodSummary, seen: History) -> dict[str, int]:
    """Per county: this year's entries counted for it that were in its pool (this year's or last year's)."""
    counts: dict[str, int] = {}
    for row in summary.entries:
        if row.counted == COUNTED and (row.listing.county, row.listing.uscc) in seen.pooled:
            counts[row.listing.county] = counts.get(row.listing.county, 0) + 1
    return counts


def chosen_firm(asked: str, lines: dict[str, FirmLine]) -> tuple[FirmLine | None, str]:
    """The firm the search box asks for: its code, its name (or part of it), or the list's "名称（代码）"; with a
    sentence when nothing or more than one firm matches."""
    asked = asked.strip()
    if not asked:
        return None, ""
    if asked.endswith("）") and "（" in asked:
        code = asked[asked.rindex("（") + 1:-1]
        if code in lines:
            return lines[code], ""
    if asked.upper() in lines:
        return lines[asked.upper()], ""
    found = [line for line in lines.values() if asked in line.name or asked.upper() in line.uscc]
    if not found:
        return None, f"本年培育库中没有名称或代码含“{asked[:30]}”的企业。"
    if len(found) > 1:
        return found[0], f"名称或代码含“{asked[:30]}”的企业有 {len(found)} 家，显示第一家：{found[0].name}。可输入完整名称或代码。"
    return found[0], ""


def _funnel(summary: PeriodSummary, entered: dict[str, int]) -> dict:
    counties = [c for c in summary.pipeline.counties if c.size is not None]
    return {"counties": [c.county for c in counties], "pool": [c.size for c in counties],
            "at_threshold": [c.at_threshold for c in counties], "entered": [entered.get(c.county, 0) for c in counties],
            "target": [c.target for c in counties],
            "coverage": [None if c.coverage is None else round(c.coverage * 100, 1) for c in counties]}


def ranged(r, rate: bool = False) -> str:
    """A forecast figure with its range as the page prints it: '13.2（10–15）', '85.4%（80%–90%）'; '—' without."""
    if r is None:
        return "—"
    if rate:
        point, low, high = f"{r.expected:.1%}", f"{r.low:.0%}", f"{r.high:.0%}"
    else:
        point, low, high = f"{r.expected:.1f}".removesuffix(".0"), f"{r.low:g}", f"{r.high:g}"
    return point if low == high else f"{point}（{low}–{high}）"


def _band(outlook: YearOutlook, reported: set[str]) -> tuple[list, object, dict]:
    """Per county (the city's row last) the expected 新增 at year end with its range against the target; a county
    without any accepted report this year has no forecast (its figures are not zeros: they are unknown)."""
    if not outlook.counties:
        return [], None, {}
    counties, whole = outlook.counties[:-1], outlook.counties[-1]

    def known(values):
        return [v if c.county in reported else None for c, v in zip(counties, values)]

    return counties, whole, {"counties": [c.county for c in counties],
                             "so_far": known(c.entries_so_far for c in counties),
                             "point": known(round(c.added.expected, 1) for c in counties),
                             "low": known(c.added.low for c in counties),
                             "high": known(c.added.high for c in counties),
                             "target": [c.target for c in counties]}


def _by_unit(p) -> list:
    """The overdue problems grouped by 交办单位 (the unit with most overdue first), the longest overdue first."""
    rank = {(u.county, u.unit): i for i, u in enumerate(p.units)}
    overdue = [i for i in p.ledger if i.overdue_days is not None]
    return sorted(overdue, key=lambda i: (rank.get((i.county, i.assigned_to), len(rank)), -i.overdue_days))


@city.route("/pipeline")
def pipeline_page():
    period = asked_period()
    if period is None:
        return render_template("pipeline.html", period=None)
    workspace = current_workspace()
    summary = status(workspace, period)
    p = summary.pipeline
    accepted = [c for c in p.counties if c.size is not None]
    if not accepted:
        return render_template("pipeline.html", period=period, summary=summary, p=p, accepted=[])
    seen = history(workspace, period, summary)
    outlook = outlook_of(workspace, period)
    for f in outlook.firms:
        line = seen.lines.get(f.uscc)
        if f.kind == POOL_KIND and line is not None and (line.forecast is None or f.county == line.county):
            line.forecast = f
    at_risk = {(f.county, f.uscc): f.chance for f in outlook.firms if f.kind == RISK_KIND}
    band, whole, band_chart = _band(outlook, seen.reported)
    entered = entered_from_pool(summary, seen)
    firm, said = chosen_firm(request.args.get("firm", ""), seen.lines)
    pool = sorted(p.pool, key=lambda r: (not r.flags, -(r.revenue or 0)))  # what needs action first, then the nearest
    order = {c.county: i for i, c in enumerate(p.counties)}  # the policy's order of the counties
    chart = {"threshold": THRESHOLD, "year": period.year, "month": period.month, "unit": summary.unit_label,
             "firms": {u: line.as_json() for u, line in seen.lines.items()}, "chosen": firm.uscc if firm else ""}
    if not firm and pool:  # without a choice the page shows the first firm of the pool table
        chart["chosen"] = pool[0].uscc if pool[0].uscc in seen.lines else ""
    return render_template(
        "pipeline.html", period=period, summary=summary, p=p, accepted=accepted, pool=pool, entered=entered,
        total=p.pool_total(summary.city.row_label), entered_total=sum(entered.values()),
        without_measures=[r for r in p.at_risk if WITHOUT_MEASURES in r.flags],
        overdue=_by_unit(p), overdue_units=[u for u in p.units if u.overdue],
        firms=sorted(seen.lines.values(), key=lambda line: (order.get(line.county, len(order)), line.name)),
        asked=request.args.get("firm", ""), said=said, funnel=json.dumps(_funnel(summary, entered), ensure_ascii=False),
        lines=json.dumps(chart, ensure_ascii=False), percent=percent, threshold=THRESHOLD, outlook=outlook,
        band=band, whole=whole, band_chart=json.dumps(band_chart, ensure_ascii=False), at_risk=at_risk,
        ranged=ranged, reported=seen.reported)
