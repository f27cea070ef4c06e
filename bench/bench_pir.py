"""PIR ``.json`` speed (issue 8): ``jit.save`` / ``jit.load`` of a ResNet-18 in PIR, paddlefish vs
real Paddle 3.3, and the run speed of one model loaded from ``.json`` vs from ``.pdmodel``.

1. save / load: every timed call runs in a fresh subprocess (real Paddle and torch never share a
   process), contenders interleaved per round. A worker imports its framework, builds
   ``vision.models.resnet18()`` (or, for load, nothing), touches and frees ~2.5x the model's
   bytes so allocator state is comparable, then times the *first* call in the process ("cold":
   what a script that saves or loads once pays, including the dy2static conversion of the
   Layer) and, after warming memory again, a *second* call ("warm"); the framework's import
   time is reported beside them ("import"). A third contender, paddlefish with torch's lazily
   imported modules (``torch._dynamo``, sympy: what the first meta kernel of a process pulls in)
   imported before the clock starts, shows how much of paddlefish's cold save they are.
   paddlefish saves with
   ``FLAGS_enable_pir_api`` on; both load the same file, the one real Paddle 3.3 wrote.
2. run: paddlefish loads that file as ``.json`` and as a ``.pdmodel`` converted from it
   (``paddlefish convert``), and runs both at batch 1 and 8 (224x224) under ``no_grad``,
   alternating per iteration, one torch thread; reports median ms and the ratio json/pdmodel.

    python bench/bench_pir.py [--rounds 5] [--iters 20] [--dir /tmp/pf_bench_pir] [--skip-run]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL_BYTES = 11_699_112 * 4  # resnet18 fp32 parameters


def _warm() -> None:
    import numpy as np

    buf = np.ones(int(MODEL_BYTES * 2.5) // 8, dtype=np.float64)
    del buf


def _framework(contender: str):
    if contender == "paddlefish":
        sys.path.insert(0, ROOT)
        import paddlefish as paddle

        paddle.set_flags({"FLAGS_enable_pir_api": True})
        return paddle
    import paddle

    return paddle


def _worker(contender: str, op: str, prefix: str) -> dict:
    t0 = time.perf_counter()
    paddle = _framework(contender.removesuffix("+torch"))
    t_import = time.perf_counter() - t0
    if contender.endswith("+torch"):
        # what torch imports lazily the first time a meta kernel runs (torch._check ->
        # symbolic_shapes -> sympy; torch._refs' _disable_dynamo -> torch._dynamo), done up front
        # to show how much of paddlefish's cold save it is
        import torch._dynamo
        import torch.fx.experimental.symbolic_shapes  # noqa: F401

        t_import = time.perf_counter() - t0 - t_import
    if op == "save":
        paddle.seed(0)
        layer = paddle.vision.models.resnet18()
        layer.eval()
        spec = [paddle.static.InputSpec([None, 3, 224, 224], "float32", "x")]

        def call(p):
            return paddle.jit.save(layer, p, input_spec=spec)

        targets = [prefix + ".cold/model", prefix + ".warm/model"]
    else:

        def call(p):
            return paddle.jit.load(p)

        targets = [prefix, prefix]
    times = []
    for target in targets:
        _warm()
        t0 = time.perf_counter()
        result = call(target)
        times.append(time.perf_counter() - t0)
        del result
    return {"import": t_import, "cold": times[0], "warm": times[1]}


def _spawn(contender: str, op: str, prefix: str) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.setdefault("OMP_NUM_THREADS", "1")
    env["GLOG_minloglevel"] = "3"
    r = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--worker", contender, op, prefix],
        check=False,
        capture_output=True,
        text=True,
        cwd="/tmp",
        env=env,
    )
    if r.returncode != 0:
        raise RuntimeError(f"{contender} {op} failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def bench_save_load(d: str, rounds: int) -> str:
    """Returns the prefix of real Paddle's export (for the run benchmark)."""
    results: dict = {}
    for r in range(rounds):
        for c in ("paddlefish", "paddle", "paddlefish+torch"):
            prefix = os.path.join(d, f"{c}_{r}")
            results.setdefault((c, "save"), []).append(_spawn(c, "save", prefix))
        ref = os.path.join(d, f"paddle_{r}.cold", "model")
        for c in ("paddlefish", "paddle") if r % 2 == 0 else ("paddle", "paddlefish"):
            results.setdefault((c, "load"), []).append(_spawn(c, "load", ref))
    print(f"\n## jit.save / jit.load of a PIR ResNet-18 ({rounds} rounds, median s)")
    print("| op | call | paddlefish | Paddle 3.3 | paddlefish / Paddle |")
    print("|---|---|---|---|---|")
    for op in ("save", "load"):
        for call in ("import", "cold", "warm"):
            pf = statistics.median(x[call] for x in results[("paddlefish", op)])
            pd = statistics.median(x[call] for x in results[("paddle", op)])
            print(f"| {op} | {call} | {pf:.3f} | {pd:.3f} | {pf / pd:.2f} |")
    pre = results[("paddlefish+torch", "save")]
    lazy = statistics.median(x["import"] for x in pre)
    cold = statistics.median(x["cold"] for x in pre)
    pd = statistics.median(x["cold"] for x in results[("paddle", "save")])
    print(
        f"\npaddlefish cold save with torch's lazy imports done first: {cold:.3f} s "
        f"({cold / pd:.2f}x Paddle's cold save); those imports alone: {lazy:.3f} s"
    )
    return os.path.join(d, "paddle_0.cold", "model")


