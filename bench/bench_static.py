"""Static-graph speed (issue 9).

1. ``Executor.run`` of a loaded inference program vs ``TranslatedLayer`` (``jit.load``) on the
   same files: a 12-layer MLP at batch 16 (compute-bound-ish) and a 200-op ``scale``/``relu``
   chain (per-op overhead). Both in one paddlefish process, interleaved (order alternating);
   reports the median round and, beside it, the ratio of the best rounds.
   Then the fixed per-call cost alone: the same two calls with the interpreter stubbed out
   (``CompiledBlock.run`` stores a constant), CPU time (``process_time``), best of 30 rounds of
   300 calls: steadier than wall time on a shared machine.
2. Loading a 1.x ``save_inference_model`` directory of 200 per-variable files (written by real
   Paddle 2.6): paddlefish ``static.load_inference_model`` vs Paddle 2.6's, each in its own
   subprocess (paddle and torch never in one process), interleaved, median of rounds.

    python bench/bench_static.py [--rounds 5] [--skip-load]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
P26 = os.path.join(ROOT, ".oracle", "p26", "bin", "python")

WRITE_DIR = textwrap.dedent("""
    import os, sys, numpy as np, paddle
    paddle.enable_static()
    d = sys.argv[1]
    main, startup = paddle.static.Program(), paddle.static.Program()
    with paddle.static.program_guard(main, startup):
        x = paddle.static.data("x", [None, 16], "float32")
        h = x
        for i in range(100):
            h = paddle.static.nn.fc(h, 16, activation="relu")
    exe = paddle.static.Executor(paddle.CPUPlace()); exe.run(startup)
    model = paddle.static.serialize_program([x], [h], program=main)
    infer = paddle.static.normalize_program(main, [x], [h])
    os.makedirs(d, exist_ok=True)
    paddle.static.save_to_file(os.path.join(d, "__model__"), model)
    pv = [v for v in infer.list_vars() if paddle.static.io.is_persistable(v)]
    paddle.static.save_vars(exe, d, infer, vars=pv)
    print(len(pv))
