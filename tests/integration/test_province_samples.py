"""The province sample year (#39): the 14 市州's summaries of 2022-06 and 2022-12, each consolidated by the real
``consolidate`` from its 县市区' generated reports (株洲市's from the shipped city samples), with the planted cases a
province story checks — one 市州 late, one firm claimed by two 市州, one 市州's targets below the province's, one 市州
that has not accepted a county's report — and a province workspace that takes the 2022-12 summaries in."""

from __future__ import annotations

import shutil
from collections import Counter

import pytest

from toolkit.adapters.policy_workbook import write_policy
from toolkit.adapters.workbook_file import read_sheets
from toolkit.domain.policy_parsing import parse_policy
from toolkit.demo import province_samples as P
from toolkit.demo.hunan_policy import hunan_policy
from toolkit.domain.city_summary import SUMMARY_LAYOUT, read_city_summary, read_digest
from toolkit.domain.periods import Period
from toolkit.domain.stamp import STAMP_SHEET, FileKind, Stamp
from toolkit.domain.uscc import with_check_character
from toolkit.services import consolidation
from toolkit.services.workspace import init_workspace

JUNE, YEAR_END = Period(2022, 6), Period(2022, 12)


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    return P.province_year(tmp_path_factory.mktemp("province") / "省样例")


@pytest.fixture(scope="module")
def read(year):
    """Each summary as the province reads it: (市州, period) -> CitySummary."""
    from toolkit.domain.city_report import LAYOUT

    out = {}
    for key, path in year.summaries.items():
        sheets = read_sheets(path)
        by_template = key[0] in P.BY_TEMPLATE
        out[key] = read_city_summary(sheets, path.name, None if by_template else sheets[STAMP_SHEET],
                                     LAYOUT if by_template else SUMMARY_LAYOUT)
    return out


@pytest.fixture(scope="module")
def province_run(year, tmp_path_factory):
    """The 2022-12 summaries received on time, consolidated in a province workspace."""
    workspace, _ = init_workspace(tmp_path_factory.mktemp("province_ws") / "省工作区")
    write_policy(workspace.policy_path, hunan_policy())
    for path in sorted((year.folder / P.SUMMARIES_DIR / str(YEAR_END)).glob("*.xlsx")):
        shutil.copyfile(path, workspace.inbox / path.name)
    return workspace, consolidation.consolidate(workspace, YEAR_END, parallel=False)


def test_a_citys_policy_is_its_counties_with_the_provinces_targets_split_and_still_marked_as_examples(tmp_path):
    province = hunan_policy()
    for unit in province.counties:
        if unit.name == P.ZHUZHOU:
            continue
        policy = P.city_policy_of(province, unit)
        path = write_policy(tmp_path / f"{unit.name}.xlsx", policy)
        back, found = parse_policy(read_sheets(path), path.name)
        assert found == [] and back.region == unit.name and back.level == policy.level
        assert [(c.name, c.division_code, c.uscc_prefixes) for c in back.counties] == \
            [(m.name, m.division_code, m.uscc_prefixes) for m in unit.members]
        new = sum(back.new_target(c.name, 2022) for c in back.counties)
        net = sum(back.net_target(c.name, 2022) for c in back.counties)
        assert net == province.net_target(unit.name, 2022) and new == back.total_new_targets[2022]
        assert new == (round(province.new_target(unit.name, 2022) * P.LOW_SHARE) if unit.name == P.LOW_TARGETS
                       else province.new_target(unit.name, 2022))
        assert {m.sheet for m in back.examples} >= {"目标附件", "净增目标", "发文设置", "报送日历"}
        assert all("株洲" not in d.mark + d.recipients + d.address for d in back.documents)
    assert P.city_policy_of(province, province.find_county("衡阳市")).documents[0].number_prefix == "衡工信发"


