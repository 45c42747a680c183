"""政策参数: the policy in use, a new policy workbook checked, and put in use."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for

from toolkit.services.errors import UserError
from toolkit.services.policy import check_policy
from toolkit.services.workspace import replace_policy
from toolkit.web.city.common import city, current_jobs, current_policy, current_workspace
from toolkit.web.jobs import Busy
from toolkit.web.uploads import safe_name
from toolkit.web.views import finding_view


@city.route("/policy", methods=["GET"])
def policy_page():
    return render_template("policy.html", shown=current_policy(), check=None)


@city.route("/policy/check", methods=["POST"])
def policy_check():
    sent = request.files.get("policy")
    name = safe_name(sent.filename if sent else "", "政策参数.xlsx")
    if name is None:
        flash("请选择政策参数工作簿（.xlsx）。", "problem")
        return redirect(url_for("city.policy_page"))
    kept = current_app.extensions["guishang.uploads"]
    upload = kept.new(name)
    sent.save(upload.path)
    check = check_policy(upload.path)
    if check.ok:
        upload.files["policy"] = upload.path
    findings = [finding_view(f) for f in check.findings]
    return render_template("policy.html", shown=check.policy or current_policy(), check=check, findings=findings,
                           key=upload.key), (200 if check.ok else 422)


@city.route("/policy/use", methods=["POST"])
def policy_use():
    upload = current_app.extensions["guishang.uploads"].get(request.form.get("key", ""))
    if upload is None or "policy" not in upload.files:
        flash("检查过的政策参数工作簿已不在服务器上（只保留一小时），请重新上传检查。", "problem")
        return redirect(url_for("city.policy_page"))
    if request.form.get("confirm") != "yes":
        flash("启用前请勾选确认。", "problem")
        return redirect(url_for("city.policy_page"))
    check = check_policy(upload.files["policy"])  # checked again: what is used is what passed
    if not check.ok:
        flash("该工作簿未通过检查，未启用。", "problem")
        return redirect(url_for("city.policy_page"))
    try:
        with current_jobs().exclusive("启用新的政策参数"):
            kept = replace_policy(current_workspace(), upload.files["policy"])
    except (Busy, UserError) as refused:
        flash(str(refused), "problem")
        return redirect(url_for("city.policy_page"))
    # the next request reads the workspace's new policy file (Workspace.policy() follows the file)
    flash(f"已启用“{upload.name}”作为工作区的政策参数；原来的已备份为“{kept.name}”（数据库/备份）。已封账各期仍按封账时的参数。", "done")
    return redirect(url_for("city.policy_page"))
