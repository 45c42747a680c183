"""Command-line verbs for the Excel side: ``guishang excel workbook | setup | bundle`` (with rich)."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from toolkit.cli.common import add_workspace, open_workspace, period_arg
from toolkit.cli.text import esc
from toolkit.services import deployment, signing
from toolkit.services.control_book import write_control_workbooks
from toolkit.services.errors import UserError
from toolkit.domain.outcomes import Outcome



def add_parsers(verbs) -> None:
    excel = verbs.add_parser("excel", help="在 Excel 中使用：市级控制台工作簿、本机安装检查、离线安装包")
    excel_verbs = excel.add_subparsers(dest="excel_verb", metavar="操作", required=True)
    workbook = excel_verbs.add_parser("workbook", help="在工作区中生成市级控制台（.xlsm 带按钮，.xlsx 不带宏）")
    add_workspace(workbook)
    workbook.add_argument("--period", type=period_arg, help="预填的报送期，如 2022-06")
    workbook.add_argument("--year", type=int, help="预填的奖励年度，如 2022")
    setup = excel_verbs.add_parser("setup", help="检查本机 Python、xlwings 版本，并把 Python 路径写入 xlwings 配置")
    setup.add_argument("workbooks", type=Path, nargs="*", metavar="FILE", help="要核对 xlwings 版本的 .xlsm 工作簿")
    setup.add_argument("--dir", type=Path, metavar="DIR",
                       help="把配置写到此文件夹的 xlwings.conf（默认写到本用户的 .xlwings\\xlwings.conf）")
    setup.add_argument("--check-only", action="store_true", help="只检查，不写配置")
    sign = excel_verbs.add_parser("sign", help="导入信息科在 Excel 中签名的 市级控制台.xlsm：此后生成的控制台都带此数字签名")
    add_workspace(sign)
    sign.add_argument("file", type=Path, metavar="FILE", help="已在 VBA 编辑器中签名并保存的 市级控制台.xlsm")
    bundle = excel_verbs.add_parser("bundle", help="生成离线安装包：Windows 版全部 wheel、install.bat 和安装说明")
    bundle.add_argument("--out", type=Path, required=True, metavar="DIR", help="安装包写到此文件夹")
    bundle.add_argument("--python-version", action="append", metavar="X.Y", dest="python_versions",
                        help=f"目标电脑的 Python 版本，可重复（默认 {'、'.join(deployment.PYTHON_VERSIONS)}）")
    bundle.add_argument("--wheel", type=Path, metavar="FILE",
                        help="guishang 的安装文件（.whl）；不指定时从本机的源代码生成")
    excel.set_defaults(handler=cmd_excel)


def cmd_excel(args, console: Console) -> int:
    if args.excel_verb == "workbook":
        books = write_control_workbooks(open_workspace(args), period=args.period, year=args.year)
        console.print(f"已生成市级控制台：[bold]{esc(books.paths[0].parent)}[/]")
        for path in books.paths:
            console.print(f"  {esc(path.name)}")
        print_signature(console, books)
        console.print("带按钮的 .xlsm 需要本机安装 Python 和 guishang（先运行 guishang excel setup）；"
                      "不允许宏的单位用 .xlsx 查看结果、用命令行操作。")
        return Outcome.OK
    if args.excel_verb == "setup":
        return _setup(args, console)
    if args.excel_verb == "sign":
        workspace = open_workspace(args)
        info = signing.sign_control_workbook(workspace, args.file)
        console.print(f"已导入“{esc(info.source)}”的数字签名，保存在 {esc(signing.signature_dir(workspace))}。")
        console.print("此后生成的 市级控制台.xlsm（guishang excel workbook）都带此签名，直到工具升级改变了宏代码（届时会提示重新签名）。")
        if info.newer_signatures:
            console.print(f"[yellow]注意：该文件还带有 {esc('、'.join(info.newer_signatures))}（较新的签名格式），"
                          "生成的工作簿只能带原有格式的签名；若本单位的 Excel 设置为只信任 V3 签名，签名将不被承认。[/]")
        return Outcome.OK
    versions = tuple(args.python_versions or deployment.PYTHON_VERSIONS)
    bundle = deployment.make_bundle(args.out, python_versions=versions, wheel=args.wheel)
    console.print(f"离线安装包已写到：[bold]{esc(bundle.folder)}[/]（{len(bundle.wheels)} 个 Windows 安装包、install.bat、"
                  f"安装说明.txt）。已核对：Python {'、'.join(versions)} 均可只用其中的文件完成安装。")
    if bundle.untested:
        console.print("[yellow]注意：以下组件在个别 Python 版本上没有本机测试过的版本，已改用该版本可用的最新版"
                      "（已写入安装说明）：[/]")
        for line in deployment.describe_untested(bundle.untested):
            console.print(f"  {esc(line)}")
    return Outcome.OK


def print_signature(console: Console, books) -> None:
    """Whether the .xlsm just written carries the city's signature, and why not when one was kept."""
    if books.signed:
        console.print("[green].xlsm 带有本单位的数字签名（guishang excel sign 导入）。[/]")
    elif books.signature_problem:
        console.print(f"[yellow]已保存的数字签名与本版工具的宏不一致（{esc(books.signature_problem)}），.xlsm 未签名："
                      "请让信息科对新生成的 市级控制台.xlsm 重新签名，再用 guishang excel sign 导入。[/]", soft_wrap=True)


def _setup(args, console: Console) -> int:
    results = deployment.checks(args.workbooks)
    table = Table(title="本机检查")
    for header in ("项目", "结果", "说明"):
        table.add_column(header, overflow="fold")
    for check in results:
        verdict = {True: "[green]通过[/]", False: "[red]未通过[/]", None: "[dim]不适用[/]"}[check.ok]
        table.add_row(esc(check.item), verdict, esc(check.detail))
    console.print(table)
    failed = [c for c in results if c.ok is False]
    if not args.check_only and (sys.platform == "win32" or args.dir):
        try:
            path = deployment.write_interpreter(deployment.config_path(args.dir))
        except OSError as error:
            raise UserError(f"无法写入 xlwings 配置（{error.strerror or error}）。") from None
        console.print(f"已把本机 Python（{esc(sys.executable)}）写入 xlwings 配置：{esc(path)}")
    elif not args.check_only:
        console.print("本机不是 Windows：未写 xlwings 配置（可用 --dir 指定文件夹写入）。")
    if failed:
        console.print("[red]有未通过的项目，按钮将无法运行：请按说明处理后再运行 guishang excel setup。[/]")
        return Outcome.INPUT
    return Outcome.OK
