"""Distributed checkpoint throughput: ``save_state_dict`` / ``load_state_dict`` of a sharded state
dict (default 1 GiB: 16 float32 tensors of 64 MiB, each ``Shard(0)``) with 1, 2 and 4 ranks
(gloo jobs on this host), against one process writing it all with ``paddle.save`` (paddlefish,
and real Paddle 3.3: ``paddle.save`` and its own one-process ``save_state_dict``).

The rank jobs stay up for the whole run (each rank holds only its slices); the one-process
contenders run in a fresh subprocess per repetition (real Paddle never shares a process with
torch). Before every timed call each process touches and frees ~2.5x the bytes it will handle;
contenders are interleaved per repetition; the table gives medians, GB/s and the ratio to
paddlefish's one-process ``paddle.save`` / ``paddle.load``. paddlefish fsyncs every file it
writes (atomic save); real Paddle does not. Loads read what the save just wrote, mostly from the
page cache (the machine's caches are not dropped).

    python bench/bench_dist_checkpoint.py [--size-mib 1024] [--ranks 1,2,4] [--reps 3]
        [--dir /tmp/pf_dcp_bench] [--no-paddle]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import queue
import shutil
import statistics
import subprocess
import sys
import textwrap
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N_TENSORS = 16


def _warm(nbytes: int) -> None:
    import numpy as np

    buf = np.ones(int(nbytes * 2.5) // 8 + 1, dtype=np.float64)
    del buf


def _rows(size_mib: int) -> tuple[int, int]:
    cols = 4096
    return size_mib * 1024 * 1024 // 4 // N_TENSORS // cols, cols


# ---- the rank jobs ------------------------------------------------------------------------------


def _rank(tasks, results, size_mib: int) -> None:
    import traceback

    try:
        _rank_loop(tasks, results, size_mib)
    except BaseException:
        results.put(("error", traceback.format_exc()))
        raise


def _rank_loop(tasks, results, size_mib: int) -> None:
    import numpy as np
    import torch

    import paddlefish.distributed as dist
    from paddlefish.distributed import _sharding

    dist.init_parallel_env()
    rank, n = dist.get_rank(), dist.get_world_size()
    rows, cols = _rows(size_mib)
    mesh = dist.ProcessMesh(list(range(n)), dim_names=["x"])
    rng = np.random.default_rng(rank)
    sd = {}
    for i in range(N_TENSORS):
        off, shape = _sharding.local_offset_and_shape([rows, cols], mesh, [dist.Shard(0)], rank)
        local = rng.standard_normal(shape, dtype=np.float32)
        sd[f"layer_{i}.w_0"] = _sharding._make(
            torch.from_numpy(local), (rows, cols), mesh, [dist.Shard(0)], off, None
        )
    local_bytes = sum(t._t.numel() * 4 for t in sd.values())
    results.put(("ready", rank))
    while True:
        job = tasks[rank].get()
        if job is None:
            os._exit(0)
        op, path = job
        _warm(local_bytes)
        if n > 1:
            dist.barrier()
        t0 = time.perf_counter()
        if op == "save":
            dist.save_state_dict(sd, path, unique_id=0)
        else:
            dist.load_state_dict(sd, path, unique_id=0)
        dt = time.perf_counter() - t0
        if rank == 0:
            results.put((op, dt))


class Job:
    def __init__(self, n: int, size_mib: int) -> None:
        import paddlefish.distributed as dist

        mp = multiprocessing.get_context("spawn")
        self.n = n
        self.tasks = [mp.Queue() for _ in range(n)]
        self.results = mp.Queue()
        self.ctx = dist.spawn(
            _rank, args=(self.tasks, self.results, size_mib), nprocs=n, join=False
        )
        for _ in range(n):
            self._get(600)

    def _get(self, timeout: float):
        try:
            got = self.results.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"{self.n}-rank job gave no result in {timeout} s") from None
        if got[0] == "error":
            raise RuntimeError(f"{self.n}-rank job failed:\n{got[1]}")
        return got

    def run(self, op: str, path: str) -> float:
        for q in self.tasks:
            q.put((op, path))
        got_op, dt = self._get(900)
        assert got_op == op
        return dt

    def close(self) -> None:
        for q in self.tasks:
            q.put(None)
        for p in self.ctx.processes:
            p.join(10)
        self.ctx.terminate()


# ---- the one-process contenders -------------------------------------------------------------------

ONE_PROCESS = {
    "paddlefish": """
import paddlefish as paddle
def make(a): return paddle.to_tensor(a)
""",
    "paddle": """
