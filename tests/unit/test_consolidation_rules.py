"""Consolidation rules as tables: the register, cross-file checks, figures, ranking and assessment."""

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples, valid_uscc
from toolkit.domain.assessment import CRITICISE, NEITHER, PRAISE, assess
from toolkit.domain.cross_checks import Prior, cross_check
from toolkit.domain.figures import ACCEPTED, MISSING, REJECTED, county_figures, rank, rank_by_completion
from toolkit.domain.periods import Period
from toolkit.domain.policy import AssessmentRules
from toolkit.domain.register import (Holder, Listing, Source, Submitted, contested, counted_entries, effective,
                                     register_at, register_rows)

FIRM_A, FIRM_B, FIRM_C = valid_uscc(body="MA4LAAAA1"), valid_uscc(body="MA4LBBBB2"), valid_uscc(body="MA4LCCCC3")


def listing(kind, uscc, county, period, month, row=4, code=None):
    period = Period.parse(period)
    return Listing(kind, uscc, f"企业{uscc[-4:]}", county, period, Period.parse(month),
                   code or ("新建投产" if kind == "entry" else "停产"),
                   Source(f"{county}_{period}.xlsx", "ab" * 32, "新增入规企业" if kind == "entry" else "退库企业", row))


def submitted(county, period, entries=(), exits=(), sid=1):
    return Submitted(sid, county, Period.parse(period), f"{county}_{period}.xlsx", "ab" * 32,
                     tuple(listing("entry", u, county, period, m, 4 + i) for i, (u, m) in enumerate(entries)),
                     tuple(listing("exit", u, county, period, m, 4 + i) for i, (u, m) in enumerate(exits)))


def named(sub, name):
    """``sub`` with its first entry under ``name`` (the same firm in two periods, whatever its code)."""
    first, *rest = sub.entries
    return replace(sub, entries=(replace(first, name=name), *rest))


# --- the register ---------------------------------------------------------------------------------

def test_effective_list_is_the_latest_period_of_the_year():
    march, june = submitted("天元区", "2022-03", [(FIRM_A, "2022-01")]), submitted("天元区", "2022-06", [(FIRM_A, "2022-01"), (FIRM_B, "2022-05")])
    assert effective([june, march])[("天元区", 2022)] is june


def test_register_at_year_start_follows_entries_and_exits_in_order():
    y2022 = submitted("天元区", "2022-12", [(FIRM_A, "2022-02"), (FIRM_B, "2022-03")], [(FIRM_B, "2022-10")])
    state = register_at({}, [y2022], 2023)
    assert set(state) == {FIRM_A} and state[FIRM_A].county == "天元区" and state[FIRM_A].since == "2022-02"
    assert register_at({}, [y2022], 2022) == {}  # nothing of 2022 counts before 2022


def test_register_starts_from_the_starting_list():
    start = {FIRM_C: Holder("醴陵市", "规划起始名录")}
    y2022 = submitted("醴陵市", "2022-12", exits=[(FIRM_C, "2022-05")])
    assert register_at(start, [], 2022) == start
    assert register_at(start, [y2022], 2023) == {}


def test_contested_and_attribution():
    tianyuan = submitted("天元区", "2022-06", [(FIRM_A, "2022-03"), (FIRM_B, "2022-04")])
    zone = submitted("株洲经开区", "2022-06", [(FIRM_A, "2022-03")])
    disputed = contested([tianyuan, zone])
    assert set(disputed) == {FIRM_A}
    counted, pending, elsewhere = counted_entries(tianyuan, disputed, {})
    assert [x.uscc for x in counted] == [FIRM_B] and [x.uscc for x in pending] == [FIRM_A] and elsewhere == []
    decided = {(FIRM_A, 2022): "天元区"}
    assert len(counted_entries(tianyuan, disputed, decided)[0]) == 2
    assert [x.uscc for x in counted_entries(zone, disputed, decided)[2]] == [FIRM_A]


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["天元区", "株洲经开区", "醴陵市"]),
                          st.lists(st.sampled_from([FIRM_A, FIRM_B, FIRM_C]), max_size=4)), max_size=5))
