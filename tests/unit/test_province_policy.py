"""The province level in the policy: Hunan's 14 市州 with their 122 县市区, the level row, the members sheet and
its checks (P001, P004, P008, P012-P014), and a city workbook read as before."""

from __future__ import annotations

import copy

import pytest

from conftest import ROOT
from toolkit.adapters.workbook_file import read_sheets
from toolkit.demo.hunan_policy import hunan_policy
from toolkit.demo.zhuzhou_policy import zhuzhou_policy
from toolkit.domain import policy_layout as L
from toolkit.domain.level import Level
from toolkit.domain.policy_parsing import parse_policy
from toolkit.domain.tables import find_label

RESOURCES = ROOT / "toolkit" / "resources"
PROVINCE_SHEETS = read_sheets(RESOURCES / "sample_province_policy.xlsx")
CITY_SHEETS = read_sheets(RESOURCES / "sample_policy.xlsx")

# GB/T 2260 (2022), transcribed independently of toolkit/demo/hunan_policy.py: code and number of 县市区
HUNAN = {
    "长沙市": ("430100", 9), "株洲市": ("430200", 9), "湘潭市": ("430300", 5), "衡阳市": ("430400", 12),
    "邵阳市": ("430500", 12), "岳阳市": ("430600", 9), "常德市": ("430700", 9), "张家界市": ("430800", 4),
    "益阳市": ("430900", 6), "郴州市": ("431000", 11), "永州市": ("431100", 11), "怀化市": ("431200", 12),
    "娄底市": ("431300", 5), "湘西土家族苗族自治州": ("433100", 8),
}


def test_fourteen_units_and_122_counties_with_unique_codes_inside_their_unit():
    policy = hunan_policy()
    assert policy.level is Level.PROVINCE and (policy.unit_label, policy.total_label) == ("市州", "全省")
    assert {c.name: (c.division_code, len([m for m in c.members if m.division_code])) for c in policy.counties} == HUNAN
    codes = [m.division_code for c in policy.counties for m in c.members if m.division_code]
    assert len(codes) == 122 and len(set(codes)) == 122
    for unit in policy.counties:
        for member in unit.members:
            assert not member.division_code or member.division_code.startswith(unit.division_code[:4])
            assert member.uscc_prefixes and all(p.startswith(unit.division_code[:4]) for p in member.uscc_prefixes)
    names = [label for c in policy.counties for m in c.members for label in (m.name, *m.aliases)]
    assert len(names) == len(set(names))


def test_zhuzhou_under_the_province_is_the_city_sample():
    zhuzhou = hunan_policy().find_county("株洲市")
    assert zhuzhou.members == zhuzhou_policy().counties  # 株洲经开区 included, without a code of its own
    assert [m.name for m in zhuzhou.members if not m.division_code] == ["株洲经开区"]


@pytest.mark.parametrize("name, unit", [
    ("攸县", "株洲市"), ("攸 县", "株洲市"), ("经开区", "株洲市"), ("城步县", "邵阳市"), ("邵东县", "邵阳市"),
    ("长沙县", "长沙市"), ("吉首市", "湘西土家族苗族自治州"), ("津市市", "常德市"), ("长沙市", None), ("", None),
])
def test_unit_of_names_the_city_holding_a_county(name, unit):
    found = hunan_policy().unit_of(name)
    assert (found.name if found else None) == unit


def test_find_county_still_finds_units_only():
    policy = hunan_policy()
    assert policy.find_county("湘西州").name == "湘西土家族苗族自治州"
    assert policy.find_county("长沙县") is None
    assert policy.member("麻阳县").division_code == "431226"
    assert zhuzhou_policy().unit_of("攸县") is None and zhuzhou_policy().member("攸县") is None


def test_the_plan_goals_and_example_targets():
    policy = hunan_policy()
    goals = policy.goals
    assert (goals.avg_new_per_year, goals.avg_net_per_year) == (None, 1000)
    assert (goals.total_in_register, goals.total_in_register_year, goals.goal_first_year) == (25000, 2025, 2021)
    assert all(sum(policy.new_target(c.name, y) for c in policy.counties) == policy.total_new_targets[y]
               for y in policy.years)
    assert sum(policy.net_target(c.name, 2022) for c in policy.counties) >= 1000
    assert {m.sheet for m in policy.examples} == {L.SHEET_ANNEX, L.SHEET_NET, L.SHEET_DOCUMENTS, L.SHEET_CALENDAR}
    assert policy.examples_in(*L.NOTICES_NEED)  # no notice citing the example targets can be issued
    assert not zhuzhou_policy().is_example(L.SHEET_ANNEX)  # the city's annex is its plan's


