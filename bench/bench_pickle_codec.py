"""Pickle codec benchmark: 1 GiB state dict (64 float32 tensors) save / eager load / lazy open.

Run: PYTHONPATH=. python bench/bench_pickle_codec.py [dir]. Prints seconds and peak traced extra memory.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc

import numpy as np

from paddlefish.formats import lazy_pickle, pdparams


def _timed(fn):
    tracemalloc.start()
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, dt, peak / 2**20


def main(d: str) -> None:
    rng = np.random.default_rng(0)
    arrays = {f"layer{i}.weight": rng.standard_normal(2**22, dtype="f4") for i in range(64)}
    raw_path, pk_path = os.path.join(d, "raw.bin"), os.path.join(d, "sd.pdparams")

    def raw():
        with open(raw_path, "wb", buffering=0) as f:
            f.writelines(memoryview(a).cast("B") for a in arrays.values())
            os.fsync(f.fileno())

    _, t_raw, _ = _timed(raw)
    for proto in (4, 3):
        sd = pdparams.encode_state_dict(arrays, {k: k for k in arrays}, proto)
        _, t_save, mem = _timed(
            lambda sd=sd, proto=proto: pdparams.save_pdparams(sd, pk_path, proto)
        )
        print(
            f"save p{proto}: {t_save:.2f}s (raw write {t_raw:.2f}s, x{t_save / t_raw:.2f}), "
            f"peak extra {mem:.1f} MiB"
        )
    times = []
    for _ in range(3):  # without tracemalloc, which slows the interpreter loop several-fold
        t0 = time.perf_counter()
        lazy_pickle.load(pk_path)
        times.append(time.perf_counter() - t0)
    print(f"lazy open: {min(times) * 1000:.1f} ms (best of 3)")
    _, t_load, mem = _timed(lambda: pdparams.load_pdparams(pk_path))
    print(f"eager load: {t_load:.2f}s, peak {mem:.0f} MiB")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp())
