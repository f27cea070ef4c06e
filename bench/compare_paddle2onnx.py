"""paddle2onnx vs paddlefish's ONNX export on real Paddle's files (issue 11): ops covered and
output agreement in onnxruntime.

1. Real Paddle 2.6 (``.oracle/p26``) ``jit.save``s the jit test zoo (tests/jit/zoo.py) and the
   if/while models of tests/jit/test_control_flow.py as legacy ``.pdmodel`` files and records its
   own eager outputs at batch 1 and 3 (the reference). With ``--p33``, real Paddle 3.3 does the
   same as PIR ``.json`` files.
2. paddle2onnx converts each file in its own process: 1.3.1 for the Paddle 2.6 files (it needs
   Paddle 2.6; 2.x refuses Paddle < 3.0), 2.1.0 for the Paddle 3.3 files. paddle2onnx cannot go
   into the main environment (it pins onnx<=1.17); it lives in throwaway virtualenvs that see
   the oracles' packages through a ``.pth`` file:

       B=$(python -c 'import sys; print(sys.base_prefix)')/bin/python3.11
       $B -m venv /tmp/p2o13 && echo $PWD/.oracle/p26/lib/python3.11/site-packages \\
           > /tmp/p2o13/lib/python3.11/site-packages/p26.pth && /tmp/p2o13/bin/pip install paddle2onnx==1.3.1
       $B -m venv --system-site-packages /tmp/p2o3 && /tmp/p2o3/bin/pip install paddle2onnx==2.1.0 packaging

3. paddlefish converts the same files (``paddle.onnx.export_model``, in this process: no Paddle
   here). Both at opset 13. onnxruntime (main environment) runs every ONNX file on the inputs
   Paddle ran; the table gives, per model, the Paddle op types in the program, whether each
   exporter converted it, its ONNX node count, the largest |difference| from Paddle's own
   outputs over both batch sizes, and onnxruntime's median latency at batch 3 (tiny models;
   noisy on a shared machine).

    python bench/compare_paddle2onnx.py [--p2o26 /tmp/p2o13/bin/python] [--p2o33 /tmp/p2o3/bin/python]
                                        [--p33] [--dir /tmp/pf_cmp_p2o] [--iters 50]
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
sys.path.insert(0, ROOT)

EXPORT = r"""
import json, os, runpy, sys, numpy as np, paddle
from paddle.static import InputSpec
root = sys.argv[1]
zoo = json.load(open(os.path.join(root, "zoo.json")))
cf = json.load(open(os.path.join(root, "cf.json")))
sys.path.insert(0, root)
out = {}
def outs(r):
    r = list(r.values()) if isinstance(r, dict) else r if isinstance(r, (list, tuple)) else [r]
    return [t.numpy() for t in r]
for name, src in zoo.items():
    d = os.path.join(root, name); os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "m.py"), "w").write(src)
    paddle.seed(0)
    layer, specs, make = runpy.run_path(os.path.join(d, "m.py"))["build"](); layer.eval()
    paddle.jit.save(layer, os.path.join(d, "model"), input_spec=specs)
    rng, res = np.random.default_rng(7), {}
    for b in (1, 3):
        xs = make(rng, b)
        res.update({f"in_b{b}_{i}": x for i, x in enumerate(xs)})
        res.update({f"out_b{b}_{j}": y for j, y in enumerate(outs(layer(*[paddle.to_tensor(x) for x in xs])))})
    np.savez(os.path.join(d, "ref.npz"), **res)
    out[name] = os.path.join(d, "model")
import cf_models
for name, spec in cf["specs"].items():
    d = os.path.join(root, name); os.makedirs(d, exist_ok=True)
    paddle.seed(0)
    layer = getattr(cf_models, name)(); layer.eval()
    paddle.jit.save(layer, os.path.join(d, "model"), input_spec=[InputSpec(s, t, n) for s, t, n in spec])
    res = {}
    for b, xs in enumerate(cf["cases"][name]):
        xs = [np.asarray(x, dtype=t) for x, (_, t, _) in zip(xs, spec)]
        res.update({f"in_b{b}_{i}": x for i, x in enumerate(xs)})
        try:
            res.update({f"out_b{b}_{j}": y for j, y in enumerate(outs(layer(*[paddle.to_tensor(x) for x in xs])))})
        except TypeError:  # Paddle 3.3's eager range() over a [1]-shaped tensor
            pass
    np.savez(os.path.join(d, "ref.npz"), **res)
    out[name] = os.path.join(d, "model")
