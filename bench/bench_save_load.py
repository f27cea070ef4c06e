"""Benchmark paddle.save / paddle.load against real Paddle, torch, safetensors and raw file I/O.

Every timed call runs in a fresh subprocess (real Paddle and torch never share a process), right
after touching and freeing ~2.5x the data size (so allocator state is comparable), with contenders
interleaved per repetition. Reports the median seconds, GB/s, peak extra RSS (sampled every 1 ms
by a thread reading /proc/self/statm) and the ratio to raw sequential I/O of the same bytes.
Raw write includes fsync, as paddlefish's atomic save does; torch/Paddle/safetensors do not fsync.

    python bench/bench_save_load.py [--reps 3] [--cases big,many] [--dir /tmp/pf_bench]
        [--contenders raw,paddlefish] [--ops load,load_mmap]  # quick subsets (raw always runs)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = {"big": (64, 4 * 1024 * 1024), "many": (1000, 25 * 1024)}  # (tensors, fp32 elements)
CONTENDERS = ["raw", "paddlefish", "paddle", "torch", "safetensors"]
OPS = ["save", "load", "load_mmap"]


class PeakRSS:
    """Peak resident set size above the value at start, sampled by a thread."""

    def __init__(self) -> None:
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.base = self.peak = self.rss()
        self.stop = False
        self.t = threading.Thread(target=self.run, daemon=True)

    def rss(self) -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * self.page

    def run(self) -> None:
        while not self.stop:
            self.peak = max(self.peak, self.rss())
            time.sleep(0.001)

    def __enter__(self) -> PeakRSS:  # noqa: PYI034
        self.t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop = True
        self.t.join()
        self.peak = max(self.peak, self.rss())


def _warm(nbytes: int) -> None:
    import numpy as np

    buf = np.ones(int(nbytes * 2.5) // 8, dtype=np.float64)
    del buf


def _arrays(n: int, numel: int):
    import numpy as np

    rng = np.random.default_rng(0)
    return {f"layer_{i}.w_0": rng.standard_normal(numel, dtype=np.float32) for i in range(n)}


def _worker(contender: str, op: str, case: str, path: str) -> dict:
    n, numel = CASES[case]
    nbytes = n * numel * 4
    fn = _prepare(contender, op, n, numel, path)
    _warm(nbytes)
    with PeakRSS() as mem:
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
    del result
    return {"s": dt, "peak_mib": (mem.peak - mem.base) / 2**20, "bytes": nbytes}


def _prepare(contender: str, op: str, n: int, numel: int, path: str):
    if op == "save":
        arrays = _arrays(n, numel)
    return globals()[f"_{contender}_{op}"](arrays if op == "save" else None, path)


def _raw_save(arrays, path):
    def run():
        with open(path, "wb", buffering=0) as f:
            f.writelines(memoryview(a) for a in arrays.values())
            os.fsync(f.fileno())

    return run


def _raw_load(_, path):
    import numpy as np

    def run():
        out = []
        with open(path, "rb", buffering=0) as f:
            size = os.fstat(f.fileno()).st_size
            buf = np.empty(size, np.uint8)
            f.readinto(memoryview(buf))
            out.append(buf)
        return out

    return run


def _raw_load_mmap(_, path):
    import numpy as np

    return lambda: np.memmap(path, np.uint8, mode="r")


def _paddlefish_save(arrays, path):
    sys.path.insert(0, ROOT)
    import paddlefish as pf
    from paddlefish.framework import save

    sd = {k: pf.to_tensor(v) for k, v in arrays.items()}
    for k, t in sd.items():
        t.name = k
    arrays.clear()
    return lambda: save(sd, path)


def _paddlefish_load(_, path):
    sys.path.insert(0, ROOT)
    from paddlefish.framework import load

    return lambda: load(path)


def _paddlefish_load_mmap(_, path):
    sys.path.insert(0, ROOT)
    from paddlefish.framework import load

    return lambda: load(path, mmap=True)


def _paddle_save(arrays, path):
    import paddle

    sd = {k: paddle.to_tensor(v) for k, v in arrays.items()}
    arrays.clear()
    return lambda: paddle.save(sd, path)


def _paddle_load(_, path):
    import paddle

    return lambda: paddle.load(path)


def _torch_save(arrays, path):
    import torch

    sd = {k: torch.from_numpy(v) for k, v in arrays.items()}
    return lambda: torch.save(sd, path)


def _torch_load(_, path):
    import torch

    return lambda: torch.load(path, weights_only=True)


def _torch_load_mmap(_, path):
    import torch

    return lambda: torch.load(path, weights_only=True, mmap=True)


def _safetensors_save(arrays, path):
    import torch
    from safetensors.torch import save_file

    sd = {k: torch.from_numpy(v) for k, v in arrays.items()}
    return lambda: save_file(sd, path)


def _safetensors_load(_, path):
    from safetensors.torch import load_file

    return lambda: load_file(path)


def _spawn(contender: str, op: str, case: str, path: str) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    r = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--worker", contender, op, case, path],
        check=False,
        capture_output=True,
        text=True,
        cwd="/tmp",
        env=env,
    )
    if r.returncode != 0:
        raise RuntimeError(f"{contender} {op} {case} failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def _has(contender: str, op: str) -> bool:
    return f"_{contender}_{op}" in globals()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--cases", default="big,many")
    ap.add_argument("--dir", default="/tmp/pf_bench")
    ap.add_argument("--contenders", default=",".join(CONTENDERS))
    ap.add_argument("--ops", default=",".join(OPS))
    ap.add_argument("--worker", nargs=4)
    a = ap.parse_args()
    if a.worker:
        print(json.dumps(_worker(*a.worker)))
        return
    os.makedirs(a.dir, exist_ok=True)
    contenders = ["raw"] + [c for c in a.contenders.split(",") if c in CONTENDERS and c != "raw"]
    for case in a.cases.split(","):
        results: dict = {}
        for _ in range(a.reps):
            for c in contenders:
                path = os.path.join(a.dir, f"{case}.{c}")
                for op in OPS:
                    if _has(c, op) and (op in a.ops.split(",") or op == "save"):
                        results.setdefault((c, op), []).append(_spawn(c, op, case, path))
        _report(case, results)
        for c in contenders:
            os.unlink(os.path.join(a.dir, f"{case}.{c}"))


def _report(case: str, results: dict) -> None:
    n, numel = CASES[case]
    print(f"\n## case {case}: {n} fp32 tensors x {numel * 4 / 2**20:.3g} MiB")
    print("| contender | op | median s | GB/s | peak extra MiB | x raw |")
    print("|---|---|---|---|---|---|")
    for (c, op), runs in results.items():
        s = statistics.median(r["s"] for r in runs)
        gbs = runs[0]["bytes"] / s / 1e9
        peak = max(r["peak_mib"] for r in runs)
        raw_op = "load" if op == "load_mmap" and ("raw", op) not in results else op
        raw = statistics.median(r["s"] for r in results[("raw", raw_op)])
        print(f"| {c} | {op} | {s:.4f} | {gbs:.2f} | {peak:.0f} | {s / raw:.2f} |")


if __name__ == "__main__":
    main()
