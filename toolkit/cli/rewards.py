"""Command-line verbs for reward funds: tax import (税务数据) and rewards (奖励资金批次, ledger, payment)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from toolkit.cli import hints
from toolkit.cli.common import add_workspace, date_arg, open_workspace
from toolkit.cli.text import esc
from toolkit.cli.workspace import settled_import
from toolkit.domain.hints import Action, Hint
from toolkit.domain.money import capitals, wan
from toolkit.domain.outcomes import Outcome
from toolkit.domain.rewards import Batch, distinct, distinct_mismatches
from toolkit.services.control_book import reflect
from toolkit.services.register import import_taxes
from toolkit.services.rewards import make_rewards, mark_paid, reissue, show

MAX_SHOWN = 15


def add_parsers(verbs) -> None:
    tax = verbs.add_parser("tax", help="税务部门数据：导入企业当年形成税收")
    tax_verbs = tax.add_subparsers(dest="tax_verb", metavar="操作", required=True)
    tax_import = tax_verbs.add_parser("import", help="导入税务部门提供的某年各企业当年形成税收（按统一社会信用代码）")
    add_workspace(tax_import)
    tax_import.add_argument("--year", type=int, required=True, help="税收所属年度，如 2022")
    tax_import.add_argument("file", type=Path, metavar="FILE", help="税务部门的工作簿（税收列标题须注明“万元”或“元”）")
    tax_import.add_argument("--supplement", action="store_true",
                            help="补充名单：只增加本年名单中没有的企业（不替换已导入的名单；改变已有数字的补充名单不予导入）")
    tax_import.add_argument("--final", action="store_true",
                            help="全年定稿的数据：其中税收为零的企业不予兑现（J202）。不加时，除非在政策参数“上年税收数据定稿月份”"
                                 "之后导入，税收为零的企业暂缓兑现（J108），以后的数据显示形成税收即可追加。"
                                 "已导入的同一文件加 --final 再导入一次，即把它标为定稿（补充名单保留）")
    tax_import.set_defaults(handler=cmd_tax)

    rewards = verbs.add_parser("rewards", help="奖励资金：查看、草稿、审批、登记拨付、重新生成公文")
    steps = rewards.add_subparsers(dest="rewards_verb", metavar="操作", required=True)

    def step(name: str, help_text: str, handler, *, documents: bool = False):
        parser = steps.add_parser(name, help=help_text)
        add_workspace(parser)
        parser.add_argument("--year", type=int, required=True,
                            help="奖励年度，如 2022（首期为该年新入规企业，第二期为上年入规企业）")
        if documents:
            parser.add_argument("--date", type=date_arg, help="请示的成文日期，如 2023-03-15（不填则留空，签发时填写）")
            parser.add_argument("--templates", type=Path, metavar="DIR", help="使用自己的模板文件夹")
            parser.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 转换为 PDF")
        parser.set_defaults(handler=handler)
        return parser

    step("show", "查看该年度已审批的批次，以及现在符合条件但尚未审批的数量（只读）", cmd_rewards_show)
    step("draft", "只计算并生成草稿：不审批、不记台账、不封账（缺统计或税务数据时也可预览）", cmd_rewards_make, documents=True)
    approve = step("approve", "审批该年度奖励资金：记入台账，生成请示、审批表、公示名单和明细表，并封该年各期的账",
                   cmd_rewards_make, documents=True)
    approve.add_argument("--number", action="store_true", help="由本工具分配请示的发文字号")
    approve.add_argument("--new-batch", action="store_true", help="已有批次时追加一批：只审批尚未进入台账的企业")
    approve.add_argument("--before-year-end", action="store_true",
                         help="在该年度结束前审批（税收以截至目前的数据为准，税收为零的企业暂缓兑现；请示中写明）")
    paid = step("paid", "登记某批奖励资金已拨付（每批只登记一次）", cmd_rewards_paid)
    paid.add_argument("--batch", type=int, required=True, metavar="N", help="第几批，如 1")
    paid.add_argument("--date", type=date_arg, required=True, help="拨付日期，如 2023-04-20")
    paid.add_argument("--note", help="备注，如拨付文号")
    reissue_ = step("reissue", "重新生成某批的公文和明细表（新版本，如签发前填上日期、字号），不重新审批", cmd_rewards_reissue,
                    documents=True)
    reissue_.add_argument("--batch", type=int, required=True, metavar="N", help="第几批，如 1")
    reissue_.add_argument("--number", action="store_true", help="由本工具分配请示的发文字号（已给的沿用）")


def cmd_tax(args, console: Console) -> int:
    workspace = open_workspace(args)
    result = import_taxes(workspace, args.file, args.year, supplement=args.supplement, final=args.final)
    settled = settled_import(console, result, "税收数据")
    if settled is not None:
        return settled
    if result.supplement:
        console.print(f"已导入税务部门{args.year}年补充税收名单“{esc(result.file)}”：{len(result.figures)} 家企业，"
                      f"其中当年形成税收大于0的 {result.with_tax} 家；已加入{args.year}年税收名单，原名单不变。")
        return Outcome.OK
    console.print(f"已导入税务部门{args.year}年{'全年定稿' if args.final else ''}税收数据“{esc(result.file)}”："
                  f"{len(result.figures)} 家企业，其中当年形成税收大于0的 {result.with_tax} 家。"
                  + ("税收为零的企业不予兑现（J202）。" if args.final else ""))
    if result.replaced:
        console.print(f"替换了 {result.replaced['at']} 导入的“{esc(result.replaced['file'])}”（{result.replaced['count']} 家）。")
    return Outcome.OK


def _batch_table(batch: Batch, unit_label: str) -> Table:
    table = Table(title=f"{batch.label}奖励资金（万元）" + (f"，{batch.approved_at} 审批" if batch.approved_at else "")
                  + (f"，{batch.paid_on} 拨付" if batch.paid_on else ""))
    table.add_column(unit_label, min_width=10)
    for header in ("首期家", "首期", "二期家", "二期", "合计", "市级", "县级"):
        table.add_column(header, justify="right", overflow="fold")  # never cut a figure short
    rows, city = batch.totals
    for t in [*rows, city]:
        table.add_row(esc(t.county), str(t.first_count), wan(t.first_amount), str(t.second_count), wan(t.second_amount),
                      wan(t.amount), wan(t.city_amount), wan(t.county_amount), style="bold" if t is city else None)
    return table


def _exclusions(console: Console, batch: Batch) -> None:
    if not batch.exclusions:
        return
    firms = distinct(batch.exclusions)  # a firm two counties both report is one row, naming both
    table = Table(title=f"未兑现 {len(firms)} 家（次）")
    for header in ("县市区", "企业名称", "期次", "原因"):
        table.add_column(header, overflow="fold")
    # the ones that need a decision first: second tranches not paid, then those waiting, then the rest
    shown = sorted(firms, key=lambda x: (x.tranche != 2, not x.later))
    for x in shown[:MAX_SHOWN]:
        table.add_row(esc(x.county), esc(x.name), {1: "首期", 2: "第二期"}.get(x.tranche, "一次性"), esc(x.reason))
    console.print(table)
    if len(firms) > MAX_SHOWN:
        console.print(f"…… 其余 {len(firms) - MAX_SHOWN} 家见明细表“未兑现”。")


def cmd_rewards_paid(args, console: Console) -> int:
    day = mark_paid(open_workspace(args), args.year, args.batch, args.date, args.note or "")
    console.print(f"已登记：{args.year}年度第{args.batch}批奖励资金于 {day} 拨付。")
    return Outcome.OK


def cmd_rewards_reissue(args, console: Console) -> int:
    run = reissue(open_workspace(args), args.year, args.batch, day=args.date, number=args.number,
                  templates=args.templates, pdf=args.pdf)
    console.print(f"已重新生成{run.batch.label}的公文和明细表（新版本，未重新审批）：[bold]{esc(run.folder)}[/]")
    for path in run.files:
        console.print(f"  {esc(path.relative_to(run.folder))}")
    if run.pdf_problem:
        console.print(f"[yellow]{esc(run.pdf_problem)}[/]", soft_wrap=True)
    hints.print_layout(console, run.layout)
    return Outcome.OK


def cmd_rewards_show(args, console: Console) -> int:
    workspace = open_workspace(args)
    return _existing(args, console, show(workspace, args.year), workspace.policy().unit_label)


def _existing(args, console: Console, run, unit_label: str) -> int:
    """The year's approved batches (``show``, or ``approve`` on a year that has them)."""
    if not run.existing:
        console.print(f"{args.year}年度还没有审批过奖励资金批次。")
    for batch in run.existing:
        console.print(_batch_table(batch, unit_label))
    if run.existing and args.rewards_verb != "show":
        console.print(f"{args.year}年度已审批过，未重复审批（每家企业每期只兑现一次）。")
    if run.not_yet_approved:
        action = Action.REWARDS_NEW_BATCH if run.existing else Action.REWARDS_APPROVE
        approve = Hint.of(action, workspace=args.workspace, year=args.year)
        console.print(f"[yellow]{'另有 ' if run.existing else ''}{run.not_yet_approved} 家（次）现在符合条件但尚未审批，"
                      f"可{'追加' if run.existing else ''}审批：{esc(hints.command(approve))}[/]", soft_wrap=True)
    elif args.rewards_verb == "show":
        console.print("现在符合条件但尚未审批的：0 家（次）。")
    if run.waiting:
        reasons = "，".join(f"{title} {count} 家" for title, count in run.waiting.items())
        console.print(f"暂缓兑现、条件具备后可追加的：{sum(run.waiting.values())} 家（次）（{reasons}）。", soft_wrap=True)
    for warning in run.warnings:
        console.print(f"[yellow]{esc(hints.advice(warning))}[/]", soft_wrap=True)
    return Outcome.OK


