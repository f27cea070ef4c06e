"""Async save by ``os.fork``: the child process writes a copy-on-write image of the state.

NOTE [fork snapshot]: an async save must not let training change the state being written. The
copy path (NOTE [staging buffers] in ``_state.py``) copies every tensor before ``save`` returns,
which costs one memcpy of the whole state. Forking costs only the page tables: the child sees the
parent's memory frozen at the fork (the kernel copies a page only when the parent writes it), so
``save`` returns after tens of milliseconds for a 1 GiB model and the parent pays a page copy
later, and only for pages it changes while the child runs. The child writes the step through the
same ``Storage.write_step`` as a synchronous save (same files, manifest and atomic commit), then
leaves with ``os._exit``, and a thread of the parent waits for it (``ForkedWrite.wait``).

What the child must not do, and why:
- run atexit handlers or flush the parent's stdio buffers (they would run or print twice):
  it always ends with ``os._exit``, also when the write raised or the code below it failed;
- run a signal handler the parent installed (a preemption handler would mark a save): SIGINT
  and SIGTERM go back to their defaults, so such a signal kills the child, and a child killed
  by a signal is a failed save like any other;
- start torch's intra-op thread pool (its threads do not exist in the child, and an OpenMP pool
  used before the fork can hang after it): ``torch.set_num_threads(1)`` comes first; the write
  itself only takes ``.numpy()`` views and writes files;
- run the cyclic garbage collector (it would touch, and so copy, every object's header, and run
  finalizers of the parent's objects): it is disabled;
- use CUDA: a CUDA context does not survive a fork, so the manager never forks once CUDA is
  initialised (``fork_blocker``) and copies instead;
- talk to remote storage: fsspec clients keep threads, event loops and connections that do not
  survive a fork (and ``memory://`` would write into the child's memory only), so only local
  directories are written by a child.

The child reports through a pipe: ``ok`` after the commit, or the exception's type and message.
Success needs both that word and a zero exit status. A child that outlives a killed parent
finishes (or abandons) its step exactly as a crashed writer would: atomically.
"""

from __future__ import annotations

import gc
import os
import signal
import warnings
from collections.abc import Callable

import torch

from ._errors import CheckpointError

__all__ = ["ForkedWrite", "fork_blocker", "fork_supported", "start"]

_OK = b"ok"


def fork_supported() -> bool:
    """Whether this platform has ``os.fork`` (POSIX)."""
    return os.name == "posix" and hasattr(os, "fork")


def fork_blocker() -> str | None:
    """Why forking now would be unsafe, or None when it is safe."""
    if not fork_supported():
        return "os.fork is not available on this platform"
    if torch.cuda.is_initialized():
        return "CUDA is initialised in this process (a CUDA context does not survive fork)"
    return None


class ForkedWrite:
    """A child process writing one step; ``wait`` reaps it and raises its failure."""

    def __init__(self, pid: int, rfd: int) -> None:
        self.pid, self._rfd = pid, rfd

    def wait(self) -> None:
        chunks = []
        try:
            while chunk := os.read(self._rfd, 65536):  # EOF when the child has exited
                chunks.append(chunk)
        finally:
            os.close(self._rfd)
        report = b"".join(chunks)
        try:
            _, status = os.waitpid(self.pid, 0)
            code = os.waitstatus_to_exitcode(status)
        except ChildProcessError:  # reaped by someone else (SIGCHLD ignored): trust the pipe
            code = 0 if report == _OK else None
        if code == 0 and report == _OK:
            return
        if code is not None and code < 0:
            why = f"was killed by signal {signal.Signals(-code).name}"
        elif report and report != _OK:
            why = f"failed: {report.decode('utf-8', 'replace')}"
        else:
            why = f"exited with status {code} without reporting success"
        raise CheckpointError(f"the writer process (pid {self.pid}) {why}")


def start(job: Callable[[], None]) -> ForkedWrite | None:
    """Fork; the child runs ``job`` and exits. None when the fork itself failed (no memory for
    the page tables, a process limit): the caller then saves another way."""
    rfd, wfd = os.pipe()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns about fork in a multi-threaded process; see NOTE [fork
            # snapshot] for what the child avoids so that other threads' locks do not matter.
            warnings.filterwarnings("ignore", ".*fork.*", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(rfd)
        os.close(wfd)
        return None
    if pid == 0:  # the child: never returns
        _child(job, rfd, wfd)
    os.close(wfd)
    return ForkedWrite(pid, rfd)


def _child(job: Callable[[], None], rfd: int, wfd: int) -> None:
    code, report = 1, b"the writer process failed before writing"
    try:
        os.close(rfd)
        gc.disable()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        torch.set_num_threads(1)
        job()
        code, report = 0, _OK
    except BaseException as e:  # noqa: BLE001 - everything is reported to the parent
        report = f"{type(e).__name__}: {e}".encode("utf-8", "replace")
    finally:
        try:
            view = memoryview(report)
            while view:
                view = view[os.write(wfd, view) :]
        finally:
            os._exit(code)
