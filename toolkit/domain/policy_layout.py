"""Where things are in the policy workbook (政策参数.xlsx): one place for its writer and its reader."""

from __future__ import annotations

SHEET_README = "说明"
SHEET_INFO = "基本信息"
SHEET_UNITS = "报送单位"
SHEET_ANNEX = "目标附件"
SHEET_GOALS = "总体目标"
SHEET_NET = "净增目标"
SHEET_THRESHOLDS = "营收标准"
SHEET_REWARDS = "奖励标准"
SHEET_REWARD_PARAMS = "奖励参数"
SHEET_SHARING = "市县分担"
SHEET_COUNTY_REWARDS = "县级就高政策"
SHEET_ASSESSMENT = "表扬批评规则"
SHEET_PROGRESS = "时序进度"
SHEET_DOCUMENTS = "发文设置"
SHEET_CALENDAR = "报送日历"
SHEET_HOLIDAYS = "节假日"
SHEET_MEMBERS = "所辖县市区"  # province level: each 市州's 县市区 (required there; absent at city level)

# sheets whose values the plan does not give: the sample marks them 示例数据 until the city replaces them
EXAMPLE_SHEETS = (SHEET_NET, SHEET_SHARING, SHEET_COUNTY_REWARDS, SHEET_DOCUMENTS, SHEET_CALENDAR)
# sheets the reader looks for a 示例数据 mark on: a province's targets annex is example data too (the real 市州
# targets are not public), a city's never is (its annex is the plan's)
MARKABLE_SHEETS = (SHEET_ANNEX, *EXAMPLE_SHEETS)
# what cannot be issued while any of its sheets is still marked 示例数据 (a draft can), and what only says so
NOTICES_NEED = (SHEET_ANNEX, SHEET_DOCUMENTS, SHEET_CALENDAR)
NOTICES_WHAT = "本期公文（发文机关、字号、报送期限）"
REWARDS_NEED = (SHEET_SHARING, SHEET_COUNTY_REWARDS, SHEET_DOCUMENTS)
REWARDS_WHAT = "奖励资金请示和审批表"
EXAMPLE_EFFECTS = {
    SHEET_ANNEX: "各单位的新增目标（完成率、排名和表扬批评依据它）；不能签发本期公文（只能生成草稿）",
    SHEET_NET: "报表封面上的净增目标注明“示例数据”",
    SHEET_CALENDAR: "报表封面上的截止日期；不能签发本期公文（只能生成草稿）",
    SHEET_DOCUMENTS: "报表封面上的报送方式和联系人；不能签发本期公文和奖励资金请示（只能生成草稿）",
    SHEET_SHARING: "不能审批奖励资金（只能生成草稿）",
    SHEET_COUNTY_REWARDS: "不能审批奖励资金（只能生成草稿）",
}

REQUIRED_SHEETS = (SHEET_INFO, SHEET_UNITS, SHEET_ANNEX, SHEET_GOALS, SHEET_THRESHOLDS)

