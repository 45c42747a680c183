"""The city's pages on its workspace (工作台): 报送情况, 收件箱, 汇总, 认定 — the same use cases as the control
workbook's buttons and the command line, one page each. Reading pages compute from the store each time (nothing
is cached that could go stale); writing runs go through ``Jobs`` (one at a time) and the workspace's lock."""

from __future__ import annotations

import datetime as dt
import json
import logging
import tempfile
from pathlib import Path

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, session,
                   url_for)

from toolkit.domain.figures import ACCEPTED, MISSING, REJECTED, percent
from toolkit.domain.findings import KINDS, Level
from toolkit.domain.periods import Period
from toolkit.services import board as boards
from toolkit.services.consolidation import assign, consolidate
from toolkit.services.errors import UserError
from toolkit.services.inbox import take_into_inbox
from toolkit.web.hints import links
from toolkit.web.jobs import Busy, Job
from toolkit.web.uploads import safe_name

log = logging.getLogger("guishang.web")
city = Blueprint("city", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _site():
    return current_app.extensions["guishang.site"]


def _workspace():
    return _site()["workspace"]


def _jobs():
    return current_app.extensions["guishang.jobs"]


def _period() -> Period | None:
    """The period asked for (?period=), else the one chosen last in this session, else the one due."""
    asked = request.args.get("period") or request.form.get("period") or session.get("period")
    if asked:
        try:
            period = Period.parse(asked)
        except ValueError:
            abort(400, f"“{asked[:20]}”不是报送期，请按 2022-06 的格式选择。")
        session["period"] = str(period)
        return period
    return boards.default_period(_workspace(), _site()["policy"])


@city.context_processor
def _pages():
    workspace = _workspace()
    periods = boards.known_periods(workspace, _site()["policy"]) if workspace else []
    return {"periods": periods, "running": _jobs().running()}


# --- 报送情况 ----------------------------------------------------------------------------------------------------
@city.route("/status")
def status_page():
    period = _period()
    if period is None:
        return render_template("status.html", board=None, period=None)
    board = boards.period_board(_workspace(), period)
    return render_template("status.html", board=board, period=period, ACCEPTED=ACCEPTED, REJECTED=REJECTED,
                           MISSING=MISSING)


# --- 收件箱 ------------------------------------------------------------------------------------------------------
@city.route("/inbox", methods=["GET"])
def inbox_page():
    files, notes = boards.inbox_files(_workspace())
    return render_template("inbox.html", files=files, notes=notes, taken=[], period=_period())


@city.route("/inbox", methods=["POST"])
def inbox_upload():
    """One or more workbooks (the drop zone sends them one by one, the plain form all at once)."""
    sent = [f for f in request.files.getlist("workbook") if f and f.filename]
    fragment = request.headers.get("X-Fragment") == "1"
    if not sent:
        problem = "请先选择或拖入县市区报回的报表文件（.xlsx 或 .xlsm）。"
        if fragment:
            return render_template("_taken.html", taken=[{"sent": "", "problem": problem}]), 400
        files, notes = boards.inbox_files(_workspace())
        return render_template("inbox.html", files=files, notes=notes, taken=[], problem=problem,
                               period=_period()), 400
    modified = _modified(request.form.get("modified"))
    taken = [_take(f, modified if len(sent) == 1 else None) for f in sent]
    if fragment:
        return render_template("_taken.html", taken=taken)
    files, notes = boards.inbox_files(_workspace())
    return render_template("inbox.html", files=files, notes=notes, taken=taken, period=_period())


def _modified(value: str | None) -> float | None:
    """The file's time on the county's computer, as the browser tells it (milliseconds since 1970)."""
    try:
        millis = float(value or "")
    except ValueError:
        return None
    seconds = millis / 1000
    return seconds if 946684800 <= seconds <= dt.datetime.now().timestamp() + 86400 else None  # 2000 .. tomorrow


def _take(sent, modified: float | None) -> dict:
    name = safe_name(sent.filename)
    if name is None:
        return {"sent": sent.filename[:80], "problem": (
            "不是 Excel 工作簿（.xlsx 或 .xlsm），未放入收件箱。WPS 或 LibreOffice 保存的请“另存为”Excel 工作簿（.xlsx）"
            "后再拖入；.xls 旧格式请用 Excel 打开后另存为 .xlsx。")}
    with tempfile.TemporaryDirectory(prefix="guishang-inbox-") as folder:
        temp = Path(folder) / name
        sent.save(temp)
        try:
            taken = take_into_inbox(_workspace(), temp, name, modified)
        except OSError as error:
            log.exception("inbox upload of %s failed", name)
            return {"sent": name, "problem": f"未能放入收件箱（{error.strerror or error}）。请检查工作区文件夹的磁盘空间和权限后重试。"}
    check = taken.check
    out = {"sent": name, "name": taken.placed.name, "renamed": taken.placed.renamed, "same_as": taken.placed.same_as,
           "received": taken.received, "problem": ""}
    if check is not None:
        out.update(county=check.county, period=str(check.period or ""), verdict=check.verdict, ok=check.verdict_ok,
                   unreadable=check.unreadable, errors=check.errors, hints=check.hints,
                   findings=[_finding(f) for f in check.findings])
    return out


def _finding(f, county: str = "") -> dict:
    return {"level": f.level.value, "error": f.level is Level.ERROR, "explained": f.explained, "advisory": f.advisory,
            "code": f.code, "title": KINDS[f.code].title, "file": f.file, "sheet": f.sheet, "cell": f.cell,
            "message": f.message, "county": county}


# --- 汇总 --------------------------------------------------------------------------------------------------------
@city.route("/consolidate", methods=["GET"])
def consolidate_page():
    period = _period()
    if period is None:
        return render_template("consolidate.html", period=None, board=None)
    board = boards.period_board(_workspace(), period)
    summary = board.summary
    county_of = {s.file: s.county for s in summary.statuses if s.file}
    order = {county: i for i, county in enumerate(s.county for s in summary.statuses)}
    every = sorted((_finding(f, county_of.get(f.file, "")) for f in summary.findings),  # what blocks first
                   key=lambda f: (_LEVEL_ORDER[_level_of(f)], order.get(f["county"], 99)))
    chosen = {key: request.args.get(key, "") for key in ("county", "level", "code")}
    shown = [f for f in every if (not chosen["county"] or f["county"] == chosen["county"])
             and (not chosen["level"] or _level_of(f) == chosen["level"])
             and (not chosen["code"] or f["code"] == chosen["code"])]
    chart = {"counties": [f.county for f in summary.counties],
             "completion": [None if f.completion is None else round(f.completion * 100, 1) for f in summary.counties],
             "progress": round(summary.city.progress * 100, 1),
             "labels": [percent(f.completion) if f.has_figures else f.status for f in summary.counties]}
    results = {row.status.county: row.results_file for row in board.rows if row.results_file}
    for f in shown:
        if f["county"] in results:
            f["link"] = url_for("city.download", area="results", name=results[f["county"]])
    return render_template(
        "consolidate.html", period=period, board=board, summary=summary, findings=shown, total=len(every),
        chosen=chosen, counties=sorted({f["county"] for f in every if f["county"]}),
        codes=sorted({f["code"] for f in every}), chart=json.dumps(chart, ensure_ascii=False), results=results,
        percent=percent)


_LEVEL_ORDER = {"错误": 0, "提示": 1, "待核实": 2}


def _level_of(f: dict) -> str:
    return "错误" if f["error"] else ("待核实" if f["advisory"] else "提示")


@city.route("/consolidate", methods=["POST"])
def consolidate_start():
    period = _period()
    if period is None:
        abort(400, "请先选择报送期。")
    workspace = _workspace()

    def work(job: Job):
        job.step = "正在扫描收件箱……"

        def on_file(index: int, total: int, name: str) -> None:
            job.progress(index, total, f"正在读取并校验（{index}/{total}）：{name}")

        run = consolidate(workspace, period, on_file=on_file)
        new = [n for n in run.notes if n.what == "新收"]
        job.extra = {"notes": run.notes, "new": len(new), "summary": run.summary_path.name if run.summary_path else "",
                     "results": [p.name for p in run.results]}
        job.step = "已完成"
        return run

    try:
        job = _jobs().start(f"汇总 {period}", work, link=url_for("city.consolidate_page", period=str(period)))
    except Busy as busy:
        flash(str(busy), "problem")
        return redirect(url_for("city.consolidate_page", period=str(period)))
    return redirect(url_for("city.job_page", key=job.key))


@city.route("/jobs/<key>")
def job_page(key: str):
    job = _jobs().get(key)
    if job is None:
        abort(404, "没有这项任务（任务记录只保留到工作台关闭）。请在汇总页重新开始。")
    return render_template("job.html", job=job, hints=links(job.hints))


@city.route("/jobs/<key>/progress")
def job_progress(key: str):
    job = _jobs().get(key)
    if job is None:
        abort(404, "没有这项任务。")
    return render_template("_job_progress.html", job=job, hints=links(job.hints))


# --- 认定 --------------------------------------------------------------------------------------------------------
@city.route("/assign", methods=["GET"])
def assign_page():
    year = _year()
    return render_template("assign.html", year=year, disputes=boards.disputes(_workspace(), year) if year else [])


@city.route("/assign", methods=["POST"])
def assign_decide():
    year = _year()
    uscc, county, note = (request.form.get(k, "").strip() for k in ("uscc", "county", "note"))
    back = url_for("city.assign_page", year=year)
    if not county:
        flash("请选择该企业归属的县市区后再确认。", "problem")
        return redirect(back + f"#{uscc}")
    if not note:
        flash("请填写认定依据（如统计部门确认的所在地、税务登记地），以便日后查证。", "problem")
        return redirect(back + f"#{uscc}")
    try:
        with _jobs().exclusive(f"认定 {uscc}"):
            decided, claimants = assign(_workspace(), uscc, county, year, note)
    except (Busy, UserError) as refused:
        flash(str(refused), "problem")
        return redirect(back + f"#{uscc}")
    others = "、".join(c for c in claimants if c != decided)
    flash(f"已认定 {uscc} {year} 年归属{decided}（{others}不再计入）。各期汇总已按此重新判定，汇总表在下次汇总时重新生成。", "done")
    return redirect(back + f"#{uscc}")


def _year() -> int | None:
    asked = request.values.get("year")
    if asked:
        if not (asked.isdigit() and len(asked) == 4):
            abort(400, f"“{asked[:10]}”不是年度，请填写如 2022。")
        return int(asked)
    period = _period()
    return period.year if period else None


# --- downloads ---------------------------------------------------------------------------------------------------
@city.route("/files/<area>/<name>")
def download(area: str, name: str):
    path = boards.output_file(_workspace(), area, name)
    if path is None:
        abort(404, "没有这个文件（可能已被移走或改名）。请刷新页面后重新下载。")
    return send_file(path, as_attachment=True, download_name=path.name, mimetype=XLSX)
