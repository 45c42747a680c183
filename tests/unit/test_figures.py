"""The figures the notices print, at their formulas and boundaries (domain.figures; #35): a county's net, rate and
gap; the city's totals over the accepted counties; new entries by kind; ranking with ties and weights."""

from __future__ import annotations

from dataclasses import replace

import pytest

from toolkit.domain.figures import (ACCEPTED, MISSING, REJECTED, CityFigures, CountyFigures, city_figures,
                                    count_by_kind, county_figures, percent, points, rank, rank_by_completion)
from toolkit.domain.periods import Period
from toolkit.domain.policy import AssessmentRules
from toolkit.domain.register import Listing, Source


def firm(kind: str, n: int) -> Listing:
    return Listing("entry", f"91430211MA4L{n:05d}X", f"企业{n}", "天元区", Period(2022, 6), Period(2022, 1), kind,
                   Source("天元区_2022-06.xlsx", "ab" * 32, "新增入规企业", 4 + n))


def county(name, new, target, exits=0, progress=0.5, status=ACCEPTED, kinds=None):
    return CountyFigures(name, status, target, progress, new_by_kind=kinds or {}, new=new, exits=exits)


# --- a county ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("new, exits, net", [(31, 3, 28), (0, 0, 0), (2, 5, -3), (5, None, 5)])
def test_net_is_new_less_exits(new, exits, net):
    assert CountyFigures("天元区", ACCEPTED, 50, 0.5, new=new, exits=exits).net == net


def test_a_county_without_figures_has_no_net_rate_or_gap():
    f = CountyFigures("攸县", MISSING, 50, 0.5)
    assert (f.has_figures, f.net, f.completion, f.gap_points, f.net_completion) == (False, None, None, None, None)


@pytest.mark.parametrize("new, target, completion", [(31, 50, 0.62), (50, 50, 1.0), (60, 50, 1.2), (0, 50, 0.0),
                                                      (5, 0, None), (5, None, None)])
def test_completion_is_new_over_the_target(new, target, completion):
    assert county("天元区", new, target).completion == (pytest.approx(completion) if completion is not None else None)


@pytest.mark.parametrize("new, progress, gap", [(31, 0.5, 12.0), (25, 0.5, 0.0), (10, 0.5, -30.0), (50, 1.0, 0.0)])
def test_the_gap_is_completion_less_progress_in_points(new, progress, gap):
    assert county("天元区", new, 50, progress=progress).gap_points == pytest.approx(gap)


@pytest.mark.parametrize("new, exits, net_target, rate", [(31, 3, 30, 28 / 30), (10, 10, 30, 0.0), (31, 3, 0, None),
                                                           (31, 3, None, None)])
def test_net_completion_is_against_the_countys_own_net_target(new, exits, net_target, rate):
    f = CountyFigures("天元区", ACCEPTED, 50, 0.5, new=new, exits=exits, net_target=net_target)
    assert f.net_completion == (pytest.approx(rate) if rate is not None else None)


def test_new_entries_are_counted_up_by_kind_and_every_kind_is_named():
    counts = count_by_kind([firm("小升规", 1), firm("小升规", 2), firm("新建投产", 3), firm("外地迁入", 4)])
    assert counts == {"新建投产": 1, "小升规": 2, "外地迁入": 1, "分立新设": 0, "其他": 0}
    assert count_by_kind([]) == {"新建投产": 0, "小升规": 0, "外地迁入": 0, "分立新设": 0, "其他": 0}


def test_county_figures_read_the_annex_and_the_curve(policy):
    f = county_figures(policy, Period(2022, 6), "天元区", ACCEPTED, entries=[firm("小升规", 1), firm("新建投产", 2)],
                       exits=[firm("小升规", 3)], pending=1, errors=0)
    assert (f.target, f.progress, f.new, f.exits, f.pending) == (50, policy.expected_progress(6), 2, 1, 1)
    assert f.new_by_kind["小升规"] == 1 and f.net_target == policy.net_target("天元区", 2022)
    missing = county_figures(policy, Period(2022, 6), "天元区", MISSING)
    assert (missing.new, missing.exits, missing.new_by_kind) == (None, None, {})


