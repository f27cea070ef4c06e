"""One training step (forward, backward, Adam step) for paddlefish, raw PyTorch and real Paddle.

Each contender runs in its own subprocess (never paddle and torch timed in one process) with the
same thread count; warmup, then the median of N steps. Models: MLP 784-512-512-10 and LeNet
(Conv2D 1->6 5x5, ReLU, MaxPool2D 2, Conv2D 6->16 5x5, ReLU, MaxPool2D 2, Linear 400-120-84-10)
on 1x28x28 inputs, batch 64, cross-entropy loss.

    python bench/bench_train_step.py [--steps 200] [--threads 2] [--only paddlefish]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MODELS = textwrap.dedent(
    """
    def build(nn, kind):
        if kind == "mlp":
            return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                                 nn.Linear(512, 10))
        return nn.Sequential(nn.Conv2D(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2D(2, 2),
                             nn.Conv2D(6, 16, 5), nn.ReLU(), nn.MaxPool2D(2, 2), nn.Flatten(),
                             nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                             nn.Linear(84, 10))
    """
)

TIMER = textwrap.dedent(
    """
    import json, statistics, sys, time
    import numpy as np
    def timeit(step, steps, warmup=20):
        for _ in range(warmup):
            step()
        ts = []
        for _ in range(steps):
            t0 = time.perf_counter(); step(); ts.append(time.perf_counter() - t0)
        return statistics.median(ts) * 1e3
    rng = np.random.default_rng(0)
    X = {"mlp": rng.standard_normal((64, 784)).astype("float32"),
         "lenet": rng.standard_normal((64, 1, 28, 28)).astype("float32")}
    Y = rng.integers(0, 10, (64,)).astype("int64")
    """
)

PADDLE_LIKE = """
import sys
sys.path.insert(0, {root!r})
{imp}
paddle.set_device("cpu")
{models}
{timer}
out = {{}}
for kind in ("mlp", "lenet"):
    net = build(paddle.nn, kind)
    opt = paddle.optimizer.Adam(1e-3, parameters=net.parameters())
    x, y = paddle.to_tensor(X[kind]), paddle.to_tensor(Y)
    lossf = paddle.nn.CrossEntropyLoss()
    def step():
        loss = lossf(net(x), y)
        loss.backward(); opt.step(); opt.clear_grad()
    out[kind] = timeit(step, {steps})
print(json.dumps(out))
"""

TORCH = """
import torch
torch.set_num_threads({threads})
import torch.nn as tnn
class _NN:
    Linear = tnn.Linear; ReLU = tnn.ReLU; Sequential = tnn.Sequential; Flatten = tnn.Flatten
    MaxPool2D = tnn.MaxPool2d
    @staticmethod
    def Conv2D(i, o, k, padding=0):
        return tnn.Conv2d(i, o, k, padding=padding)
{models}
{timer}
out = {{}}
for kind in ("mlp", "lenet"):
    net = build(_NN, kind)
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    x, y = torch.from_numpy(X[kind]), torch.from_numpy(Y)
    lossf = tnn.CrossEntropyLoss()
    def step():
        loss = lossf(net(x), y)
        loss.backward(); opt.step(); opt.zero_grad()
    out[kind] = timeit(step, {steps})
print(json.dumps(out))
"""


def _code(who: str, steps: int, threads: int) -> str:
    if who == "torch":
        return TORCH.format(models=MODELS, timer=TIMER, steps=steps, threads=threads)
    imp = (
        f"import torch; torch.set_num_threads({threads}); import paddlefish as paddle; import paddlefish.optimizer"
        if who == "paddlefish"
        else "import paddle"
    )
    return PADDLE_LIKE.format(root=ROOT, imp=imp, models=MODELS, timer=TIMER, steps=steps)


def run(who: str, steps: int, threads: int) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    env.pop("PYTHONPATH", None)
    r = subprocess.run(
        [sys.executable, "-c", _code(who, steps, threads)],
        check=False,
        capture_output=True,
        text=True,
        cwd="/tmp",
        env=env,
        timeout=1200,
    )
    if r.returncode != 0:
        return {"error": r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed"}
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", choices=["paddlefish", "torch", "paddle"], default=None)
    ap.add_argument("--rounds", type=int, default=3,
                    help="interleaved rounds (torch, paddlefish, paddle, torch, ...); the "
                         "median over rounds is reported, so load spikes hit all contenders")
    a = ap.parse_args()
    who = [a.only] if a.only else ["torch", "paddlefish", "paddle"]
    per_round = {w: [] for w in who}
    for _ in range(a.rounds):
        for w in who:
            per_round[w].append(run(w, a.steps, a.threads))
    res = {}
    for w in who:
        ok = [r for r in per_round[w] if "error" not in r]
        res[w] = ({k: statistics.median(r[k] for r in ok) for k in ("mlp", "lenet")} if ok
                  else per_round[w][0])
    print(f"median ms per training step (batch 64, {a.threads} threads, {a.steps} steps, "
          f"median of {a.rounds} interleaved rounds)")
    for kind in ("mlp", "lenet"):
        row = {w: res[w].get(kind) for w in who}
        base = row.get("torch")
        cells = []
        for w in who:
            v = row[w]
            if v is None:
                cells.append(f"{w}=ERROR({res[w].get('error', '?')[:80]})")
            else:
                ratio = f" ({v / base:.2f}x torch)" if base and w != "torch" else ""
                cells.append(f"{w}={v:.3f}{ratio}")
        print(f"{kind:6s} " + "  ".join(cells))


if __name__ == "__main__":
    main()
