"""toolkit.adapters.bounded_process: work in a child process within a memory and a time budget (#34: each upload is
checked this way, so that a costly file is stopped in its own process and the server's memory is untouched)."""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
import time

import pytest

import child_work as W
from toolkit.adapters.bounded_process import Stopped, run_bounded
from toolkit.services.errors import UserError

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the address-space cap is Linux's")


def test_the_result_and_the_exception_come_back_as_if_run_here():
    assert run_bounded(W.add, 2, b=3, memory_mb=100, seconds=30) == 5
    with pytest.raises(UserError, match="^不收$"):
        run_bounded(W.refuse, "不收", memory_mb=100, seconds=30)


def test_an_exception_that_cannot_be_sent_is_named_with_its_words():
    with pytest.raises(RuntimeError, match="Unpicklable: 带着打开的文件"):
        run_bounded(W.raise_unpicklable, memory_mb=100, seconds=30)


@linux
def test_past_its_memory_the_work_is_stopped_and_this_process_does_not_grow():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert run_bounded(W.hold, 50, memory_mb=150, seconds=30) == 50 * 1024 * 1024  # within: done
    with pytest.raises(Stopped) as stopped:
        run_bounded(W.hold, 400, memory_mb=150, seconds=30)
    assert stopped.value.why == "memory"
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KB: not the 400 MB


def test_past_its_time_the_work_is_stopped_and_its_process_is_gone(tmp_path):
    pid_file = tmp_path / "pid"
    started = time.monotonic()
    with pytest.raises(Stopped) as stopped:
        run_bounded(W.sleep, 60, str(pid_file), memory_mb=100, seconds=1.5)
    assert stopped.value.why == "time"
    assert time.monotonic() - started < 20
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_child_that_ends_without_an_answer_is_told_apart_from_memory():
    with pytest.raises(Stopped) as stopped:
        run_bounded(W.end_abruptly, memory_mb=100, seconds=30)
    assert (stopped.value.why, stopped.value.exit_code) == ("ended", 3)


def test_what_comes_back_from_a_checked_upload_is_what_the_pages_show(policy, tmp_path):
    """The findings, the verdict and whose report it is — not the rows read: 3,000 pasted rows stay in the child."""
    import hostile_files as H
    from toolkit.services.checking import Budget, DueRule, check_and_write

    pasted = H.pasted_sheet(tmp_path, policy, 3_000)
    done = check_and_write(pasted, policy, DueRule(dt.date(2022, 7, 1)), tmp_path,
                           budget=Budget(100, 800, 60))
    check = done.check
    assert (check.county, check.period, check.is_submission) == ("天元区", "2022-06", True)
    assert check.report.lists == {} and len(check.findings) == 1001 and check.findings[0].code == "E010"
    assert done.results.exists() and done.marked.exists()
    unbounded = check_and_write(pasted, policy, DueRule(dt.date(2022, 7, 1)), None)
    assert sum(len(rows) for rows in unbounded.check.report.lists.values()) > 3_000  # read in full here
    assert [f.message for f in unbounded.check.findings] == [f.message for f in check.findings]
