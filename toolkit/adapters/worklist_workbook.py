"""A county's 培育工作清单 (worklist) as a workbook: a 说明 sheet, then one list per task, each with a blank
“处理情况” column the county fills in (not read back yet). XlsxWriter, rows written whole (SheetWriter.table),
text always as text; written atomically."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.summary_workbook import SheetWriter
from toolkit.adapters.xlsx_styles import add_stamp_sheet, new_workbook, print_fit, wrapped_height
from toolkit.domain import report_schema as S
from toolkit.domain.pipeline import AT_THRESHOLD, THRESHOLD
from toolkit.domain.stamp import FileKind, Stamp
from toolkit.domain.worklist import NOTHING, Worklist

README = "说明"
PUSH = "应入尽入"
STALLED = "停滞"
AT_RISK = "风险帮扶"
OVERDUE = "逾期问题"
DONE_COLUMN = ("处理情况（县市区填写）", 30)
README_WIDTHS = (16, 100)


def _flags(flags) -> str:
    return "；".join(flags)


def _asks(w: Worklist) -> list[tuple[str, int, str, str]]:
    """Each list: its sheet, how many rows, what it lists, what the county is asked to do."""
    return [
        (PUSH, len(w.push), f"本年累计营业收入已达{THRESHOLD:g}万元的培育企业（营收高的在前）",
         "请督促企业尽快申报入统（应入尽入），在“处理情况”写明申报进展。"),
        (STALLED, len(w.stalled), "预计入规月份已过、已在规上名录、或同时列入两个县市区培育库的培育企业",
         "预计入规月份已过的，请核实进展，更新预计入规月份或写明原因；已在规上名录的，请移出培育库；"
         "两个县市区重复的，请与对方核实归属。"),
        (AT_RISK, len(w.at_risk), "未填帮扶措施（以及不在规上名录、年营收已达3000万元）的退规风险企业",
         "请补填“一企一策”帮扶措施和责任单位，或核实后移出风险库。"),
        (OVERDUE, len(w.overdue), "问题台账中已过办理时限、尚未办结的问题（逾期最久的在前）",
         "请督促交办单位办理，写明进展和新的办理时限。"),
    ]


def _readme(sw: SheetWriter, w: Worklist, stamp: Stamp, created: dt.datetime) -> None:
    ws = sw.wb.add_worksheet(README)
    for col, width in enumerate(README_WIDTHS):
        ws.set_column(col, col, width)
    ws.merge_range(0, 0, 0, 1, f"{w.county}{w.period.label}培育工作清单", sw.f["title"])
    rows = [("县市区", w.county), ("报送期", w.period.label), ("依据报表", w.file),
            ("判断日期", f"{w.as_of:%Y-%m-%d}（{w.as_of_basis}；逾期天数、预计入规月份按此判断）"),
            ("生成时间", f"{created:%Y-%m-%d %H:%M}（guishang {stamp.tool_version}）"),
            ("结论", f"{NOTHING}。" if w.empty else f"需处理 {w.items} 项，见以下各表。")]
    rows += [(sheet, f"{count} 项：{what}。{ask}" if count else f"{NOTHING}。") for sheet, count, what, ask in _asks(w)]
    rows.append(("备注", "本清单只列本县市区报表中的企业和问题，由市里汇总时根据已受理的报表生成。各表最后一列“处理情况”供县市区"
                       "填写备查，本工具暂不读回；处理结果请在下一期报表的培育库、风险库和问题台账中更新。"
                       + ("" if w.register_checked else "未导入规划起始名录，风险库企业是否在库未核对。")))
    heights = [wrapped_height([(text, README_WIDTHS[1])]) for _, text in rows]
    ws.write_rows(1, rows, [sw.bold, sw.wrap], heights)
    print_fit(ws, README_WIDTHS)


def _note(ask: tuple[str, str], count: int, source_sheet: str) -> str:
    what, todo = ask
    head = f"{NOTHING}（本表列{what}）。" if not count else f"{what}。{todo}"
    return f"{head}“来源行号”指本县市区报表“{source_sheet}”工作表的行。"


def write_worklist(path: Path, w: Worklist, stamp: Stamp, *, created: dt.datetime | None = None) -> Path:
    """Write one county's worklist to ``path`` (replaced whole when it exists: the folder holds the latest)."""
    created = created or dt.datetime.now().replace(microsecond=0)
    path = Path(path)
    with atomic_output(path) as temp:
        wb = new_workbook(temp, title=f"{w.county}{w.period}培育工作清单", created=created, fast=True)
        wb.in_memory = True  # packed without a temporary file per part: half the time of a small workbook
        sw = SheetWriter(wb, path)
        _readme(sw, w, stamp, created)
        asks = {sheet: (what, todo) for sheet, _, what, todo in _asks(w)}
        title = f"{w.county}{w.period.label}"
        uscc, done = ("统一社会信用代码", 20, sw.text), (*DONE_COLUMN, sw.wrap)
        sw.table(wb.add_worksheet(PUSH), f"{title}应入尽入企业",
                 [uscc, ("企业名称", 28, sw.wrap), ("行业代码", 7, sw.text), ("本年累计营业收入（万元）", 11, sw.wan),
                  ("孵化裂变", 7), ("预计入规月份", 9), ("培育措施", 24, sw.wrap), ("其他需处理", 20, sw.wrap),
                  ("来源行号", 6, sw.int), done],
                 [(r.uscc, r.name, r.industry, r.revenue, r.spin_off, r.expected_entry, r.measures,
                   _flags(f for f in r.flags if f != AT_THRESHOLD), r.origin.row, None) for r in w.push],
                 _note(asks[PUSH], len(w.push), S.POOL.name), 32)
        sw.table(wb.add_worksheet(STALLED), f"{title}停滞及应移出的培育企业",
                 [uscc, ("企业名称", 28, sw.wrap), ("本年累计营业收入（万元）", 11, sw.wan), ("预计入规月份", 9),
                  ("培育措施", 24, sw.wrap), ("情形", 30, sw.wrap), ("来源行号", 6, sw.int), done],
                 [(s.row.uscc, s.row.name, s.row.revenue, s.row.expected_entry, s.row.measures, _flags(s.reasons),
                   s.row.origin.row, None) for s in w.stalled],
                 _note(asks[STALLED], len(w.stalled), S.POOL.name), 32)
        sw.table(wb.add_worksheet(AT_RISK), f"{title}需帮扶的退规风险企业",
                 [uscc, ("企业名称", 28, sw.wrap), ("年主营业务收入（万元）", 11, sw.wan), ("风险原因", 10, sw.wrap),
                  ("帮扶措施（一企一策）", 22, sw.wrap), ("帮扶责任单位", 13, sw.wrap), ("需处理", 26, sw.wrap),
                  ("来源行号", 6, sw.int), done],
                 [(r.uscc, r.name, r.revenue, r.reason, r.measures, r.helper, _flags(r.flags), r.origin.row, None)
                  for r in w.at_risk], _note(asks[AT_RISK], len(w.at_risk), S.AT_RISK.name), 32)
        sw.table(wb.add_worksheet(OVERDUE), f"{title}逾期未办结的问题（截至{w.as_of:%Y-%m-%d}）",
                 [uscc, ("企业名称", 24, sw.wrap), ("问题描述", 28, sw.wrap), ("交办单位", 14, sw.wrap),
                  ("办理时限", 11), ("办理状态", 9), ("逾期天数", 8, sw.int), ("来源行号", 6, sw.int), done],
                 [(i.uscc, i.name, i.problem, i.assigned_to, f"{i.deadline:%Y-%m-%d}" if i.deadline else "", i.status,
                   i.overdue_days, i.origin.row, None) for i in w.overdue],
                 _note(asks[OVERDUE], len(w.overdue), S.LEDGER.name), 32)
        add_stamp_sheet(wb, stamp.with_kind(FileKind.WORKLIST))
        wb.close()
    return path