def bench_run(d: str, src: str, iters: int) -> None:
    sys.path.insert(0, ROOT)
    import numpy as np
    import torch

    import paddlefish as paddle
    from paddlefish.jit.convert import convert_program

    # one intra-op thread: on a shared 2-core machine torch's thread pool contends with other
    # processes and the medians swing 10x; both contenders run the same kernels anyway
    torch.set_num_threads(1)

    pir_prefix = os.path.join(d, "run_json", "model")
    os.makedirs(os.path.dirname(pir_prefix), exist_ok=True)
    for ext in (".json", ".pdiparams"):
        shutil.copy(src + ext, pir_prefix + ext)
    legacy_prefix = os.path.join(d, "run_pdmodel", "model")
    convert_program(pir_prefix, legacy_prefix, "legacy")
    layers = {"json": paddle.jit.load(pir_prefix), "pdmodel": paddle.jit.load(legacy_prefix)}
    print(f"\n## run: ResNet-18 loaded from .json vs .pdmodel in paddlefish ({iters} iters, ms)")
    print("| batch | .json median | .pdmodel median | json / pdmodel |")
    print("|---|---|---|---|")
    for batch in (1, 8):
        x = paddle.to_tensor(
            np.random.default_rng(0).standard_normal((batch, 3, 224, 224), dtype=np.float32)
        )
        times: dict = {"json": [], "pdmodel": []}
        with paddle.no_grad():
            for layer in layers.values():  # warm-up
                layer(x)
            a = layers["json"](x).numpy()
            b = layers["pdmodel"](x).numpy()
            assert np.array_equal(a, b), "the two loads disagree"
            for i in range(iters):
                order = ("json", "pdmodel") if i % 2 == 0 else ("pdmodel", "json")
                for k in order:
                    t0 = time.perf_counter()
                    layers[k](x)
                    times[k].append(time.perf_counter() - t0)
        j, p = (statistics.median(times[k]) * 1e3 for k in ("json", "pdmodel"))
        print(f"| {batch} | {j:.1f} | {p:.1f} | {j / p:.3f} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--dir", default="/tmp/pf_bench_pir")
    ap.add_argument("--skip-run", action="store_true")
    ap.add_argument("--worker", nargs=3)
    a = ap.parse_args()
    if a.worker:
        print(json.dumps(_worker(*a.worker)))
        return
    shutil.rmtree(a.dir, ignore_errors=True)
    os.makedirs(a.dir)
    src = bench_save_load(a.dir, a.rounds)
    if not a.skip_run:
        bench_run(a.dir, src, a.iters)
    shutil.rmtree(a.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
