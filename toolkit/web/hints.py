"""The workbench's rendering of a ``Hint``: a link to the page that does it, or, for what has no page here
(writing a policy workbook, setting up Excel), the action's words alone."""

from __future__ import annotations

from flask import url_for

from toolkit.domain.hints import Action, Hint


def link(hint: Hint) -> tuple[str, str | None]:
    """(words, address or None)."""
    get = hint.get
    target = {
        Action.CONSOLIDATE: lambda: url_for("city.consolidate_page", period=get("period")),
        Action.ASSIGN: lambda: url_for("city.assign_page", year=get("year")) + f"#{get('uscc')}",
    }.get(hint.action)
    return hint.action.title, target() if target else None


def links(hints) -> list[tuple[str, str | None]]:
    return [link(h) for h in hints or ()]