print(json.dumps(out))
"""

P2O = r"""
import sys, paddle2onnx
model, params, dst = sys.argv[1], sys.argv[2], sys.argv[3]
paddle2onnx.export(model, params if params != "-" else "", dst, opset_version=13,
                   auto_upgrade_opset=False, verbose=False, enable_onnx_checker=True)
"""


def _program_ops(model_file: str) -> list[str]:
    from paddlefish.static._model_file import read_model_program

    program, _ = read_model_program(model_file)
    return sorted({op.type for b in program.blocks for op in b.ops} - {"feed", "fetch"})


def _run_ort(path: str, ref, iters: int):
    import numpy as np
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    err, compared, feed3 = 0.0, 0, None
    batches = sorted({k.split("_")[1] for k in ref.files if k.startswith("in_")})
    for b in batches:
        xs = [ref[k] for k in sorted(ref.files) if k.startswith(f"in_{b}_")]
        feed = {i.name: x for i, x in zip(sess.get_inputs(), xs)}
        if b == "b3":
            feed3 = feed
        want = [ref[f"out_{b}_{j}"] for j in range(len(ref.files)) if f"out_{b}_{j}" in ref.files]
        if not want:
            continue
        got = sess.run(None, feed)
        for g, w in zip(got, want):
            if g.shape != w.shape:
                return f"shape {g.shape} != {w.shape}", None
            err = max(err, float(np.max(np.abs(g.astype("float64") - w))) if w.size else 0.0)
            compared += 1
    ms = None
    if feed3 is not None and iters:
        times = []
        for _ in range(iters):
            t = time.perf_counter()
            sess.run(None, feed3)
            times.append((time.perf_counter() - t) * 1e3)
        ms = statistics.median(times)
    return (err if compared else "no reference"), ms


def _node_count(path: str) -> int:
    import onnx

    def count(graph):
        n = 0
        for node in graph.node:
            n += 1
            for attr in node.attribute:
                if attr.type == onnx.AttributeProto.GRAPH:
                    n += count(attr.g)
        return n

    return count(onnx.load(path).graph)


def _short(msg: str) -> str:
    for line in reversed(msg.strip().splitlines()):
        line = line.strip()
        if line and not line.startswith(("File ", "^", "~")):
            return line[:110]
    return msg[:110]


def compare(version: str, p2o_python: str, work: str, iters: int) -> list[dict]:
    from paddlefish.onnx import export_model
    from tests.jit.test_control_flow import CASES_FROM_PADDLE, MODELS, SPECS
    from tests.jit.zoo import ZOO
    from tests.oracle import run_paddle

    root = os.path.join(work, version)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    with open(os.path.join(root, "zoo.json"), "w") as f:
        json.dump(ZOO, f)
    with open(os.path.join(root, "cf_models.py"), "w") as f:
        f.write(MODELS)
    cases = {k: [[x.tolist() for x in xs] for xs in v] for k, v in CASES_FROM_PADDLE.items()}
    with open(os.path.join(root, "cf.json"), "w") as f:
        json.dump({"specs": SPECS, "cases": cases}, f)
    code = f"import sys; sys.argv = ['x', {root!r}]\n" + EXPORT
    prefixes = json.loads(run_paddle(code, version, cwd=root).strip().splitlines()[-1])
    import numpy as np

    rows = []
    env = dict(os.environ, FLAGS_enable_pir_api="0" if version == "2.6" else "1")
    env.pop("PYTHONPATH", None)
    for name, prefix in prefixes.items():
        model = prefix + (".pdmodel" if os.path.exists(prefix + ".pdmodel") else ".json")
        params = prefix + ".pdiparams" if os.path.exists(prefix + ".pdiparams") else "-"
        ref = np.load(os.path.join(os.path.dirname(prefix), "ref.npz"))
        row = {"model": name, "paddle_ops": _program_ops(model)}
        dst = prefix + ".p2o.onnx"
        r = subprocess.run([p2o_python, "-c", P2O, model, params, dst], capture_output=True,
                           text=True, cwd=root, env=env, timeout=600, check=False)
        if r.returncode == 0 and os.path.exists(dst):
            row["p2o_nodes"] = _node_count(dst)
            try:
                row["p2o_err"], row["p2o_ms"] = _run_ort(dst, ref, iters)
            except Exception as e:  # noqa: BLE001  (any refusal by onnxruntime is the result)
                row["p2o_err"] = f"onnxruntime: {_short(str(e))}"
        else:
            row["p2o_err"] = f"export failed: {_short(r.stderr or r.stdout)}"
        dst = prefix + ".pf.onnx"
        try:
            export_model(model, dst, opset_version=13)
            row["pf_nodes"] = _node_count(dst)
            row["pf_err"], row["pf_ms"] = _run_ort(dst, ref, iters)
        except Exception as e:  # noqa: BLE001  (any export failure is the result)
            row["pf_err"] = f"export failed: {_short(f'{type(e).__name__}: {e}')}"
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def _fmt_err(e) -> str:
    return f"{e:.1e}" if isinstance(e, float) else str(e)


def _fmt_ms(v) -> str:
    return f"{v:.3f}" if v is not None else "-"


def _agree(rows: list[dict], key: str) -> int:
    return sum(isinstance(r[key], float) and r[key] < 1e-3 for r in rows)


def table(version: str, rows: list[dict]) -> str:
    out = [
        (f"Paddle {version} files, opset 13; max |ONNX - Paddle eager| over batch 1 and 3; "
         "ORT median ms at batch 3 (1 thread)"),
        "",
        ("| model | Paddle ops | paddle2onnx nodes | paddle2onnx max err | p2o ms "
         "| paddlefish nodes | paddlefish max err | pf ms |"),
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r['model']} | {len(r['paddle_ops'])} | {r.get('p2o_nodes', '-')} | "
            f"{_fmt_err(r['p2o_err'])} | {_fmt_ms(r.get('p2o_ms'))} | {r.get('pf_nodes', '-')} | "
            f"{_fmt_err(r['pf_err'])} | {_fmt_ms(r.get('pf_ms'))} |"
        )
    out.append("")
    out.append(f"agree with Paddle (max err < 1e-3): paddle2onnx {_agree(rows, 'p2o_err')}/"
               f"{len(rows)}, paddlefish {_agree(rows, 'pf_err')}/{len(rows)}")
    ops = sorted({o for r in rows for o in r["paddle_ops"]})
    covered = {k: sorted({o for r in rows if isinstance(r[k], float) for o in r["paddle_ops"]})
               for k in ("p2o_err", "pf_err")}
    out.append(f"Paddle op types in these programs: {len(ops)}; in programs each exporter "
               f"converted correctly: paddle2onnx {len(covered['p2o_err'])}, paddlefish "
               f"{len(covered['pf_err'])}")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--p2o26", default="/tmp/p2o13/bin/python",
                    help="python with paddle2onnx 1.3.x and Paddle 2.6")
    ap.add_argument("--p2o33", default="/tmp/p2o3/bin/python",
                    help="python with paddle2onnx 2.x and Paddle 3.3")
    ap.add_argument("--p33", action="store_true", help="also compare on Paddle 3.3 PIR files")
    ap.add_argument("--dir", default="/tmp/pf_cmp_p2o")
    ap.add_argument("--iters", type=int, default=50)
    args = ap.parse_args()
    runs = [("2.6", args.p2o26)] + ([("3.3", args.p2o33)] if args.p33 else [])
    tables = []
    for version, py in runs:
        if not os.path.exists(py):
            sys.exit(f"{py} does not exist: set up the paddle2onnx virtualenv (see the docstring)")
        tables.append(table(version, compare(version, py, args.dir, args.iters)))
    print("\n\n".join(tables))


if __name__ == "__main__":
    main()
