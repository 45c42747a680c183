"""Worker processes of a consolidation end with the process that started them (#34): killed mid-run, the parent
leaves no worker behind to hold what it inherited (the workbench's listening socket: the port stays busy and a
restart fails). Linux only: the kernel's parent-death signal does it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

CHILD = r'''
import os, sys, time
from pathlib import Path
from toolkit.services import intake
from toolkit.services.policy import load_policy
from toolkit.domain.periods import Period

marks = Path(sys.argv[1])

def slow(incoming, *rest):  # a worker busy on a file (a bomb, a huge sheet): it would outlive a killed parent
    (marks / str(os.getpid())).write_text("")
    time.sleep(120)

intake.examine = slow  # the workers are forked: they run this
jobs = [intake.Incoming(Path(f"{n}.xlsx"), f"{n}.xlsx", str(n), "") for n in range(intake.PARALLEL_FROM)]
for _ in intake._examine_all(jobs, load_policy(), Period(2022, 6), True, None, None):
    pass
'''


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has ended (PID 1 here may not reap it)


@pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
                    reason="the parent-death signal is Linux's; workers need two cores")
def test_workers_end_when_the_consolidation_is_killed(tmp_path):
    marks = tmp_path / "workers"
    marks.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    parent = subprocess.Popen([sys.executable, "-c", CHILD, str(marks)], env=env)
    try:
        for _ in range(300):
            if len(list(marks.iterdir())) >= 2:
                break
            time.sleep(0.1)
        workers = [int(p.name) for p in marks.iterdir()]
        assert len(workers) >= 2 and all(_alive(pid) for pid in workers)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        for _ in range(50):
            if not any(_alive(pid) for pid in workers):
                break
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), [pid for pid in workers if _alive(pid)]
    finally:
        parent.kill()
        for pid in [int(p.name) for p in marks.iterdir()]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
