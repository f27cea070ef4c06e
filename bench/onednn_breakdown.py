"""Where a predictor run's time goes: oneDNN's own execution time (``ONEDNN_VERBOSE=1``: every
primitive and oneDNN Graph partition prints its run time) against the run's wall time, for a
``paddle.vision.models`` network saved with ``jit.save`` (random weights) and served by
paddlefish's ``paddle.inference`` predictor, in a child process so the verbose output is its own.

    python bench/onednn_breakdown.py --model resnet18 --batch 16 --threads 1 [--iters 3] [--lowered]

Prints the median wall time per run, oneDNN's summed execution time per run (median over the
timed runs) and its share, and the largest contributors by partition/primitive kind.
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CHILD = textwrap.dedent("""
    import sys, time, numpy as np, torch
    sys.path.insert(0, {root!r})
    import paddlefish as paddle
    from paddlefish import inference
    from paddlefish.static import InputSpec
    from paddlefish.vision import models
    torch.set_num_threads({threads})
    m = getattr(models, {model!r})(); m.eval()
    prefix = {work!r} + "/m"
    paddle.jit.save(m, prefix, input_spec=[InputSpec([None, 3, 224, 224], "float32", "x")])
    c = inference.Config(prefix + ".pdmodel", prefix + ".pdiparams")
    c.set_cpu_math_library_num_threads({threads})
    c.switch_onednn_graph({graph})
    p = inference.create_predictor(c)
    x = np.random.default_rng(0).standard_normal(({batch}, 3, 224, 224)).astype("float32")
    for _ in range(2):
        p.run([x])
    for i in range({iters}):
        print("RUN-START", flush=True)
        t0 = time.perf_counter(); p.run([x]); ms = (time.perf_counter() - t0) * 1e3
        print("RUN-END", ms, p.engine_path(), flush=True)
""")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="resnet18")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--iters", type=int, default=3)
    ap.add_argument("--lowered", action="store_true", help="switch_onednn_graph(False)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        code = CHILD.format(root=ROOT, model=a.model, threads=a.threads, work=work,
                            batch=a.batch, iters=a.iters, graph=not a.lowered)
        env = dict(os.environ, ONEDNN_VERBOSE="1", OMP_NUM_THREADS=str(a.threads))
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, check=False, timeout=1800)
    if r.returncode != 0:
        sys.exit(r.stderr[-2000:])
    # a oneDNN Graph partition prints its own line and one per primitive it runs inside:
    # count partitions where a run has them (the lowering's runs have primitives only)
    walls, onednn, kinds, path = [], [], collections.Counter(), ""
    run = None
    for line in r.stdout.splitlines():
        if line.startswith("RUN-START"):
            run = {"graph": collections.Counter(), "primitive": collections.Counter()}
        elif line.startswith("RUN-END") and run is not None:
            _, ms, path = line.split()
            use = run["graph"] or run["primitive"]
            walls.append(float(ms))
            onednn.append(sum(use.values()))
            kinds.update(use)
            run = None
        elif run is not None and line.startswith("onednn_verbose") and ",exec," in line:
            f = line.split(",")
            if f[2] in ("primitive", "graph") and f[3] == "exec":
                kind = f[7] if f[2] == "graph" else f[5]  # partition's ops / primitive kind
                run[f[2]][kind] += float(f[-1])
    n = len(walls)
    wall, dnn = statistics.median(walls), statistics.median(onednn)
    print(f"{a.model} batch {a.batch}, {a.threads} thread(s), path {path}, {n} timed runs")
    print(f"wall median {wall:.1f} ms per run; oneDNN execution {dnn:.1f} ms ({dnn / wall:.0%})")
    for kind, t in kinds.most_common(6):
        print(f"  {t / n:8.1f} ms  {kind}")


if __name__ == "__main__":
    main()
