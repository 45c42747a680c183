"""认定: firms claimed by two counties, and the city's decision on each with its grounds."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from toolkit.services import board as boards
from toolkit.services.consolidation import assign
from toolkit.services.errors import UserError
from toolkit.web.city.common import asked_year, city, current_jobs, current_policy, current_workspace
from toolkit.web.jobs import Busy


@city.route("/assign", methods=["GET"])
def assign_page():
    year = asked_year()
    return render_template("assign.html", year=year, disputes=boards.disputes(current_workspace(), year) if year else [])


@city.route("/assign", methods=["POST"])
def assign_decide():
    year = asked_year()
    uscc, county, note = (request.form.get(k, "").strip() for k in ("uscc", "county", "note"))
    back = url_for("city.assign_page", year=year)
    if not county:
        flash(f"请选择该企业归属的{current_policy().unit_label}后再确认。", "problem")
        return redirect(back + f"#{uscc}")
    if not note:
        flash("请填写认定依据（如统计部门确认的所在地、税务登记地），以便日后查证。", "problem")
        return redirect(back + f"#{uscc}")
    try:
        with current_jobs().exclusive(f"认定 {uscc}"):
            assigned = assign(current_workspace(), uscc, county, year, note)
    except (Busy, UserError) as refused:
        flash(str(refused), "problem")
        return redirect(back + f"#{uscc}")
    others = "、".join(c for c in assigned.claimants if c != assigned.county)
    flash(f"已认定 {uscc} {year} 年归属{assigned.county}（{others}不再计入）。各期汇总已按此重新判定，汇总表在下次汇总时重新生成。", "done")
    return redirect(back + f"#{uscc}")