# --- the city ----------------------------------------------------------------------------------------------------
def test_the_city_is_the_sum_of_the_accepted_counties_against_their_targets(policy):
    counties = [county("天元区", 31, 50, exits=3, kinds={"小升规": 20, "新建投产": 11}),
                county("荷塘区", 12, 18, exits=1, kinds={"小升规": 12}),
                CountyFigures("攸县", MISSING, 20, 0.5), CountyFigures("茶陵县", REJECTED, 15, 0.5)]
    city = city_figures(policy, Period(2022, 6), counties, net_since_start=40, pending_firms=2)
    assert (city.new, city.exits, city.net, city.pending) == (43, 4, 39, 2)
    assert (city.reporting, city.units, city.reporting_target, city.missing) == (2, 4, 68, ("攸县", "茶陵县"))
    assert city.completion == pytest.approx(43 / 68)
    assert city.gap_points == pytest.approx((43 / 68 - policy.expected_progress(6)) * 100)
    assert city.new_by_kind == {"新建投产": 11, "小升规": 32, "外地迁入": 0, "分立新设": 0, "其他": 0}
    assert city.target == policy.total_new_targets[2022] and not city.complete
    assert city.row_label == "已受理合计（2/4）"
    assert "合计只含报表已受理的 2 个单位，完成率按它们的目标合计 68 家计算；攸县、茶陵县 未受理" in city.whole_city_note
    base = policy.base_register_total
    assert city.register_now == (None if base is None else base + 40)


def test_a_whole_city_says_so_and_has_no_note(policy):
    city = city_figures(policy, Period(2022, 12), [county("天元区", 50, 50), county("荷塘区", 9, 18, exits=10)], 0)
    assert city.complete and city.row_label == policy.total_label and city.whole_city_note == ""
    assert (city.net, city.completion) == (49, pytest.approx(59 / 68))


def test_a_city_with_nothing_accepted_has_no_rate(policy):
    city = city_figures(policy, Period(2022, 6), [CountyFigures("攸县", MISSING, 20, 0.5)], None)
    assert (city.new, city.reporting_target, city.completion, city.gap_points, city.register_now) == \
        (0, None, None, None, None)


@pytest.mark.parametrize("new, exits, net", [(10, 3, 7), (3, 10, -7), (0, 0, 0)])
def test_the_city_net(new, exits, net):
    city = CityFigures("全市", 2022, 100, 0.5, new, exits, 0, {}, 1, 1, None, None, None, None, None,
                       reporting_target=100)
    assert city.net == net and city.completion == pytest.approx(new / 100)


# --- ranking -----------------------------------------------------------------------------------------------------
def test_competition_ranking_with_ties_and_no_rank_without_a_rate():
    ranked = rank_by_completion([county("甲", 40, 50), county("乙", 18, 18), county("丙", 18, 18),
                                 county("丁", 10, 50), CountyFigures("戊", MISSING, 20, 0.5), county("己", 3, 0)])
    assert [(f.rank, f.ranked) for f in ranked] == [(3, 4), (1, 4), (1, 4), (4, 4), (None, 4), (None, 4)]
    assert ranked[0].rank_text == "第 3/4" and ranked[4].rank_text == ""


def test_rates_a_hair_apart_are_not_a_tie():
    ranked = rank_by_completion([county("甲", 333, 1000), county("乙", 334, 1000)])
    assert [f.rank for f in ranked] == [2, 1]


def test_a_weighted_score_counts_a_negative_net_as_zero_and_compares_with_the_best():
    rules = AssessmentRules(weight_completion=0.5, weight_new=0.25, weight_net=0.25)
    rows = [county("甲", 20, 40, exits=0), county("乙", 10, 10, exits=15), CountyFigures("丙", MISSING, 5, 0.5)]
    scored = {f.county: f for f in rank(rows, rules)}
    # 甲: completion 0.5/1.0, new 20/20, net 20/20 → 100 × (0.5×0.5 + 0.25 + 0.25) = 75.0
    # 乙: completion 1.0/1.0, new 10/20, net −5 → 0 → 100 × (0.5 + 0.125 + 0) = 62.5
    assert (scored["甲"].score, scored["甲"].rank) == (75.0, 1)
    assert (scored["乙"].score, scored["乙"].rank) == (62.5, 2)
    assert (scored["丙"].score, scored["丙"].rank) == (None, None)
    assert rank(rows, AssessmentRules()) == rank_by_completion(rows)  # completion alone: the plain ranking


