"""The workspace archive: a copy of every file the store took in (by SHA-256) and a journal of what
was done with them, in order, so that the store can always be rebuilt (guishang rebuild).

The journal is append-only JSON lines, flushed to disk before the store commits the run it describes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Iterator

from toolkit.adapters.atomic import atomic_output
from toolkit.ports.files import ArchiveError

JOURNAL_NAME = "日志.jsonl"
SWEEP_LOG_NAME = "清理记录.jsonl"  # what was removed as left behind by a killed run (not replayed by rebuild)
_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Archive:
    def __init__(self, root: Path):
        self.root = Path(root)

    @property
    def journal(self) -> Path:
        return self.root / JOURNAL_NAME

    def path_of(self, sha256: str, suffix: str = ".xlsx") -> Path:
        return self.root / "文件" / sha256[:2] / f"{sha256}{suffix}"

    def keep(self, source: Path, sha256: str) -> Path:
        """Copy ``source`` into the archive (once per content) and check that the copy is intact."""
        target = self.path_of(sha256, Path(source).suffix.lower() or ".xlsx")
        if target.exists() and sha256_of(target) == sha256:
            return target
        with atomic_output(target) as temp:
            shutil.copyfile(source, temp)
            if sha256_of(temp) != sha256:
                raise ArchiveError(f"“{Path(source).name}”在复制到存档时发生了变化（可能正被修改）。请稍后重试。")
        return target

    def keep_bytes(self, data: bytes, sha256: str, suffix: str) -> Path:
        """Keep ``data`` (a file's whole content, already hashed to ``sha256`` by the caller, who read it for the
        hash) in the archive, once per content: what ``keep`` does without reading the file twice more."""
        target = self.path_of(sha256, suffix.lower() or ".xlsx")
        if target.exists() and target.stat().st_size == len(data) and sha256_of(target) == sha256:
            return target
        with atomic_output(target) as temp:
            temp.write_bytes(data)
        return target

    def find(self, sha256: str) -> Path:
        folder = self.path_of(sha256).parent
        for candidate in sorted(folder.glob(f"{sha256}.*")) if folder.is_dir() else ():
            if sha256_of(candidate) == sha256:
                return candidate
        raise ArchiveError(f"存档中缺少文件 {sha256[:12]}…（或已损坏），无法重建。")

    def record(self, event: dict) -> None:
        """Append one event to the journal and force it to disk."""
        self.journal.parent.mkdir(parents=True, exist_ok=True)
        with self.journal.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def orphans(self) -> list[Path]:
        """Files kept for a run that never reached the journal (killed between keeping what it read and recording
        the run; the store rolled back): named by a SHA-256 no event mentions. Only this archive's own files."""
        folder = self.root / "文件"
        if not folder.is_dir() or not self.journal.is_file():  # no journal to go by: nothing is called an orphan
            return []
        try:
            named = set(_SHA256.findall(self.journal.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            return []
        return sorted(p for p in folder.glob("*/*") if p.is_file() and _SHA256.fullmatch(p.stem)
                      and p.stem not in named)

    def note_sweep(self, removed: list[str], at: str) -> None:
        """Say in the sweep log (beside the journal, never replayed) what was removed and when."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / SWEEP_LOG_NAME).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"at": at, "removed": removed}, ensure_ascii=False) + "\n")

    def events(self) -> Iterator[dict]:
        if not self.journal.exists():
            return
        with self.journal.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    raise ArchiveError(f"存档日志第 {number} 行已损坏，无法重建。") from None
