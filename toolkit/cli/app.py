"""The command line put together: every verb group's parser, and the one place errors become messages
and exit codes (see the package's docstring)."""

from __future__ import annotations

import argparse
import sys
import traceback
from typing import Sequence

from rich.console import Console

from toolkit import __version__
from toolkit.cli import demo, excel, files, hints, notices, pipeline, rewards, screen, web, workspace
from toolkit.cli.text import esc
from toolkit.domain.outcomes import Outcome
from toolkit.services.errors import told


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guishang", description="规上工业企业培育工具：县区报表模板、校验与汇总。")
    parser.add_argument("--version", action="version", version=f"guishang {__version__}")
    parser.add_argument("--debug", action="store_true", help="出错时显示技术细节（供开发人员排查）")
    verbs = parser.add_subparsers(dest="verb", metavar="命令")
    files.add_parsers(verbs)
    workspace.add_parsers(verbs)
    notices.add_parsers(verbs)
    rewards.add_parsers(verbs)
    screen.add_parsers(verbs)
    pipeline.add_parsers(verbs)
    workspace.add_rebuild_parser(verbs)
    excel.add_parsers(verbs)
    web.add_parsers(verbs)
    demo.add_parsers(verbs)
    return parser


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
        return args.handler(args, console)
    except KeyboardInterrupt:
        console.print("已取消。")
        return Outcome.INPUT
    except Exception as error:
        said = told(error)  # the one mapping every door uses (services.errors)
        if said is None:  # a bug: one sentence for the user, details with --debug
            if args.debug:
                traceback.print_exc()
            else:
                console.print(f"[red]程序内部错误（{type(error).__name__}）。请加 --debug 重新运行，并把输出发给维护人员。[/]")
            return Outcome.INTERNAL
        if said.problems:
            files.print_policy_findings(console, said)
        else:
            console.print(f"[red]{esc(said.message)}[/]", soft_wrap=True)
        for hint in said.hints:
            console.print(esc(hints.render(hint)), soft_wrap=True)
        return Outcome.INPUT
