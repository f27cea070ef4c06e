"""A pool of long-lived ranks for the multi-process tests.

Starting a rank costs seconds (importing torch), so the tests that only need a healthy job share
one ``paddle.distributed.spawn`` job per world size (session-scoped fixtures in conftest.py): each
rank joins the process group once, then runs the functions the test sends it and returns their
results. Tests that kill or hang a rank start their own job instead.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import traceback
from typing import Any

import paddlefish.distributed as dist


def _serve(tasks: list, results: list) -> None:
    rank = int(os.environ["PADDLE_TRAINER_ID"])
    dist.init_parallel_env()
    while True:
        job = tasks[rank].get()
        if job is None:
            os._exit(0)  # no teardown of the process group: the pool is done with it
        fn, args = job
        try:
            results[rank].put(("ok", fn(*args)))
        except BaseException:  # noqa: BLE001 (sent to the test as a traceback)
            results[rank].put(("err", traceback.format_exc()))


class Pool:
    """``n`` ranks of one job; ``run(fn, *args)`` calls ``fn(*args)`` on every rank."""

    def __init__(self, n: int, pg_timeout_ms: int = 30000) -> None:
        self.n, self.pg_timeout_ms, self.ctx = n, pg_timeout_ms, None

    def _start(self) -> None:
        mp = multiprocessing.get_context("spawn")
        self.tasks = [mp.Queue() for _ in range(self.n)]
        self.results = [mp.Queue() for _ in range(self.n)]
        old = os.environ.get("PADDLE_PG_TIMEOUT")
        os.environ["PADDLE_PG_TIMEOUT"] = str(self.pg_timeout_ms)
        try:
            self.ctx = dist.spawn(
                _serve, args=(self.tasks, self.results), nprocs=self.n, join=False
            )
        finally:
            if old is None:
                del os.environ["PADDLE_PG_TIMEOUT"]
            else:
                os.environ["PADDLE_PG_TIMEOUT"] = old

    def run(self, fn, *args: Any, timeout: float = 120.0) -> list:
        """The results of ``fn(*args)`` on ranks 0..n-1; a failure on any rank raises with its
        traceback (and the job is restarted for the next call)."""
        if self.ctx is None:
            self._start()
        for q in self.tasks:
            q.put((fn, args))
        out, errors = [], []
        for r, q in enumerate(self.results):
            try:
                kind, value = q.get(timeout=timeout)
            except queue.Empty:
                self.close()
                raise AssertionError(f"{fn.__name__}: rank {r} gave no result in {timeout} s")
            if kind == "err":
                errors.append(f"rank {r}:\n{value}")
            out.append(value)
        if errors:
            self.close()
            raise AssertionError(f"{fn.__name__} failed:\n" + "\n".join(errors))
        return out

    def close(self) -> None:
        if self.ctx is None:
            return
        for q in self.tasks:
            q.put(None)
        for p in self.ctx.processes:
            p.join(5)
        self.ctx.terminate()
        self.ctx = None
