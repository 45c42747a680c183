"""Command-line verbs on files, no workspace needed: policy (政策参数), template (县市区报表模板), check (校验),
codes (问题代码 documentation)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Sequence

from rich.console import Console
from rich.table import Table

from toolkit.adapters.policy_workbook import PolicyInvalid
from toolkit.cli.common import period_arg
from toolkit.cli.text import esc
from toolkit.domain.period_due import period_to_check
from toolkit.domain.findings import Finding, Level
from toolkit.domain.outcomes import Outcome
from toolkit.adapters.atomic import atomic_output
from toolkit.services.checking import CheckRun, check_files
from toolkit.services.codes import codes_markdown
from toolkit.services.errors import UserError
from toolkit.services.policy import POLICY_FILE_NAME, export_sample_policy, load_policy, sample_policy_path
from toolkit.services.prefill import prefill_templates
from toolkit.services.templates import make_templates, resolve_counties
from toolkit.services.workspace import Workspace

MAX_FINDINGS_SHOWN = 20
REGENERATE_CODES = "用本市的政策参数生成一份：`guishang codes --workspace 工作区 --out 问题代码.md`。"


def add_parsers(verbs) -> None:
    policy = verbs.add_parser("policy", help="查看、导出或检查政策参数工作簿")
    policy.add_argument("--check", type=Path, metavar="FILE", help="检查一个政策参数工作簿，逐项列出问题")
    policy.add_argument("--out", type=Path, metavar="PATH", help="把样例政策参数工作簿（株洲 2022-2025）写到此文件夹（或以 .xlsx 结尾的文件名）")
    policy.set_defaults(handler=cmd_policy)

    template = verbs.add_parser("template", help="生成县市区报表模板")
    template.add_argument("--period", type=period_arg, required=True, help="报送期，如 2022-06")
    who = template.add_mutually_exclusive_group(required=True)
    who.add_argument("--county", action="append", metavar="名称", help="县市区名称，可重复")
    who.add_argument("--all", action="store_true", help="为所有县市区生成")
    template.add_argument("--policy", type=Path, metavar="FILE", help="政策参数工作簿（默认用内置样例）")
    template.add_argument("--workspace", type=Path, metavar="DIR",
                          help="工作区：用其政策参数，并用已受理的数据预填（培育库、风险库、未办结台账、本年名单、在库名录）")
    template.add_argument("--out", type=Path, metavar="DIR", help="模板写到此文件夹（有 --workspace 时默认为 输出/模板/报送期）")
    template.add_argument("--xlsm", action="store_true",
                          help="另外生成带按钮的 .xlsm（供已安装 Python 的单位；.xlsx 仍是默认下发的版本）")
    template.set_defaults(handler=cmd_template)

    check = verbs.add_parser("check", help="校验县市区报表")
    check.add_argument("files", type=Path, nargs="+", metavar="FILE", help="要校验的报表文件")
    check.add_argument("--policy", type=Path, metavar="FILE", help="政策参数工作簿（默认用内置样例）")
    check.add_argument("--out", type=Path, metavar="DIR", help="结果写到此文件夹（默认：报表旁的“校验结果”文件夹）")
    check.add_argument("--mark", action="store_true", help="另存一份标注副本：问题单元格着色并加批注")
    check.add_argument("--period", type=period_arg, help="本期应报的报送期，如 2022-06：其他报送期的报表（如误报上期的工作簿）判为错误")
    check.add_argument("--json", action="store_true", help="以 JSON 输出问题清单（供脚本使用）")
    check.set_defaults(handler=cmd_check)

    codes = verbs.add_parser("codes", help="列出全部问题代码和奖励未兑现原因代码（按政策参数中的标准）")
    source = codes.add_mutually_exclusive_group()
    source.add_argument("--policy", type=Path, metavar="FILE", help="政策参数工作簿（默认用内置样例）")
    source.add_argument("--workspace", type=Path, metavar="DIR", help="工作区：用其政策参数")
    codes.add_argument("--out", type=Path, metavar="FILE", help="写到此 Markdown 文件（默认显示在屏幕上）")
    codes.set_defaults(handler=cmd_codes)


def print_policy_findings(console: Console, error: PolicyInvalid) -> None:
    console.print(f"[bold red]{esc(error)}[/]，请改正后再运行：")
    table = Table("位置", "问题", show_lines=False)
    for finding in error.findings:
        table.add_row(esc(finding.where or finding.sheet), esc(finding.message))
    console.print(table)


def cmd_policy(args, console: Console) -> int:
    if args.out:
        path = export_sample_policy(args.out)
        console.print(f"已写出样例政策参数：[bold]{esc(path)}[/]。请在 Excel 中按本地实际修改。")
        return Outcome.OK
    policy = load_policy(args.check)
    source = args.check or sample_policy_path()
    console.print(f"[green]政策参数检查通过[/]：{esc(source)}")
    table = Table(title=f"{esc(policy.region)}新增规上工业企业目标（{policy.first_year}-{policy.last_year}）")
    table.add_column(esc(policy.unit_label))
    for year in policy.years:
        table.add_column(f"{year}年", justify="right")
    table.add_row(esc(policy.total_label), *(str(policy.total_new_targets.get(y, "")) for y in policy.years), style="bold")
    for county in policy.counties:
        table.add_row(esc(county.name), *(str(policy.new_target(county.name, y)) for y in policy.years))
    console.print(table)
    return Outcome.OK


def cmd_codes(args, console: Console) -> int:
    if args.workspace:
        workspace = Workspace.at(args.workspace)
        policy, source = workspace.policy(), f"工作区“{workspace.root.name}”的{POLICY_FILE_NAME}"
    else:
        policy = load_policy(args.policy)
        source = f"“{args.policy.name}”" if args.policy else "内置样例（株洲 2022—2025）"
    text = codes_markdown(policy, source, REGENERATE_CODES)
    if args.out is None:
        sys.stdout.write(text)
        return Outcome.OK
    with atomic_output(args.out) as temp:
        temp.write_text(text, encoding="utf-8")
    console.print(f"已写出：[bold]{esc(args.out)}[/]")
    return Outcome.OK


def cmd_template(args, console: Console) -> int:
    if args.workspace and args.policy:
        raise UserError("--workspace 与 --policy 只能选一个：有工作区时使用工作区中的政策参数。")
    if not args.workspace and not args.out:
        raise UserError("请用 --out 指定模板写到哪个文件夹（或用 --workspace 写到工作区的“输出/模板”）。")
    workspace = Workspace.at(args.workspace) if args.workspace else None
    policy = workspace.policy() if workspace else load_policy(args.policy)
    counties = resolve_counties(policy, None if args.all else args.county)
    if args.period.year not in policy.years:
        console.print(f"[yellow]注意：{args.period.year} 年不在政策参数的规划期内，封面上的年度目标将为空。[/]")
    out = args.out or workspace.output / "模板" / str(args.period)
    prefills = prefill_templates(workspace, counties, args.period) if workspace else None
    paths = make_templates(policy, args.period, counties, out, prefills=prefills, macros=args.xlsm)
    console.print(f"已生成 {len(paths)} 个报表模板（{args.period}），位于：[bold]{esc(out.resolve())}[/]")
    for path in paths:
        county = next(c for c in counties if path.name.startswith(f"{c.name}_"))
        detail = f"：预填{prefills[county.name].describe()}" if prefills and path.suffix == ".xlsx" else ""
        console.print(f"  {esc(path.name)}{esc(detail)}", soft_wrap=True)
    return Outcome.OK


def _summary_table(run: CheckRun) -> Table:
    table = Table(title="校验结果")
    for header in ("文件", "县市区", "报送期", "错误", "提示", "未说明", "结论"):
        table.add_column(header, justify="right" if header in ("错误", "提示", "未说明") else "left")
    for check in run.checks:
        style = "green" if check.verdict_ok else "red"
        verdict = f"[{style}]{check.verdict}[/]"
        if check.period_warning:  # beside the verdict, where it is read: the period was not (fully) checked
            verdict += f"\n[yellow]注意：{esc(check.period_basis)}[/]"
        table.add_row(esc(check.path.name), esc(check.county), check.period, str(check.errors), str(check.hints),
                      str(check.unexplained_hints), verdict)
    return table


def _findings_table(findings: Sequence[Finding]) -> Table:
    table = Table(show_header=True, header_style="bold")
    for header in ("级别", "代码", "位置", "问题与处理"):
        table.add_column(header, overflow="fold")
    for finding in findings[:MAX_FINDINGS_SHOWN]:
        level = "[red]错误[/]" if finding.level is Level.ERROR else (
            "[green]提示(已说明)[/]" if finding.explained else "[yellow]提示[/]")
        table.add_row(level, finding.code, esc(finding.where), esc(finding.message))
    return table


def today() -> dt.date:
    return dt.date.today()


def cmd_check(args, console: Console) -> int:
    policy = load_policy(args.policy)
    due = period_to_check(policy.calendar, today(), given=args.period)
    if due.period is not None:
        console.print(f"{due.basis}（核对其他报送期请用 --period）", style="dim")
    run = check_files(args.files, policy, args.out, mark=args.mark, period=args.period, today=today(),
                      on_file=None if args.json else (lambda p: console.print(f"正在校验 {esc(p.name)} …", style="dim")))
    if args.json:
        rows = [{**f.as_dict(), "file": str(check.path)} for check in run.checks for f in check.findings]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return run.exit_code
    console.print(_summary_table(run))
    for check in run.checks:
        if check.unreadable:
            console.print(f"[red]{esc(check.findings[0].message)}[/]", soft_wrap=True)
        elif check.findings:
            console.print(f"\n[bold]{esc(check.path.name)}[/]：错误 {check.errors} 条，提示 {check.hints} 条"
                          f"（未说明 {check.unexplained_hints} 条）")
            console.print(_findings_table(check.findings))
            if len(check.findings) > MAX_FINDINGS_SHOWN:
                console.print(f"…… 其余 {len(check.findings) - MAX_FINDINGS_SHOWN} 条见结果文件。")
    if run.written:
        console.print(f"\n结果文件已写到：[bold]{esc(run.written[0].parent)}[/]")
        for path in run.written:
            console.print(f"  {esc(path.name)}")
    return run.exit_code