""")

LOAD = textwrap.dedent("""
    import sys, time, json
    which, d = sys.argv[1], sys.argv[2]
    if which == "paddle":
        import paddle
    else:
        import paddlefish as paddle
    paddle.enable_static()
    exe = paddle.static.Executor(paddle.CPUPlace())
    paddle.static.load_inference_model(d, exe, model_filename="__model__")  # warm caches
    times = []
    for _ in range(5):
        with paddle.static.scope_guard(paddle.static.Scope()):
            t = time.perf_counter()
            paddle.static.load_inference_model(d, exe, model_filename="__model__")
            times.append(time.perf_counter() - t)
    print(json.dumps(sorted(times)[len(times) // 2]))
""")

RUN = textwrap.dedent("""
    import sys, time, json, statistics, numpy as np, torch
    import paddlefish as paddle
    torch.set_num_threads(2)
    d, rounds = sys.argv[1], int(sys.argv[2])
    res = {}
    for task in ("mlp", "chain"):
        main, startup = paddle.static.Program(), paddle.static.Program()
        paddle.enable_static()
        with paddle.static.program_guard(main, startup):
            x = paddle.static.data("x", [None, 64], "float32")
            h = x
            if task == "mlp":
                for i in range(12):
                    h = paddle.static.nn.fc(h, 64, activation="relu")
            else:
                for i in range(200):
                    h = paddle.nn.functional.relu(h * 1.01) if i % 2 else h * 0.99
        exe = paddle.static.Executor(paddle.CPUPlace())
        exe.run(startup)
        prefix = d + "/" + task
        paddle.static.save_inference_model(prefix, [x], [h], exe, program=main)
        with paddle.static.scope_guard(paddle.static.Scope()):
            prog, feeds, fetch = paddle.static.load_inference_model(prefix, exe)
            paddle.disable_static()
            layer = paddle.jit.load(prefix); layer.eval()
            xs = np.random.rand(16 if task == "mlp" else 1, 64).astype("float32")
            xt = paddle.to_tensor(xs)
            def ex():
                return exe.run(prog, feed={"x": xs}, fetch_list=fetch, return_numpy=False)
            def tl():
                with paddle.no_grad():
                    return layer(xt)
            np.testing.assert_allclose(ex()[0].numpy(), tl().numpy(), rtol=1e-5)
            n = 100 if task == "mlp" else 30
            meds = {"executor": [], "translated_layer": []}
            for r in range(rounds):
                pair = (("executor", ex), ("translated_layer", tl))
                for name, fn in (pair if r % 2 == 0 else pair[::-1]):
                    t = time.perf_counter()
                    for _ in range(n):
                        fn()
                    meds[name].append((time.perf_counter() - t) / n * 1e6)
            res[task] = {k: {"median": sorted(v)[len(v) // 2], "best": min(v)}
                         for k, v in meds.items()}
            if task == "mlp":  # the fixed per-call cost: interpreter stubbed
                from paddlefish.static.interpreter import CompiledBlock
                real, const, name = CompiledBlock.run, tl()._t.clone(), fetch[0].name
                CompiledBlock.run = lambda self, v: v.__setitem__(name, const) or v
                over = {}
                for label, fn in (("executor", ex), ("translated_layer", tl)):
                    best = 1e9
                    for _ in range(30):
                        t = time.process_time()
                        for _ in range(300):
                            fn()
                        best = min(best, (time.process_time() - t) / 300 * 1e6)
                    over[label] = best
                CompiledBlock.run = real
                res["overhead"] = over
    print(json.dumps(res))
""")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--skip-load", action="store_true", help="only part 1 (Executor vs TL)")
    args = ap.parse_args()
    env = dict(os.environ, OMP_NUM_THREADS="2", MKL_NUM_THREADS="2", GLOG_minloglevel="2",
               FLAGS_enable_pir_api="0")
    env.pop("PYTHONPATH", None)
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", RUN, tmp, str(args.rounds)], env=env,
                             capture_output=True, text=True, cwd=tmp, check=True)
        run = json.loads(out.stdout.strip().splitlines()[-1])
        print("| program | Executor.run us (median) | TranslatedLayer us (median) | ratio of "
              "medians | ratio of best rounds |")
        print("|---|---|---|---|---|")
        over = run.pop("overhead")
        for task, r in run.items():
            ex, tl = r["executor"], r["translated_layer"]
            print(f"| {task} | {ex['median']:.1f} | {tl['median']:.1f} | "
                  f"{ex['median'] / tl['median']:.3f} | {ex['best'] / tl['best']:.3f} |")
        print(f"\nfixed per-call cost (interpreter stubbed, CPU time, best round): Executor.run "
              f"{over['executor']:.1f} us, TranslatedLayer {over['translated_layer']:.1f} us")
        if args.skip_load:
            return
        d = os.path.join(tmp, "dir200")
        n = subprocess.run([P26, "-c", WRITE_DIR, d], env=env, capture_output=True, text=True,
                           cwd=tmp, check=True).stdout.strip().splitlines()[-1]
        times: dict = {"paddle": [], "paddlefish": []}
        for _ in range(args.rounds):
            for who, py in (("paddle", P26), ("paddlefish", sys.executable)):
                o = subprocess.run([py, "-c", LOAD, who, d], env=env, capture_output=True,
                                   text=True, cwd=tmp, check=True)
                times[who].append(json.loads(o.stdout.strip().splitlines()[-1]))
        print(f"\nload_inference_model of a 1.x directory with {n} per-variable files")
        print("| contender | median ms |")
        print("|---|---|")
        for who, ts in times.items():
            print(f"| {who} | {statistics.median(ts) * 1e3:.1f} |")


if __name__ == "__main__":
    main()
