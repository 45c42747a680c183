"""Loading the policy workbook, or the shipped sample when none is given."""

from __future__ import annotations

import shutil
from pathlib import Path

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.policy_workbook import read_policy
from toolkit.domain.policy import Policy
from toolkit.resources import SAMPLE_POLICY, resource_path
from toolkit.services.errors import UserError

POLICY_FILE_NAME = "政策参数.xlsx"


def sample_policy_path() -> Path:
    return resource_path(SAMPLE_POLICY)


def load_policy(path: Path | None = None) -> Policy:
    """The validated policy; raises PolicyInvalid (with every problem) or UnreadableWorkbook."""
    return read_policy(Path(path) if path else sample_policy_path())


def export_sample_policy(out_dir: Path) -> Path:
    """Copy the sample policy workbook into the folder ``out_dir`` (or to ``out_dir`` itself when it
    names an .xlsx file) for staff to edit, never over an existing one."""
    out_dir = Path(out_dir)
    # "--out 某某.xlsx" names the file itself (a folder called 某某.xlsx is never what was meant)
    target = out_dir if out_dir.suffix.lower() == ".xlsx" and not out_dir.is_dir() else out_dir / POLICY_FILE_NAME
    if target.exists():
        raise UserError(f"“{target}”已存在，为免覆盖已修改的参数，未写出样例。请换一个文件夹或先改名。")
    with atomic_output(target) as temp:
        shutil.copyfile(sample_policy_path(), temp)
    return target
