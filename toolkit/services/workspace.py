"""The workspace: the city's working folder (policy workbook, inbox, outputs, store)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.store import Store
from toolkit.domain.policy import Policy
from toolkit.services.errors import UserError
from toolkit.services.policy import POLICY_FILE_NAME, load_policy, sample_policy_path

INBOX_NAME = "收件箱"
OUTPUT_NAME = "输出"
STORE_DIR_NAME = "数据库"
STORE_FILE_NAME = "guishang.sqlite"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def policy_path(self) -> Path:
        return self.root / POLICY_FILE_NAME

    @property
    def inbox(self) -> Path:
        return self.root / INBOX_NAME

    @property
    def output(self) -> Path:
        return self.root / OUTPUT_NAME

    @property
    def store_path(self) -> Path:
        return self.root / STORE_DIR_NAME / STORE_FILE_NAME

    @classmethod
    def at(cls, root: Path) -> "Workspace":
        """An existing workspace; a clear message when the folder is not one."""
        root = Path(root)
        if not root.is_dir():
            raise UserError(f"工作区文件夹“{root}”不存在。请先运行：guishang init {root}")
        workspace = cls(root.resolve())
        if not workspace.store_path.exists():
            raise UserError(f"“{root}”不是工作区（没有 {STORE_DIR_NAME}/{STORE_FILE_NAME}）。请先运行：guishang init {root}")
        if not workspace.policy_path.exists():
            raise UserError(f"工作区中没有“{POLICY_FILE_NAME}”。请放回政策参数工作簿，或用 guishang policy --out {root} 写出样例。")
        return workspace

    def policy(self) -> Policy:
        return load_policy(self.policy_path)

    def open_store(self) -> Store:
        return Store.open(self.store_path)


def init_workspace(root: Path) -> tuple[Workspace, list[str]]:
    """Create what is missing (never replacing what exists); returns what was created, in words."""
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise UserError(f"“{root}”是一个文件，不是文件夹。请换一个名称。")
    root.mkdir(parents=True, exist_ok=True)
    workspace = Workspace(root.resolve())
    created = []
    if not workspace.policy_path.exists():
        with atomic_output(workspace.policy_path) as temp:
            shutil.copyfile(sample_policy_path(), temp)
        created.append(f"{POLICY_FILE_NAME}（样例：株洲 2022-2025，请按本地实际修改）")
    for folder, what in ((workspace.inbox, "县市区报回的报表放这里"), (workspace.output, "生成的汇总表、结果文件")):
        if not folder.exists():
            folder.mkdir()
            created.append(f"{folder.name}/（{what}）")
    if not workspace.store_path.exists():
        Store.open(workspace.store_path, create=True).close()
        created.append(f"{STORE_DIR_NAME}/{STORE_FILE_NAME}（数据库：报送记录、名录和明细）")
    else:
        Store.open(workspace.store_path).close()  # refuses a damaged or newer store
    return workspace, created
