"""Reward money as pure rules: amounts in capitals, entitlements, tranches, totals (hypothesis properties)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.domain.money import capitals, part, yuan
from toolkit.domain.policy import CostSharing, CountyRewardPolicy, RewardStandard
from toolkit.domain.rewards import (PAYABLE, Candidate, Confirmation, Evidence, ExitRecord, Reference, RewardLine,
                                    TaxFigure, entitlement, first_tranches, second_tranches, taxes_final, totals)


@pytest.mark.parametrize("amount, text", [
    (100_500, "人民币壹拾万零伍佰元整"),
    (1_000_000, "人民币壹佰万元整"),
    (10_060_000, "人民币壹仟零陆万元整"),
    (35_680, "人民币叁万伍仟陆佰捌拾元整"),
    (100_000_001, "人民币壹亿零壹元整"),
    (1_010, "人民币壹仟零壹拾元整"),
    (0, "人民币零元整"),
])
def test_amounts_in_capitals(amount, text):
    assert capitals(amount) == text


@pytest.mark.parametrize("bad", [1.5, -1, "100", True])
def test_capitals_take_whole_yuan_only(bad):
    with pytest.raises(ValueError):
        capitals(bad)


def _read_capitals(text: str) -> int:
    """An independent reading of 大写 (cn2an's own parser refuses forms the payment rules allow, such as
    柒拾伍亿壹仟零壹拾壹, where a zero 万 section may be written without 零)."""
    digits = dict(zip("零壹贰叁肆伍陆柒捌玖", range(10)))
    small = {"拾": 10, "佰": 100, "仟": 1000}
    total = section = number = 0
    for ch in text:
        if ch in digits:
            number = digits[ch]
        elif ch in small:
            section += (number or 1) * small[ch]
            number = 0
        elif ch == "万":
            total += (section + number) * 10**4
            section = number = 0
        elif ch == "亿":
            total = (total + section + number) * 10**8
            section = number = 0
        else:
            raise ValueError(ch)
    return total + section + number


@given(st.integers(min_value=0, max_value=10**12))
def test_capitals_read_back_to_the_same_amount(amount):
    text = capitals(amount)
    assert text.startswith("人民币") and text.endswith("元整") and "零零" not in text
    assert _read_capitals(text[3:-2]) == amount
    if amount < 10**8:  # realistic sums: cn2an reads its own writing back too
        assert cn2an.cn2an(text[3:-2], "normal") == amount


def test_rounding_is_half_up_on_exact_decimals():
    assert yuan(Decimal("0.5")) == 1 and yuan(Decimal("2.5")) == 3
    assert part(15_001, 0.5) == 7_501 and part(100_000, 0.3) == 30_000  # 0.3 is 3/10 here, not 0.2999…


money = st.integers(min_value=0, max_value=2_000_000)
ratios = st.integers(min_value=0, max_value=100).map(lambda n: n / 100)


def _policy(policy, city_standard, county_standard, city_share, first_share, split, basis):
    county = policy.counties[0].name
    return dataclasses.replace(
        policy, rewards=(RewardStandard("新建投产", city_standard, True, split, first_share),),
        cost_sharing=(CostSharing(county, city_share, round(1 - city_share, 2)),),
        county_rewards=(CountyRewardPolicy(county, "新建投产", county_standard),) if county_standard else (),
        reward_city_basis=basis), county


@settings(max_examples=300)
@given(money, st.one_of(st.just(0), money), ratios, ratios, st.booleans(), st.sampled_from(["city_standard", PAYABLE]))
def test_every_entitlement_adds_up(policy, city_standard, county_standard, city_share, first_share, split, basis):
    rules, county = _policy(policy, city_standard, county_standard, city_share, first_share, split, basis)
    e = entitlement(rules, county, "新建投产")
    assert e.payable == max(city_standard, county_standard)  # 就高: the higher of the two, once
    assert e.first + e.second == e.payable
    assert e.city_total + e.county_total == e.payable
    assert e.first_city + e.first_county == e.first and e.second_city + e.second_county == e.second
    assert min(e.first_city, e.first_county, e.second_city, e.second_county) >= 0
    if basis == "city_standard":  # the city bears its share of its own standard only
        assert e.city_total == part(city_standard, city_share)
    if not split:
        assert e.second == 0


def test_the_higher_standard_is_paid_and_the_county_bears_the_difference(policy):
    rules, county = _policy(policy, 100_000, 150_000, 0.3, 0.5, True, "city_standard")
    e = entitlement(rules, county, "新建投产")
    assert (e.payable, e.city_total, e.county_total, e.first, e.first_city) == (150_000, 30_000, 120_000, 75_000, 15_000)
    assert "就高兑现15万元" in e.rule and "市级承担市级标准的30%即3万元" in e.rule
    assert entitlement(rules, county, "外地迁入") is None


lines = st.builds(
    RewardLine, uscc=st.text("0123456789ABCDEF", min_size=18, max_size=18), name=st.just("某企业"),
    county=st.sampled_from(["荷塘区", "芦淞区", "攸县"]), kind=st.just("小升规"), entry_year=st.just(2022),
    entry_month=st.just("2022-03"), tranche=st.sampled_from([1, 2]), amount=st.integers(0, 200_000),
    city_amount=st.integers(0, 200_000), payable=st.just(0), city_standard=st.just(0), county_standard=st.just(0),
    rule=st.just(""), source=st.just(""))


@given(st.lists(lines, max_size=40))
def test_batch_total_is_the_sum_of_lines_and_of_county_subtotals(batch_lines):
    batch_lines = [dataclasses.replace(x, city_amount=min(x.city_amount, x.amount)) for x in batch_lines]
    rows, city = totals(["荷塘区", "芦淞区", "攸县"], batch_lines)
    assert city.amount == sum(x.amount for x in batch_lines) == sum(r.amount for r in rows)
    assert city.city_amount + city.county_amount == city.amount
    assert city.count == len(batch_lines)


def _candidate(n: int, county: str, kind: str = "新建投产", tax: str | None = "10") -> Candidate:
    return Candidate(f"91430202MA4L{n:05d}X", f"企业{n}", county, kind, "2022-03",
                     None if tax is None else Decimal(tax), f"报表 新增企业 第{n + 3}行")


@settings(max_examples=60)
@given(st.lists(st.tuples(st.sampled_from(["新建投产", "小升规", "外地迁入"]), st.sampled_from(["0", "5", None]),
                          st.booleans()), max_size=25))
def test_first_tranches_then_second_add_up_and_running_twice_adds_nothing(policy, specs):
    county = policy.counties[0].name
    candidates = [_candidate(i, county, kind, tax) for i, (kind, tax, _) in enumerate(specs)]
    evidence = Evidence(2022, {c.uscc: Confirmation(c.uscc, c.name, county, "", "") for c in candidates}, "2022-12",
                        {c.uscc: TaxFigure(c.uscc, c.name, Decimal(tax or "0"), "") for c, (_, tax, _) in
                         zip(candidates, specs)}, taxes_final=True)
    first = first_tranches(policy, candidates, evidence, set())
    assert len(first.lines) + len(first.exclusions) == len(candidates)
    assert all(x.kind in ("新建投产", "小升规") and x.tax_wan != "0" for x in first.lines)
    again = first_tranches(policy, candidates, evidence, {x.key for x in first.lines})
    assert again.lines == [] and again.approved_before == len(first.lines)
    gone = {c.uscc: ExitRecord(c.uscc, "2023-05", "停产", "") for c, (_, _, leaves) in zip(candidates, specs) if leaves}
    second = second_tranches(2023, first.lines, gone, {county: Reference("2023-12")}, {x.key for x in first.lines})
    paid = {x.uscc: x for x in second.lines}
    for line in first.lines:
        if line.uscc in gone:
            assert line.uscc not in paid
        else:
            assert line.amount + paid[line.uscc].amount == line.payable
            assert line.city_amount + paid[line.uscc].city_amount == entitlement(policy, county, line.kind).city_total
    twice = second_tranches(2023, first.lines, gone, {county: Reference("2023-12")},
                            {x.key for x in first.lines} | {x.key for x in second.lines})
    assert twice.lines == []


def test_without_a_reference_period_the_second_tranche_waits_and_is_not_forgotten(policy):
    county = policy.counties[0].name
    c = _candidate(1, county)
    evidence = Evidence(2022, {c.uscc: Confirmation(c.uscc, c.name, county, "", "")}, "2022-12",
                        {c.uscc: TaxFigure(c.uscc, c.name, Decimal("3"), "")})
    first = first_tranches(policy, [c], evidence, set())
    waiting = second_tranches(2023, first.lines, {}, {county: Reference("", f"{county}尚无2023年已受理的报表")}, set())
    assert waiting.lines == [] and waiting.exclusions[0].later and "待核验" in waiting.exclusions[0].reason


def test_self_reported_figures_do_not_pay_on_their_own(policy):
    county = policy.counties[0].name
    c = _candidate(1, county)
    nothing = first_tranches(policy, [c], Evidence(2022, None, "", None), set())
    assert nothing.lines == [] and "尚未导入统计部门" in nothing.exclusions[0].reason
    no_tax = first_tranches(policy, [c], Evidence(2022, {c.uscc: Confirmation(c.uscc, c.name, county, "", "")},
                                                  "2022-12", None), set())
    assert no_tax.lines == [] and "尚未导入税务部门" in no_tax.exclusions[0].reason
    zero = first_tranches(policy, [c], Evidence(2022, {c.uscc: Confirmation(c.uscc, c.name, county, "", "")},
                                                "2022-12", {c.uscc: TaxFigure(c.uscc, c.name, Decimal(0), "")},
                                                taxes_final=True), set())
    assert zero.lines == [] and not zero.exclusions[0].later
    assert [(m.subject, m.county_says, m.authority_says) for m in zero.mismatches] == [("当年税收", "10万元", "0万元")]


@pytest.mark.parametrize("tax, final, code, later", [
    ("0", False, "J108", True),  # the year's tax may still form: wait
    ("0", True, "J202", False),  # the year's final figures say zero: excluded
    ("-0.5", False, "J108", True),
    ("-0.5", True, "J202", False),
    ("0.01", False, None, None),  # any tax formed pays, final or not
    ("0.01", True, None, None),
])
def test_a_zero_tax_defers_until_the_years_figures_are_final(policy, tax, final, code, later):
    county = policy.counties[0].name
    c = _candidate(1, county)
    evidence = Evidence(2022, {c.uscc: Confirmation(c.uscc, c.name, county, "", "")}, "2022-12",
                        {c.uscc: TaxFigure(c.uscc, c.name, Decimal(tax), "")}, taxes_final=final)
    out = first_tranches(policy, [c], evidence, set())
    if code is None:
        assert len(out.lines) == 1 and out.exclusions == []
    else:
        (x,) = out.exclusions
        assert out.lines == [] and (x.code, x.later) == (code, later)


@pytest.mark.parametrize("declared, at, month, final", [
    (False, "", 2, False),  # nothing imported
    (False, "2023-01-31 23:59:59", 2, False),  # the day before the policy's month begins
    (False, "2023-02-01 00:00:00", 2, True),
    (False, "2023-02-01 00:00:00", None, False),  # no month in the policy: only a declaration makes it final
    (True, "2022-11-01 09:00:00", 2, True),  # declared final on import
    (False, "2024-03-01 09:00:00", 12, True),
    (False, "2023-11-30 09:00:00", 12, False),
    (False, "2023-12-01 00:00:00", 12, True),
])
def test_a_tax_list_is_final_when_declared_or_imported_from_the_policys_month(declared, at, month, final):
    assert taxes_final(2022, declared, at, month) is final
