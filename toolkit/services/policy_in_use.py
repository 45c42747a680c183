"""Which policy a use case runs with (one rule for every verb and door): never the built-in sample unasked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.domain.policy import Policy
from toolkit.ports.tools import tools
from toolkit.services.errors import UserError
from toolkit.services.policy import POLICY_FILE_NAME, SAMPLE_SOURCE, load_policy
from toolkit.services.workspace import Workspace, find_workspace


class NoPolicy(UserError):
    """No policy was named and none is at hand: each door says how to name one (a file, a workspace, the sample)."""


@dataclass(frozen=True)
class PolicyInUse:
    """The policy a use case runs with, and where it came from (in words, for what it writes and prints);
    ``policy`` None: each workbook's own (the policy a template carries, domain.carried_policy)."""

    policy: Policy | None
    source: str
    workspace: Workspace | None = None
    digest: str = ""  # SHA-256 of the policy workbook ('' for the sample and the carried ones)


def policy_in_use(*, policy_file: Path | None = None, workspace: Path | None = None, sample: bool = False,
                  start: Path | None = None, carried: bool = False) -> PolicyInUse:
    """One rule for every verb: a policy file named; else the sample when asked for by name; else the workspace
    named, or the one the current folder (``start``) is in; else, where the workbooks carry their own
    (``carried``: checking them), theirs. Never the sample unasked: NoPolicy says what to name."""
    if policy_file is not None:
        path = Path(policy_file)
        return PolicyInUse(load_policy(path), f"“{path.name}”", digest=tools().files.sha256_of(path))
    if sample:
        return PolicyInUse(load_policy(None), SAMPLE_SOURCE)
    root = Path(workspace) if workspace is not None else find_workspace(Path(start or Path.cwd()))
    if root is not None:
        found = Workspace.at(root)
        return PolicyInUse(found.policy(), f"工作区“{found.root.name}”的{POLICY_FILE_NAME}", found,
                           tools().files.sha256_of(found.policy_path))
    if carried:
        return PolicyInUse(None, "各报表附带的政策参数（市里生成模板时写入）")
    raise NoPolicy("没有指定政策参数，当前文件夹也不在工作区中：不知道按哪个市的目标和标准办理。"
                   f"请指定本市的政策参数工作簿（{POLICY_FILE_NAME}），或在市里的工作区中运行；"
                   f"只想试用时，可明确使用{SAMPLE_SOURCE}。")
