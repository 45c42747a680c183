"""The city summary workbook of a period (汇总表), for the director: XlsxWriter, always a new file.

Overview with formulas where a clerk expects them (totals, net, rates, gap, rank) and Python's own
figures as their cached values, a native chart of completion against time progress, the status,
the assessment with reasons, every accepted entry and exit with its source, the pending
attributions and every finding. Text from county workbooks is always written as text.
"""

from __future__ import annotations

import csv
import json
import datetime as dt
import io
import operator
from pathlib import Path

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.xlsx_styles import (ERROR_FILL, ERROR_FONT, FONT, HINT_FILL, HINT_FONT, add_stamp_sheet, formats,
                                          fits_page_width, new_workbook, print_fit, wrapped_height)
from toolkit.domain import report_schema as S
from toolkit.domain.assessment import CRITICISE, PRAISE
from toolkit.domain.figures import ACCEPTED, CountyFigures, CountyStatus, percent
from toolkit.domain.findings import KINDS, Level
from toolkit.domain.period_summary import PeriodSummary
from toolkit.domain.pipeline import THRESHOLD, action_lines
from toolkit.domain import policy_layout as L
from toolkit.domain.level import Level as AdminLevel
from toolkit.domain.policy import Policy
from toolkit.domain.province_figures import SUB_UNIT
from toolkit.domain.stamp import FileKind, Stamp
from toolkit.domain.tracking import ledger_key
from toolkit.resources import BACKTEST as BACKTEST_FILE, resource_path

OVERVIEW = "概览"
CHART = "完成率图"
STATUS = "报送情况"
ASSESSMENT = "表扬批评"
ENTRIES = "新增明细"
EXITS = "退库明细"
PENDING = "待认定"
FINDINGS = "问题清单"
ADJUSTMENTS = "调整记录"
RECONCILE = "统计核对"
POOL = "培育库"
POOL_COUNTIES = "培育库分县"
AT_RISK = "风险库"
LEDGER = "问题台账"
LEDGER_UNITS = "台账分单位"
POOL_TRACK = "培育跟踪"
RISK_TRACK = "风险跟踪"
FORECAST = "预测"
FORECAST_FIRMS = "预测明细"
TIERS = "排名梯队"  # a province's 市州 in tiers
SUB_UNITS = "县市区排名"  # a province's 县市区, one level down
QUALITY = "入规质量"
BACKTEST = resource_path(BACKTEST_FILE)  # written by make bench-forecast, shipped with the package

DETAIL_ROW_LIMIT = 50_000  # above this a detail list goes to a CSV file beside the workbook
_FORMULA_START = frozenset(("=", "+", "-", "@", "\t", "\r"))  # first characters a spreadsheet reads as a formula

OTHER_KINDS = tuple(k for k in S.ENTRY_KINDS if k not in ("新建投产", "小升规"))
# overview columns: key, header, width
OVERVIEW_COLUMNS = (
    ("county", "县市区", 12), ("status", "报送状态", 9), ("new_build", "新建投产", 9), ("upgrade", "小升规", 8),
    ("other", "其他类型", 8), ("new", "新增合计", 9), ("exits", "退库", 7), ("net", "净增", 7),
    ("target", "年度新增目标", 9), ("completion", "目标完成率", 10), ("progress", "时序进度", 9),
    ("gap", "差距（百分点）", 12), ("rank", "完成率排名", 8), ("net_target", "净增目标", 8),
    ("net_completion", "净增完成率", 10), ("pending", "待认定", 7), ("outcome", "评价", 7),
)
COL = {key: i for i, (key, _, _) in enumerate(OVERVIEW_COLUMNS)}
HEADER_ROW = 3  # 0-based
FIRST_ROW = HEADER_ROW + 1


def _a1(row: int, col: int) -> str:
    letters, n = "", col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def _col(key: str) -> str:
    return _a1(0, COL[key])[:-1]


