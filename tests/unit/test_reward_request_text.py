"""The sentences of the reward request a leader reads: the sharing rule and 就高 each in one sentence, amounts
in 万元 exact to the yuan."""

from __future__ import annotations

import dataclasses

import pytest

from toolkit.demo.zhuzhou_policy import zhuzhou_policy
from toolkit.domain.money import wan_column, wan_places
from toolkit.domain.policy import CostSharing
from toolkit.services.reward_documents import higher_text, sharing_text


def test_the_sharing_rule_names_groups_when_they_are_whole():
    policy = zhuzhou_policy()
    assert sharing_text(policy) == "奖励资金市、县分担比例为：各区5∶5，各县市3∶7。"


def test_the_sharing_rule_lists_names_when_a_group_is_not_whole():
    policy = zhuzhou_policy()
    shares = tuple(CostSharing(s.county, 0.3, 0.7) if s.county == "天元区" else s for s in policy.cost_sharing)
    text = sharing_text(dataclasses.replace(policy, cost_sharing=shares))
    assert text.startswith("奖励资金市、县分担比例为：荷塘区、芦淞区、石峰区、株洲经开区、渌口区5∶5，")
    assert "天元区、" in text and text.endswith("3∶7。")


def test_one_split_for_all_and_shares_that_are_not_tenths():
    policy = zhuzhou_policy()
    shares = tuple(CostSharing(s.county, 0.35, 0.65) for s in policy.cost_sharing)
    assert sharing_text(dataclasses.replace(policy, cost_sharing=shares)) == "奖励资金市、县分担比例为35%∶65%。"


def test_higher_county_standards_in_one_sentence():
    policy = zhuzhou_policy()
    assert higher_text(policy) == "醴陵市（新建投产15万元）、攸县（小升规8万元）县级标准较高，就高兑现，高出部分由县级承担。"
    assert higher_text(dataclasses.replace(policy, county_rewards=())) == ""


@pytest.mark.parametrize("amounts, places, shown", [
    ((9_050_000, 25_000), 2, "905.00"),
    ((9_050_000, 33_333), 4, "905.0000"),
    ((9_050_000, 1_234_560), 3, "905.000"),
])
def test_wan_columns_stay_exact_to_the_yuan(amounts, places, shown):
    assert wan_places(*amounts) == places
    assert wan_column(amounts[0], places) == shown
    assert wan_column(33_333, 4) == "3.3333"
