"""The city control workbook (市级控制台), written with XlsxWriter: one sheet of inputs and buttons,
the output sheets the buttons fill in, and a sheet explaining the worksheet functions.

The .xlsm edition carries the VBA project and the Form buttons; the .xlsx edition is the same workbook
without them (for offices that forbid macros, which use the CLI and read its results here).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.macro_workbook import SignedProject, add_macros, draw_buttons
from toolkit.adapters.xlsx_styles import add_stamp_sheet, formats, new_workbook, print_fit
from toolkit.domain.buttons import CITY_BUTTONS, CITY_VBA_MODULES, CONTROL_SHEET, FIRST_ROW, INPUTS, RESULTS
from toolkit.domain.stamp import Stamp

FUNCTIONS_SHEET = "工作表函数"
OUTPUT_SHEETS = ("报送情况", "进度", "公文", "奖励")
FUNCTION_EXAMPLES = (
    ("=GS_TARGET(\"天元区\",2023)", "县市区某年度新增目标（第三参数写“净增”则为净增目标）"),
    ("=GS_USCC_OK(A2)", "统一社会信用代码是否正确（TRUE/FALSE，含校验位）"),
    ("=GS_REWARD(\"小升规\",12.5,\"醴陵市\")", "奖励金额（元）：入规类型、当年税收（万元），可加县市区以按就高计算"),
    ("=GS_DAXIE(100500)", "金额的中文大写：人民币壹拾万零伍佰元整"),
)


def write_control_workbook(path: Path, stamp: Stamp, *, region: str, values: dict[str, str],
                           macros: bool, created: dt.datetime | None = None, signed: SignedProject | None = None) -> Path:
    """``signed``: the project the city's IT signed, used instead of ours when it holds exactly our macros
    (else SignatureMismatch, and nothing is written)."""
    with atomic_output(Path(path)) as temp:
        workbook = new_workbook(temp, title=f"{region}规上工业企业培育 市级控制台", created=created)
        f = formats(workbook)
        ws = workbook.add_worksheet(CONTROL_SHEET)
        ws.set_column(0, 0, 14)
        ws.set_column(1, 1, 40)
        ws.set_column(2, 2, 60)
        ws.set_column(3, 3, 3)
        ws.set_column(4, 4, 24)
        ws.set_row(0, 30)
        ws.merge_range(0, 0, 0, 2, f"{region}规上工业企业培育 市级控制台", f["title"])
        ws.merge_range(1, 0, 1, 2, "本工作簿放在工作区文件夹中（与“政策参数.xlsx”“收件箱”同一文件夹），按钮对该工作区操作。",
                       f["subtitle"])
        row = FIRST_ROW
        for label, hint in INPUTS:
            ws.write_string(row, 0, label, f["label"])
            ws.write_string(row, 1, values.get(label, ""), f["input_text"])
            ws.write_string(row, 2, hint, f["hint"])
            row += 1
        row += 1
        for label in ("工作区", *RESULTS):
            ws.write_string(row, 0, label, f["label"])
            ws.write_string(row, 1, "", f["locked_value"])
            row += 1
        row += 1
        if macros:
            ws.write_string(row, 0, "按钮说明", f["bold"])
            for button in CITY_BUTTONS:
                row += 1
                ws.set_row(row, 30)
                ws.write_string(row, 0, button.caption, f["label"])
                ws.merge_range(row, 1, row, 2, button.help, f["description"])
            row += 2
            ws.merge_range(row, 0, row + 1, 2, "不允许使用宏的单位：用本工作簿的 .xlsx 版本和命令行完成同样的操作，"
                           "命令见 .xlsx 版本的“控制台”。", f["description"])
        else:  # no buttons here: the same use cases as commands, which fill in this workbook after they run
            ws.merge_range(row, 0, row, 2, "命令（本工作簿不含按钮：在“命令提示符”中运行；“工作区”换成本文件夹的路径，"
                           "报送期、年度和日期按实际填写）", f["bold"])
            for button in CITY_BUTTONS:
                row += 1
                ws.set_row(row, 45)
                ws.write_string(row, 0, button.caption, f["label"])
                ws.write_string(row, 1, button.command, f["text_wrap"])
                ws.write_string(row, 2, button.help, f["description"])
            row += 2
            ws.merge_range(row, 0, row + 1, 2, "导入并汇总、刷新报送情况、生成通报、生成奖励审批的命令运行后，结果写入本工作簿的"
                           "“报送情况”“进度”“公文”“奖励”表和上面的“最近一次操作”（本工作簿在 Excel 中打开时不更新，"
                           "关闭后再运行一次命令即可）。", f["description"])
        if macros:
            ws.write_string(FIRST_ROW - 1, 4, "操作按钮", f["bold"])
            draw_buttons(ws, CITY_BUTTONS, FIRST_ROW, 4)
        ws.print_area(0, 0, row + 1, 2)
        print_fit(ws, [14, 40, 60], landscape=False)
        ws.activate()

        for name in OUTPUT_SHEETS:
            out = workbook.add_worksheet(name)
            out.set_column(0, 0, 16)
            how = "点“控制台”上的按钮后" if macros else "运行“控制台”所列的命令后"
            out.write_string(0, 0, f"{name}：{how}在此显示。", f["hint"])

        functions = workbook.add_worksheet(FUNCTIONS_SHEET)
        functions.set_column(0, 0, 40)
        functions.set_column(1, 1, 70)
        functions.write_string(0, 0, "工作表函数（仅本工作簿的带宏版本、Windows Excel 中可用）", f["bold"])
        functions.write_string(1, 0, "在任意单元格输入", f["header"])
        functions.write_string(1, 1, "结果", f["header"])
        for index, (formula, meaning) in enumerate(FUNCTION_EXAMPLES, start=2):
            functions.write_string(index, 0, formula, f["text"])
            functions.write_string(index, 1, meaning, f["text_wrap"])
        functions.write_string(len(FUNCTION_EXAMPLES) + 3, 0,
                               "县市区报表中不使用这些函数：没有安装 Python 的电脑上会显示 #NAME?。", f["hint"])
        print_fit(functions, [40, 70], landscape=False)
        add_stamp_sheet(workbook, stamp, protect=True)
        if macros:
            add_macros(workbook, CITY_VBA_MODULES, signed)
        workbook.close()
    return Path(path)