# key/value sheets: (field, label, kind, description); kind: text | int | number | yesno | month?
INFO_FIELDS = [
    ("region", "地区名称", "text", "发文和报表中使用的地区名称，如“株洲市”"),
    ("total_label", "合计行名称", "text", "目标附件中合计行的名称，如“全市”（省级用“全省”）"),
    ("unit_label", "单位称谓", "text", "报送单位的统称，如“县市区”（省级用“市州”）"),
    ("plan_title", "规划文件", "text", "目标依据的文件名称和文号"),
    ("first_year", "规划起始年", "int", "目标附件的第一年"),
    ("last_year", "规划结束年", "int", "目标附件的最后一年"),
    ("level", "层级", "choice:city=市|province=省", "填“市”（汇总县市区报表）或“省”（汇总各市州，须填“所辖县市区”表）；"
     "没有本行的为市级", True),
]
# written only at province level, so that a city's workbook stays as it was before the province level existed
PROVINCE_ONLY_INFO = ("level",)
GOAL_FIELDS = [
    ("avg_new_per_year", "年均新增不少于（家）", "int_or_blank", "规划期内年均新增规上工业企业数"),
    ("avg_net_per_year", "年均净增不少于（家）", "int", "规划期内年均净增规上工业企业数"),
    ("goal_first_year", "年均目标起始年", "int", "年均目标的统计起始年（如“十四五”为2021）"),
    ("goal_last_year", "年均目标结束年", "int", "年均目标的统计结束年"),
    ("total_in_register", "在库总数目标（家）", "int", "力争达到的规上工业企业总数"),
    ("total_in_register_year", "在库总数目标年份", "int", "达到在库总数目标的年份"),
]
THRESHOLD_FIELDS = [
    ("above_scale", "规模以上标准（万元）", "number", "年主营业务收入达到此值为规模以上工业企业"),
    ("pool_low", "重点培育库下限（万元）", "number", "重点培育企业营业收入下限（龙头企业孵化裂变企业不受限）"),
    ("pool_high", "重点培育库上限（万元）", "number", "重点培育企业营业收入上限；达到即应督促入统"),
    ("at_risk_below", "退规风险库上限（万元）", "number", "年主营业务收入低于此值的在库企业列入退规风险企业库"),
    ("new_entry_typical_max", "新增企业营收常见上限（万元）", "number", "新增企业营收超过此值且除以10后合理时，提示疑似按千元填报"),
    ("yuan_suspect_from", "疑似按元填报起点（万元）", "number", "万元列中数值达到此值即判定疑似按元填报"),
]
REWARD_PARAM_FIELDS = [
    ("second_tranche_month", "第二期在库核验月份", "month_or_blank",
     "次年几月的在库情况决定第二期是否兑现（1-12）；留空表示次年最新已受理报送期"),
    ("reward_city_basis", "就高时市级承担的基数", "choice:city_standard=市级标准|payable=兑现金额",
     "填“市级标准”（本工具默认的理解：市级只按市级标准承担其分担比例，其余由县级承担）或“兑现金额”（市级按就高后的金额分担）", True),
    ("display_days", "公示期（工作日）", "int", "奖励名单公示的工作日数，写入公示名单", True),
    ("tax_final_month", "上年税收数据定稿月份", "month_or_blank",
     "次年几月（1-12）1日起导入的上年税务数据视为全年定稿：其中税收为零的企业不予兑现（J202）；此前导入的，税收为零的暂缓兑现"
     "（J108）。留空表示只有导入时注明为全年定稿的数据才算。样例为2（次年2月，12月税款已申报）", True),
]
ASSESSMENT_FIELDS = [
    ("praise_min_lead_points", "表扬：完成率领先时序进度至少（百分点）", "number",
     "目标完成率减去时序进度不低于此值，才可能被表扬；0 表示达到时序进度即可"),
    ("praise_top_share", "表扬：完成率排名位于前（占单位数比例）", "number",
     "按排名（默认按目标完成率，不按绝对数，以免偏向目标大的单位；见下面的权重），位于前此比例的单位可被表扬；0.3333 即前三分之一"),
    ("praise_min_net", "表扬：净增数至少（家）", "int", "本年净增数不低于此值才可能被表扬"),
    ("criticise_behind_points", "批评：完成率落后时序进度超过（百分点）", "number",
     "目标完成率比时序进度低出此值以上的单位列入通报批评"),
    ("criticise_months", "批评：适用的报送月份", "month_list", "只在这些月份的报送期作出批评，如“3、6、9、12”（季末和年末）"),
    ("criticise_not_submitted", "批评：未报送或报表被退回", "yesno", "填“是”则在适用月份未报送或报表未通过校验的单位列入通报批评"),
    ("criticise_negative_net", "批评：净增数为负", "yesno", "填“是”则在适用月份净增为负的单位列入通报批评"),
    ("weight_completion", "排名：目标完成率权重", "number",
     "排名（表扬按排名）综合新增数、净增数、目标完成率三项：每项以已受理单位中的最高值为满分折算（负数按0计），"
     "乘以权重后相加；只填完成率权重（新增数、净增数权重为0）即按完成率排名"),
    ("weight_new", "排名：新增数权重", "number", "新增数在排名得分中的权重；0 表示不计（绝对数会偏向目标大的单位）"),
    ("weight_net", "排名：净增数权重", "number", "净增数在排名得分中的权重；0 表示不计"),
]

