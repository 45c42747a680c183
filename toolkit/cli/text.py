"""Text from files and users, made safe to print through rich.

rich reads ``[...]`` as markup: a file name like ``[旧]报表.xlsx`` would lose its brackets, ``[/]`` would
stop the program, ``[link=...]`` would print a live link. Everything that did not come from this
program's own strings goes through ``esc`` before it is printed.
"""

from __future__ import annotations

from rich.markup import escape

from toolkit.domain.text import safe_text


def esc(value: object) -> str:
    """``value`` as literal text for rich: markup escaped, control characters made visible."""
    return escape(safe_text(str(value)))
