"""Findings: what a check says about one place in a workbook.

Every kind of problem has a stable code, a level and a Chinese message template that says what to
do (like frictionless' error classes). Findings are data: printed, written into workbooks, stored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import Enum
from string import Formatter

from toolkit.domain.level import Level as AdminLevel
from toolkit.domain.text import shown


class Level(str, Enum):
    ERROR = "错误"  # blocks acceptance until fixed
    HINT = "提示"  # accepted only with a written explanation (说明)


@dataclass(frozen=True)
class FindingKind:
    code: str
    level: Level
    title: str
    template: str  # str.format template; fields come from the finding's details
    advisory: bool = False  # a 提示 for the city's attention that the county need not explain
    # for the user documentation, where the message alone does not say when the check fires: a sentence
    # whose {fields} are the policy workbook's thresholds (Thresholds' field names), filled per city
    description: str = ""

    @property
    def parameters(self) -> tuple[str, ...]:
        """The fields of the message template, in order (seen, expected, column, ...)."""
        return tuple(dict.fromkeys(name for _, name, _, _ in Formatter().parse(self.template) if name))

    @property
    def policy_parameters(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for _, name, _, _ in Formatter().parse(self.description) if name))


# what each message field holds, for the user documentation
FIELD_MEANINGS = {"seen": "填报的值", "expected": "应有的值或依据", "column": "列名", "holder": "相关的单位或数量",
                  "source": "来源（文件、工作表、行）",
                  "how": "与示例行的关系（被改了一半，或在示例行上改写）"}


@dataclass(frozen=True)
class Finding:
    code: str
    level: Level
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None  # 1-based worksheet row
    column: str = ""  # the column's Chinese header
    cell: str = ""  # "B5"
    value: str = ""
    explained: bool = False  # a 提示 whose 说明 is filled
    advisory: bool = False  # a 提示 for the city's attention only (found across files)

    @property
    def blocking(self) -> bool:
        """错误 always blocks; a 提示 blocks until it is explained in 说明 (an advisory one never)."""
        return self.level is Level.ERROR or not (self.explained or self.advisory)

    @property
    def where(self) -> str:
        parts = [p for p in (self.sheet, self.cell) if p]
        return "!".join(parts)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["level"] = self.level.value
        data["blocking"] = self.blocking
        return data


class FindingCounts:
    """Counts over ``self.findings`` for whatever holds a workbook's findings (a file check, a book check)."""

    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(f.level is Level.ERROR for f in self.findings)

    @property
    def hints(self) -> int:
        return sum(f.level is Level.HINT for f in self.findings)

    @property
    def unexplained_hints(self) -> int:
        return sum(f.level is Level.HINT and f.blocking for f in self.findings)

    @property
    def findings_block(self) -> bool:
        """Some finding blocks acceptance (an error, or a hint not yet explained)."""
        return any(f.blocking for f in self.findings)


