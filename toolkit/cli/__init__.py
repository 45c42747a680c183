"""The command line: the same use cases as the Excel buttons, on files.

The exit code is the run's ``toolkit.domain.outcomes.Outcome``: 0 done, nothing blocks; 1 something needs
the user (a checked workbook has 错误 or unexplained 提示, a county is returned or missing); 2 an input could
not be read or the request cannot be done; 3 an internal error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import traceback
from pathlib import Path
from typing import Sequence

from rich.console import Console
from rich.table import Table

from toolkit import __version__
from toolkit.cli import hints
from toolkit.cli.text import esc
from toolkit.adapters.policy_workbook import PolicyInvalid
from toolkit.adapters.store import StoreError
from toolkit.adapters.workbook_file import UnreadableWorkbook
from toolkit.cli.demo import run_demo
from toolkit.cli.notices import cmd_lint_doc, cmd_notices
from toolkit.cli.rewards import cmd_rewards, cmd_tax
from toolkit.cli.excel import add_parser as add_excel_parser
from toolkit.cli.excel import cmd_excel
from toolkit.cli.workspace import (cmd_assign, cmd_close, cmd_consolidate, cmd_init, cmd_rebuild, cmd_register,
                                    cmd_status)
from toolkit.domain.findings import Finding, Level
from toolkit.domain.periods import BadPeriod, Period
from toolkit.services.checking import CheckRun, check_files
from toolkit.services.errors import UserError
from toolkit.services.policy import export_sample_policy, load_policy, sample_policy_path
from toolkit.services.prefill import prefill_templates
from toolkit.services.templates import make_templates, resolve_counties
from toolkit.services.workspace import Workspace
from toolkit.domain.outcomes import Outcome

MAX_FINDINGS_SHOWN = 20


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无法识别，请写成 YYYY-MM-DD，如 2022-07-05") from None


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except BadPeriod:
        raise argparse.ArgumentTypeError(f"报送期“{text}”无法识别，请写成 YYYY-MM，如 2022-06") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guishang", description="规上工业企业培育工具：县区报表模板、校验与汇总。")
    parser.add_argument("--version", action="version", version=f"guishang {__version__}")
    parser.add_argument("--debug", action="store_true", help="出错时显示技术细节（供开发人员排查）")
    verbs = parser.add_subparsers(dest="verb", metavar="命令")

    policy = verbs.add_parser("policy", help="查看、导出或检查政策参数工作簿")
    policy.add_argument("--check", type=Path, metavar="FILE", help="检查一个政策参数工作簿，逐项列出问题")
    policy.add_argument("--out", type=Path, metavar="PATH", help="把样例政策参数工作簿（株洲 2022-2025）写到此文件夹（或以 .xlsx 结尾的文件名）")

    template = verbs.add_parser("template", help="生成县市区报表模板")
    template.add_argument("--period", type=_period, required=True, help="报送期，如 2022-06")
    who = template.add_mutually_exclusive_group(required=True)
    who.add_argument("--county", action="append", metavar="名称", help="县市区名称，可重复")
    who.add_argument("--all", action="store_true", help="为所有县市区生成")
    template.add_argument("--policy", type=Path, metavar="FILE", help="政策参数工作簿（默认用内置样例）")
    template.add_argument("--workspace", type=Path, metavar="DIR",
                          help="工作区：用其政策参数，并用已受理的数据预填（培育库、风险库、未办结台账、本年名单、在库名录）")
    template.add_argument("--out", type=Path, metavar="DIR", help="模板写到此文件夹（有 --workspace 时默认为 输出/模板/报送期）")
    template.add_argument("--xlsm", action="store_true",
                          help="另外生成带按钮的 .xlsm（供已安装 Python 的单位；.xlsx 仍是默认下发的版本）")

    check = verbs.add_parser("check", help="校验县市区报表")
    check.add_argument("files", type=Path, nargs="+", metavar="FILE", help="要校验的报表文件")
    check.add_argument("--policy", type=Path, metavar="FILE", help="政策参数工作簿（默认用内置样例）")
    check.add_argument("--out", type=Path, metavar="DIR", help="结果写到此文件夹（默认：报表旁的“校验结果”文件夹）")
    check.add_argument("--mark", action="store_true", help="另存一份标注副本：问题单元格着色并加批注")
    check.add_argument("--json", action="store_true", help="以 JSON 输出问题清单（供脚本使用）")

    init = verbs.add_parser("init", help="建立工作区（政策参数、收件箱、输出、数据库）")
    init.add_argument("dir", type=Path, metavar="DIR", help="工作区文件夹（不存在则新建；已有文件不会被覆盖）")

    consolidate = verbs.add_parser("consolidate", help="导入收件箱中的报表并汇总一个报送期")
    consolidate.add_argument("--workspace", type=Path, required=True, metavar="DIR", help="工作区文件夹")
    consolidate.add_argument("--period", type=_period, required=True, help="报送期，如 2022-06")

    status = verbs.add_parser("status", help="查看一个报送期的报送情况和进度（不导入）")
    status.add_argument("--workspace", type=Path, required=True, metavar="DIR", help="工作区文件夹")
    status.add_argument("--period", type=_period, required=True, help="报送期，如 2022-06")

    assign = verbs.add_parser("assign", help="认定被两个单位同时报为新增的企业归属哪个单位")
    assign.add_argument("--workspace", type=Path, required=True, metavar="DIR", help="工作区文件夹")
    assign.add_argument("--uscc", required=True, help="企业的统一社会信用代码")
    assign.add_argument("--county", required=True, metavar="名称", help="认定归属的县市区")
    assign.add_argument("--year", type=int, required=True, help="报为新增的年份，如 2022")
    assign.add_argument("--note", help="认定依据（记入数据库）")

    register = verbs.add_parser("register", help="规上企业名录：导入统计部门的名录")
    register_verbs = register.add_subparsers(dest="register_verb", metavar="操作", required=True)
    register_import = register_verbs.add_parser(
        "import", help="导入规划起始时的在库名录；加 --confirmed 导入统计部门确认的某期新增、退库名单")
    register_import.add_argument("--workspace", type=Path, required=True, metavar="DIR", help="工作区文件夹")
    register_import.add_argument("--confirmed", action="store_true",
                                 help="这是统计部门确认的本年累计新增、退库名单（需“变动类型”列：新增/退库）")
    register_import.add_argument("--period", type=_period, help="确认名单对应的报送期，如 2022-06（与 --confirmed 一起用）")
    register_import.add_argument("file", type=Path, metavar="FILE", help="统计部门的名录工作簿")

    close = verbs.add_parser("close", help="封账：通报或奖励发出后锁定一个报送期的数字")
    close.add_argument("--workspace", type=Path, required=True, metavar="DIR", help="工作区文件夹")
    close.add_argument("--period", type=_period, required=True, help="报送期，如 2022-06")
    close.add_argument("--reason", default="通报已印发", help="封账原因，如“2022年上半年工作情况通报已印发”")

    notices = verbs.add_parser("notices", help="生成本期公文：工作情况通报、表扬通报、通报批评、催报通知（并封账）")
    notices.add_argument("--workspace", type=Path, required=True, metavar="DIR", help="工作区文件夹")
    notices.add_argument("--period", type=_period, required=True, help="报送期，如 2022-06")
    notices.add_argument("--date", type=_date, help="成文日期，如 2022-07-05（不填则留空，签发时填写）")
    notices.add_argument("--number", action="store_true", help="由本工具分配发文字号（同一报送期重复生成时沿用原号）")
    notices.add_argument("--templates", type=Path, metavar="DIR", help="使用自己的模板文件夹")
    notices.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 转换为 PDF")
    notices.add_argument("--draft", action="store_true", help="只生成草稿，不封账")

    lint = verbs.add_parser("lint-doc", help="按 GB/T 9704 检查 Word 公文的版式")
    lint.add_argument("files", type=Path, nargs="+", metavar="FILE", help=".docx 文件")

    tax = verbs.add_parser("tax", help="税务部门数据：导入企业当年形成税收")
    tax_verbs = tax.add_subparsers(dest="tax_verb", metavar="操作", required=True)
    tax_import = tax_verbs.add_parser("import", help="导入税务部门提供的某年各企业当年形成税收（按统一社会信用代码）")
    tax_import.add_argument("--workspace", type=Path, required=True, metavar="DIR", help="工作区文件夹")
    tax_import.add_argument("--year", type=int, required=True, help="税收所属年度，如 2022")
    tax_import.add_argument("file", type=Path, metavar="FILE", help="税务部门的工作簿（税收列标题须注明“万元”或“元”）")

    rewards = verbs.add_parser("rewards", help="奖励资金：计算并审批本年度批次，生成请示、审批表、公示名单和明细表（并封账）")
    rewards.add_argument("--workspace", type=Path, required=True, metavar="DIR", help="工作区文件夹")
    rewards.add_argument("--year", type=int, required=True, help="奖励年度，如 2022（首期为该年新入规企业，第二期为上年入规企业）")
    rewards.add_argument("--new-batch", action="store_true", help="追加一批：只审批尚未进入台账的企业")
    rewards.add_argument("--draft", action="store_true", help="只计算和生成草稿，不审批、不记台账、不封账")
    rewards.add_argument("--show", action="store_true", help="只查看该年度已审批的批次和尚未审批的数量")
    rewards.add_argument("--paid", type=int, metavar="N", help="登记第 N 批已拨付（与 --date 一起用）")
    rewards.add_argument("--reissue", type=int, metavar="N", help="重新生成第 N 批的公文和明细表（如签发前填上日期、字号），不重新审批")
    rewards.add_argument("--note", help="登记拨付时的备注，如拨付文号")
    rewards.add_argument("--date", type=_date, help="成文日期（生成公文时）或拨付日期（--paid 时），如 2023-03-15")
    rewards.add_argument("--number", action="store_true", help="由本工具分配请示的发文字号")
    rewards.add_argument("--templates", type=Path, metavar="DIR", help="使用自己的模板文件夹")
    rewards.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 转换为 PDF")

    rebuild = verbs.add_parser("rebuild", help="用存档重建数据库（原数据库保留在备份中）")
    rebuild.add_argument("--workspace", type=Path, required=True, metavar="DIR", help="工作区文件夹")

    add_excel_parser(verbs, _period)

    demo = verbs.add_parser("demo", help="演示：把样例（株洲 2022 年）写入一个新文件夹，并在其中走完一年的全部步骤")
    demo.add_argument("dir", type=Path, metavar="DIR", help="新的空文件夹（不存在则新建）")
    demo.add_argument("--no-pdf", action="store_true", help="不生成 PDF（即使已安装 LibreOffice）")
    return parser


def _print_policy_findings(console: Console, error: PolicyInvalid) -> None:
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
        table.add_row(esc(check.path.name), esc(check.county), check.period, str(check.errors), str(check.hints),
                      str(check.unexplained_hints), f"[{style}]{check.verdict}[/]")
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


def cmd_demo(args, console: Console) -> int:
    return run_demo(args.dir, console, main, pdf=False if args.no_pdf else None)


def cmd_check(args, console: Console) -> int:
    policy = load_policy(args.policy)
    run = check_files(args.files, policy, args.out, mark=args.mark,
                      on_file=None if args.json else (lambda p: console.print(f"正在校验 {esc(p.name)} …", style="dim")))
    if args.json:
        rows = []
        for check in run.checks:
            if check.error:
                rows.append({"code": "", "level": Level.ERROR.value, "file": str(check.path), "sheet": "", "row": None,
                             "column": "", "cell": "", "value": "", "message": check.error, "blocking": True})
            rows.extend({**f.as_dict(), "file": str(check.path)} for f in check.findings)
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return run.exit_code
    console.print(_summary_table(run))
    for check in run.checks:
        if check.error:
            console.print(f"[red]{esc(check.error)}[/]", soft_wrap=True)
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


COMMANDS = {"policy": cmd_policy, "template": cmd_template, "check": cmd_check, "init": cmd_init,
            "consolidate": cmd_consolidate, "status": cmd_status, "assign": cmd_assign, "rebuild": cmd_rebuild,
            "register": cmd_register, "close": cmd_close, "notices": cmd_notices, "lint-doc": cmd_lint_doc,
            "tax": cmd_tax, "rewards": cmd_rewards, "excel": cmd_excel, "demo": cmd_demo}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verb is None:
        parser.print_help()
        return Outcome.INPUT
    for stream in (sys.stdout, sys.stderr):  # a GBK console or a redirected output must not fail on an emoji
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    console = Console(stderr=bool(getattr(args, "json", False)))
    try:
        return COMMANDS[args.verb](args, console)
    except PolicyInvalid as error:
        _print_policy_findings(console, error)
        return Outcome.INPUT
    except (UnreadableWorkbook, UserError, StoreError) as error:
        console.print(f"[red]{esc(error)}[/]", soft_wrap=True)
        for hint in getattr(error, "hints", ()):
            console.print(esc(hints.render(hint)), soft_wrap=True)
        return Outcome.INPUT
    except KeyboardInterrupt:
        console.print("已取消。")
        return Outcome.INPUT
    except Exception as error:  # a bug: one sentence for the user, details with --debug
        if args.debug:
            traceback.print_exc()
        else:
            console.print(f"[red]程序内部错误（{type(error).__name__}）。请加 --debug 重新运行，并把输出发给维护人员。[/]")
        return Outcome.INTERNAL
