"""Outputs are complete or absent: write to a temporary file beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

TEMP_PREFIX = ".~guishang-"  # readers of a folder skip files with this prefix


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target`` in one rename."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, target)
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
