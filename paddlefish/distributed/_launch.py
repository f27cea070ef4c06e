"""``python -m paddlefish.distributed.launch``: start one process per rank of a one-host job.

Flags are Paddle's launcher flags that apply on one host (``--nproc_per_node``, ``--devices``/
``--gpus``, ``--log_dir``, ``--job_id``, ``--start_port``, ``--master``, ``--nnodes 1``,
``--rank``, ``--log_level``, ``--log_overwrite``); each worker gets the environment of NOTE
[Paddle launcher environment] and writes ``{log_dir}/workerlog.{rank}``; rank 0's output is also
echoed to the launcher's stdout. When a worker fails the launcher stops the others and exits with
that worker's exit code.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time

import torch

from ._env import worker_env
from ._ports import free_endpoints

__all__ = ["main", "parse_args"]


def _strtobool(v: str) -> bool:
    return v.lower() in ("1", "true", "yes", "y", "t", "on")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m paddlefish.distributed.launch")
    p.add_argument("--master", type=str, default=None, help="rendezvous ip:port (rank 0 binds it)")
    p.add_argument("--rank", type=int, default=-1, help="the node rank (one host: 0 or -1)")
    p.add_argument("--log_level", type=str, default="INFO")
    p.add_argument("--log_overwrite", type=_strtobool, default=False)
    p.add_argument("--nnodes", type=str, default="1", help="number of nodes (one host: 1)")
    p.add_argument("--nproc_per_node", type=int, default=None, help="processes on this host")
    p.add_argument("--log_dir", type=str, default="log", help="where workerlog.N files go")
    p.add_argument("--run_mode", type=str, default=None, help="collective (the only one here)")
    p.add_argument("--job_id", type=str, default="default")
    p.add_argument("--devices", "--gpus", "--npus", "--xpus", type=str, default=None)
    p.add_argument("--host", type=str, default=None, help="this host's ip (default 127.0.0.1)")
    p.add_argument("--ips", type=str, default=None, help="one host: its ip")
    p.add_argument("--start_port", type=int, default=None, help="first endpoint port")
    p.add_argument("training_script", type=str)
    p.add_argument("training_script_args", nargs=argparse.REMAINDER)
    args = p.parse_args(argv)
    _check(args)
    return args


def _check(args: argparse.Namespace) -> None:
    if args.nnodes not in ("1", "1:1") or args.rank not in (-1, 0):
        sys.exit(
            f"launch: --nnodes {args.nnodes} --rank {args.rank}: this launcher starts the ranks of "
            "one host. For several hosts run the script on each host with PADDLE_TRAINER_ID, "
            "PADDLE_TRAINERS_NUM, MASTER_ADDR and MASTER_PORT set (see the README)."
        )
    if args.run_mode not in (None, "collective"):
        sys.exit(f"launch: --run_mode {args.run_mode!r} is not supported; use 'collective'.")
    if args.ips and len(args.ips.split(",")) > 1:
        sys.exit(f"launch: --ips {args.ips!r} names several hosts; this launcher runs one host.")


def _plan(args: argparse.Namespace) -> tuple[int, list[str], list[str], str]:
    devices = args.devices.split(",") if args.devices else []
    use_gpu = torch.cuda.is_available()
    n = args.nproc_per_node or (len(devices) if devices else (torch.cuda.device_count() or 1))
    host = args.host or (args.ips or "127.0.0.1")
    if args.master:
        mhost, mport = args.master.rsplit(":", 1)
        rest = free_endpoints(n - 1, host) if n > 1 else []
        endpoints = [f"{mhost}:{mport}", *rest]
    else:
        endpoints = free_endpoints(n, host, args.start_port)
    return n, endpoints, devices, "nccl" if use_gpu else "gloo"


def _tee(src, path: str, echo: bool) -> None:
    with open(path, "ab") as f:
        for line in iter(src.readline, b""):
            f.write(line)
            f.flush()
            if echo:
                sys.stdout.buffer.write(line)
                sys.stdout.flush()


def _start(args, n, endpoints, devices, backend) -> tuple[list, list]:
    os.makedirs(args.log_dir, exist_ok=True)
    procs, threads = [], []
    cmd = [sys.executable, "-u", args.training_script, *args.training_script_args]
    for rank in range(n):
        env = dict(os.environ)
        env.update(worker_env(rank, endpoints, backend))
        if backend == "nccl":
            env["FLAGS_selected_gpus"] = devices[rank] if devices else str(rank)
        log = os.path.join(args.log_dir, f"workerlog.{rank}")
        if args.log_overwrite or not os.path.exists(log):
            open(log, "wb").close()
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        t = threading.Thread(target=_tee, args=(p.stdout, log, rank == 0), daemon=True)
        t.start()
        procs.append(p)
        threads.append(t)
    return procs, threads


def _stop(procs: list) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 5
    for p in procs:
        try:
            p.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def _watch(procs: list, log_dir: str) -> int:
    while True:
        codes = [p.poll() for p in procs]
        bad = [(r, c) for r, c in enumerate(codes) if c not in (None, 0)]
        if bad:
            rank, code = bad[0]
            _stop(procs)
            print(
                f"launch: rank {rank} exited with code {code}; stopped the other ranks. See "
                f"{os.path.join(log_dir, f'workerlog.{rank}')} for its output.",
                file=sys.stderr,
            )
            return code if code > 0 else 1
        if all(c == 0 for c in codes):
            return 0
        time.sleep(0.1)


def main(argv: list[str] | None = None) -> int:
    """Run the launcher; returns the exit code (0 when every rank succeeded)."""
    args = parse_args(argv)
    n, endpoints, devices, backend = _plan(args)
    procs, threads = _start(args, n, endpoints, devices, backend)
    try:
        code = _watch(procs, args.log_dir)
    except KeyboardInterrupt:
        _stop(procs)
        code = 130
    for t in threads:
        t.join(5)
    return code
