"""The province template (#39) for a 市州 that does not run guishang: `guishang template` in a province workspace writes
one per 市州 (its 县市区 listed, lists with drop-downs, the stamp); filled in and dropped into the province's inbox it is
taken by the same consolidation as a guishang summary — its figures counted, its rows checked one by one, its totals
against its lists."""

from __future__ import annotations

import openpyxl
import pytest

from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.domain.uscc import with_check_character
from toolkit.services import consolidation
from toolkit.services.workspace import Workspace

JUNE = Period(2022, 6)
CODES = [with_check_character(f"91430800MA4L{n:05d}") for n in range(4)]  # 张家界's area


@pytest.fixture()
def province(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    root = tmp_path / "省工作区"
    assert main(["init", "--level", "province", str(root)]) == 0
    return Workspace(root)


def _template(province: Workspace, unit: str = "张家界市"):
    assert main(["template", "--workspace", str(province.root), "--period", "2022-06", "--county", unit]) == 0
    (path,) = (province.output / "模板" / "2022-06").glob(f"{unit}_2022-06_规上工业企业报表（报省）.xlsx")
    return path


def _fill(path, target, *, entries, exits=(), units=None):
    book = openpyxl.load_workbook(path)
    sheet = book["分县市区汇总"]
    names = [sheet.cell(r, 1).value for r in range(4, sheet.max_row + 1) if sheet.cell(r, 1).value]
    for offset, name in enumerate(names):
        line = (units or {}).get(name) or ("已受理", 0, 0, 0, 0, 0, 10, 4, 0)
        for col, value in enumerate(line, start=2):
            sheet.cell(4 + offset, col).value = value
    for sheet_name, rows in (("新增入规企业", entries), ("退库企业", exits)):
        ws = book[sheet_name]
        for offset, row in enumerate(rows):
            for col, value in enumerate(row, start=1):
                ws.cell(4 + offset, col).value = value
    book.save(target)
    return names


def test_a_filled_template_is_counted_like_a_summary(province):
    path = _template(province)
    names = openpyxl.load_workbook(path)["分县市区汇总"]
    first = names.cell(4, 1).value
    units = {first: ("已受理", 1, 1, 0, 2, 1, 10, 4, 0)}
    _fill(path, province.inbox / path.name, units=units, entries=[
        (first, CODES[0], "张家界甲公司", "新建投产", "月度入库", "2022-03", "3311", 2500, 10, "某区报表.xlsx", 5),
        (first, CODES[1], "张家界乙公司", "小升规", "年度入库", "2022-01", "1311", 2100, 5)],
        exits=[(first, CODES[2], "张家界丙公司", "2022-04", "停产", 1800)])
    run = consolidation.consolidate(province, JUNE, parallel=False)
    unit = next(f for f in run.summary.counties if f.county == "张家界市")
    assert (unit.status, unit.new, unit.exits) == ("已受理", 2, 1)
    entry = next(d.listing for d in run.summary.entries if d.listing.uscc == CODES[0])
    assert entry.source.file == path.name and entry.source.sheet == "新增入规企业" and entry.source.row == 4
    assert entry.values["sub_unit"] == first and entry.values["origin_file"] == "某区报表.xlsx"
    assert entry.values["origin_row"] == 5
    assert not [f for f in run.summary.findings if not f.advisory]


def test_a_template_with_a_wrong_code_a_foreign_county_and_totals_off_is_returned_with_each_cell(province):
    path = _template(province)
    first = openpyxl.load_workbook(path)["分县市区汇总"].cell(4, 1).value
    bad = CODES[3][:-1] + ("0" if CODES[3][-1] != "0" else "1")
    _fill(path, province.inbox / path.name, units={first: ("已受理", 0, 3, 0, 3, 0, 10, 4, 0)}, entries=[
        (first, bad, "张家界丁公司", "小升规", "年度入库", "2022-01", "3311", 2100, 5),
        ("芙蓉区", CODES[0], "长沙某公司", "小升规", "年度入库", "2022-07", "3311", 2100, 5),
        (first, CODES[1], "", "升规", "年度入库", "2022-02", "3311", 2100, 5)])
    run = consolidation.consolidate(province, JUNE, parallel=False)
    unit = next(f for f in run.summary.counties if f.county == "张家界市")
    assert unit.status == "被退回"
    found = {(f.code, f.cell) for f in run.summary.findings if f.sheet == "新增入规企业"}
    assert {("E103", "B4"), ("E302", "A5"), ("E114", "F5"), ("E101", "C6"), ("E115", "D6")} <= found
    totals = [f for f in run.summary.findings if f.code == "E304"]
    assert totals and "计入" in totals[0].message  # 3 said, 1 row of that county counted
