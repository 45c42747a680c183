"""公文: notices made for a period, their page-by-page previews, and downloads of every output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for

from toolkit.services import board as boards
from toolkit.services.control_book import reflect
from toolkit.services.documents import can_make_pdf
from toolkit.services.notices import make_notices
from toolkit.web.city.common import asked_period, city, current_workspace, form_day
from toolkit.web.city.runs import start_run
from toolkit.web.jobs import Job


@city.route("/files/<area>/<name>")
@city.route("/files/<area>/<path:sub>/<name>")
def download(area: str, name: str, sub: str = ""):
    path = boards.output_file(current_workspace(), area, name, sub)
    if path is None:
        abort(404, "没有这个文件（可能已被移走或改名）。请刷新页面后重新下载。")
    return send_file(path, as_attachment=True, download_name=path.name)


@city.route("/notices", methods=["GET"])
def notices_page():
    period = asked_period()
    files = boards.output_files(current_workspace(), "notices", str(period)) if period else []
    folder = boards.output_folder(current_workspace(), "notices", str(period)) if period else None
    documents = sorted(((n, dt.datetime.fromtimestamp((folder / n).stat().st_mtime).strftime("%Y-%m-%d %H:%M"),
                         Path(n).with_suffix(".pdf").name in files) for n in files if n.endswith(".docx")),
                       key=lambda d: d[1], reverse=True)
    return render_template("notices.html", period=period, documents=documents, today=dt.date.today(),
                           pdf=can_make_pdf())


@city.route("/notices", methods=["POST"])
def notices_make():
    period = asked_period()
    if period is None:
        abort(400, "请先选择报送期。")
    mode = request.form.get("mode")
    back = url_for("city.notices_page", period=str(period))
    day = form_day(request.form.get("day"))
    if mode not in ("draft", "issue"):
        abort(400, "请选择“生成草稿”或“正式生成”。")
    if mode == "issue" and request.form.get("confirm") != "yes":
        flash("正式生成前请勾选“已核对本期汇总结果”。正式生成会记录催报、编发文字号（如选择）并在补报期满后封账。", "problem")
        return redirect(back)
    number, workspace, pdf = request.form.get("number") == "yes", current_workspace(), can_make_pdf()

    def work(job: Job):
        job.step = "正在生成公文……"
        made = make_notices(workspace, period, day=day, number=number and mode == "issue", pdf=pdf,
                            draft=mode == "draft")
        job.extra = {"notices": list(made), "held_open": made.held_open, "period": period, "draft": mode == "draft",
                     "layout": list(made.layout),
                     "control_note": "" if mode == "draft" else reflect(workspace, "生成通报", made=made, period=period)}
        return made

    return start_run(f"{'公文草稿' if mode == 'draft' else '公文'} {period}", work, back)


@city.route("/preview/<area>/<path:sub>/<name>")
def preview_page(area: str, sub: str, name: str):
    path = boards.output_file(current_workspace(), area, name, sub)
    if path is None or path.suffix != ".docx":
        abort(404, "没有这个公文（可能已被移走或改名）。")
    shown = _previews().get(path)
    return render_template("preview.html", name=name, area=area, sub=sub, shown=shown,
                           pages=[url_for("city.preview_image", key=shown.key, label=label)
                                  for label in shown.files if label.startswith("页")])


@city.route("/preview-image/<key>/<label>")
def preview_image(key: str, label: str):
    upload = current_app.extensions["guishang.uploads"].get(key)
    if upload is None or label not in upload.files:
        abort(404, "预览已过期，请刷新页面。")
    return send_file(upload.files[label], mimetype="image/png")


def _previews():
    return current_app.extensions["guishang.previews"]
