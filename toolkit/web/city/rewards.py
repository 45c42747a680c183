"""奖励: the year's reward batches (draft, approve, reissue, paid) and the department data they rest on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for

from toolkit.domain.money import wan_places
from toolkit.services import board as boards
from toolkit.services import rewards
from toolkit.services.control_book import reflect
from toolkit.services.documents import can_make_pdf
from toolkit.services.errors import UserError
from toolkit.services.register import import_confirmed, import_taxes
from toolkit.web.city.common import (asked_period, asked_year, city, current_jobs, current_policy, current_workspace,
                                     form_day, imported_list, needed_year)
from toolkit.web.city.runs import start_run
from toolkit.web.jobs import Busy, Job
from toolkit.web.views import finding_view


@city.route("/rewards", methods=["GET"])
def rewards_page():
    return _rewards_view(asked_year())


def _rewards_view(year: int | None, **extra):
    workspace = current_workspace()
    seen = rewards.overview(workspace, year) if year else None  # one proposal, remembered while nothing changes
    approved, due = (seen.shown.existing, seen.due) if seen else ([], None)
    folders = set(boards.output_folders(workspace, "rewards"))
    files = {}
    for label in [b.label for b in approved] + ([due.label] if due else []):
        if label in folders:
            files[label] = [(label, n) for n in boards.output_files(workspace, "rewards", label)]
            files[label] += [(f"{label}/{sub}", n) for sub in boards.output_folders(workspace, "rewards", label)
                             for n in boards.output_files(workspace, "rewards", f"{label}/{sub}")]
    return render_template("rewards.html", year=year, approved=approved, due=due, files=files, today=dt.date.today(),
                           periods_of_year=[p for p in boards.known_periods(workspace, current_policy())
                                            if year and p.year == year], wan=_wan, **extra)


def _wan(yuan: int) -> str:
    """Whole yuan as 万元 with separators, exact to the yuan (two places, more only where a figure needs them)."""
    return f"{Decimal(yuan) / 10000:,.{wan_places(yuan)}f}"


@city.route("/rewards/draft", methods=["POST"])
def rewards_draft():
    year = needed_year()
    return _reward_job(f"奖励资金草稿 {year}", year, lambda w: rewards.make_rewards(w, year, draft=True, pdf=can_make_pdf()))


@city.route("/rewards/approve", methods=["POST"])
def rewards_approve():
    year = needed_year()
    back = url_for("city.rewards_page", year=year)
    if request.form.get("confirm") != "yes":
        flash("审批前请勾选确认。审批后该批企业和金额记入奖励台账，不能撤销。", "problem")
        return redirect(back)
    due = rewards.pending(current_workspace(), year)
    shown = request.form.get("total", "")
    if due is None or str(due.total) != shown:
        flash("拟审批的企业或金额在您核对之后已有变化（可能刚导入了新数据），未审批。请重新核对下表后再确认。", "problem")
        return redirect(back)
    seen = request.form.get("batches", "")
    if not seen.isdigit():
        abort(400, "请从“奖励资金”页审批。")
    day, early = form_day(request.form.get("day")), request.form.get("early") == "yes"
    new_batch = request.form.get("new_batch") == "yes"  # the page showed batches approved: 追加审批
    return _reward_job(f"审批奖励资金 {year}", year,
                       lambda w: rewards.make_rewards(w, year, new_batch=new_batch, batches_seen=int(seen), day=day,
                                                      pdf=can_make_pdf(), early=early), approves=True)


@city.route("/rewards/reissue", methods=["POST"])
def rewards_reissue():
    year, seq = needed_year(), _batch()
    day, number = form_day(request.form.get("day")), request.form.get("number") == "yes"
    return _reward_job(f"重新生成 {year}年度第{seq}批公文", year,
                       lambda w: rewards.reissue(w, year, seq, day=day, number=number, pdf=can_make_pdf()))


@city.route("/rewards/paid", methods=["POST"])
def rewards_paid():
    year, seq = needed_year(), _batch()
    back = url_for("city.rewards_page", year=year)
    paid_on = form_day(request.form.get("day"))
    if paid_on is None:
        flash("请填写拨付日期。", "problem")
        return redirect(back)
    try:
        with current_jobs().exclusive(f"登记拨付 {year}年度第{seq}批"):
            rewards.mark_paid(current_workspace(), year, seq, paid_on, request.form.get("note", "").strip())
    except (Busy, UserError) as refused:
        flash(str(refused), "problem")
        return redirect(back)
    flash(f"已登记 {year}年度第{seq}批于 {paid_on} 拨付。", "done")
    return redirect(back)


def _reward_job(title: str, year: int, make, *, approves: bool = False):
    workspace, back = current_workspace(), url_for("city.rewards_page", year=year)

    def work(job: Job):
        job.step = "正在核定并生成奖励资金文书……"
        run = make(workspace)
        job.extra = {"reward": True, "label": run.batch.label if run.batch else "", "files": [p.name for p in run.files],
                     "total": run.batch.total if run.batch else None, "nothing": run.nothing,
                     "existing": [b.label for b in run.existing], "warnings": [a.text for a in run.warnings],
                     "pdf_problem": run.pdf_problem, "layout": list(run.layout),
                     "control_note": reflect(workspace, "生成奖励审批", reward_run=run, year=year) if approves else ""}
        job.hints = tuple(a.hint for a in run.warnings if a.hint) + ((run.follow_up,) if run.follow_up else ())
        return run

    return start_run(title, work, back)


def _batch() -> int:
    value = request.form.get("batch", "")
    if not value.isdigit():
        abort(400, "请选择批次。")
    return int(value)


@city.route("/department-data", methods=["POST"])
def department_data():
    kind = request.form.get("kind")
    year = needed_year()
    back = url_for("city.rewards_page", year=year)
    if kind not in ("confirmed", "taxes"):
        abort(400, "请选择要导入的名单种类。")

    def do(path: Path, name: str):
        if kind == "confirmed":
            period = asked_period()
            result = import_confirmed(current_workspace(), path, period, final=request.form.get("final") == "yes")
            return result, f"统计部门 {period} 确认名单“{name}”：{len(result.firms)} 家"
        result = import_taxes(current_workspace(), path, year, supplement=request.form.get("supplement") == "yes",
                              final=request.form.get("final") == "yes")
        return result, (f"税务部门{year}年{'补充' if result.supplement else ''}{'全年定稿' if result.final else ''}"
                        f"税收数据“{name}”：{len(result.figures)} 家企业")

    done = imported_list(back, "请选择统计部门或税务部门提供的 Excel 工作簿（.xlsx）。", do)
    if not isinstance(done, tuple):
        return done
    name, (result, what) = done
    if result.findings:
        return _rewards_view(year, list_name=name, list_findings=[finding_view(f) for f in result.findings]), 422
    if result.unchanged:
        flash(f"“{name}”与上次导入的文件相同，未重复导入。", "done")
    else:
        replaced = f"（替换了 {result.replaced['at']} 导入的“{result.replaced['file']}”）" if result.replaced else ""
        flash(f"已导入{what}{replaced}。", "done")
    return redirect(back)
