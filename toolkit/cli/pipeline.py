"""``guishang pipeline``: the year's forecast per county in the console (issue #37). Writes nothing: the sheets
(培育跟踪, 风险跟踪, 问题台账, 预测, 预测明细) are written with the period's summary by ``guishang consolidate``."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from toolkit.cli.common import add_workspace, open_workspace, period_arg
from toolkit.cli.text import esc
from toolkit.domain.forecast import Range
from toolkit.domain.outcomes import Outcome
from toolkit.services.board import summary_files_of
from toolkit.services.consolidation import SUMMARY_DIR_NAME
from toolkit.services.consolidation.outlook import outlook_of


def add_parsers(verbs) -> None:
    pipeline = verbs.add_parser("pipeline", help="培育库年度预测：各县市区年末新增、退库、完成率和下年小升规后备（只显示，不写文件）")
    add_workspace(pipeline)
    pipeline.add_argument("--period", type=period_arg, required=True,
                          help="报送期，如 2022-09：按本年截至该期的已受理报表预测全年")
    pipeline.set_defaults(handler=cmd_pipeline)


def _count(r: Range) -> str:
    return f"{r.expected:.1f} ({r.low:g}-{r.high:g})"


def _rate(r: Range | None) -> str:
    return "—" if r is None else f"{r.expected:.0%} ({r.low * 100:.0f}-{r.high * 100:.0f}%)"


def _whole(n: int | None) -> str:
    return "—" if n is None else str(n)


def _table(title: str, *headers: str) -> Table:
    """Numbers right-aligned under short headers, without the side borders (an 80-column console holds it)."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    for i, header in enumerate(headers):
        table.add_column(header, justify="left" if i == 0 else "right", no_wrap=i == 0)
    return table


def cmd_pipeline(args, console: Console) -> int:
    workspace = open_workspace(args)
    period = args.period
    outlook = outlook_of(workspace, period)
    if not outlook.periods:
        console.print(f"{period.year}年截至{period}还没有已受理的报表，无法预测。先运行 guishang consolidate。")
        return Outcome.OK
    year = period.year
    console.print(f"{year}年全年预测（依据{year}年截至{period}的已受理报表，报送期："
                  f"{'、'.join(str(p) for p in outlook.periods)}）", soft_wrap=True)
    if not outlook.counties:
        console.print(esc(outlook.calibration), soft_wrap=True)
        return Outcome.OK
    counties = outlook.counties
    tables = (
        (f"{year}年新增", ("已入库", "还将入库", "全年新增", "新增目标", "完成率"),
         lambda c: (str(c.entries_so_far), _count(c.further), _count(c.added), _whole(c.target), _rate(c.completion))),
        (f"{year}年退库和净增", ("已退库", "全年退库", "全年净增"),
         lambda c: (str(c.exits_so_far), _count(c.exits), _count(c.net))),
        (f"{year + 1}年小升规后备（预计{year}年达2000万元的培育库企业）", ("后备", f"{year + 1}年目标", "覆盖率"),
         lambda c: (_count(c.pipeline), _whole(c.next_target), _rate(c.coverage))))
    for title, headers, cells in tables:
        table = _table(title, "县市区", *headers)
        for c in counties:
            table.add_row(esc(c.county), *cells(c), end_section=c is counties[-2])
        console.print(table)
    console.print("括号内为范围（约十次中八次会落入）；完成率、覆盖率按预计值和范围分别计算。这是预测，不是计划数字，也不作为考核依据。", soft_wrap=True)
    console.print(esc(outlook.calibration), soft_wrap=True)
    missing = outlook.counties[-1].without_data
    if missing:
        console.print(f"另有 {missing} 家培育库或风险库企业本年没有营业收入数据，未作推算。", soft_wrap=True)
    names = summary_files_of(workspace, workspace.policy(), period)
    if names:
        where = workspace.output / SUMMARY_DIR_NAME / names[0]
        console.print(f"逐家预测和逐期跟踪见汇总表“{esc(str(where))}”的“预测”“预测明细”“培育跟踪”“风险跟踪”“问题台账”表。",
                      soft_wrap=True)
    else:
        console.print(f"本期还没有汇总表：运行 guishang consolidate --period {period} 后，汇总表的“预测”“预测明细”"
                      "“培育跟踪”“风险跟踪”“问题台账”表有逐家预测和逐期跟踪。", soft_wrap=True)
    return Outcome.OK