def test_every_city_has_a_summary_of_each_period_the_late_one_in_its_own_folder(year):
    units = [u.name for u in hunan_policy().counties]
    assert len(units) == 14 and set(year.summaries) == {(u, p) for u in units for p in (JUNE, YEAR_END)}
    root = year.folder / P.SUMMARIES_DIR
    on_time = {p: sorted(f.name for f in (root / str(p)).glob("*.xlsx")) for p in (JUNE, YEAR_END)}
    late_unit, late_period = year.late
    assert (late_unit, late_period) == ("衡阳市", YEAR_END)
    assert len(on_time[JUNE]) == 14 and len(on_time[YEAR_END]) == 13
    assert not any(name.startswith(late_unit) for name in on_time[YEAR_END])
    (late,) = (root / f"{late_period}补报").glob("*.xlsx")
    assert late == year.summaries[year.late] and late.name == f"{late_unit}规上工业企业汇总表_2022-12.xlsx"


def test_each_summary_names_its_city_and_period_and_was_made_from_that_citys_own_policy(year, read):
    for (unit, period), summary in read.items():
        if unit in P.BY_TEMPLATE:  # a 市州 without guishang: the template, its stamp naming it, no digest
            stamp = Stamp.from_rows(read_sheets(year.summaries[unit, period])[STAMP_SHEET])
            assert (stamp.kind, stamp.county, stamp.period) == (FileKind.CITY_REPORT, unit, str(period))
            assert summary.digest is None and not summary.findings and summary.entries
            continue
        digest = read_digest(read_sheets(year.summaries[unit, period])[STAMP_SHEET])
        assert digest is not None and digest == summary.digest
        assert (digest.region, digest.period, digest.unit_label) == (unit, str(period), "县市区"), year.summaries[
            unit, period]
        assert not digest.builtin and len(digest.policy_sha256) == 64
        assert not summary.findings, (unit, period, summary.findings)
        members = {m.name for m in hunan_policy().find_county(unit).members}
        assert {u.unit for u in summary.units} == members
    # a 市州's firms carry its name and codes of its counties' areas, with valid check characters
    hengyang = read["衡阳市", YEAR_END]
    prefixes = {m.name: m.uscc_prefixes for m in hunan_policy().find_county("衡阳市").members}
    assert hengyang.entries and all(row.name.startswith("衡阳") for row in hengyang.entries + hengyang.exits)
    assert all(row.uscc[2:8] in prefixes[row.unit] and with_check_character(row.uscc[:17]) == row.uscc
               for row in hengyang.entries + hengyang.exits)
    assert all(row.name.startswith("湘西") for row in read["湘西土家族苗族自治州", JUNE].entries)


def test_clean_cities_accepted_every_countys_report(year, read):
    for (unit, period), summary in read.items():
        statuses = Counter(u.status for u in summary.units)
        if (unit, period) == (year.unaccepted[0], year.unaccepted[2]):
            assert statuses == {"已受理": len(summary.units) - 1, "被退回": 1}
            assert next(u for u in summary.units if u.status != "已受理").unit == year.unaccepted[1]
        elif (unit, period) == ("株洲市", JUNE):  # the city demo's own: 茶陵县 and 攸县 returned
            assert statuses == {"已受理": 8, "被退回": 2}
        else:  # a template's 县市区 are as the 市州 typed them: from its own consolidation, all accepted
            assert set(statuses) == {"已受理"}, (unit, period, statuses)
    assert year.cases[year.unaccepted[0]] and year.cases["益阳市"] == ""


def test_the_double_claimed_firm_is_counted_by_two_cities(year, read):
    uscc, name, claims = year.double_claim
    assert [unit for unit, _ in claims] == ["长沙市", "湘潭市"] and uscc.startswith("91430121")
    for period in (JUNE, YEAR_END):
        holders = {(unit, row.unit) for (unit, p), summary in read.items() if p == period
                   for row in summary.entries if row.uscc == uscc}
        assert holders == set(claims), (period, holders)
    assert any(row.name == name for row in read["湘潭市", YEAR_END].entries)


