"""The city's pages on its workspace (工作台): 报送情况, 收件箱, 汇总, 认定 — the same use cases as the control
workbook's buttons and the command line, one page each. Reading pages compute from the store each time (nothing
is cached that could go stale); writing runs go through ``Jobs`` (one at a time) and the workspace's lock."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
import logging
import tempfile
from pathlib import Path

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, session,
                   url_for)

from toolkit.domain.intake_outcome import IntakeOutcome
from toolkit.domain.figures import ACCEPTED, MISSING, REJECTED, percent
from toolkit.domain.money import wan_places
from toolkit.domain.periods import Period
from toolkit.services import board as boards
from toolkit.services.consolidation import assign, consolidate
from toolkit.services.documents import can_make_pdf
from toolkit.services import rewards
from toolkit.services.notices import make_notices
from toolkit.services.policy import check_policy
from toolkit.services.register import import_confirmed, import_taxes
from toolkit.services.workspace import replace_policy
from toolkit.services.control_book import reflect
from toolkit.services.errors import UserError, told
from toolkit.services.inbox import INBOX_SUFFIXES, take_into_inbox
from toolkit.web.hints import links
from toolkit.web.jobs import Busy, Job
from toolkit.web.uploads import DOWNLOADS, safe_name
from toolkit.web.views import finding_view

log = logging.getLogger("guishang.web")
city = Blueprint("city", __name__)


def _site():
    return current_app.extensions["guishang.site"]


def _policy():
    """The workspace's policy as its file is now: a policy the city has just replaced is used at once."""
    return _workspace().policy()


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
    return boards.default_period(_workspace(), _policy())


@city.context_processor
def _pages():
    workspace = _workspace()
    try:
        periods = boards.known_periods(workspace, _policy()) if workspace else []
    except Exception as error:  # a policy that fails its check: the page (or the error page) still renders, and says it
        if told(error) is None:
            raise
        periods = []
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


