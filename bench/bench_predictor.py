"""Predictor latency: paddlefish ``paddle.inference`` vs real Paddle 2.6 Inference (oneDNN on and
off) vs onnxruntime on paddlefish's ONNX export vs plain PyTorch eager (and paddlefish's
``TranslatedLayer``), ResNet-18 and MobileNetV2 at 224x224 on CPU, for each thread count.

Every contender runs in its OWN subprocess (Paddle and torch are never timed in one process),
interleaved in rounds; each run reports the median of its iterations, the table the median over
rounds, ratios vs Paddle 2.6 Inference with oneDNN. Also reported: predictor creation time
(``create_predictor`` + the first ``run``, i.e. load + fold + compile for the first shape).

* ``pf_pred``      paddlefish predictor, defaults (fold + oneDNN Graph per shape, NOTE [inference
                   paths] (0), NOTE [inference onednn graph])
* ``pf_pred_lowered`` the same with ``switch_onednn_graph(False)``: the per-op oneDNN lowering,
                   path (1) (the previous default)
* ``pf_pred_ts``   with the lowering and oneDNN Graph off: fold + per-shape TorchScript trace ->
                   freeze -> optimize_for_inference (path (2))
* ``pf_pred_noopt`` paddlefish predictor with ``switch_ir_optim(False)`` (the plain interpreter)
* ``pf_jit``       paddlefish ``jit.load`` (TranslatedLayer), eval, no_grad
* ``p26_pred`` / ``p26_onednn``  Paddle 2.6 Inference on paddlefish's files, oneDNN off / on
* ``ort``          onnxruntime (CPU provider, all graph optimizations) on ``paddle.onnx.export`` of
                   the same paddlefish models (opset 13, dynamic batch)
* ``torch``        plain PyTorch eager: the same networks written in ``torch.nn`` (the model code
                   of bench/bench_inference.py; random weights), eval, ``torch.no_grad``

Threads: ``torch.set_num_threads`` / ``set_cpu_math_library_num_threads`` /
``intra_op_num_threads`` and OMP/MKL_NUM_THREADS all set to the row's thread count.
``--omp-passive`` also sets ``OMP_WAIT_POLICY=PASSIVE`` for every contender: on a machine busier
than its cores, torch's OpenMP threads spin-wait for each other at every op and the torch-based
contenders (paddlefish, plain torch) lose 3-30x at 2 threads while Paddle and onnxruntime do not
(measured on the shared 2-CPU box, load 10); passive waiting removes that. On a quiet machine
leave it off.

    python bench/bench_predictor.py [--rounds 3] [--iters 8] [--threads 1,2] [--only ...]
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_inference import P26_PRED  # Paddle 2.6 Inference, oneDNN on/off by cfg
from bench_inference import TORCH  # the plain torch.nn ResNet-18 / MobileNetV2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
P26 = os.path.join(ROOT, ".oracle", "p26", "bin", "python")
TASKS = ["resnet18/1", "resnet18/16", "mobilenet_v2/1", "mobilenet_v2/16"]

COMMON = textwrap.dedent("""
    import json, statistics, sys, time, warnings
    import numpy as np
    warnings.simplefilter("ignore")
    cfg = json.loads(sys.argv[1])
    WORK, ITERS, THREADS = cfg["work"], cfg["iters"], cfg["threads"]

    def run_all(make):
        out = {}
        for task in cfg["tasks"]:
            name, batch = task.split("/")
            x = np.random.default_rng(0).standard_normal((int(batch), 3, 224, 224)).astype("float32")
            t0 = time.perf_counter(); fn = make(name, x); fn()
            out[task + " create"] = (time.perf_counter() - t0) * 1e3
            fn()
            iters = ITERS if batch == "1" else max(3, ITERS // 3)
            ts = []
            for _ in range(iters):
                t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
            out[task] = statistics.median(ts) * 1e3
        print(json.dumps(out))
""")

PREPARE = """
import sys; sys.path.insert(0, {root!r})
import paddlefish as paddle
from paddlefish.static import InputSpec
from paddlefish.vision import models
for name in ("resnet18", "mobilenet_v2"):
    m = getattr(models, name)(); m.eval()
    spec = [InputSpec([None, 3, 224, 224], "float32", "x")]
    paddle.jit.save(m, WORK + "/" + name, input_spec=spec)
    try:
        paddle.onnx.export(m, WORK + "/" + name, input_spec=spec, opset_version=13)
    except Exception as e:  # the ort contender then reports the missing file
        print("onnx export failed:", name, repr(e)[:300], file=sys.stderr)
print("{{}}")
"""

PF_PRED = """
import sys; sys.path.insert(0, {root!r})
import torch; torch.set_num_threads(THREADS)
from paddlefish import inference
if not cfg.get("lower", True):
    from paddlefish.inference import _lower
    _lower.available = lambda: False
def make(name, x):
    c = inference.Config(WORK + "/" + name + ".pdmodel", WORK + "/" + name + ".pdiparams")
    c.disable_gpu(); c.set_cpu_math_library_num_threads(THREADS); c.enable_mkldnn()
    c.switch_ir_optim(cfg["ir_optim"])
    c.switch_onednn_graph(cfg.get("graph", True))
    p = inference.create_predictor(c)
    h = p.get_input_handle(p.get_input_names()[0]); o = p.get_output_handle(p.get_output_names()[0])
    def fn():
        h.copy_from_cpu(x); p.run(); return o.copy_to_cpu()
    return fn
run_all(make)
"""

PF_JIT = """
import sys; sys.path.insert(0, {root!r})
import torch; torch.set_num_threads(THREADS)
import paddlefish as paddle
def make(name, x):
    m = paddle.jit.load(WORK + "/" + name); m.eval()
    def fn():
        with paddle.no_grad():
            return m(paddle.to_tensor(x)).numpy()
    return fn
run_all(make)
"""

ORT = """
import onnxruntime as ort
def make(name, x):
    so = ort.SessionOptions()
    so.intra_op_num_threads = THREADS; so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    s = ort.InferenceSession(WORK + "/" + name + ".onnx", so, providers=["CPUExecutionProvider"])
    feed = s.get_inputs()[0].name
    def fn():
        return s.run(None, {{feed: x}})[0]
    return fn
run_all(make)
"""

CONTENDERS = {
    "pf_pred": (sys.executable, PF_PRED, {"ir_optim": True}),
    "pf_pred_lowered": (sys.executable, PF_PRED, {"ir_optim": True, "graph": False}),
    "pf_pred_ts": (sys.executable, PF_PRED, {"ir_optim": True, "lower": False, "graph": False}),
    "pf_pred_noopt": (sys.executable, PF_PRED, {"ir_optim": False}),
    "pf_jit": (sys.executable, PF_JIT, {}),
    "p26_pred": (P26, P26_PRED, {"onednn": False}),
    "p26_onednn": (P26, P26_PRED, {"onednn": True}),
    "ort": (sys.executable, ORT, {}),
    "torch": (sys.executable, TORCH, {}),
}
DEFAULT = ["pf_pred", "pf_pred_lowered", "p26_onednn", "ort", "torch"]
BASE = "p26_onednn"


def _run(python: str, body: str, cfg: dict) -> dict:
    n = str(cfg["threads"])
    env = dict(
        os.environ,
        OMP_NUM_THREADS=n,
        MKL_NUM_THREADS=n,
        GLOG_minloglevel="2",
        FLAGS_enable_pir_api="0",
    )
    env.pop("PYTHONPATH", None)
    if cfg.get("passive"):
        env["OMP_WAIT_POLICY"] = "PASSIVE"
    fd, script = tempfile.mkstemp(suffix=".py", dir=cfg["work"])
    with os.fdopen(fd, "w") as f:
        f.write(COMMON + textwrap.dedent(body.format(root=ROOT, ops=0)))
    r = subprocess.run(
        [python, script, json.dumps(cfg)],
        capture_output=True,
        text=True,
        cwd="/tmp",
        env=env,
        timeout=1800,
        check=False,
    )
    if r.returncode != 0:
        return {"error": (r.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(r.stdout.strip().splitlines()[-1])


def _table(res: dict, names: list[str], suffix: str) -> list[str]:
    lines = [f"| task | {' | '.join(names)} |", "|---" * (len(names) + 1) + "|"]
    for task in TASKS:
        cells = []
        for n in names:
            v, b = res.get(n, {}).get(task + suffix), res.get(BASE, {}).get(task + suffix)
            if v is None:
                cells.append("n/a")
            else:
                cells.append(f"{v:.1f}" + (f" ({v / b:.2f}x)" if b and n != BASE else ""))
        lines.append(f"| {task}{suffix} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--iters", type=int, default=8)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    ap.add_argument("--only", nargs="*", default=DEFAULT, choices=list(CONTENDERS))
    ap.add_argument("--omp-passive", action="store_true", help="OMP_WAIT_POLICY=PASSIVE for all")
    ap.add_argument("--tasks", nargs="*", default=TASKS, choices=TASKS)
    a = ap.parse_args()
    threads = [int(t) for t in str(a.threads).split(",")]
    work = tempfile.mkdtemp(prefix="bench_predictor_")
    base = {"work": work, "iters": a.iters, "tasks": a.tasks, "passive": a.omp_passive}
    prep = _run(sys.executable, PREPARE, dict(base, threads=max(threads)))
    if "error" in prep:
        sys.exit(f"preparing the models failed: {prep['error']}")
    names = list(a.only)
    every = {}
    for n_threads in threads:
        cfg = dict(base, threads=n_threads)
        runs: dict[str, list[dict]] = {n: [] for n in names}
        for r in range(a.rounds):
            for n in names:
                python, body, extra = CONTENDERS[n]
                runs[n].append(_run(python, body, dict(cfg, **extra)))
                print(f"{n_threads}t round {r} {n}: {runs[n][-1]}", file=sys.stderr, flush=True)
        keys = {k for rs in runs.values() for x in rs for k in x if k != "error"}
        res = {
            n: {
                k: statistics.median([x[k] for x in rs if k in x])
                for k in keys
                if any(k in x for x in rs)
            }
            for n, rs in runs.items()
        }
        every[n_threads] = res
        print(
            f"\nmedian ms per run ({n_threads} thread{'s' if n_threads > 1 else ''}, median of "
            f"{a.rounds} interleaved rounds, each contender in its own process"
            f"{', OMP_WAIT_POLICY=PASSIVE' if a.omp_passive else ''}); ratios vs {BASE}"
        )
        print("\n".join(_table(res, names, "")))
        print(f"\npredictor creation + first run (ms, {n_threads} threads): load, fold, compile")
        print("\n".join(_table(res, names, " create")))
        for n, rs in runs.items():
            errs = [x["error"] for x in rs if "error" in x]
            if errs:
                print(f"  {n} errors: {errs[0]}")
    print(json.dumps(every))


if __name__ == "__main__":
    main()
