"""Figures against the targets annex (目标附件): per county year to date, and for the city.

Completion rate (目标完成率) = entries so far this year / annual target; time progress (时序进度)
comes from the policy's curve; the gap is in percentage points; the rank is by completion rate
(not by absolute numbers, which would favour the counties with large targets).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import StrEnum

from toolkit.domain import report_schema as S
from toolkit.domain.periods import Period
from toolkit.domain.policy import AssessmentRules, Policy
from toolkit.domain.register import Listing


class CountyStatus(StrEnum):
    """A county's report for the period, as the figures, the summary workbook and every document say it."""

    ACCEPTED = "已受理"
    REJECTED = "被退回"
    MISSING = "未报送"


ACCEPTED, REJECTED, MISSING = CountyStatus.ACCEPTED, CountyStatus.REJECTED, CountyStatus.MISSING


@dataclass(frozen=True)
class CountyFigures:
    county: str
    status: CountyStatus
    target: int | None  # 年度新增目标（目标附件）
    progress: float  # 时序进度
    new_by_kind: dict[str, int] = field(default_factory=dict)  # 新增 by 入规类型
    new: int | None = None  # 新增（计入的）
    exits: int | None = None  # 退库
    pending: int = 0  # 待认定，暂不计入
    net_target: int | None = None  # 自定净增目标
    errors: int = 0  # 错误 in the current submission (for a rejected county)
    file: str = ""
    rank: int | None = None  # by completion rate (or the weighted score), among counties with figures
    ranked: int = 0  # how many counties were ranked (the M of “第 N / M”)
    score: float | None = None  # 综合得分 (0-100) when the policy weighs new, net and completion

    @property
    def rank_text(self) -> str:
        """“第 2/8”: the rank among the counties ranked, never read as among all."""
        return "" if self.rank is None else f"第 {self.rank}/{self.ranked}"

    @property
    def has_figures(self) -> bool:
        return self.new is not None

    @property
    def net(self) -> int | None:  # 净增
        return None if self.new is None else self.new - (self.exits or 0)

    @property
    def completion(self) -> float | None:  # 目标完成率
        if self.new is None or not self.target:
            return None
        return self.new / self.target

    @property
    def gap_points(self) -> float | None:  # 完成率 − 时序进度, in percentage points
        return None if self.completion is None else (self.completion - self.progress) * 100

    @property
    def net_completion(self) -> float | None:  # 净增完成率 against the county's own net target
        if self.net is None or not self.net_target:
            return None
        return self.net / self.net_target


@dataclass(frozen=True)
class CityFigures:
    label: str  # 全市
    year: int
    target: int | None
    progress: float
    new: int
    exits: int
    pending: int  # distinct firms pending attribution (a firm claimed by two units counts once)
    new_by_kind: dict[str, int]
    reporting: int  # counties with accepted figures
    units: int
    avg_new_goal: int | None  # 年均新增不少于
    avg_net_goal: int | None
    register_goal: int | None  # 在库总数目标
    register_goal_year: int | None
    register_now: int | None  # 基期在库数 + 规划期累计净增 (None without a base)
    # the accepted counties' own targets, and the counties not accepted: the city's figures are the accepted
    # counties' sum, so a rate is only ever theirs against their targets, never against the whole city's
    reporting_target: int | None = None
    missing: tuple[str, ...] = ()

    @property
    def net(self) -> int:
        return self.new - self.exits

    @property
    def row_label(self) -> str:
        """The label of the totals row: “全市” only when it is the whole city."""
        return self.label if self.complete else f"已受理合计（{self.reporting}/{self.units}）"

    @property
    def whole_city_note(self) -> str:
        """What the totals leave out, in one sentence ('' when nothing)."""
        if self.complete:
            return ""
        return (f"合计只含报表已受理的 {self.reporting} 个单位，完成率按它们的目标合计 {self.reporting_target or '—'} 家计算；"
                f"{'、'.join(self.missing)} 未受理，未计入（{self.label}年度目标 {self.target or '—'} 家）。")

    @property
    def complete(self) -> bool:
        """Every county accepted: the figures are the whole city's."""
        return not self.missing

    @property
    def completion(self) -> float | None:
        """新增 ÷ the accepted counties' targets (the whole city's target when every county is accepted)."""
        return self.new / self.reporting_target if self.reporting_target else None

    @property
    def gap_points(self) -> float | None:
        return None if self.completion is None else (self.completion - self.progress) * 100


