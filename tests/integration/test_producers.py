"""What office suites and clerks do to a workbook on its way back, tolerated where no information is lost (#17):
a sheet renamed with a trailing space or full-width letters, the hidden stamp sheet made merely hidden by a
LibreOffice re-save."""

from __future__ import annotations

import openpyxl
import pytest

from conftest import valid_uscc
from county_files import entry, write_report
from toolkit.adapters.workbook_file import UnreadableWorkbook, read_workbook
from toolkit.cli import main
from toolkit.domain.stamp import STAMP_SHEET
from toolkit.services.checking import check_file


def test_a_sheet_name_with_a_trailing_space_is_the_same_sheet(tmp_path, policy):
    path = write_report(tmp_path, policy, "天元区", "2022-06",
                        [entry(valid_uscc(), "2022-03"), {**entry(valid_uscc(body="MA4L54321"), "2022-04"), "industry": "5211"}])
    book = openpyxl.load_workbook(path)
    book["新增入规企业"].title = "新增入规企业 "  # the tab looks the same
    book["退库企业"].title = "退库企业　"  # a full-width space typed by an input method
    renamed = tmp_path / "改名.xlsx"
    book.save(renamed)
    check = check_file(renamed, policy)
    assert "E006" not in {f.code for f in check.findings}
    (not_industrial,) = [f for f in check.findings if f.code == "E109"]
    assert not_industrial.sheet == "新增入规企业 " and not_industrial.cell  # named as the county's tab is named
    assert len(check.report.records("entries")) == 2
    assert main(["check", str(renamed), "--mark", "--out", str(tmp_path / "结果")]) == 1
    marked = openpyxl.load_workbook(tmp_path / "结果" / "改名_标注.xlsx")
    assert marked["新增入规企业 "][not_industrial.cell].comment is not None  # the mark lands on the right cell


def test_a_sheet_the_check_does_not_read_is_not_read(tmp_path, policy):
    """A clerk's own sheet beside the lists (here with a stray cell far below any limit) is not parsed at all: the
    file is checked as without it, instead of being refused for a sheet that is no part of the report."""
    path = write_report(tmp_path, policy, "天元区", "2022-06", [entry(valid_uscc(), "2022-03")])
    book = openpyxl.load_workbook(path)
    book.create_sheet("草稿")["A250000"] = "备忘"
    book.save(path)
    check = check_file(path, policy)
    assert check.verdict == check_file(write_report(tmp_path / "原", policy, "天元区", "2022-06",
                                                    [entry(valid_uscc(), "2022-03")]), policy).verdict
    assert not check.unreadable and not any("上限" in f.message for f in check.findings)
    assert len(check.report.records("entries")) == 1
    with pytest.raises(UnreadableWorkbook, match="250,000"):  # read whole, the same file is over the row limit
        read_workbook(path)


def test_a_libreoffice_resave_that_unhides_the_stamp_changes_nothing(tmp_path, policy, soffice):
    path = write_report(tmp_path, policy, "天元区", "2022-06", [entry(valid_uscc(), "2022-03")])
    before = check_file(path, policy)
    out = tmp_path / "另存"
    out.mkdir()
    assert soffice(path, "xlsx", out).returncode == 0
    resaved = out / path.name
    state = openpyxl.load_workbook(resaved)[STAMP_SHEET].sheet_state
    assert state in ("hidden", "veryHidden")  # LibreOffice 7.4 writes hidden; either way it is read by name
    after = check_file(resaved, policy)
    assert after.verdict == before.verdict == "通过，可以报送"
    assert [r.values for r in after.report.records("entries")] == [r.values for r in before.report.records("entries")]