def test_contested_is_every_claim_of_a_firm_two_counties_claim(claims):
    """The one-pass ``contested`` says what its definition says: each USCC claimed by two or more counties in the
    submissions, with every claim in the order the submissions list them, the USCCs in the order first claimed."""
    subs = [submitted(county, "2022-06", [(uscc, "2022-03") for uscc in firms], sid=n)
            for n, (county, firms) in enumerate(claims)]
    every: dict[str, list] = {}
    for sub in subs:
        for entry in sub.entries:
            every.setdefault(entry.uscc, []).append(entry)
    expected = {uscc: rows for uscc, rows in every.items() if len({r.county for r in rows}) > 1}
    found = contested(iter(subs))  # any iterable, read once
    assert list(found.items()) == list(expected.items())


@pytest.mark.parametrize("key", ["entries", "exits"])
def test_listings_from_list_rows(key):
    """listings_of reads the month (a text from the store, a period from a fresh workbook, None when unreadable)
    and the code of each row; the listings keep their fields in slots (no dictionary per listing)."""
    import dataclasses

    from toolkit.domain.register import listings_of

    month_key, code_key = ("entry_month", "entry_kind") if key == "entries" else ("exit_month", "exit_reason")
    rows = [("新增入规企业", 5, FIRM_A, "甲公司", {month_key: "2022-03", code_key: "新建投产", "revenue": 2100.5}),
            ("新增入规企业", 6, FIRM_B, "乙公司", {month_key: Period(2022, 4), code_key: None}),
            ("新增入规企业", 7, FIRM_C, "丙公司", {month_key: "不是月份"})]
    made = listings_of(key, rows, "天元区", Period(2022, 6), "天元区.xlsx", "ab" * 32)
    assert [(x.kind, x.month, x.code) for x in made] == [
        ("entry" if key == "entries" else "exit", Period(2022, 3), "新建投产"),
        ("entry" if key == "entries" else "exit", Period(2022, 4), ""), ("entry" if key == "entries" else "exit", None, "")]
    assert [x.source for x in made] == [Source("天元区.xlsx", "ab" * 32, "新增入规企业", n) for n in (5, 6, 7)]
    assert all(x.values is row[4] for x, row in zip(made, rows))
    for record in (made[0], made[0].source):
        assert not hasattr(record, "__dict__")
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, dataclasses.fields(record)[0].name, "改")


def test_register_rows_keep_sources_and_pending_owner():
    tianyuan = submitted("天元区", "2022-06", [(FIRM_A, "2022-03")], [(FIRM_C, "2022-05")])
    zone = submitted("株洲经开区", "2022-06", [(FIRM_A, "2022-03")], sid=2)
    rows = register_rows([tianyuan, zone], {})
    by_uscc = {r.uscc: r for r in rows}
    assert by_uscc[FIRM_A].county == "" and by_uscc[FIRM_A].entry_source.endswith("第4行")
    assert by_uscc[FIRM_C].exit_period == "2022-05" and by_uscc[FIRM_C].entry_period == ""
    assert {r.uscc: r.county for r in register_rows([tianyuan, zone], {(FIRM_A, 2022): "株洲经开区"})}[FIRM_A] == "株洲经开区"


# --- cross-file checks ----------------------------------------------------------------------------

def prior(**changes):
    return replace(Prior(register={}, entered_this_year={}, has_starting_list=False), **changes)


