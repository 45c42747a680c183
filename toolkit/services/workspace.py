"""The workspace: the city's working folder (policy workbook, inbox, outputs, store)."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from toolkit.domain.level import Level
from toolkit.domain.policy import Policy
from toolkit.domain.hints import Action, Hint
from toolkit.ports.store import Store
from toolkit.ports.tools import Archive, tools
from toolkit.resources import TEMPLATES, resource_path
from toolkit.services.clock import now_text
from toolkit.services.errors import UserError
from toolkit.services.policy import POLICY_FILE_NAME, load_policy, sample_policy_path

INBOX_NAME = "收件箱"
OUTPUT_NAME = "输出"
STORE_DIR_NAME = "数据库"
STORE_FILE_NAME = "guishang.sqlite"
ARCHIVE_DIR_NAME = "存档"
BACKUP_DIR_NAME = "备份"
LOCK_FILE_NAME = "guishang.lock"
TEMPLATES_DIR_NAME = "公文模板"  # the workspace's own copy of the notice templates, for staff to edit
BUILT_IN_TEMPLATES = resource_path(TEMPLATES)  # the Word templates shipped in the package
BACKUPS_KEPT = 30


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
            raise UserError(f"工作区文件夹“{root}”不存在。", Hint.of(Action.INIT_WORKSPACE, dir=root))
        workspace = cls(root.resolve())
        if not workspace.store_path.exists():
            raise UserError(f"“{root}”不是工作区（没有 {STORE_DIR_NAME}/{STORE_FILE_NAME}）。",
                            Hint.of(Action.INIT_WORKSPACE, dir=root))
        if not workspace.policy_path.exists():
            raise UserError(f"工作区中没有“{POLICY_FILE_NAME}”。请放回政策参数工作簿，或写出样例后按本地实际修改。",
                            Hint.of(Action.EXPORT_POLICY, dir=root))
        return workspace

    @property
    def archive(self) -> Archive:
        return tools().files.archive(self.root / STORE_DIR_NAME / ARCHIVE_DIR_NAME)

    @property
    def backups(self) -> Path:
        return self.root / STORE_DIR_NAME / BACKUP_DIR_NAME

    def policy(self) -> Policy:
        """The workspace's policy as the file is now (read again whenever it changes: the workbench and the
        buttons see a policy the city has just replaced)."""
        try:
            stat = self.policy_path.stat()
        except OSError:
            return load_policy(self.policy_path)  # says what is wrong with the file
        return _policy_as_saved(str(self.policy_path), stat.st_mtime_ns, stat.st_size)

    def sweep_leftovers(self) -> list[str]:
        """What a killed run left behind, removed at the start of the next writing run (under the lock, so no run
        is using it): archive copies no journal event names, and our own temp files (by their prefix, an hour
        old) anywhere in the workspace's folders. Never a file of the user's: only names this program makes.
        Each removal is written to the archive's sweep log."""
        removed = []
        for path in self.archive.orphans() + tools().files.stale_temporaries(
                [self.output, self.inbox, self.root / STORE_DIR_NAME, self.root / TEMPLATES_DIR_NAME]) \
                + tools().files.stale_temporaries([self.root], deep=False):
            try:
                path.unlink()
            except OSError:
                continue  # held by another program: next time
            removed.append(path.relative_to(self.root).as_posix())
        if removed:
            self.archive.note_sweep(removed, now_text())
        return removed

    def open_store(self) -> Store:
        return tools().open_store(self.store_path)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One writer at a time: a lock file beside the store (waits a few seconds, then says so)."""
        lock = FileLock(str(self.root / STORE_DIR_NAME / LOCK_FILE_NAME), timeout=LOCK_WAIT_SECONDS)
        try:
            lock.acquire()
        except Timeout:
            raise UserError("工作区正被另一个程序写入（可能是另一位同事正在汇总或导入）。请等它完成后再试。") from None
        try:
            yield
        finally:
            lock.release()

    def backup_path(self, what: str) -> Path:
        return self.backups / f"{dt.datetime.now().strftime('%Y%m%d-%H%M%S-%f')}_{what}.sqlite"

    @contextmanager
    def writing(self, what: str) -> Iterator[Store]:
        """The store for a writing run: one writer at a time, a verified backup first.

        ``what`` names the run in the backup's file name (e.g. 汇总2022-06).
        """
        with self.locked():
            self.sweep_leftovers()
            store = self.open_store()
            try:
                store.backup(self.backup_path(what))
                prune_backups(self.backups)
                yield store
            finally:
                store.close()


@functools.lru_cache(maxsize=8)
def _policy_as_saved(path: str, mtime_ns: int, size: int) -> Policy:
    """One reading per saved version of a policy workbook (a Policy is immutable, so it may be shared)."""
    return load_policy(Path(path))


LOCK_WAIT_SECONDS = 5


def prune_backups(folder: Path) -> None:
    """Keep the newest backups only (their names sort by time)."""
    for old in sorted(folder.glob("*.sqlite"))[:-BACKUPS_KEPT]:
        old.unlink()


def find_workspace(start: Path) -> Path | None:
    """The workspace that holds ``start``: ``start`` itself or the nearest folder above it with a store
    (数据库/guishang.sqlite), as git finds its repository; None when there is none."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if (folder / STORE_DIR_NAME / STORE_FILE_NAME).is_file():
            return folder
    return None


