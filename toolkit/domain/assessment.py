"""Praise and criticism (表扬 / 通报批评), decided by the policy workbook's rules, with reasons in words.

Every decision carries its reason in words and numbers, e.g.
"天元区 完成率 62.0%，超时序进度 12.0 个百分点，净增 28 家，居全市第 1".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from toolkit.domain.calendar import assessed, open_until
from toolkit.domain.figures import ACCEPTED, MISSING, REJECTED, CountyFigures, percent, points
from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy

class Verdict(StrEnum):
    """What the rules decide for a county in a period, in the words the summary and the documents show."""

    PRAISE = "表扬"
    CRITICISE = "批评"
    NEITHER = ""  # neither (or not yet: criticism for reporting waits for the resubmission deadline)


PRAISE, CRITICISE, NEITHER = Verdict.PRAISE, Verdict.CRITICISE, Verdict.NEITHER


@dataclass(frozen=True)
class Decision:
    county: str
    outcome: Verdict
    reason: str
    grounds: tuple[str, ...] = ()  # the criticism rules the county's figures met (落后时序进度…, 净增为负…)

    @property
    def label(self) -> str:
        return self.outcome or "—"


def describe(figures: CountyFigures, total_label: str, weights: str = "") -> str:
    """The county's standing in one sentence of numbers; ``weights``: how a weighted score was made."""
    parts = [f"{figures.county} 完成率 {percent(figures.completion)}"]
    gap = figures.gap_points
    if gap is not None:
        if abs(gap) < 0.05:
            parts[0] += "，与时序进度持平"
        else:
            parts[0] += f"，{'超' if gap > 0 else '落后'}时序进度 {points(gap)}"
    if figures.completion is None and figures.has_figures:
        parts[0] = f"{figures.county} 无年度新增目标，新增 {figures.new} 家"
    parts.append(f"新增 {figures.new} 家，净增 {figures.net} 家")
    if figures.rank is not None and figures.score is not None:
        parts.append(f"综合得分 {figures.score:.1f}（{weights}），居已受理单位{figures.rank_text}")
    elif figures.rank is not None:
        parts.append(f"完成率居已受理单位{figures.rank_text}")
    return "，".join(parts)


MONTHLY_NOTE = "月度调度不作表扬和通报批评"


def _status(f: CountyFigures, period: Period) -> str:
    """Why a county without an accepted report has no figures."""
    return (f"未报送{period.label}报表" if f.status == MISSING
            else f"{period.label}报表未通过校验被退回（错误 {f.errors} 条）")


def _standing_or_status(f: CountyFigures, period: Period, policy: Policy) -> str:
    if f.status != ACCEPTED:
        return f"{f.county} {_status(f, period)}"
    return describe(f, policy.total_label, policy.assessment.weights_text)


def assess(policy: Policy, period: Period, counties: list[CountyFigures], day: dt.date | None = None) -> list[Decision]:
    """One decision per county, in the order given (figures must already be ranked). ``day``: the date the
    decision is made; a county without an accepted report is criticised only once the calendar's
    resubmission deadline has passed by then (without a calendar entry for the period, or a day, at once). On a
    月度调度 period of the calendar nobody is praised or criticised."""
    rules = policy.assessment
    if not assessed(policy.calendar, period):  # a 月度调度 return: no praise or criticism is decided on it
        return [Decision(f.county, NEITHER, f"{_standing_or_status(f, period, policy)}（{MONTHLY_NOTE}）")
                for f in counties]
    places = rules.praise_places(len(counties))
    criticise_now = period.month in rules.criticise_months
    deadline = open_until(policy.calendar, period, day) if day is not None else None
    decisions = []
    for f in counties:
        if f.status != ACCEPTED:
            why = _status(f, period)
            if deadline is not None:
                decisions.append(Decision(f.county, NEITHER, f"{f.county} {why}，补报期限至 {deadline}，期满前不批评"))
            elif criticise_now and rules.criticise_not_submitted:
                decisions.append(Decision(f.county, CRITICISE, f"{f.county} {why}"))
            else:
                decisions.append(Decision(f.county, NEITHER, f"{f.county} {why}"))
            continue
        standing = describe(f, policy.total_label, rules.weights_text)
        gap = f.gap_points
        if (gap is not None and gap >= rules.praise_min_lead_points - 1e-9 and f.rank is not None
                and f.rank <= places and (f.net or 0) >= rules.praise_min_net):
            decisions.append(Decision(f.county, PRAISE, standing))
            continue
        grounds = []
        if gap is not None and -gap > rules.criticise_behind_points + 1e-9:
            grounds.append(f"落后时序进度超过 {rules.criticise_behind_points:g} 个百分点")
        if rules.criticise_negative_net and (f.net or 0) < 0:
            grounds.append("净增为负（退库多于新增）")
        if grounds and criticise_now:
            decisions.append(Decision(f.county, CRITICISE, f"{standing}（{'；'.join(grounds)}）", tuple(grounds)))
        elif grounds:
            months = "、".join(str(m) for m in rules.criticise_months)
            decisions.append(Decision(f.county, NEITHER,
                                      f"{standing}（{'；'.join(grounds)}，批评只在 {months} 月作出）", tuple(grounds)))
        else:
            decisions.append(Decision(f.county, NEITHER, standing))
    return decisions


__all__ = ["PRAISE", "CRITICISE", "NEITHER", "Decision", "assess", "describe", "ACCEPTED", "REJECTED", "MISSING"]
