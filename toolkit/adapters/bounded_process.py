"""Running one piece of work in a child process that may use only so much memory and time.

The workbench checks each uploaded workbook this way: a file that is legal on the outside (under the upload and
inflation ceilings) but costs gigabytes or minutes to read and check is stopped in its own process, the server's
memory is untouched by it, and the server's other pages are answered meanwhile (no shared interpreter lock). A
few run side by side (``MAX_RUNNING``); more wait their turn.

On Linux the child is forked from a small server process that has the checking code imported already (the
``forkserver`` start method: a check starts in milliseconds, and no thread of the web server is copied into it),
its address space is capped (RLIMIT_AS: an allocation past the budget fails as MemoryError, or ends the process
when native code allocates) and it dies with its parent. On Windows it is spawned, puts itself in a job object
whose committed memory is capped the same way, and ends with its parent (a thread waits on the parent's process
handle). These Windows paths are written to the documented API but not exercised by the tests here (Linux).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable
from toolkit.ports.files import Stopped

MAX_RUNNING = 2  # children at a time: with the default budget the server's computer needs 2 x 800 MB at worst
_PRELOAD = ["toolkit.services.checking"]  # imported once in the fork server, not in every child
_MB = 1024 * 1024
_slots = threading.BoundedSemaphore(MAX_RUNNING)
_context_lock = threading.Lock()
_context: Any = None


@dataclass(frozen=True)
class _Raised:
    """An exception raised in the child that could not be sent as it is (not picklable): its type and words."""

    kind: str
    message: str


def die_with_parent(parent: int) -> None:
    """A worker process ends when the process that started it ends, however it ends (killed, crashed): a worker
    left behind would hold what it inherited — the workbench's listening socket among it — and keep the port
    busy. On Linux the kernel sends SIGKILL on the parent's death (PR_SET_PDEATHSIG); a parent already gone
    before that was set ends the worker at once. On Windows a thread waits on the parent's process handle and
    ends the worker when it is signalled (the parent ended)."""
    if not parent:
        return
    if sys.platform == "win32":
        _end_with_on_windows(parent)
        return
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


def _end_with_on_windows(parent: int) -> None:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.WaitForSingleObject.restype = wintypes.DWORD
    kernel32.WaitForSingleObject.argtypes = (wintypes.HANDLE, wintypes.DWORD)
    synchronize, infinite = 0x00100000, 0xFFFFFFFF
    handle = kernel32.OpenProcess(synchronize, False, parent)
    if not handle:  # the parent is gone already (or cannot be watched: then the pipes end the worker)
        if ctypes.get_last_error() == 87:  # ERROR_INVALID_PARAMETER: no such process
            os._exit(1)
        return

    def watch() -> None:
        kernel32.WaitForSingleObject(handle, infinite)  # the interpreter lock is released while waiting
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="guishang-parent-watch").start()


def run_bounded(function: Callable, *args: Any, memory_mb: int, seconds: float, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)`` in a child process using at most ``memory_mb`` MB more than it starts
    with and ``seconds`` seconds; its result, or the exception it raised, as if it ran here. Past a budget,
    ``Stopped``. ``function`` and its arguments must be picklable (a module-level function)."""
    with _slots:
        context = _start_method()
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(writer, memory_mb, function, args, kwargs),
                                daemon=True, name="guishang-check")
        child.start()
        writer.close()  # the child holds the only writing end: its death is seen as the end of the pipe
        try:
            if not reader.poll(seconds):
                child.kill()
                raise Stopped("time")
            try:
                outcome, value = reader.recv()
            except (EOFError, OSError):
                child.join(5)
                code = child.exitcode
                # killed by the kernel's memory guard, or native code aborting on a failed allocation
                memory = code in (-signal.SIGKILL, -getattr(signal, "SIGABRT", 6))
                raise Stopped("memory" if memory else "ended", code) from None
        finally:
            reader.close()
            child.join(5)
            if child.is_alive():
                child.kill()
                child.join()
    if outcome == "memory":
        raise Stopped("memory")
    if outcome == "raised":
        if isinstance(value, _Raised):
            raise RuntimeError(f"{value.kind}: {value.message}")
        raise value
    return value


def _start_method():
    global _context
    with _context_lock:
        if _context is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                _context = multiprocessing.get_context("forkserver")
                _context.set_forkserver_preload(_PRELOAD)
            else:
                _context = multiprocessing.get_context("spawn")
        return _context