@pytest.mark.parametrize("case, sub, context, codes", [
    ("clean", submitted("天元区", "2023-03", [(FIRM_B, "2023-01")]), prior(), []),
    ("entry already in register from an earlier year",
     submitted("荷塘区", "2023-03", [(FIRM_A, "2023-01")]),
     prior(register={FIRM_A: Holder("荷塘区", "2022-02", "企业", "荷塘区_2022-12.xlsx 新增入规企业 第5行")}), ["E201"]),
    ("entry in register of another county",
     submitted("芦淞区", "2023-03", [(FIRM_A, "2023-01")]), prior(register={FIRM_A: Holder("荷塘区", "2022-02")}),
     ["E201"]),
    ("exit unknown without a starting list", submitted("石峰区", "2023-03", exits=[(FIRM_C, "2023-02")]), prior(),
     ["W204"]),
    ("exit unknown with a starting list", submitted("石峰区", "2023-03", exits=[(FIRM_C, "2023-02")]),
     prior(has_starting_list=True), ["E203"]),
    ("exit of another county's firm", submitted("石峰区", "2023-03", exits=[(FIRM_C, "2023-02")]),
     prior(register={FIRM_C: Holder("荷塘区", "2022-02")}), ["W207"]),
    ("exit of a firm two other counties both report as new this year: W207 names both, whichever came last",
     submitted("石峰区", "2022-06", exits=[(FIRM_A, "2022-05")]),
     prior(entered_this_year={FIRM_A: listing("entry", FIRM_A, "株洲经开区", "2022-06", "2022-03")},
           disputed={FIRM_A: [listing("entry", FIRM_A, "天元区", "2022-06", "2022-03"),
                              listing("entry", FIRM_A, "株洲经开区", "2022-06", "2022-03")]}),
     [("W207", "天元区、株洲经开区（均报为新增，归属待认定）")]),
    ("exit of a disputed firm the city attributed to another county", submitted("石峰区", "2022-06",
                                                                         exits=[(FIRM_A, "2022-05")]),
     prior(entered_this_year={FIRM_A: listing("entry", FIRM_A, "株洲经开区", "2022-06", "2022-03")},
           disputed={FIRM_A: [listing("entry", FIRM_A, "天元区", "2022-06", "2022-03"),
                              listing("entry", FIRM_A, "株洲经开区", "2022-06", "2022-03")]},
           attributions={(FIRM_A, 2022): "天元区"}), [("W207", "天元区")]),
    ("exit of a disputed firm by one of its claimants", submitted("天元区", "2022-06", exits=[(FIRM_A, "2022-05")]),
     prior(entered_this_year={FIRM_A: listing("entry", FIRM_A, "株洲经开区", "2022-06", "2022-03")},
           disputed={FIRM_A: [listing("entry", FIRM_A, "天元区", "2022-06", "2022-03"),
                              listing("entry", FIRM_A, "株洲经开区", "2022-06", "2022-03")]}), []),
    ("exit of own firm", submitted("荷塘区", "2023-03", exits=[(FIRM_C, "2023-02")]),
     prior(register={FIRM_C: Holder("荷塘区", "2022-02")}), []),
    ("entry vanished from the year-to-date list", submitted("攸县", "2022-06", [(FIRM_B, "2022-04")]),
     prior(previous=submitted("攸县", "2022-03", [(FIRM_A, "2022-01")])), ["E205"]),
    ("a double claim settled: dropped while another county keeps it",
     submitted("株洲经开区", "2022-12", [(FIRM_B, "2022-04")]),
     prior(previous=submitted("株洲经开区", "2022-06", [(FIRM_A, "2022-03")]),
           claimants={FIRM_A: frozenset({"天元区"})}), ["W212"]),
    ("dropped after the city attributed it to another county",
     submitted("株洲经开区", "2022-12", [(FIRM_B, "2022-04")]),
     prior(previous=submitted("株洲经开区", "2022-06", [(FIRM_A, "2022-03")]),
           attributions={(FIRM_A, 2022): "天元区"}), ["W212"]),
    ("dropped, and nobody else has it: it vanished", submitted("株洲经开区", "2022-12", [(FIRM_B, "2022-04")]),
     prior(previous=submitted("株洲经开区", "2022-06", [(FIRM_A, "2022-03")]),
           claimants={FIRM_A: frozenset({"株洲经开区"})}), ["E205"]),
    ("the same firm under another code (a typo): one W213 at its row, no E205",
     named(submitted("茶陵县", "2022-06", [(FIRM_B, "2022-01")]), "茶陵恒达机械有限公司"),
     prior(previous=named(submitted("茶陵县", "2022-03", [(FIRM_A, "2022-01")]), "茶陵恒达机械有限公司 ")), ["W213"]),
    ("entry moved to exits", submitted("攸县", "2022-06", exits=[(FIRM_A, "2022-05")]),
     prior(previous=submitted("攸县", "2022-03", [(FIRM_A, "2022-01")]), entered_this_year={FIRM_A: Holder("攸县", "2022-01")}),
     []),
    ("claimed by two counties", submitted("天元区", "2022-06", [(FIRM_A, "2022-03")]),
     prior(disputed={FIRM_A: [listing("entry", FIRM_A, "天元区", "2022-06", "2022-03"),
                              listing("entry", FIRM_A, "株洲经开区", "2022-06", "2022-03")]}), ["W202"]),
    ("attributed to the other county", submitted("天元区", "2022-06", [(FIRM_A, "2022-03")]),
     prior(disputed={FIRM_A: [listing("entry", FIRM_A, "天元区", "2022-06", "2022-03"),
                              listing("entry", FIRM_A, "株洲经开区", "2022-06", "2022-03")]},
           attributions={(FIRM_A, 2022): "株洲经开区"}), ["W206"]),
])
def test_cross_checks(case, sub, context, codes):
    """``codes``: each finding's code, or (code, words its message must hold)."""
    findings = cross_check(sub, context)
    assert [f.code for f in findings] == [c[0] if isinstance(c, tuple) else c for c in codes], case
    for finding, code in zip(findings, codes):
        if isinstance(code, tuple):
            assert code[1] in finding.message, case
    for finding in findings:
        assert finding.file == sub.file and finding.message
        if finding.code not in ("E205", "W212"):  # about a row of an earlier file: no cell of this one
            assert finding.row == 4 and finding.cell == "A4"
        assert finding.blocking == finding.code.startswith("E")  # cross-file 提示 are for the city, never block


