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

from toolkit.cli.common import POLICY_HELP, SAMPLE_HELP, add_policy, period_arg, policy_of
from toolkit.cli.text import esc
from toolkit.domain.level import Level as AdminLevel
from toolkit.domain.period_due import period_to_check
from toolkit.domain.findings import Finding, Level
from toolkit.domain.outcomes import Outcome
from toolkit.adapters.atomic import atomic_output
from toolkit.services.checking import CheckRun, check_files
from toolkit.services.codes import codes_markdown
from toolkit.services.errors import Told, UserError
from toolkit.domain.policy_layout import EXAMPLE_EFFECTS
from toolkit.services.policy import export_sample_policy, load_policy
from toolkit.services.prefill import prefill_templates
from toolkit.services.templates import make_templates, resolve_counties

MAX_FINDINGS_SHOWN = 20
REGENERATE_CODES = "用本市的政策参数生成一份：`guishang codes --workspace 工作区 --out 问题代码.md`。"


def add_parsers(verbs) -> None:
    policy = verbs.add_parser("policy", help="查看、导出或检查政策参数工作簿")
    policy.add_argument("--check", type=Path, metavar="FILE",
                        help="检查一个政策参数工作簿，逐项列出问题和仍标为示例数据的表（不写时查看当前工作区的政策参数）")
    policy.add_argument("--sample", action="store_true", help="查看内置样例（株洲 2022—2025）的政策参数")
    policy.add_argument("--out", type=Path, metavar="PATH", help="把样例政策参数工作簿（株洲 2022-2025）写到此文件夹（或以 .xlsx 结尾的文件名）")
    policy.set_defaults(handler=cmd_policy)

    template = verbs.add_parser("template", help="生成县市区报表模板")
    template.add_argument("--period", type=period_arg, required=True, help="报送期，如 2022-06")
    who = template.add_mutually_exclusive_group(required=True)
    who.add_argument("--county", action="append", metavar="名称", help="县市区名称，可重复")
    who.add_argument("--all", action="store_true", help="为所有县市区生成")
    chosen = template.add_mutually_exclusive_group()
    chosen.add_argument("--policy", type=Path, metavar="FILE", help=POLICY_HELP)
    chosen.add_argument("--sample", action="store_true", help=SAMPLE_HELP)
    chosen.add_argument("--workspace", type=Path, metavar="DIR",
                        help="工作区：用其政策参数，并用已受理的数据预填（培育库、风险库、未办结台账、本年名单、在库名录）；"
                             "不写时用当前文件夹所在的工作区")
    template.add_argument("--out", type=Path, metavar="DIR", help="模板写到此文件夹（在工作区中时默认为 输出/模板/报送期）")
    template.add_argument("--xlsm", action="store_true",
                          help="另外生成带按钮的 .xlsm（供已安装 Python 的单位；.xlsx 仍是默认下发的版本）")
    template.set_defaults(handler=cmd_template)

    check = verbs.add_parser("check", help="校验县市区报表")
    check.add_argument("files", type=Path, nargs="+", metavar="FILE", help="要校验的报表文件")
    chosen = check.add_mutually_exclusive_group()
    chosen.add_argument("--policy", type=Path, metavar="FILE",
                        help="政策参数工作簿（不写时：在工作区中用工作区的，否则用每份报表模板附带的政策参数）")
    chosen.add_argument("--sample", action="store_true", help=SAMPLE_HELP)
    check.add_argument("--out", type=Path, metavar="DIR", help="结果写到此文件夹（默认：报表旁的“校验结果”文件夹）")
    check.add_argument("--mark", action="store_true", help="另存一份标注副本：问题单元格着色并加批注")
    check.add_argument("--period", type=period_arg, help="本期应报的报送期，如 2022-06：其他报送期的报表（如误报上期的工作簿）判为错误")
    check.add_argument("--json", action="store_true", help="以 JSON 输出问题清单（供脚本使用）")
    check.set_defaults(handler=cmd_check)

    codes = verbs.add_parser("codes", help="列出全部问题代码和奖励未兑现原因代码（按政策参数中的标准）")
    add_policy(codes)
    codes.add_argument("--out", type=Path, metavar="FILE", help="写到此 Markdown 文件（默认显示在屏幕上）")
    codes.set_defaults(handler=cmd_codes)


