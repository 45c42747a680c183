"""Praise and criticism at every boundary the policy names (domain.assessment; #35): the praise line, the places,
net 0, exactly 20 points behind, the criticism months, the switches — a changed operator or constant fails here."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from toolkit.domain.assessment import CRITICISE, NEITHER, PRAISE, Decision, assess, describe
from toolkit.domain.calendar import MONTHLY, QUARTERLY, ReportingPeriod
from toolkit.domain.figures import ACCEPTED, MISSING, REJECTED, CountyFigures
from toolkit.domain.periods import Period
from toolkit.domain.policy import AssessmentRules


def county(name="天元区", *, completion=0.5, progress=0.5, new=10, exits=0, rank=1, ranked=6, status=ACCEPTED,
           score=None, errors=0):
    """A county whose figures give exactly ``completion`` against ``progress`` (target 100, or 1000 for a
    fraction of a point)."""
    target = 1000
    return CountyFigures(name, status, target, progress, new=round(completion * target) if status == ACCEPTED else None,
                         exits=exits if status == ACCEPTED else None, rank=rank, ranked=ranked, score=score,
                         errors=errors)


def decide(policy, *counties_, month=6, **rules) -> dict[str, Decision]:
    with_rules = replace(policy, assessment=replace(policy.assessment, **rules)) if rules else policy
    return {d.county: d for d in assess(with_rules, Period(2022, month), list(counties_))}


# --- praise ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lead_points, outcome", [
    (0.0, PRAISE),  # exactly on the time progress: the default line is "at least 0 points ahead"
    (0.1, PRAISE),
    (-0.1, NEITHER),  # just behind
])
def test_the_praise_line_is_at_least_the_lead_the_policy_names(policy, lead_points, outcome):
    f = county(completion=0.5 + lead_points / 100, progress=0.5, exits=0)
    assert decide(policy, f)["天元区"].outcome == outcome


@pytest.mark.parametrize("lead, required, outcome", [(15.0, 15.0, PRAISE), (14.9, 15.0, NEITHER)])
def test_a_stricter_praise_line_holds_at_exactly_its_value(policy, lead, required, outcome):
    f = county(completion=0.5 + lead / 100, progress=0.5)
    assert decide(policy, f, praise_min_lead_points=required)["天元区"].outcome == outcome


@pytest.mark.parametrize("new, exits, outcome", [
    (10, 9, PRAISE),  # net 1: the default minimum
    (10, 10, NEITHER),  # net 0: not praised however far ahead
    (10, 11, CRITICISE),  # net −1: criticised (净增为负), though ahead
])
def test_praise_needs_a_net_gain_of_at_least_the_minimum(policy, new, exits, outcome):
    f = CountyFigures("天元区", ACCEPTED, 20, 0.5, new=16, exits=16 - (new - exits), rank=1, ranked=6)
    assert f.net == new - exits and f.gap_points == pytest.approx(30)
    assert decide(policy, f)["天元区"].outcome == outcome


@pytest.mark.parametrize("units, places", [(1, 1), (2, 1), (3, 1), (5, 1), (6, 2), (8, 2), (9, 3), (10, 3)])
def test_the_places_praised_are_the_top_third_and_at_least_one(units, places):
    assert AssessmentRules().praise_places(units) == places


@pytest.mark.parametrize("rank, outcome", [(1, PRAISE), (2, PRAISE), (3, NEITHER)])
def test_only_the_top_places_are_praised(policy, rank, outcome):
    others = [county(f"县{i}", completion=0.1, rank=6) for i in range(5)]
    decisions = decide(policy, county(completion=0.9, rank=rank), *others)  # 6 units: 2 places
    assert decisions["天元区"].outcome == outcome


# --- criticism ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("behind, outcome", [
    (19.9, NEITHER),
    (20.0, NEITHER),  # exactly 20 points behind: the rule is "more than 20"
    (20.1, CRITICISE),
])
def test_criticism_for_falling_behind_is_more_than_the_points_named(policy, behind, outcome):
    f = county(completion=0.5 - behind / 100, progress=0.5, rank=6)
    decision = decide(policy, f)["天元区"]
    assert decision.outcome == outcome
    assert ("落后时序进度超过 20 个百分点" in decision.grounds) == (outcome == CRITICISE)


def on_time(exits: int, rank: int = 6) -> CountyFigures:
    """10 new against a target of 20 at half the year: exactly on time; ``exits`` sets the net."""
    return CountyFigures("天元区", ACCEPTED, 20, 0.5, new=10, exits=exits, rank=rank, ranked=6)


@pytest.mark.parametrize("exits, criticised", [(9, False), (10, False), (11, True)])  # net 1, 0, −1
def test_a_net_of_zero_is_not_negative(policy, exits, criticised):
    f = on_time(exits)
    decision = decide(policy, f)["天元区"]
    assert (decision.outcome == CRITICISE) == criticised
    assert ("净增为负（退库多于新增）" in decision.grounds) == criticised


def test_negative_net_is_not_criticised_when_the_policy_says_so(policy):
    f = on_time(11)
    assert decide(policy, f, criticise_negative_net=False)["天元区"].outcome == NEITHER


@pytest.mark.parametrize("month, outcome", [(2, NEITHER), (3, CRITICISE), (5, NEITHER), (6, CRITICISE),
                                            (9, CRITICISE), (11, NEITHER), (12, CRITICISE)])
def test_criticism_only_in_the_months_named(policy, month, outcome):
    f = county(completion=0.0, progress=0.5, rank=6)
    decision = decide(replace(policy, calendar=()), f, month=month)["天元区"]  # the rule alone, no 月度调度 entry
    assert decision.outcome == outcome
    if outcome == NEITHER:
        assert "批评只在 3、6、9、12 月作出" in decision.reason and decision.grounds


@pytest.mark.parametrize("status, words", [(MISSING, "未报送2022年1-6月报表"), (REJECTED, "报表未通过校验被退回（错误 4 条）")])
@pytest.mark.parametrize("switch, outcome", [(True, CRITICISE), (False, NEITHER)])
def test_a_county_not_accepted_is_criticised_only_when_the_policy_says_so(policy, status, words, switch, outcome):
    f = county(status=status, rank=None, errors=4)
    decision = decide(policy, f, criticise_not_submitted=switch)["天元区"]
    assert decision.outcome == outcome and words in decision.reason


@pytest.mark.parametrize("kind, praised, criticised", [(QUARTERLY, PRAISE, CRITICISE), (MONTHLY, NEITHER, NEITHER)])
def test_a_monthly_dispatch_period_praises_and_criticises_nobody(policy, kind, praised, criticised):
    """The same figures in June: a quarter-end report decides praise and criticism, a 月度调度 return never does,
    even in a month the criticism rule names."""
    calendar = (ReportingPeriod(Period(2022, 6), dt.date(2022, 7, 8), 3, kind=kind),)
    ahead, behind = county("天元区", completion=0.9, rank=1), county("攸县", completion=0.0, rank=6)
    missing = county("茶陵县", status=MISSING, rank=None)
    decisions = decide(replace(policy, calendar=calendar), ahead, behind, missing)
    assert [decisions[c].outcome for c in ("天元区", "攸县", "茶陵县")] == [praised, criticised, criticised]
    if kind == MONTHLY:
        assert all(d.reason.endswith("（月度调度不作表扬和通报批评）") for d in decisions.values())
        assert "未报送2022年1-6月报表" in decisions["茶陵县"].reason and "完成率 90.0%" in decisions["天元区"].reason


def test_a_county_not_accepted_is_not_criticised_outside_the_months(policy):
    f = county(status=MISSING, rank=None)
    assert decide(policy, f, month=5)["天元区"].outcome == NEITHER


def test_a_county_both_behind_and_negative_names_both_grounds_in_order(policy):
    f = replace(county(completion=0.1, progress=0.5, rank=6), new=100, exits=101)
    decision = decide(policy, f)["天元区"]
    assert decision.grounds == ("落后时序进度超过 20 个百分点", "净增为负（退库多于新增）")
    assert decision.reason.endswith("（落后时序进度超过 20 个百分点；净增为负（退库多于新增））")


# --- the sentence of numbers -------------------------------------------------------------------------------------
@pytest.mark.parametrize("completion, words", [
    (0.5, "与时序进度持平"),
    (0.5004, "与时序进度持平"),  # 0.04 points: shown as level
    (0.4996, "与时序进度持平"),
    (0.5006, "超时序进度 0.1 个百分点"),
    (0.4994, "落后时序进度 0.1 个百分点"),
    (0.62, "超时序进度 12.0 个百分点"),
    (0.38, "落后时序进度 12.0 个百分点"),
])
def test_the_gap_is_said_as_ahead_behind_or_level(completion, words):
    f = CountyFigures("天元区", ACCEPTED, 10000, 0.5, new=round(completion * 10000), exits=0, rank=1, ranked=3)
    assert words in describe(f, "全市")


def test_the_sentence_names_completion_new_net_and_the_rank_among_those_ranked():
    f = CountyFigures("天元区", ACCEPTED, 50, 0.5, new=31, exits=3, rank=2, ranked=5)
    assert describe(f, "全市") == "天元区 完成率 62.0%，超时序进度 12.0 个百分点，新增 31 家，净增 28 家，完成率居已受理单位第 2/5"
    scored = replace(f, score=97.94)
    assert describe(scored, "全市", "新增数40%、目标完成率60%").endswith(
        "综合得分 97.9（新增数40%、目标完成率60%），居已受理单位第 2/5")


def test_a_county_without_a_target_is_described_by_its_entries():
    f = CountyFigures("天元区", ACCEPTED, None, 0.5, new=3, exits=1)
    assert describe(f, "全市") == "天元区 无年度新增目标，新增 3 家，新增 3 家，净增 2 家"


def test_a_gap_of_exactly_five_hundredths_of_a_point_is_no_longer_level():
    f = CountyFigures("天元区", ACCEPTED, 2000, 0.0, new=1, exits=0, rank=1, ranked=3)
    assert f.gap_points == 0.05  # exactly, in floating point
    assert "超时序进度 0.1 个百分点" in describe(f, "全市") and "持平" not in describe(f, "全市")


@pytest.mark.parametrize("outcome, label", [(PRAISE, "表扬"), (CRITICISE, "批评"), (NEITHER, "—")])
def test_a_decision_without_an_outcome_shows_a_dash(outcome, label):
    assert Decision("天元区", outcome, "").label == label
