"""One level up (#39): a province workspace takes a 市州's period summary, as the city's consolidation wrote it, through
the same inbox, intake, judging and summary a city uses for its counties' reports — its figures the 市州's own, every
firm traced to the 市州's file and row and on to the county's; a summary edited by hand after it was made, or a
county's report sent to the province, is refused with what to do."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from toolkit.adapters.policy_workbook import write_policy
from toolkit.adapters.workbook_file import read_sheets
from toolkit.demo.hunan_policy import hunan_policy
from toolkit.domain.city_summary import read_city_summary
from toolkit.domain.periods import Period
from toolkit.domain.stamp import STAMP_SHEET
from toolkit.services import consolidation
from toolkit.services.workspace import init_workspace

JUNE = Period(2022, 6)


@pytest.fixture(scope="module")
def city_summary(consolidated_2022_06):
    (path,) = sorted((consolidated_2022_06 / "输出" / "汇总").glob("*汇总表_2022-06*.xlsx"))
    return path


@pytest.fixture()
def province(tmp_path):
    workspace, _ = init_workspace(tmp_path / "省工作区")
    write_policy(workspace.policy_path, hunan_policy())
    return workspace


def test_a_cities_summary_is_consolidated_as_its_figures_and_traced_to_the_county_rows(province, city_summary):
    shutil.copyfile(city_summary, province.inbox / city_summary.name)
    run = consolidation.consolidate(province, JUNE, parallel=False)
    figures = {f.county: f for f in run.summary.counties}
    assert len(figures) == 14 and run.summary.unit_label == "市州"
    zhuzhou = figures["株洲市"]
    sheets = read_sheets(city_summary)
    city = read_city_summary(sheets, city_summary.name, sheets[STAMP_SHEET])
    assert zhuzhou.status == "已受理"
    assert zhuzhou.new == len(city.entries) == sum(u.new or 0 for u in city.units) == 156
    assert zhuzhou.exits == len(city.exits) == 28
    assert all(f.status == "未报送" for name, f in figures.items() if name != "株洲市")
    # the 市州 did not accept two counties' reports, and has not closed the period: the province is told, not asked
    codes = sorted(f.code for f in run.summary.findings if f.code != "W204")
    assert codes == ["W308", "W308", "W309"], codes
    # without the province's starting register, each exit is a firm the province cannot find in it (as in a city)
    assert sum(f.code == "W204" for f in run.summary.findings) == 28
    assert all(f.advisory for f in run.summary.findings)
    # the province verifies and decides: its findings say so (the catalogue's 请市里核实 is a city's)
    assert all("市里" not in f.message for f in run.summary.findings)
    assert any("请省里核实" in f.message for f in run.summary.findings if f.code == "W204")
    # every province row: the 市州's file and row, then the county file, row and SHA-256 behind it
    counted = [d.listing for d in run.summary.entries]
    assert len(counted) == 156
    first = counted[0]
    assert first.source.file == city_summary.name and first.source.sheet == "新增明细" and first.source.row >= 4
    origin = next(r for r in city.entries if r.row == first.source.row)
    assert first.values["sub_unit"] == origin.unit and first.values["origin_file"] == origin.origin_file
    assert first.values["origin_row"] == origin.origin_row and len(first.values["origin_sha256"]) == 64
    # one level down: Zhuzhou's 县市区 with the targets Zhuzhou set them, counted from the firms the province counted
    subs = {s.figures.county: s for s in run.summary.sub_units}
    assert set(subs) == {u.unit for u in city.units} and all(s.unit == "株洲市" for s in subs.values())
    for unit in city.units:
        got = subs[unit.unit].figures
        assert (got.status, got.new, got.exits, got.target) == (unit.status, unit.new, unit.exits, unit.target)
    ranked = sorted(s.within for s in subs.values() if s.within is not None)
    assert ranked[0] == 1 and len(ranked) == 8 and subs["攸县"].within is None
    assert run.summary.tiers == {"株洲市": "第一梯队"}  # the only 市州 with figures
    quality = run.summary.quality
    assert quality.entrants == 156 and sum(quality.by_band.values()) == 156 and sum(quality.by_kind.values()) == 156
    assert sum(n for _, _, n in quality.by_division) == 156 and quality.last_year_entrants is None
    # the same file again changes nothing
    again = consolidation.consolidate(province, JUNE, parallel=False)
    assert {f.county: f.new for f in again.summary.counties} == {f.county: f.new for f in run.summary.counties}
    assert any("未重复计入" in note.message for note in again.notes)


def test_a_summary_edited_by_hand_is_returned_with_the_cell_and_both_figures(province, city_summary, tmp_path):
    edited = province.inbox / city_summary.name
    shutil.copyfile(city_summary, edited)
    book = openpyxl.load_workbook(edited)
    sheet = book["概览"]
    row = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "荷塘区")
    sheet.cell(row, 6).value = 20  # 新增合计 17 -> 20 before sending it up
    book.save(edited)
    run = consolidation.consolidate(province, JUNE, parallel=False)
    zhuzhou = next(f for f in run.summary.counties if f.county == "株洲市")
    assert zhuzhou.status == "被退回"
    wrong = [f for f in run.summary.findings if f.code == "E304"]
    assert len(wrong) == 1 and wrong[0].cell == f"F{row}"
    assert "“荷塘区新增合计”为 20" in wrong[0].message and "计入荷塘区的 17 行" in wrong[0].message


def test_a_countys_report_sent_to_the_province_is_not_taken_for_a_summary(province):
    from pathlib import Path

    sample = sorted((Path(__file__).parents[2] / "samples" / "县区报表" / "2022-06").glob("*.xlsx"))[0]
    shutil.copyfile(sample, province.inbox / sample.name)
    run = consolidation.consolidate(province, JUNE, parallel=False)
    (note,) = [n for n in run.notes if n.file == sample.name]
    assert "不是市州汇总表" in note.message and "县市区报表应报送所在市州" in note.message
    assert all(f.status == "未报送" for f in run.summary.counties)


def test_the_province_summary_shows_the_cities_the_counties_and_the_quality_traced_two_steps_back(province,
                                                                                                  city_summary):
    shutil.copyfile(city_summary, province.inbox / city_summary.name)
    run = consolidation.consolidate(province, JUNE, parallel=False)
    (path,) = [p for p in run.summary_files if p.suffix == ".xlsx"]
    assert path.name == "湖南省规上工业企业汇总表_2022-06.xlsx"
    sheets = read_sheets(path)
    assert {"概览", "排名梯队", "县市区排名", "入规质量", "新增明细"} <= set(sheets)
    assert "培育库" not in sheets and "应入尽入" not in sheets  # a 市州's summary carries neither
    header = sheets["新增明细"][2]
    assert header[:2] == ["市州", "县市区"] and header[-4:] == ["来源文件（市州汇总表）", "行号", "县市区来源文件", "县市区行号"]
    city = read_sheets(city_summary)["新增明细"]
    for row in sheets["新增明细"][3:8]:  # each row: its 市州 row, whose own source is the county's file and row
        mine = city[int(row[-3]) - 1]
        assert row[1] == mine[0] and row[2] == mine[1] and row[-2:] == [mine[-2], mine[-1]]
    counties = sheets["县市区排名"]
    assert counties[2][:3] == ["市州", "县市区", "报送状态"] and len(counties) - 3 == 10
    tiers = {r[0]: r[-1] for r in sheets["排名梯队"][3:]}
    assert tiers["株洲市"] == "第一梯队" and tiers["长沙市"] == ""
    quality = {(r[0], r[1]): r[2] for r in sheets["入规质量"][3:]}
    assert quality[("全部新增入规企业", "")] == 156


def test_last_periods_summary_is_left_for_its_period_and_renamed_as_this_ones_it_is_returned(province, city_summary):
    """A 市州's 2022-06 summary in the inbox at 2022-12 is not this period's; sent again under 2022-12's name (last
    period's file carried on), it is the 市州's submission for 2022-12 and returned with E005."""
    shutil.copyfile(city_summary, province.inbox / city_summary.name)
    run = consolidation.consolidate(province, Period(2022, 12), parallel=False)
    (note,) = [n for n in run.notes if n.file == city_summary.name]
    assert "报送期为 2022-06，不属于 2022-12" in note.message
    assert next(f for f in run.summary.counties if f.county == "株洲市").status == "未报送"
    (province.inbox / city_summary.name).unlink()
    renamed = province.inbox / "株洲市规上工业企业汇总表_2022-12.xlsx"
    shutil.copyfile(city_summary, renamed)
    run = consolidation.consolidate(province, Period(2022, 12), parallel=False)
    assert next(f for f in run.summary.counties if f.county == "株洲市").status == "被退回"
    (wrong,) = [f for f in run.summary.findings if f.code == "E005"]
    assert wrong.file == renamed.name and "2022-06" in wrong.message
