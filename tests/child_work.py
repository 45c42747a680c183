"""Work for the child processes of toolkit.adapters.bounded_process in tests: module-level functions, so that a
child forked from the fork server (or spawned) can find them by name."""

from __future__ import annotations

import os
import time
from pathlib import Path


def add(a: int, b: int) -> int:
    return a + b


def refuse(words: str) -> None:
    from toolkit.services.errors import UserError

    raise UserError(words)


def hold(megabytes: int) -> int:
    """Touch ``megabytes`` of memory, page by page, as a reader filling its tables would."""
    held = bytearray(megabytes * 1024 * 1024)
    for at in range(0, len(held), 4096):
        held[at] = 1
    return len(held)


def sleep(seconds: float, pid_file: str = "") -> None:
    if pid_file:
        Path(pid_file).write_text(str(os.getpid()))
    time.sleep(seconds)


def end_abruptly() -> None:
    os._exit(3)  # as native code crashing would: no answer, no exception


class Unpicklable(Exception):
    def __init__(self, words: str, handle):
        super().__init__(words)
        self.handle = handle


def raise_unpicklable() -> None:
    raise Unpicklable("带着打开的文件", open(os.devnull))
