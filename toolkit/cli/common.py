"""What the verb groups share: argument types for dates and periods, and the workspace option (by default
the workspace the current folder is in, found as git finds its repository)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from toolkit.domain.periods import BadPeriod, Period
from toolkit.services.errors import UserError
from toolkit.services.workspace import STORE_DIR_NAME, Workspace, find_workspace


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无法识别，请写成 YYYY-MM-DD，如 2022-07-05") from None


def period_arg(text: str) -> Period:
    try:
        return Period.parse(text)
    except BadPeriod:
        raise argparse.ArgumentTypeError(f"报送期“{text}”无法识别，请写成 YYYY-MM，如 2022-06") from None


def add_workspace(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", type=Path, metavar="DIR",
                        help="工作区文件夹（不写则用当前文件夹所在的工作区）")


def workspace_root(args) -> Path:
    """--workspace, else the workspace the current folder is in; ``args.workspace`` is set to it, so that the
    commands this run suggests name it."""
    if args.workspace is None:
        found = find_workspace(Path.cwd())
        if found is None:
            raise UserError(f"当前文件夹“{Path.cwd()}”及其上级文件夹都不是工作区（工作区中有“{STORE_DIR_NAME}”文件夹）。"
                            "请先进入工作区文件夹再运行，或用 --workspace 指定工作区。")
        args.workspace = found
    return Path(args.workspace)


def open_workspace(args) -> Workspace:
    return Workspace.at(workspace_root(args))
