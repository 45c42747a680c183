"""How the files this program writes are named: the same rules for every door and every adapter."""

from __future__ import annotations

from toolkit.domain.periods import Period

TEMP_PREFIX = ".~guishang-"  # readers of a folder skip files with this prefix
MAX_NAME_BYTES = 200  # file systems allow 255 bytes per name; leave room for a "（2）" and a backup mark


def derived_name(stem: str, tail: str) -> str:
    """``stem + tail`` for an output named after an input, with ``stem`` shortened (marked "…") when the
    name would be too long for the file system: a Chinese name of 80 characters is already 240 bytes."""
    name = stem + tail
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    budget = MAX_NAME_BYTES - len(("…" + tail).encode("utf-8"))
    kept = stem.encode("utf-8")[:max(budget, 0)].decode("utf-8", errors="ignore")
    return kept + "…" + tail


def file_name(county: str, period: Period, suffix: str = ".xlsx") -> str:
    """How a clerk recognises a county's file: 天元区_2022-06_规上工业企业报表.xlsx (.xlsm: the edition with
    buttons)."""
    return f"{county}_{period}_规上工业企业报表{suffix}"
