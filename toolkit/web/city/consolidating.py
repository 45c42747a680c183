"""汇总: take the inbox in for the period and follow the run; the figures, ranks and praise or criticism."""

from __future__ import annotations

import json

from flask import abort, render_template, request, url_for

from toolkit.domain.figures import percent
from toolkit.domain.intake_outcome import IntakeOutcome
from toolkit.services import board as boards
from toolkit.services.consolidation import consolidate
from toolkit.services.control_book import reflect
from toolkit.web.city.common import asked_period, city, current_workspace
from toolkit.web.city.runs import start_run
from toolkit.web.jobs import Job
from toolkit.web.views import finding_view


@city.route("/consolidate", methods=["GET"])
def consolidate_page():
    period = asked_period()
    if period is None:
        return render_template("consolidate.html", period=None, board=None)
    board = boards.period_board(current_workspace(), period)
    summary = board.summary
    county_of = {s.file: s.county for s in summary.statuses if s.file}
    order = {county: i for i, county in enumerate(s.county for s in summary.statuses)}
    every = sorted((finding_view(f, county_of.get(f.file, "")) for f in summary.findings),  # what blocks first
                   key=lambda f: (_LEVEL_ORDER[_level_of(f)], order.get(f["county"], 99)))
    chosen = {key: request.args.get(key, "") for key in ("county", "level", "code")}
    shown = [f for f in every if (not chosen["county"] or f["county"] == chosen["county"])
             and (not chosen["level"] or _level_of(f) == chosen["level"])
             and (not chosen["code"] or f["code"] == chosen["code"])]
    chart = {"counties": [f.county for f in summary.counties],
             "completion": [None if f.completion is None else round(f.completion * 100, 1) for f in summary.counties],
             "progress": round(summary.city.progress * 100, 1)}
    results = {row.status.county: row.results_file for row in board.rows if row.results_file}
    for f in shown:
        if f["county"] in results:
            f["link"] = url_for("city.download", area="results", name=results[f["county"]])
    return render_template(
        "consolidate.html", period=period, board=board, summary=summary, findings=shown, total=len(every),
        chosen=chosen, counties=sorted({f["county"] for f in every if f["county"]}),
        codes=sorted({f["code"] for f in every}), chart=json.dumps(chart, ensure_ascii=False), percent=percent)


_LEVEL_ORDER = {"错误": 0, "提示": 1, "待核实": 2}


def _level_of(f: dict) -> str:
    return "错误" if f["error"] else ("待核实" if f["advisory"] else "提示")


@city.route("/consolidate", methods=["POST"])
def consolidate_start():
    period = asked_period()
    if period is None:
        abort(400, "请先选择报送期。")
    workspace = current_workspace()

    def work(job: Job):
        job.step = "正在扫描收件箱……"

        def on_file(index: int, total: int, name: str) -> None:
            job.progress(index, total, f"正在读取并校验（{index}/{total}）：{name}")

        run = consolidate(workspace, period, on_file=on_file)
        new = [n for n in run.notes if n.what is IntakeOutcome.NEW]
        job.extra = {"notes": run.notes, "new": len(new), "summary": run.summary_path.name if run.summary_path else "",
                     "unchanged": run.unchanged,
                     "results": [p.name for p in run.results], "worklists": len(run.worklists),
                     "control_note": reflect(workspace, "导入并汇总", summary=run.summary)}  # as every door does
        job.step = "已完成"
        return run

    return start_run(f"汇总 {period}", work, url_for("city.consolidate_page", period=str(period)))
