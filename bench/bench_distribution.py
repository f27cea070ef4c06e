"""paddle.distribution step time: paddlefish vs real Paddle 2.6, each in its own process.

The workload is a policy-gradient step on a [B, A] batch: Normal(loc, scale) rsample, log_prob,
entropy and KL to a fixed Normal, a Categorical entropy and log_prob, a Dirichlet log_prob, and
backward through all of it. Each contender (one thread) runs ``--steps`` steps per repetition
after 20 warm-up steps; the report gives the median per-step milliseconds of the repetitions
and ratio = paddlefish / Paddle (below 1: paddlefish is faster).

    python bench/bench_distribution.py [--reps 5] [--steps 200] [--batch 256] [--actions 16]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
P26 = ROOT / ".oracle" / "p26" / "bin" / "python"

WORKLOAD = r"""
import json, sys, time
import numpy as np
B, A, STEPS, REPS = (int(v) for v in sys.argv[1:5])
D = paddle.distribution
rng = np.random.default_rng(0)
loc = paddle.to_tensor(rng.standard_normal((B, A)).astype('float32'), stop_gradient=False)
log_scale = paddle.to_tensor((rng.standard_normal((B, A)) * 0.1).astype('float32'),
                             stop_gradient=False)
w = paddle.to_tensor((rng.random((B, A)) + 0.1).astype('float32'), stop_gradient=False)
act = paddle.to_tensor(rng.integers(0, A, (B, 1)).astype('int64'))
conc = paddle.to_tensor((rng.random((B, A)) + 0.5).astype('float32'), stop_gradient=False)
simplex = paddle.to_tensor(np.full((B, A), 1.0 / A, 'float32'))
prior = D.Normal(paddle.zeros([B, A]), paddle.ones([B, A]))

def step():
    d = D.Normal(loc, paddle.exp(log_scale))
    x = d.rsample([4])
    c = D.Categorical(w)
    loss = (-d.log_prob(x.detach()).mean() - d.entropy().mean() + D.kl_divergence(d, prior).mean()
            - c.entropy().mean() - c.log_prob(act).mean()
            - D.Dirichlet(conc).log_prob(simplex).mean() + x.mean())
    loss.backward()
    for p in (loc, log_scale, w, conc):
        p.clear_gradient()

for _ in range(20):
    step()
times = []
for _ in range(REPS):
    t0 = time.perf_counter()
    for _ in range(STEPS):
        step()
    times.append((time.perf_counter() - t0) / STEPS * 1000)
print(json.dumps(times))
"""


def run(python: str, head: str, args) -> list[float]:
    env = dict(os.environ, OMP_NUM_THREADS="1", GLOG_minloglevel="2", FLAGS_enable_pir_api="0")
    env.pop("PYTHONPATH", None)
    src = head + WORKLOAD
    argv = [str(args.batch), str(args.actions), str(args.steps), str(args.reps)]
    out = subprocess.run(
        [python, "-c", src, *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd="/tmp",
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--actions", type=int, default=16)
    args = ap.parse_args()
    pf_head = f"import sys; sys.path.insert(0, {str(ROOT)!r})\nimport torch\n"
    pf_head += "torch.set_num_threads(1)\nimport paddlefish as paddle\n"
    pd_head = "import paddle\npaddle.set_device('cpu')\n"
    ours = run(sys.executable, pf_head, args)
    theirs = run(str(P26), pd_head, args)
    mo, mt = statistics.median(ours), statistics.median(theirs)
    print(f"B={args.batch} A={args.actions}, {args.steps} steps x {args.reps} reps, 1 thread")
    print(f"{'contender':<12}{'median ms/step':>16}  all")
    print(f"{'paddlefish':<12}{mo:>16.3f}  {[round(t, 3) for t in ours]}")
    print(f"{'paddle 2.6':<12}{mt:>16.3f}  {[round(t, 3) for t in theirs]}")
    print(f"ratio paddlefish/paddle = {mo / mt:.3f}")


if __name__ == "__main__":
    main()
