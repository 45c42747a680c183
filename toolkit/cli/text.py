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


def reporter(level: Level) -> str:
    """The units as a column's prefix (县报新增 / 市州报新增)."""
    return "县" if level is Level.CITY else level.unit_label
