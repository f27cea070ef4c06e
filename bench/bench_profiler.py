"""paddle.profiler overhead: paddlefish vs real Paddle 2.6, each in its own process.

The workload is an MLP training step (3 x Linear(64, 64) + ReLU, batch 32, SGD). Per contender
(one thread) and mode, ``--steps`` steps per repetition after 20 warm-up steps:

- ``off``: no profiler;
- ``timer``: ``Profiler(timer_only=True)`` with ``step(num_samples=32)`` every step;
- ``record``: a recording ``Profiler`` (every step recorded, a ``RecordEvent`` per step);
- ``export``: the milliseconds of ``stop()`` + chrome-trace ``export`` for one recorded period
  of ``--steps`` steps.

The report gives medians over the repetitions and ratio = paddlefish / Paddle (below 1:
paddlefish is faster).

    python bench/bench_profiler.py [--reps 5] [--steps 50]
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
import json, sys, time, tempfile, os, warnings, contextlib, io
warnings.simplefilter("ignore")
import paddle.profiler as profiler
STEPS, REPS = (int(v) for v in sys.argv[1:3])
paddle.seed(0)
layers = []
for _ in range(3):
    layers += [paddle.nn.Linear(64, 64), paddle.nn.ReLU()]
net = paddle.nn.Sequential(*layers)
opt = paddle.optimizer.SGD(learning_rate=0.01, parameters=net.parameters())
x = paddle.randn([32, 64])

def step():
    with profiler.RecordEvent("train_step"):
        loss = net(x).mean()
        loss.backward()
        opt.step()
        opt.clear_grad()

def timed(prof=None):
    t0 = time.perf_counter()
    for _ in range(STEPS):
        step()
        if prof is not None:
            prof.step(num_samples=32)
    return (time.perf_counter() - t0) / STEPS * 1000

for _ in range(20):
    step()
out = {"off": [], "timer": [], "record": [], "export": []}
d = tempfile.mkdtemp()
for r in range(REPS):
    out["off"].append(timed())
    p = profiler.Profiler(timer_only=True)
    p.start()
    out["timer"].append(timed(p))
    with contextlib.redirect_stdout(io.StringIO()):
        p.stop()
    del p
    p = profiler.Profiler(on_trace_ready=lambda prof: None)
    p.start()
    out["record"].append(timed(p))
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        p.stop()
    p.export(os.path.join(d, f"t{r}.json"), "json")
    out["export"].append((time.perf_counter() - t0) * 1000)
    del p
print(json.dumps(out))
"""


def run(python: str, head: str, args) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", GLOG_minloglevel="2", FLAGS_enable_pir_api="0")
    env.pop("PYTHONPATH", None)
    out = subprocess.run(
        [python, "-c", head + WORKLOAD, str(args.steps), str(args.reps)],
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
    ap.add_argument("--steps", type=int, default=50)
    args = ap.parse_args()
    pf_head = f"import sys; sys.path.insert(0, {str(ROOT)!r})\nimport torch\n"
    pf_head += "torch.set_num_threads(1)\nimport paddlefish as paddle\npaddle.as_paddle()\n"
    pd_head = "import paddle\npaddle.set_device('cpu')\n"
    ours = run(sys.executable, pf_head, args)
    theirs = run(str(P26), pd_head, args)
    print(f"MLP 3x64, batch 32, {args.steps} steps x {args.reps} reps, 1 thread")
    print(f"{'mode':<8}{'paddlefish':>12}{'paddle 2.6':>12}{'ratio':>8}   (ms/step; export: ms)")
    for mode in ("off", "timer", "record", "export"):
        mo, mt = statistics.median(ours[mode]), statistics.median(theirs[mode])
        print(f"{mode:<8}{mo:>12.3f}{mt:>12.3f}{mo / mt:>8.2f}")


if __name__ == "__main__":
    main()