def test_the_low_target_citys_county_targets_add_up_below_the_provinces(year, read):
    province = hunan_policy()
    for (unit, period), summary in read.items():
        total = sum(u.target for u in summary.units)
        given = province.new_target(unit, period.year)
        if unit == year.low_targets:
            assert total < given and total == round(given * P.LOW_SHARE), (total, given)
        else:
            assert total >= given, (unit, total, given)


def test_the_province_holds_the_double_claim_and_hears_of_the_late_the_low_and_the_unaccepted(year, read,
                                                                                            province_run):
    workspace, run = province_run
    summary = run.summary
    statuses = {f.county: f.status for f in summary.counties}
    assert len(statuses) == 14
    assert [unit for unit, status in statuses.items() if status != "已受理"] == [year.late[0]]
    assert statuses[year.late[0]] == "未报送"
    uscc = year.double_claim[0]
    held = [f for f in summary.findings if f.code == "W202"]
    assert sorted(f.file.split("规上")[0] for f in held) == ["湘潭市", "长沙市"]
    rows = [d for d in summary.entries if d.listing.uscc == uscc]
    assert sorted(d.listing.county for d in rows) == ["湘潭市", "长沙市"] and {d.counted for d in rows} == {"待认定"}
    assert {(d.listing.county, d.listing.values["sub_unit"]) for d in rows} == set(year.double_claim[2])
    (claim,) = summary.pending
    assert claim.uscc == uscc and sorted(c.county for c in claim.claims) == ["湘潭市", "长沙市"]
    pending = {f.county: f.pending for f in summary.counties}
    assert pending["长沙市"] == pending["湘潭市"] == 1 and sum(pending.values()) == 2
    (low,) = [f for f in summary.findings if f.code == "W305"]
    assert low.file.startswith(year.low_targets)
    (unaccepted,) = [f for f in summary.findings if f.code == "W308"]
    assert unaccepted.file.startswith(year.unaccepted[0]) and year.unaccepted[1] in unaccepted.message
    others = Counter(f.code for f in summary.findings if f.code not in ("W202", "W305", "W308"))
    # without the province's starting register, an exit cannot be checked (W204); no 市州 has closed 2022-12 (W309)
    # (a template has no digest: 11 summaries, the late one not yet in)
    assert set(others) == {"W204", "W309"} and others["W309"] == 13 - len(P.BY_TEMPLATE)
    by_template = {f.county: f for f in summary.counties if f.county in P.BY_TEMPLATE}
    for unit, figures in by_template.items():  # counted as a summary is: its own lists
        assert (figures.status, figures.new) == ("已受理", len(read[unit, YEAR_END].entries)), unit
    # the late summary arrives: the province takes it in as any other, and every 市州 is counted
    shutil.copyfile(year.summaries[year.late], workspace.inbox / year.summaries[year.late].name)
    again = consolidation.consolidate(workspace, YEAR_END, parallel=False).summary
    assert {f.status for f in again.counties} == {"已受理"}
    hengyang = next(f for f in again.counties if f.county == year.late[0])
    late = read[year.late]
    assert (hengyang.new, hengyang.exits) == (len(late.entries), len(late.exits)) and hengyang.new > 200


def test_running_again_gives_the_same_lists(year, read, tmp_path):
    """Deterministic: a 市州 generated again (alone, without the process pool) lists the same firms and counts."""
    again = P._unit_year("湘潭市", (JUNE,), tmp_path, None)  # only 株洲市 reads the city samples
    (period, path), = again
    sheets = read_sheets(path)
    other = read_city_summary(sheets, path.name, sheets[STAMP_SHEET])
    first = read["湘潭市", JUNE]

    def rows(summary):
        return [(r.unit, r.uscc, r.name, r.code, r.month, r.values) for r in summary.entries + summary.exits]

    assert rows(other) == rows(first) and other.units == first.units and other.digest.units == first.digest.units
