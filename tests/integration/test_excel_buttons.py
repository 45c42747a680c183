"""Every button's function, run as Excel would run it but on a workbook file (the file adapter of the
workbook seam): the clerk's story in the county workbook and in the city control workbook."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from conftest import SAMPLE_REPORTS, settled_policy, sha256
from toolkit.adapters.file_book import FileBook
from toolkit.adapters.workbook_file import read_sheets
from toolkit.excel import city, county
from toolkit.excel.runner import LOG_NAME, version_problem
from toolkit.excel import county_sheet
from toolkit.services.checking import DueRule, check_file
from toolkit.services.control_book import write_control_workbooks
from toolkit.services.marking import FINDINGS_SHEET
from toolkit.services.workspace import init_workspace

VERSION = __import__("xlwings").__version__


def _county_copy(tmp_path, name="茶陵县"):
    source = SAMPLE_REPORTS / "2022-06" / f"{name}_2022-06_规上工业企业报表.xlsx"
    target = tmp_path / source.name
    shutil.copyfile(source, target)
    return target


def test_check_sheet_marks_the_mistakes_in_place(tmp_path):
    path = _county_copy(tmp_path)
    before = sha256(path)
    book = FileBook(path)
    result = county.check_sheet(VERSION, book=book)
    assert result.errors > 0
    expected = check_file(path, result.report and __import__("toolkit.services.policy", fromlist=["x"]).load_policy())
    assert [f.code for f in result.findings] == [f.code for f in expected.findings]  # same check as the CLI
    message, problem = book.messages[-1]
    assert problem and f"错误 {result.errors} 条" in message and FINDINGS_SHEET in message
    assert book.sheet_names()[0] == FINDINGS_SHEET
    marked = book.save_as(tmp_path / "after.xlsx")
    assert sha256(path) == before  # the file adapter never writes its source
    workbook = openpyxl.load_workbook(marked)
    findings = workbook[FINDINGS_SHEET]
    links = [c.hyperlink.location for c in findings["E"] if c.hyperlink]
    assert len(links) == sum(1 for f in result.findings if f.cell)
    first = next(f for f in result.findings if f.cell)
    cell = workbook[first.sheet][first.cell]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE" if first.level.value == "错误" else "FFEB9C")
    assert cell.comment is not None and first.code in cell.comment.text


def test_check_again_then_clear_marks_leaves_no_trace(tmp_path):
    path = _county_copy(tmp_path)
    book = FileBook(path)
    first = county.check_sheet(VERSION, book=book)
    county.check_sheet(VERSION, book=book)  # checking twice does not pile up marks or sheets
    assert book.sheet_names().count(FINDINGS_SHEET) == 1
    cells = {(f.sheet, f.cell) for f in first.findings if f.cell}
    assert county.clear_marks(VERSION, book=book) == len(cells)
    assert FINDINGS_SHEET not in book.sheet_names()
    cleared = openpyxl.load_workbook(book.save_as(tmp_path / "cleared.xlsx"))
    for sheet, address in cells:
        assert cleared[sheet][address].comment is None
        assert cleared[sheet][address].fill.fill_type is None
    assert "已清除" in book.messages[-1][0]


def test_a_correct_workbook_passes_with_a_friendly_message(tmp_path):
    book = FileBook(_county_copy(tmp_path, "天元区"))
    result = county.check_sheet(VERSION, book=book)
    assert not result.blocking
    assert book.messages[-1] == (result.summary(), False)
    assert "校验通过" in result.summary()


def test_check_sheet_names_last_periods_workbook_renamed_as_such(tmp_path, policy):
    """校验本表 expects the period every door expects (domain.period_due): the calendar's, else the file name's. A
    2022-03 workbook saved as 2022-06 is E005 at the button as in ``check`` and the self-check page."""
    renamed = tmp_path / "荷塘区_2022-06_规上工业企业报表.xlsx"
    shutil.copyfile(SAMPLE_REPORTS / "2022-03" / "荷塘区_2022-03_规上工业企业报表.xlsx", renamed)
    for today in (dt.date(2022, 7, 3), dt.date(2030, 1, 1)):  # June due by the calendar; the calendar run out
        book = FileBook(renamed)
        result = county_sheet.check_book(book, policy, today=today)
        assert "E005" in {f.code for f in result.findings} and result.blocking
        expected = check_file(renamed, policy, due=DueRule(today))
        assert [f.code for f in result.findings] == [f.code for f in expected.findings]
    assert "注意：报送日历中今天没有应报的报送期，按文件名核对报送期：2022年1-6月" in book.messages[-1][0]
    assert "E005" in {f.code for f in county.check_sheet(VERSION, book=FileBook(renamed)).findings}  # the button


def test_make_report_writes_a_clean_xlsx_for_sending(tmp_path):
    path = _county_copy(tmp_path, "天元区")
    marked = FileBook(path)
    county.check_sheet(VERSION, book=marked)
    saved = marked.save_as(tmp_path / "天元区报表（已校验）.xlsx")  # the clerk's saved workbook, with marks
    book = FileBook(saved)
    submission = county.make_report(VERSION, book=book)
    assert submission.path.name == "天元区_2022-06_规上工业企业报表.xlsx"
    assert submission.path.parent.name == "上报文件"
    sheets = read_sheets(submission.path)
    assert FINDINGS_SHEET not in sheets
    assert "submission" not in sheets and sheets["_stamp"][0][1] == "report"
    assert submission.errors == 0 and "请将此文件" in book.messages[-1][0]
    with open(submission.path, "rb") as handle:
        assert b"vbaProject" not in handle.read()
    # pressed again (after a correction, or by mistake): the one made before, perhaps already sent, is kept
    first = submission.path.read_bytes()
    again = county.make_report(VERSION, book=FileBook(saved))
    assert again.path == submission.path and again.earlier is not None and again.earlier.read_bytes() == first
    assert again.earlier.parent == submission.path.parent / "以前生成的"
    assert again.earlier.name.startswith("天元区_2022-06_规上工业企业报表（") and again.earlier.name.endswith("生成）.xlsx")
    pressed = FileBook(saved)
    third = county.make_report(VERSION, book=pressed)
    assert len(list(third.earlier.parent.iterdir())) == 2  # two earlier ones, neither written over
    assert "以前生成的同名上报文件已移到“以前生成的" in pressed.messages[-1][0]


def test_make_report_from_the_macro_edition_drops_the_macros(tmp_path, policy):
    from toolkit.domain.periods import Period
    from toolkit.services.templates import make_templates

    xlsm = next(p for p in make_templates(policy, Period.parse("2022-06"), [policy.counties[0]], tmp_path,
                                         macros=True) if p.suffix == ".xlsm")
    submission = county.make_report(VERSION, book=FileBook(xlsm))
    assert submission.path.suffix == ".xlsx"
    CalamineWorkbook.from_path(str(submission.path)).close()
    with open(submission.path, "rb") as handle:
        data = handle.read()
    assert b"vbaProject" not in data and b"macroEnabled" not in data


def test_version_mismatch_is_one_chinese_sentence(tmp_path):
    book = FileBook(_county_copy(tmp_path))
    assert county.check_sheet("0.1.0", book=book) is None
    message, problem = book.messages[-1]
    assert problem and "xlwings 0.1.0" in message and VERSION in message
    assert version_problem(VERSION) is None


def test_an_internal_error_goes_to_the_log_not_to_the_clerk(tmp_path, monkeypatch):
    book = FileBook(_county_copy(tmp_path))

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("toolkit.excel.county_sheet.check_sheets", broken)
    assert county.check_sheet(VERSION, book=book) is None
    message, problem = book.messages[-1]
    assert problem and "程序内部出错" in message and "Traceback" not in message
    log = tmp_path / LOG_NAME
    assert "ZeroDivisionError" in log.read_text("utf-8")


def test_not_a_county_workbook_is_refused_in_chinese(tmp_path):
    path = _county_copy(tmp_path)
    workbook = openpyxl.load_workbook(path)
    del workbook["_stamp"]
    workbook.save(path)
    book = FileBook(path)
    county.make_report(VERSION, book=book)
    message, problem = book.messages[-1]
    assert problem and "不是市里下发的县市区报表" in message


# --- the city control workbook ------------------------------------------------------------------------
@pytest.fixture()
def control(tmp_path):
    workspace, _ = init_workspace(tmp_path / "株洲市工作区")
    settled_policy(workspace.root)
    for period in ("2022-03", "2022-06"):
        for source in (SAMPLE_REPORTS / period).glob("*.xlsx"):
            shutil.copyfile(source, workspace.inbox / source.name)
    xlsm, xlsx = write_control_workbooks(workspace, period=None, year=None).paths
    return workspace, xlsm


def _set(book: FileBook, label: str, value: str) -> None:
    from toolkit.domain.buttons import CONTROL_SHEET, input_cell

    book.write(CONTROL_SHEET, input_cell(label), [[value]])


def test_city_buttons_run_the_period_from_the_control_workbook(control, tmp_path):
    workspace, xlsm = control
    book = FileBook(xlsm)
    assert city.consolidate(VERSION, book=book) is None  # no period filled in yet
    assert "报送期" in book.messages[-1][0] and book.messages[-1][1]

    _set(book, "报送期", "2022-03")
    city.consolidate(VERSION, book=book)
    _set(book, "报送期", "2022-06")
    run = city.consolidate(VERSION, book=book)
    assert run.summary_path.exists()
    sheets = book.read_sheets(["报送情况", "进度", "控制台"])
    statuses = {row[0]: row[1] for row in sheets["报送情况"][2:]}
    assert statuses == {s.county: s.status for s in run.summary.statuses}
    city_row = next(r for r in sheets["进度"] if r[0] == run.summary.city.row_label)
    assert city_row[2] == run.summary.city.new
    assert any(row[0] == "最近一次操作" and row[1] == "导入并汇总" for row in sheets["控制台"])

    summary = city.refresh_status(VERSION, book=book)
    assert summary.period == run.summary.period

    made = city.make_notices(VERSION, book=book)
    written = [n for n in made if n.path]
    assert written and all(n.path.exists() for n in written)
    assert len(book.read_sheets(["公文"])["公文"]) == len(made) + 2

    templates = city.make_templates(VERSION, book=book)
    assert {p.suffix for p in templates} == {".xlsx", ".xlsm"}
    assert len(templates) == 2 * len(workspace.policy().counties)

    saved = book.save_as(tmp_path / "控制台（结果）.xlsm")
    with __import__("zipfile").ZipFile(saved) as archive:
        assert "xl/vbaProject.bin" in archive.namelist()  # the macro edition stays macro-enabled


def test_reward_button_before_any_report_says_what_to_do_first(control):
    workspace, xlsm = control
    book = FileBook(xlsm)
    _set(book, "奖励年度", "2022")
    assert city.make_rewards(VERSION, book=book) is None
    message, problem = book.messages[-1]
    assert problem and message.startswith("生成奖励审批未完成：") and "请先汇总" in message


@pytest.mark.parametrize("label,value,expected", [("报送期", "2022-13", "不是报送期"), ("奖励年度", "二〇二二", "不是年度"),
                                                   ("成文日期", "7月8日", "不是日期")])
def test_a_wrong_input_names_its_cell(control, label, value, expected):
    from toolkit.domain.buttons import input_cell

    book = FileBook(control[1])
    _set(book, label, value)
    city.refresh_status(VERSION, book=book) if label != "奖励年度" else city.make_rewards(VERSION, book=book)
    message, problem = book.messages[-1]
    assert problem and expected in message and input_cell(label) in message


# --- a live Excel -------------------------------------------------------------------------------------
def _excel_present() -> bool:
    if sys.platform != "win32" or os.environ.get("GUISHANG_EXCEL_TESTS") != "1":
        return False
    import xlwings as xw

    return bool(xw.apps.count is not None)


@pytest.mark.skipif(not _excel_present(), reason="needs Windows with Microsoft Excel (set GUISHANG_EXCEL_TESTS=1): "
                                                  "the live xlwings adapter is verified only there")
def test_live_book_contract_in_real_excel(tmp_path):
    import xlwings as xw

    from toolkit.adapters.live_book import LiveBook

    path = _county_copy(tmp_path)
    app = xw.App(visible=False)
    try:
        live = LiveBook(app.books.open(str(path)))
        live.tell = lambda message, problem=False: None  # no message box in a test run
        result = county.check_sheet(VERSION, book=live)
        assert FINDINGS_SHEET in live.sheet_names()
        rows = live.read_sheets([FINDINGS_SHEET])[FINDINGS_SHEET]
        assert len(rows) == len(result.findings) + 2
        county.clear_marks(VERSION, book=live)
        assert FINDINGS_SHEET not in live.sheet_names()
    finally:
        app.quit()


def test_a_button_says_the_next_step_as_the_button_to_press(control):
    workspace, xlsm = control
    book = FileBook(xlsm)
    _set(book, "报送期", "2022-06")
    assert city.make_notices(VERSION, book=book) is None  # nothing consolidated yet
    message, problem = book.messages[-1]
    assert problem and "还没有汇总过任何报表" in message
    assert "下一步：在“控制台”的“报送期”填 2022-06，然后点“导入并汇总”。" in message
    assert "guishang" not in message  # a clerk at the buttons is shown the button, not a command


def test_the_forecast_button_says_the_citys_year_end_in_the_result_line(control):
    workspace, xlsm = control
    book = FileBook(xlsm)
    _set(book, "报送期", "2022-06")
    before = city.pipeline(VERSION, book=book)  # nothing accepted yet: said, not an error
    assert before.counties and not before.periods and "还没有已受理的报表" in book.messages[-1][0]
    for period in ("2022-03", "2022-06"):
        _set(book, "报送期", period)
        run = city.consolidate(VERSION, book=book)
    outlook = city.pipeline(VERSION, book=book)
    message, problem = book.messages[-1]
    assert not problem and message.startswith("2022年全年预测（不是计划数字）：全市已入库 ")
    city_year = outlook.counties[-1]
    assert f"全市已入库 {city_year.entries_so_far} 家" in message and "2023年小升规后备" in message
    # two counties' June reports are sent back: the forecast reads their March returns, the June figures do not
    assert {s.county for s in run.summary.statuses if s.status != "已受理"} == {"攸县", "茶陵县"}
    assert city_year.entries_so_far > run.summary.city.new
    assert f"{city_year.pipeline.expected:.1f} 家" in message
    control_rows = book.read_sheets(["控制台"])["控制台"]
    assert any(row[0] == "最近一次操作" and row[1] == "培育预测" for row in control_rows)
    assert any(row[0] == "结果" and row[1] == message.rstrip("。") for row in control_rows)


def test_the_screening_button_screens_and_says_what_it_listed(control, tmp_path):
    """应入尽入筛选: without the starting register it says what to import first; with it, the counts by kind."""
    from county_files import register_file
    from screening_data import CODES, department_files
    from toolkit.cli import main

    workspace, xlsm = control
    book = FileBook(xlsm)
    _set(book, "报送期", "2022-09")
    files = department_files(tmp_path)
    assert main(["screen", "import", *map(str, files), "--workspace", str(workspace.root)]) == 0
    city.screen(VERSION, book=book)
    message, problem = book.messages[-1]
    assert problem and "尚未导入规划起始时的规上工业企业名录" in message
    assert "guishang register import" in message  # no button imports it: the command is named, as it exists
    listing = register_file(tmp_path / "名录.xlsx", [(CODES["held"], "株洲在库老厂有限公司", "430202", "荷塘区")])
    assert main(["register", "import", "--workspace", str(workspace.root), str(listing)]) == 0
    done = city.screen(VERSION, book=book)
    message, problem = book.messages[-1]
    assert not problem and message.startswith("应入尽入筛选（2022年1—9月）：列出 4 家，达标未入规 2 家，新建投产窗口 1 家，可能达标 1 家")
    assert done.city.is_file() and (workspace.output / "应入尽入" / "2022-09" / "天元区_2022-09_应入尽入工作清单.xlsx").is_file()
    control_rows = book.read_sheets(["控制台"])["控制台"]
    assert any(row[0] == "最近一次操作" and row[1] == "应入尽入筛选" for row in control_rows)
