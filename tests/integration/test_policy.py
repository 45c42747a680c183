"""The policy workbook: the shipped Zhuzhou sample, every validation problem with its cell, other plans."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from toolkit.demo.zhuzhou_policy import zhuzhou_policy
from toolkit.adapters.policy_workbook import PolicyInvalid, read_policy, write_policy
from toolkit.domain import policy_layout as L
from toolkit.domain.calendar import MONTHLY, QUARTERLY
from toolkit.domain.policy import County, Policy, RewardStandard
from toolkit.services.policy import sample_policy_path

ANNEX = {  # the seed's annex, transcribed independently of samples/zhuzhou_policy.py
    "全市": (260, 280, 300, 320), "荷塘区": (18, 20, 22, 24), "芦淞区": (18, 20, 22, 24), "石峰区": (18, 20, 22, 24),
    "株洲经开区": (10, 12, 14, 16), "天元区": (50, 52, 54, 56), "渌口区": (18, 20, 22, 24), "攸县": (42, 44, 46, 48),
    "茶陵县": (18, 20, 22, 24), "炎陵县": (18, 20, 22, 24), "醴陵市": (50, 52, 54, 56),
}


def test_shipped_sample_is_the_seed_annex(policy):
    years = (2022, 2023, 2024, 2025)
    assert policy.years == list(years)
    assert tuple(policy.total_new_targets[y] for y in years) == ANNEX["全市"]
    for county in policy.counties:
        assert tuple(policy.new_target(county.name, y) for y in years) == ANNEX[county.name]
    assert len(policy.counties) == 10
    assert policy.goals.avg_new_per_year == 220 and policy.goals.avg_net_per_year == 150
    assert policy.goals.total_in_register == 3000 and policy.goals.total_in_register_year == 2025
    assert policy.thresholds.above_scale == 2000 and policy.thresholds.at_risk_below == 3000
    assert (policy.thresholds.pool_low, policy.thresholds.pool_high) == (1000, 2000)
    assert {r.entry_kind: r.amount_yuan for r in policy.rewards} == {"新建投产": 100000, "小升规": 60000}
    assert all(r.first_share == 0.5 and r.split for r in policy.rewards)


def test_counties_found_by_alias_and_spacing(policy):
    assert policy.find_county("攸 县").name == "攸县"
    assert policy.find_county("株洲县").name == "渌口区"
    assert policy.find_county("经开区").name == "株洲经开区"
    assert policy.find_county("长沙县") is None


def test_area_prefixes(policy):
    lukou = policy.find_county("渌口区")
    assert lukou.accepts_area("430221") and lukou.accepts_area("430212") and not lukou.accepts_area("430211")
    zone = policy.find_county("株洲经开区")
    assert zone.division_code == "" and zone.accepts_area("430211")


def test_round_trip(tmp_path):
    path = write_policy(tmp_path / "政策参数.xlsx", zhuzhou_policy())
    assert read_policy(path) == zhuzhou_policy()


def test_the_sample_calendar_is_example_data_the_reader_takes_back(tmp_path):
    path = write_policy(tmp_path / "政策参数.xlsx", zhuzhou_policy())
    policy = read_policy(path)
    quarterly = [r for r in policy.calendar if r.kind == QUARTERLY]
    assert [str(r.period) for r in quarterly[:4]] == ["2022-03", "2022-06", "2022-09", "2022-12"]
    assert quarterly[1].due.isoformat() == "2022-07-08" and quarterly[1].resubmit_days == 3
    # monthly 调度 returns between quarter ends; no January (statistics start with 1–2月)
    monthly = [r for r in policy.calendar if r.period.year == 2022 and r.kind == MONTHLY]
    assert [r.period.month for r in monthly] == [2, 4, 5, 7, 8, 10, 11]
    # the 5th working day of the next month: May 2022 has 05-01/04 off and Saturday 05-07 worked
    dues = {str(r.period): r.due.isoformat() for r in monthly[1:3]}
    assert dues == {"2022-04": "2022-05-10", "2022-05": "2022-06-08"}
    note = openpyxl.load_workbook(path)[L.SHEET_CALENDAR]["A2"].value
    assert "示例数据" in note  # the city replaces it with its own due dates


def _calendar_row(workbook, period: str) -> int:
    return next(r[0].row for r in workbook[L.SHEET_CALENDAR].iter_rows() if r[0].value == period)


def test_a_calendar_without_the_kind_column_reads_as_quarterly_reports(tmp_path):
    path = write_policy(tmp_path / "政策参数.xlsx", zhuzhou_policy())
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[L.SHEET_CALENDAR]
    header = next(r for r in sheet.iter_rows() if r[0].value == "报送期")
    assert [c.value for c in header][:5] == ["报送期", "截止日期", "退回后补报期限（工作日）", "类型", "说明"]
    sheet.cell(_calendar_row(workbook, "2022-07"), 4).value = None  # a blank 类型: a quarterly report
    workbook.save(path)
    kinds = {str(r.period): r.kind for r in read_policy(path).calendar}
    assert (kinds["2022-06"], kinds["2022-07"], kinds["2022-08"]) == (QUARTERLY, QUARTERLY, MONTHLY)
    sheet.delete_cols(4)  # a workbook made before the column: every period a quarterly report, as before
    workbook.save(path)
    policy = read_policy(path)
    assert len(policy.calendar) == len(zhuzhou_policy().calendar)
    assert {r.kind for r in policy.calendar} == {QUARTERLY}


def test_a_policy_without_a_calendar_still_loads(tmp_path):
    path = write_policy(tmp_path / "政策参数.xlsx", zhuzhou_policy())
    workbook = openpyxl.load_workbook(path)
    del workbook[L.SHEET_CALENDAR]
    workbook.save(path)
    assert read_policy(path).calendar == ()


def test_holidays_and_adjusted_weekends_set_the_working_days(tmp_path):
    path = write_policy(tmp_path / "政策参数.xlsx", zhuzhou_policy())
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[L.SHEET_HOLIDAYS]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=4)]
    assert ["2022-10-08", "上班", "星期六，调休上班"] in rows and ["2022-10-07", "放假", "星期五"] in rows
    sheet.append([dt.datetime(2026, 1, 2), "放假", "as Excel stores a typed date"])
    workbook.save(path)
    policy = read_policy(path)
    september = next(r for r in policy.calendar if str(r.period) == "2022-09")
    # due Saturday 10-08, a worked day (调休); Sunday 10-09 is worked too: three working days end on Tuesday
    assert (september.due, september.deadline) == (dt.date(2022, 10, 8), dt.date(2022, 10, 11))
    assert not policy.working_days.is_working(dt.date(2026, 1, 2))
    del workbook[L.SHEET_HOLIDAYS]
    workbook.save(path)
    september = next(r for r in read_policy(path).calendar if str(r.period) == "2022-09")
    assert september.deadline == dt.date(2022, 10, 12)  # without the sheet: Monday to Friday only


def _broken(tmp_path: Path, edit) -> list:
    path = tmp_path / "政策参数.xlsx"
    write_policy(path, zhuzhou_policy())
    workbook = openpyxl.load_workbook(path)
    edit(workbook)
    workbook.save(path)
    with pytest.raises(PolicyInvalid) as caught:
        read_policy(path)
    return [(f.code, f.sheet, f.cell) for f in caught.value.findings]


def _annex_cell(workbook, county: str, year: int):
    sheet = workbook[L.SHEET_ANNEX]
    header = next(r for r in sheet.iter_rows() if any(c.value == L.year_header(year, "新增") for c in r))
    col = next(c.column for c in header if c.value == L.year_header(year, "新增"))
    row = next(r[0].row for r in sheet.iter_rows() if r[0].value == county)
    return sheet.cell(row, col)


@pytest.mark.parametrize("edit, expected", [
    (lambda wb: setattr(_annex_cell(wb, "天元区", 2023), "value", 53), ("P006", L.SHEET_ANNEX, "C4")),
    (lambda wb: setattr(_annex_cell(wb, "攸县", 2022), "value", -42), ("P003", L.SHEET_ANNEX, "B11")),
    (lambda wb: setattr(_annex_cell(wb, "攸县", 2024), "value", "四十六"), ("P003", L.SHEET_ANNEX, "D11")),
    (lambda wb: setattr(wb[L.SHEET_ANNEX]["A6"], "value", "石峰区"), ("P004", L.SHEET_ANNEX, "A7")),  # the second 石峰区 is named
    (lambda wb: setattr(wb[L.SHEET_ANNEX]["A8"], "value", "长沙县"), ("P005", L.SHEET_ANNEX, "A8")),
    (lambda wb: setattr(wb[L.SHEET_UNITS]["A5"], "value", "荷塘区"), ("P004", L.SHEET_UNITS, "A5")),
    (lambda wb: setattr(wb[L.SHEET_UNITS]["C4"], "value", "43020"), ("P008", L.SHEET_UNITS, "C4")),
    (lambda wb: setattr(wb[L.SHEET_THRESHOLDS]["B4"], "value", 2500), ("P010", L.SHEET_THRESHOLDS, "B4")),
    (lambda wb: setattr(wb[L.SHEET_SHARING]["C4"], "value", 0.4), ("P009", L.SHEET_SHARING, "B4")),
    (lambda wb: wb.remove(wb[L.SHEET_ANNEX]), ("P001", L.SHEET_ANNEX, "")),
    (lambda wb: setattr(wb[L.SHEET_REWARDS]["A4"], "value", "新建"), ("P003", L.SHEET_REWARDS, "A4")),
    (lambda wb: setattr(wb[L.SHEET_CALENDAR]["A4"], "value", "三月"), ("P003", L.SHEET_CALENDAR, "A4")),
    (lambda wb: setattr(wb[L.SHEET_CALENDAR]["B8"], "value", "2022-05-08"), ("P003", L.SHEET_CALENDAR, "B8")),  # before June
    (lambda wb: setattr(wb[L.SHEET_CALENDAR]["A6"], "value", "2022-03"), ("P004", L.SHEET_CALENDAR, "A6")),
    (lambda wb: setattr(wb[L.SHEET_CALENDAR]["D4"], "value", "月报"), ("P003", L.SHEET_CALENDAR, "D4")),  # not a 类型
    (lambda wb: setattr(wb[L.SHEET_HOLIDAYS]["B4"], "value", "休息"), ("P003", L.SHEET_HOLIDAYS, "B4")),
    (lambda wb: setattr(wb[L.SHEET_HOLIDAYS]["B6"], "value", "上班"), ("P003", L.SHEET_HOLIDAYS, "B6")),  # Monday 01-03
    (lambda wb: setattr(wb[L.SHEET_HOLIDAYS]["A5"], "value", "2022-01-01"), ("P004", L.SHEET_HOLIDAYS, "A5")),
    (lambda wb: setattr(wb[L.SHEET_HOLIDAYS]["A6"], "value", "十月一日"), ("P003", L.SHEET_HOLIDAYS, "A6")),
])
def test_every_problem_named_with_its_cell(tmp_path, edit, expected):
    assert expected in _broken(tmp_path, edit)


def test_all_problems_reported_at_once(tmp_path):
    def edit(wb):
        _annex_cell(wb, "天元区", 2022).value = 51
        _annex_cell(wb, "醴陵市", 2025).value = "x"
        wb[L.SHEET_UNITS]["A5"].value = "荷塘区"
    codes = [c for c, _, _ in _broken(tmp_path, edit)]
    assert "P006" in codes and "P003" in codes and "P004" in codes


def test_county_missing_from_annex(tmp_path):
    def edit(wb):
        sheet = wb[L.SHEET_ANNEX]
        row = next(r[0].row for r in sheet.iter_rows() if r[0].value == "炎陵县")
        sheet.delete_rows(row)
    found = _broken(tmp_path, edit)
    assert ("P007", L.SHEET_ANNEX, "") in found  # the county has no targets
    assert any(code == "P006" for code, _, _ in found)  # and the totals no longer add up


def test_province_of_fourteen_cities_for_another_plan(tmp_path):
    """Nothing assumes Zhuzhou, ten units or 2022-2025: a province's 14 市州, 2026-2030, loads as it is."""
    names = ["长沙市", "株洲市", "湘潭市", "衡阳市", "邵阳市", "岳阳市", "常德市", "张家界市", "益阳市", "郴州市",
             "永州市", "怀化市", "娄底市", "湘西自治州"]
    codes = ["4301", "4302", "4303", "4304", "4305", "4306", "4307", "4308", "4309", "4310", "4311", "4312", "4313",
             "4331"]
    years = range(2026, 2031)
    targets = {n: {y: 60 + i * 5 + (y - 2026) * 2 for y in years} for i, n in enumerate(names)}
    base = zhuzhou_policy()
    province = Policy(
        region="湖南省", total_label="全省", unit_label="市州", plan_title="示例：2026-2030 年方案", first_year=2026,
        last_year=2030, counties=tuple(County(n, (), c + "00", (c,)) for n, c in zip(names, codes)),
        new_targets=targets, total_new_targets={y: sum(t[y] for t in targets.values()) for y in years},
        net_targets={}, goals=base.goals.__class__(1500, 1000, 2026, 2030, 30000, 2030),
        rewards=(RewardStandard("新建投产", 100000),), cost_sharing=(), county_rewards=(),
    )
    path = write_policy(tmp_path / "省级.xlsx", replace(province, examples=()))
    loaded = read_policy(path)
    assert loaded == province
    assert loaded.find_county("湘西自治州").accepts_area("433101")
    assert loaded.new_target("长沙市", 2030) == 68


