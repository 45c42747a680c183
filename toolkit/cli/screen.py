"""Command-line verbs for 应入尽入 (firms that qualify but are not reported): import the departments' data."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from toolkit.cli.common import add_workspace, open_workspace, period_arg
from toolkit.cli.text import esc
from toolkit.domain.department_data import KIND_LABEL, Kind
from toolkit.domain.outcomes import Outcome
from toolkit.domain.screening import KINDS
from toolkit.services.screening import DepartmentImport, import_department_files, run_screen

MAX_SHOWN = 30


def add_parsers(verbs) -> None:
    screen = verbs.add_parser("screen", help="应入尽入：导入税务、市场监管、电力部门的数据")
    steps = screen.add_subparsers(dest="screen_verb", metavar="操作", required=True)
    load = steps.add_parser("import", help="导入部门数据文件（xlsx 或 csv，UTF-8 或 GBK）：按列名识别是哪个部门的数据、"
                                           "各列是什么、金额单位；同一文件再导入不会重复计数")
    add_workspace(load)
    load.add_argument("files", type=Path, nargs="+", metavar="FILE", help="部门数据文件，可一次给多个")
    load.add_argument("--kind", choices=[k.value for k in Kind],
                      help="指明数据种类（tax 税务申报销售额，registration 市场监管登记信息，power 电力用电量）；不写则按列名识别")
    load.set_defaults(handler=cmd_screen_import)
    run = steps.add_parser("run", help="按统计部门的入规条件筛选已达规模未入规的企业：写出市级候选企业表（不外发）和"
                                       "各县市区的应入尽入工作清单（只含本县市区企业），在 输出/应入尽入/<报送期>/ 下")
    add_workspace(run)
    run.add_argument("--period", type=period_arg, required=True,
                     help="判断月份，如 2022-09：按该年1月至该月的累计销售额判断（税务数据不到该月时按数据的最后月份）")
    run.set_defaults(handler=cmd_screen_run)


def cmd_screen_run(args, console: Console) -> int:
    workspace = open_workspace(args)
    done = run_screen(workspace, args.period)
    found = done.screen
    console.print(f"应入尽入筛选（{found.period.year}年1—{found.period.month}月）：共列出 {len(found.candidates)} 家，"
                  + "，".join(f"{k} {sum(c.kind == k for c in found.candidates)} 家" for k in KINDS)
                  + f"；{sum(bool(c.flags) for c in found.candidates)} 家有需核实的疑点。", soft_wrap=True)
    table = Table("县市区", *KINDS, "合计", "有疑点")
    for name, kinds, flagged in found.tally(workspace.policy().county_names):
        table.add_row(esc(name), *(str(v) for v in kinds.values()), str(sum(kinds.values())), str(flagged))
    console.print(table)
    console.print(f"规上名录：{esc(done.held_from)}", soft_wrap=True)
    if found.big_not_listed or found.not_listed:
        console.print("销售额达标而未列入：" + esc(found.big_not_listed_text() or "")
                      + (f"；行业不明或登记状态异常 {len(found.not_listed)} 家（见市级候选企业表）" if found.not_listed else ""),
                      soft_wrap=True)
    for note in found.notes:
        console.print(f"[yellow]注意：{esc(note)}[/]", soft_wrap=True)
    console.print(f"市级候选企业表（仅限市级，不外发）：{esc(str(done.city))}", soft_wrap=True)
    console.print(f"各县市区工作清单（只含本县市区企业，可分别发送）：{esc(str(done.city.parent.parent))}", soft_wrap=True)
    return Outcome.OK


def cmd_screen_import(args, console: Console) -> int:
    workspace = open_workspace(args)
    results = import_department_files(workspace, args.files, Kind(args.kind) if args.kind else None)
    refused = [r for r in results if r.problems]
    if refused:
        for result in refused:
            _print_problems(console, result)
        waiting = [r.file for r in results if r.refused_with_others]
        if waiting:
            console.print(f"其余文件（{'、'.join(esc(w) for w in waiting)}）读取无误，但本次一并未导入："
                          "改正上述文件后再把它们一起导入。")
        return Outcome.INPUT
    for result in results:
        _print_taken(console, result)
    return Outcome.OK


def _print_problems(console: Console, result: DepartmentImport) -> None:
    problems = result.problems
    console.print(f"[red]“{esc(result.file)}”有 {len(problems)} 处问题，未导入[/]（数据库未作任何改动）：")
    table = Table("位置", "问题", show_lines=False)
    for problem in problems[:MAX_SHOWN]:
        table.add_row(esc(problem.where), esc(problem.message))
    console.print(table)
    if len(problems) > MAX_SHOWN:
        console.print(f"…… 另有 {len(problems) - MAX_SHOWN} 处。")


def _print_taken(console: Console, result: DepartmentImport) -> None:
    if result.unchanged:
        console.print(f"“{esc(result.file)}”已导入过，内容相同，未改动。")
        return
    first = result.tables[0]
    sheets = "、".join(f"“{t.sheet}”（表头在第 {t.header_row} 行）" for t in result.tables if t.sheet)
    where = f"工作表 {sheets}" if sheets else f"表头在第 {first.header_row} 行，编码 {first.encoding}"
    console.print(f"已导入“{esc(result.file)}”：{KIND_LABEL[first.kind]}，{esc(where)}，{result.rows} 行。",
                  soft_wrap=True)
    console.print("  列：" + esc("；".join(f"{label} ← {column}" for label, column in first.taken.items())),
                  soft_wrap=True)
    if first.kind is Kind.TAX:
        console.print(f"  销售额单位：{first.unit}（据{first.unit_from}），已按万元保存。")
    elif first.kind is Kind.POWER:
        console.print(f"  用电量单位：{first.unit}" + ("，已换算为 kWh 保存。" if first.unit == "万kWh" else "。"))
    months = [t.months for t in result.tables if t.months]
    if months:
        console.print(f"  所属期：{min(m[0] for m in months)} 至 {max(m[1] for m in months)}。")
    skipped = [s for t in result.tables for s in t.skipped]
    if skipped:
        console.print("  未计入：" + esc("；".join(skipped[:10])) + (f" 等 {len(skipped)} 行" if len(skipped) > 10 else ""),
                      soft_wrap=True)
    for note in result.replaces:
        console.print(f"  [yellow]{esc(note)}[/]", soft_wrap=True)
