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
        Action.NOTICES_DRAFT: lambda: url_for("city.notices_page", period=get("period")),
        Action.IMPORT_CONFIRMED: lambda: url_for("city.rewards_page", year=get("period")[:4]) + "#department-data",
        Action.IMPORT_TAXES: lambda: url_for("city.rewards_page", year=get("year")) + "#department-data",
        Action.REWARDS_DRAFT: lambda: url_for("city.rewards_page", year=get("year")) + "#due",
        Action.REWARDS_NEW_BATCH: lambda: url_for("city.rewards_page", year=get("year")) + "#due",
        Action.REWARDS_APPROVE: lambda: url_for("city.rewards_page", year=get("year")) + "#due",
        Action.REWARDS_APPROVE_EARLY: lambda: url_for("city.rewards_page", year=get("year")) + "#due",
        Action.REWARDS_PAID: lambda: url_for("city.rewards_page", year=get("year")) + "#approved",
        Action.REWARDS_SHOW: lambda: url_for("city.rewards_page", year=get("year")) + "#approved",
        Action.CHECK_POLICY: lambda: url_for("city.policy_page"),
        Action.IMPORT_STARTING: lambda: url_for("city.screening_page") + "#starting",
        Action.IMPORT_DEPARTMENTS: lambda: url_for("city.screening_page") + "#departments",
    }.get(hint.action)
    return hint.action.title, target() if target else None


def links(hints) -> list[tuple[str, str | None]]:
    return [link(h) for h in hints or ()]