# the reporting calendar (报送日历): one row per reporting period
CALENDAR_COLUMNS = [
    ("period", ("报送期",)),
    ("due", ("截止日期", "报送截止日期")),
    ("resubmit_days", ("退回后补报期限（工作日）", "补报期限（工作日）")),
    ("kind", ("类型", "报送类型")),  # 季度报表 | 月度调度 (domain/calendar.py); blank or absent: 季度报表
    ("remark", ("说明",)),
]

# official holidays and adjusted working weekends (节假日): one row per day that differs from Monday to Friday
HOLIDAY_COLUMNS = [
    ("day", ("日期",)),
    ("kind", ("类型",)),
    ("remark", ("说明", "节日")),
]
HOLIDAY_OFF, HOLIDAY_ON = "放假", "上班"  # 类型: a weekday off, or a weekend worked (调休)

# the time-progress curve (时序进度): one row per month
PROGRESS_COLUMNS = [
    ("month", ("月份",)),
    ("progress", ("时序进度", "时序进度（%）")),
    ("remark", ("说明",)),
]

# tables: key -> accepted header texts (the first is what the writer writes)
UNIT_COLUMNS = [
    ("name", ("名称", "县市区", "市州", "单位名称")),
    ("aliases", ("别名", "其他写法")),
    ("division_code", ("行政区划代码", "区划代码")),
    ("uscc_prefixes", ("信用代码区划前缀", "信用代码登记地前缀")),
    ("base_register", ("规划起始在库企业数（家）", "基期在库企业数")),
    ("remark", ("备注",)),
]
# 所辖县市区: one row per 县市区 (or zone such as 株洲经开区) of a province's 市州
MEMBER_COLUMNS = [
    ("unit", ("市州",)),
    ("name", ("县市区", "名称")),
    ("aliases", ("别名", "其他写法")),
    ("division_code", ("行政区划代码", "区划代码")),
    ("uscc_prefixes", ("信用代码区划前缀", "信用代码登记地前缀")),
    ("remark", ("备注",)),
]
ANNEX_NAME_HEADERS = ("县市区", "市州", "单位", "名称", "地区")
REWARD_COLUMNS = [
    ("entry_kind", ("入规类型",)),
    ("amount_yuan", ("市级奖励标准（元/家）", "奖励标准（元/家）")),
    ("requires_tax", ("需当年形成税收",)),
    ("split", ("分两期兑现",)),
    ("first_share", ("首期比例",)),
    ("remark", ("说明",)),
]
SHARING_COLUMNS = [
    ("county", ("县市区", "市州", "单位")),
    ("city_share", ("市级承担比例",)),
    ("county_share", ("县级承担比例",)),
    ("remark", ("说明",)),
]
COUNTY_REWARD_COLUMNS = [
    ("county", ("县市区", "市州", "单位")),
    ("entry_kind", ("入规类型",)),
    ("amount_yuan", ("县级奖励标准（元/家）",)),
    ("document", ("政策文件",)),
    ("remark", ("说明",)),
]

YES = ("是", "Y", "YES", "TRUE", "1")
NO = ("否", "N", "NO", "FALSE", "0")


def year_header(year: int, what: str) -> str:
    """Header of a year column in the annex ('新增') or the net-target sheet ('净增')."""
    return f"{year}年{what}目标（家）"

# 发文设置: one row per document type
DOCUMENT_COLUMNS = [
    ("doc_type", ("文种",)),
    ("mark", ("发文机关标志",)),
    ("signer", ("发文机关署名",)),
    ("number_prefix", ("发文字号前缀",)),
    ("recipients", ("主送机关",)),
    ("copy_to", ("抄送机关",)),
    ("printer", ("印发机关",)),
    ("disclosure", ("公开属性",)),
    ("reply_days", ("整改或报送期限（天）", "期限（天）")),
    ("issuer_person", ("签发人",)),
    ("contact", ("联系人及电话", "联系人")),
    ("address", ("通讯地址", "地址")),
    ("email", ("电子邮箱", "邮箱")),
    ("remark", ("说明",)),
]
DISCLOSURES = ("主动公开", "依申请公开", "不予公开")
