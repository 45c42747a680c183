"""Writing runs (汇总, 公文, 奖励): started one at a time, followed on their own page until done."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from toolkit.web.city.common import city, current_jobs
from toolkit.web.hints import links
from toolkit.web.jobs import Busy, Job


def start_run(title: str, work, back: str):
    """Start a writing run and follow it on its page; while another runs, back to ``back`` saying which."""
    try:
        job = current_jobs().start(title, work, link=back)
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
    job = current_jobs().get(key)
    if job is None:
        abort(404, "没有这项任务（任务记录只保留到工作台关闭）。请回到原来的页面重新开始。")
    return job
