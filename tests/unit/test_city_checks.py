"""The province's checks of a 市州's summary, one rule at a time (toolkit/domain/city_checks.py): each fires at its
boundary and stays quiet just inside it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from toolkit.demo.hunan_policy import hunan_policy
from toolkit.domain.city_checks import check_city_summary
from toolkit.domain.city_summary import CitySummary, ListedRow, SummaryDigest, UnitDigest, UnitRow
from toolkit.domain.periods import Period

POLICY = hunan_policy()
JUNE = Period(2022, 6)
XIANGTAN = POLICY.find_county("湘潭市")
MEMBERS = [m.name for m in XIANGTAN.members]


def _row(i: int, unit: str, *, new: int = 1, exits: int = 0, status: str = "已受理", target: int | None = None,
         net_target: int | None = None) -> UnitRow:
    return UnitRow(unit, status, new, 0, 0, new, exits, target, net_target, 0, row=5 + i)


def _listed(kind: str, unit: str, n: int) -> list[ListedRow]:
    return [ListedRow(kind, unit, f"91430300MA4L{n:04d}{i:02d}", f"湘潭某企业{i}", "小升规", "2022-03", {}, "计入",
                      f"{unit}_2022-06.xlsx", 4 + i, "ab" * 32, "新增明细" if kind == "entry" else "退库明细", 4 + i)
            for i in range(n)]


def _summary(units=None, *, digest: dict | None = None, targets=None) -> CitySummary:
    targets = targets or {}
    units = units or [_row(i, name, target=targets.get(name)) for i, name in enumerate(MEMBERS)]
    unit_digest = {u.unit: UnitDigest(u.status, u.new, u.exits, 0, u.target, u.net_target, "", "") for u in units}
    fields = dict(region="湘潭市", unit_label="县市区", total_label="全市", plan_title="", period="2022-06",
                  policy_sha256="0" * 64, builtin=False, closed_at="2022-07-20 10:00:00", closed_reason="通报已印发",
                  units=unit_digest)
    fields.update(digest or {})
    summary = CitySummary("湘潭市规上工业企业汇总表_2022-06.xlsx", SummaryDigest(**fields), "全市", list(units),
                          columns={"unit": 0, "status": 1, "new": 5, "exits": 6})
    for u in units:
        summary.entries += _listed("entry", u.unit, u.new or 0)
        summary.exits += _listed("exit", u.unit, u.exits or 0)
    return summary


def codes(summary: CitySummary) -> list[str]:
    return sorted(f.code for f in check_city_summary(summary, POLICY, JUNE, XIANGTAN))


def test_a_closed_summary_of_all_its_counties_with_matching_lists_is_clean():
    assert codes(_summary()) == []


def test_a_county_of_another_city_or_a_missing_one_is_named():
    units = [_row(0, "芙蓉区"), *(_row(i + 1, n) for i, n in enumerate(MEMBERS[1:]))]
    found = check_city_summary(_summary(units), POLICY, JUNE, XIANGTAN)
    assert sorted(f.code for f in found) == ["E302", "E303"]
    e302 = next(f for f in found if f.code == "E302")
    assert e302.cell == "A5" and "“芙蓉区”不是湘潭市所辖的县市区" in e302.message
    assert f"没有湘潭市所辖的“{MEMBERS[0]}”" in next(f for f in found if f.code == "E303").message


@pytest.mark.parametrize("key, shown, listed, fires", [("new", 3, 3, False), ("new", 3, 2, True),
                                                       ("exits", 1, 1, False), ("exits", 2, 1, True)])
def test_the_overview_equals_the_count_of_each_countys_counted_rows(key, shown, listed, fires):
    units = [_row(i, n) for i, n in enumerate(MEMBERS)]
    units[0] = replace(units[0], **{key: shown})
    summary = _summary(units)
    kind = "entry" if key == "new" else "exit"
    own = [r for r in (summary.entries if kind == "entry" else summary.exits) if r.unit != MEMBERS[0]]
    rows = own + _listed(kind, MEMBERS[0], listed)
    if kind == "entry":
        summary.entries = rows
    else:
        summary.exits = rows
    assert ("E304" in codes(summary)) is fires
    if fires:  # the cell of the figure: 新增合计 in F, 退库 in G, on the county's row
        (found,) = [f for f in check_city_summary(summary, POLICY, JUNE, XIANGTAN) if f.code == "E304"]
        assert found.cell == ("F5" if key == "new" else "G5")


def test_a_figure_changed_after_the_summary_was_made_is_told_by_its_digest():
    summary = _summary()
    summary.units[1] = replace(summary.units[1], new=2)
    summary.entries += _listed("entry", MEMBERS[1], 1)[:1]  # the lists agree with the edit, the digest does not
    summary.entries[-1] = replace(summary.entries[-1], uscc="91430300MA4L999999")
    (found,) = [f for f in check_city_summary(summary, POLICY, JUNE, XIANGTAN) if f.code == "E304"]
    assert "生成汇总表时的 1（汇总表生成后被改动过）" in found.message


@pytest.mark.parametrize("offset, fires", [(0, False), (1, False), (-1, True)])
def test_the_counties_targets_below_the_provinces_are_told(offset, fires):
    given = POLICY.new_target("湘潭市", 2022)
    split = [given // len(MEMBERS)] * len(MEMBERS)
    split[0] += given - sum(split) + offset
    summary = _summary(targets=dict(zip(MEMBERS, split)))
    assert ("W305" in codes(summary)) is fires


@pytest.mark.parametrize("digest, code", [({"builtin": True}, "E307"), ({"closed_at": ""}, "W309"),
                                          ({"region": "株洲市"}, "E004"), ({"period": "2022-03"}, "E005")])
def test_what_the_digest_says_of_the_summary(digest, code):
    assert codes(_summary(digest=digest)) == [code]
    (found,) = check_city_summary(_summary(digest=digest), POLICY, JUNE, XIANGTAN)
    assert found.cell == ("A1" if code in ("E004", "E005") else "")  # the title that names the region and period


def test_a_county_the_city_returned_is_told_to_the_province_only():
    units = [_row(i, n) for i, n in enumerate(MEMBERS)]
    units[2] = replace(units[2], status="被退回", new=None, exits=None)
    found = check_city_summary(_summary(units), POLICY, JUNE, XIANGTAN)
    assert [(f.code, f.advisory, f.cell) for f in found] == [("W308", True, "B7")]
