"""A 市州's summary as the province will read it (#39, first slice): the summary a city's consolidation writes says in
its stamp sheet who made it, for which period, from which policy (the SHA-256 archived) and with which figures; and
the reader takes back from the visible sheets each unit's figures and each counted firm with the county file and
row it came from — the same as the store's, recomputed here from the store, not from the reader."""

from __future__ import annotations

import hashlib
import shutil

import openpyxl
import pytest

from toolkit.adapters.workbook_file import read_sheets
from toolkit.domain.city_summary import COUNTED, LABEL, read_city_summary, read_digest
from toolkit.domain.periods import Period
from toolkit.domain.stamp import STAMP_SHEET


def _summary_file(root):
    (path,) = sorted((root / "输出" / "汇总").glob("*汇总表_2022-06*.xlsx"))
    return path


@pytest.fixture(scope="module")
def read(consolidated_2022_06):
    path = _summary_file(consolidated_2022_06)
    sheets = read_sheets(path)
    return path, read_city_summary(sheets, path.name, sheets[STAMP_SHEET])


def _store_summary(root):
    from toolkit.services.consolidation.summary import period_summary
    from toolkit.services.workspace import Workspace

    workspace = Workspace(root)
    store = workspace.open_store()
    try:
        return period_summary(store, workspace.policy(), Period(2022, 6))
    finally:
        store.close()


def test_the_digest_names_the_region_period_and_the_policy_archived(consolidated_2022_06, read):
    _, summary = read
    digest = summary.digest
    assert digest is not None and not summary.findings
    assert (digest.region, digest.unit_label, digest.total_label, digest.period) == ("株洲市", "县市区", "全市", "2022-06")
    policy = (consolidated_2022_06 / "政策参数.xlsx").read_bytes()
    assert digest.policy_sha256 == hashlib.sha256(policy).hexdigest()
    assert (consolidated_2022_06 / "数据库").exists() and not digest.closed_at and not digest.builtin


def test_each_units_figures_read_back_equal_the_stores(consolidated_2022_06, read):
    _, summary = read
    store = _store_summary(consolidated_2022_06)
    expected = {f.county: (f.status, f.new, f.exits, f.target, f.pending if f.has_figures else None)
                for f in store.counties}
    assert {u.unit: (u.status, u.new, u.exits, u.target, u.pending) for u in summary.units} == expected
    assert {name: (u.status, u.new, u.exits, u.target, u.pending if u.new is not None else None)
            for name, u in summary.digest.units.items()} == expected
    assert summary.total_label == "已受理合计（8/10）" and store.city.row_label == summary.total_label
    returned = {u.unit for u in summary.units if u.new is None}
    assert returned == {"攸县", "茶陵县"} == {f.county for f in store.counties if not f.has_figures}
    for unit in summary.units:
        if unit.new is not None:
            assert unit.new == unit.new_build + unit.upgrade + unit.other


def test_each_counted_firm_keeps_the_county_file_row_and_its_sha256(consolidated_2022_06, read):
    _, summary = read
    store = _store_summary(consolidated_2022_06)
    counted = {(d.listing.uscc, d.listing.county): d.listing for d in store.entries if d.counted == COUNTED}
    assert {(r.uscc, r.unit) for r in summary.entries} == set(counted)
    for row in summary.entries:
        listing = counted[(row.uscc, row.unit)]
        assert (row.origin_file, row.origin_row, row.origin_sha256) == (
            listing.source.file, listing.source.row, listing.source.sha256)
        assert row.sheet == "新增明细" and row.code == listing.code
    assert {(r.uscc, r.unit) for r in summary.held} == {
        (d.listing.uscc, d.listing.county) for d in store.entries if d.counted != COUNTED}
    assert summary.held, "the sample's firm claimed by two counties is held, not counted"
    assert [(r.uscc, r.origin_row) for r in summary.exits] == [(d.listing.uscc, d.listing.source.row)
                                                               for d in store.exits]


def test_a_sheet_missing_or_a_header_renamed_is_named_not_read_as_nothing(read, tmp_path):
    path, _ = read
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    book = openpyxl.load_workbook(copy)
    del book["退库明细"]
    book["新增明细"].cell(3, 3).value = "名称"  # 企业名称 renamed by hand
    book.save(copy)
    sheets = read_sheets(copy)
    summary = read_city_summary(sheets, copy.name, sheets.get(STAMP_SHEET))
    assert [(f.code, f.sheet) for f in summary.findings] == [("E006", "退库明细")]
    sheets["退库明细"] = read_sheets(path)["退库明细"]
    summary = read_city_summary(sheets, copy.name, sheets.get(STAMP_SHEET))
    assert [(f.code, f.sheet) for f in summary.findings] == [("E007", "新增明细")]
    assert "企业名称" in summary.findings[0].message and not summary.entries


def test_a_digest_that_cannot_be_read_is_none_not_a_guess():
    assert read_digest([["文件类型", "summary"]]) is None
    assert read_digest([[LABEL, "{not json"]]) is None
    assert read_digest([[LABEL, '{"format": 99}']]) is None


def test_a_list_kept_in_a_csv_beside_the_summary_is_named_not_read_as_empty(read, tmp_path):
    """A national-scale list goes to a CSV beside the workbook; the sheet then says so in place of the table."""
    path, _ = read
    sheets = read_sheets(path)
    sheets["新增明细"] = [["新增入规企业明细"], [""], ["共 60,000 行，超过汇总表的明细上限 50,000 行，已另存为“x_新增明细.csv”"]]
    summary = read_city_summary(sheets, path.name, sheets[STAMP_SHEET])
    assert [(f.code, f.sheet) for f in summary.findings] == [("E306", "新增明细")] and not summary.entries