def cmd_rewards_make(args, console: Console) -> int:
    """``draft`` and ``approve``."""
    workspace = open_workspace(args)
    unit_label = workspace.policy().unit_label
    draft = args.rewards_verb == "draft"
    run = make_rewards(workspace, args.year, new_batch=getattr(args, "new_batch", False), draft=draft, day=args.date,
                       early=getattr(args, "before_year_end", False),
                       number=getattr(args, "number", False), templates=args.templates, pdf=args.pdf)
    if not draft:
        note = reflect(workspace, "生成奖励审批", reward_run=run, year=args.year)
        if note:
            console.print(f"[yellow]{esc(note)}[/]", soft_wrap=True)
    if run.existing:
        return _existing(args, console, run, unit_label)
    for warning in run.warnings:
        console.print(f"[yellow]{esc(hints.advice(warning))}[/]", soft_wrap=True)
    if run.nothing:
        console.print(run.nothing)
        return run.exit_code
    batch = run.batch
    console.print(_batch_table(batch, unit_label))
    console.print(f"本批合计：{batch.total:,} 元（{capitals(batch.total)}）")
    _exclusions(console, batch)
    if batch.mismatches:
        console.print(f"与统计、税务部门数据的差异 {len(distinct_mismatches(batch.mismatches))} 条，见明细表“核对差异”。")
    console.print(f"已写到：[bold]{esc(run.folder)}[/]")
    for path in run.files:
        console.print(f"  {esc(path.relative_to(run.folder))}")
    if run.pdf_problem:
        console.print(f"[yellow]{esc(run.pdf_problem)}[/]", soft_wrap=True)
    if draft:
        console.print("草稿：未审批，未记入台账，未封账。")
    else:
        paid = Hint.of(Action.REWARDS_PAID, workspace=args.workspace, year=args.year, batch=batch.seq)
        console.print(f"已记入奖励台账（{batch.label}）。拨付后请登记：{esc(hints.command(paid))}", soft_wrap=True)
        if run.closed:
            console.print(f"{args.year}年各报送期（{'、'.join(map(str, run.closed))}）已封账。")
    hints.print_layout(console, run.layout)
    return Outcome.OK