import paddle
def make(a): return paddle.to_tensor(a)
""",
}

ONE_PROCESS_BODY = """
import json, os, sys, time
import numpy as np
rows, cols, n, op, path, kind = {rows}, {cols}, {n}, {op!r}, {path!r}, {kind!r}
rng = np.random.default_rng(0)
sd = {{f"layer_{{i}}.w_0": make(rng.standard_normal((rows, cols), dtype=np.float32))
       for i in range(n)}}
nbytes = rows * cols * 4 * n
def warm():
    buf = np.ones(int(nbytes * 2.5) // 8 + 1); del buf
if op == "load" and not os.path.exists(path):  # a save to read back first (not timed)
    (paddle.save(sd, path) if kind == "save" else paddle.distributed.save_state_dict(sd, path))
warm()
t0 = time.perf_counter()
if kind == "save":
    if op == "save": paddle.save(sd, path)
    else: out = paddle.load(path)
else:
    if op == "save": paddle.distributed.save_state_dict(sd, path, unique_id=0)
    else: paddle.distributed.load_state_dict(sd, path, unique_id=0)
print("RESULT", json.dumps(time.perf_counter() - t0))
"""


def _one_process(contender: str, kind: str, op: str, path: str, size_mib: int) -> float:
    rows, cols = _rows(size_mib)
    code = ONE_PROCESS[contender] + ONE_PROCESS_BODY.format(
        rows=rows, cols=cols, n=N_TENSORS, op=op, path=path, kind=kind
    )
    env = dict(os.environ, PYTHONPATH=ROOT, GLOG_minloglevel="2")
    r = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=1200,
        check=False,
    )
    lines = [x for x in r.stdout.splitlines() if x.startswith("RESULT ")]
    if r.returncode != 0 or not lines:
        raise RuntimeError(f"{contender} {kind} {op} failed:\n{r.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT ") :])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mib", type=int, default=1024)
    ap.add_argument("--ranks", default="1,2,4")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/pf_dcp_bench")
    ap.add_argument("--no-paddle", action="store_true", help="skip real Paddle 3.3")
    args = ap.parse_args()
    ranks = [int(x) for x in args.ranks.split(",")]
    shutil.rmtree(args.dir, ignore_errors=True)
    os.makedirs(args.dir)
    gb = args.size_mib / 1024 * 1.073741824  # GB (1e9 bytes)
    jobs = {n: Job(n, args.size_mib) for n in ranks}
    singles = [("paddlefish", "save", "paddlefish paddle.save (1 process)")]
    if not args.no_paddle:
        singles += [
            ("paddle", "save", "Paddle 3.3 paddle.save (1 process)"),
            ("paddle", "dcp", "Paddle 3.3 save_state_dict (1 process)"),
        ]
    times: dict = {}
    try:
        for rep in range(args.reps):
            for op in ("save", "load"):
                for n, job in jobs.items():
                    label = f"paddlefish save_state_dict, {n} rank{'s' if n > 1 else ''}"
                    dt = job.run(op, os.path.join(args.dir, f"dcp{n}"))
                    times.setdefault((label, op), []).append(dt)
                for contender, kind, label in singles:
                    path = os.path.join(
                        args.dir, f"{contender}_{kind}" + (".pd" if kind == "save" else "")
                    )
                    dt = _one_process(contender, kind, op, path, args.size_mib)
                    times.setdefault((label, op), []).append(dt)
            print(f"rep {rep + 1}/{args.reps} done", file=sys.stderr, flush=True)
    finally:
        for job in jobs.values():
            job.close()
        shutil.rmtree(args.dir, ignore_errors=True)
    base = {op: statistics.median(times[(singles[0][2], op)]) for op in ("save", "load")}
    print(
        f"\n{args.size_mib} MiB state dict ({N_TENSORS} float32 tensors), medians of {args.reps}\n"
    )
    print(
        "| contender | save s | save GB/s | save vs paddle.save | load s | load GB/s | load vs paddle.load |"
    )
    print("|---|---|---|---|---|---|---|")
    labels = list(dict.fromkeys(k[0] for k in times))
    for label in labels:
        s, l_ = (statistics.median(times[(label, op)]) for op in ("save", "load"))
        print(
            f"| {label} | {s:.2f} | {gb / s:.2f} | {base['save'] / s:.2f}x | {l_:.2f} | "
            f"{gb / l_:.2f} | {base['load'] / l_:.2f}x |"
        )
    print("\n(ratios > 1: faster than paddlefish's one-process paddle.save / paddle.load)")


if __name__ == "__main__":
    main()