@pytest.mark.parametrize("text, level", [("市", Level.CITY), ("省", Level.PROVINCE), ("省级", Level.PROVINCE),
                                         (" 市级 ", Level.CITY), ("县", None), ("", None)])
def test_level_labels(text, level):
    assert Level.from_label(text) is level


def test_the_shipped_province_workbook_reads_as_the_module_says():
    policy, findings = parse_policy(PROVINCE_SHEETS, "sample_province_policy.xlsx")
    assert findings == [] and policy == hunan_policy()


def test_a_city_workbook_without_level_or_members_reads_as_a_city():
    assert L.SHEET_MEMBERS not in CITY_SHEETS and find_label(CITY_SHEETS[L.SHEET_INFO], "层级") is None
    policy, findings = parse_policy(CITY_SHEETS)
    assert findings == [] and policy.level is Level.CITY and all(not c.members for c in policy.counties)
    assert policy == zhuzhou_policy()


# --- the checks, each by the cell it names -------------------------------------------------------------------------

def _row(sheets, sheet: str, *values: str) -> int:
    """The 0-based index of the first row of ``sheet`` that starts with ``values``."""
    return next(i for i, row in enumerate(sheets[sheet]) if tuple(row[:len(values)]) == values)


def _set(sheets, sheet: str, row: int, col: int, value) -> None:
    line = list(sheets[sheet][row])
    line += [""] * (col + 1 - len(line))
    line[col] = value
    sheets[sheet][row] = line


def _members_without(sheets, unit: str) -> None:
    sheets[L.SHEET_MEMBERS] = [r for r in sheets[L.SHEET_MEMBERS] if not r or r[0] != unit]


def _append_member(sheets, *values: str) -> None:
    sheets[L.SHEET_MEMBERS].append([*values, *[""] * (6 - len(values))])


def _info_level(sheets, text: str) -> None:
    _set(sheets, L.SHEET_INFO, find_label(sheets[L.SHEET_INFO], "层级"), 1, text)


def _blank_avg_new(sheets) -> None:
    _set(sheets, L.SHEET_GOALS, find_label(sheets[L.SHEET_GOALS], "年均新增不少于（家）"), 1, "")


MEMBERS_END = len(PROVINCE_SHEETS[L.SHEET_MEMBERS]) + 1  # the 1-based row of a member appended at the end
FURONG = _row(PROVINCE_SHEETS, L.SHEET_MEMBERS, "长沙市", "芙蓉区") + 1
ZHANGJIAJIE = _row(PROVINCE_SHEETS, L.SHEET_UNITS, "张家界市") + 1


@pytest.mark.parametrize("edit, expected", [
    # a 县市区 under two 市州: the second names the first
    (lambda s: _append_member(s, "湘潭市", "醴陵市"), ("P004", L.SHEET_MEMBERS, f"B{MEMBERS_END}")),
    (lambda s: _append_member(s, "湘潭市", "韶山", "株洲县"), ("P004", L.SHEET_MEMBERS, f"B{MEMBERS_END}")),  # alias
    # a 市州 with no 县市区: its row in 报送单位
    (lambda s: _members_without(s, "张家界市"), ("P012", L.SHEET_UNITS, f"A{ZHANGJIAJIE}")),
    # a 县市区 under a 市州 that is not in 报送单位
    (lambda s: _set(s, L.SHEET_MEMBERS, FURONG - 1, 0, "长沙"), ("P013", L.SHEET_MEMBERS, f"A{FURONG}")),
    # a code outside its 市州's area, and codes that are not codes
    (lambda s: _set(s, L.SHEET_MEMBERS, FURONG - 1, 3, "430502"), ("P014", L.SHEET_MEMBERS, f"D{FURONG}")),
    (lambda s: _set(s, L.SHEET_MEMBERS, FURONG - 1, 4, "430102、4305"), ("P014", L.SHEET_MEMBERS, f"E{FURONG}")),
    (lambda s: _set(s, L.SHEET_MEMBERS, FURONG - 1, 3, "43010"), ("P008", L.SHEET_MEMBERS, f"D{FURONG}")),
    (lambda s: _set(s, L.SHEET_MEMBERS, FURONG - 1, 1, ""), ("P003", L.SHEET_MEMBERS, f"B{FURONG}")),
    # a province without its members sheet; a level that is neither
    (lambda s: s.pop(L.SHEET_MEMBERS), ("P001", L.SHEET_MEMBERS, "")),
    (lambda s: _info_level(s, "县"), ("P003", L.SHEET_INFO, f"B{find_label(PROVINCE_SHEETS[L.SHEET_INFO], '层级') + 1}")),
])
def test_every_member_problem_named_with_its_cell(edit, expected):
    sheets = copy.deepcopy(PROVINCE_SHEETS)
    edit(sheets)
    policy, findings = parse_policy(sheets, "省.xlsx")
    assert policy is None and expected in [(f.code, f.sheet, f.cell) for f in findings]


