"""收件箱: files dropped in the browser, checked before they are placed, and what became of each."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from flask import current_app, render_template, request, url_for

from toolkit.domain.periods import Period
from toolkit.services import board as boards
from toolkit.services.errors import told
from toolkit.services.inbox import INBOX_SUFFIXES, take_into_inbox
from toolkit.web.city.common import asked_period, city, current_workspace, log, site
from toolkit.web.level import terms_now
from toolkit.web.uploads import DOWNLOADS, safe_name
from toolkit.web.views import finding_view


@city.route("/inbox", methods=["GET"])
def inbox_page():
    files, notes = boards.inbox_files(current_workspace())
    return render_template("inbox.html", files=files, notes=notes, taken=[], period=asked_period())


@city.route("/inbox/files", methods=["GET"])
def inbox_files():
    """The inbox's list alone, fetched again after each drop: the new files and what became of them, at once."""
    files, notes = boards.inbox_files(current_workspace())
    return render_template("_inbox_files.html", files=files, notes=notes)


@city.route("/inbox", methods=["POST"])
def inbox_upload():
    """One or more workbooks (the drop zone sends them one by one, the plain form all at once)."""
    sent = [f for f in request.files.getlist("workbook") if f and f.filename]
    fragment = request.headers.get("X-Fragment") == "1"
    if not sent:
        problem = f"请先选择或拖入{_unit()}报回的报表文件（.xlsx 或 .xlsm）。"
        if fragment:
            return render_template("_taken.html", taken=[{"sent": "", "problem": problem}]), 400
        files, notes = boards.inbox_files(current_workspace())
        return render_template("inbox.html", files=files, notes=notes, taken=[], problem=problem,
                               period=asked_period()), 400
    modified = _modified(request.form.get("modified"))
    taken = [_take(f, modified if len(sent) == 1 else None) for f in sent]
    if fragment:
        return render_template("_taken.html", taken=taken)
    files, notes = boards.inbox_files(current_workspace())
    dropped = [t["period"] for t in taken if t.get("period")]  # the period of the files just dropped, not the page's
    return render_template("inbox.html", files=files, notes=notes, taken=taken,
                           period=Period.parse(dropped[-1]) if dropped else asked_period())


def _unit() -> str:
    """Who sends the workbooks: 县市区, or a province's 市州."""
    return terms_now(site()).unit


def _modified(value: str | None) -> float | None:
    """The file's time on the county's computer, as the browser tells it (milliseconds since 1970)."""
    try:
        millis = float(value or "")
    except ValueError:
        return None
    seconds = millis / 1000
    return seconds if 946684800 <= seconds <= dt.datetime.now().timestamp() + 86400 else None  # 2000 .. tomorrow


def _take(sent, modified: float | None) -> dict:
    # a county's .xls, .ods or .et is taken in too, as the inbox folder takes it: received and returned with what to
    # do (E000), so that the county is not counted as not reporting
    name = safe_name(sent.filename, suffixes=INBOX_SUFFIXES)
    if name is None:
        return {"sent": sent.filename[:80], "problem": (
            f"不是表格文件（.xlsx、.xlsm，或{_unit()}误存的 .xls、.ods、.et），未放入收件箱。"
            f"请确认拖入的是{_unit()}报回的报表。")}
    uploads = current_app.extensions["guishang.uploads"]
    upload = uploads.new(name)  # what to send back, if anything is found: kept an hour, as the self-check page's
    with tempfile.TemporaryDirectory(prefix="guishang-inbox-") as folder:
        temp = Path(folder) / name
        sent.save(temp)
        try:
            taken = take_into_inbox(current_workspace(), temp, name, modified, budget=current_app.config["GUISHANG_BUDGET"],
                                    results_in=upload.folder)
        except OSError as error:
            uploads.drop(upload)
            log.exception("inbox upload of %s failed", name)
            return {"sent": name, "problem": f"未能放入收件箱（{error.strerror or error}）。请检查工作区文件夹的磁盘空间和权限后重试。"}
        except Exception as error:  # said in words (services.errors.told): a file the check had to stop
            uploads.drop(upload)
            said = told(error)
            if said is None:
                log.exception("inbox upload of %s failed", name)
                return {"sent": name, "problem": f"检查“{name}”时程序出错，未放入收件箱。请把该文件发给市工信局技术人员处理。"}
            return {"sent": name, "problem": f"未放入收件箱：{said.message}"}
    check = taken.check
    out = {"sent": name, "name": taken.placed.name, "renamed": taken.placed.renamed, "same_as": taken.placed.same_as,
           "imported_as": taken.received, "problem": ""}
    if check is not None:
        out.update(county=check.county, period=str(check.period or ""), verdict=check.verdict, ok=check.verdict_ok,
                   unreadable=check.unreadable, errors=check.errors, hints=check.hints,
                   findings=[finding_view(f) for f in check.findings])
    if taken.results is None:
        uploads.drop(upload)
        return out
    upload.files["results"] = taken.results
    if taken.marked is not None:
        upload.files["marked"] = taken.marked
    out["downloads"] = [(DOWNLOADS[label], url_for("self_check.download", key=upload.key, label=label))
                        for label in upload.files]
    return out