def test_e201_names_holder_and_source():
    sub = submitted("荷塘区", "2023-03", [(FIRM_A, "2023-01")])
    (finding,) = cross_check(sub, prior(register={FIRM_A: Holder("荷塘区", "2022-02", "企业", "荷塘区_2022-12.xlsx 新增入规企业 第5行")}))
    assert "2022-02" in finding.message and "荷塘区_2022-12.xlsx 新增入规企业 第5行" in finding.message


# --- figures and assessment ----------------------------------------------------------------------

def figures(policy, county, new, exits=0, status=ACCEPTED, month=6, year=2022):
    period = Period(year, month)
    if status != ACCEPTED:
        return county_figures(policy, period, county, status, errors=3)
    entries = [listing("entry", valid_uscc(body=f"MA4L{county.encode().hex()[:2].upper()}{i:03d}"), county,
                       str(period), f"{year}-01") for i in range(new)]
    exited = [listing("exit", FIRM_C, county, str(period), f"{year}-02") for _ in range(exits)]
    return county_figures(policy, period, county, ACCEPTED, entries=entries, exits=exited)


def test_completion_gap_and_net(policy):
    f = figures(policy, "天元区", 31, exits=3)  # target 50 in 2022
    assert (f.new, f.exits, f.net, f.target) == (31, 3, 28, 50)
    assert f.completion == pytest.approx(0.62) and f.gap_points == pytest.approx(12.0)
    assert f.net_target == 30 and f.net_completion == pytest.approx(28 / 30)


def test_rank_is_by_completion_rate_with_ties(policy):
    ranked = rank_by_completion([figures(policy, "天元区", 40), figures(policy, "荷塘区", 18),
                                 figures(policy, "芦淞区", 18), figures(policy, "攸县", 0, status=MISSING)])
    assert [f.rank for f in ranked] == [3, 1, 1, None]  # 40/50 = 80% ranks below 18/18 despite more entries


def _decide(policy, rows, month=6):
    period = Period(2022, month)
    ranked = rank_by_completion(rows)
    return {d.county: d for d in assess(policy, period, ranked)}


def test_praise_and_criticism_defaults(policy):
    rows = [figures(policy, "天元区", 31, exits=3), figures(policy, "荷塘区", 12), figures(policy, "芦淞区", 2),
            figures(policy, "石峰区", 8), figures(policy, "攸县", 0, status=MISSING),
            figures(policy, "茶陵县", 0, status=REJECTED), figures(policy, "炎陵县", 1, exits=2)]
    decisions = _decide(policy, rows)
    assert decisions["荷塘区"].outcome == PRAISE  # 66.7% is first
    assert decisions["天元区"].outcome == PRAISE
    # every reason cites the three numbers the plan focuses on: completion, new, net (#18)
    assert decisions["天元区"].reason == ("天元区 完成率 62.0%，超时序进度 12.0 个百分点，新增 31 家，净增 28 家，"
                                        "完成率居已受理单位第 2/5")
    assert decisions["石峰区"].outcome == NEITHER  # 44.4%: behind, but not by more than 20 points
    assert decisions["芦淞区"].outcome == CRITICISE and "落后时序进度 38.9 个百分点" in decisions["芦淞区"].reason
    assert decisions["攸县"].outcome == CRITICISE and "未报送" in decisions["攸县"].reason
    assert decisions["茶陵县"].outcome == CRITICISE and "错误 3 条" in decisions["茶陵县"].reason
    assert decisions["炎陵县"].outcome == CRITICISE and "净增为负" in decisions["炎陵县"].reason


