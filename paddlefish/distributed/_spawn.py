"""``paddle.distributed.spawn``: run ``func(*args)`` in ``nprocs`` fresh processes of one job."""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any

import torch

from ._env import worker_env
from ._ports import free_endpoints

__all__ = ["MultiprocessContext", "spawn"]

_OPTIONS = ("backend", "ips", "gpus", "started_port", "print_config")


def _worker(func, args, error_queue, return_queue, env: dict[str, str]) -> None:
    os.environ.update(env)
    try:
        return_queue.put(func(*args))
    except KeyboardInterrupt:
        pass
    except Exception:  # noqa: BLE001 (any failure goes to the parent as a traceback)
        error_queue.put(traceback.format_exc())
        sys.exit(1)


class ProcessRaisedException(Exception):
    """A spawned process ended with an error; the message carries its traceback."""


class MultiprocessContext:
    """The processes ``spawn`` started; ``join`` waits for them and fails fast on the first error
    (terminating the others)."""

    def __init__(self, processes, error_queues, return_queues) -> None:
        self.processes = processes
        self.error_queues = error_queues
        self.return_queues = return_queues
        self.sentinels = {p.sentinel: i for i, p in enumerate(processes)}

    def join(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` seconds; True when every process has finished successfully."""
        if not self.sentinels:
            return True
        ready = multiprocessing.connection.wait(list(self.sentinels), timeout=timeout)
        failed = None
        for s in ready:
            i = self.sentinels.pop(s)
            self.processes[i].join()
            if self.processes[i].exitcode != 0 and failed is None:
                failed = i
        if failed is None:
            return not self.sentinels
        self.terminate()
        code = self.processes[failed].exitcode
        if self.error_queues[failed].empty():
            raise ProcessRaisedException(
                f"spawn: process {failed} terminated with exit code {code} and no Python "
                "traceback (killed by a signal or os._exit); the other processes were stopped."
            )
        raise ProcessRaisedException(
            "\n\n----------------------------------------------\n"
            f"Process {failed} terminated with the following error:\n"
            "----------------------------------------------\n\n" + self.error_queues[failed].get()
        )

    def terminate(self) -> None:
        """Stop every process still running (SIGTERM, then SIGKILL after 5 s)."""
        for p in self.processes:
            if p.is_alive():
                p.terminate()
        for p in self.processes:
            p.join(5)
            if p.is_alive():
                p.kill()
                p.join()
        self.sentinels.clear()


def _check_options(options: dict[str, Any]) -> None:
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise ValueError(f"spawn: unknown options {unknown}; valid options are {list(_OPTIONS)}.")
    ips = options.get("ips")
    if ips not in (None, "", "127.0.0.1", "localhost"):
        raise ValueError(
            f"spawn: ips={ips!r}; spawn starts processes on this host only. For several hosts, "
            "run `python -m paddlefish.distributed.launch` on each with MASTER_ADDR/MASTER_PORT."
        )


def spawn(
    func: Callable[..., Any],
    args: Iterable[Any] = (),
    nprocs: int = -1,
    join: bool = True,
    daemon: bool = False,
    **options: Any,
) -> MultiprocessContext:
    """Start ``nprocs`` processes (``-1``: one per GPU, or per CPU core without GPUs), each with
    the launcher's environment (see NOTE [Paddle launcher environment]), that run
    ``func(*args)``; ``func`` calls ``init_parallel_env()``. With ``join`` (default) wait for them
    and raise the first failure's traceback.

    >>> import paddlefish.distributed as dist
    >>> callable(dist.spawn)
    True
    """
    _check_options(options)
    if nprocs == -1:
        nprocs = torch.cuda.device_count() or multiprocessing.cpu_count()
    if not isinstance(nprocs, int) or nprocs < 1:
        raise ValueError(f"spawn: nprocs must be a positive integer or -1, got {nprocs!r}.")
    backend = options.get("backend", "auto")
    if backend == "auto":
        backend = "nccl" if torch.cuda.is_available() else "gloo"
    endpoints = free_endpoints(nprocs, start_port=options.get("started_port"))
    ctx = multiprocessing.get_context("spawn")
    procs, errs, rets = [], [], []
    for rank in range(nprocs):
        env = worker_env(rank, endpoints, backend)
        if backend == "nccl":
            gpus = options.get("gpus")
            env["FLAGS_selected_gpus"] = gpus.split(",")[rank] if gpus else str(rank)
        err, ret = ctx.SimpleQueue(), ctx.SimpleQueue()
        p = ctx.Process(target=_worker, args=(func, tuple(args), err, ret, env), daemon=daemon)
        p.start()
        procs.append(p)
        errs.append(err)
        rets.append(ret)
    context = MultiprocessContext(procs, errs, rets)
    if join:
        try:
            while not context.join():
                pass
        except BaseException:
            context.terminate()
            raise
    return context
