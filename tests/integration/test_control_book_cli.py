"""The control workbook without macros (市级控制台.xlsx) is the command line's window (#19): it lists the
commands instead of buttons it does not have, and each command writes what it did into it, as the button
would; a control workbook that cannot be written never costs the command its work."""

from __future__ import annotations


import openpyxl

from conftest import JUNE_REPORTS, new_workspace
from toolkit.domain.buttons import CONTROL_SHEET, input_cell
from toolkit.cli import main
from toolkit.domain.buttons import CITY_BUTTONS



def _texts(ws) -> list[str]:
    return [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]


def test_the_xlsx_edition_shows_commands_not_buttons(tmp_path):
    root = new_workspace(tmp_path / "工作区", reports=JUNE_REPORTS.glob("*.xlsx"))
    book = openpyxl.load_workbook(root / "市级控制台.xlsx")
    texts = _texts(book[CONTROL_SHEET])
    assert "按钮说明" not in texts
    for button in CITY_BUTTONS:
        assert button.command.startswith("guishang ") and button.command in texts
    assert all("运行“控制台”所列的命令后在此显示" in str(book[name]["A1"].value)
               for name in ("报送情况", "进度", "公文", "奖励"))
    macro = openpyxl.load_workbook(root / "市级控制台.xlsm", keep_vba=True)
    assert "按钮说明" in _texts(macro[CONTROL_SHEET])


def test_each_command_the_buttons_stand_for_is_a_real_command(capsys):
    for button in CITY_BUTTONS:
        words = button.command.split()[1:]
        verb = words[:2] if words[0] in ("rewards", "screen") else words[:1]
        try:
            main([*verb, "--help"])
        except SystemExit as done:  # argparse's --help
            assert done.code == 0
        usage = capsys.readouterr().out
        for option in (w for w in words if w.startswith("--")):
            assert option in usage, (button.caption, option)


def test_consolidate_and_notices_fill_in_the_control_workbook(tmp_path, capsys):
    root = new_workspace(tmp_path / "工作区", reports=JUNE_REPORTS.glob("*.xlsx"))
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) in (0, 1)
    book = openpyxl.load_workbook(root / "市级控制台.xlsx")
    status = book["报送情况"]
    assert str(status["A1"].value).startswith("报送情况（2022年1-6月")
    counties = [row[0] for row in status.iter_rows(min_row=3, values_only=True) if row[0]]
    assert "荷塘区" in counties and "攸县" in counties
    assert str(book["进度"]["A1"].value).startswith("株洲市新增规上工业企业进度（2022年1-6月")
    control = book[CONTROL_SHEET]
    assert control[input_cell("最近一次操作")].value == "导入并汇总"
    assert "尚未受理" in str(control[input_cell("结果")].value)
    assert control[input_cell("工作区")].value == str(root)

    assert main(["notices", "--workspace", str(root), "--period", "2022-06", "--draft"]) == 0
    book = openpyxl.load_workbook(root / "市级控制台.xlsx")
    assert "催报通知" in _texts(book["公文"])
    assert book[CONTROL_SHEET][input_cell("最近一次操作")].value == "生成通报"
    assert not [p for p in root.iterdir() if "更新中" in p.name]  # replaced whole, nothing left behind


def test_a_control_workbook_that_cannot_be_written_never_costs_the_command_its_work(tmp_path, capsys):
    root = new_workspace(tmp_path / "工作区", reports=JUNE_REPORTS.glob("*.xlsx"))
    (root / "市级控制台.xlsx").write_bytes(b"not a workbook")
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) in (0, 1)
    out = capsys.readouterr().out
    assert "“市级控制台.xlsx”未更新" in out and "命令本身的结果不受影响" in out
    assert list((root / "输出" / "汇总").glob("*2022-06*.xlsx"))
    assert (root / "市级控制台.xlsx").read_bytes() == b"not a workbook"  # left as it was


def test_a_table_shows_numbers_as_numbers_and_a_short_row_across_the_table(tmp_path):
    """#19: the 奖励 sheet's amounts are numbers with separators (万元 too), and the total in capitals spans the
    row instead of wrapping in one narrow column."""
    from toolkit.adapters.file_book import FileBook
    from toolkit.ports.book import Table

    source = tmp_path / "book.xlsx"
    openpyxl.Workbook().save(source)
    book = FileBook(source)
    book.put_table("奖励", Table("2022年度奖励资金", ("批次", "县市区", "首期(家)", "金额(元)", "金额(万元)"),
                                 [("第1批", "合计", 218, 9050000, 905.0), ("第1批", "大写", "人民币玖佰零伍万元整")],
                                 (18, 12, 10, 14, 12)))
    target = book.save_as(tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(target)["奖励"]
    assert ws["D3"].value == 9050000 and ws["D3"].number_format == "#,##0"
    assert ws["E3"].value == 905 and ws["E3"].number_format == "#,##0.00##"
    assert "C4:E4" in {str(r) for r in ws.merged_cells.ranges} and ws["C4"].value == "人民币玖佰零伍万元整"