def test_sample_resource_exists():
    assert sample_policy_path().is_file()


def test_time_progress_defaults_to_even_months(policy):
    assert policy.expected_progress(6) == pytest.approx(0.5)
    assert policy.expected_progress(12) == 1.0


def test_time_progress_curve_is_editable(tmp_path):
    def front_loaded(wb):  # 小升规 enter in January: most of the year's target is expected early
        ws = wb[L.SHEET_PROGRESS]
        for month, share in enumerate((0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0), start=1):
            ws.cell(3 + month, 2).value = share
        ws.cell(4, 2).value = "30%"  # typed as text with a percent sign

    path = tmp_path / "政策参数.xlsx"
    write_policy(path, zhuzhou_policy())
    workbook = openpyxl.load_workbook(path)
    front_loaded(workbook)
    workbook.save(path)
    policy = read_policy(path)
    assert policy.expected_progress(1) == pytest.approx(0.3)
    assert policy.expected_progress(6) == pytest.approx(0.55)


def test_time_progress_must_not_fall(tmp_path):
    findings = _broken(tmp_path, lambda wb: setattr(wb[L.SHEET_PROGRESS].cell(9, 2), "value", 0.2))
    assert findings == [("P010", L.SHEET_PROGRESS, "B9")]


def test_assessment_rules_are_read_from_the_workbook(tmp_path):
    path = tmp_path / "政策参数.xlsx"
    write_policy(path, zhuzhou_policy())
    workbook = openpyxl.load_workbook(path)
    ws = workbook[L.SHEET_ASSESSMENT]
    for row in ws.iter_rows(min_row=3):
        if row[0].value == "批评：适用的报送月份":
            row[1].value = "6、12"
        if row[0].value == "批评：完成率落后时序进度超过（百分点）":
            row[1].value = 10
    workbook.save(path)
    rules = read_policy(path).assessment
    assert rules.criticise_months == (6, 12) and rules.criticise_behind_points == 10


def test_bad_month_list_is_reported(tmp_path):
    def edit(wb):
        for row in wb[L.SHEET_ASSESSMENT].iter_rows(min_row=3):
            if row[0].value == "批评：适用的报送月份":
                row[1].value = "3、13"
    findings = _broken(tmp_path, edit)
    assert [code for code, _sheet, _cell in findings] == ["P003"]
