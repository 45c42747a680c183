"""Command-line verbs for reward funds: tax import (税务数据) and rewards (奖励资金批次, ledger, payment)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from toolkit.cli import hints
from toolkit.cli.text import esc
from toolkit.domain.hints import Action, Hint
from toolkit.adapters.docx_lint import lint_docx
from toolkit.cli.workspace import settled_import
from toolkit.domain.money import capitals, wan
from toolkit.domain.rewards import Batch
from toolkit.services.errors import UserError
from toolkit.services.register import import_taxes
from toolkit.services.rewards import make_rewards, mark_paid, reissue, show
from toolkit.services.workspace import Workspace
from toolkit.domain.outcomes import Outcome

MAX_SHOWN = 15


def cmd_tax(args, console: Console) -> int:
    workspace = Workspace.at(args.workspace)
    result = import_taxes(workspace, args.file, args.year)
    settled = settled_import(console, result, "税收数据")
    if settled is not None:
        return settled
    console.print(f"已导入税务部门{args.year}年税收数据“{esc(result.file)}”：{len(result.figures)} 家企业，"
                  f"其中当年形成税收大于0的 {result.with_tax} 家。")
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
    table = Table(title=f"未兑现 {len(batch.exclusions)} 家（次）")
    for header in ("县市区", "企业名称", "期次", "原因"):
        table.add_column(header, overflow="fold")
    # the ones that need a decision first: second tranches not paid, then those waiting, then the rest
    shown = sorted(batch.exclusions, key=lambda x: (x.tranche != 2, not x.later))
    for x in shown[:MAX_SHOWN]:
        table.add_row(esc(x.county), esc(x.name), {1: "首期", 2: "第二期"}.get(x.tranche, "一次性"), esc(x.reason))
    console.print(table)
    if len(batch.exclusions) > MAX_SHOWN:
        console.print(f"…… 其余 {len(batch.exclusions) - MAX_SHOWN} 家见明细表“未兑现”。")


def cmd_rewards(args, console: Console) -> int:
    workspace = Workspace.at(args.workspace)
    unit_label = workspace.policy().unit_label
    if args.paid is not None:
        if args.date is None:
            raise UserError("登记拨付请用 --date 写明拨付日期，如 --date 2023-04-20。")
        day = mark_paid(workspace, args.year, args.paid, args.date, args.note or "")
        console.print(f"已登记：{args.year}年度第{args.paid}批奖励资金于 {day} 拨付。")
        return Outcome.OK
    if args.reissue is not None:
        run = reissue(workspace, args.year, args.reissue, day=args.date, number=args.number, templates=args.templates,
                      pdf=args.pdf)
        console.print(f"已重新生成{run.batch.label}的公文和明细表（新版本，未重新审批）：[bold]{esc(run.folder)}[/]")
        for path in run.files:
            console.print(f"  {esc(path.relative_to(run.folder))}")
        if run.pdf_problem:
            console.print(f"[yellow]{esc(run.pdf_problem)}[/]", soft_wrap=True)
        return Outcome.OK
    if args.show:
        run = show(workspace, args.year)
    else:
        run = make_rewards(workspace, args.year, new_batch=args.new_batch, draft=args.draft, day=args.date,
                           number=args.number, templates=args.templates, pdf=args.pdf)
    if run.existing or args.show:
        if not run.existing:
            console.print(f"{args.year}年度还没有审批过奖励资金批次。")
        for batch in run.existing:
            console.print(_batch_table(batch, unit_label))
        if run.existing and not args.show:
            console.print(f"{args.year}年度已审批过，未重复审批（每家企业每期只兑现一次）。")
        if run.not_yet_approved:
            new_batch = Hint.of(Action.REWARDS_NEW_BATCH, workspace=args.workspace, year=args.year)
            console.print(f"[yellow]另有 {run.not_yet_approved} 家（次）现在符合条件但尚未审批，"
                          f"可追加审批：{esc(hints.command(new_batch))}[/]", soft_wrap=True)
        for warning in run.warnings:
            console.print(f"[yellow]{esc(hints.advice(warning))}[/]", soft_wrap=True)
        return Outcome.OK
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
        console.print(f"与统计、税务部门数据的差异 {len(batch.mismatches)} 条，见明细表“核对差异”。")
    console.print(f"已写到：[bold]{esc(run.folder)}[/]")
    for path in run.files:
        console.print(f"  {esc(path.relative_to(run.folder))}")
    if run.pdf_problem:
        console.print(f"[yellow]{esc(run.pdf_problem)}[/]", soft_wrap=True)
    if args.draft:
        console.print("草稿：未审批，未记入台账，未封账。")
    else:
        console.print(f"已记入奖励台账（{batch.label}）。拨付后请运行 guishang rewards --year {args.year} "
                      f"--paid {batch.seq} --date 拨付日期 登记。")
        if run.closed:
            console.print(f"{args.year}年各报送期（{'、'.join(run.closed)}）已封账。")
    request = next((p for p in run.files if p.suffix == ".docx" and "请示" in p.name), None)
    if request is not None:
        for problem in lint_docx(request):
            console.print(f"[yellow]版式提醒[/]：{esc(request.name)} {esc(problem.where)}：{esc(problem.message)}", soft_wrap=True)
    return Outcome.OK
