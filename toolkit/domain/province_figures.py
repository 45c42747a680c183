"""The province's own figures (#39), beyond the per-市州 ones a city's consolidation already gives per county.

- **县市区 one level down** (``sub_unit_figures``): each accepted 市州's 县市区, its 新增 and 退库 counted from the firms
  the province counted (a firm the province holds as 待认定 counts for no one), its targets the 市州's own (from the
  市州's summary), ranked across the province by the same rule as the 市州 and within its 市州.
- **梯队** (``tiers``): the ranked 市州 in three tiers by rank — the first third, the second, the rest — as provincial
  bulletins group them; a 市州 without figures has no tier.
- **入规质量** (``entry_quality``): of the counted new entrants, how big (主营业务收入 bands), how they came in (新建投产,
  小升规, other), in which GB/T 4754 divisions, how many paid tax; and how many of last year's entrants are still in
  the register (survival), when last year's lists are known.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

from toolkit.domain.figures import ACCEPTED, CountyFigures, count_by_kind, rank
from toolkit.domain.industries import Classification
from toolkit.domain.policy import AssessmentRules
from toolkit.domain.register import Listing

SUB_UNIT = "sub_unit"  # a province listing's 县市区 (its unit is the 市州)
USCC_COLUMN = "uscc_col"  # a province listing's 0-based column of its credit code in the 市州's sheet
TIER_NAMES = ("第一梯队", "第二梯队", "第三梯队")
TIER_SHARES = (1 / 3, 2 / 3)  # the first third of the ranked, then the second
# 主营业务收入 of a new entrant, 万元, in bands as provincial statistics present them: each band up to (not including)
# its upper bound, from the threshold up
LOWEST_BAND = (2000, "2000万元以下")
REVENUE_BANDS = ((3000, "2000万—3000万元"), (5000, "3000万—5000万元"), (10000, "5000万—1亿元"), (None, "1亿元及以上"))
NO_REVENUE = "未填营收"


@dataclass(frozen=True)
class UnitLine:
    """A 县市区 as its 市州's summary gives it (概览): status and the 市州's targets for it."""

    name: str
    status: str
    target: int | None
    net_target: int | None


@dataclass(frozen=True)
class SubUnitFigures:
    """One 县市区 at province level: its 市州, its figures, its rank within the 市州 (of those ranked)."""

    unit: str
    figures: CountyFigures
    within: int | None
    within_of: int  # how many of its 市州's 县市区 were ranked


def sub_unit_figures(units: Mapping[str, Sequence[UnitLine]], entries: Sequence[Listing], exits: Sequence[Listing],
                     pending: Mapping[str, int], progress: float, rules: AssessmentRules) -> list[SubUnitFigures]:
    """The 县市区 of each accepted 市州 (``units``: 市州 → its summary's lines, in order), counted from the province's
    counted ``entries`` and ``exits`` (listings whose values name their 县市区); ``pending``: 县市区 → firms the
    province holds as 待认定; ``progress``: 时序进度. Ranked across the province, then within each 市州."""
    new = {}
    for listing in entries:
        new.setdefault((listing.county, listing.values.get(SUB_UNIT, "")), []).append(listing)
    gone = Counter((listing.county, listing.values.get(SUB_UNIT, "")) for listing in exits)
    lines = []
    for unit, members in units.items():
        for line in members:
            key = (unit, line.name)
            counted = new.get(key, [])
            figures = CountyFigures(f"{unit}{line.name}", line.status, line.target, progress,
                                    net_target=line.net_target)
            if line.status == ACCEPTED:
                figures = replace(figures, new_by_kind=count_by_kind(counted), new=len(counted), exits=gone[key],
                                  pending=pending.get(line.name, 0))
            lines.append((unit, line.name, figures))
    ranked = rank([f for _, _, f in lines], rules)
    out = []
    for unit in units:
        mine = [(name, f) for (u, name, _), f in zip(lines, ranked) if u == unit]
        within = {f.county: f.rank for f in rank([f for _, f in mine], rules)}
        count = sum(v is not None for v in within.values())
        out += [SubUnitFigures(unit, replace(f, county=name), within[f.county], count) for name, f in mine]
    return out


def tiers(figures: Sequence[CountyFigures], shares: tuple[float, float] | None = None) -> dict[str, str]:
    """Each ranked unit's tier by its rank r of M ranked: r ≤ ⌈M × shares[0]⌉ the first, r ≤ ⌈M × shares[1]⌉ the
    second, else the third (ties share a rank, so they share a tier); ``shares``: TIER_SHARES unless given."""
    ranked = [f for f in figures if f.rank is not None]
    if not ranked:
        return {}
    cuts = [math.ceil(len(ranked) * share - 1e-9) for share in (shares or TIER_SHARES)]
    out = {}
    for f in ranked:
        out[f.county] = TIER_NAMES[0] if f.rank <= cuts[0] else TIER_NAMES[1] if f.rank <= cuts[1] else TIER_NAMES[2]
    return out


@dataclass(frozen=True)
class EntryQuality:
    """入规质量 of one period's counted new entrants (counts of firms)."""

    entrants: int
    by_band: dict[str, int]
    by_kind: dict[str, int]
    by_division: list[tuple[str, str, int]]  # (division code, its name, firms), most first
    paid_tax: int  # 当年税收 > 0
    last_year_entrants: int | None = None  # None: last year's lists are not known here
    still_in: int | None = None  # of them, not exited by the period
    not_industry: list[str] = field(default_factory=list)  # codes of entrants whose division is not B, C or D

    @property
    def survival(self) -> float | None:
        return None if not self.last_year_entrants else self.still_in / self.last_year_entrants


def _band(revenue) -> str:
    try:
        value = float(revenue)
    except (TypeError, ValueError):
        return NO_REVENUE
    if value < LOWEST_BAND[0]:
        return LOWEST_BAND[1]
    return next(label for high, label in REVENUE_BANDS if high is None or value < high)


def entry_quality(entries: Sequence[Listing], classes: Classification, *, last_year: Sequence[Listing] | None = None,
                  exited: set[str] | None = None) -> EntryQuality:
    """The quality of the counted ``entries``; with ``last_year`` (last year's counted entries) and ``exited`` (codes
    that left the register since), how many of last year's entrants are still in."""
    bands = Counter(_band(x.values.get("revenue")) for x in entries)
    by_band = {label: bands.get(label, 0) for _, label in REVENUE_BANDS}
    by_band.update({label: n for label, n in bands.items() if label not in by_band})
    kinds = Counter(x.code for x in entries)
    divisions = Counter(str(x.values.get("industry") or "").strip()[:2] for x in entries)
    by_division = sorted(((code, classes.divisions.get(code, "未填或无法识别"), n) for code, n in divisions.items()),
                         key=lambda d: (-d[2], d[0]))
    paid = 0
    for x in entries:
        try:
            paid += float(x.values.get("tax") or 0) > 0
        except (TypeError, ValueError):
            continue
    odd = sorted(x.uscc for x in entries if str(x.values.get("industry") or "").strip()[:2] in classes.divisions
                 and not classes.industrial(str(x.values.get("industry"))))
    quality = EntryQuality(len(entries), by_band, dict(kinds), by_division, paid, not_industry=odd)
    if last_year is None:
        return quality
    codes = {x.uscc for x in last_year}
    return replace(quality, last_year_entrants=len(codes), still_in=len(codes - (exited or set())))
