"""Long runs (consolidating a period) in a thread of the server: the page that started one may be closed and
opened again, the run goes on and its progress and outcome stay until the server stops.

One writing run at a time: a second one asked for while the first is running is refused with what is running
and since when. (Across programs — the Excel buttons, the command line — the workspace's own lock decides, and
its message reaches the page.)
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from toolkit.services.errors import told

log = logging.getLogger("guishang.web")
KEPT = 50  # finished jobs remembered


class Busy(Exception):
    """Another writing run is under way; the message says which."""


@dataclass
class Job:
    key: str
    title: str  # 汇总 2022-06
    started: dt.datetime
    state: str = "running"  # running / done / failed
    done: int = 0
    total: int = 0
    step: str = "准备中……"
    finished: dt.datetime | None = None
    result: Any = None
    problem: str = ""  # why it failed, in Chinese
    hints: tuple = ()
    link: str = ""  # where to see the outcome
    extra: dict = field(default_factory=dict)

    @property
    def percent(self) -> int:
        if self.state != "running":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def progress(self, done: int, total: int, step: str) -> None:
        self.done, self.total, self.step = done, total, step


class Jobs:
    def __init__(self):
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def running(self) -> Job | None:
        with self._lock:
            return self._running()

    def _running(self) -> Job | None:  # with the lock held
        return next((j for j in self._jobs.values() if j.state == "running"), None)

    def _claim(self, title: str, link: str = "") -> Job:
        """A new running job, or ``Busy`` while another runs; one step under the lock, so two cannot both start."""
        with self._lock:
            busy = self._running()
            if busy is not None:
                raise Busy(f"“{busy.title}”正在进行（{busy.started:%H:%M:%S} 开始，{busy.step}）。请等它完成后再操作。")
            job = Job(secrets.token_urlsafe(12), title, dt.datetime.now().replace(microsecond=0), link=link)
            self._jobs[job.key] = job
            for old in sorted(self._jobs.values(), key=lambda j: j.started)[:-KEPT]:
                self._jobs.pop(old.key, None)
            return job

    def get(self, key: str) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def start(self, title: str, work: Callable[[Job], Any], link: str = "") -> Job:
        """Run ``work(job)`` in a thread; refused (``Busy``) while another run is under way."""
        job = self._claim(title, link)
        threading.Thread(target=self._run, args=(job, work), name=f"guishang-{title}", daemon=True).start()
        return job

    def exclusive(self, title: str) -> "_Exclusive":
        """A short writing step run in the request itself (a decision, a payment), refused while a run is under
        way and keeping any run from starting meanwhile."""
        return _Exclusive(self, title)

    @staticmethod
    def _run(job: Job, work: Callable[[Job], Any]) -> None:
        try:
            job.result = work(job)
            job.state = "done"
        except Exception as error:  # noqa: BLE001 - said in words (services.errors.told); a bug in one sentence
            said = told(error)
            if said is None:
                log.exception("job %s failed", job.title)
                job.problem = "程序内部出错，本次操作未完成（已写入的数据不受影响）。请重试；仍出错时请联系管理员。"
            else:
                job.problem, job.hints = said.with_first_problem(), said.hints
            job.state = "failed"
        job.finished = dt.datetime.now().replace(microsecond=0)


class _Exclusive:
    def __init__(self, jobs: Jobs, title: str):
        self.jobs, self.title, self.job = jobs, title, None

    def __enter__(self) -> Job:
        self.job = self.jobs._claim(self.title)
        return self.job

    def __exit__(self, kind, value, traceback) -> None:
        self.job.state = "done" if kind is None else "failed"
        self.job.finished = dt.datetime.now().replace(microsecond=0)
