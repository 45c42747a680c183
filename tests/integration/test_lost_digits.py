"""Values whose digits were lost on the way are named as such, never repaired by guessing (#17): an 18-digit
credit code pasted into a number cell keeps 15 significant digits, a month typed 2022.10 into a number cell
is 2022.1. The workbooks are written as a clerk's paste leaves them (numeric cells), and re-saved by
LibreOffice, which keeps them numbers."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from conftest import new_workspace, valid_uscc
from county_files import entry, write_report
from toolkit.cli import main
from toolkit.domain.uscc import with_check_character
from toolkit.services.checking import check_file


def all_digit_uscc() -> str:
    """A valid code of digits only (a letter would keep the cell text): 9143021150000000nC."""
    for serial in range(1000):
        code = with_check_character(f"91430211{serial:09d}")
        if code[-1].isdigit():
            return code
    raise AssertionError("no all-digit code found")


def pasted_as_numbers(folder: Path, policy) -> tuple[Path, str]:
    """天元区's 2022-06 report with one entry whose code and month were pasted into number cells."""
    code = all_digit_uscc()
    path = write_report(folder, policy, "天元区", "2022-06", [entry(code, "2022-03"), entry(valid_uscc(), "2022-04")])
    book = openpyxl.load_workbook(path)
    sheet = book["新增入规企业"]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == code:
                cell.value = float(code)  # what Excel keeps of 18 digits: 9.14302110000000E+17
                cell.number_format = "General"
            elif cell.value == "2022-03":
                cell.value = 2022.1  # “2022.10” typed into a number cell
                cell.number_format = "General"
    pasted = folder / "天元区_2022-06_规上工业企业报表（粘贴）.xlsx"
    book.save(pasted)
    return pasted, code


def _findings_by_code(path: Path, policy) -> dict[str, list]:
    check = check_file(path, policy)
    out: dict[str, list] = {}
    for finding in check.findings:
        out.setdefault(finding.code, []).append(finding)
    return out


def _assert_named_not_repaired(found: dict[str, list], code: str) -> None:
    (lost,) = found["E134"]
    assert "数字格式" in lost.message and "已经丢失" in lost.message and "文本格式" in lost.message
    assert "不会猜测" in lost.message and "校验码" not in lost.message
    assert "E103" not in found and "E102" not in found  # no check character is ever suggested from a number
    (month,) = found["E135"]
    assert "2022.1" in month.message and "文本格式" in month.message and month.sheet == "新增入规企业"
    assert month.cell and lost.cell and lost.row == month.row


def test_a_code_and_a_month_pasted_as_numbers_are_named_as_lost(tmp_path, policy):
    pasted, code = pasted_as_numbers(tmp_path, policy)
    _assert_named_not_repaired(_findings_by_code(pasted, policy), code)


def test_the_command_line_reports_them_with_their_cells(tmp_path, policy, capsys):
    pasted, _ = pasted_as_numbers(tmp_path, policy)
    assert main(["check", str(pasted), "--json", "--out", str(tmp_path / "结果")]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert {"E134", "E135"} <= {r["code"] for r in rows}
    assert all(r["cell"] for r in rows if r["code"] in ("E134", "E135"))


def test_libreoffice_keeps_them_numbers_and_the_check_still_names_them(tmp_path, policy, soffice):
    pasted, code = pasted_as_numbers(tmp_path, policy)
    out = tmp_path / "LibreOffice另存"
    out.mkdir()
    done = soffice(pasted, "xlsx", out)
    assert done.returncode == 0, done.stderr
    resaved = out / pasted.name
    assert resaved.is_file()
    _assert_named_not_repaired(_findings_by_code(resaved, policy), code)


def test_a_landline_typed_into_a_number_cell_has_lost_its_zero(tmp_path, policy):
    path = write_report(tmp_path, policy, "天元区", "2022-06", [entry(valid_uscc(), "2022-03")])
    book = openpyxl.load_workbook(path)
    cover = book["封面"]
    phone = next(row[1] for row in cover.iter_rows() if row[0].value == "联系电话")
    phone.value = 73122881234  # 0731-22881234 without the dash, in a number cell
    typed = tmp_path / "电话.xlsx"
    book.save(typed)
    (lost,) = [f for f in check_file(typed, policy).findings if f.code == "W137"]
    assert "区号" in lost.message and "文本格式" in lost.message and lost.cell == phone.coordinate
    phone.value = 13807331234  # a mobile number survives a number cell whole: nothing to say
    book.save(typed)
    assert not [f for f in check_file(typed, policy).findings if f.code in ("W137", "W129")]


def test_in_the_inbox_the_county_is_returned_with_a_results_file_naming_the_lost_digits(tmp_path, policy):
    from toolkit.domain.periods import Period
    from toolkit.services.consolidation import status
    from toolkit.services.workspace import Workspace

    root = new_workspace(tmp_path / "工作区")
    pasted, _ = pasted_as_numbers(root / "收件箱", policy)
    (root / "收件箱" / "天元区_2022-06_规上工业企业报表.xlsx").unlink()  # only the pasted copy is sent
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 1
    row = {s.county: s for s in status(Workspace.at(root), Period(2022, 6)).statuses}["天元区"]
    assert row.status == "被退回" and {"代码被存成了数字", "月份被存成了数字"} <= set(row.causes)
    results = root / "输出" / "校验结果" / f"{pasted.stem}_校验结果.xlsx"
    sheet = openpyxl.load_workbook(results, read_only=True)["问题清单"]
    codes = {r[2] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"E134", "E135"} <= codes and "E103" not in codes