@city.route("/inbox/files", methods=["GET"])
def inbox_files():
    """The inbox's list alone, fetched again after each drop: the new files and what became of them, at once."""
    files, notes = boards.inbox_files(_workspace())
    return render_template("_inbox_files.html", files=files, notes=notes)


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
    dropped = [t["period"] for t in taken if t.get("period")]  # the period of the files just dropped, not the page's
    return render_template("inbox.html", files=files, notes=notes, taken=taken,
                           period=Period.parse(dropped[-1]) if dropped else _period())


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
            "不是表格文件（.xlsx、.xlsm，或县市区误存的 .xls、.ods、.et），未放入收件箱。请确认拖入的是县市区报回的报表。")}
    uploads = current_app.extensions["guishang.uploads"]
    upload = uploads.new(name)  # what to send back, if anything is found: kept an hour, as the self-check page's
    with tempfile.TemporaryDirectory(prefix="guishang-inbox-") as folder:
        temp = Path(folder) / name
        sent.save(temp)
        try:
            taken = take_into_inbox(_workspace(), temp, name, modified, budget=current_app.config["GUISHANG_BUDGET"],
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
    out["downloads"] = [(DOWNLOADS[label], url_for("self_check_download", key=upload.key, label=label))
                        for label in upload.files]
    return out


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
    period = _period()
    if period is None:
        abort(400, "请先选择报送期。")
    workspace = _workspace()

    def work(job: Job):
        job.step = "正在扫描收件箱……"

        def on_file(index: int, total: int, name: str) -> None:
            job.progress(index, total, f"正在读取并校验（{index}/{total}）：{name}")

        run = consolidate(workspace, period, on_file=on_file)
        new = [n for n in run.notes if n.what is IntakeOutcome.NEW]
        job.extra = {"notes": run.notes, "new": len(new), "summary": run.summary_path.name if run.summary_path else "",
                     "unchanged": run.unchanged,
                     "results": [p.name for p in run.results],
                     "control_note": reflect(workspace, "导入并汇总", summary=run.summary)}  # as every door does
        job.step = "已完成"
        return run

    return _start(f"汇总 {period}", work, url_for("city.consolidate_page", period=str(period)))


def _start(title: str, work, back: str):
    """Start a writing run and follow it on its page; while another runs, back to ``back`` saying which."""
    try:
        job = _jobs().start(title, work, link=back)
    except Busy as busy:
        flash(str(busy), "problem")
        return redirect(back)
    return redirect(url_for("city.job_page", key=job.key))


@city.route("/jobs/<key>")
def job_page(key: str):
    job = _job(key)
    return render_template("job.html", job=job, hints=links(job.hints))


@city.route("/jobs/<key>/progress")
def job_progress(key: str):
    job = _job(key)
    return render_template("_job_progress.html", job=job, hints=links(job.hints))


def _job(key: str) -> Job:
    job = _jobs().get(key)
    if job is None:
        abort(404, "没有这项任务（任务记录只保留到工作台关闭）。请回到原来的页面重新开始。")
    return job


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
            assigned = assign(_workspace(), uscc, county, year, note)
    except (Busy, UserError) as refused:
        flash(str(refused), "problem")
        return redirect(back + f"#{uscc}")
    others = "、".join(c for c in assigned.claimants if c != assigned.county)
    flash(f"已认定 {uscc} {year} 年归属{assigned.county}（{others}不再计入）。各期汇总已按此重新判定，汇总表在下次汇总时重新生成。", "done")
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
@city.route("/files/<area>/<path:sub>/<name>")
def download(area: str, name: str, sub: str = ""):
    path = boards.output_file(_workspace(), area, name, sub)
    if path is None:
        abort(404, "没有这个文件（可能已被移走或改名）。请刷新页面后重新下载。")
    return send_file(path, as_attachment=True, download_name=path.name)


# --- 公文 --------------------------------------------------------------------------------------------------------
@city.route("/notices", methods=["GET"])
def notices_page():
    period = _period()
    files = boards.output_files(_workspace(), "notices", str(period)) if period else []
    folder = boards.output_folder(_workspace(), "notices", str(period)) if period else None
    documents = sorted(((n, dt.datetime.fromtimestamp((folder / n).stat().st_mtime).strftime("%Y-%m-%d %H:%M"),
                         Path(n).with_suffix(".pdf").name in files) for n in files if n.endswith(".docx")),
                       key=lambda d: d[1], reverse=True)
    return render_template("notices.html", period=period, documents=documents, today=dt.date.today(),
                           pdf=can_make_pdf())


@city.route("/notices", methods=["POST"])
def notices_make():
    period = _period()
    if period is None:
        abort(400, "请先选择报送期。")
    mode = request.form.get("mode")
    back = url_for("city.notices_page", period=str(period))
    day = _day(request.form.get("day"))
    if mode not in ("draft", "issue"):
        abort(400, "请选择“生成草稿”或“正式生成”。")
    if mode == "issue" and request.form.get("confirm") != "yes":
        flash("正式生成前请勾选“已核对本期汇总结果”。正式生成会记录催报、编发文字号（如选择）并在补报期满后封账。", "problem")
        return redirect(back)
    number, workspace, pdf = request.form.get("number") == "yes", _workspace(), can_make_pdf()

    def work(job: Job):
        job.step = "正在生成公文……"
        made = make_notices(workspace, period, day=day, number=number and mode == "issue", pdf=pdf,
                            draft=mode == "draft")
        job.extra = {"notices": list(made), "held_open": made.held_open, "period": period, "draft": mode == "draft",
                     "layout": list(made.layout),
                     "control_note": "" if mode == "draft" else reflect(workspace, "生成通报", made=made, period=period)}
        return made

    return _start(f"{'公文草稿' if mode == 'draft' else '公文'} {period}", work, back)


def _day(value: str | None) -> dt.date | None:
    """成文日期 from the form ('' : left for the office to fill in at signing)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        abort(400, f"“{value[:20]}”不是日期，请按 2022-07-08 的格式填写。")


@city.route("/preview/<area>/<path:sub>/<name>")
def preview_page(area: str, sub: str, name: str):
    path = boards.output_file(_workspace(), area, name, sub)
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


# --- 奖励 --------------------------------------------------------------------------------------------------------
@city.route("/rewards", methods=["GET"])
def rewards_page():
    return _rewards_view(_year())


def _rewards_view(year: int | None, **extra):
    workspace = _workspace()
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
                           periods_of_year=[p for p in boards.known_periods(workspace, _policy())
                                            if year and p.year == year], wan=_wan, **extra)


def _wan(yuan: int) -> str:
    """Whole yuan as 万元 with separators, exact to the yuan (two places, more only where a figure needs them)."""
    return f"{Decimal(yuan) / 10000:,.{wan_places(yuan)}f}"


@city.route("/rewards/draft", methods=["POST"])
def rewards_draft():
    year = _need_year()
    return _reward_job(f"奖励资金草稿 {year}", year, lambda w: rewards.make_rewards(w, year, draft=True, pdf=can_make_pdf()))


@city.route("/rewards/approve", methods=["POST"])
def rewards_approve():
    year = _need_year()
    back = url_for("city.rewards_page", year=year)
    if request.form.get("confirm") != "yes":
        flash("审批前请勾选确认。审批后该批企业和金额记入奖励台账，不能撤销。", "problem")
        return redirect(back)
    due = rewards.pending(_workspace(), year)
    shown = request.form.get("total", "")
    if due is None or str(due.total) != shown:
        flash("拟审批的企业或金额在您核对之后已有变化（可能刚导入了新数据），未审批。请重新核对下表后再确认。", "problem")
        return redirect(back)
    seen = request.form.get("batches", "")
    if not seen.isdigit():
        abort(400, "请从“奖励资金”页审批。")
    day, early = _day(request.form.get("day")), request.form.get("early") == "yes"
    new_batch = request.form.get("new_batch") == "yes"  # the page showed batches approved: 追加审批
    return _reward_job(f"审批奖励资金 {year}", year,
                       lambda w: rewards.make_rewards(w, year, new_batch=new_batch, batches_seen=int(seen), day=day,
                                                      pdf=can_make_pdf(), early=early), approves=True)


@city.route("/rewards/reissue", methods=["POST"])
def rewards_reissue():
    year, seq = _need_year(), _batch()
    day, number = _day(request.form.get("day")), request.form.get("number") == "yes"
    return _reward_job(f"重新生成 {year}年度第{seq}批公文", year,
                       lambda w: rewards.reissue(w, year, seq, day=day, number=number, pdf=can_make_pdf()))


@city.route("/rewards/paid", methods=["POST"])
def rewards_paid():
    year, seq = _need_year(), _batch()
    back = url_for("city.rewards_page", year=year)
    paid_on = _day(request.form.get("day"))
    if paid_on is None:
        flash("请填写拨付日期。", "problem")
        return redirect(back)
    try:
        with _jobs().exclusive(f"登记拨付 {year}年度第{seq}批"):
            rewards.mark_paid(_workspace(), year, seq, paid_on, request.form.get("note", "").strip())
    except (Busy, UserError) as refused:
        flash(str(refused), "problem")
        return redirect(back)
    flash(f"已登记 {year}年度第{seq}批于 {paid_on} 拨付。", "done")
    return redirect(back)


def _reward_job(title: str, year: int, make, *, approves: bool = False):
    workspace, back = _workspace(), url_for("city.rewards_page", year=year)

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

    return _start(title, work, back)


def _need_year() -> int:
    year = _year()
    if year is None:
        abort(400, "请先选择年度。")
    return year


def _batch() -> int:
    value = request.form.get("batch", "")
    if not value.isdigit():
        abort(400, "请选择批次。")
    return int(value)


# --- 部门数据（统计部门确认名单、税务部门税收） -------------------------------------------------------------------------
@city.route("/department-data", methods=["POST"])
def department_data():
    kind = request.form.get("kind")
    year = _need_year()
    back = url_for("city.rewards_page", year=year)
    sent = request.files.get("list")
    name = safe_name(sent.filename if sent else "")
    if name is None:
        flash("请选择统计部门或税务部门提供的 Excel 工作簿（.xlsx）。", "problem")
        return redirect(back)
    with tempfile.TemporaryDirectory(prefix="guishang-list-") as folder:
        path = Path(folder) / name
        sent.save(path)
        try:
            with _jobs().exclusive(f"导入 {name}"):
                if kind == "confirmed":
                    period = _period()
                    result = import_confirmed(_workspace(), path, period, final=request.form.get("final") == "yes")
                    what = f"统计部门 {period} 确认名单“{name}”：{len(result.firms)} 家"
                elif kind == "taxes":
                    result = import_taxes(_workspace(), path, year, supplement=request.form.get("supplement") == "yes",
                                          final=request.form.get("final") == "yes")
                    what = (f"税务部门{year}年{'补充' if result.supplement else ''}{'全年定稿' if result.final else ''}"
                            f"税收数据“{name}”：{len(result.figures)} 家企业")
                else:
                    abort(400, "请选择要导入的名单种类。")
        except (Busy, UserError) as refused:
            flash(str(refused), "problem")
            return redirect(back)
    if result.findings:
        return _rewards_view(year, list_name=name, list_findings=[finding_view(f) for f in result.findings]), 422
    if result.unchanged:
        flash(f"“{name}”与上次导入的文件相同，未重复导入。", "done")
    else:
        replaced = f"（替换了 {result.replaced['at']} 导入的“{result.replaced['file']}”）" if result.replaced else ""
        flash(f"已导入{what}{replaced}。", "done")
    return redirect(back)


# --- 政策参数 ----------------------------------------------------------------------------------------------------
@city.route("/policy", methods=["GET"])
def policy_page():
    return render_template("policy.html", shown=_policy(), check=None)


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
    return render_template("policy.html", shown=check.policy or _policy(), check=check, findings=findings,
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
        with _jobs().exclusive("启用新的政策参数"):
            kept = replace_policy(_workspace(), upload.files["policy"])
    except (Busy, UserError) as refused:
        flash(str(refused), "problem")
        return redirect(url_for("city.policy_page"))
    # the next request reads the workspace's new policy file (Workspace.policy() follows the file)
    flash(f"已启用“{upload.name}”作为工作区的政策参数；原来的已备份为“{kept.name}”（数据库/备份）。已封账各期仍按封账时的参数。", "done")
    return redirect(url_for("city.policy_page"))