def test_the_policy_can_weigh_new_and_net_entries_with_the_completion_rate(policy):
    """The seed's 聚焦净增数、新增数、目标完成率: with weights 新增数 40%、净增数 30%、完成率 30%, each measure is
    scored against the best accepted county and a county with a large target can lead; by default it cannot."""
    rows = [figures(policy, "天元区", 31, exits=3), figures(policy, "荷塘区", 12), figures(policy, "芦淞区", 2),
            figures(policy, "炎陵县", 1, exits=2), figures(policy, "攸县", 0, status=MISSING)]
    by_rate = {f.county: f for f in rank(rows, policy.assessment)}
    assert (by_rate["荷塘区"].rank, by_rate["天元区"].rank, by_rate["天元区"].score) == (1, 2, None)
    rules = replace(policy.assessment, weight_new=0.4, weight_net=0.3, weight_completion=0.3)
    weighted = {f.county: f for f in rank(rows, rules)}
    # 天元区: new 31/31, net 28/28, completion 62.0%/66.7% → 100 × (0.4 + 0.3 + 0.3 × 0.93) = 97.9
    assert (weighted["天元区"].rank, weighted["天元区"].score) == (1, 97.9)
    # 荷塘区: 12/31, 12/28, 66.7%/66.7% → 100 × (0.4 × 0.387 + 0.3 × 0.429 + 0.3) = 58.3
    assert (weighted["荷塘区"].rank, weighted["荷塘区"].score) == (2, 58.3)
    # 炎陵县: new 1/31, net −1 counts as 0, completion 5.6%/66.7% → 100 × (0.4 × 0.032 + 0 + 0.3 × 0.083) = 3.8
    assert weighted["炎陵县"].score == 3.8 and weighted["攸县"].rank is None
    assert [weighted[c].ranked for c in ("天元区", "炎陵县")] == [4, 4]
    decisions = {d.county: d for d in assess(replace(policy, assessment=rules), Period(2022, 6), list(weighted.values()))}
    assert decisions["天元区"].outcome == PRAISE
    assert "综合得分 97.9（新增数40%、净增数30%、目标完成率30%），居已受理单位第 1/4" in decisions["天元区"].reason


def test_reporting_is_criticised_only_after_the_resubmission_deadline(policy):
    """#18: 退回 → 催报 → 批评. The sample calendar: 2022-06 due 2022-07-08 (a Friday), 3 working days → 07-13."""
    rows = rank_by_completion([figures(policy, "芦淞区", 2), figures(policy, "攸县", 0, status=MISSING),
                               figures(policy, "茶陵县", 0, status=REJECTED)])
    on_time = {d.county: d for d in assess(policy, Period(2022, 6), rows, dt.date(2022, 7, 13))}
    assert on_time["攸县"].outcome == NEITHER and "补报期限至 2022-07-13，期满前不批评" in on_time["攸县"].reason
    assert on_time["茶陵县"].outcome == NEITHER
    assert on_time["芦淞区"].outcome == CRITICISE  # figures accepted: progress is judged on the day
    late = {d.county: d for d in assess(policy, Period(2022, 6), rows, dt.date(2022, 7, 14))}
    assert late["攸县"].outcome == CRITICISE and late["茶陵县"].outcome == CRITICISE
    no_calendar = {d.county: d for d in assess(replace(policy, calendar=()), Period(2022, 6), rows, dt.date(2022, 7, 9))}
    assert no_calendar["攸县"].outcome == CRITICISE  # without a calendar entry nothing to wait for


def test_no_criticism_outside_the_criticism_months(policy):
    rows = [figures(policy, "芦淞区", 0, month=5), figures(policy, "攸县", 0, status=MISSING, month=5)]
    decisions = _decide(replace(policy, calendar=()), rows, month=5)  # the rule itself, without a 月度调度 entry
    assert decisions["芦淞区"].outcome == NEITHER and "批评只在 3、6、9、12 月作出" in decisions["芦淞区"].reason
    assert decisions["攸县"].outcome == NEITHER


def test_thresholds_change_outcomes_without_code(policy):
    strict = replace(policy, assessment=AssessmentRules(criticise_behind_points=5.0, praise_min_lead_points=15.0))
    rows = [figures(strict, "天元区", 31), figures(strict, "石峰区", 8)]
    decisions = _decide(strict, rows)
    assert decisions["天元区"].outcome == NEITHER  # 12 points ahead < 15 required
    assert decisions["石峰区"].outcome == CRITICISE  # 5.6 points behind > 5
