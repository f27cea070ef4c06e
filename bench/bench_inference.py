"""Inference latency: paddlefish's TranslatedLayer vs plain PyTorch eager vs real Paddle 2.6.

Contenders, each in its OWN subprocess (paddle and torch are never timed in one process), all with
2 threads (OMP/MKL env, ``torch.set_num_threads``, ``set_cpu_math_library_num_threads``):

* ``pf``        paddlefish ``paddle.jit.load`` of paddlefish's ``jit.save`` files, eval, no_grad
* ``torch``     the same network written in plain ``torch.nn``, eval, ``torch.no_grad``
* ``p26_jit``   real Paddle 2.6 ``paddle.jit.load`` of paddlefish's files, eval, no_grad
* ``p26_pred``  real Paddle 2.6 Inference ``create_predictor`` on paddlefish's files, oneDNN off
* ``p26_onednn`` the same with ``config.enable_mkldnn()``

Tasks: ResNet-18 and MobileNetV2 at 224x224, batch 1 and 16, and ``chain``: 200 small ops
(scale / relu / elementwise_add cycling on a [1, 8] tensor) to expose per-op executor overhead.
Also timed: ``jit.save`` of ResNet-18 by paddlefish and by Paddle 2.6 (its own resnet18).

Contenders run interleaved in rounds (round r runs every contender once); each run reports the
median of its iterations; the table shows the median over rounds. The machine is shared.

    python bench/bench_inference.py [--rounds 3] [--iters 10] [--threads 2] [--profile]
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
TASKS = ["resnet18/1", "resnet18/16", "mobilenet_v2/1", "mobilenet_v2/16", "chain/1"]
CHAIN_OPS = 200

COMMON = textwrap.dedent(
    """
    import json, statistics, sys, time
    import numpy as np
    cfg = json.loads(sys.argv[1])
    WORK, ITERS, THREADS = cfg["work"], cfg["iters"], cfg["threads"]

    def timeit(fn, iters, warmup):
        for _ in range(warmup):
            fn()
        ts, cs = [], []
        for _ in range(iters):
            c0, t0 = time.process_time(), time.perf_counter(); fn()
            ts.append(time.perf_counter() - t0); cs.append(time.process_time() - c0)
        return statistics.median(ts) * 1e3, statistics.median(cs) * 1e3

    def plan(task):
        name, batch = task.split("/")
        batch = int(batch)
        if name == "chain":
            return name, np.ones((1, 8), "float32"), ITERS * 50, 50
        x = np.random.default_rng(0).standard_normal((batch, 3, 224, 224)).astype("float32")
        return name, x, ITERS if batch == 1 else max(3, ITERS // 3), 2

    def run_all(make_fn):
        out = {}
        for task in cfg["tasks"]:
            name, x, iters, warmup = plan(task)
            out[task], out[task + " cpu"] = timeit(make_fn(name, x), iters, warmup)
        print(json.dumps(out))
    """
)

# paddlefish: build, jit.save (timed for resnet18), used once to prepare the shared files.
PREPARE = """
import sys; sys.path.insert(0, {root!r})
import torch; torch.set_num_threads(THREADS)
import paddlefish as paddle
from paddlefish.static import InputSpec
from paddlefish.vision import models

class Chain(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.b = self.create_parameter([8], is_bias=True)
    def forward(self, x):
        for i in range({ops}):
            k = i % 3
            x = paddle.scale(x, 1.001) if k == 0 else paddle.nn.functional.relu(x) if k == 1 \\
                else x + self.b
        return x

spec = lambda c, hw: [InputSpec([None, c, hw, hw], "float32", "x")]
for name in ("resnet18", "mobilenet_v2"):
    m = getattr(models, name)(); m.eval()
    paddle.jit.save(m, WORK + "/" + name, input_spec=spec(3, 224))
paddle.jit.save(Chain(), WORK + "/chain", input_spec=[InputSpec([None, 8], "float32", "x")])
m = models.resnet18(); m.eval()
saves = []
for i in range(5):
    t0 = time.perf_counter(); paddle.jit.save(m, WORK + "/save_tmp", input_spec=spec(3, 224))
    saves.append((time.perf_counter() - t0) * 1e3)
print(json.dumps({{"jit.save resnet18 (first)": saves[0],
                  "jit.save resnet18 (median of 5)": statistics.median(saves)}}))
"""

P26_SAVE = """
import paddle
from paddle.static import InputSpec
m = paddle.vision.models.resnet18(); m.eval()
saves = []
for i in range(5):
    t0 = time.perf_counter()
    paddle.jit.save(m, WORK + "/p26_save_tmp",
                    input_spec=[InputSpec([None, 3, 224, 224], "float32", "x")])
    saves.append((time.perf_counter() - t0) * 1e3)
print(json.dumps({"jit.save resnet18 (first)": saves[0],
                  "jit.save resnet18 (median of 5)": statistics.median(saves)}))
"""

PF = """
import sys; sys.path.insert(0, {root!r})
import torch; torch.set_num_threads(THREADS)
import paddlefish as paddle
def make(name, x):
    m = paddle.jit.load(WORK + "/" + name); m.eval(); t = paddle.to_tensor(x)
    def fn():
        with paddle.no_grad():
            return m(t)
    return fn
if cfg.get("profile"):
    import cProfile, pstats
    name, x, iters, warmup = plan(cfg["profile"])
    fn = make(name, x); timeit(fn, 2, 2)
    pr = cProfile.Profile(); pr.enable(); timeit(fn, iters, 0); pr.disable()
    pstats.Stats(pr, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    print(json.dumps({{}}))
else:
    run_all(make)
"""

P26_JIT = """
import paddle
paddle.set_device("cpu")
def make(name, x):
    m = paddle.jit.load(WORK + "/" + name); m.eval(); t = paddle.to_tensor(x)
    def fn():
        with paddle.no_grad():
            return m(t)
    return fn
run_all(make)
"""

P26_PRED = """
from paddle import inference
def make(name, x):
    c = inference.Config(WORK + "/" + name + ".pdmodel", WORK + "/" + name + ".pdiparams")
    c.disable_gpu(); c.disable_glog_info(); c.set_cpu_math_library_num_threads(THREADS)
    c.enable_mkldnn() if cfg["onednn"] else c.disable_mkldnn()
    p = inference.create_predictor(c)
    h = p.get_input_handle(p.get_input_names()[0])
    o = p.get_output_handle(p.get_output_names()[0])
    def fn():
        h.copy_from_cpu(x); p.run(); return o.copy_to_cpu()
    return fn
run_all(make)
"""

TORCH = """
import torch, torch.nn as tnn
torch.set_num_threads(THREADS)

class Basic(tnn.Module):
    def __init__(self, inp, planes, stride):
        super().__init__()
        self.conv1 = tnn.Conv2d(inp, planes, 3, stride, 1, bias=False)
        self.bn1 = tnn.BatchNorm2d(planes)
        self.conv2 = tnn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = tnn.BatchNorm2d(planes)
        self.down = None
        if stride != 1 or inp != planes:
            self.down = tnn.Sequential(tnn.Conv2d(inp, planes, 1, stride, bias=False),
                                       tnn.BatchNorm2d(planes))
    def forward(self, x):
        out = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        return torch.relu(out + (x if self.down is None else self.down(x)))

def resnet18():
    layers = [tnn.Conv2d(3, 64, 7, 2, 3, bias=False), tnn.BatchNorm2d(64), tnn.ReLU(),
              tnn.MaxPool2d(3, 2, 1)]
    inp = 64
    for planes, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        layers += [Basic(inp, planes, stride), Basic(planes, planes, 1)]
        inp = planes
    return tnn.Sequential(*layers, tnn.AdaptiveAvgPool2d(1), tnn.Flatten(), tnn.Linear(512, 1000))

class Inverted(tnn.Module):
    def __init__(self, inp, oup, stride, t):
        super().__init__()
        hid = round(inp * t)
        self.res = stride == 1 and inp == oup
        layers = []
        if t != 1:
            layers += [tnn.Conv2d(inp, hid, 1, bias=False), tnn.BatchNorm2d(hid), tnn.ReLU6()]
        layers += [tnn.Conv2d(hid, hid, 3, stride, 1, groups=hid, bias=False),
                   tnn.BatchNorm2d(hid), tnn.ReLU6(), tnn.Conv2d(hid, oup, 1, bias=False),
                   tnn.BatchNorm2d(oup)]
        self.conv = tnn.Sequential(*layers)
    def forward(self, x):
        return x + self.conv(x) if self.res else self.conv(x)

def mobilenet_v2():
    layers = [tnn.Conv2d(3, 32, 3, 2, 1, bias=False), tnn.BatchNorm2d(32), tnn.ReLU6()]
    inp = 32
    for t, c, n, s in ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                       (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)):
        for i in range(n):
            layers.append(Inverted(inp, c, s if i == 0 else 1, t)); inp = c
    layers += [tnn.Conv2d(inp, 1280, 1, bias=False), tnn.BatchNorm2d(1280), tnn.ReLU6(),
               tnn.AdaptiveAvgPool2d(1), tnn.Flatten(), tnn.Dropout(0.2), tnn.Linear(1280, 1000)]
    return tnn.Sequential(*layers)

class Chain(tnn.Module):
    def __init__(self):
        super().__init__()
        self.b = tnn.Parameter(torch.zeros(8))
    def forward(self, x):
        for i in range({ops}):
            k = i % 3
            x = x * 1.001 if k == 0 else torch.relu(x) if k == 1 else x + self.b
        return x

def make(name, x):
    m = {{"resnet18": resnet18, "mobilenet_v2": mobilenet_v2, "chain": Chain}}[name]().eval()
    t = torch.from_numpy(x)
    def fn():
        with torch.no_grad():
            return m(t)
    return fn
run_all(make)
"""

CONTENDERS = {
    "torch": (sys.executable, TORCH, {}),
    "pf": (sys.executable, PF, {}),
    "p26_jit": (P26, P26_JIT, {}),
    "p26_pred": (P26, P26_PRED, {"onednn": False}),
    "p26_onednn": (P26, P26_PRED, {"onednn": True}),
}


def _run(python: str, body: str, cfg: dict, threads: int) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    env.update(GLOG_minloglevel="2", FLAGS_enable_pir_api="0")
    env.pop("PYTHONPATH", None)
    # a real file, not ``-c``: paddlefish's jit.save reads forward's source to convert it
    fd, script = tempfile.mkstemp(suffix=".py", dir=cfg["work"])
    with os.fdopen(fd, "w") as f:
        f.write(COMMON + textwrap.dedent(body))
    r = subprocess.run(
        [python, script, json.dumps(cfg)],
        capture_output=True,
        text=True,
        cwd="/tmp",
        env=env,
        timeout=1800,
        check=False,
    )
    if cfg.get("profile"):
        print(r.stderr[-6000:], file=sys.stderr)
    if r.returncode != 0:
        tail = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed"
        return {"error": tail}
    return json.loads(r.stdout.strip().splitlines()[-1])


def _fmt_rows(res: dict, names: list[str], base: str, suffix: str = "") -> list[str]:
    lines = [f"| task | {' | '.join(names)} |", "|---" * (len(names) + 1) + "|"]
    for task in [t + suffix for t in TASKS]:
        cells = []
        for n in names:
            v = res.get(n, {}).get(task)
            if v is None:
                cells.append("n/a")
                continue
            scale = CHAIN_OPS / 1e3 if task.startswith("chain") else 1.0  # chain: us per op
            b = res.get(base, {}).get(task)
            ratio = f" ({v / b:.2f}x)" if b and n != base else ""
            cells.append(f"{v / scale:.3f}{ratio}" if scale != 1.0 else f"{v:.2f}{ratio}")
        lines.append(f"| {task} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", nargs="*", default=list(CONTENDERS), choices=list(CONTENDERS))
    ap.add_argument(
        "--profile", default=None, help="cProfile paddlefish on one task, e.g. resnet18/1, and exit"
    )
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="bench_inference_")
    cfg = {"work": work, "iters": a.iters, "threads": a.threads, "tasks": TASKS}
    saves = {
        "paddlefish": _run(sys.executable, PREPARE.format(root=ROOT, ops=CHAIN_OPS), cfg, a.threads)
    }
    if "error" in saves["paddlefish"]:
        sys.exit(f"preparing the models failed: {saves['paddlefish']['error']}")
    if a.profile:
        _run(sys.executable, PF.format(root=ROOT), dict(cfg, profile=a.profile), a.threads)
        return
    saves["paddle 2.6"] = _run(P26, P26_SAVE, cfg, a.threads)
    runs: dict[str, list[dict]] = {n: [] for n in a.only}
    for r in range(a.rounds):
        for n in a.only:
            python, body, extra = CONTENDERS[n]
            body = body.format(root=ROOT, ops=CHAIN_OPS) if n in ("pf", "torch") else body
            runs[n].append(_run(python, body, dict(cfg, **extra), a.threads))
            print(f"round {r} {n}: {runs[n][-1]}", file=sys.stderr, flush=True)
    res = {
        n: {
            t: statistics.median([x[t] for x in rs if t in x])
            for t in TASKS + [t + " cpu" for t in TASKS]
            if any(t in x for x in rs)
        }
        for n, rs in runs.items()
    }
    errors = {n: [x["error"] for x in rs if "error" in x] for n, rs in runs.items()}
    print(
        f"median ms per forward ({a.threads} threads, median of {a.rounds} interleaved rounds; "
        f"chain row: us per op = ms per forward / {CHAIN_OPS} * 1e3); ratios vs torch eager"
    )
    print("\n".join(_fmt_rows(res, list(a.only), "torch")))
    print("\nprocess CPU ms per forward (all threads; robust to other load, counts OMP spin-wait)")
    print("\n".join(_fmt_rows(res, list(a.only), "torch", " cpu")))
    print("\njit.save of ResNet-18 (ms):")
    for who, d in saves.items():
        print(
            f"  {who}: "
            + ", ".join(
                f"{k}={v:.0f}" if isinstance(v, float) else f"{k}={v}" for k, v in d.items()
            )
        )
    for n, errs in errors.items():
        if errs:
            print(f"  {n} errors: {errs[0]}")
    print(json.dumps({"results": res, "saves": saves}))


if __name__ == "__main__":
    main()
