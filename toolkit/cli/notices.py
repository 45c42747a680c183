"""Command-line verbs for official documents: notices (生成通报) and lint-doc (版式检查)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from toolkit.cli import hints
from toolkit.cli.common import add_workspace, date_arg, open_workspace, period_arg
from toolkit.cli.text import esc
from toolkit.services.control_book import reflect
from toolkit.services.doc_check import NOT_RENDERED, check_document
from toolkit.services.notices import make_notices
from toolkit.domain.outcomes import Outcome



def add_parsers(verbs) -> None:
    notices = verbs.add_parser("notices", help="生成本期公文：工作情况通报（月度调度期为调度通报）、表扬通报、通报批评、催报通知（并封账）")
    add_workspace(notices)
    notices.add_argument("--period", type=period_arg, required=True, help="报送期，如 2022-06")
    notices.add_argument("--date", type=date_arg, help="成文日期，如 2022-07-05（不填则留空，签发时填写）")
    notices.add_argument("--number", action="store_true", help="由本工具分配发文字号（同一报送期重复生成时沿用原号）")
    notices.add_argument("--templates", type=Path, metavar="DIR", help="使用自己的模板文件夹")
    notices.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 转换为 PDF")
    notices.add_argument("--draft", action="store_true", help="只生成草稿，不封账")
    notices.set_defaults(handler=cmd_notices)

    lint = verbs.add_parser("lint-doc", help="按 GB/T 9704 检查 Word 公文的版式（装有 LibreOffice 时也检查排版后的页面）")
    lint.add_argument("files", type=Path, nargs="+", metavar="FILE", help=".docx 文件")
    lint.add_argument("--no-render", action="store_true", help="只检查文档设置，不用 LibreOffice 排版检查页面（更快）")
    lint.set_defaults(handler=cmd_lint_doc)


def cmd_notices(args, console: Console) -> int:
    workspace = open_workspace(args)
    notices = make_notices(workspace, args.period, day=args.date, number=args.number, templates=args.templates,
                           pdf=args.pdf, draft=args.draft)
    note = reflect(workspace, "生成通报", made=notices, period=args.period)
    if note:
        console.print(f"[yellow]{esc(note)}[/]", soft_wrap=True)
    table = Table(title=f"{args.period} 公文")
    for header in ("文种", "发文字号", "文件"):
        table.add_column(header, overflow="fold")
    for notice in notices:
        table.add_row(esc(notice.label), esc(notice.number), esc(notice.path.name) if notice.path else f"[dim]{esc(notice.skipped)}[/]")
    console.print(table)
    written = [n for n in notices if n.path]
    if written:
        console.print(f"已写到：[bold]{esc(written[0].path.parent)}[/]")
    for notice in written:
        if notice.pdf:
            console.print(f"  PDF：{esc(notice.pdf.name)}")
        elif notice.pdf_problem:
            console.print(f"[yellow]{esc(notice.pdf_problem)}[/]", soft_wrap=True)
            break
    blanks = [what for what, given in (("发文字号", args.number), ("成文日期", args.date)) if not given]
    if blanks:
        console.print(f"{'和'.join(blanks)}留空，由办公室签发时填写（--number 由本工具编号，--date 填成文日期）。")
    if args.draft:
        console.print("草稿：本期未封账。")
    elif notices.held_open:
        console.print(f"[yellow]{esc(notices.held_open)}[/]", soft_wrap=True)
    else:
        console.print(f"{args.period} 已封账：此后收到的该期报表只记为调整，封账数字不再改变。")
    hints.print_layout(console, notices.layout)
    return Outcome.OK


def cmd_lint_doc(args, console: Console) -> int:
    worst = Outcome.OK
    unrendered = False
    for path in args.files:
        check = check_document(Path(path), render=not args.no_render)
        unrendered = unrendered or not check.rendered
        if not check.problems:
            console.print(f"[green]{esc(check.path.name)}：符合 GB/T 9704 的各项检查[/]")
            continue
        worst = Outcome.FINDINGS
        table = Table(title=f"{esc(check.path.name)}：{len(check.problems)} 处不符合 GB/T 9704")
        table.add_column("位置")
        table.add_column("问题", overflow="fold")
        for problem in check.problems:
            table.add_row(esc(problem.where), esc(problem.message))
        console.print(table)
    if unrendered and not args.no_render:
        console.print(f"[yellow]{esc(NOT_RENDERED)}[/]", soft_wrap=True)
    return worst
