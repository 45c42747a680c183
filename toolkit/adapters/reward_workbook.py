"""The detail workbook of a reward batch (奖励明细), for the city or for one county to verify.

Every line with the rule that produced it and the county row it came from, every enterprise not
paid with the reason, and every difference with the statistics and tax offices' figures. Totals are
formulas with Python's figures as cached values. Text from counties is always written as text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

from toolkit import __version__
from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.summary_workbook import SheetWriter
from toolkit.adapters.xlsx_styles import add_stamp_sheet, new_workbook, print_fit, wrapped_height
from toolkit.domain import report_schema as S
from toolkit.domain.money import capitals, wan_text
from toolkit.domain import policy_layout as L
from toolkit.domain.policy import Policy
from toolkit.domain.rewards import (CITY_BASIS_LABELS, Batch, CountyTotals, Exclusion, disputed, distinct,
                                    distinct_mismatches, totals)
from toolkit.domain.stamp import FileKind, Stamp

SUMMARY, LINES, EXCLUDED, MISMATCHES, RULES = "汇总", "兑现明细", "未兑现", "核对差异", "计算规则"
DISPUTED = "归属待认定"  # the 汇总's line for firms two counties claim, counted under neither
BLANK_DAY = "　　年　　月　　日"
_TOTAL_COLUMNS = (("县市区", 12), ("首期（家）", 9), ("首期金额（元）", 14), ("第二期（家）", 10), ("第二期金额（元）", 14),
                  ("本批合计（元）", 14), ("市级承担（元）", 14), ("县级承担（元）", 14), ("未兑现（家）", 10))


def issued_text(batch: Batch, issuer: str, day: str) -> str:
    """Who issues the batch and when, as the 请示 it goes with says it (its signer and 成文日期, blank where the
    请示's is): never the computer's clock or the tool's name."""
    text = f"{issuer}　{day or BLANK_DAY}".strip("　")
    return text + ("（草稿：未审批，数字可能变化）" if not batch.seq else "")


def _summary(w: SheetWriter, batch: Batch, county_rows: list[CountyTotals], city: CountyTotals, scope: str,
             issued: str, shared: list[Exclusion]) -> None:
    ws = w.wb.add_worksheet(SUMMARY)
    money = w.wb.add_format({"font_name": "宋体", "font_size": 11, "border": 1, "border_color": "#8EA9C1",
                             "num_format": "#,##0"})
    bold_money = w.wb.add_format({"font_name": "宋体", "font_size": 11, "border": 1, "border_color": "#8EA9C1",
                                  "num_format": "#,##0", "bold": True, "bg_color": "#F2F2F2"})
    last = len(_TOTAL_COLUMNS) - 1
    ws.merge_range(0, 0, 0, last, f"{batch.label}规上工业企业培育奖励资金明细（{scope}）", w.f["title"])
    # the issuer and date of the 请示 this list goes with, as an official dates a paper: not the clock, not the tool
    state = issued + (f"，{batch.paid_on}登记拨付" if batch.paid_on else "")
    ws.merge_range(1, 0, 1, last, f"{state}。金额单位：元。明细见“{LINES}”，未兑现的企业及原因见“{EXCLUDED}”，"
                                  f"与统计、税务部门数据的差异见“{MISMATCHES}”。", w.f["description"])
    ws.set_row(1, 30)
    for col, (header, width) in enumerate(_TOTAL_COLUMNS):
        ws.set_column(col, col, width)
        ws.write_string(3, col, header, w.f["header"])
    first = 4
    for i, t in enumerate(county_rows):
        row = first + i
        ws.write_string(row, 0, t.county, w.cell)
        for col, value in enumerate((t.first_count, t.first_amount, t.second_count, t.second_amount), start=1):
            ws.write_number(row, col, value, money if col % 2 == 0 else w.int)
        ws.write_formula(row, 5, f"=C{row + 1}+E{row + 1}", money, t.amount)
        ws.write_number(row, 6, t.city_amount, money)
        ws.write_formula(row, 7, f"=F{row + 1}-G{row + 1}", money, t.county_amount)
        ws.write_number(row, 8, t.excluded, w.int)
    if shared:  # the firms two counties claim: one line, under neither county, so the counts add up
        row = first + len(county_rows)
        ws.write_string(row, 0, DISPUTED, w.cell)
        for col in range(1, 8):
            ws.write_blank(row, col, None, money)
        ws.write_number(row, 8, len(shared), w.int)
    total = first + len(county_rows) + (1 if shared else 0)
    ws.write_string(total, 0, "合计", w.bold)
    values = (city.first_count, city.first_amount, city.second_count, city.second_amount, city.amount, city.city_amount,
              city.county_amount, city.excluded)
    for col, value in enumerate(values, start=1):
        letter = chr(ord("A") + col)
        ws.write_formula(total, col, f"=SUM({letter}{first + 1}:{letter}{total})",
                         bold_money if col in (2, 4, 5, 6, 7) else w.bold_int, value)
    ws.merge_range(total + 2, 0, total + 2, last, f"本批合计（大写，记入台账的金额）：{capitals(city.amount)}", w.f["bold"])
    ws.merge_range(total + 3, 0, total + 3, last, f"其中市级承担：{capitals(city.city_amount)}；"
                                                  f"县级承担：{capitals(city.county_amount)}", w.f["plain"])
    if shared:
        names = "；".join(f"{x.name}（{x.county}均报为新增）" for x in shared)
        note = (f"未兑现（家）中“{DISPUTED}”{len(shared)}家：{names}。归属认定之前不计入任何县市区，"
                "每家企业只计一次；市里认定归属后计入认定的县市区。")
        ws.merge_range(total + 4, 0, total + 4, last, note, w.f["description"])
        ws.set_row(total + 4, wrapped_height([(note, sum(width for _, width in _TOTAL_COLUMNS))]))
    ws.freeze_panes(4, 1)
    print_fit(ws, [width for _, width in _TOTAL_COLUMNS], repeat_columns=1)


def _rules(w: SheetWriter, policy: Policy, counties: list[str], issued: str) -> None:
    ws = w.wb.add_worksheet(RULES)
    ws.set_column(0, 0, 110)
    ws.write_string(0, 0, "本批按以下规则计算（来自政策参数工作簿）", w.f["title"])
    ws.write_string(1, 0, issued, w.f["plain"])
    lines = []
    for r in policy.rewards:
        lines.append(f"{r.entry_kind}：市级奖励{wan_text(r.amount_yuan)}/家"
                     + ("，须当年形成税收（以税务部门数据为准）" if r.requires_tax else "")
                     + (f"；分两期兑现，首期{r.first_share:.0%}，剩余部分在次年仍在库时兑现" if r.split else "；一次性兑现"))
    other = [k for k in S.ENTRY_KINDS if k not in {r.entry_kind for r in policy.rewards}]
    if other:
        lines.append(f"{'、'.join(other)}：不在市级奖励范围。")
    lines.append("首期须同时有统计部门确认的入规名单和税务部门的当年税收数据；县市区自报数字不单独作为兑现依据，差异逐条列在“核对差异”表。")
    month = f"次年{policy.second_tranche_month}月" if policy.second_tranche_month else "次年该县市区最新已受理的报送期"
    lines.append(f"第二期：按首期审批时台账记录的金额兑现；以{month}为核验时点，企业已退库的不予兑现，并写明退库月份和原因。")
    lines.append(f"就高：县市区有本级奖励标准的，取市、县标准中较高者兑现一次；市级承担{CITY_BASIS_LABELS[policy.reward_city_basis]}"
                 "乘以市级分担比例，其余由县级承担（按政策参数“奖励参数”表的设定）。")
    # values the city has not yet replaced stay marked wherever they are cited (a batch on them is only a draft)
    county_mark = "（示例数据）" if policy.is_example(L.SHEET_COUNTY_REWARDS) else ""
    sharing_mark = "（示例数据）" if policy.is_example(L.SHEET_SHARING) else ""
    for p in policy.county_rewards:
        if p.county in counties:
            lines.append(f"{p.county}县级标准：{p.entry_kind}{wan_text(p.amount_yuan)}/家（{p.document or '未注明文件'}）"
                         + county_mark)
    for s in policy.cost_sharing:
        if s.county in counties:
            lines.append(f"{s.county}市县分担：市级{s.city_share:.0%}，县级{s.county_share:.0%}{sharing_mark}")
    lines.append("金额均为整数元，四舍五入只在计算首期和市级承担时各做一次；第二期 = 奖励标准 − 首期，县级承担 = 金额 − 市级承担。")
    for row, text in enumerate(lines, start=2):
        ws.write_string(row, 0, text, w.f["plain_wrap"])
        ws.set_row(row, wrapped_height([(text, 110)]))  # each rule on its own lines, none over the next
    print_fit(ws, [110])


def _number(text: str) -> float | str:
    """The tax office's figure as a number the sheet can sum (its text kept where it is not one)."""
    try:
        return float(Decimal(text))
    except (InvalidOperation, ValueError, TypeError):
        return text


def write_reward_workbook(path: Path, batch: Batch, policy: Policy, county: str | None, *,
                          created: dt.datetime | None = None, issuer: str = "", day: str = "") -> Path:
    """The city's workbook (``county`` None) or one county's, always a new file; ``issuer`` and ``day``: the
    signer and 成文日期 of the 请示 it goes with, on every sheet's heading lines (``created``: the file's own
    properties only)."""
    created = created or dt.datetime.now().replace(microsecond=0)
    path = Path(path)
    scope = county or policy.total_label
    keep = (lambda item: item.county == county) if county else (lambda item: True)
    lines = [x for x in batch.lines if keep(x)]
    exclusions = [x for x in batch.exclusions if keep(x)]
    mismatches = [x for x in batch.mismatches if keep(x)]
    counties = [county] if county else batch.counties
    own, shared = disputed(exclusions) if county is None else (exclusions, [])
    county_rows, _ = totals(counties, lines, own)
    _, city = totals(counties, lines, exclusions)  # the city counts a firm two counties claim once
    issued = issued_text(batch, issuer, day)
    with atomic_output(path) as temp:
        wb = new_workbook(temp, title=f"{batch.label}奖励资金明细（{scope}）", created=created, fast=True)
        w = SheetWriter(wb, path)
        _summary(w, batch, county_rows, city, scope, issued, shared)
        ordered = sorted(lines, key=lambda x: (counties.index(x.county) if x.county in counties else 99, x.tranche == 2,
                                               x.name))
        money = wb.add_format({"font_name": "宋体", "font_size": 11, "valign": "vcenter", "border": 1,
                               "border_color": "#8EA9C1", "num_format": "#,##0"})
        tax = wb.add_format({"font_name": "宋体", "font_size": 11, "valign": "vcenter", "border": 1,
                             "border_color": "#8EA9C1", "num_format": "#,##0.00##"})
        w.table(wb.add_worksheet(LINES), f"{batch.label}兑现明细（{scope}）",
                [("序号", 6, w.int), ("县市区", 11), ("企业名称", 32), ("统一社会信用代码", 22, w.text), ("入规类型", 10),
                 ("入规月份", 10), ("期次", 8), ("奖励标准（元）", 12, money), ("本次兑现（元）", 12, money),
                 ("市级承担（元）", 12, money), ("县级承担（元）", 12, money), ("税务部门当年税收（万元）", 14, tax),
                 ("来源（县市区报表）", 40, w.wrap), ("计算依据", 96, w.wrap)],  # last, on a page of its own: rows of two or three lines
                [(i, x.county, x.name, x.uscc, x.kind, x.entry_month, x.tranche_label, x.payable, x.amount, x.city_amount,
                  x.county_amount, _number(x.tax_wan), x.source, x.rule) for i, x in enumerate(ordered, start=1)],
                f"{issued}。每行一家企业的一期奖励。计算依据写明适用的标准、就高、市县分担和分期；来源为县市区报表的文件、工作表和行。")
        w.table(wb.add_worksheet(EXCLUDED), f"{batch.label}未兑现企业（{scope}）",
                [("县市区", 11, w.wrap), ("企业名称", 32), ("统一社会信用代码", 22, w.text), ("入规类型", 10), ("入规年度", 9),
                 ("期次", 8), ("原因代码", 9), ("原因", 60, w.wrap), ("条件具备后可追加", 10), ("来源", 40, w.wrap)],
                [(x.county, x.name, x.uscc, x.kind, x.entry_year, {1: "首期", 2: "第二期"}.get(x.tranche, "一次性"),
                  x.code, x.reason, "是" if x.later else "否", x.source)
                 for x in (exclusions if county else distinct(exclusions))],  # the city lists a shared claim once
                f"{issued}。“可追加”为“是”的，待原因消除后（统计确认、归属认定、税务数据补充或定稿、在库核验）可追加审批。")
        w.table(wb.add_worksheet(MISMATCHES), f"与统计、税务部门数据的差异（{scope}）",
                [("县市区", 11, w.wrap), ("企业名称", 32), ("统一社会信用代码", 22, w.text), ("核对项目", 10),
                 ("县市区填报", 22, w.wrap),
                 ("统计或税务部门", 34, w.wrap), ("处理", 40, w.wrap)],
                [(x.county, x.name, x.uscc, x.subject, x.county_says, x.authority_says, x.effect)
                 for x in (mismatches if county else distinct_mismatches(mismatches))],
                f"{issued}。兑现以统计部门确认名单和税务部门数据为准；请县市区逐条核实。")
        _rules(w, policy, counties, issued)
        add_stamp_sheet(wb, Stamp(FileKind.REWARDS, S.SCHEMA_VERSION, county or "", str(batch.year),
                                  created.isoformat(sep=" "), __version__))
        wb.close()
    return path

