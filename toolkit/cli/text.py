"""Text from files and users, made safe to print through rich.

rich reads ``[...]`` as markup: a file name like ``[旧]报表.xlsx`` would lose its brackets, ``[/]`` would
stop the program, ``[link=...]`` would print a live link. Everything that did not come from this
program's own strings goes through ``esc`` before it is printed.
"""

from __future__ import annotations

from rich.markup import escape

from toolkit.domain.level import Level
from toolkit.domain.text import safe_text


def esc(value: object) -> str:
    """``value`` as literal text for rich: markup escaped, control characters made visible."""
    return escape(safe_text(str(value)))


def level_of(unit_label: str) -> Level:
    """The level whose reporting units are called ``unit_label`` (a summary carries its policy's 县市区 / 市州)."""
    return next((level for level in Level if level.unit_label == unit_label), Level.CITY)


def consolidator(level: Level) -> str:
    """Who consolidates the units' reports, as the notes under the tables say it: 市里 / 省里."""
    return f"{level.label}里"


def reporter(level: Level) -> str:
    """The units as a column's prefix (县报新增 / 市州报新增)."""
    return "县" if level is Level.CITY else level.unit_label
