"""How long ``CheckpointManager.save`` blocks the training loop: synchronous vs ``async_save``.

A 1 GiB model (64 fp32 ``Linear(2048, 2048)`` layers) is saved to a local folder, alternating
sync and async saves. An untimed first save of each
kind comes first (the async one allocates the staging buffers that later saves reuse, see NOTE
[staging buffers]; its blocked time is reported as ``first_async_blocked_s``). Before each
timed call the memory is warmed (touch and free ~2.5x the data
size) and, for async, the previous background write has finished (``wait()``, untimed), so each
timed call is the loop's blocked time for one save. Reports medians and the ratio async/sync
(the issue's bar: async blocks the loop for at most 10% of a synchronous save).

    python bench/bench_checkpoint_async.py [--reps 5] [--dir /tmp/pf_ck_bench] [--gib 1.0]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import time

import numpy as np

import paddlefish as paddle
from paddlefish.checkpoint import CheckpointManager


def warm(nbytes: int) -> None:
    a = np.ones(nbytes // 8, dtype=np.float64)  # touched page by page, then freed
    del a


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--dir", default="/tmp/pf_ck_bench")
    ap.add_argument("--gib", type=float, default=1.0)
    args = ap.parse_args()
    n_layers = max(1, round(args.gib * 64))
    net = paddle.nn.Sequential(*[paddle.nn.Linear(2048, 2048) for _ in range(n_layers)])
    nbytes = sum(int(np.prod(p.shape)) * 4 for p in net.parameters())
    shutil.rmtree(args.dir, ignore_errors=True)
    sync = CheckpointManager(f"{args.dir}/sync", max_to_keep=1)
    asyn = CheckpointManager(f"{args.dir}/async", max_to_keep=1, async_save=True)
    t0 = time.perf_counter()
    sync.save(0, model=net)  # untimed first saves: folders made, async staging buffers allocated
    first_sync = time.perf_counter() - t0
    t0 = time.perf_counter()
    asyn.save(0, model=net)
    first_async = time.perf_counter() - t0
    asyn.wait()
    t_sync, t_async, t_bg = [], [], []
    for step in range(1, args.reps + 1):
        warm(int(2.5 * nbytes))
        t0 = time.perf_counter()
        sync.save(step, model=net)
        t_sync.append(time.perf_counter() - t0)
        warm(int(2.5 * nbytes))
        t0 = time.perf_counter()
        asyn.save(step, model=net)
        t_async.append(time.perf_counter() - t0)
        asyn.wait()
        t_bg.append(time.perf_counter() - t0)
    asyn.close()
    ms, ma, mb = (statistics.median(t) for t in (t_sync, t_async, t_bg))
    res = {
        "model_bytes": nbytes, "reps": args.reps, "sync_median_s": round(ms, 4),
        "async_blocked_median_s": round(ma, 4), "async_until_durable_median_s": round(mb, 4),
        "ratio_blocked_to_sync": round(ma / ms, 4), "sync_s": [round(t, 4) for t in t_sync],
        "async_blocked_s": [round(t, 4) for t in t_async],
        "first_sync_s": round(first_sync, 4), "first_async_blocked_s": round(first_async, 4),
    }  # fmt: skip
    print(json.dumps(res, indent=1))
    print(f"| {nbytes / 2**30:.2f} GiB | {ms:.3f} | {ma:.3f} | {mb:.3f} | {ma / ms:.3f} |")
    shutil.rmtree(args.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