class SheetWriter:
    def __init__(self, wb, path: Path):
        self.wb = wb
        self.path = path  # the final workbook path, for CSV files beside it
        self.sidecars: list[tuple[Path, list[str], list[tuple]]] = []
        self.f = formats(wb)
        base = {"font_name": FONT, "font_size": 11, "valign": "vcenter", "border": 1, "border_color": "#8EA9C1"}
        self.cell = wb.add_format(base)
        self.text = wb.add_format({**base, "num_format": "@"})
        self.wrap = wb.add_format({**base, "text_wrap": True})
        self.int = wb.add_format({**base, "num_format": "0", "align": "right"})
        self.pct = wb.add_format({**base, "num_format": "0.0%"})
        self.pts = wb.add_format({**base, "num_format": "0.0"})
        self.wan = wb.add_format({**base, "num_format": "#,##0.00"})
        self.hash = wb.add_format({**base, "num_format": "@", "text_wrap": True, "font_size": 9})
        self.bold_int = wb.add_format({**base, "num_format": "0", "bold": True, "bg_color": "#F2F2F2"})
        self.bold_pct = wb.add_format({**base, "num_format": "0.0%", "bold": True, "bg_color": "#F2F2F2"})
        self.bold_pts = wb.add_format({**base, "num_format": "0.0", "bold": True, "bg_color": "#F2F2F2"})
        self.bold = wb.add_format({**base, "bold": True, "bg_color": "#F2F2F2"})
        self.good = wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})
        self.bad = wb.add_format({"bg_color": ERROR_FILL, "font_color": ERROR_FONT})
        self.warn = wb.add_format({"bg_color": HINT_FILL, "font_color": HINT_FONT})
        self.total = wb.add_format({"bold": True, "bg_color": "#F2F2F2"})

    def value(self, ws, row: int, col: int, value, fmt=None) -> None:
        """Numbers as numbers; everything else as text (never a formula or a link)."""
        fmt = fmt or self.cell
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws.write_string(row, col, "是" if value else "否", fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(row, col, value, fmt)
        else:
            ws.write_string(row, col, str(value), fmt)

    def detail(self, ws, title: str, headers: list[tuple], rows: list[tuple], note: str, suffix: str,
               note_height: float = 24) -> int:
        """A detail list: in the workbook, or (too long for a readable workbook) in a CSV file beside it."""
        if len(rows) <= DETAIL_ROW_LIMIT:
            return self.table(ws, title, headers, rows, note, note_height)
        csv_path = self.path.with_name(f"{self.path.stem}_{suffix}.csv")
        self.sidecars.append((csv_path, [h[0] for h in headers], rows))
        ws.write_string(0, 0, title, self.f["title"])
        ws.write_string(2, 0, f"共 {len(rows):,} 行，超过汇总表的明细上限 {DETAIL_ROW_LIMIT:,} 行，已另存为“{csv_path.name}”"
                              "（UTF-8，可用 Excel 打开），数据库中也有全部记录。", self.f["plain"])
        return len(rows)

    def table(self, ws, title: str, headers: list[tuple], rows, note: str = "", note_height: float = 24) -> int:
        """A titled list with a header row, filter and frozen header; returns the number of rows.

        ``headers`` are (text, width) or (text, width, format); ``rows`` are plain tuples of values: numbers
        as numbers, everything else as text.
        """
        last = len(headers) - 1
        if fits_page_width([h[1] for h in headers]):
            ws.merge_range(0, 0, 0, last, title, self.f["title"])
            ws.merge_range(1, 0, 1, last, note, self.f["description"])
            ws.set_row(1, note_height)
        else:  # printed across pages: the title and note from the left, whole on the first page
            ws.write_string(0, 0, title, self.f["title_left"])
            ws.write_string(1, 0, note, self.f["note_left"])
        ws.set_row(2, 32)
        fmts = []
        for col, (header, width, *fmt) in enumerate(headers):
            ws.set_column(col, col, width)
            ws.write_string(2, col, header, self.f["header"])
            fmts.append(fmt[0] if fmt and fmt[0] is not None else self.cell)
        rows = list(rows)
        wrapped = [(col, width) for col, (_, width, *_) in enumerate(headers) if getattr(fmts[col], "text_wrap", 0)]
        heights = [wrapped_height((row[col], width) for col, width in wrapped if type(row[col]) is str)
                   for row in rows] if wrapped else None
        count = ws.write_rows(3, rows, fmts, heights)  # straight into the sheet's XML: the hot path of a large summary
        ws.autofilter(2, 0, 2 + max(count, 1), last)
        ws.freeze_panes(3, 0)
        print_fit(ws, [h[1] for h in headers], repeat_columns=3)
        ws.repeat_rows(2)
        return count


def _overview(w: SheetWriter, summary: PeriodSummary, policy: Policy, created: dt.datetime, tool_version: str) -> int:
    """The overview table and its notes; returns the first free row (the chart goes there)."""
    ws = w.wb.add_worksheet(OVERVIEW)
    period, city = summary.period, summary.city
    last = len(OVERVIEW_COLUMNS) - 1
    ws.merge_range(0, 0, 0, last, f"{summary.region}新增规上工业企业进度汇总（{period.label}）", w.f["title"])
    closed = (f"本期已于 {summary.closed.closed_at} 封账（{summary.closed.reason}），以下为封账时的数字；此后收到的报表记为调整，见“{ADJUSTMENTS}”表。"
              if summary.closed else "")
    ws.merge_range(1, 0, 1, last, (
        f"{closed}{summary.unit_label}报送：已受理 {city.reporting} 个，共 {city.units} 个。目标依据：{policy.plan_title}。"
        f"时序进度 {percent(city.progress)}。{city.whole_city_note}生成时间：{created:%Y-%m-%d %H:%M}（guishang {tool_version}）。"),
        w.f["description"])
    ws.set_row(1, 30)
    ws.set_row(HEADER_ROW, 32)
    example_net = policy.is_example(L.SHEET_NET)  # net targets the city has not yet replaced stay marked
    for col, (key, header, width) in enumerate(OVERVIEW_COLUMNS):
        ws.set_column(col, col, width)
        header = summary.unit_label if key == "county" else header
        if key in ("net_target", "net_completion") and example_net:
            header += "（示例）"
        ws.write_string(HEADER_ROW, col, header, w.f["header"])
    first, last_row = FIRST_ROW, FIRST_ROW + len(summary.counties) - 1
    for i, figures in enumerate(summary.counties):
        _county_row(w, ws, FIRST_ROW + i, figures, summary, (first, last_row))
    total = last_row + 1
    _city_row(w, ws, total, summary, (first, last_row))
    _formats(w, ws, first, total, policy)
    after = _goals(w, ws, total + 2, summary, policy)
    ws.freeze_panes(FIRST_ROW, 1)
    print_fit(ws, [width for _, _, width in OVERVIEW_COLUMNS], repeat_columns=1)
    return after + 1


def _county_row(w: SheetWriter, ws, row: int, f: CountyFigures, summary: PeriodSummary, span: tuple[int, int]) -> None:
    r = row + 1  # 1-based for formulas
    ws.write_string(row, COL["county"], f.county, w.cell)
    ws.write_string(row, COL["status"], f.status, w.cell)
    decision = summary.decision(f.county)
    ws.write_string(row, COL["outcome"], decision.outcome if decision else "", w.cell)
    w.value(ws, row, COL["target"], f.target, w.int)
    ws.write_number(row, COL["progress"], f.progress, w.pct)
    w.value(ws, row, COL["net_target"], f.net_target, w.int)
    if not f.has_figures:
        for key in ("new_build", "upgrade", "other", "new", "exits", "net", "completion", "gap", "rank",
                    "net_completion", "pending"):
            ws.write_blank(row, COL[key], None, w.cell)
        return
    other = sum(f.new_by_kind.get(k, 0) for k in OTHER_KINDS)
    ws.write_number(row, COL["new_build"], f.new_by_kind.get("新建投产", 0), w.int)
    ws.write_number(row, COL["upgrade"], f.new_by_kind.get("小升规", 0), w.int)
    ws.write_number(row, COL["other"], other, w.int)
    ws.write_formula(row, COL["new"], f"=SUM({_col('new_build')}{r}:{_col('other')}{r})", w.int, f.new)
    ws.write_number(row, COL["exits"], f.exits or 0, w.int)
    ws.write_formula(row, COL["net"], f"={_col('new')}{r}-{_col('exits')}{r}", w.int, f.net)
    completion, target = f"{_col('completion')}{r}", f"{_col('target')}{r}"
    ws.write_formula(row, COL["completion"], f'=IF(N({target})>0,{_col("new")}{r}/{target},"")', w.pct,
                     "" if f.completion is None else f.completion)
    ws.write_formula(row, COL["gap"], f'=IF(ISNUMBER({completion}),({completion}-{_col("progress")}{r})*100,"")',
                     w.pts, "" if f.gap_points is None else f.gap_points)
    column = f"${_col('completion')}${span[0] + 1}:${_col('completion')}${span[1] + 1}"
    ws.write_formula(row, COL["rank"], f'=IF(ISNUMBER({completion}),RANK({completion},{column}),"")', w.int,
                     "" if f.rank is None else f.rank)
    net_target = f"{_col('net_target')}{r}"
    ws.write_formula(row, COL["net_completion"], f'=IF(N({net_target})>0,{_col("net")}{r}/{net_target},"")', w.pct,
                     "" if f.net_completion is None else f.net_completion)
    ws.write_number(row, COL["pending"], f.pending, w.int)


def _city_row(w: SheetWriter, ws, row: int, summary: PeriodSummary, span: tuple[int, int]) -> None:
    city, r = summary.city, row + 1
    first, last = span[0] + 1, span[1] + 1
    ws.write_string(row, COL["county"], city.row_label, w.bold)
    ws.write_string(row, COL["status"], f"{city.reporting}/{city.units}", w.bold)
    sums = {"new_build": city.new_by_kind.get("新建投产", 0), "upgrade": city.new_by_kind.get("小升规", 0),
            "other": sum(city.new_by_kind.get(k, 0) for k in OTHER_KINDS), "new": city.new, "exits": city.exits,
            "net": city.net, "pending": city.pending}
    for key, value in sums.items():
        if key == "pending":  # distinct firms: one firm claimed by two units is one pending firm
            ws.write_number(row, COL[key], value, w.bold_int)
        else:
            ws.write_formula(row, COL[key], f"=SUM({_col(key)}{first}:{_col(key)}{last})", w.bold_int, value)
    # the accepted counties' own targets: a rate never mixes their figures with the whole city's target
    status, target_col = _col("status"), _col("target")
    ws.write_formula(row, COL["target"], f'=SUMIF({status}{first}:{status}{last},"{ACCEPTED}",{target_col}{first}:{target_col}{last})',
                     w.bold_int, city.reporting_target or 0)
    completion, target = f"{_col('completion')}{r}", f"{_col('target')}{r}"
    ws.write_formula(row, COL["completion"], f'=IF(N({target})>0,{_col("new")}{r}/{target},"")', w.bold_pct,
                     "" if city.completion is None else city.completion)
    ws.write_number(row, COL["progress"], city.progress, w.bold_pct)
    ws.write_formula(row, COL["gap"], f'=IF(ISNUMBER({completion}),({completion}-{_col("progress")}{r})*100,"")',
                     w.bold_pts, "" if city.gap_points is None else city.gap_points)
    for key in ("rank", "net_target", "net_completion", "outcome"):
        ws.write_blank(row, COL[key], None, w.bold)


def _formats(w: SheetWriter, ws, first: int, total: int, policy: Policy) -> None:
    gap = f"{_col('gap')}{first + 1}"
    behind = policy.assessment.criticise_behind_points
    cells = (first, COL["gap"], total, COL["gap"])
    ws.conditional_format(*cells, {"type": "formula", "criteria": f"=AND(ISNUMBER({gap}),{gap}>=0)", "format": w.good})
    ws.conditional_format(*cells, {"type": "formula", "criteria": f"=AND(ISNUMBER({gap}),{gap}<-{behind:g})",
                                   "format": w.bad})
    ws.conditional_format(*cells, {"type": "formula", "criteria": f"=AND(ISNUMBER({gap}),{gap}<0)", "format": w.warn})
    status = f"{_col('status')}{first + 1}"
    ws.conditional_format(first, COL["status"], total - 1, COL["status"],
                          {"type": "formula", "criteria": f'={status}<>"{ACCEPTED}"', "format": w.bad})
    outcome = f"{_col('outcome')}{first + 1}"
    ws.conditional_format(first, COL["outcome"], total - 1, COL["outcome"],
                          {"type": "formula", "criteria": f'={outcome}="{PRAISE}"', "format": w.good})
    ws.conditional_format(first, COL["outcome"], total - 1, COL["outcome"],
                          {"type": "formula", "criteria": f'={outcome}="{CRITICISE}"', "format": w.bad})


def _goals(w: SheetWriter, ws, row: int, summary: PeriodSummary, policy: Policy) -> int:
    city = summary.city
    rules = policy.assessment
    basis = (f"排名按综合得分（{rules.weights_text}，每项以已受理单位中的最高值为满分折算）" if rules.weighted
             else "排名按完成率（不按绝对数）")
    lines = ["说明：完成率 = 新增合计 ÷ 年度新增目标（目标附件）；时序进度取政策参数“时序进度”表；"
             f"差距 = 完成率 − 时序进度（百分点）；{basis}。待认定企业在{_decider(summary)}认定归属前不计入任何单位。"]
    for mark in policy.examples_in(L.SHEET_NET):
        lines.append(f"净增目标是政策参数“{mark.sheet}”表中的示例数据（{mark.cell} 标有“示例数据”），不是各{summary.unit_label}"
                     f"核定的目标；净增完成率仅供参考，按实际替换后重新汇总即可。")
    if city.avg_new_goal is not None:
        lines.append(f"总体目标：年均新增不少于 {city.avg_new_goal} 家，{city.year}年截至目前新增 {city.new} 家；"
                     f"年均净增不少于 {city.avg_net_goal} 家，截至目前净增 {city.net} 家。")
    if city.register_goal is not None:
        if city.register_now is None:
            lines.append(f"在库总数目标：{city.register_goal_year}年达到 {city.register_goal} 家。政策参数未填“规划起始在库企业数”，"
                         "暂无法测算当前在库数。")
        else:
            lines.append(f"在库总数目标：{city.register_goal_year}年达到 {city.register_goal} 家；按规划起始在库数加累计净增测算，"
                         f"当前约 {city.register_now} 家，尚差 {max(city.register_goal - city.register_now, 0)} 家。")
    if summary.pipeline is not None:
        sheets = (POOL, AT_RISK, LEDGER)
        lines.extend(f"{line}见“{sheet}”表。" for line, sheet in zip(action_lines(summary.pipeline), sheets))
    last = len(OVERVIEW_COLUMNS) - 1
    for i, line in enumerate(lines):
        ws.merge_range(row + i, 0, row + i, last, line, w.f["plain_wrap"])
        ws.set_row(row + i, 30)
    return row + len(lines)


CHART_DATA_ROW = 2  # 0-based: the chart's own data table on its sheet starts here (under a title and a header)


def _chart_data(w: SheetWriter, ws, summary: PeriodSummary) -> tuple[int, int]:
    """The chart's data on its own sheet, linked to 概览: each unit's completion and the time progress; a unit
    whose report is not accepted is named so in the axis label and plotted as a gap (#N/A), never as 0 %."""
    ws.set_column(0, 0, 22)
    ws.set_column(1, 2, 12)
    ws.write_string(0, 0, "图表数据（取自“概览”）", w.f["bold"])
    for col, header in enumerate((summary.unit_label, "目标完成率", "时序进度")):
        ws.write_string(CHART_DATA_ROW - 1, col, header, w.f["header"])
    for i, f in enumerate(summary.counties):
        row, source = CHART_DATA_ROW + i, FIRST_ROW + i + 1
        label = f.county if f.completion is not None else f"{f.county}（{f.status}）"
        ws.write_string(row, 0, label, w.cell)
        completion = f"'{OVERVIEW}'!{_col('completion')}{source}"
        ws.write_formula(row, 1, f"=IF(ISNUMBER({completion}),{completion},NA())", w.pct,
                         f.completion if f.completion is not None else "#N/A")
        ws.write_formula(row, 2, f"='{OVERVIEW}'!{_col('progress')}{source}", w.pct, f.progress)
    last = CHART_DATA_ROW + len(summary.counties) - 1
    ws.conditional_format(CHART_DATA_ROW, 1, last, 1, {"type": "formula", "criteria": f"=ISNA(B{CHART_DATA_ROW + 1})",
                                                        "format": w.wb.add_format({"font_color": "#FFFFFF"})})
    return CHART_DATA_ROW, last


def _completion_chart(w: SheetWriter, summary: PeriodSummary, span: tuple[int, int], width: int):
    first, last = span
    column = w.wb.add_chart({"type": "column"})
    column.add_series({"name": "目标完成率", "categories": [CHART, first, 0, last, 0], "values": [CHART, first, 1, last, 1],
                       "fill": {"color": "#4472C4"}, "data_labels": {"value": True, "num_format": "0%"}})
    line = w.wb.add_chart({"type": "line"})
    line.add_series({"name": "时序进度", "categories": [CHART, first, 0, last, 0], "values": [CHART, first, 2, last, 2],
                     "line": {"color": "#C00000", "width": 2.25, "dash_type": "dash"}, "marker": {"type": "none"}})
    column.combine(line)
    column.set_title({"name": f"{summary.region}各{summary.unit_label}目标完成率与时序进度（{summary.period.label}）",
                      "name_font": {"name": FONT, "size": 14}})
    column.set_y_axis({"num_format": "0%", "min": 0, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                       "num_font": {"name": FONT}})
    column.set_x_axis({"num_font": {"name": FONT}})
    column.set_legend({"position": "bottom", "font": {"name": FONT}})
    column.show_na_as_empty_cell()
    column.set_size({"width": width, "height": 420})
    return column


def _chart(w: SheetWriter, summary: PeriodSummary, overview_row: int) -> None:
    """The completion chart on its own sheet (with its data) and under the overview's table, so that printing
    概览 prints it too."""
    ws = w.wb.add_worksheet(CHART)
    span = _chart_data(w, ws, summary)
    ws.insert_chart(1, 4, _completion_chart(w, summary, span, 880))
    print_fit(ws, [22, 12, 12, 3, 130])
    table_px = round(sum(width for _, _, width in OVERVIEW_COLUMNS) * 7)  # as wide as the overview's table
    w.wb.get_worksheet_by_name(OVERVIEW).insert_chart(overview_row, 0, _completion_chart(w, summary, span, table_px))


def _status(w: SheetWriter, summary: PeriodSummary) -> None:
    ws = w.wb.add_worksheet(STATUS)
    headers = [(summary.unit_label, 12), ("状态", 9), ("报送文件", 40), ("收到时间", 18), ("错误", 7, w.int), ("提示", 7, w.int),
               ("未说明提示", 9, w.int), ("待核实", 7, w.int), ("备注", 40, w.wrap), ("文件 SHA-256", 36, w.hash)]
    counts = {s: sum(r.status == s for r in summary.statuses) for s in CountyStatus}
    note = "；".join(f"{k} {v} 个" for k, v in counts.items())
    w.table(ws, f"报送情况（{summary.period.label}）", headers,
            ((s.county, s.status, s.file, s.received_at, s.errors, s.hints, s.unexplained, s.to_verify, s.note, s.sha256)
             for s in summary.statuses), note + f"。“待核实”是汇总时发现、供{_decider(summary)}核实的情况，不影响受理")
    ws.conditional_format(3, 1, 2 + len(summary.statuses), 1,
                          {"type": "formula", "criteria": f'=$B4<>"{ACCEPTED}"', "format": w.bad})


def _assessment(w: SheetWriter, summary: PeriodSummary, policy: Policy) -> None:
    ws = w.wb.add_worksheet(ASSESSMENT)
    rules = policy.assessment
    lead = f"且领先 {rules.praise_min_lead_points:g} 个百分点以上" if rules.praise_min_lead_points else ""
    note = (f"规则（政策参数“表扬批评规则”）：完成率不低于时序进度{lead}、"
            f"完成率排名前 {rules.praise_places(len(summary.counties))} 位、净增不少于 {rules.praise_min_net} 家的表扬；"
            f"在 {'、'.join(map(str, rules.criticise_months))} 月，完成率落后时序进度超过 {rules.criticise_behind_points:g} 个百分点"
            f"{'、净增为负' if rules.criticise_negative_net else ''}{'、未报送或被退回' if rules.criticise_not_submitted else ''}的通报批评。")
    w.table(ws, f"表扬和通报批评（{summary.period.label}）", [(summary.unit_label, 12), ("结论", 8), ("理由", 100, w.wrap)],
            ((d.county, d.label, d.reason) for d in summary.decisions), note, note_height=45)
    last = 2 + len(summary.decisions)
    ws.conditional_format(3, 1, last, 1, {"type": "cell", "criteria": "==", "value": f'"{PRAISE}"', "format": w.good})
    ws.conditional_format(3, 1, last, 1, {"type": "cell", "criteria": "==", "value": f'"{CRITICISE}"', "format": w.bad})


def _decider(summary: PeriodSummary) -> str:
    """Who verifies and decides, by the summary's units: 市里 over 县市区, 省里 over 市州."""
    return AdminLevel.of_units(summary.unit_label).consolidator


def _source(listing) -> tuple:
    return (listing.source.file, listing.source.row)


def _details(w: SheetWriter, summary: PeriodSummary) -> None:
    """The entry and exit lists and the firms pending attribution. A province's lists name each firm's 县市区 too,
    and trace it two steps back: the 市州's summary file and row it was read from, and the county file and row behind
    that; a city's, the county file and row."""
    label, period = summary.unit_label, summary.period.label
    province = bool(summary.sub_units) or any(SUB_UNIT in d.listing.values
                                              for d in summary.entries[:1] + summary.exits[:1])
    if province:
        sub = [("县市区", 11)]
        trace = [("来源文件（市州汇总表）", 36), ("行号", 6, w.int), ("县市区来源文件", 36), ("县市区行号", 8, w.int)]
        scope, back = f"已受理的{label}汇总表", f"{label}汇总表“{{sheet}}”工作表的行号，再到县市区报表"
        hash_at = f"（文件的 SHA-256 见{label}汇总表的“{STATUS}”表）"
    else:
        sub, trace = [], [("来源文件", 36), ("行号", 6, w.int)]
        scope, back, hash_at = "已受理报表", "来源文件“{sheet}”工作表的行号", f"（文件的 SHA-256 见“{STATUS}”表）"

    def lead(listing) -> tuple:  # the unit, and at province level the 县市区
        return (listing.county, listing.values.get(SUB_UNIT, "")) if province else (listing.county,)

    def source(listing) -> tuple:
        if not province:
            return _source(listing)
        v = listing.values
        return (listing.source.file, listing.source.row, v.get("origin_file") or "", v.get("origin_row"))

    ws = w.wb.add_worksheet(ENTRIES)
    w.detail(ws, f"新增入规企业明细（{period}，{scope}）",
             [(label, 11), *sub, ("统一社会信用代码", 21, w.text), ("企业名称", 32), ("入规类型", 9), ("入库方式", 9),
              ("入规月份", 9), ("行业代码", 8, w.text), ("主营业务收入（万元）", 12, w.wan), ("当年税收（万元）", 11, w.wan),
              ("计入情况", 12), *trace],
             [(*lead(d.listing), d.listing.uscc, d.listing.name, d.listing.code, d.listing.values.get("entry_mode"),
               str(d.listing.month or ""), d.listing.values.get("industry"), d.listing.values.get("revenue"),
               d.listing.values.get("tax"), d.counted, *source(d.listing)) for d in summary.entries],
             f"每行可追溯到{back.format(sheet=ENTRIES if province else S.ENTRIES.name)}{hash_at}；"
             f"“待认定”的企业在{_decider(summary)}认定归属前不计入。", ENTRIES)
    ws = w.wb.add_worksheet(EXITS)
    w.detail(ws, f"退库企业明细（{period}，{scope}）",
             [(label, 11), *sub, ("统一社会信用代码", 21, w.text), ("企业名称", 32), ("退库月份", 9), ("退库原因", 14),
              ("上年主营业务收入（万元）", 14, w.wan), *trace],
             [(*lead(d.listing), d.listing.uscc, d.listing.name, str(d.listing.month or ""), d.listing.code,
               d.listing.values.get("revenue"), *source(d.listing)) for d in summary.exits],
             f"每行可追溯到{back.format(sheet=EXITS if province else S.EXITS.name)}"
             f"{'' if province else hash_at}。", EXITS)
    ws = w.wb.add_worksheet(PENDING)
    w.table(ws, f"待认定归属的企业（{period}）",
            [("统一社会信用代码", 21, w.text), ("企业名称", 32), ("报为新增的单位及来源", 70, w.wrap), ("认定结果", 12)],
            ((c.uscc, c.name, "；".join(f"{''.join(lead(x))}：{x.source.label}" for x in c.claims),
              c.decided or "待认定") for c in summary.pending),
            f"同一企业被两个以上{label if province else '单位'}报为本年新增。"
            f"请核实后由{_decider(summary)}认定归属，认定前不计入任何单位。")


def _sub_units(w: SheetWriter, summary: PeriodSummary) -> None:
    """A province's 县市区 one level down, and its 市州's tiers."""
    if summary.tiers or summary.sub_units:
        ws = w.wb.add_worksheet(TIERS)
        w.table(ws, f"{summary.unit_label}排名和梯队（{summary.period.label}）",
                [(summary.unit_label, 20), ("新增", 8, w.int), ("年度新增目标", 10, w.int), ("目标完成率", 10, w.pct),
                 ("排名", 8, w.int), ("梯队", 10)],
                ((f.county, f.new, f.target, f.completion, f.rank, summary.tiers.get(f.county, ""))
                 for f in sorted(summary.counties, key=lambda f: (f.rank is None, f.rank or 0))),
                f"按目标完成率排名（规则见“{ASSESSMENT}”表），排名前三分之一为第一梯队、其次三分之一为第二梯队、其余为第三梯队；"
                f"未受理的{summary.unit_label}不排名。", note_height=36)
    if summary.sub_units:
        ws = w.wb.add_worksheet(SUB_UNITS)
        w.table(ws, f"县市区排名（{summary.period.label}，已受理的{summary.unit_label}汇总表）",
                [(summary.unit_label, 20), ("县市区", 14), ("报送状态", 9), ("新建投产", 8, w.int), ("小升规", 8, w.int),
                 ("新增合计", 8, w.int), ("退库", 7, w.int), ("净增", 7, w.int), ("年度新增目标", 10, w.int),
                 ("目标完成率", 10, w.pct), ("全省排名", 8, w.int), (f"{summary.unit_label}内排名", 9, w.int),
                 ("待认定", 7, w.int)],
                ((s.unit, s.figures.county, s.figures.status, s.figures.new_by_kind.get("新建投产"),
                  s.figures.new_by_kind.get("小升规"), s.figures.new, s.figures.exits, s.figures.net, s.figures.target,
                  s.figures.completion, s.figures.rank, s.within, s.figures.pending if s.figures.has_figures else None)
                 for s in summary.sub_units),
                f"县市区的新增、退库按省里计入的企业统计（省里待认定的不计）；目标是{summary.unit_label}给县市区定的"
                f"（见各{summary.unit_label}汇总表的“{OVERVIEW}”）；报送状态是{summary.unit_label}受理县市区报表的情况。")


def _quality(w: SheetWriter, summary: PeriodSummary) -> None:
    """入规质量: the counted entrants by revenue band, kind and division, tax paid, last year's entrants still in."""
    q = summary.quality
    if q is None:
        return
    rows = [("全部新增入规企业", "", q.entrants, 1.0 if q.entrants else None)]

    def share(n: int) -> float | None:
        return n / q.entrants if q.entrants else None

    rows += [("按主营业务收入", band, n, share(n)) for band, n in q.by_band.items()]
    rows += [("按入规类型", kind, n, share(n)) for kind, n in q.by_kind.items()]
    rows += [("按行业大类（GB/T 4754）", f"{code} {name}".strip(), n, share(n)) for code, name, n in q.by_division]
    rows.append(("纳税情况", "当年税收大于0", q.paid_tax, share(q.paid_tax)))
    if q.last_year_entrants is not None:
        rows.append(("上年新增入规企业存续", f"上年新增 {q.last_year_entrants} 家中至今未退库", q.still_in, q.survival))
    ws = w.wb.add_worksheet(QUALITY)
    odd = f"；行业大类不属于工业（B、C、D门类）的：{'、'.join(q.not_industry)}，请核实" if q.not_industry else ""
    survival = "" if q.last_year_entrants is not None else "；上年的名单不在本工作区，未计算上年新增企业的存续"
    w.table(ws, f"入规企业质量（{summary.period.label}，计入的新增入规企业）",
            [("分组", 22), ("类别", 30), ("企业数（家）", 10, w.int), ("占比", 9, w.pct)], rows,
            f"省方案要求关注“入规”企业质量：规模、入规方式、行业和存续；主营业务收入分档含下限、不含上限（3000万元计入"
            f"“3000万—5000万元”）{survival}{odd}。", note_height=48)


def _flags(flags: tuple[str, ...]) -> str:
    return "；".join(flags)


def _pipeline(w: SheetWriter, summary: PeriodSummary) -> None:
    """培育库, 风险库 and 问题台账 of the accepted reports, each row with its source, and their tallies."""
    p = summary.pipeline
    if p is None:
        return
    label, period, as_of = summary.unit_label, summary.period.label, f"{p.as_of:%Y-%m-%d}（{p.as_of_basis}）"
    source_headers = [("行号", 6, w.int), ("来源文件", 30)]  # the sheet is the list's own: said in the note
    ws = w.wb.add_worksheet(POOL)
    count = w.detail(ws, f"重点培育企业库（{period}，已受理报表）",
                     [(label, 11), ("统一社会信用代码", 20, w.text), ("企业名称", 28), ("行业代码", 7, w.text),
                      ("本年累计营业收入（万元）", 11, w.wan), ("孵化裂变", 7), ("预计入规月份", 9),
                      ("培育措施", 26, w.wrap), ("需处理", 30, w.wrap), *source_headers],
                     [(r.county, r.uscc, r.name, r.industry, r.revenue, r.spin_off, r.expected_entry, r.measures,
                       _flags(r.flags), r.origin.row, r.origin.file) for r in p.pool],
                     f"各{label}报送的营业收入1000万-2000万元小微工业企业和龙头企业孵化裂变企业（下年小升规的后备）。"
                     f"本年累计营收达{THRESHOLD:g}万元的应督促申报入统；已在规上名录的应移出；同一企业列入两个{label}的须核实归属；"
                     f"预计入规月份早于本报送期的为已过。行号指来源文件“{S.POOL.name}”工作表的行。", POOL, 32)
    ws.conditional_format(3, 8, 2 + max(count, 1), 8, {"type": "no_blanks", "format": w.warn})
    ws = w.wb.add_worksheet(POOL_COUNTIES)
    w.table(ws, f"培育库分{label}统计（{period}）",
            [(label, 14), ("培育库企业（家）", 12, w.int), ("已达2000万元（家）", 12, w.int), ("对照目标（家）", 12, w.int),
             ("目标依据", 30), ("培育库覆盖率", 12, w.pct)],
            ((c.county, c.size, c.at_threshold, c.target, c.target_basis, c.coverage)
             for c in [*p.counties, p.pool_total(summary.city.row_label)]),
            "培育库覆盖率 = 培育库企业数 ÷ 目标（培育库是下年小升规的后备，取目标附件的下年新增目标；附件没有下年目标时取本年）；"
            "一般按目标的2倍筛选培育对象。未受理的单位不计，合计只含已受理单位及其目标。", note_height=45)
    ws = w.wb.add_worksheet(AT_RISK)
    register = "" if p.register_checked else "未导入规划起始名录，是否在库未核对；"
    count = w.detail(ws, f"退规风险企业库（{period}，已受理报表）",
                     [(label, 11), ("统一社会信用代码", 20, w.text), ("企业名称", 28), ("年主营业务收入（万元）", 11, w.wan),
                      ("风险原因", 9), ("帮扶措施（一企一策）", 24, w.wrap), ("帮扶责任单位", 13, w.wrap),
                      ("需处理", 28, w.wrap), *source_headers],
                     [(r.county, r.uscc, r.name, r.revenue, r.reason, r.measures, r.helper, _flags(r.flags),
                       r.origin.row, r.origin.file) for r in p.at_risk],
                     "年主营业务收入3000万元以下、存在退规风险的在库企业，实行“一企一策”。不在规上名录、营收达3000万元、"
                     f"未填帮扶措施的列入“需处理”；{register}名录截至{period}。行号指来源文件“{S.AT_RISK.name}”工作表的行。",
                     AT_RISK, 32)
    ws.conditional_format(3, 7, 2 + max(count, 1), 7, {"type": "no_blanks", "format": w.warn})
    ws = w.wb.add_worksheet(LEDGER)
    tracked = _ledger_tracks(summary)
    count = w.detail(ws, f"企业问题台账（{period}，已受理报表，逾期在前）",
                     [(label, 11), ("统一社会信用代码", 20, w.text), ("企业名称", 26), ("问题描述", 28, w.wrap),
                      ("交办单位", 14, w.wrap), ("办理时限", 11), ("办理状态", 9), ("逾期天数", 8, w.int),
                      ("首次报送", 9), ("状态变化", 30, w.wrap), *source_headers],
                     [(i.county, i.uscc, i.name, i.problem, i.assigned_to,
                       f"{i.deadline:%Y-%m-%d}" if i.deadline else "", i.status, i.overdue_days,
                       *tracked(i), i.origin.row, i.origin.file) for i in p.ledger],
                     f"各{label}走访发现、逐条交办的企业问题（不是报表校验的“{FINDINGS}”）。逾期天数截至 {as_of}，"
                     f"已办结的不计逾期。首次报送、状态变化按本年各期已受理报表中同一问题（同一{label}、同一企业、"
                     f"问题描述相同，不计空格和标点）逐期比对。行号指来源文件“{S.LEDGER.name}”工作表的行。", LEDGER, 32)
    ws.conditional_format(3, 7, 2 + max(count, 1), 7, {"type": "cell", "criteria": ">", "value": 0, "format": w.bad})
    ws = w.wb.add_worksheet(LEDGER_UNITS)
    year = {(u.county, u.unit): u for u in summary.tracking.units} if summary.tracking else {}
    w.table(ws, f"问题台账分交办单位统计（{period}）",
            [(label, 12), ("交办单位", 18), ("交办（条）", 9, w.int), ("已办结（条）", 9, w.int), ("办结率", 9, w.pct),
             ("逾期（条）", 9, w.int), ("本年交办（条）", 9, w.int), ("未办结即不再报送（条）", 11, w.int)],
            _unit_rows(p.units, year),
            f"按{label}和交办单位统计（不同{label}的同名单位分开计）；逾期截至 {as_of}，逾期多的在前。"
            f"“本年交办”为本年各期报表列过的不同问题数（同一问题逐期只计一次），“未办结即不再报送”为此前报表列过、"
            f"未办结而本期报表不再列出的问题数。", note_height=36)


def _unit_rows(units, year: dict) -> list[tuple]:
    """台账分单位: this period's tally per unit with its year's (problems seen, dropped unclosed); then the units
    that no longer have a problem in this period's returns but dropped some unclosed."""
    rows = []
    for u in units:
        y = year.get((u.county, u.unit))
        rows.append((u.county, u.unit, u.items, u.done, u.done_rate, u.overdue, y.items if y else None,
                     y.dropped if y else None))
    current = {(u.county, u.unit) for u in units}
    rows += [(y.county, y.unit, 0, 0, None, 0, y.items, y.dropped) for key, y in year.items()
             if key not in current and y.dropped]
    return rows


def _ledger_tracks(summary: PeriodSummary):
    """(首次报送, 状态变化) of a period's ledger item, from its track through the year's returns."""
    by_key = {ledger_key(t.county, t.uscc, t.name, t.problem): t for t in summary.tracking.ledger} \
        if summary.tracking else {}

    def of(item) -> tuple[str, str]:
        t = by_key.get(ledger_key(item.county, item.uscc, item.name, item.problem))
        return (str(t.first_seen), t.changes) if t else ("", "")
    return of


def _figures(track, names: dict) -> tuple[dict, str]:
    """A track's figure by period and where each came from ('2022-03 文件 第5行；…'), in one pass over its
    sightings (a national year has over a million); ``names``: each period's text, kept between tracks."""
    by_period, sources = {}, []
    for s in track.seen:
        period = s.period
        name = names.get(period)
        if name is None:
            name = names[period] = str(period)
        by_period[period] = s.value
        sources.append(f"{name} {s.file} 第{s.row}行")
    return by_period, "；".join(sources)


def _tracking(w: SheetWriter, summary: PeriodSummary) -> None:
    """培育跟踪 and 风险跟踪: every firm any accepted return of the year listed, one column per period reported.

    Sheets of their own rather than columns of 培育库/风险库: those list exactly the rows of this period's accepted
    returns (each row one row of a county file, with what to act on), while a track covers the firms that have
    left too — they have no row this period, and each of their figures comes from another period's file."""
    t = summary.tracking
    if t is None:
        return
    label, period = summary.unit_label, summary.period.label
    order = {c.county: i for i, c in enumerate(summary.counties)}
    crossed: dict[tuple[str, str], list[str]] = {}
    for c in t.cross_county:
        for county in c.counties:
            crossed.setdefault((county, c.uscc), []).append(c.text)
    columns = [(f"{p}（万元）", 11, w.wan) for p in t.periods]
    for sheet, tracks, title, revenue, left_note in (
            (POOL_TRACK, t.pool, "重点培育企业跟踪", "本年累计营业收入",
             "离库原因依次判断：本年已受理的新增名单或统计部门确认名单中有该企业为“已入规”；其他县市区此后列入为“转入”；"
             "最后一期营收达2000万元为“营收已达2000万元（未见入库）”；本年累计低于该月培育库下限（12月1000万元，此前按月折算）且非孵化裂变企业为“营收低于培育库下限”；"
             "其余为“移出（未说明原因）”。"),
            (RISK_TRACK, t.at_risk, "退规风险企业跟踪", "年主营业务收入",
             "离库原因依次判断：本年已受理的退库名单或统计部门确认名单中有该企业为“已退库”；最后一期营收达3000万元为"
             "“营收升至3000万元以上”；其余为“移出（未说明原因）”。")):
        ws = w.wb.add_worksheet(sheet)
        rows = []
        names: dict = {}
        for track in sorted(tracks, key=lambda k: (order.get(k.county, len(order)), bool(k.left), k.first)):
            by_period, sources = _figures(track, names)
            rows.append((track.county, track.uscc, track.name, *((track.industry,) if sheet == POOL_TRACK else ()),
                         *(by_period.get(p) for p in t.periods), names.get(track.first) or str(track.first),
                         names.get(track.last) or str(track.last), track.days, "在库" if track.current else "已离库",
                         track.left, "；".join(crossed.get((track.county, track.uscc), ())), sources))
        industry = [("行业代码", 7, w.text)] if sheet == POOL_TRACK else []
        count = w.detail(ws, f"{title}（{summary.period.year}年截至{period[5:]}，各期已受理报表）",
                         [(label, 11), ("统一社会信用代码", 20, w.text), ("企业名称", 28), *industry, *columns,
                          ("首次列入", 9), ("最后列入", 9), ("在库天数", 8, w.int), ("状态", 7), ("离库原因", 22, w.wrap),
                          ("跨县市区重复", 24, w.wrap), ("各期来源（报送期 文件 行号）", 48, w.wrap)],
                         rows,
                         f"按统一社会信用代码逐期跟踪本年每家列入过名单的企业；各期列为该期报表所填"
                         f"{revenue}（万元），空白为该期未列入或{label}该期未报送。在库天数从首次列入期的月末算到最后列入期"
                         f"（已离库）或本期（在库）的月末。{left_note}", sheet, 45)
        status_col = 3 + len(industry) + len(columns) + 3
        ws.conditional_format(3, status_col, 2 + max(count, 1), status_col,
                              {"type": "cell", "criteria": "==", "value": '"已离库"', "format": w.warn})


def _span(r, whole: bool = True) -> str:
    """A range as the sheet prints it: '2–5' (counts) or '60%–75%' (rates); '' without one."""
    if r is None:
        return ""
    return f"{r.low:g}–{r.high:g}" if whole else f"{r.low:.0%}–{r.high:.0%}"


def _backtest_note(month: int, calibrated: bool) -> str:
    """How often the range held in the backtest at this month, as the shipped backtest results say."""
    try:
        data = json.loads(BACKTEST.read_text(encoding="utf-8"))
        row = next(r for r in data["calibrated" if calibrated else "fallback"] if r["month"] == month)
    except (OSError, ValueError, KeyError, StopIteration):
        return "回测结果见《培育库的年度预测》（docs/预测.md）。"
    kind = "校准后" if calibrated else "未经校准时"
    return (f"回测（在模拟的 {data['cities']} 个市、每市 {data['counties_per_city']} 个县市区、结果已知的年份上，"
            f"{kind}在1–{month}月作预测）：县市区年末新增落在所给区间内的占 {row['added']['coverage']:.0%}，"
            f"平均差 {row['added']['mae']:g} 家；退库落在区间内的占 {row['exits']['coverage']:.0%}；"
            f"企业全年营业收入落在区间内的占 {row['firm_coverage']:.0%}（名义为 {data['nominal_coverage']:.0%}）。"
            "回测用的是按月报送的模拟数据，按季度报送时只能按月数直线推算，误差更大。详见 docs/预测.md。")


def _forecast(w: SheetWriter, summary: PeriodSummary) -> None:
    """预测: each county's and the city's year end against the annex; 预测明细: every pool and at-risk firm.

    The firms are a sheet of their own, not a second table under the counties': a long list is written in one
    pass straight into the sheet (write_rows, below every other cell), and a national pool runs to 100,000 firms
    (past DETAIL_ROW_LIMIT it goes to a CSV file beside the workbook, as the other detail lists do)."""
    o = summary.outlook
    if o is None:
        return
    ws = w.wb.add_worksheet(FORECAST)
    label, period, year = summary.unit_label, summary.period.label, summary.period.year
    note = ("这是按本年已受理报表所作的预测，不是计划数字，也不作为考核依据。做法：培育库企业和重点项目按本年累计营业收入"
            "推算全年（本企业上年同期占比、所属行业上年同期占比或按月数直线推算，逐家注明依据）；重点项目清单中的新建投产"
            "项目（上年10月1日及以后投产）本年累计达2000万元的可能性相加得“预计还将入库”；风险库企业按所报年营业收入推算"
            "全年低于2000万元的可能性，相加得预计退库；其余培育库企业和项目全年达2000万元的可能性相加得下年小升规后备。"
            "范围为约十次中八次会落入的区间；逐家见“预测明细”。本期报表未受理的单位，按其本年最近一期已受理的报表计。"
            f"{o.calibration}{_backtest_note(o.month, o.calibrated) if o.counties else ''}")
    headers = [(label, 12), ("已入库", 8, w.int), ("预计年内还将入库", 10, w.pts), ("范围", 8), ("已退库", 8, w.int),
               ("预计全年退库", 10, w.pts), ("范围", 8), ("预计全年新增", 10, w.pts), ("范围", 8),
               ("预计全年净增", 10, w.pts), ("范围", 8), (f"{year}年新增目标", 9, w.int), ("预计完成率", 10, w.pct),
               ("范围", 11), (f"{year + 1}年小升规后备（预计）", 11, w.pts), ("范围", 8),
               (f"{year + 1}年新增目标", 9, w.int), ("后备覆盖率", 10, w.pct), ("范围", 11), ("未能推算（家）", 8, w.int)]
    w.table(ws, f"年度预测（{period}，已受理报表）", headers,
            [(c.county, c.entries_so_far, c.further.expected, _span(c.further), c.exits_so_far, c.exits.expected,
              _span(c.exits), c.added.expected, _span(c.added), c.net.expected, _span(c.net), c.target,
              c.completion.expected if c.completion else None, _span(c.completion, False), c.pipeline.expected,
              _span(c.pipeline), c.next_target, c.coverage.expected if c.coverage else None,
              _span(c.coverage, False), c.without_data) for c in o.counties], note, note_height=90)
    if o.counties:  # the city's row (last) stands out
        ws.conditional_format(3, 0, 2 + len(o.counties), len(headers) - 1,
                              {"type": "formula", "criteria": '=$A4="全市"', "format": w.total})
    ws = w.wb.add_worksheet(FORECAST_FIRMS)
    rows = []
    for f in o.firms:
        latest = next(((p, v) for p, v in reversed(f.ytd) if v is not None), (None, None))
        rows.append((f.kind, f.county, f.uscc, f.name, latest[1], str(latest[0] or ""), f.point, f.low, f.high,
                     f.basis, f.chance, str(f.pass_month or ""), f.route, f.origin.row if f.origin else None,
                     f.origin.file if f.origin else ""))
    w.detail(ws, f"逐家预测（{period}，培育库、风险库和重点项目清单中仍在库的企业和项目）",
             [("类别", 7), (label, 11), ("统一社会信用代码", 20, w.text), ("企业名称", 28),
              ("最近一期营收（万元）", 11, w.wan), ("最近一期", 9), ("预计全年营收（万元）", 11, w.wan),
              ("低（万元）", 10, w.wan), ("高（万元）", 10, w.wan), ("推算依据", 22, w.wrap), ("可能性", 8, w.pct),
              ("预计累计达2000万元月份", 11), ("入规途径", 24, w.wrap), ("行号", 6, w.int), ("来源文件", 30)],
             rows, "可能性：培育库和重点项目为全年营业收入达2000万元的可能性，风险库为全年低于2000万元的可能性。培育库和"
             "重点项目的营收为本年累计（项目从投产月份算起，尚未投产的不作推算），风险库为所报年营业收入（上年或近12个月）。"
             "低、高为约十次中八次会落入的范围。各县市区合计见“预测”表。",
             FORECAST_FIRMS, 32)


def _findings(w: SheetWriter, summary: PeriodSummary) -> None:
    ws = w.wb.add_worksheet(FINDINGS)
    count = w.detail(ws, f"问题清单（{summary.period.label}，各单位当前报送）",
                    [("文件", 36), ("级别", 6), ("代码", 6), ("问题", 18), ("工作表", 12), ("单元格", 7),
                     ("所见值", 22, w.text), ("处理意见", 70, w.wrap), ("已说明", 7)],
                     [(f.file, f.level.value, f.code, KINDS[f.code].title, f.sheet, f.cell, f.value, f.message,
                       "是" if f.explained else ("—" if f.advisory else ("否" if f.level is Level.HINT else "")))
                      for f in summary.findings],
                     "“错误”须改正后重新报送；“提示”须改正或在该行“说明”列写明；标“—”的提示是汇总时发现、"
                     f"供{_decider(summary)}核实的情况。",
                     FINDINGS)
    ws.conditional_format(3, 1, 2 + max(count, 1), 1,
                          {"type": "cell", "criteria": "==", "value": f'"{Level.ERROR.value}"', "format": w.bad})


def _csv_value(v: object) -> object:
    """A cell for CSV: text that a spreadsheet would take for a formula (a negative number's too) gets a leading
    apostrophe; numbers and empty cells as the csv module writes them (str(), and nothing)."""
    if v is None or (type(v) in (int, float) and v > 0) or (type(v) is str and v[:1] not in _FORMULA_START):
        return v
    text = str(v)
    return "'" + text if text[:1] in _FORMULA_START else text


_FIRST = operator.itemgetter(0)  # a text's first character, taken in C over a whole column


def _csv_column(column: tuple) -> tuple | list:
    """One column of a long list as _csv_value would give it cell by cell, decided for the whole column where it
    can: a column of texts none of which begins as a formula, or of numbers all above zero, is written as it is."""
    kinds = set(map(type, column))
    kinds.discard(type(None))
    if kinds <= {str}:
        if _FORMULA_START.isdisjoint(map(_FIRST, filter(None, column))):  # (None and '' have no first character)
            return column
    elif kinds <= {int, float}:
        numbers = [v for v in column if v is not None]
        if min(numbers) > 0:
            return column
    return [_csv_value(v) for v in column]


_CSV_CHUNK = 10_000  # rows encoded and written at a time (not one write per row; not the whole file in memory)


def _write_csv(path: Path, headers: list[str], rows: list[tuple]) -> Path:
    """The list as UTF-8 CSV (with a BOM, so that Excel reads it as UTF-8), written column by column."""
    with atomic_output(path) as temp:
        with temp.open("w", encoding="utf-8-sig", newline="") as handle:
            buffer = io.StringIO()
            out = csv.writer(buffer)
            out.writerow(headers)
            for start in range(0, len(rows), _CSV_CHUNK):
                part = rows[start:start + _CSV_CHUNK]
                out.writerows(zip(*(_csv_column(column) for column in zip(*part, strict=True))))  # rows of one width
                handle.write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
            handle.write(buffer.getvalue())
    return path


def _adjustments(w: SheetWriter, summary: PeriodSummary) -> None:
    ws = w.wb.add_worksheet(ADJUSTMENTS)
    w.table(ws, f"封账后的调整（{summary.period.year}年截至{summary.period.label[5:]}）",
            [("报送期", 9), (summary.unit_label, 12), ("调整报表", 36), ("收到时间", 18), ("原因（封面情况说明）", 40, w.wrap),
             ("新增：封账时", 10, w.int), ("新增：调整后", 10, w.int), ("退库：封账时", 10, w.int), ("退库：调整后", 10, w.int),
             ("错误", 6, w.int)],
            ((str(a.period), a.county, a.file, a.received_at, a.reason, a.new_closed, a.new_now, a.exits_closed,
              a.exits_now, a.errors) for a in summary.adjustments),
            "封账（通报或奖励已发出）后收到的报表不改变封账数字，记为调整列在这里；数字为报表所列企业数（未扣除待认定）。"
            if summary.adjustments else "本年已封账的报送期没有调整。")


def _reconciliation(w: SheetWriter, summary: PeriodSummary) -> None:
    if not summary.confirmed_source:
        return
    ws = w.wb.add_worksheet(RECONCILE)
    count = w.table(ws, f"与统计部门确认名单核对（{summary.period.label}）",
                    [(summary.unit_label, 12), ("县报新增", 9, w.int), ("确认新增", 9, w.int), ("新增：县报未确认", 11, w.int),
                     ("新增：确认未报", 11, w.int), ("县报退库", 9, w.int), ("确认退库", 9, w.int),
                     ("退库：县报未确认", 11, w.int), ("退库：确认未报", 11, w.int), ("结论", 10)],
                    ((r.county, r.reported_new, r.confirmed_new, r.new_unconfirmed, r.new_unreported, r.reported_exits,
                      r.confirmed_exits, r.exits_unconfirmed, r.exits_unreported,
                      "未受理" if r.reported_new is None else "一致" if r.agrees else "有差异")
                     for r in summary.reconciliation),
                    f"确认名单：{summary.confirmed_source}。数字仍以各单位已受理的报表为准，差异逐条列在“{FINDINGS}”中"
                    "（W208-W211），请与统计部门核实，不自动采用任何一方。")
    ws.conditional_format(3, 9, 2 + max(count, 1), 9,
                          {"type": "cell", "criteria": "==", "value": '"有差异"', "format": w.warn})


PROJECTS = "重点项目"


def _projects(w: SheetWriter, summary: PeriodSummary) -> None:
    """重点项目: the new builds of the accepted reports, what needs doing first, each row with its source."""
    p = summary.pipeline
    if p is None:
        return
    label = summary.unit_label
    rows = sorted(p.projects, key=lambda r: (not r.flags or r.flags[0].startswith("已在"), r.origin.file, r.origin.row))
    late = sum(r.flags[:1] == ("计划投产月份已过，尚未投产",) for r in p.projects)
    producing = sum(bool(r.actual) for r in p.projects)
    w.detail(w.wb.add_worksheet(PROJECTS), f"重点项目（新建投产）清单（{summary.period.label}，已受理报表）",
             [(label, 9), ("项目名称", 26, w.wrap), ("统一社会信用代码", 20, w.text), ("企业名称", 22, w.wrap),
              ("行业代码", 8, w.text), ("计划投产", 9), ("实际投产", 9), ("预计年营业收入（万元）", 12, w.wan),
              ("本年累计营业收入（万元）", 12, w.wan), ("当前节点", 12, w.wrap), ("责任单位", 14, w.wrap),
              ("需处理", 26, w.wrap), ("来源文件", 26, w.wrap), ("行号", 6, w.int)],
             [(r.county, r.project, r.uscc, r.name, r.industry, r.planned, r.actual, r.planned_revenue, r.revenue,
               r.milestone, r.responsible, "；".join(r.flags), r.origin.file, r.origin.row) for r in rows],
             f"共 {len(p.projects)} 个项目，已投产 {producing} 个，计划投产月份已过而尚未投产 {late} 个。需处理的排在前面："
             "计划投产月份已过的，请核实进展；已投产且本年累计营业收入达2000万元的，督促当月申报入库（新建投产可按月入库）。",
             "重点项目", 32)


SCREEN_FUNNEL = "应入尽入"
SCREEN_FIRMS = "应入尽入明细"


def _screening(w: SheetWriter, summary: PeriodSummary) -> None:
    """应入尽入: the year's latest screen and each listed firm followed to the register (only when a screen ran)."""
    view = summary.screening
    if view is None:
        return
    label = summary.unit_label
    head = (f"筛选：{view.screened}（按{view.month.year}年1—{view.month.month}月销售额，{view.run_at[:16]}）；"
            f"进展截至{summary.period.label}，据各{label}本年最近一期已受理报表的“应入尽入跟踪”表")
    w.table(w.wb.add_worksheet(SCREEN_FUNNEL), f"应入尽入分{label}进展（{summary.period.label}）",
            [(label, 14), ("筛出（家）", 9, w.int), (f"{label}自报", 9, w.int), ("已联系", 8, w.int),
             ("已申报", 8, w.int), ("已入库", 8, w.int), ("不符合条件", 9, w.int), ("企业暂不申报", 9, w.int),
             ("未反馈", 8, w.int), ("入库率", 9, w.pct)],
            [(r.county, r.screened, r.own, r.contacted, r.applied, r.entered, r.not_qualified, r.declined,
              r.no_answer, r.entered / (r.screened + r.own) if r.screened + r.own else None) for r in view.rows],
            f"{head}。已入库以统计局确认名单和已受理报表的新增名单为准（名单中有的自动计为已入库）；"
            f"已联系含已申报、已入库和核实后不符合条件、企业暂不申报的；入库率 = 已入库 ÷（筛出 + 自报）。", 45)
    rows = []
    for f in view.followed:
        a = f.answer
        said = "" if a is None else a.result
        basis = f.entered_by or ("据县市区填报，统计局确认名单中尚无" if f.stage == "已入库" else "")
        rows.append((f.county or "县市区未定", f.uscc, f.name, f.kind, f.stage, basis,
                     a.contacted if a else "", a.applied if a else "", a.applied_on if a else "", said,
                     a.reason if a else "", a.file if a else "", a.row if a else None))
    w.detail(w.wb.add_worksheet(SCREEN_FIRMS), f"应入尽入候选企业逐家进展（{summary.period.label}）",
             [(label, 9), ("统一社会信用代码", 20, w.text), ("企业名称", 26, w.wrap), ("筛选类别", 11), ("进展", 10),
              ("入库依据", 22, w.wrap), ("联系企业日期", 11), ("是否已申报", 9), ("申报日期", 11), (f"{label}填报结果", 11),
              ("原因说明", 24, w.wrap), ("来源文件", 26, w.wrap), ("来源行号", 7, w.int)],
             rows, f"{head}。“未反馈”是{label}报表的“应入尽入跟踪”表中没有该企业；来源行号指该表的行。", "应入尽入明细")


def write_summary(path: Path, summary: PeriodSummary, policy: Policy, stamp: Stamp, *,
                  created: dt.datetime | None = None, more: list[list[str]] | None = None) -> list[Path]:
    """Write the summary as a new file (the caller chooses a name that does not exist yet); ``more``: rows for its
    stamp sheet after the stamp's (the digest a province reads, domain.city_summary.digest_rows).

    Returns the workbook's path, then any CSV files holding detail lists too long for it.
    """
    created = created or dt.datetime.now().replace(microsecond=0)
    path = Path(path)
    with atomic_output(path) as temp:
        wb = new_workbook(temp, title=f"{summary.region}规上工业企业汇总表 {summary.period}", created=created, fast=True)
        w = SheetWriter(wb, path)
        chart_row = _overview(w, summary, policy, created, stamp.tool_version)
        _chart(w, summary, chart_row)
        _status(w, summary)
        _assessment(w, summary, policy)
        _details(w, summary)
        _sub_units(w, summary)
        _quality(w, summary)
        _pipeline(w, summary)
        _projects(w, summary)
        _tracking(w, summary)
        _forecast(w, summary)
        _screening(w, summary)
        _findings(w, summary)
        _reconciliation(w, summary)
        _adjustments(w, summary)
        add_stamp_sheet(wb, stamp.with_kind(FileKind.SUMMARY), more=more)
        wb.close()
    return [path, *(_write_csv(p, headers, rows) for p, headers, rows in w.sidecars)]
