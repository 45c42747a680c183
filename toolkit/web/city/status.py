"""报送情况: each county's file for the period, accepted or returned, with what to send back."""

from __future__ import annotations

from flask import render_template

from toolkit.domain.figures import ACCEPTED, MISSING, REJECTED
from toolkit.services import board as boards
from toolkit.web.city.common import asked_period, city, current_workspace


@city.route("/status")
def status_page():
    period = asked_period()
    if period is None:
        return render_template("status.html", board=None, period=None)
    board = boards.period_board(current_workspace(), period)
    return render_template("status.html", board=board, period=period, ACCEPTED=ACCEPTED, REJECTED=REJECTED,
                           MISSING=MISSING)
