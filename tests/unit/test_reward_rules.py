"""Reward money as pure rules: amounts in capitals, entitlements, tranches, totals (hypothesis properties)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from toolkit.domain.money import capitals, part, wan_text, yuan
from toolkit.domain.policy import CostSharing, CountyRewardPolicy, RewardStandard
from toolkit.domain.rewards import (PAYABLE, WHOLE, Candidate, Confirmation, Evidence, Exclusion, ExitRecord, Proposal,
                                    Reference, RewardLine, TaxFigure, before_year_end, distinct, entitlement,
                                    first_tranches, group_by_county, second_tranches, setup_problems, taxes_final,
                                    totals)


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


@settings(max_examples=examples(300))
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


@settings(max_examples=examples(60))
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


# --- boundaries the plan and the policy name (#35) -----------------------------------------------------------------
def _confirmed(c: Candidate, kind: str = "", county: str | None = None, tax: str = "3", **more) -> Evidence:
    return Evidence(2022, {c.uscc: Confirmation(c.uscc, c.name, county or c.county, kind, "确认名单 第2行")},
                    "2022-12", {c.uscc: TaxFigure(c.uscc, c.name, Decimal(tax), "税务 第2行")}, **more)


def test_a_kind_the_statistics_office_confirms_differently_is_paid_at_the_confirmed_kind(policy):
    county = policy.counties[0].name
    c = _candidate(1, county, kind="新建投产")
    out = first_tranches(policy, [c], _confirmed(c, kind="小升规", tax="10"), set())
    (line,) = out.lines
    rights = entitlement(policy, county, "小升规")
    assert (line.kind, line.amount, line.payable) == ("小升规", rights.first, rights.payable)
    assert rights.payable != entitlement(policy, county, "新建投产").payable  # the two kinds pay differently
    assert [(m.subject, m.county_says, m.authority_says) for m in out.mismatches] == [("入规类型", "新建投产", "小升规")]


def test_the_same_kind_confirmed_or_no_kind_column_is_no_difference(policy):
    county = policy.counties[0].name
    c = _candidate(1, county, kind="新建投产")
    for kind in ("新建投产", ""):
        out = first_tranches(policy, [c], _confirmed(c, kind=kind, tax="10"), set())
        assert [line.kind for line in out.lines] == ["新建投产"] and out.mismatches == []


def test_a_county_the_office_confirms_differently_is_listed_and_paid_where_accepted(policy):
    county, other = policy.counties[0].name, policy.counties[1].name
    c = _candidate(1, county)
    out = first_tranches(policy, [c], _confirmed(c, county=other, tax="10"), set())
    assert [line.county for line in out.lines] == [county]
    assert [(m.subject, m.county_says, m.authority_says) for m in out.mismatches] == [("县市区", county, other)]


@pytest.mark.parametrize("reported, official, listed", [("10", "10", False), ("10", "10.005", False),
                                                        ("10", "10.01", True), ("10", "9.99", True), (None, "3", True)])
def test_a_tax_difference_of_a_cent_of_a_wan_or_more_is_listed(policy, reported, official, listed):
    county = policy.counties[0].name
    c = _candidate(1, county, tax=reported)
    out = first_tranches(policy, [c], _confirmed(c, tax=official), set())
    assert len(out.lines) == 1 and bool(out.mismatches) == listed
    assert out.lines[0].tax_wan == official


@pytest.mark.parametrize("exit_period, reference, paid", [
    ("2023-11", "2023-12", False),
    ("2023-12", "2023-12", False),  # exiting exactly at the reference period: not in the register then
    ("2024-01", "2023-12", True),  # after it: the tranche was earned
    ("2023-05", "", False),  # no reference yet, but gone: excluded, not left waiting
])
def test_the_second_tranche_needs_the_firm_in_the_register_at_the_reference_period(policy, exit_period, reference,
                                                                                   paid):
    county = policy.counties[0].name
    c = _candidate(1, county, kind="新建投产")
    (first,) = first_tranches(policy, [c], _confirmed(c), set()).lines
    assert first.tranche == 1 and first.second > 0
    gone = {c.uscc: ExitRecord(c.uscc, exit_period, "停产", "退库企业 第3行")}
    out = second_tranches(2023, [first], gone, {county: Reference(reference, "尚无报表")}, set())
    assert bool(out.lines) == paid
    if paid:
        assert (out.lines[0].tranche, out.lines[0].amount, out.lines[0].city_amount) == (2, first.second,
                                                                                          first.second_city)
    else:
        assert out.exclusions[0].code == "J204" and out.exclusions[0].tranche == 2


@pytest.mark.parametrize("entry_year, tranche, second, due", [(2022, 1, 40000, True), (2021, 1, 40000, False),
                                                              (2022, 0, 40000, False), (2022, 1, 0, False),
                                                              (2022, 2, 40000, False)])
def test_only_last_years_first_tranches_with_a_second_due_are_taken(entry_year, tranche, second, due):
    line = RewardLine("91430202MA4L00001X", "企业1", "天元区", "新建投产", entry_year, f"{entry_year}-03", tranche,
                      60000, 18000, 100000, 100000, 0, "", "", "3", second, 12000)
    out = second_tranches(2023, [line], {}, {"天元区": Reference("2023-12")}, set())
    assert bool(out.lines) == due


def test_county_totals_put_first_and_whole_rewards_apart_from_second_tranches():
    def line(county, tranche, amount, city):
        return RewardLine(f"9143{county}{tranche}{amount}", "某", county, "小升规", 2022, "2022-03", tranche, amount,
                          city, 0, 0, 0, "", "")

    rows, city = totals(["荷塘区", "攸县"], [line("荷塘区", 1, 30000, 9000), line("荷塘区", 0, 60000, 18000),
                                         line("荷塘区", 2, 30000, 9000), line("攸县", 2, 20000, 4000)])
    hetang, youxian = rows
    assert (hetang.first_count, hetang.first_amount, hetang.second_count, hetang.second_amount) == (2, 90000, 1, 30000)
    assert (hetang.city_amount, hetang.county_amount, hetang.amount, hetang.count) == (36000, 84000, 120000, 3)
    assert (youxian.first_count, youxian.second_count, youxian.second_amount) == (0, 1, 20000)
    assert (city.first_count, city.second_count, city.amount, city.city_amount) == (2, 2, 140000, 40000)


@pytest.mark.parametrize("month, through, code", [("2022-12", "2022-11", "J103"), ("2022-11", "2022-11", "J104")])
def test_an_entry_after_the_confirmed_list_waits_for_the_next_one(policy, month, through, code):
    county = policy.counties[0].name
    c = dataclasses.replace(_candidate(1, county), month=month)
    evidence = Evidence(2022, {}, through, {})
    (x,) = first_tranches(policy, [c], evidence, set()).exclusions
    assert x.code == code and x.later


@pytest.mark.parametrize("tranche, label", [(1, "首期"), (2, "第二期"), (WHOLE, "一次性")])
def test_tranche_labels(tranche, label):
    line = RewardLine("u", "n", "c", "k", 2022, "2022-03", tranche, 1, 0, 1, 1, 0, "", "")
    assert line.tranche_label == label and line.key == ("u", 2022, tranche) and WHOLE == 0


def test_a_reward_not_split_is_paid_whole_once(policy):
    rules, county = _policy(policy, 100_000, 0, 0.3, 0.5, False, "city_standard")
    c = _candidate(1, county)
    (line,) = first_tranches(rules, [c], _confirmed(c, tax="10"), set()).lines
    assert (line.tranche, line.amount, line.second, line.tranche_label) == (WHOLE, 100_000, 0, "一次性")
    assert line.rule.endswith("；2022年一次性兑现")
    assert second_tranches(2023, [line], {}, {county: Reference("2023-12")}, set()).lines == []
    again = first_tranches(rules, [c], _confirmed(c, tax="10"), {(c.uscc, 2022, WHOLE)})
    assert (again.lines, again.approved_before) == ([], 1)


def test_a_split_reward_says_what_is_left_for_next_year(policy):
    rules, county = _policy(policy, 100_000, 0, 0.3, 0.4, True, "city_standard")
    c = _candidate(1, county)
    (line,) = first_tranches(rules, [c], _confirmed(c, tax="10"), set()).lines
    assert (line.tranche, line.amount, line.second, line.city_amount, line.second_city) == (1, 40_000, 60_000,
                                                                                            12_000, 18_000)
    assert line.rule.endswith("；2022年兑现首期40,000元，余60,000元次年在库时兑现")


@pytest.mark.parametrize("county_standard, words", [
    (150_000, "县级标准较高，就高兑现15万元"),
    (100_000, "市级标准不低于县级标准，就高兑现10万元"),  # equal: the city's is not lower
    (80_000, "市级标准不低于县级标准，就高兑现10万元"),
])
def test_the_rule_says_which_standard_is_higher_and_who_bears_the_rest(policy, county_standard, words):
    rules, county = _policy(policy, 100_000, county_standard, 0.3, 0.5, True, "city_standard")
    e = entitlement(rules, county, "新建投产")
    assert words in e.rule
    assert f"即3万元，其余{wan_text(e.payable - 30_000)}由县级承担" in e.rule


def test_a_countys_own_standard_counts_only_for_its_county_and_its_kind(policy):
    rules, county = _policy(policy, 100_000, 0, 0.3, 0.5, True, "city_standard")
    other = policy.counties[1].name
    rules = dataclasses.replace(rules, county_rewards=(CountyRewardPolicy(other, "新建投产", 200_000),
                                                       CountyRewardPolicy(county, "小升规", 200_000)))
    e = entitlement(rules, county, "新建投产")
    assert (e.payable, e.county_standard) == (100_000, 0) and "县级标准" not in e.rule


def test_what_the_policy_lacks_for_rewards_is_named(policy):
    county = policy.counties[0].name
    assert setup_problems(policy) == []
    bare = dataclasses.replace(policy, rewards=(), cost_sharing=tuple(s for s in policy.cost_sharing
                                                                      if s.county != county))
    assert setup_problems(bare) == ["政策参数工作簿的“奖励标准”表中没有市级奖励标准。",
                                    f"政策参数工作簿的“市县分担”表中缺少{county}的市县分担比例。"]


@pytest.mark.parametrize("approved_at, before", [("", False), ("2022-12-31 23:59:59", True), ("2023-01-01", False),
                                                 ("2023-01-01 00:00:00", False), ("2021-06-30 10:00:00", True)])
def test_a_batch_before_the_year_ends(approved_at, before):
    assert before_year_end(2022, approved_at) is before


def test_a_tax_list_imported_on_the_first_day_of_the_final_month_is_final():
    assert taxes_final(2022, False, "2023-02-01", 2) is True


def test_without_word_of_finality_lists_are_not_final(policy):
    county = policy.counties[0].name
    c = _candidate(1, county)
    evidence = Evidence(2022, {}, "2022-12", {c.uscc: TaxFigure(c.uscc, c.name, Decimal(0), "")})
    assert (evidence.confirmed_final, evidence.taxes_final) == (False, False)
    (x,) = first_tranches(policy, [c], evidence, set()).exclusions
    assert x.code == "J104" and x.later and x.tranche == 1
    zero = first_tranches(policy, [c], _confirmed(c, tax="0"), set())
    assert zero.exclusions[0].code == "J108"


@pytest.mark.parametrize("confirmed_county, listed", [("天元区", True), ("", False), (None, False)])
def test_a_shared_claim_lists_the_offices_county_when_it_names_one(policy, confirmed_county, listed):
    county = policy.counties[0].name
    c = dataclasses.replace(_candidate(1, county), claimants="荷塘区、天元区")
    confirmed = {} if confirmed_county is None else {c.uscc: Confirmation(c.uscc, c.name, confirmed_county, "", "")}
    out = first_tranches(policy, [c], Evidence(2022, confirmed, "2022-12", {}), set())
    assert [x.code for x in out.exclusions] == ["J101"] and out.lines == []
    assert [(m.subject, m.county_says, m.authority_says) for m in out.mismatches] == (
        [("县市区", "荷塘区、天元区均报为新增", "天元区")] if listed else [])


@pytest.mark.parametrize("reported, said", [(Decimal("5"), True), (Decimal("0"), False), (None, False),
                                            (Decimal("0.01"), True)])
def test_a_firm_missing_from_the_tax_list_or_with_zero_tax_lists_what_the_county_reported(policy, reported, said):
    county = policy.counties[0].name
    c = dataclasses.replace(_candidate(1, county), reported_tax=reported)
    missing = first_tranches(policy, [c], Evidence(2022, {c.uscc: Confirmation(c.uscc, c.name, county, "", "")},
                                                   "2022-12", {}), set())
    assert [x.code for x in missing.exclusions] == ["J107"] and bool(missing.mismatches) == said
    zero = first_tranches(policy, [c], _confirmed(c, tax="0", taxes_final=True), set())
    assert [x.code for x in zero.exclusions] == ["J202"] and bool(zero.mismatches) == said


def test_proposals_add_up():
    one = Proposal(["a"], ["x"], ["m"], 1)
    one.extend(Proposal(["b", "c"], ["y"], [], 2))
    assert (one.lines, one.exclusions, one.mismatches, one.approved_before) == (["a", "b", "c"], ["x", "y"], ["m"], 3)


def test_a_claim_two_counties_share_is_one_firm_with_both_sources(policy):
    county, other = policy.counties[0].name, policy.counties[1].name
    x1 = Exclusion("u1", "甲", county, "小升规", 2022, 1, "归属待认定", True, "A 第3行", "J101")
    x2 = dataclasses.replace(x1, county=other, source="B 第4行")
    x3 = dataclasses.replace(x1, uscc="u2", source="C 第5行")
    (shared, alone) = distinct([x1, x2, x3])
    assert shared.county == "、".join(sorted({county, other})) and shared.source == "A 第3行；B 第4行"
    assert alone == x3
    rows, city = totals([county, other], [], [x1, x2, x3])
    assert [r.excluded for r in rows] == [2, 1] and city.excluded == 2


def test_items_are_grouped_in_the_policys_order_then_by_name():
    Item = dataclasses.make_dataclass("Item", ["county"])
    grouped = group_by_county([Item("乙"), Item("丁"), Item("甲"), Item("乙"), Item("丙")], ["甲", "乙", "戊"])
    assert list(grouped) == ["甲", "乙", *sorted(["丁", "丙"])]  # the policy's order, then the rest by name; no 戊
    assert [len(v) for v in grouped.values()] == [1, 2, 1, 1]


def test_a_line_leaves_nothing_due_unless_told():
    line = RewardLine("u", "n", "天元区", "小升规", 2022, "2022-03", 1, 60000, 18000, 60000, 60000, 0, "", "")
    assert (line.second, line.second_city, line.tax_wan) == (0, 0, "")
    assert second_tranches(2023, [line], {}, {"天元区": Reference("2023-12")}, set()).lines == []
    one_yuan = dataclasses.replace(line, second=1, second_city=0)
    assert [x.amount for x in second_tranches(2023, [one_yuan], {}, {"天元区": Reference("2023-12")}, set()).lines] \
        == [1]


def test_second_tranches_approved_before_are_counted_not_paid_again():
    line = RewardLine("u", "n", "天元区", "小升规", 2022, "2022-03", 1, 30000, 9000, 60000, 60000, 0, "", "", "3",
                      30000, 9000)
    out = second_tranches(2023, [line, dataclasses.replace(line, uscc="v")], {}, {"天元区": Reference("2023-12")},
                          {("u", 2022, 2), ("v", 2022, 2)})
    assert (out.lines, out.approved_before) == ([], 2)


def test_a_second_tranche_waiting_for_a_reference_is_named_as_the_second():
    line = RewardLine("u", "n", "天元区", "小升规", 2022, "2022-03", 1, 30000, 9000, 60000, 60000, 0, "", "报表 第4行",
                      "3", 30000, 9000)
    (x,) = second_tranches(2023, [line], {}, {}, set()).exclusions
    assert (x.code, x.tranche, x.entry_year, x.source) == ("J106", 2, 2022, "报表 第4行")
    assert "天元区尚无2023年已受理的报表" in x.reason
