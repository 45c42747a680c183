"""县区自查: a county uploads its workbook and gets the same check as ``guishang check``, the results workbook and
a marked copy to download (kept an hour in a private temporary folder). In self-check-only mode it is the only
page; it never reads the workspace's store."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Blueprint, abort, current_app, render_template, request, send_file, url_for

from toolkit.domain.policy import Policy
from toolkit.services.checking import self_check
from toolkit.services.errors import told
from toolkit.web.level import terms_now
from toolkit.web.uploads import DOWNLOADS, safe_name
from toolkit.web.views import finding_view

county_self_check = Blueprint("self_check", __name__)
log = logging.getLogger("guishang.web")


@county_self_check.route("/self-check", methods=["GET"])
def page():
    return render_template("self_check.html", result=None)


@county_self_check.route("/self-check", methods=["POST"])
def upload():
    sent = request.files.get("workbook")
    if sent is None or not sent.filename:
        return render_template("self_check.html", result=None, problem="请先选择要自查的报表文件（.xlsx 或 .xlsm）。"), 400
    name = safe_name(sent.filename)
    if name is None:
        by = terms_now(current_app.extensions["guishang.site"]).by
        return render_template("self_check.html", result=None, problem=(
            f"“{sent.filename[:80]}”不是 Excel 工作簿（.xlsx 或 .xlsm）。请上传{by}下发的报表模板填好后的文件；"
            "WPS 或 LibreOffice 中请“另存为”Excel 工作簿（.xlsx）。")), 400
    site, kept = current_app.extensions["guishang.site"], current_app.extensions["guishang.uploads"]
    upload = kept.new(name)
    sent.save(upload.path)
    try:
        policy_now = _policy_now(site)
        done = self_check(upload.path, policy_now, policy_source=site["policy_source"] if policy_now else "",
                          budget=current_app.config["GUISHANG_BUDGET"])
    except Exception as error:  # said in words (services.errors.told); a bug in one sentence, the server goes on
        kept.drop(upload)
        said = told(error)
        if said is not None:
            return render_template("self_check.html", result=None, problem=said.with_first_problem()), 409
        log.exception("self-check of %s failed", name)
        terms = terms_now(site)
        return render_template("self_check.html", result=None, problem=(
            f"校验“{name}”时程序出错，未能完成。请把该文件发给{terms.bureau}，由{terms.by}用命令行校验并反馈。")), 500
    upload.files["results"] = done.results
    if done.marked is not None:
        upload.files["marked"] = done.marked
    return render_template("self_check.html", result=_result(done.check, upload))


@county_self_check.route("/self-check/<key>/<label>")
def download(key: str, label: str):
    upload = current_app.extensions["guishang.uploads"].get(key)
    if upload is None or label not in upload.files:
        abort(404, "该文件已不在服务器上（自查结果只保留一小时）。请重新上传报表自查。")
    path = upload.files[label]
    return send_file(path, as_attachment=True, download_name=path.name,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _policy_now(site: dict) -> Policy | None:
    """The policy the self-check uses now: the workspace's as its file is now (the city may have just replaced it),
    else the one named at start, else None (each workbook's own)."""
    workspace = site["workspace"] or site["policy_workspace"]
    return workspace.policy() if workspace is not None else site["policy"]


def _result(check, upload) -> dict:
    findings = [finding_view(f) for f in check.findings]
    return {"name": upload.name, "county": check.county, "period": check.period, "errors": check.errors,
            "hints": check.hints, "unexplained": check.unexplained_hints, "verdict": check.verdict,
            "period_basis": check.period_basis, "period_warning": check.period_warning,
            "policy_source": check.policy_source,
            "ok": check.verdict_ok, "unreadable": check.unreadable, "findings": findings,
            "downloads": [(label, DOWNLOADS[label], upload.files[label].name,
                           url_for("self_check.download", key=upload.key, label=label)) for label in upload.files],
            "checked": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}