def test_the_messages_say_what_and_where():
    sheets = copy.deepcopy(PROVINCE_SHEETS)
    _append_member(sheets, "湘潭市", "醴陵市")
    _set(sheets, L.SHEET_MEMBERS, FURONG - 1, 3, "430502")
    messages = [f.message for f in parse_policy(sheets)[1]]
    assert any("醴陵市" in m and "属株洲市" in m for m in messages)
    assert "“行政区划代码”430502不在长沙市（4301）的区划范围内。请核对该县市区所属的市州和代码。" in messages


def test_a_members_sheet_without_its_header_is_said_once_not_per_city():
    sheets = copy.deepcopy(PROVINCE_SHEETS)
    sheets[L.SHEET_MEMBERS] = [["所辖县市区"]]
    found = [(f.code, f.sheet) for f in parse_policy(sheets)[1]]
    assert found == [("P002", L.SHEET_MEMBERS)] * 2  # its 市州 and 县市区 columns; no P012 for every 市州


def test_only_a_province_may_leave_the_yearly_new_goal_blank():
    city = copy.deepcopy(CITY_SHEETS)
    _blank_avg_new(city)
    row = find_label(city[L.SHEET_GOALS], "年均新增不少于（家）") + 1
    assert ("P003", L.SHEET_GOALS, f"B{row}") in [(f.code, f.sheet, f.cell) for f in parse_policy(city)[1]]
    province = copy.deepcopy(PROVINCE_SHEETS)
    _blank_avg_new(province)  # already blank in the sample: the plan states none
    policy, findings = parse_policy(province)
    assert findings == [] and policy.goals.avg_new_per_year is None


def test_a_level_row_saying_city_reads_as_a_city():
    sheets = copy.deepcopy(PROVINCE_SHEETS)
    _info_level(sheets, "市")
    _set(sheets, L.SHEET_GOALS, find_label(sheets[L.SHEET_GOALS], "年均新增不少于（家）"), 1, 2600)
    policy, findings = parse_policy(sheets)
    assert findings == [] and policy.level is Level.CITY  # the members sheet is read when present
    assert policy.unit_of("攸县").name == "株洲市"


def test_a_provinces_register_list_names_the_county_and_the_firm_is_held_by_its_city():
    """The provincial statistics office's list gives each firm's 县市区 (by name or code): the province holds it in
    that 县市区's 市州."""
    from toolkit.domain.register_list import parse_register_list
    from toolkit.domain.uscc import with_check_character

    codes = [with_check_character(f"91430121MA4L{n:05d}") for n in range(3)]
    rows = [["统一社会信用代码", "企业名称", "县市区", "行政区划代码"],
            [codes[0], "长沙甲公司", "长沙县", ""], [codes[1], "湘潭乙公司", "", "430321"],
            [codes[2], "株洲丙公司", "株洲市", ""]]
    firms, findings = parse_register_list({"名录": rows}, "省统计局在库名录.xlsx", hunan_policy())
    assert not findings
    assert [(f.uscc, f.county) for f in firms] == [(codes[0], "长沙市"), (codes[1], "湘潭市"), (codes[2], "株洲市")]
