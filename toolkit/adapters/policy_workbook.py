"""The policy workbook (政策参数.xlsx): written with XlsxWriter, read with calamine and validated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.workbook_file import read_sheets
from toolkit.adapters.xlsx_styles import formats, new_workbook, print_fit, wrapped_height
from toolkit.domain import policy_layout as L
from toolkit.domain.calendar import WorkingDays
from toolkit.domain.level import Level
from toolkit.domain.policy import DOCUMENT_TYPES, Policy
from toolkit.domain.policy_parsing import parse_policy
from toolkit.ports.files import PolicyInvalid


def read_policy(path: Path) -> Policy:
    sheets = read_sheets(Path(path))
    policy, findings = parse_policy(sheets, file=Path(path).name)
    if policy is None:
        raise PolicyInvalid(path, findings)
    return policy


README_LINES = (
    "本工作簿保存规上工业企业培育工作的政策参数，由市里工作人员在 Excel 中维护，程序读取时逐项校验。",
    "“目标附件”按市方案附件填写各单位每年新增目标，第一行为合计行，各单位之和必须等于合计。",
    "“报送单位”登记各县市区（省级为各市州）的名称、别名、行政区划代码和信用代码区划前缀（多个用顿号分隔）。",
    "株洲经开区没有独立的行政区划代码，其企业在周边区登记；渌口区2018年前登记的企业仍为原株洲县代码430221。",
    "由市场监管部门在市级登记的企业，信用代码第3-8位为市级代码（如430200），城区各单位一并接受。",
    "标注“示例数据”的工作表（净增目标、市县分担、县级就高政策、发文设置、报送日历）为示例数据，方案未规定，请按实际替换，"
    "并删去该表第2行说明中的“示例数据”字样；在此之前，引用它的公文（通报、奖励资金请示等）只能生成草稿，不能签发。",
    "“报送日历”规定各报送期的截止日期和退回后补报期限；“节假日”登记法定节假日和调休上班日，工作日按它计算。",
    "本工具默认的理解（可调整）：分两期兑现适用于新建投产和小升规两类；“就高”时只兑现一次，取市、县标准中较高者，市级只按市级标准承担其分担比例，其余由县级承担。",
    "修改后可用命令检查：guishang policy --check 政策参数.xlsx",
)
PROVINCE_README_LINES = (
    "本工作簿保存全省规上工业企业培育工作的政策参数，由省里工作人员在 Excel 中维护，程序读取时逐项校验。",
    "“基本信息”中“层级”为“省”：报送单位是各市州，合计行为“全省”；“所辖县市区”表登记每个市州的县市区，省级必填。",
    "“目标附件”填写各市州每年新增目标，第一行为全省合计，各市州之和必须等于合计；“净增目标”填写各市州每年净增目标。",
    "“报送单位”登记各市州的名称、别名、行政区划代码和信用代码区划前缀（如长沙市4301）；"
    "“所辖县市区”中各县市区的代码须在所属市州的区划内。",
    "“总体目标”按省方案填写：每年净增不少于1000家，到2025年在库总数达到2.5万家；方案未规定年均新增，可留空。",
    "标注“示例数据”的工作表（目标附件、净增目标、发文设置、报送日历）为示例数据，方案未公布或未规定，请按实际替换，"
    "并删去该表第2行说明中的“示例数据”字样；在此之前，引用它的公文（通报、催报等）只能生成草稿，不能签发。",
    "“报送日历”规定各市州报送汇总表的截止日期；“节假日”登记法定节假日和调休上班日，工作日按它计算。",
    "修改后可用命令检查：guishang policy --check 政策参数.xlsx",
)
PROGRESS_NOTE = ("默认按月平均（已过月数÷12）。小升规企业多在年初集中入库、新建投产企业逐月入库，"
                 "可按本地入库规律调整各月比例（须逐月不减，12月一般为100%）。")
DOCUMENTS_NOTE = ("市工信局可向县市区工信部门发文，不向县市区人民政府发指令性公文；对县市区政府的表扬、批评由市政府办公室"
                  "或方案确定的指挥部发文。发文字号的编号和成文日期在签发时确定。奖励资金请示是上行文，须填签发人；"
                  "联系人及电话写入请示的附注、公示和催报函；公示的异议和催报函的报送寄往通讯地址、电子邮箱。")
PROVINCE_DOCUMENTS_NOTE = ("省工业和信息化厅可向各市州工业和信息化主管部门发文（调度通报、催报）；对市州人民政府的表扬、"
                           "批评由省人民政府办公厅或方案确定的领导小组发文。发文字号的编号和成文日期在签发时确定。"
                           "联系人及电话写入催报函；催报函的报送寄往通讯地址、电子邮箱。")
EXAMPLE_NOTE = ("示例数据：方案未规定，请按实际替换。替换后删去本单元格中的“示例数据”字样；"
                "在此之前，引用本表的公文只能生成草稿，不能签发。")
CALENDAR_NOTE = ("每个报送期一行：截止日期前应报送合格报表；报表被退回的，在补报期限（工作日）内重新报送。"
                 "补报期限按“节假日”表计算工作日。校验报表时按本表判断本期应报哪一期；不填本表则不核对。"
                 "类型填“季度报表”或“月度调度”（不填为季度报表）：月度调度报送培育库、重点项目、退规风险和问题台账的"
                 "进展，同样校验、退回和催报，但不据以表扬或通报批评。")
MEMBERS_NOTE = ("省级使用：每个县市区一行，写明所属市州（须为“报送单位”表中的市州）。行政区划代码按 GB/T 2260 填写，"
                "信用代码区划前缀不填时取行政区划代码；二者都须在所属市州的区划内。经开区等没有区划代码的可留空，"
                "只填前缀。")
HOLIDAYS_NOTE = ("按国务院办公厅每年的节假日安排通知填写：放假的日期填“放假”，调休上班的周六、周日填“上班”。"
                 "补报期限、公示期等工作日按本表计算；本表没有的年份只扣除周六、周日，请每年年底补充下一年。")


def _kv_sheet(workbook, f, name: str, title: str, fields, values: dict) -> None:
    ws = workbook.add_worksheet(name)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 40)
    ws.set_column(2, 2, 60)
    ws.merge_range(0, 0, 0, 2, title, f["title"])
    for col, header in enumerate(("项目", "数值", "说明")):
        ws.write_string(1, col, header, f["header"])
    for row, (key, label, kind, description, *_) in enumerate(fields, start=2):
        ws.write_string(row, 0, label, f["label"])
        value = values.get(key)
        if kind.startswith("choice:"):  # stored as a key, shown as its Chinese text, chosen from a list
            options = dict(o.split("=", 1) for o in kind[len("choice:"):].split("|"))
            value = options.get(value, value)
            ws.data_validation(row, 1, row, 1, {"validate": "list", "source": list(options.values())})
        if isinstance(value, bool):
            ws.write_string(row, 1, "是" if value else "否", f["plain"])
        elif isinstance(value, (int, float)):
            ws.write_number(row, 1, value, f["plain"])
        elif isinstance(value, tuple):
            ws.write_string(row, 1, "、".join(map(str, value)), f["plain"])
        elif value is not None:
            ws.write_string(row, 1, str(value), f["plain"])
        ws.write_string(row, 2, description, f["hint"])
    print_fit(ws, [34, 40, 60])


def _table_sheet(workbook, f, name: str, title: str, headers: Iterable[str], rows: Iterable[Iterable[object]],
                 widths: Iterable[float], note: str = "") -> None:
    ws = workbook.add_worksheet(name)
    headers = list(headers)
    widths = list(widths)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.merge_range(0, 0, 0, len(headers) - 1, title, f["title"])
    if note:
        ws.merge_range(1, 0, 1, len(headers) - 1, note, f["hint_level"])
    header_row = 2
    for col, header in enumerate(headers):
        ws.write_string(header_row, col, header, f["header"])
    for r, row in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                ws.write_string(r, col, "是" if value else "否", f["plain"])
            elif isinstance(value, (int, float)):
                ws.write_number(r, col, value, f["plain"])
            else:
                ws.write_string(r, col, str(value), f["plain"])
    ws.freeze_panes(header_row + 1, 1)
    ws.repeat_rows(header_row)
    print_fit(ws, widths, landscape=sum(widths) > 95, repeat_columns=1)


def _progress_sheet(workbook, f, policy: Policy) -> None:
    ws = workbook.add_worksheet(L.SHEET_PROGRESS)
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 2, 70)
    ws.merge_range(0, 0, 0, 2, "时序进度（各月末应完成年度目标的比例）", f["title"])
    ws.merge_range(1, 0, 1, 2, PROGRESS_NOTE, f["hint"])
    ws.set_row(1, 45)
    for col, header in enumerate(name for _, (name, *_aliases) in L.PROGRESS_COLUMNS):
        ws.write_string(2, col, header, f["header"])
    percent = workbook.add_format({"font_name": "宋体", "num_format": "0.0%"})
    for month, share in enumerate(policy.time_progress, start=1):
        ws.write_number(2 + month, 0, month, f["plain"])
        ws.write_number(2 + month, 1, share, percent)
    ws.freeze_panes(3, 0)
    print_fit(ws, [10, 14, 70], landscape=False)


def _holiday_rows(working: WorkingDays) -> list[list[str]]:
    days = [(d, L.HOLIDAY_OFF) for d in working.holidays] + [(d, L.HOLIDAY_ON) for d in working.workdays]
    return [[d.isoformat(), kind, f"星期{'一二三四五六日'[d.weekday()]}" + ("，调休上班" if kind == L.HOLIDAY_ON else "")]
            for d, kind in sorted(days)]


def write_policy(path: Path, policy: Policy, *, created: dt.datetime | None = None) -> Path:
    """Write ``policy`` as an editable workbook; the sheets of ``policy.examples`` are marked as example data
    (示例数据, in their note cell A2), which the reader takes back."""
    examples = {m.sheet for m in policy.examples}
    with atomic_output(Path(path)) as temp:
        wb = new_workbook(temp, title=f"{policy.region}规上工业企业培育政策参数", created=created)
        f = formats(wb)
        readme = wb.add_worksheet(L.SHEET_README)
        readme.set_column(0, 0, 110)
        readme.write_string(0, 0, f"{policy.region}规上工业企业培育 政策参数", f["title"])
        lines = PROVINCE_README_LINES if policy.level is Level.PROVINCE else README_LINES
        for row, line in enumerate(lines, start=2):
            readme.write_string(row, 0, line, f["plain_wrap"])
            readme.set_row(row, wrapped_height([(line, 110)]))
        print_fit(readme, [110])
        info = {"region": policy.region, "total_label": policy.total_label, "unit_label": policy.unit_label,
                "plan_title": policy.plan_title, "first_year": policy.first_year, "last_year": policy.last_year,
                "level": policy.level.value}
        city = policy.level is Level.CITY  # a city's workbook is written as before the province level existed
        _kv_sheet(wb, f, L.SHEET_INFO, "基本信息", [field for field in L.INFO_FIELDS
                                                    if not (city and field[0] in L.PROVINCE_ONLY_INFO)], info)
        _table_sheet(
            wb, f, L.SHEET_UNITS, f"报送单位（{policy.unit_label}）", [names[0] for _, names in L.UNIT_COLUMNS],
            ([c.name, "、".join(c.aliases), c.division_code, "、".join(c.uscc_prefixes), c.base_register, ""]
             for c in policy.counties),
            (14, 16, 14, 36, 20, 30), note="规划起始在库企业数请按统计部门名录填写（用于在库总数目标的进度）。")
        if any(c.members for c in policy.counties):
            _table_sheet(
                wb, f, L.SHEET_MEMBERS, f"所辖县市区（各{policy.unit_label}的县市区）",
                [names[0] for _, names in L.MEMBER_COLUMNS],
                ([c.name, m.name, "、".join(m.aliases), m.division_code, "、".join(m.uscc_prefixes), ""]
                 for c in policy.counties for m in c.members),
                (20, 20, 20, 14, 30, 30), note=MEMBERS_NOTE)
        years = policy.years
        _table_sheet(
            wb, f, L.SHEET_ANNEX, "新增规模工业企业目标（目标附件）", [policy.unit_label, *(L.year_header(y, "新增") for y in years)],
            [[policy.total_label, *(policy.total_new_targets.get(y) for y in years)]]
            + [[c.name, *(policy.new_target(c.name, y) for y in years)] for c in policy.counties],
            (14, *(18 for _ in years)),
            note=(EXAMPLE_NOTE if L.SHEET_ANNEX in examples else "") + policy.plan_title)
        goals = policy.goals.__dict__ if policy.goals else {}
        _kv_sheet(wb, f, L.SHEET_GOALS, "总体目标", L.GOAL_FIELDS, goals)
        _table_sheet(
            wb, f, L.SHEET_NET, "各单位自定净增目标", [policy.unit_label, *(L.year_header(y, "净增") for y in years)],
            ([c.name, *(policy.net_target(c.name, y) for y in years)] for c in policy.counties),
            (14, *(18 for _ in years)), note=EXAMPLE_NOTE if L.SHEET_NET in examples else "")
        _kv_sheet(wb, f, L.SHEET_THRESHOLDS, "营收标准（万元）", L.THRESHOLD_FIELDS, policy.thresholds.__dict__)
        # a province without rewards has no reward sheets (奖励标准, 奖励参数, 市县分担, 县级就高政策 are optional)
        if city or policy.rewards or policy.cost_sharing or policy.county_rewards:
            _table_sheet(
                wb, f, L.SHEET_REWARDS, "市级奖励标准", [names[0] for _, names in L.REWARD_COLUMNS],
                ([r.entry_kind, r.amount_yuan, r.requires_tax, r.split, r.first_share, ""] for r in policy.rewards),
                (12, 22, 16, 14, 10, 40))
            _kv_sheet(wb, f, L.SHEET_REWARD_PARAMS, "奖励参数", L.REWARD_PARAM_FIELDS,
                      {"second_tranche_month": policy.second_tranche_month,
                       "reward_city_basis": policy.reward_city_basis,
                       "display_days": policy.display_days, "tax_final_month": policy.tax_final_month})
            _table_sheet(
                wb, f, L.SHEET_SHARING, "奖励资金市县分担比例", [names[0] for _, names in L.SHARING_COLUMNS],
                ([s.county, s.city_share, s.county_share, ""] for s in policy.cost_sharing),
                (14, 16, 16, 40), note=EXAMPLE_NOTE if L.SHEET_SHARING in examples else "")
            _table_sheet(
                wb, f, L.SHEET_COUNTY_REWARDS, "县级扶持政策（就高兑现）", [names[0] for _, names in L.COUNTY_REWARD_COLUMNS],
                ([p.county, p.entry_kind, p.amount_yuan, p.document, ""] for p in policy.county_rewards),
                (14, 12, 22, 40, 30), note=EXAMPLE_NOTE if L.SHEET_COUNTY_REWARDS in examples else "")
        _kv_sheet(wb, f, L.SHEET_ASSESSMENT, "表扬和通报批评规则", L.ASSESSMENT_FIELDS, policy.assessment.__dict__)
        _progress_sheet(wb, f, policy)
        _table_sheet(
            wb, f, L.SHEET_CALENDAR, "报送日历（各报送期的截止日期）", [names[0] for _, names in L.CALENDAR_COLUMNS],
            ([str(r.period), r.due.isoformat(), r.resubmit_days, r.kind, ""] for r in policy.calendar),
            (12, 14, 24, 12, 50),
            note=(EXAMPLE_NOTE if L.SHEET_CALENDAR in examples else "") + CALENDAR_NOTE)
        _table_sheet(
            wb, f, L.SHEET_HOLIDAYS, "节假日（放假的工作日和调休上班的周末）", [names[0] for _, names in L.HOLIDAY_COLUMNS],
            _holiday_rows(policy.working_days), (14, 10, 40), note=HOLIDAYS_NOTE)
        _table_sheet(
            wb, f, L.SHEET_DOCUMENTS, "发文设置（谁以什么名义向谁发文）", [names[0] for _, names in L.DOCUMENT_COLUMNS],
            ([DOCUMENT_TYPES[d.doc_type], d.mark, d.signer, d.number_prefix, d.recipients, d.copy_to, d.printer,
              d.disclosure, d.reply_days, d.issuer_person, d.contact, d.address, d.email, ""] for d in policy.documents),
            (12, 30, 26, 12, 36, 36, 26, 10, 12, 10, 24, 30, 20, 30),
            note=(EXAMPLE_NOTE if L.SHEET_DOCUMENTS in examples else "")
            + (PROVINCE_DOCUMENTS_NOTE if policy.level is Level.PROVINCE else DOCUMENTS_NOTE))
        wb.close()
    return Path(path)
