"""What the verb groups share: argument types for dates and periods, and the workspace option (by default
the workspace the current folder is in, found as git finds its repository)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from toolkit.domain.periods import BadPeriod, Period
from toolkit.services.errors import UserError
from toolkit.services.policy_in_use import NoPolicy, PolicyInUse, policy_in_use
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


POLICY_HELP = "政策参数工作簿（不写则用当前文件夹所在工作区的政策参数）"
SAMPLE_HELP = "明确使用内置样例（株洲 2022—2025）的政策参数，只供试用：生成的文件上会注明"


def add_policy(parser: argparse.ArgumentParser, *, workspace: bool = True) -> None:
    """--policy FILE, --sample and (with ``workspace``) --workspace DIR: which policy the verb runs with."""
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--policy", type=Path, metavar="FILE", help=POLICY_HELP)
    chosen.add_argument("--sample", action="store_true", help=SAMPLE_HELP)
    if workspace:
        chosen.add_argument("--workspace", type=Path, metavar="DIR", help="工作区：用其政策参数")


def policy_of(args, *, carried: bool = False) -> PolicyInUse:
    """The policy by the one rule (services.policy_in_use), told in this door's terms when there is none."""
    try:
        return policy_in_use(policy_file=getattr(args, "policy", None), workspace=getattr(args, "workspace", None),
                             sample=getattr(args, "sample", False), carried=carried)
    except NoPolicy as missing:
        raise UserError(f"{missing}命令行中：--policy 政策参数.xlsx 指定政策参数，--workspace 工作区 指定工作区，"
                        "或 --sample 使用内置样例。") from None