def column_letters(col: int) -> str:
    """0-based column to its letters: 0 → A, 26 → AA."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_address(row: int, col: int) -> str:
    """1-based row, 0-based column to an A1 address."""
    return f"{column_letters(col)}{row}"


E, W = Level.ERROR, Level.HINT
CONSOLIDATOR = AdminLevel.CITY.consolidator  # who consolidates and decides, as the catalogue's messages say it
MACROS_LOST = "W136"  # an .xlsm without its VBA project: the buttons are gone, the data is read all the same
NO_CARRIED_POLICY = "E009"  # no policy named and the workbook carries none: nothing to check it against
PERIOD_MISMATCH = "E005"  # the cover (or the template) says another period than the one due
UNREADABLE = "E000"  # the file could not be read at all; the message is the reader's, saying why and what to do
TOO_MANY = "E010"  # more findings than a person can act on: the first MAX_LISTED are listed, this says so
MAX_LISTED = 1000  # findings listed per file (a county's report has a few hundred rows at most)

KINDS: dict[str, FindingKind] = {
    k.code: k
    for k in [
        # --- the file itself
        FindingKind(UNREADABLE, E, "文件无法读取", "{expected}",
                    description="文件不是可以读取的 Excel 工作簿（损坏、加密、格式不对、超出大小限制等）时报告；"
                                "提示内容说明是哪一种情况、怎样处理。"),
        # --- the workbook as a whole
        FindingKind("E001", E, "不是下发模板", "该文件没有模板标识，不是市里下发的报表模板。请在下发的模板中填报后再报送。"),
        FindingKind("E002", E, "模板版本不符", "模板版本为 {seen}，当前要求 {expected}。请使用最新下发的模板重新填报。"),
        FindingKind("E003", E, "不是上报文件", "这是系统生成的“{seen}”，不是县市区填报的报表。请报送填报的原文件。"),
        FindingKind("E004", E, "县市区不符", "报表所属县市区为“{seen}”，应为“{expected}”。请使用本县市区的模板。"),
        FindingKind("E005", E, "报送期不符", "这是 {seen} 的报表，本期应报 {expected}：请用本期下发的模板填报，或把封面的报送期改为 {holder} 后按本期实际更新名单（名单是本年累计的）。"),
        FindingKind("E009", E, "没有附带政策参数", "这份报表没有附带市里的政策参数（模板由较早版本的工具生成），无法确定按哪个市的目标和标准校验。请向市里索取本期新模板后填报，或请市里校验。"),
        FindingKind(TOO_MANY, E, "问题过多", "本表共发现 {seen} 处问题，只列出前 {expected} 处。问题这样多，通常是整张表出了问题（粘贴了不属于本表的内容、数据填错了列、金额单位不对，或公式被填充到表格末尾）：请先对照下发的模板检查表格结构，改正后重新自查。"),
        FindingKind("E006", E, "缺少工作表", "缺少工作表“{expected}”。请勿删除或重命名模板中的工作表。"),
        FindingKind("E008", E, "封面报送期早于模板", "封面的报送期 {seen} 早于本模板的报送期 {expected}，封面被改动过。请改回 {expected}，或使用相应报送期的模板。"),
        FindingKind("E007", E, "缺少必填列", "工作表缺少“{expected}”列。请勿删除或改名模板中的列标题。"),
        # --- cells
        FindingKind("E101", E, "必填项为空", "“{column}”为必填项，本行已填其他内容但此格为空。请补填。"),
        FindingKind("E102", E, "信用代码格式错误", "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V），实为“{seen}”。请核对营业执照。"),
        FindingKind("E103", E, "信用代码校验位错误", "统一社会信用代码“{seen}”的第18位校验码与前17位对不上：18位中任何一位填错都会这样（不一定是最后一位）。请对照营业执照逐位核对全部18位后重新录入，不要只改最后一位。"),
        FindingKind("E104", E, "不是企业信用代码", "统一社会信用代码第2位为“{seen}”，企业应为“1”。请确认填报的是法人企业。"),
        FindingKind("W105", W, "登记地不在本县市区", "统一社会信用代码登记地代码为 {seen}，不属于本县市区（{expected}）。如确属本县市区企业，请在“说明”中写明原因。"),
        FindingKind("E106", E, "信用代码重复", "统一社会信用代码“{seen}”在本表中重复出现（另见第 {expected} 行）。请删除重复行。"),
        FindingKind("W107", W, "同年既新增又退库", "该企业在本年既填报新增又填报退库。请核实，并在“说明”中写明情况。"),
        FindingKind("E108", E, "行业代码格式错误", "行业代码应为国民经济行业分类（GB/T 4754-2017）4位小类代码，实为“{seen}”。"),
        FindingKind("E109", E, "不是工业行业", "行业代码“{seen}”不属于工业（采矿业、制造业、电力热力燃气及水生产和供应业，06-46大类）。请核对行业代码。"),
        FindingKind("E110", E, "不是数值", "“{column}”应填数值，实为“{seen}”。请只填数字（单位见列标题）。"),
        FindingKind("E111", E, "数值为负", "“{column}”不能为负数，实为 {seen}。"),
        FindingKind("E112", E, "月份无法识别", "“{column}”应填月份（如 {expected}），实为“{seen}”。"),
        FindingKind("E113", E, "月份不在报告年度", "“{column}”为 {seen}，不在 {expected} 年内。本表只填本年的情况。"),
        FindingKind("E114", E, "月份晚于报送期", "“{column}”为 {seen}，晚于报送期 {expected}。请核对月份。"),
        FindingKind("E115", E, "不在可选值中", "“{column}”应从下拉列表中选择（{expected}），实为“{seen}”。"),
        FindingKind("E116", E, "日期无法识别", "“{column}”应填日期（如 2022-07-05），实为“{seen}”。"),
        FindingKind("E117", E, "疑似以元为单位", "“{column}”为 {seen}，按万元计明显过大，疑似按“元”填报（折合 {expected} 万元）。请换算为万元。", description="万元列的数值达到 {yuan_suspect_from} 万元及以上时报告。"),
        FindingKind("W118", W, "疑似以千元为单位", "“{column}”为 {seen}，疑似按统计报表的“千元”填报（折合 {expected} 万元）。请换算为万元；如数值无误，请在“说明”中写明。", description="数值超出该列的正常范围（如新增企业营收超过 {new_entry_typical_max} 万元），而除以 10 后落在范围内时报告。"),
        FindingKind("W119", W, "新增企业营收未达规模", "新增入规企业主营业务收入 {seen} 万元，低于规模以上标准 {expected} 万元。请核实，并在“说明”中写明入规依据。", description="规模以上标准为 {above_scale} 万元。"),
        FindingKind("E120", E, "培育库营收低于下限", "重点培育企业本年累计营业收入 {seen} 万元，低于本期培育库下限 {expected} 万元（龙头企业孵化裂变企业除外）。请核实或移出培育库。", description="重点培育库收 {pool_low} 万元至 {pool_high} 万元的企业（全年营业收入）；填报本年累计数，12月前的下限按月数折算并留出淡季余地（1—6月为全年下限的30%）；龙头企业孵化裂变企业不受下限限制。"),
        FindingKind("W121", W, "培育库企业已达规模", "重点培育企业主营业务收入 {seen} 万元，已达规模以上标准 {expected} 万元，应督促申报入统（应入尽入）。请在“说明”中写明进展。", description="营收达到规模以上标准 {above_scale} 万元时报告。"),
        FindingKind("E122", E, "风险库营收超出范围", "退规风险企业库只收年主营业务收入 {expected} 万元以下的在库企业，本行为 {seen} 万元。请核实或移出。", description="退规风险企业库收年主营业务收入低于 {at_risk_below} 万元的在库企业。"),
        FindingKind("W123", W, "入库方式与类型不符", "入规类型“{seen}”通常为“{expected}”。请核实，并在“说明”中写明。"),
        FindingKind("W124", W, "税收大于营收", "当年税收 {seen} 万元大于主营业务收入 {expected} 万元，疑似单位填错。请核实，并在“说明”中写明。"),
        FindingKind("W125", W, "培育企业已新增入规", "该企业已填报为本年新增入规企业，但仍在重点培育库中。请移出培育库，或在“说明”中写明原因。"),
        FindingKind("W126", W, "退库企业仍在风险库", "该企业已填报退库，但仍在退规风险企业库中。请移出风险库，或在“说明”中写明原因。"),
        FindingKind("W127", W, "问题逾期未办结", "办理时限 {seen} 已过（报送期末 {expected}）而问题尚未办结。请督办，并在“说明”中写明进展。"),
        FindingKind("E128", E, "应为整数", "“{column}”应为整数，实为 {seen}。"),
        FindingKind("W129", W, "电话号码格式可疑", "联系电话“{seen}”不像有效的电话号码（应为7-12位数字，可带区号和“-”）。请核对，或在“情况说明”中写明。"),
        FindingKind("E130", E, "含有不可见字符", "“{column}”中含有 {expected} 个不可见的控制字符或换行（显示为 [U+0007]、[U+202E] 等：“{seen}”），多为从网页或其他系统复制时带入。请删除后重新输入。"),
        FindingKind("E131", E, "内容过长", "“{column}”有 {holder} 个字，超过上限 {expected} 个字：“{seen}”。请核对是否误粘贴了其他内容。"),
        FindingKind("W139", W, "计划投产月份已过", "计划投产月份 {seen} 已过（报送期 {expected}），尚未填实际投产月份。请更新计划投产月份，或在“说明”中写明项目进展和原因。"),
        FindingKind("W140", W, "未投产已填营收", "填了本年累计营业收入 {seen} 万元，但未填实际投产月份。请补填实际投产月份，或在“说明”中写明。"),
        FindingKind("E141", E, "未写明原因", "结果为“{seen}”，但“原因说明”为空。请写明原因（市里据此核实，统计部门可能抽查）。"),
        FindingKind("W142", W, "申报情况前后不符", "填了申报日期 {seen}，但“是否已申报”不是“已申报”。请核对。"),
        FindingKind("E143", E, "日期晚于报送期", "“{column}”为 {seen}，晚于报送期末 {expected}。请核对日期。"),
        FindingKind("E132", E, "数据区有合并单元格", "{seen} 是合并单元格。合并后只有左上角的格子有值，其余格子会被当作空白。请取消合并，并在每个格子里分别填写。"),
        FindingKind("E134", E, "代码被存成了数字", "“{column}”是数字格式（读到 {seen}）：Excel 的数字只保留15位有效数字，18位代码的后几位已经丢失，无法从中恢复，本工具也不会猜测。请把该列设为文本格式，再按营业执照逐位重新录入（不要从数字格式的单元格复制粘贴）。"),
        FindingKind("E135", E, "月份被存成了数字", "“{column}”读到的是数字 {seen}，不是文字的月份：在数字格式的单元格中，“2022.10”会变成 2022.1（10月变成1月），无法判断原意，本工具不会猜测。请把该格设为文本格式后重新录入，写成 {expected} 这样的形式。"),
        FindingKind(MACROS_LOST, W, "宏已丢失", "本工作簿是带按钮的版本（.xlsm），但其中的宏已经丢失（多是另存为 .ods 等格式再转回时丢的），按钮不能再用；数据照常校验，不影响报送。需要按钮时请向市里索取新的 .xlsm 模板。", True),
        FindingKind("W137", W, "电话被存成了数字", "“{column}”是数字格式（读到 {seen}）：带区号的固定电话开头的 0 在数字格式中会丢失。请把该格设为文本格式后重新录入（如 0731-22881234），或在“情况说明”中写明。"),
        FindingKind("E138", E, "示例行被改写", "本行{how}（{seen}）。示例行不会被读取，在示例行上改写的内容与示例原有的值无法区分，本行未计入。请把企业填在示例行下方的空行中（逐格填写，不要沿用示例的值），并把示例行删除或恢复原样。"),
        FindingKind("W133", W, "数据行被隐藏", "第 {seen} 行被隐藏（或被筛选隐藏），其中的企业仍会上报并计入汇总。如不应上报，请删除整行；如确应上报，请取消隐藏，或在“说明”中写明。"),
        # --- across files: against the register and the other counties (found when consolidating)
        FindingKind("E201", E, "新增企业已在库", "该企业已于 {expected} 入规（{holder}），尚未退库，不能作为本年新增。如系退库后重新入规，请先核实退库情况；否则请删除本行。"),
        FindingKind("W202", W, "待认定归属", "该企业同时被{expected}报为本年新增，待市里认定归属后计入，本行暂不计入本单位数据。", True),
        FindingKind("E203", E, "退库企业不在名录", "该企业不在规上企业名录中（含已导入的起始名录和历次受理的新增），不能退库。请核对统一社会信用代码。"),
        FindingKind("W204", W, "退库企业未见于已有数据", "该企业不在已受理的新增名单中，尚未导入起始名录，无法核对其在库情况。请市里核实。", True),
        FindingKind("E205", E, "新增企业从累计名单中消失", "{seen} 在 {expected} 报表中列为新增（{source}），本期名单中没有，也未填报退库。本年累计名单只增不减：请补回，或在“退库企业”表中填报。"),
        FindingKind("W206", W, "已认定属其他单位", "市里已认定该企业属于{expected}，本行不计入本单位数据。", True),
        FindingKind("W207", W, "退库企业属其他单位", "名录中该企业属于{expected}，却由本单位填报退库。请市里核实。", True),
        FindingKind("W208", W, "新增未经统计确认", "该企业不在统计部门确认的{expected}新增名单中{holder}。请市里与统计部门核实。", True),
        FindingKind("W209", W, "退库未经统计确认", "该企业不在统计部门确认的{expected}退库名单中{holder}。请市里与统计部门核实。", True),
        FindingKind("W210", W, "确认新增未填报", "统计部门确认 {seen} 为本单位{expected}新增入规（{source}），本表未填报。请市里与县市区核实。", True),
        FindingKind("W211", W, "确认退库未填报", "统计部门确认 {seen} 为本单位{expected}退库（{source}），本表未填报。请市里与县市区核实。", True),
        FindingKind("W212", W, "已撤回重复申报", "{seen} 在 {expected} 报表中列为新增（{source}），本期不再列入；该企业由{holder}报为新增（或已认定属{holder}），视为重复申报已撤回，不作为“消失”处理。", True),
        FindingKind("W213", W, "信用代码与上期不一致", "本行企业在 {expected} 报表中的统一社会信用代码为 {holder}，本期为 {seen}：同一企业前后两期的代码不一致。请按营业执照核对，改正后两期一致；如确属变更，请市里核实。", True),
        # --- a 市州's summary at province level (domain/city_checks.py)
        FindingKind("E302", E, "县市区不属本市州", "“{seen}”不是{expected}所辖的县市区。请按省级下发的县市区名单汇总后重新报送。"),
        FindingKind("E303", E, "缺少县市区", "汇总表中没有{expected}所辖的“{seen}”。未报送的县市区也应列出（状态为未报送），请按省级下发的县市区名单汇总后重新报送。"),
        FindingKind("E304", E, "汇总与明细不符", "“{column}”为 {seen}，应为{expected}。请重新生成汇总表后报送，不要手工改动汇总表中的数字。"),
        FindingKind("W305", W, "目标低于省定目标", "各县市区“{column}”合计 {seen} 家，低于省定本市州目标 {expected} 家。", True),
        FindingKind("E306", E, "明细另存为CSV", "名单超过汇总表的行数上限，已另存为 CSV 文件，汇总表中没有逐家名单。请与省里联系报送方式。"),
        FindingKind("E307", E, "依据内置样例", "该汇总表依据工具的内置样例政策参数生成，不是本市州的实际数据。请用本市州的政策参数重新汇总后报送。"),
        FindingKind("W308", W, "县市区报表未受理", "{column}的报表状态为“{seen}”，其数字未计入本市州的汇总。", True),
        FindingKind("W309", W, "汇总未封账", "{seen} 的汇总表尚未封账，数字在市州封账前还可能变动。", True),
        # --- register lists imported from the statistics office
        FindingKind("R001", E, "缺少名录列", "找不到名录的表头：需要{expected}列（可另有“县市区”或“行政区划代码”列）。请检查是否选对了文件。"),
        FindingKind("R002", E, "县市区无法确定", "“{seen}”不是政策参数中的{column}（可选：{expected}）。请改正名称，或填写行政区划代码。"),
        FindingKind("R003", E, "名录为空", "工作表中没有企业。请检查是否选对了文件。"),
        FindingKind("R004", E, "变动类型无法识别", "“变动类型”应为“新增”或“退库”，实为“{seen}”。"),
        # --- the tax office's list
        FindingKind("T002", E, "税收年度不符", "税收列标题“{seen}”写的是{holder}年的税收，导入的是{expected}年。请核对文件或导入的年度。"),
        FindingKind("T003", E, "缺少税收列", "在{holder}中找不到税收数据的表头：需要{expected}两列（表头应在前12行内；税收列可写作“当年形成税收（万元）”“2024年形成税收（万元）”“税收合计（元）”等）。请检查是否选对了文件。"),
        FindingKind("T001", E, "税收单位不明", "税收列标题“{seen}”没有注明单位。请在标题中写明“（万元）”或“（元）”后再导入。"),
        # --- the policy workbook
        FindingKind("P001", E, "缺少工作表", "政策参数工作簿缺少工作表“{expected}”。"),
        FindingKind("P002", E, "缺少列或项目", "缺少“{expected}”。请按样例工作簿的格式填写。"),
        FindingKind("P003", E, "数值无效", "“{column}”应为{expected}，实为“{seen}”。"),
        FindingKind("P004", E, "名称重复", "“{seen}”重复出现（另见 {expected}）。同一县市区、报送期或日期只能填写一行。"),
        FindingKind("P005", E, "未知县市区", "“{seen}”不在“县市区”工作表中。请先在“县市区”表中登记，或改正名称。"),
        FindingKind("P006", E, "目标合计不符", "{column}各县市区目标合计为 {seen}，与{expected}不一致。请核对目标附件。"),
        FindingKind("P007", E, "缺少目标", "“{seen}”缺少 {expected} 年的新增目标。"),
        FindingKind("P008", E, "代码格式错误", "“{column}”应为{expected}，实为“{seen}”。"),
        FindingKind("P009", E, "比例不符", "{column}应在0-1之间且市县合计为1，实为“{seen}”。"),
        FindingKind("P010", E, "标准顺序不对", "{column}：{seen}。请核对营收标准。"),
        FindingKind("P011", E, "年份标题无法识别", "列标题“{seen}”中找不到年份（如“2022年新增目标（家）”）。"),
        FindingKind("P012", E, "市州没有县市区", "“{seen}”在“所辖县市区”表中没有县市区。省级政策参数须为每个市州列出所辖县市区。"),
        FindingKind("P013", E, "未知市州", "“{seen}”不在“报送单位”表中。请先在“报送单位”表中登记该市州，或改正名称。"),
        FindingKind("P014", E, "代码不在市州区划内", "“{column}”{seen}不在{expected}的区划范围内。请核对该县市区所属的市州和代码。"),
    ]
}



# what each kind checks, for the user documentation (docs/问题代码.md); kinds that depend on the policy's
# thresholds carry their own description above, with the thresholds as {fields}
_DESCRIPTIONS = {
    "E001": "读取时核对模板隐藏的标识表；没有标识（自制表格、从别处复制的工作簿）即报告。",
    "E002": "模板标识中的版本号不是本版工具能读的报表结构版本时报告（报表结构改过之后，过旧的模板不能再用；上一版模板仍可读，缺少新增的工作表不算错）。",
    "E003": "文件是本工具生成的校验结果、标注副本或汇总表等，不是县市区填报的报表时报告。",
    "E004": "模板标识或封面中的县市区与应报的县市区不一致时报告。",
    "E005": "报表的报送期与应报的报送期不一致时报告。报送期以封面为准：上期的工作簿改了封面报送期继续填报是允许的（名单本年累计）；封面没改的，仍是上期的报表。",
    "E008": "封面的报送期早于模板标识中的报送期时报告（模板是某期下发的，封面不能往前改）。",
    "E009": "没有指定政策参数时（县市区自查、不在工作区中校验），按报表模板附带的政策参数校验；模板中没有（较早版本生成的模板）时报告。",
    "E010": "一份报表的问题超过 1000 处时报告：只列出前 1000 处（按工作表和行的顺序），其余不再逐条列出；改正后重新校验，会列出其余的问题。",
    "E006": "报表结构规定的工作表（封面和各名单表）缺少时报告。",
    "E007": "名单表的表头中找不到必填列时报告（表头允许常见的别称）。",
    "E101": "一行中填了其他内容、却没有填必填列时报告；整行为空的行不算。",
    "E102": "统一社会信用代码去掉空格、全角转半角、小写转大写后仍不是18位合法字符时报告。",
    "E103": "按 GB 32100-2015 由前17位计算第18位校验码，与填写的不一致时报告。错的可能是18位中的任何一位，所以本工具从不替填报人算出第18位（照着改最后一位，会得到一个格式正确却不存在的企业代码），只请对照营业执照逐位核对。",
    "E104": "信用代码第2位（机构类别）不是“1”（企业）时报告。",
    "W105": "信用代码第3-8位（登记管理机关行政区划码）不在政策参数为本县市区登记的区划前缀中时报告。",
    "E106": "同一工作表中同一信用代码出现两次以上时报告。",
    "W107": "同一企业既在本年新增名单中、又在本年退库名单中时报告。",
    "E108": "行业代码不是4位数字时报告。",
    "E109": "行业代码的前两位不在 06-46（采矿业、制造业、电力热力燃气及水生产和供应业）时报告。",
    "E110": "数值列中填了不能识别为数字的内容时报告（全角数字、千分位逗号、以文本存储的数字均可识别）。",
    "E111": "营收、税收、人数等列为负数时报告。",
    "E112": "月份列中填了不能识别为年月的内容时报告（2022-06、2022年6月、2022.06 等写法均可识别）。",
    "E113": "月份不在报送期所在年度时报告（报表只填本年的情况）。",
    "E114": "月份晚于报送期时报告。",
    "E115": "下拉列表列（入规类型、入库方式、退库原因、办理状态等）的值不在可选值中时报告。",
    "E116": "日期列中填了不能识别为日期的内容时报告。",
    "W123": "新建投产一般为“月度入库”、小升规一般为“年度入库”，两者不符时报告。",
    "W124": "当年税收大于主营业务收入时报告（多为单位填错）。",
    "W125": "本年新增名单中的企业仍在重点培育库中时报告。",
    "W126": "本年退库名单中的企业仍在退规风险企业库中时报告。",
    "W127": "问题台账中办理时限早于报送期末、办理状态不是“已办结”时报告。",
    "E128": "从业人员等应为整数的列填了小数时报告。",
    "W129": "封面联系电话去掉空格和“-”后不是7-12位数字时报告。",
    "E130": "单元格中含有控制字符、换行或文字方向控制符时报告（多为从网页或其他系统复制带入）。",
    "E131": "企业名称超过 100 字、说明超过 2,000 字、其他文字超过 500 字时报告。",
    "W139": "重点项目的计划投产月份早于报送期、实际投产月份未填时报告。",
    "W140": "重点项目填了本年累计营业收入、实际投产月份未填时报告。",
    "E141": "应入尽入跟踪的结果为“不符合条件”或“企业暂不申报”、原因说明为空时报告。",
    "W142": "应入尽入跟踪填了申报日期、“是否已申报”不是“已申报”时报告。",
    "E143": "应入尽入跟踪的联系企业日期、申报日期晚于报送期末时报告。",
    "E132": "名单数据区中有合并单元格时报告（读取文件时核对；Excel 按钮中的“校验本表”不核对）。",
    "E138": "名单中的一行只有企业名称的“（示例）”或只有示例信用代码（示例行被改了一半），或“说明”仍是示例行的说明而企业已改（在示例行上改写）时报告；该行不计入，由县市区改正。原样未动的示例行（名称带“（示例）”、信用代码为示例代码或空白）不读取、不报告。",
    "W133": "名单数据区中有被隐藏或被筛选隐藏的行时报告（读取文件时核对）。",
    "W137": "封面联系电话是数字而不是文字、又不是11位手机号时报告（固定电话的区号 0 已丢失）。",
    "W136": "文件扩展名为 .xlsm（带按钮的版本）而其中没有宏时报告；供参考，不需要说明，不影响受理。",
    "E134": "信用代码列的单元格是数字而不是文字时报告（从其他系统粘贴、或单元格被改成数字格式时常见）。从不据此推算校验码。",
    "E135": "月份列（或封面的报送期）是数字而不是文字时报告；数字格式会吃掉末尾的0，无法确定是哪个月。",
    "E201": "新增企业已在规上企业名录中（以前年度入规、尚未退库，不论属哪个单位）时报告；汇总时核对。",
    "W202": "同一企业被两个以上单位报为本年新增、市里尚未认定归属时报告；供市里核实。",
    "E203": "已导入规划起始名录，而退库企业既不在起始名录中、也不在历次受理的新增中时报告。",
    "W204": "尚未导入规划起始名录、退库企业又不在历次受理的新增中，无法核对时报告；供市里核实。",
    "E205": "上期已受理的本年累计名单中的新增企业，本期名单中没有、也未填报退库时报告。",
    "W206": "市里已认定该企业属于其他单位、本单位仍报为新增时报告；该行不计入本单位。",
    "W207": "名录中属于其他单位的企业由本单位填报退库时报告；供市里核实。",
    "W208": "已导入统计部门确认名单，县市区报为新增的企业不在其中（或确认属其他单位）时报告。",
    "W209": "已导入统计部门确认名单，县市区报为退库的企业不在其中（或确认属其他单位）时报告。",
    "W210": "统计部门确认为本单位新增、本单位名单中没有时报告。",
    "W211": "统计部门确认为本单位退库、本单位名单中没有时报告。",
    "W213": "上期列为新增的企业本期名称相同而信用代码不同时报告（多为录错一位，该行另有信用代码的错误）：只作为供市里知悉的提示，不再另报 E205，以免一个笔误算成两条错误。",
    "E302": "省级汇总时，市州汇总表“概览”中的县市区不在省级政策参数“所辖县市区”表中该市州名下（可能属于另一市州，或名称有误）时报告。",
    "E303": "省级汇总时，省级政策参数中该市州所辖的县市区在其汇总表“概览”中没有一行时报告。",
    "E304": "省级汇总时，市州汇总表“概览”中某县市区的新增合计或退库，与“新增明细”（计入的行）或“退库明细”中该县市区的行数不同，或与生成汇总表时记下的数字不同（汇总表生成后被手工改动）时报告。",
    "W305": "省级汇总时，市州给所辖县市区定的年度新增（或净增）目标合计低于省定该市州的目标时报告；供省里知悉（高于省定目标不报告）。",
    "E306": "省级汇总时，市州汇总表的名单因行数过多另存为 CSV 文件、表中没有逐家名单时报告。",
    "E307": "省级汇总时，市州汇总表是依据工具的内置样例政策参数生成的时报告。",
    "W308": "省级汇总时，市州所辖某县市区的报表未被市州受理（被退回、未报送）时报告；供省里知悉。",
    "W309": "省级汇总时，市州该期尚未封账时报告；供省里知悉。",
    "W212": "上期本单位与其他单位都报为新增的企业（或已认定属其他单位），本期本单位不再列入时报告：这是撤回重复申报，不是 E205；记入数据库备查，供市里知悉。",
    "R001": "导入统计部门的名录时找不到含信用代码和企业名称的表头行时报告。",
    "R002": "名录中的县市区名称不是政策参数中的单位或其别名、也没有可用的行政区划代码时报告。",
    "R003": "名录工作表中没有任何企业时报告。",
    "R004": "确认名单的“变动类型”不是“新增”或“退库”时报告。",
    "T001": "税务部门数据的税收列标题没有写明“万元”或“元”时报告（单位不明不猜，避免差一万倍）。",
    "T002": "税收列标题写明了年份（如“2024年形成税收（万元）”）、与导入的年度不同时报告。",
    "T003": "导入税务部门数据时，任何工作表的前12行中都找不到含信用代码和税收的表头行时报告。",
    "P001": "政策参数工作簿缺少必需的工作表时报告；省级（基本信息“层级”为“省”）还须有“所辖县市区”表。",
    "P002": "政策参数工作表缺少必需的列或项目时报告。",
    "P003": "政策参数中的数值不是要求的类型或超出允许范围时报告。",
    "P004": "同一县市区（或别名）、报送期、发文类型或节假日日期在政策参数中出现两次以上时报告。",
    "P005": "目标、分担比例、就高政策等表中出现“县市区”表里没有的单位时报告。",
    "P006": "某年度各县市区目标之和与全市目标不一致时报告。",
    "P007": "某县市区缺少规划期内某年的新增目标时报告。",
    "P008": "行政区划代码、信用代码区划前缀不是6位数字时报告。",
    "P009": "某县市区的市县分担比例不在 0-1 之间或市县合计不为 1 时报告。",
    "P010": "营收标准之间的大小关系不对（如重点培育库的下限不低于上限）时报告。",
    "P011": "目标表的列标题中找不到年份时报告。",
    "P012": "省级政策参数中某市州在“所辖县市区”表中一个县市区也没有时报告。",
    "P013": "“所辖县市区”表中某县市区所属的市州不在“报送单位”表中时报告。",
    "P014": "“所辖县市区”表中县市区的行政区划代码或信用代码区划前缀不以所属市州的区划代码（如长沙市4301）开头时报告。",
}
KINDS = {code: kind if kind.description else replace(kind, description=_DESCRIPTIONS[code]) for code, kind in KINDS.items()}


def said_by(findings: list[Finding], consolidator: str) -> list[Finding]:
    """The findings with the body that consolidates named as ``consolidator`` (省里 at province level) where the
    catalogue's messages name a city (市里 核实, 待市里认定): the same check, the level's own words."""
    return [replace(f, message=f.message.replace(CONSOLIDATOR, consolidator)) if CONSOLIDATOR in f.message else f
            for f in findings]


def make_finding(code: str, *, file: str = "", sheet: str = "", row: int | None = None, col: int | None = None,
                 column: str = "", value: object = "", explained: bool = False, **details: object) -> Finding:
    """Build a finding of a catalogued kind; ``details`` fill the message template."""
    kind = KINDS[code]
    seen = "" if value is None else shown(value)  # control characters made visible, long text cut
    fields = {"column": column, "seen": seen, "expected": "", **{k: str(v) for k, v in details.items()}}
    cell = cell_address(row, col) if row is not None and col is not None else ""
    return Finding(
        code=code,
        level=kind.level,
        message=kind.template.format(**fields),
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        cell=cell,
        value=seen,
        explained=explained and kind.level is Level.HINT,
        advisory=kind.advisory,
    )
