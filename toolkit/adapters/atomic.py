"""Outputs are complete or absent: write to a temporary file beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from toolkit.domain.file_names import TEMP_PREFIX

STALE_AFTER_SECONDS = 3600  # a temp file this old was left by a run that was killed (no run takes an hour)


def _sweep_stale(folder: Path) -> None:
    """Remove what killed runs left behind in ``folder``: our temp files, once they are old."""
    for leftover in stale_temporaries([folder], deep=False):
        try:
            leftover.unlink()
        except OSError:
            continue  # another program holds it: try again next time


def stale_temporaries(folders: list[Path], *, deep: bool = True) -> list[Path]:
    """Our temp files (by their prefix) older than STALE_AFTER_SECONDS in ``folders`` (and below, with ``deep``):
    left by runs that were killed, in folders no later run writes to."""
    now, found = time.time(), []
    for folder in folders:
        if not folder.is_dir():
            continue
        for leftover in (folder.rglob if deep else folder.glob)(TEMP_PREFIX + "*"):
            try:
                if leftover.is_file() and now - leftover.stat().st_mtime > STALE_AFTER_SECONDS:
                    found.append(leftover)
            except OSError:
                continue
    return found


def _flush_to_disk(path: Path) -> None:
    """fsync a written file, or a folder after a rename (folders cannot be opened so on Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _ordinary_mode() -> int:
    """The permissions a file created the ordinary way gets here (0666 less the process's umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target`` in one rename."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep_stale(target.parent)
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        _flush_to_disk(temp)  # a power cut after the rename must not leave an empty file behind
        temp.chmod(_ordinary_mode())  # mkstemp makes it private (0600): others sharing the folder must read it
        os.replace(temp, target)
        _flush_to_disk(target.parent)
    finally:
        if temp.exists():
            temp.unlink()


def unused_path(folder: Path, stem: str, suffix: str, mark: str = "（{}）") -> Path:
    """``folder/stem.suffix``, or with ``mark`` (numbered from 2) when it exists: outputs that someone may
    have annotated or signed are never written over."""
    path, number = Path(folder) / f"{stem}{suffix}", 1
    while path.exists():
        number += 1
        path = Path(folder) / f"{stem}{mark.format(number)}{suffix}"
    return path