def print_policy_findings(console: Console, said: Told) -> None:
    console.print(f"[bold red]{esc(said.message)}[/]，请改正后再运行：")
    table = Table("位置", "问题", show_lines=False)
    for finding in said.problems:
        table.add_row(esc(finding.where or finding.sheet), esc(finding.message))
    console.print(table)


def cmd_policy(args, console: Console) -> int:
    if args.out:
        path = export_sample_policy(args.out)
        console.print(f"已写出样例政策参数：[bold]{esc(path)}[/]。请在 Excel 中按本地实际修改。")
        return Outcome.OK
    if args.check:
        policy, source = load_policy(args.check), str(args.check)
    else:
        chosen = policy_of(args)
        policy, source = chosen.policy, chosen.source
    console.print(f"[green]政策参数检查通过[/]：{esc(source)}")
    if policy.examples:
        console.print(f"[yellow]以下 {len(policy.examples)} 张表仍标为“示例数据”（市里核对、改为本市实际后删除标记）：[/]")
        marks = Table("工作表", "标记所在单元格", "影响")
        for mark in policy.examples:
            marks.add_row(esc(mark.sheet), mark.cell, EXAMPLE_EFFECTS.get(mark.sheet, ""))
        console.print(marks)
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
    chosen = policy_of(args)
    text = codes_markdown(chosen.policy, chosen.source, REGENERATE_CODES)
    if args.out is None:
        sys.stdout.write(text)
        return Outcome.OK
    with atomic_output(args.out) as temp:
        temp.write_text(text, encoding="utf-8")
    console.print(f"已写出：[bold]{esc(args.out)}[/]")
    return Outcome.OK


def cmd_template(args, console: Console) -> int:
    chosen = policy_of(args)
    workspace, policy = chosen.workspace, chosen.policy
    if workspace is None and not args.out:
        raise UserError("请用 --out 指定模板写到哪个文件夹（在工作区中运行或用 --workspace 时写到工作区的“输出/模板”）。")
    counties = resolve_counties(policy, None if args.all else args.county)
    console.print(f"按{chosen.source}生成。", style="dim")
    if policy.builtin:
        console.print("[yellow]注意：按内置样例生成，只供试用，封面已注明；下发前请改用本市的政策参数。[/]")
    elif policy.examples:
        console.print(f"[yellow]注意：政策参数中{'、'.join(m.sheet for m in policy.examples)}仍标为示例数据，"
                      "封面已注明；核定后请删除标记并重新生成模板。[/]")
    if args.period.year not in policy.years:
        console.print(f"[yellow]注意：{args.period.year} 年不在政策参数的规划期内，封面上的年度目标将为空。[/]")
    out = args.out or workspace.output / "模板" / str(args.period)
    # a province's template is the 市州's own figures each period: nothing to prefill from earlier lists
    city = policy.level is AdminLevel.CITY
    prefills = prefill_templates(workspace, counties, args.period) if workspace and city else None
    paths = make_templates(policy, args.period, counties, out, prefills=prefills, macros=args.xlsm,
                           policy_digest=chosen.digest)
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
        elif check.period_basis:
            verdict += f"\n[dim]{esc(check.period_basis)}[/]"
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
    chosen = policy_of(args, carried=True)
    policy = chosen.policy
    if not args.json:
        console.print(f"按{chosen.source}校验。", style="dim")
        due = period_to_check(policy.calendar, today(), given=args.period) if policy is not None else None
        if due is not None and due.period is not None:
            console.print(f"{due.basis}（核对其他报送期请用 --period）", style="dim")
    run = check_files(args.files, policy, args.out, mark=args.mark, period=args.period, today=today(),
                      policy_source=chosen.source if policy is not None else "",
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
                          f"（未说明 {check.unexplained_hints} 条）"
                          + (f"，按{esc(check.policy_source)}校验" if check.policy_source else ""))
            console.print(_findings_table(check.findings))
            if len(check.findings) > MAX_FINDINGS_SHOWN:
                console.print(f"…… 其余 {len(check.findings) - MAX_FINDINGS_SHOWN} 条见结果文件。")
    if run.written:
        console.print(f"\n结果文件已写到：[bold]{esc(run.written[0].parent)}[/]")
        for path in run.written:
            console.print(f"  {esc(path.name)}")
    return run.exit_code
