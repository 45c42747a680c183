"""The county report workbook, defined once.

This schema drives (1) building the template workbook, (2) reading a filled workbook back and
(3) the checks. Changing a column is a change here and nowhere else.

Reporting model: every period's workbook holds the county's YEAR-TO-DATE lists (all entries and
exits of the year so far); what changed since the last period is computed, never typed twice.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = "2022.2"  # bump when a sheet or column changes; versions not in ACCEPTED_VERSIONS are refused
# the versions still read: 2022.1 lacks the sheets added since (a county may send last quarter's template); a sheet
# is required of a workbook when the workbook's version has it (SheetSpec.since)
ACCEPTED_VERSIONS = ("2022.1", "2022.2")

HEADER_ROW = 3  # 1-based worksheet row of the column headers
EXAMPLE_ROW = 4  # the template's example row (grey, italic); the reader recognises it by its content, not its place
FIRST_DATA_ROW = 5
TEMPLATE_ROWS = 2000  # rows prepared with dropdowns and live checks in each list sheet

# Coded values (dropdowns). The first two entry kinds are the ones the city plan rewards.
ENTRY_KINDS = ("新建投产", "小升规", "外地迁入", "分立新设", "其他")
ENTRY_MODES = ("月度入库", "年度入库")
USUAL_ENTRY_MODE = {"新建投产": "月度入库", "小升规": "年度入库"}  # convention; a mismatch is a 提示
EXIT_REASONS = ("停产", "注销吊销", "迁出本地", "营收降至标准以下", "被兼并重组", "转为非工业", "其他")
RISK_REASONS = ("订单下滑", "成本上升", "资金紧张", "停产半停产", "搬迁改造", "其他")
LEDGER_STATUSES = ("未办结", "办理中", "已办结")
APPLIED = ("已申报", "未申报")
FOLLOW_RESULTS = ("跟进中", "已入库", "不符合条件", "企业暂不申报")
NEEDS_REASON = ("不符合条件", "企业暂不申报")  # a result the city asks the reason of
YES_NO = ("是", "否")

CODE_LISTS: dict[str, tuple[str, ...]] = {
    "entry_kind": ENTRY_KINDS,
    "entry_mode": ENTRY_MODES,
    "exit_reason": EXIT_REASONS,
    "risk_reason": RISK_REASONS,
    "ledger_status": LEDGER_STATUSES,
    "yes_no": YES_NO,
    "applied": APPLIED,
    "follow_result": FOLLOW_RESULTS,
}
MONTH_LIST = "months"  # the months of the report year up to the period; built per template


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str  # text | uscc | code | month | date | number | integer | industry | phone | yesno
    required: bool = False
    choices: str = ""  # a key of CODE_LISTS, or MONTH_LIST
    hint: str = ""  # shown as the header's note
    width: float = 14
    aliases: tuple[str, ...] = ()
    max_length: int = 500  # text columns: longer is a paste gone wrong
    one_line: bool = False  # text columns: a line break or tab inside is a mistake (names)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class SheetSpec:
    key: str
    name: str  # the worksheet's name
    title: str  # the title line of the sheet (county and period are added)
    description: str  # the one-line instruction under the title
    columns: tuple[Column, ...]
    since: str = "2022.1"  # the template version that added the sheet

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)


@dataclass(frozen=True)
class CoverField:
    key: str
    label: str
    kind: str  # text | phone | date | period | county | integer
    required: bool = True
    by_city: bool = False  # filled in by the template, locked for the clerk
    hint: str = ""


def _uscc(hint: str = "18位，字母大写；按营业执照填写") -> Column:
    return Column("uscc", "统一社会信用代码", "uscc", True, hint=hint, width=22, aliases=("信用代码", "社会信用代码"))


def _name() -> Column:
    return Column("name", "企业名称", "text", True, hint="与营业执照一致的全称", width=30, aliases=("单位名称", "企业全称"),
                  max_length=100, one_line=True)


def _note() -> Column:
    return Column("note", "说明", "text", hint="对“提示”类问题的书面说明；填写后该提示视为已说明", width=30,
                  aliases=("备注", "情况说明"), max_length=2000)


def _revenue(header: str, hint: str) -> Column:
    return Column("revenue", header, "number", True, hint=hint, width=16,
                  aliases=("主营业务收入", "营业收入（万元）", "营业收入"))


def _industry(required: bool = True) -> Column:
    return Column("industry", "行业代码", "industry", required,
                  hint="国民经济行业分类（GB/T 4754-2017）4位小类代码，工业为06-46大类，如 3311",
                  width=10, aliases=("行业小类代码", "国民经济行业代码"))


ENTRIES = SheetSpec(
    "entries", "新增入规企业", "新增入规企业（本年累计）",
    "填报本年1月至报送期的全部新增入规企业；每期重复填报本年累计名单，已报过的企业不要删除。",
    (
        _uscc(),
        _name(),
        Column("entry_kind", "入规类型", "code", True, "entry_kind", "从下拉列表选择；新建投产、小升规可申请市级奖励", 12,
               aliases=("新增类型", "入库类型")),
        Column("entry_mode", "入库方式", "code", True, "entry_mode", "新建投产一般为月度入库，小升规一般为年度入库", 12),
        Column("entry_month", "入规月份", "month", True, MONTH_LIST, "统计部门确认入库的月份，如 {year}-03", 11,
               aliases=("入库月份",)),
        _industry(),
        _revenue("主营业务收入（万元）", "单位：万元。年度入库填上年主营业务收入，月度入库填入库时本年累计"),
        Column("tax", "当年税收（万元）", "number", False, hint="单位：万元。本年已形成的税收，暂无填0；市级奖励要求大于0",
               width=14, aliases=("当年形成税收（万元）", "当年税收")),
        Column("employees", "从业人员（人）", "integer", False, hint="期末从业人员数", width=12, aliases=("从业人员",)),
        _note(),
    ),
)

EXITS = SheetSpec(
    "exits", "退库企业", "退库企业（本年累计）",
    "填报本年1月至报送期的全部退库（退规）企业；每期重复填报本年累计名单。",
    (
        _uscc(),
        _name(),
        Column("exit_month", "退库月份", "month", True, MONTH_LIST, "统计部门确认退库的月份，如 {year}-05", 11),
        Column("exit_reason", "退库原因", "code", True, "exit_reason", "从下拉列表选择", 16),
        Column("revenue", "上年主营业务收入（万元）", "number", False, hint="单位：万元", width=16,
               aliases=("主营业务收入（万元）",)),
        _note(),
    ),
)

POOL = SheetSpec(
    "pool", "重点培育企业", "重点培育企业库",
    "营业收入1000万-2000万元的小微工业企业和龙头企业孵化裂变企业，按月跟踪；已达规模的应督促申报入统。",
    (
        _uscc(),
        _name(),
        _industry(),
        _revenue("营业收入（万元）", "单位：万元。本年累计营业收入"),
        Column("spin_off", "龙头企业孵化裂变", "yesno", False, "yes_no", "龙头企业孵化裂变的新市场主体填“是”，不受营收区间限制", 12),
        Column("expected_entry", "预计入规月份", "month", False, hint="如 {year}-12", width=12),
        Column("measures", "培育措施", "text", True, hint="服务指导、要素保障等具体措施", width=30),
        _note(),
    ),
)

AT_RISK = SheetSpec(
    "at_risk", "退规风险企业", "退规风险企业库",
    "年主营业务收入3000万元以下且存在退规风险的在库企业，实行“一企一策”帮扶。",
    (
        _uscc(),
        _name(),
        _revenue("年主营业务收入（万元）", "单位：万元。上年或最近12个月主营业务收入"),
        Column("risk_reason", "风险原因", "code", True, "risk_reason", "从下拉列表选择主要原因", 12),
        Column("help_measures", "帮扶措施（一企一策）", "text", True, hint="针对本企业的具体帮扶措施", width=30,
               aliases=("帮扶措施",)),
        Column("helper", "帮扶责任单位", "text", False, hint="负责帮扶的部门或联系人", width=16),
        _note(),
    ),
)

LEDGER = SheetSpec(
    "ledger", "问题台账", "企业问题台账",
    "走访中发现的企业问题，逐条交办、限时办结。",
    (
        Column("uscc", "统一社会信用代码", "uscc", False, hint="18位，字母大写", width=22, aliases=("信用代码",)),
        _name(),
        Column("problem", "问题描述", "text", True, hint="企业反映的具体问题", width=34),
        Column("assigned_to", "交办单位", "text", True, width=16),
        Column("deadline", "办理时限", "date", True, hint="日期，如 {year}-07-31", width=12),
        Column("status", "办理状态", "code", True, "ledger_status", "从下拉列表选择", 10),
        _note(),
    ),
)

PROJECTS = SheetSpec(
    "projects", "重点项目", "重点项目（新建投产）清单",
    "本年计划投产或已投产的新建工业项目，逐月更新节点和进展；投产后本年累计营业收入达到2000万元的当月即可申报入库。",
    (
        Column("project", "项目名称", "text", True, hint="备案（核准）的项目名称", width=28, one_line=True),
        Column("uscc", "统一社会信用代码", "uscc", False, hint="项目企业已注册的填写，18位，字母大写", width=22,
               aliases=("信用代码",)),
        Column("name", "企业名称", "text", False, hint="项目企业已注册的填写全称", width=28, max_length=100, one_line=True),
        _industry(required=False),
        Column("planned_month", "计划投产月份", "month", True, hint="如 {year}-09", width=11),
        Column("actual_month", "实际投产月份", "month", False, hint="已投产的填写，如 {year}-06", width=11),
        Column("planned_revenue", "预计年营业收入（万元）", "number", True, hint="达产后的年营业收入，单位：万元", width=14),
        Column("revenue", "本年累计营业收入（万元）", "number", False, hint="投产后填写本年1月至报送期累计，单位：万元", width=14),
        Column("milestone", "当前节点", "text", True, hint="如 土建施工、设备安装、试生产、已投产", width=16),
        Column("responsible", "责任单位", "text", True, hint="推进项目的单位或联系人", width=16),
        _note(),
    ),
    since="2022.2",
)

FOLLOW_UP = SheetSpec(
    "follow_up", "应入尽入跟踪", "应入尽入候选企业跟踪",
    "市里下发的应入尽入工作清单中本县市区的企业，逐一联系后填写进展；已入库或不符合条件的保留在表中。",
    (
        _uscc(),
        _name(),
        Column("contacted", "联系企业日期", "date", False, hint="日期，如 {year}-10-15", width=12),
        Column("applied", "是否已申报", "code", False, "applied", "企业已向统计部门申报入统的选“已申报”", 10),
        Column("applied_on", "申报日期", "date", False, hint="日期，如 {year}-10-20", width=12),
        Column("result", "结果", "code", True, "follow_result", "从下拉列表选择", 12),
        Column("reason", "原因说明", "text", False, hint="不符合条件或企业暂不申报的，写明原因", width=30),
        _note(),
    ),
    since="2022.2",
)

LIST_SHEETS: tuple[SheetSpec, ...] = (ENTRIES, EXITS, POOL, AT_RISK, LEDGER, PROJECTS, FOLLOW_UP)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def sheets_of(version: str) -> tuple[SheetSpec, ...]:
    """The list sheets a workbook of template ``version`` has (all of them for the current version)."""
    return tuple(s for s in LIST_SHEETS if _version(s.since) <= _version(version))

COVER_SHEET = "封面"
COVER_FIELDS: tuple[CoverField, ...] = (
    CoverField("county", "县市区", "county", by_city=True),
    CoverField("period", "报送期", "period", by_city=True, hint="本表各名单为本年1月至报送期的累计数"),
    CoverField("new_target", "本年新增目标（家）", "integer", required=False, by_city=True, hint="依据市方案目标附件"),
    CoverField("net_target", "本年净增目标（家）", "integer", required=False, by_city=True, hint="本县市区自定的净增目标"),
    CoverField("unit", "填报单位", "text", required=False, hint="本单位全称，如“××区工业和信息化局”"),
    CoverField("preparer", "填报人", "text"),
    CoverField("phone", "联系电话", "phone", hint="手机或带区号的固定电话"),
    CoverField("date", "填报日期", "date", hint="如 {year}-07-05"),
    CoverField("reviewer", "审核人", "text"),
    CoverField("note", "情况说明", "text", required=False, hint="对封面“提示”的说明，以及需要向市里说明的情况"),
)
COVER_LABEL_COL = 0  # A
COVER_VALUE_COL = 1  # B
COVER_FIRST_ROW = 4  # 1-based row of the first field


# The example row of each list sheet: a firm that is not one, recognisable by its name's mark and its code.
EXAMPLE_MARK = "（示例）"
EXAMPLE_USCC = "91430200MA00000008"  # check character right (GB 32100), body all zeros: no firm has it
EXAMPLE_NOTE = "示例行，不会被读取"


def dated(hint: str, year: int) -> str:
    """A column's or cover field's hint with its date examples in the template's year ("如 {year}-03")."""
    return hint.replace("{year}", str(year))