SAMPLE_NAMES = {Level.CITY: "株洲 2022-2025", Level.PROVINCE: "湖南省 14 个市州 2022-2025，目标为示例"}
INBOX_WHAT = {Level.CITY: "县市区报回的报表放这里", Level.PROVINCE: "各市州报来的汇总表或报表放这里"}


def init_workspace(root: Path, level: Level = Level.CITY) -> tuple[Workspace, list[str]]:
    """Create what is missing (never replacing what exists); returns what was created, in words. ``level`` chooses
    the sample policy a new workspace starts from: the city's (Zhuzhou) or the province's (Hunan)."""
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise UserError(f"“{root}”是一个文件，不是文件夹。请换一个名称。")
    root.mkdir(parents=True, exist_ok=True)
    workspace = Workspace(root.resolve())
    created = []
    if not workspace.policy_path.exists():
        with tools().files.atomic_output(workspace.policy_path) as temp:
            shutil.copyfile(sample_policy_path(level), temp)
        created.append(f"{POLICY_FILE_NAME}（样例：{SAMPLE_NAMES[level]}，请按本地实际修改）")
    for folder, what in ((workspace.inbox, INBOX_WHAT[level]), (workspace.output, "生成的汇总表、结果文件")):
        if not folder.exists():
            folder.mkdir()
            created.append(f"{folder.name}/（{what}）")
    templates = workspace.root / TEMPLATES_DIR_NAME
    if not templates.exists():
        shipped = sorted(BUILT_IN_TEMPLATES.glob("*.docx"))
        if not shipped:
            raise UserError("本工具的安装不完整：缺少公文模板（Word 文件）。请用离线安装包或安装文件重新安装 guishang。")
        templates.mkdir()
        for source in shipped:
            with tools().files.atomic_output(templates / source.name) as temp:
                shutil.copyfile(source, temp)
        created.append(f"{TEMPLATES_DIR_NAME}/（通报等公文的 Word 模板，可在 Word 中修改措辞）")
    if not workspace.store_path.exists():
        tools().open_store(workspace.store_path, create=True).close()
        created.append(f"{STORE_DIR_NAME}/{STORE_FILE_NAME}（数据库：报送记录、名录和明细）")
    else:
        tools().open_store(workspace.store_path).close()  # refuses a damaged or newer store
    return workspace, created


def replace_policy(workspace: Workspace, source: Path) -> Path:
    """Use ``source`` (already checked) as the workspace's policy workbook: the one in use is kept first as a
    verified copy in the backups, then the new one replaces it in one rename, while no one else writes. Returns
    where the old one was kept. Closed periods keep the policy they were closed with (the archive has it)."""
    with workspace.locked():
        workspace.backups.mkdir(parents=True, exist_ok=True)
        kept = workspace.backups / f"{dt.datetime.now():%Y%m%d-%H%M%S-%f}_{POLICY_FILE_NAME}"
        shutil.copy2(workspace.policy_path, kept)
        if kept.read_bytes() != workspace.policy_path.read_bytes():
            kept.unlink(missing_ok=True)
            raise UserError(f"无法备份正在使用的“{POLICY_FILE_NAME}”，未替换。请检查磁盘空间后重试。")
        with tools().files.atomic_output(workspace.policy_path) as temp:
            shutil.copyfile(source, temp)
    return kept