def count_by_kind(entries: list[Listing]) -> dict[str, int]:
    counts = {kind: 0 for kind in S.ENTRY_KINDS}
    for listing in entries:
        counts[listing.code] = counts.get(listing.code, 0) + 1
    return counts


def rank_by_completion(figures: list[CountyFigures]) -> list[CountyFigures]:
    """Competition ranking (1, 2, 2, 4) by completion rate; counties without a rate get no rank."""
    return _ranked(figures, {f.county: f.completion for f in figures if f.completion is not None})


def rank(figures: list[CountyFigures], rules: AssessmentRules) -> list[CountyFigures]:
    """The policy's ranking: by completion rate, or — when it weighs new and net entries too — by a score of
    0-100: each measure divided by the best accepted county's (a negative value counts as 0), weighted."""
    if not rules.weighted:
        return rank_by_completion(figures)
    scored = [f for f in figures if f.completion is not None]
    measures = ((rules.weight_completion, lambda f: f.completion), (rules.weight_new, lambda f: f.new),
                (rules.weight_net, lambda f: f.net))
    total = sum(w for w, _ in measures)
    best = [max((max(value(f) or 0, 0) for f in scored), default=0) for _, value in measures]
    scores = {f.county: round(100 * sum(w * (max(value(f) or 0, 0) / top if top else 0)
                                        for (w, value), top in zip(measures, best)) / total, 1) for f in scored}
    return [_replace(f, score=scores.get(f.county)) for f in _ranked(figures, scores)]


def _ranked(figures: list[CountyFigures], values: dict[str, float]) -> list[CountyFigures]:
    ordered = sorted(values.values())
    out = []
    for f in figures:  # rank = 1 + how many values are strictly higher
        value = values.get(f.county)
        place = None if value is None else 1 + len(ordered) - bisect.bisect_right(ordered, value + 1e-12)
        out.append(_replace(f, rank=place, ranked=len(ordered)))
    return out


def _replace(figures: CountyFigures, **changes) -> CountyFigures:
    return CountyFigures(**{**figures.__dict__, **changes})


def county_figures(policy: Policy, period: Period, county: str, status: CountyStatus, *,
                   entries: list[Listing] | None = None, exits: list[Listing] | None = None, pending: int = 0,
                   errors: int = 0, file: str = "") -> CountyFigures:
    """One county's figures; ``entries`` are the counted ones (pending attribution excluded)."""
    base = dict(county=county, status=status, target=policy.new_target(county, period.year),
                progress=policy.expected_progress(period.month), net_target=policy.net_target(county, period.year),
                errors=errors, file=file)
    if entries is None:
        return CountyFigures(**base)
    return CountyFigures(**base, new_by_kind=count_by_kind(entries), new=len(entries), exits=len(exits or []),
                         pending=pending)


def city_figures(policy: Policy, period: Period, counties: list[CountyFigures],
                 net_since_start: int | None, pending_firms: int = 0) -> CityFigures:
    """City totals = the sum of the counties with accepted figures, against the annex's total row."""
    with_figures = [c for c in counties if c.has_figures]
    by_kind = {kind: sum(c.new_by_kind.get(kind, 0) for c in with_figures) for kind in S.ENTRY_KINDS}
    goals = policy.goals
    base = policy.base_register_total
    return CityFigures(
        label=policy.total_label, year=period.year, target=policy.total_new_targets.get(period.year),
        progress=policy.expected_progress(period.month), new=sum(c.new for c in with_figures),
        exits=sum(c.exits or 0 for c in with_figures), pending=pending_firms,
        new_by_kind=by_kind, reporting=len(with_figures), units=len(counties),
        avg_new_goal=goals.avg_new_per_year if goals else None, avg_net_goal=goals.avg_net_per_year if goals else None,
        register_goal=goals.total_in_register if goals else None,
        register_goal_year=goals.total_in_register_year if goals else None,
        register_now=None if base is None or net_since_start is None else base + net_since_start,
        reporting_target=sum(c.target or 0 for c in with_figures) or None,
        missing=tuple(c.county for c in counties if not c.has_figures),
    )


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def points(value: float | None) -> str:
    return "—" if value is None else f"{abs(value):.1f} 个百分点"