def example_value(column: Column, year: int) -> object:
    """The example row's value for a column (a number for number columns): the format the column takes."""
    choices = CODE_LISTS.get(column.choices, ())
    if column.key == "name":
        return f"{EXAMPLE_MARK}株洲××科技有限公司"
    if column.key == "note":
        return EXAMPLE_NOTE
    if column.key == "revenue":  # inside each list's range: the pool's band, above the scale elsewhere
        return 1250.0 if column.header.startswith("营业收入") else 2350.0
    if column.key == "tax":
        return 36.5
    if column.key == "planned_revenue":
        return 30000.0
    if column.kind == "yesno":
        return "否"
    if choices:
        return choices[0]
    by_kind: dict[str, object] = {"uscc": EXAMPLE_USCC, "month": f"{year}-03", "date": f"{year}-07-05",
                                  "number": 1250.0, "integer": 56, "industry": "3311", "phone": "0731-28123456"}
    if column.kind in by_kind:
        return by_kind[column.kind]
    return {"measures": "派员上门指导财务建账和入统申报", "help_measures": "协调银行续贷500万元",
            "helper": "区工信局经济运行科", "problem": "流动资金紧张", "assigned_to": "区金融办",
            "project": "年产5000吨××新材料项目", "milestone": "设备安装", "responsible": "区工信局项目推进科",
            "reason": "核实后本年营业收入预计不足2000万元"}.get(column.key, "")


def example_state(name: object, code: object, note: object = None) -> str:
    """How a list row stands to the template's example row: "example" (untouched: the name marked, the code the
    example's or blank; never read), "half" (only one of the two marks: the example half overwritten), "rewritten"
    (a firm typed over the example, its 说明 still the example's, so the example's other values may linger), or ""
    (any other row)."""
    marked = isinstance(name, str) and name.strip().startswith(EXAMPLE_MARK)
    code_text = code.strip().upper() if isinstance(code, str) else code
    example_code = code_text == EXAMPLE_USCC
    if marked and (example_code or code_text in (None, "")):
        return "example"
    if marked or example_code:
        return "half"
    if isinstance(note, str) and note.strip() == EXAMPLE_NOTE:
        return "rewritten"
    return ""
