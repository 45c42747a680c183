"""What every page of the city's workbench shares: the blueprint, the workspace and policy in use, the
period or year asked for, and the periods the menu offers."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path
from typing import Any, Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session

from toolkit.domain.periods import Period
from toolkit.services import board as boards
from toolkit.services.errors import told
from toolkit.web.level import not_at_province, terms_now


log = logging.getLogger("guishang.web")
city = Blueprint("city", __name__)


def site():
    return current_app.extensions["guishang.site"]


def current_policy():
    """The workspace's policy as its file is now: a policy the city has just replaced is used at once."""
    return current_workspace().policy()


def current_workspace():
    return site()["workspace"]


def current_jobs():
    return current_app.extensions["guishang.jobs"]


def asked_period() -> Period | None:
    """The period asked for (?period=), else the one chosen last in this session, else the one due."""
    asked = request.args.get("period") or request.form.get("period") or session.get("period")
    if asked:
        try:
            period = Period.parse(asked)
        except ValueError:
            abort(400, f"“{asked[:20]}”不是报送期，请按 2022-06 的格式选择。")
        session["period"] = str(period)
        return period
    return boards.default_period(current_workspace(), current_policy())


@city.before_request
def _at_this_level():
    """A page the province's summaries carry no data for (培育, 应入尽入, 奖励, and what they do) answers, at
    province level, with why it is not there; any method, so that nothing is written either."""
    view = current_app.view_functions.get(request.endpoint)
    left_out = not_at_province(getattr(view, "__module__", ""))
    if left_out is None or not terms_now(site()).province:
        return None
    title, reason = left_out
    return render_template("not_at_level.html", title=title, reason=reason), 404


@city.context_processor
def _pages():
    workspace = current_workspace()
    try:
        periods = boards.known_periods(workspace, current_policy()) if workspace else []
    except Exception as error:  # a policy that fails its check: the page (or the error page) still renders, and says it
        if told(error) is None:
            raise
        periods = []
    return {"periods": periods, "running": current_jobs().running()}


def asked_year() -> int | None:
    asked = request.values.get("year")
    if asked:
        if not (asked.isdigit() and len(asked) == 4):
            abort(400, f"“{asked[:10]}”不是年度，请填写如 2022。")
        return int(asked)
    period = asked_period()
    return period.year if period else None


def form_day(value: str | None) -> dt.date | None:
    """成文日期 from the form ('' : left for the office to fill in at signing)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        abort(400, f"“{value[:20]}”不是日期，请按 2022-07-08 的格式填写。")


def needed_year() -> int:
    year = asked_year()
    if year is None:
        abort(400, "请先选择年度。")
    return year


def imported_list(back: str, missing: str, do: Callable[[Path, str], Any]):
    """An office's list sent in the form's ``list`` field, imported by ``do(path, name)`` while no run writes:
    (name, what ``do`` returned), or the redirect back to ``back`` saying why nothing was imported (no workbook
    chosen: ``missing``; a run under way, or the service refused it)."""
    from toolkit.services.errors import UserError
    from toolkit.web.jobs import Busy
    from toolkit.web.uploads import safe_name

    sent = request.files.get("list")
    name = safe_name(sent.filename if sent else "")
    if name is None:
        flash(missing, "problem")
        return redirect(back)
    with tempfile.TemporaryDirectory(prefix="guishang-list-") as folder:
        path = Path(folder) / name
        sent.save(path)
        try:
            with current_jobs().exclusive(f"导入 {name}"):
                return name, do(path, name)
        except (Busy, UserError) as refused:
            flash(str(refused), "problem")
            return redirect(back)
