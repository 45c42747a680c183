"""Loading the policy workbook, or the shipped sample when none is given."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from toolkit.domain.findings import Finding
from toolkit.domain.level import Level
from toolkit.domain.policy import Policy
from toolkit.ports.files import PolicyInvalid, UnreadableWorkbook
from toolkit.ports.tools import tools
from toolkit.resources import SAMPLE_POLICY, SAMPLE_PROVINCE_POLICY, resource_path
from toolkit.services.errors import UserError

POLICY_FILE_NAME = "政策参数.xlsx"


def sample_policy_path(level: Level = Level.CITY) -> Path:
    """The shipped sample policy workbook of ``level``: Zhuzhou's (city) or Hunan's (province)."""
    return resource_path(SAMPLE_PROVINCE_POLICY if level is Level.PROVINCE else SAMPLE_POLICY)


SAMPLE_SOURCE = "内置样例（株洲 2022—2025）"


def load_policy(path: Path | None = None) -> Policy:
    """The validated policy; raises PolicyInvalid (with every problem) or UnreadableWorkbook. Without ``path``, the
    built-in sample, marked as such (``Policy.builtin``: every output made from it says so)."""
    if path:
        return tools().workbooks.read_policy(Path(path))
    return replace(tools().workbooks.read_policy(sample_policy_path()), builtin=True)




def export_sample_policy(out_dir: Path) -> Path:
    """Copy the sample policy workbook into the folder ``out_dir`` (or to ``out_dir`` itself when it
    names an .xlsx file) for staff to edit, never over an existing one."""
    out_dir = Path(out_dir)
    # "--out 某某.xlsx" names the file itself (a folder called 某某.xlsx is never what was meant)
    target = out_dir if out_dir.suffix.lower() == ".xlsx" and not out_dir.is_dir() else out_dir / POLICY_FILE_NAME
    if target.exists():
        raise UserError(f"“{target}”已存在，为免覆盖已修改的参数，未写出样例。请换一个文件夹或先改名。")
    with tools().files.atomic_output(target) as temp:
        shutil.copyfile(sample_policy_path(), temp)
    return target


@dataclass
class PolicyCheck:
    """A policy workbook checked before it is used: the policy, or every problem with its sheet and cell, or why the
    file cannot be read at all."""

    file: str
    policy: Policy | None
    findings: list[Finding] = field(default_factory=list)
    unreadable: str = ""

    @property
    def ok(self) -> bool:
        return self.policy is not None


def check_policy(path: Path) -> PolicyCheck:
    path = Path(path)
    try:
        return PolicyCheck(path.name, tools().workbooks.read_policy(path))
    except PolicyInvalid as invalid:
        return PolicyCheck(path.name, None, list(invalid.findings))
    except UnreadableWorkbook as unreadable:
        return PolicyCheck(path.name, None, unreadable=str(unreadable))
