"""The buttons of our macro workbooks: what each says, which VBA macro it runs, which Python function
that macro calls. One catalogue for the workbook writers (drawing the buttons), the VBA modules in
``macros/`` (checked against it by the tests), the clerk's guide and the control sheet's help text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    caption: str  # on the button, Chinese
    macro: str  # the VBA Sub (ASCII) in one of the workbook's modules
    module: str  # the Python module RunPython imports
    function: str  # the function it calls, with vba_xlwings="<version of the workbook's xlwings module>"
    help: str  # one line for the clerk
    command: str = ""  # the same use case on the command line (the control workbook without macros shows it)


COUNTY_MODULE = "toolkit.excel.county"
CITY_MODULE = "toolkit.excel.city"

COUNTY_BUTTONS = (
    Button("校验本表", "GsCheckSheet", COUNTY_MODULE, "check_sheet",
           "按市里的规则检查全部工作表：问题单元格标红（错误）或标黄（提示）并加批注，问题清单见“校验结果”表。"),
    Button("清除标记", "GsClearMarks", COUNTY_MODULE, "clear_marks", "去掉上次校验的颜色、批注和“校验结果”表。"),
    Button("生成上报文件", "GsMakeReport", COUNTY_MODULE, "make_report",
           "把已保存的本工作簿另存为不含宏、不含标记的 .xlsx 上报文件（按“县市区_报送期_规上工业企业报表”命名）。"),
)

CITY_BUTTONS = (
    Button("生成县区模板", "GsMakeTemplates", CITY_MODULE, "make_templates",
           "按“报送期”为各县市区生成报表模板（.xlsx 和带按钮的 .xlsm），用工作区已受理的数据预填。",
           "guishang template --workspace 工作区 --period 2022-06 --all --xlsm"),
    Button("导入并汇总", "GsConsolidate", CITY_MODULE, "consolidate",
           "导入收件箱中的报表，校验并汇总“报送期”，写出汇总表，并刷新本工作簿的报送情况和进度。",
           "guishang consolidate --workspace 工作区 --period 2022-06"),
    Button("刷新报送情况", "GsRefreshStatus", CITY_MODULE, "refresh_status",
           "不导入文件，只按数据库刷新“报送期”的报送情况、进度和考核。",
           "guishang status --workspace 工作区 --period 2022-06"),
    Button("生成通报", "GsMakeNotices", CITY_MODULE, "make_notices",
           "生成“报送期”的工作情况通报、表扬通报、通报批评和催报通知（Word），并封账。",
           "guishang notices --workspace 工作区 --period 2022-06 --date 2022-07-15"),
    Button("培育预测", "GsPipeline", CITY_MODULE, "pipeline",
           "不导入文件，按“报送期”及本年以前各期已受理的报表预测全年新增、退库和下年小升规后备（不是计划数字）。",
           "guishang pipeline --workspace 工作区 --period 2022-09"),
    Button("应入尽入筛选", "GsScreen", CITY_MODULE, "screen",
           "按“报送期”所在年1月至该月的税务、市场监管、电力部门数据，筛选已达规模未入规的工业企业，写出市级候选企业表和"
           "各县市区工作清单（部门数据和规划起始名录先在工作台“应入尽入”页或命令行导入）。",
           "guishang screen run --workspace 工作区 --period 2022-06"),
    Button("生成奖励审批", "GsMakeRewards", CITY_MODULE, "make_rewards",
           "计算并审批“奖励年度”的奖励资金批次，生成请示、审批表、公示名单和明细表。已审批的年度只显示，不重复审批。",
           "guishang rewards approve --workspace 工作区 --year 2022 --date 2023-03-15"),
)

# VBA modules (macros/<name>.bas) in each macro workbook, besides the xlwings project's own
COUNTY_VBA_MODULES = ("GuishangCommon", "GuishangCounty")
CITY_VBA_MODULES = ("GuishangCommon", "GuishangCity", "GuishangFunctions")

# What VBA alone must be able to say (Python may be missing); the .bas files hold them as ChrW codes
VBA_MESSAGES = {
    "MSG_TITLE": "规上工业企业培育工具",
    # the configured Python does not start, or cannot import guishang and xlwings
    "MSG_NO_PYTHON": "找不到可用的 Python，或其中未安装 guishang，按钮无法运行。请按《安装说明》安装，"
                     "或运行 guishang excel setup 检查。不用按钮也能完成同样的工作：在“命令提示符”中运行 "
                     "guishang --help 查看命令；县市区照常填报 .xlsx 报表即可。",
    # Excel may not start any program (the Defender rule against Office child processes, antivirus)
    "MSG_BLOCKED": "Excel 无法启动 Python：很可能被 Windows 安全中心“阻止所有 Office 应用程序创建子进程”规则"
                   "或杀毒软件拦截。请信息科按《Excel安装与宏信任》文档设置例外。在此之前，同样的工作可在"
                   "“命令提示符”中用 guishang 命令完成（guishang --help）；县市区照常填报 .xlsx 报表即可。",
    "MSG_FAILED": "Python 运行出错（上一个窗口是英文的技术信息）。请运行 guishang excel setup 检查安装，"
                  "或把该信息和工作簿旁的“guishang运行日志.txt”发给维护人员。",
}


# --- the control workbook's sheet (市级控制台): where the buttons read their inputs and write what they did ---
CONTROL_SHEET = "控制台"
# (label, hint) of the inputs and of the lines Python writes after each run, in this order from row 4
INPUTS = (
    ("报送期", "如 2022-06（按文本填写）。生成县区模板、导入并汇总、刷新报送情况、生成通报用。"),
    ("奖励年度", "如 2022。生成奖励审批用。"),
    ("成文日期", "通报和奖励请示的成文日期，如 2022-07-08；可空，空则由办公室签发时填写。"),
)
RESULTS = ("最近一次操作", "完成时间", "结果")
FIRST_ROW = 3  # 0-based row of the first input


def input_cell(label: str) -> str:
    """The A1 address of an input or result line's value (column B)."""
    labels = [name for name, _ in INPUTS] + ["工作区", *RESULTS]
    index = labels.index(label)
    row = FIRST_ROW + index + (1 if label in ("工作区", *RESULTS) else 0)
    return f"B{row + 1}"