def _child(writer, memory_mb: int, function: Callable, args: tuple, kwargs: dict) -> None:
    # the parent is the fork server (which ends when the server ends) or, spawned, the server itself
    die_with_parent(os.getppid())
    _let_go_of_the_fork_server()
    cap = _cap_memory(memory_mb)
    try:
        result = ("done", function(*args, **kwargs))
    except MemoryError:
        result = ("memory", None)
    except Exception as error:  # sent back to be raised where the work was asked for
        # a library that failed to allocate says so in its own words ("not a valid workbook", "out of memory"):
        # when the address space reached its cap, that was the cause
        result = ("memory", None) if _reached(cap) else ("raised", error)
    try:
        writer.send(result)
    except MemoryError:
        writer.send(("memory", None))
    except Exception as error:  # the result or the exception could not be pickled: named in words
        what = result[1] if result[0] == "raised" else error
        writer.send(("raised", _Raised(type(what).__name__, str(what))))
    writer.close()


def _let_go_of_the_fork_server() -> None:
    """Close this child's copy of the fork server's lifeline. The fork server ends when every holder of it has
    closed it — the server and, as multiprocessing hands it on, each child; a child busy reading would otherwise
    keep the fork server alive after the server was killed, and itself with it (its parent-death signal waits for
    the fork server's end). This child starts no processes of its own, so it needs no lifeline."""
    try:
        from multiprocessing import forkserver

        fd = forkserver._forkserver._forkserver_alive_fd
        if fd is not None:
            forkserver._forkserver._forkserver_alive_fd = None
            os.close(fd)
    except (AttributeError, OSError):
        return


def _cap_memory(memory_mb: int) -> int | None:
    """Cap this process's address space at what it holds now plus ``memory_mb`` (Linux); the cap in bytes."""
    if sys.platform == "win32":
        _cap_memory_on_windows(memory_mb)
        return None
    try:
        import resource
    except ImportError:
        return None
    now = _address_space("VmSize")
    if now is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = now + memory_mb * _MB
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        return None
    return limit


def _cap_memory_on_windows(memory_mb: int) -> None:
    """A job object of this process alone, its committed memory capped (an allocation past it fails: MemoryError);
    nothing changes where Windows refuses (before Windows 8 a process already in a job cannot join another)."""
    import ctypes
    from ctypes import wintypes

    class Basic(ctypes.Structure):
        _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
                    ("LimitFlags", wintypes.DWORD), ("MinimumWorkingSetSize", ctypes.c_size_t),
                    ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", wintypes.DWORD),
                    ("Affinity", ctypes.c_size_t), ("PriorityClass", wintypes.DWORD),
                    ("SchedulingClass", wintypes.DWORD)]

    class Extended(ctypes.Structure):
        _fields_ = [("BasicLimitInformation", Basic), ("IoInfo", ctypes.c_uint64 * 6),
                    ("ProcessMemoryLimit", ctypes.c_size_t), ("JobMemoryLimit", ctypes.c_size_t),
                    ("PeakProcessMemoryUsed", ctypes.c_size_t), ("PeakJobMemoryUsed", ctypes.c_size_t)]

    try:
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.CreateJobObjectW.restype = wintypes.HANDLE
        kernel32.GetCurrentProcess.restype = wintypes.HANDLE
        job = kernel32.CreateJobObjectW(None, None)
        if not job:
            return
        limits = Extended()
        limits.BasicLimitInformation.LimitFlags = 0x100  # JOB_OBJECT_LIMIT_PROCESS_MEMORY
        limits.ProcessMemoryLimit = _committed_now_on_windows(kernel32) + memory_mb * _MB
        if kernel32.SetInformationJobObject(wintypes.HANDLE(job), 9, ctypes.byref(limits), ctypes.sizeof(limits)):
            kernel32.AssignProcessToJobObject(wintypes.HANDLE(job), wintypes.HANDLE(kernel32.GetCurrentProcess()))
    except (OSError, AttributeError, ValueError):
        return


def _committed_now_on_windows(kernel32) -> int:
    """This process's committed memory (PagefileUsage), to which the budget is added."""
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):
        _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD),
                    ("PeakWorkingSetSize", ctypes.c_size_t), ("WorkingSetSize", ctypes.c_size_t),
                    ("QuotaPeakPagedPoolUsage", ctypes.c_size_t), ("QuotaPagedPoolUsage", ctypes.c_size_t),
                    ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t), ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
                    ("PagefileUsage", ctypes.c_size_t), ("PeakPagefileUsage", ctypes.c_size_t)]

    counters = Counters()
    counters.cb = ctypes.sizeof(counters)
    psapi = ctypes.WinDLL("psapi", use_last_error=True)
    if psapi.GetProcessMemoryInfo(wintypes.HANDLE(kernel32.GetCurrentProcess()), ctypes.byref(counters),
                                  counters.cb):
        return int(counters.PagefileUsage)
    return 200 * _MB  # an interpreter with the checking code loaded commits about this much


def _reached(cap: int | None) -> bool:
    """The address space came within 64 MB of ``cap`` at some point (an allocation was refused)."""
    peak = _address_space("VmPeak")
    return cap is not None and peak is not None and peak >= cap - 64 * _MB


def _address_space(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None
