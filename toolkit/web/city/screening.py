"""应入尽入: the departments' files (upload and what was taken), the screen (run it for a month, download the city's
candidates and each county's worklist), and the funnel per county with each listed firm's stage and evidence —
the same use cases as ``guishang screen import`` / ``screen run`` and the summary's 应入尽入 sheets."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for

from toolkit.domain.department_data import KIND_LABEL, Kind
from toolkit.domain.periods import BadPeriod, Period
from toolkit.domain.screening import KINDS, NO_ANSWER, STAGES
from toolkit.services import board as boards
from toolkit.services.errors import UserError
from toolkit.services.register import import_starting
from toolkit.services.screening import CITY_ONLY, import_department_files, run_screen, screening_board
from toolkit.web.city.common import asked_period, city, current_jobs, current_workspace, imported_list
from toolkit.web.city.runs import start_run
from toolkit.web.jobs import Busy, Job
from toolkit.web.uploads import safe_name
from toolkit.web.views import finding_view

DEPARTMENT_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt")
MAX_FILES = 10


def _asked() -> Period | None:
    """The period asked for in the address or the form; None: the latest screened (the board says which)."""
    return asked_period() if request.args.get("period") or request.form.get("period") else None


@city.route("/screening", methods=["GET"])
def screening_page():
    return _screening_view(_asked())


def _screening_view(period: Period | None, **extra):
    workspace = current_workspace()
    board = screening_board(workspace, period)  # one read of the store: the period unasked is the latest screened
    period = board.period or asked_period()
    view = board.funnel
    county = request.args.get("county", "")
    followed = [f for f in view.followed if not county or (f.county or "县市区未定") == county] if view else []
    order = {stage: i for i, stage in enumerate(STAGES)}
    followed.sort(key=lambda f: (order.get(f.stage, len(order)), f.county, f.name))
    chart = None
    if view:
        rows = view.rows[:-1]
        chart = json.dumps({"counties": [r.county for r in rows],
                            "screened": [r.screened + r.own for r in rows], "contacted": [r.contacted for r in rows],
                            "applied": [r.applied for r in rows], "entered": [r.entered for r in rows],
                            "negative": [r.not_qualified + r.declined for r in rows]}, ensure_ascii=False)
    folder = str(view.screened) if view else (str(period) if period else "")
    outputs = boards.output_files(workspace, "screening", folder) if folder else []
    city_files = boards.output_files(workspace, "screening", f"{folder}/{CITY_ONLY}") if folder else []
    return render_template("screening.html", period=period, board=board, view=view, followed=followed,
                           county=county, chart=chart, outputs=outputs, city_files=city_files, folder=folder,
                           city_folder=f"{folder}/{CITY_ONLY}", kinds=KINDS, no_answer=NO_ANSWER,
                           kind_labels=[(k.value, KIND_LABEL[k]) for k in Kind],
                           max_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024),
                           max_files=MAX_FILES, **extra)


@city.route("/screening/import", methods=["POST"])
def screening_import():
    back = url_for("city.screening_page")
    sent = [f for f in request.files.getlist("files") if f and f.filename][:MAX_FILES + 1]
    if not sent:
        flash("请选择税务、市场监管或电力部门提供的数据文件（.xlsx 或 .csv）。", "problem")
        return redirect(back)
    if len(sent) > MAX_FILES:
        flash(f"一次最多导入 {MAX_FILES} 个文件，请分批导入。", "problem")
        return redirect(back)
    kind = request.form.get("kind") or None
    if kind is not None and kind not in {k.value for k in Kind}:
        flash("请从列表中选择数据种类，或选“按列名识别”。", "problem")
        return redirect(back)
    with tempfile.TemporaryDirectory(prefix="guishang-department-") as folder:
        paths = []
        for upload in sent:
            name = safe_name(upload.filename, default="部门数据.csv", suffixes=DEPARTMENT_SUFFIXES)
            if name is None:
                flash(f"“{upload.filename[:60]}”不是 .xlsx 或 .csv 文件，未导入。请部门导出为 Excel 或 CSV。", "problem")
                return redirect(back)
            path = Path(folder) / name
            if path.exists():
                path = Path(folder) / f"{path.stem}（{len(paths) + 1}）{path.suffix}"
            upload.save(path)
            paths.append(path)
        try:
            with current_jobs().exclusive("导入部门数据"):
                results = import_department_files(current_workspace(), paths, Kind(kind) if kind else None)
        except (Busy, UserError) as refused:
            flash(str(refused), "problem")
            return redirect(back)
    refused = [r for r in results if r.problems]
    if refused:
        return _screening_view(_asked(), refused=refused, waiting=[r.file for r in results if r.refused_with_others]), 422
    for result in results:
        if result.unchanged:
            flash(f"“{result.file}”已导入过，内容相同，未改动。", "done")
        else:
            months = [t.months for t in result.tables if t.months]
            span = f"，所属期 {min(m[0] for m in months)} 至 {max(m[1] for m in months)}" if months else ""
            flash(f"已导入“{result.file}”：{KIND_LABEL[result.kind]}，{result.rows:,} 行{span}。", "done")
            for note in result.replaces:
                flash(note, "done")
    return redirect(back)


@city.route("/screening/run", methods=["POST"])
def screening_run():
    asked = request.form.get("period", "")
    back = url_for("city.screening_page")
    try:
        period = Period.parse(asked)
    except (BadPeriod, ValueError):
        flash(f"“{asked[:20]}”不是月份，请按 2022-06 的格式填写判断月份。", "problem")
        return redirect(back)
    workspace = current_workspace()

    def work(job: Job):
        job.step = "正在按入规条件筛选部门数据，写出候选企业表和各县市区工作清单……"
        done = run_screen(workspace, period)
        found = done.screen
        job.extra = {"screen": True, "said": (f"按{found.period.year}年1—{found.period.month}月筛选，共列出 "
                                              f"{len(found.candidates)} 家：" + "，".join(
                                                  f"{k} {sum(c.kind == k for c in found.candidates)} 家" for k in KINDS)
                                              + "。"), "screen_notes": list(found.notes)}
        return done

    return start_run(f"应入尽入筛选 {period}", work, url_for("city.screening_page", period=period))


@city.route("/screening/starting", methods=["POST"])
def screening_starting():
    """The statistics office's register at the plan's start (规划起始名录): what tells a firm already in it."""
    back = url_for("city.screening_page") + "#starting"
    done = imported_list(back, "请选择统计部门提供的在库名录（Excel 工作簿 .xlsx）。",
                         lambda path, _name: import_starting(current_workspace(), path))
    if not isinstance(done, tuple):
        return done
    name, result = done
    if result.findings:
        return _screening_view(_asked(), list_name=name, list_findings=[finding_view(f) for f in result.findings]), 422
    if result.unchanged:
        flash(f"“{name}”与上次导入的名录相同，未重复导入。", "done")
    else:
        flash(f"已导入规划起始名录“{name}”：{len(result.firms):,} 家。", "done")
    return redirect(back)
