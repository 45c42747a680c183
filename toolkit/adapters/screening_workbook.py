"""应入尽入 workbooks: the city's candidates (every county, kept in the city) and each county's worklist (only its own
firms, with the evidence, the materials to ask for, and the columns the county fills in). XlsxWriter, rows written
whole (SheetWriter.table), text always as text; written atomically."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.summary_workbook import SheetWriter
from toolkit.adapters.xlsx_styles import add_stamp_sheet, new_workbook, print_fit, wrapped_height
from toolkit.domain import screening as R
from toolkit.domain.screening import Candidate, Screen
from toolkit.domain.stamp import FileKind, Stamp

README = "说明"
TALLY = "分县统计"
CANDIDATES = "候选企业"
MONTHLY = "月度销售额"
NOT_LISTED = "未列入的达标企业"
README_WIDTHS = (16, 100)

# the county fills these in: (header, width, choices or None)
ANSWERS = (("联系企业日期", 11, None), ("是否已申报", 9, ("已申报", "未申报")), ("申报日期", 11, None),
           ("结果", 11, ("跟进中", "已入库", "不符合条件", "企业暂不申报")), ("不符合或暂不申报的原因、说明", 30, None))
UNDECIDED = R.UNDECIDED


def _range(c: Candidate) -> str:
    if c.low is None or c.high is None:
        return ""
    return f"{c.low:,.0f}—{c.high:,.0f}"


def _pass(c: Candidate, year: int) -> str:
    return f"{year}年{'1—2' if c.pass_month == 2 else c.pass_month}月" if c.pass_month else ""


def _flags(c: Candidate) -> str:
    return "；".join(c.flags)


def _readme(sw: SheetWriter, title: str, rows: list[tuple[str, str]]) -> None:
    ws = sw.wb.add_worksheet(README)
    for col, width in enumerate(README_WIDTHS):
        ws.set_column(col, col, width)
    ws.merge_range(0, 0, 0, 1, title, sw.f["title"])
    heights = [wrapped_height([(text, README_WIDTHS[1])]) for _, text in rows]
    ws.write_rows(1, rows, [sw.bold, sw.wrap], heights)
    print_fit(ws, README_WIDTHS)


def rules_text(s: Screen) -> str:
    year = s.period.year
    return (f"工业（国民经济行业分类 B、C、D 门类，即 06—46 大类，依据税务数据的国标行业）、登记状态正常、不在规上名录"
            f"（规划起始名录、已受理报表的新增和退库、统计局确认名单）的企业中："
            f"{year - 1}年全年或{year}年1—{s.period.month}月累计销售额达到2000万元的为“{R.REACHED}”；"
            f"{year - 1}年10月1日以后成立、本年有销售的为“{R.WINDOW}”（新建投产，本年累计达2000万元的当月即可申报）；"
            f"按月度销售推算全年可达2000万元的为“{R.LIKELY}”。按自然年度累计判断，不按最近12个月。")


def _headers(sw: SheetWriter, with_county: bool) -> list[tuple]:
    head = [("县市区", 9)] if with_county else []
    return head + [("统一社会信用代码", 20, sw.text), ("企业名称", 26, sw.wrap), ("类别", 12), ("依据", 30, sw.wrap),
                   ("入库途径", 28, sw.wrap), ("行业", 16, sw.wrap), ("成立日期", 11), ("本年累计销售额（万元）", 12, sw.wan),
                   ("上年全年销售额（万元）", 12, sw.wan), ("预计全年（万元）", 11, sw.wan), ("预计范围（万元）", 13),
                   ("推算依据", 14, sw.wrap), ("达2000万元月份", 10), ("本年用电量（kWh）", 12, sw.wan),
                   ("需核实的疑点", 32, sw.wrap), ("数据来源", 30, sw.wrap)]


def _row(c: Candidate, year: int, with_county: bool) -> tuple:
    head = (c.county or UNDECIDED,) if with_county else ()
    return head + (c.code, c.name, c.kind, c.reason, c.route, c.industry, c.established, c.ytd, c.last_year,
                   c.projection, _range(c), c.projection_basis, _pass(c, year), c.kwh, _flags(c), c.sources)


def _monthly(sw: SheetWriter, ws, title: str, candidates: Sequence[Candidate], month: int) -> None:
    headers = [("统一社会信用代码", 20, sw.text), ("企业名称", 26, sw.wrap)] + \
        [(f"{'1' if m == 1 else m}月", 9, sw.wan) for m in range(1, month + 1)] + [("合计", 11, sw.wan)]
    rows = [(c.code, c.name, *[c.months[m] for m in range(month)], c.ytd) for c in candidates]
    sw.table(ws, title, headers, rows, "税务部门申报销售额，单位万元；某月无申报记录按0计。统计部门会询问月度间的大幅波动。")


def _sources_rows(s: Screen, files: Sequence[tuple[str, str, str, str]]) -> list[tuple[str, str]]:
    listed = "；".join(f"{kind}：{name}（{months}，{rows}）" for kind, name, months, rows in files)
    return [("数据来源", listed or "无"),
            ("判断月份", f"{s.period.year}年1—{s.period.month}月（税务数据 {s.tax_months[0]} 至 {s.tax_months[1]}）"),
            ("用电数据", f"{s.power_months[0]} 至 {s.power_months[1]}" if s.power_months else "未导入")]


def write_candidates(path: Path, s: Screen, counties: Sequence[str], files: Sequence[tuple[str, str, str, str]],
                     held_from: str, stamp: Stamp, *, created: dt.datetime) -> Path:
    """The city's workbook: every county's candidates, the tally, the monthly sales and the big firms not listed."""
    path = Path(path)
    year = s.period.year
    with atomic_output(path) as temp:
        wb = new_workbook(temp, title=f"应入尽入候选企业{s.period}", created=created, fast=True)
        wb.in_memory = True
        sw = SheetWriter(wb, path)
        tally = s.tally(counties)
        city = tally[-1]
        rows = [("用途", "市级掌握全市应入尽入候选企业，督促县市区逐一联系、指导申报。本表含全部县市区企业的税务、用电数据，"
                        "仅限市级使用，不外发；发给县市区的是同一文件夹下各县市区自己的工作清单。"),
                ("结论", f"共列出 {len(s.candidates)} 家：" + "，".join(f"{k} {v} 家" for k, v in city[1].items())
                 + f"；其中 {city[2]} 家有需核实的疑点。"),
                ("判断规则", rules_text(s)),
                ("规上名录", held_from),
                ("销售额达标而未列入", (s.big_not_listed_text() or "无") + "（以上不逐一列出）；其余原因（行业不明、登记状态异常）"
                 f"的 {len(s.not_listed)} 家见“{NOT_LISTED}”表"),
                *_sources_rows(s, files),
                ("说明", "；".join(s.notes) or "无")]
        _readme(sw, f"{s.period.year}年1—{s.period.month}月应入尽入候选企业（全市）", rows)
        sw.table(wb.add_worksheet(TALLY), f"应入尽入候选企业分县市区统计（{year}年1—{s.period.month}月）",
                 [("县市区", 14), *[(k, 11, sw.int) for k in R.KINDS], ("合计", 9, sw.int), ("有疑点", 9, sw.int)],
                 [(name, *kinds.values(), sum(kinds.values()), flagged) for name, kinds, flagged in tally],
                 "县市区按登记机关、住所或信用代码判断；“县市区未定”的企业请市里确定后转交。")
        sw.table(wb.add_worksheet(CANDIDATES), f"应入尽入候选企业（{year}年1—{s.period.month}月，全市）",
                 _headers(sw, True), [_row(c, year, True) for c in s.candidates],
                 "判断规则见“说明”表；“需核实的疑点”是统计部门审核时会问的情况。", 32)
        _monthly(sw, wb.add_worksheet(MONTHLY), f"候选企业{year}年各月销售额（万元）", s.candidates, s.period.month)
        sw.table(wb.add_worksheet(NOT_LISTED), "销售额达到2000万元、因行业不明或登记状态异常未列入的企业（供核对）",
                 [("县市区", 9), ("统一社会信用代码", 20, sw.text), ("企业名称", 26, sw.wrap),
                  ("本年累计销售额（万元）", 12, sw.wan), ("上年全年销售额（万元）", 12, sw.wan),
                  ("税务登记的国标行业", 16, sw.wrap), ("未列入原因", 40, sw.wrap)],
                 [(n.county or UNDECIDED, n.code, n.name, n.ytd, n.last_year, n.industry_given, n.reason)
                  for n in s.not_listed],
                 "税务数据未标明行业或写法无法识别的，请统计部门确定行业后再判断；登记状态异常而仍有大额销售的，请核实。"
                 "已在库、非工业的只计数，见“说明”。", 32)
        add_stamp_sheet(wb, stamp.with_kind(FileKind.SCREENING))
        wb.close()
    return path


def write_county_list(path: Path, s: Screen, county: str, files: Sequence[tuple[str, str, str, str]],
                      stamp: Stamp, *, created: dt.datetime) -> Path:
    """One county's worklist: only its own candidates, the materials, and the columns it fills in."""
    path = Path(path)
    year = s.period.year
    mine = s.of(county)
    with atomic_output(path) as temp:
        wb = new_workbook(temp, title=f"{county}{s.period}应入尽入工作清单", created=created, fast=True)
        wb.in_memory = True
        sw = SheetWriter(wb, path)
        kinds = {k: sum(c.kind == k for c in mine) for k in R.KINDS}
        rows = [("县市区", county),
                ("结论", (f"列出本县市区 {len(mine)} 家：" + "，".join(f"{k} {v} 家" for k, v in kinds.items()) + "。")
                 if mine else "本期未筛出本县市区的应入尽入候选企业。"),
                ("请做的事", "逐一联系企业，核实经营情况和疑点；符合条件的，指导企业准备下列材料向统计部门申报入统；在“候选企业”表"
                            "最后几列填写联系日期、是否已申报、结果和原因。处理结果随下一期报表报回市里。"),
                ("申报材料", "、".join(R.MATERIALS) + "；新建投产企业另附" + "、".join(R.NEW_BUILD_MATERIALS) + "。"),
                ("判断规则", rules_text(s)),
                *_sources_rows(s, files)[1:],
                ("说明", "本清单只含本县市区的企业，数据来自税务、市场监管、电力部门，请妥善保管，不得外传。"
                        + ("；".join(s.notes) if s.notes else ""))]
        _readme(sw, f"{county}{year}年1—{s.period.month}月应入尽入工作清单", rows)
        ws = wb.add_worksheet(CANDIDATES)
        answers = [(h, w, sw.wrap) for h, w, _ in ANSWERS]
        headers = _headers(sw, False)[:-1] + [("需准备的申报材料", 30, sw.wrap)] + answers
        count = sw.table(ws, f"{county}应入尽入候选企业（{year}年1—{s.period.month}月）", headers,
                         [(*_row(c, year, False)[:-1], "、".join(c.materials), *([None] * len(ANSWERS)))
                          for c in mine], "判断规则见“说明”表；最后五列由县市区填写。“需核实的疑点”请在联系企业时核实。", 32)
        first_answer = len(headers) - len(ANSWERS)
        for offset, (_, _, choices) in enumerate(ANSWERS):
            col = first_answer + offset
            last_row = 3 + max(count, 1) + 200  # room for the county's own additions
            if choices:
                ws.data_validation(3, col, last_row, col, {"validate": "list", "source": list(choices),
                                                           "error_message": "请从下拉列表选择：" + "、".join(choices)})
            elif "日期" in ANSWERS[offset][0]:
                ws.data_validation(3, col, last_row, col, {
                    "validate": "date", "criteria": "between", "minimum": dt.date(year - 1, 1, 1),
                    "maximum": dt.date(year + 1, 12, 31), "error_message": f"请填写日期，如 {year}-10-15"})
        _monthly(sw, wb.add_worksheet(MONTHLY), f"{county}候选企业{year}年各月销售额（万元）", mine, s.period.month)
        add_stamp_sheet(wb, stamp.with_kind(FileKind.SCREENING))
        wb.close()
    return path