def test_weights_are_taken_in_proportion():
    rows = [county("甲", 20, 40), county("乙", 10, 10)]
    halves = {f.county: f.score for f in rank(rows, AssessmentRules(weight_completion=1, weight_new=1))}
    quarters = {f.county: f.score for f in rank(rows, AssessmentRules(weight_completion=0.25, weight_new=0.25))}
    assert halves == quarters == {"甲": 75.0, "乙": 75.0}


@pytest.mark.parametrize("value, text", [(None, "—"), (0.62, "62.0%"), (1.0, "100.0%"), (0.0005, "0.1%")])
def test_percent(value, text):
    assert percent(value) == text


@pytest.mark.parametrize("value, text", [(None, "—"), (12.04, "12.0 个百分点"), (-4.25, "4.2 个百分点")])
def test_points_are_said_without_a_sign(value, text):
    assert points(value) == text


def test_replace_keeps_every_field():
    f = CountyFigures("甲", ACCEPTED, 50, 0.5, {"小升规": 1}, 1, 0, 2, 30, 0, "甲.xlsx")
    assert replace(f, rank=1, ranked=1) == rank_by_completion([f])[0]


def test_what_is_not_given_is_zero():
    f = CountyFigures("攸县", MISSING, 20, 0.5)
    assert (f.pending, f.errors, f.ranked, f.score, f.file) == (0, 0, 0, None, "")


def test_county_and_city_figures_without_pending_firms_count_none(policy):
    f = county_figures(policy, Period(2022, 6), "天元区", ACCEPTED, entries=[firm("小升规", 1)])
    assert (f.pending, f.errors, f.exits) == (0, 0, 0)
    assert city_figures(policy, Period(2022, 6), [f], None).pending == 0


def test_a_kind_outside_the_schema_is_counted_too():
    assert count_by_kind([firm("技改扩能", 1), firm("技改扩能", 2)])["技改扩能"] == 2


def test_a_county_without_a_target_adds_nothing_to_the_accepted_target(policy):
    city = city_figures(policy, Period(2022, 6), [county("天元区", 5, None), county("荷塘区", 4, 10)], None)
    assert city.reporting_target == 10 and city.completion == pytest.approx(9 / 10)


def test_the_note_says_a_dash_for_a_city_without_a_years_target(policy):
    city = city_figures(policy, Period(2030, 6), [county("天元区", 5, 10), CountyFigures("攸县", MISSING, 20, 0.5)], 0)
    assert city.target is None and f"（{policy.total_label}年度目标 — 家）" in city.whole_city_note


def test_the_register_now_is_the_base_plus_the_net_since_the_plan_began(policy):
    based = replace(policy, counties=tuple(replace(c, base_register=100) for c in policy.counties))
    base = 100 * len(policy.counties)
    assert based.base_register_total == base
    city = city_figures(based, Period(2022, 6), [county("天元区", 5, 10)], net_since_start=-7)
    assert city.register_now == base - 7
    assert city_figures(based, Period(2022, 6), [county("天元区", 5, 10)], None).register_now is None


def test_a_measure_nobody_has_scores_nothing():
    """Weighted ranking where no accepted county has a positive net: the net's weight gives nobody points, and a
    county with no new entries gets none for them."""
    rules = AssessmentRules(weight_completion=0.5, weight_new=0.25, weight_net=0.25)
    rows = [county("甲", 10, 20, exits=10), county("乙", 0, 10, exits=3)]
    scored = {f.county: f.score for f in rank(rows, rules)}
    # 甲: completion 0.5/0.5, new 10/10, net 0 → 100 × (0.5 + 0.25 + 0) = 75.0; 乙: 0 on every measure
    assert scored == {"甲": 75.0, "乙": 0.0}


def test_weighted_ranking_without_any_accepted_county_ranks_nobody():
    rules = AssessmentRules(weight_completion=0.5, weight_new=0.5)
    (f,) = rank([CountyFigures("攸县", MISSING, 20, 0.5)], rules)
    assert (f.rank, f.ranked, f.score) == (None, 0, None)
