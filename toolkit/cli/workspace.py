"""Command-line verbs on a workspace: init, consolidate, status, assign, register, close, rebuild (with rich)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from toolkit.cli.common import add_workspace, open_workspace, period_arg, workspace_root
from toolkit.cli import hints
from toolkit.cli.text import esc, reporter
from toolkit.domain.intake_outcome import IntakeOutcome
from toolkit.domain.level import Level
from toolkit.domain.hints import Action, Hint
from toolkit.domain.assessment import CRITICISE, PRAISE
from toolkit.domain.figures import ACCEPTED, percent
from toolkit.domain.period_summary import PeriodSummary
from toolkit.domain.pipeline import action_lines
from toolkit.domain.uscc import check_uscc
from toolkit.domain.text import normalise_code
from toolkit.services.closing import close_period
from toolkit.services.consolidation import ConsolidationRun, assign, choose, consolidate, status
from toolkit.services.control_book import reflect, write_control_workbooks
from toolkit.services.errors import UserError
from toolkit.services.policy import check_policy
from toolkit.services.rebuild import rebuild
from toolkit.services.register import import_confirmed, import_starting
from toolkit.services.workspace import STORE_DIR_NAME, Workspace, init_workspace
from toolkit.domain.outcomes import Outcome


_NOTE_STYLE = {IntakeOutcome.ADJUSTMENT: "yellow", IntakeOutcome.NEW: "green", IntakeOutcome.ALREADY_TAKEN: "dim",
               IntakeOutcome.IGNORED: "dim", IntakeOutcome.OTHER_PERIOD: "dim", IntakeOutcome.REPLACED: "yellow",
               IntakeOutcome.UNREADABLE: "red", IntakeOutcome.UNRECOGNISED: "red"}


def add_parsers(verbs) -> None:
    init = verbs.add_parser("init", help="建立工作区（政策参数、收件箱、输出、数据库）")
    init.add_argument("dir", type=Path, metavar="DIR", help="工作区文件夹（不存在则新建；已有文件不会被覆盖）")
    init.add_argument("--level", choices=[level.value for level in Level], default=Level.CITY.value,
                      help="city：市级，汇总县市区报表（默认，样例为株洲）；province：省级，汇总各市州（样例为湖南省）")
    init.set_defaults(handler=cmd_init)

    consolidate = verbs.add_parser("consolidate", help="导入收件箱中的报表并汇总一个报送期")
    add_workspace(consolidate)
    consolidate.add_argument("--period", type=period_arg, required=True, help="报送期，如 2022-06")
    consolidate.set_defaults(handler=cmd_consolidate)

    status_ = verbs.add_parser("status", help="查看一个报送期的报送情况和进度（不导入）")
    add_workspace(status_)
    status_.add_argument("--period", type=period_arg, required=True, help="报送期，如 2022-06")
    status_.set_defaults(handler=cmd_status)

    assign_ = verbs.add_parser("assign", help="认定被两个单位同时报为新增的企业归属哪个单位")
    add_workspace(assign_)
    assign_.add_argument("--uscc", required=True, help="企业的统一社会信用代码")
    assign_.add_argument("--county", required=True, metavar="名称", help="认定归属的县市区")
    assign_.add_argument("--year", type=int, required=True, help="报为新增的年份，如 2022")
    assign_.add_argument("--note", help="认定依据（记入数据库）")
    assign_.set_defaults(handler=cmd_assign)

    choose_ = verbs.add_parser("choose", help="同一单位同一报送期有多个文件时，指定以哪一个为准（记入数据库和存档）")
    add_workspace(choose_)
    choose_.add_argument("--period", type=period_arg, required=True, help="报送期，如 2022-06")
    choose_.add_argument("--county", required=True, metavar="名称", help="县市区")
    choose_.add_argument("--file", required=True, metavar="文件名",
                         help="收到的文件在收件箱中的路径，如 攸县_2022-06_规上工业企业报表.xlsx，"
                              "或子文件夹中的 攸县/攸县_2022-06_规上工业企业报表.xlsx（汇总时显示的就是这个名称）")
    choose_.add_argument("--note", help="指定的原因（记入数据库）")
    choose_.set_defaults(handler=cmd_choose)

    register = verbs.add_parser("register", help="规上企业名录：导入统计部门的名录")
    register_verbs = register.add_subparsers(dest="register_verb", metavar="操作", required=True)
    register_import = register_verbs.add_parser(
        "import", help="导入规划起始时的在库名录；加 --confirmed 导入统计部门确认的某期新增、退库名单")
    add_workspace(register_import)
    register_import.add_argument("--confirmed", action="store_true",
                                 help="这是统计部门确认的本年累计新增、退库名单（需“变动类型”列：新增/退库）")
    register_import.add_argument("--period", type=period_arg, help="确认名单对应的报送期，如 2022-06（与 --confirmed 一起用）")
    register_import.add_argument("--final", action="store_true",
                                 help="这是统计部门该年度的终审名单：县市区报为新增而不在其中的企业不予奖励（不加时暂缓、可追加）")
    register_import.add_argument("file", type=Path, metavar="FILE", help="统计部门的名录工作簿")
    register_import.set_defaults(handler=cmd_register)

    close = verbs.add_parser("close", help="封账：通报或奖励发出后锁定一个报送期的数字")
    add_workspace(close)
    close.add_argument("--period", type=period_arg, required=True, help="报送期，如 2022-06")
    close.add_argument("--reason", default="通报已印发", help="封账原因，如“2022年上半年工作情况通报已印发”")
    close.set_defaults(handler=cmd_close)


def add_rebuild_parser(verbs) -> None:
    rebuild_ = verbs.add_parser("rebuild", help="用存档重建数据库（原数据库保留在备份中）")
    add_workspace(rebuild_)
    rebuild_.set_defaults(handler=cmd_rebuild)


def _workspace(args) -> Workspace:
    return open_workspace(args)


def cmd_init(args, console: Console) -> int:
    level = Level(getattr(args, "level", Level.CITY.value))
    workspace, created = init_workspace(args.dir, level)
    books = write_control_workbooks(workspace, only_missing=True)
    for path in books.paths:
        what = "市级控制台" if level is Level.CITY else "控制台"  # the file keeps its name at province level
        created.append(f"{path.name}（{what}：{'带按钮，需安装 Python' if path.suffix == '.xlsm' else '不带宏'}）")
    if created:
        console.print(f"已建立工作区：[bold]{esc(workspace.root)}[/]")
        for line in created:
            console.print(f"  新建 {esc(line)}")
    else:
        console.print(f"工作区已存在且完好，未改动任何文件：[bold]{esc(workspace.root)}[/]")
    existing = check_policy(workspace.policy_path).policy
    if existing is not None and existing.level is not level:
        console.print(f"[yellow]工作区已有的“{esc(workspace.policy_path.name)}”是{existing.level.label}级的（基本信息“层级”），"
                      f"未替换。要建{level.label}级工作区，请换一个文件夹。[/]", soft_wrap=True)
        level = existing.level
    console.print("第一次使用，按顺序做：", soft_wrap=True)
    for number, step in enumerate(first_steps(workspace, str(args.dir), level), start=1):
        console.print(f"  {number}. {esc(step)}", soft_wrap=True)
    return Outcome.OK


def first_steps(workspace: Workspace, folder: str, level: Level) -> list[str]:
    """What to do after ``init``, as commands the parser takes; a province speaks of 市州 and their summaries."""
    ws = hints.quoted(folder)
    policy = hints.quoted(str(workspace.policy_path))
    check = f"检查政策参数（逐项列出问题和仍是示例数据的表）：guishang policy --check {policy}"
    if level is Level.PROVINCE:
        return [
            f"在 Excel 中打开“{workspace.policy_path.name}”，把目标附件、净增目标（各市州目标）、报送日历、发文设置（联系人）"
            "等改为本省实际，核对“所辖县市区”，删去各表的“示例数据”标记",
            check,
            f"导入统计部门的规划起始名录（按市州）：guishang register import --workspace {ws} 名录.xlsx",
            f"为不使用本工具的市州生成本期报表模板（写到 输出/模板/报送期）：guishang template --workspace {ws} "
            "--period YYYY-MM --all",
            "各市州用本工具汇总所辖县市区后，把汇总表报来；不使用本工具的市州填写模板报来",
            f"市州报来的汇总表或报表放入“{workspace.inbox.name}”，导入并汇总：guishang consolidate --workspace {ws} "
            "--period YYYY-MM",
        ]
    return [
        f"在 Excel 中打开“{workspace.policy_path.name}”，把目标附件、营收标准、报送日历、发文设置（联系人）等改为本市实际，"
        "核对后删去各表的“示例数据”标记",
        check,
        f"导入统计部门的规划起始名录：guishang register import --workspace {ws} 名录.xlsx",
        f"生成本期县市区报表模板（写到 输出/模板/报送期）：guishang template --workspace {ws} --period YYYY-MM --all",
        "把模板下发各县市区；模板自带本市的政策参数，县市区不装本工具、不用政策参数文件也能自查",
        f"收回的报表放入“{workspace.inbox.name}”，导入并汇总：guishang consolidate --workspace {ws} --period YYYY-MM",
    ]


def notes_table(run: ConsolidationRun) -> Table:
    table = Table(title=f"收件箱处理情况（{run.period}）")
    for header in ("文件", "处理", "说明"):
        table.add_column(header, overflow="fold")
    for note in run.notes:
        style = _NOTE_STYLE.get(note.what, "")
        table.add_row(esc(note.file), f"[{style}]{note.what}[/]" if style else note.what, esc(note.message))
    return table


def status_table(summary: PeriodSummary) -> Table:
    table = Table(title=f"报送情况（{summary.period.label}）")
    counts = ("错误", "提示", "待核实")
    for header in (summary.unit_label, "状态", "文件", *counts, "备注"):
        table.add_column(header, overflow="fold", justify="right" if header in counts else "left")
    for row in summary.statuses:
        style = "green" if row.status == ACCEPTED else "red"
        numbers = (str(n) if row.file else "" for n in (row.errors, row.hints, row.to_verify))
        table.add_row(esc(row.county), f"[{style}]{row.status}[/]", esc(row.file), *numbers, esc(row.note))
    by = Level.of_units(summary.unit_label).consolidator
    table.caption = f"提示：须{summary.unit_label}改正或在“说明”中写明；待核实：汇总时发现、供{by}核实的情况（不影响受理）"
    return table


def figures_table(summary: PeriodSummary) -> Table:
    city = summary.city
    table = Table(title=f"{esc(summary.region)}新增规上工业企业进度（{summary.period.label}，时序进度 {percent(city.progress)}）")
    headers = (summary.unit_label, "新增", "退库", "净增", "年度目标", "完成率", "差距(百分点)", "排名", "待认定", "评价")
    for header in headers:
        table.add_column(header, justify="left" if header in (summary.unit_label, "评价") else "right")
    for f in summary.counties:
        decision = summary.decision(f.county)
        outcome = decision.outcome if decision else ""
        style = {PRAISE: "green", CRITICISE: "red"}.get(outcome, "")
        gap = "" if f.gap_points is None else f"{f.gap_points:+.1f}"
        if not f.has_figures:
            table.add_row(esc(f.county), f"[dim]{f.status}[/]", "", "", str(f.target or ""), "", "", "", "",
                          f"[{style}]{outcome}[/]" if style else outcome)
            continue
        table.add_row(esc(f.county), str(f.new), str(f.exits), str(f.net), str(f.target or ""), percent(f.completion), gap,
                      str(f.rank or ""), str(f.pending or ""), f"[{style}]{outcome}[/]" if style else outcome)
    gap = "" if city.gap_points is None else f"{city.gap_points:+.1f}"
    table.add_row(f"[bold]{esc(city.row_label)}[/]", str(city.new), str(city.exits), str(city.net), str(city.reporting_target or ""),
                  percent(city.completion), gap, "", str(city.pending or ""), "", style="bold")
    return table


def print_summary(console: Console, summary: PeriodSummary, workspace: str = "工作区") -> None:
    if summary.closed:
        console.print(f"[bold]{summary.period} 已于 {summary.closed.closed_at} 封账（{summary.closed.reason}）[/]：以下为封账时的数字。")
    console.print(status_table(summary))
    console.print(figures_table(summary))
    city = summary.city
    if city.reporting < city.units:
        console.print(f"{esc(city.label)}合计只含已受理的 {city.reporting} 个{esc(summary.unit_label)}（共 {city.units} 个）。")
    if city.avg_new_goal is not None:
        console.print(f"总体目标：年均新增不少于 {city.avg_new_goal} 家、净增不少于 {city.avg_net_goal} 家；"
                      f"{city.year}年截至目前新增 {city.new} 家、净增 {city.net} 家。")
    if city.register_goal is not None:
        now = "（未填规划起始在库企业数，暂无法测算）" if city.register_now is None else f"，当前约 {city.register_now} 家"
        console.print(f"在库总数目标：{city.register_goal_year}年 {city.register_goal} 家{now}。")
    if summary.pipeline is not None:
        for line in action_lines(summary.pipeline):
            console.print(esc(line), soft_wrap=True)
    for decision in summary.decisions:
        if decision.outcome:
            style = "green" if decision.outcome == PRAISE else "red"
            console.print(f"[{style}]{decision.outcome}[/]：{esc(decision.reason)}", soft_wrap=True)
    if summary.reconciliation:
        console.print(reconcile_table(summary))
    for a in summary.adjustments:
        before = "（封账时未受理）" if a.new_closed is None else f"新增 {a.new_closed}→{a.new_now}、退库 {a.exits_closed}→{a.exits_now}"
        console.print(f"[yellow]调整[/]：{esc(a.county)} {a.period} 封账后于 {a.received_at} 收到“{esc(a.file)}”，{esc(before)}；原因：{esc(a.reason)}",
                      soft_wrap=True)
    for claim in summary.pending:
        if not claim.decided:
            who = "、".join(sorted({c.county for c in claim.claims}))
            console.print(f"[yellow]待认定[/]：{esc(claim.name)}（{esc(claim.uscc)}）同时由{esc(who)}报为新增，认定前不计入任何单位。"
                          f"认定命令：guishang assign --workspace {workspace} --uscc {claim.uscc} --year {claim.year} "
                          f"--county 名称", soft_wrap=True)


def cmd_consolidate(args, console: Console) -> int:
    workspace = _workspace(args)
    with Progress(TextColumn("正在读取并校验"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  console=console, transient=True) as progress:
        task = progress.add_task("", total=None)

        def on_file(index: int, total: int, name: str) -> None:
            progress.update(task, total=total, completed=index - 1, description=name)

        run = consolidate(workspace, args.period, on_file=on_file)
    if run.notes:
        console.print(notes_table(run))
    if run.unchanged:
        console.print(run.unchanged, soft_wrap=True)
        return Outcome.OK
    print_summary(console, run.summary, str(args.workspace))
    if run.summary_path:
        console.print(f"\n汇总表已写到：[bold]{esc(run.summary_path)}[/]")
        for extra in run.summary_files[1:]:
            console.print(f"  明细较多，另存为：{esc(extra.name)}")
    if run.results:
        console.print(f"需{esc(run.summary.unit_label)}改正或说明的 {len(run.results)} 份校验结果（可直接发回）："
                      f"[bold]{esc(run.results[0].parent)}[/]")
    if run.worklists:
        folder = run.worklists[0].parent
        console.print(f"已受理单位的培育工作清单 {len(run.worklists)} 份（随校验结果发回）：[bold]{esc(folder)}[/]")
    _reflected(console, reflect(workspace, "导入并汇总", summary=run.summary))
    return run.exit_code


def _reflected(console: Console, note: str) -> None:
    """What a command did is also in the control workbook (市级控制台.xlsx); say so only when it could not be written
    there."""
    if note:
        console.print(f"[yellow]{esc(note)}[/]", soft_wrap=True)


def cmd_status(args, console: Console) -> int:
    workspace = _workspace(args)
    summary = status(workspace, args.period)
    print_summary(console, summary, str(args.workspace))
    _reflected(console, reflect(workspace, "刷新报送情况", summary=summary))
    missing = [s.county for s in summary.statuses if s.status != ACCEPTED]
    if missing:
        console.print(f"尚未受理：{esc('、'.join(missing))}。")
        return Outcome.FINDINGS
    return Outcome.OK


def cmd_choose(args, console: Console) -> int:
    chosen = choose(_workspace(args), args.period, args.county, args.file, args.note or "")
    console.print(f"已指定：{esc(chosen.county)} {args.period} 以“{esc(chosen.file_name)}”为准（记入数据库和存档），并已重新核对该期。")
    again = Hint.of(Action.CONSOLIDATE, workspace=args.workspace, period=args.period)
    console.print(f"写出新的汇总表和校验结果：{esc(hints.command(again))}", soft_wrap=True)
    return Outcome.OK


def cmd_assign(args, console: Console) -> int:
    uscc = normalise_code(args.uscc)
    if check_uscc(uscc) is not None:
        raise UserError(f"“{args.uscc}”不是有效的统一社会信用代码。请核对后重试。")
    assigned = assign(_workspace(args), uscc, args.county, args.year, args.note or "")
    console.print(f"已认定：{uscc} {args.year} 年归属 [bold]{esc(assigned.county)}[/]"
                  f"（报为新增的单位：{esc('、'.join(assigned.claimants))}）。")
    console.print("重新运行 guishang consolidate 即可得到更新后的汇总表。")
    return Outcome.OK


def cmd_rebuild(args, console: Console) -> int:
    root = workspace_root(args)
    if not (root / STORE_DIR_NAME).is_dir():
        raise UserError(f"“{root}”不是工作区（没有“{STORE_DIR_NAME}”文件夹）。")
    workspace = Workspace(root.resolve())
    with Progress(TextColumn("正在按存档重放"), BarColumn(), MofNCompleteColumn(), console=console,
                  transient=True) as progress:
        task = progress.add_task("", total=None)
        report = rebuild(workspace, on_event=lambda i, n, _: progress.update(task, total=n, completed=i))
    console.print(f"数据库已按存档重建：重放汇总 {report.runs} 次、报表 {report.files} 份、其他记录 {report.decisions} 项"
                  "（归属认定、名录和名单导入、封账、奖励批次、部门数据），"
                  f"涉及报送期 {'、'.join(sorted(report.periods)) or '无'}。")
    if report.replaced:
        console.print(f"原数据库保留为：{esc(report.replaced)}")
    return Outcome.OK


def cmd_register(args, console: Console) -> int:
    if args.confirmed and not args.period:
        raise UserError("导入确认名单时请用 --period 指明对应的报送期，如 --period 2022-06。")
    if (args.period or args.final) and not args.confirmed:
        raise UserError("--period 和 --final 只用于确认名单（--confirmed）；起始名录不分报送期。")
    if args.confirmed:
        return _confirmed_import(args, console)
    result = import_starting(_workspace(args), args.file)
    settled = settled_import(console, result, "名录")
    if settled is not None:
        return settled
    table = Table(title=f"已导入起始名录“{esc(result.file)}”：{len(result.firms)} 家")
    table.add_column(_unit_label(args))
    table.add_column("在库企业数", justify="right")
    for county, count in sorted(result.by_county.items(), key=lambda kv: -kv[1]):
        table.add_row(esc(county), str(count))
    console.print(table)
    if result.replaced:
        console.print(f"替换了 {result.replaced['at']} 导入的“{esc(result.replaced['file'])}”（{result.replaced['count']} 家）。")
    console.print("各期报表已按新名录重新核对：退库企业不在名录中的，今后判为“错误”（E203）。")
    return Outcome.OK


MAX_ROWS_SHOWN = 30


def _unit_label(args) -> str:
    return _workspace(args).policy().unit_label


def cmd_close(args, console: Console) -> int:
    newly, at = close_period(_workspace(args), args.period, args.reason)
    if newly:
        console.print(f"{args.period} 已封账（{at}）。此后收到的该期报表只记为调整，封账数字不再改变。")
    else:
        console.print(f"{args.period} 已于 {at} 封账，未改动。")
    return Outcome.OK


def settled_import(console: Console, result, what: str) -> int | None:
    """The exit code when an imported list needs no more words: refused (its problems shown) or imported before."""
    if result.findings:
        return _refused(console, result)
    if result.unchanged:
        console.print(f"{what}“{esc(result.file)}”已导入过，内容相同，未改动。")
        return Outcome.OK
    return None


def _refused(console: Console, result) -> int:
    console.print(f"[red]“{esc(result.file)}”有 {len(result.findings)} 处问题，未导入[/]（名单须完整无误，改正后再导入）：")
    table = Table("位置", "问题", show_lines=False)
    for finding in result.findings[:MAX_ROWS_SHOWN]:
        table.add_row(esc(finding.where or finding.sheet), esc(finding.message))
    console.print(table)
    if len(result.findings) > MAX_ROWS_SHOWN:
        console.print(f"…… 另有 {len(result.findings) - MAX_ROWS_SHOWN} 处。")
    return Outcome.FINDINGS


def _confirmed_import(args, console: Console) -> int:
    workspace = _workspace(args)
    result = import_confirmed(workspace, args.file, args.period, final=args.final)
    settled = settled_import(console, result, "确认名单")
    if settled is not None:
        return settled
    entries = sum(f.change == "entry" for f in result.firms)
    console.print(f"已导入统计部门确认的 {args.period} {'终审' if args.final else ''}名单“{esc(result.file)}”："
                  f"新增 {entries} 家、退库 {len(result.firms) - entries} 家。"
                  + ("县市区报为新增而不在其中的企业，奖励不予兑现（J205）。"  # a province gives no rewards
                     if args.final and workspace.policy().level is Level.CITY else ""))
    summary = status(workspace, args.period)
    console.print(reconcile_table(summary))
    return Outcome.OK


def reconcile_table(summary: PeriodSummary) -> Table:
    table = Table(title=f"与统计部门确认名单核对（{summary.period.label}）")
    by = reporter(Level.of_units(summary.unit_label))
    headers = (summary.unit_label, f"{by}报新增", "确认新增", f"{by}报未确认", "确认未报", f"{by}报退库", "确认退库",
               f"{by}报未确认", "确认未报", "结论")
    for header in headers:
        table.add_column(header, justify="left" if header in (summary.unit_label, "结论") else "right")
    for r in summary.reconciliation:
        def n(value):
            return "—" if value is None else str(value)
        verdict = ("[dim]未受理[/]" if r.reported_new is None else "[green]一致[/]" if r.agrees else "[yellow]有差异[/]")
        table.add_row(esc(r.county), n(r.reported_new), str(r.confirmed_new), str(r.new_unconfirmed), str(r.new_unreported),
                      n(r.reported_exits), str(r.confirmed_exits), str(r.exits_unconfirmed), str(r.exits_unreported),
                      verdict)
    return table
