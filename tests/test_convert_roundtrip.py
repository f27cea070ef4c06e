"""Dialect round trips through ``jit.convert_program``: legacy -> PIR -> legacy and
PIR -> legacy -> PIR, over zoo models and models with tensor ``if``/``while`` (NOTE [PIR lowering],
NOTE [PIR control-flow lowering], NOTE [PIR lifting]).

Sources are real exports: Paddle 2.6 writes the legacy ``.pdmodel``s (its own ``cond``/``while``
layout, lone ``conditional_block``s included), Paddle 3.3 the PIR ``.json``s. Every file of each
chain, the intermediate and the final one, runs in paddlefish's ``jit.load`` and in the real
Paddle of its dialect (2.6 for legacy, 3.3 for PIR), with the source export's outputs in its own
Paddle as the reference. Four Paddle subprocesses in all (export and load, per version).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import paddlefish as paddle
from tests.jit import test_control_flow as cf
from tests.jit import test_dy2static_edges as edges
from tests.jit.zoo import ZOO
from tests.oracle import require, run_paddle

RTOL = ATOL = 1e-5
ZOO_NAMES = ["mlp", "lenet", "lstm", "two_in_dict"]
CF_NAMES = ["IfElse", "EarlyReturn", "WhileLoop"]  # ForRange: see NOTE below
# NOTE: Paddle 3.3's jit.load of its OWN ForRange export (break inside `for i in range(n)`) never
# returns for n=300, so ForRange cannot be a PIR source here; paddlefish's PIR export of it runs in
# Paddle 3.3 (tests/jit/test_pir_control_save.py).
EDGE_NAMES = ["BreakContinue", "NestedLoopIf", "WhileAnd", "Grow", "ShapeIf"]


def _spec() -> dict:
    spec = {n: {"kind": "zoo", "source": ZOO[n]} for n in ZOO_NAMES}
    for src, names in ((cf, CF_NAMES), (edges, EDGE_NAMES)):
        for n in names:
            spec[n] = {
                "kind": "class",
                "source": src.MODELS,
                "cls": n,
                "specs": src.SPECS[n],
                "cases": [[a.tolist() for a in xs] for xs in src.CASES[n]],
            }
    return spec


EXPORT = r"""
import json, os, sys, runpy, numpy as np, paddle
root, tag = sys.argv[1], sys.argv[2]
def outs(r):
    if isinstance(r, (list, tuple)): return [x.numpy() for x in r]
    if isinstance(r, dict): return [r[k].numpy() for k in r]
    return [r.numpy()]
for name, m in json.load(open(os.path.join(root, "spec.json"))).items():
    d = os.path.join(root, tag, name); os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "m.py"), "w").write(m["source"])
    ns = runpy.run_path(os.path.join(d, "m.py"))
    paddle.seed(0)
    if m["kind"] == "zoo":
        layer, specs, make = ns["build"]()
        cases = [make(np.random.default_rng(0), b)[:len(specs)] for b in (1, 3)]
    else:
        layer = ns[m["cls"]]()
        specs = [paddle.static.InputSpec(*s) for s in m["specs"]]
        cases = [[np.asarray(a, dtype=s[1]) for a, s in zip(c, m["specs"])] for c in m["cases"]]
    layer.eval()
    paddle.jit.save(layer, os.path.join(d, "model"), input_spec=specs)
    loaded = paddle.jit.load(os.path.join(d, "model")); loaded.eval()
    res = {}
    for i, xs in enumerate(cases):
        for j, x in enumerate(xs): res[f"x_{i}_{j}"] = x
        for j, y in enumerate(outs(loaded(*[paddle.to_tensor(x) for x in xs]))): res[f"y_{i}_{j}"] = y
    np.savez(os.path.join(d, "io.npz"), **res)
"""

LOAD = r"""
import json, os, sys, numpy as np, paddle
root, jobs = sys.argv[1], json.loads(sys.argv[2])
def outs(r):
    if isinstance(r, (list, tuple)): return [x.numpy() for x in r]
    if isinstance(r, dict): return [r[k].numpy() for k in r]
    return [r.numpy()]
rep = {}
for d, prefix in jobs:
    io = np.load(os.path.join(root, d, "io.npz"))
    try:
        l = paddle.jit.load(os.path.join(root, d, prefix)); l.eval()
        res, i = {}, 0
        while f"x_{i}_0" in io.files:
            xs = [io[k] for k in sorted(k for k in io.files if k.startswith(f"x_{i}_"))]
            for j, y in enumerate(outs(l(*[paddle.to_tensor(x) for x in xs]))): res[f"y_{i}_{j}"] = y
            i += 1
        np.savez(os.path.join(root, d, prefix + ".got.npz"), **res)
        rep[f"{d}/{prefix}"] = "ok"
    except Exception as e:
        rep[f"{d}/{prefix}"] = repr(e)[-800:]
print(json.dumps(rep))
"""


def _paddle(script, version, tmp_path, *args):
    path = tmp_path / f"script_{version}_{abs(hash(script)) % 10**6}.py"
    path.write_text(script)
    return run_paddle(
        f"import runpy, sys; sys.argv = ['o', *{list(map(str, args))!r}]; "
        f"runpy.run_path({str(path)!r}, run_name='__main__')",
        version,
        timeout=900,
    )


def _cases(io):
    i = 0
    while f"x_{i}_0" in io.files:
        xs = [io[k] for k in sorted(k for k in io.files if k.startswith(f"x_{i}_"))]
        ys = [io[k] for k in sorted(k for k in io.files if k.startswith(f"y_{i}_"))]
        yield i, xs, ys
        i += 1


def _outs(r):
    if isinstance(r, (list, tuple)):
        return [x.numpy() for x in r]
    if isinstance(r, dict):
        return [r[k].numpy() for k in r]
    return [r.numpy()]


# (source tag, converted prefixes in chain order with their dialect)
CHAINS = {
    "p33": [("legacy", "leg"), ("pir", "pir2")],  # PIR -> legacy -> PIR
    "p26": [("pir", "pir"), ("legacy", "leg2")],  # legacy -> PIR -> legacy
}
RUNS_IN = {"legacy": "2.6", "pir": "3.3"}
# (source, model) pairs left out of the chains. Paddle 2.6's BreakContinue (a float32
# assign_value) is in now that ops/control_flow.py types every *_values attribute.
SKIP: set = set()


# NOTE [lifted control flow in Paddle 2.6]: a legacy program that paddlefish LIFTS from PIR
# control flow (ir/_pir_control.py) must list every outer variable a sub-block reads in
# conditional_block's Input and while's X, as Paddle 2.x writes them, or Paddle 2.6's garbage
# collector frees them first ("Tensor holds no memory"); see NOTE [sub-block inputs]. The
# lifted programs are checked in Paddle 2.6 separately from the rest.
CONTROL = set(CF_NAMES) | set(EDGE_NAMES)


def _lifted_control(key: str) -> bool:
    _, name, prefix = key.split("/")
    return name in CONTROL and prefix in ("leg", "leg2")


@pytest.fixture(scope="module")
def chains(tmp_path_factory):
    """Exports by both Paddles, both conversion chains in paddlefish (checked against the source
    export's outputs as they go), then every converted file loaded by its real Paddle."""
    require("3.3")
    require("2.6")
    tmp_path = tmp_path_factory.mktemp("rt")
    root = tmp_path / "rt"
    root.mkdir()
    spec = _spec()
    (root / "spec.json").write_text(json.dumps(spec))
    _paddle(EXPORT, "3.3", tmp_path, root, "p33")
    _paddle(EXPORT, "2.6", tmp_path, root, "p26")
    jobs = {"2.6": [], "3.3": []}
    pf_errors = []
    for tag, chain in CHAINS.items():
        for name in spec:
            if (tag, name) in SKIP:
                continue
            d = root / tag / name
            src = d / "model"
            for to, prefix in chain:
                paddle.jit.convert_program(str(src), str(d / prefix), to)
                src = d / prefix
                jobs[RUNS_IN[to]].append((f"{tag}/{name}", prefix))
                loaded = paddle.jit.load(str(src))
                for i, xs, ys in _cases(np.load(d / "io.npz")):
                    got = _outs(loaded(*[paddle.to_tensor(x) for x in xs]))
                    if len(got) != len(ys) or not all(
                        np.allclose(g, y, rtol=RTOL, atol=ATOL) for g, y in zip(got, ys)
                    ):
                        pf_errors.append((tag, name, prefix, i))
    reports = {}
    for version, js in jobs.items():
        out = _paddle(LOAD, version, tmp_path, root, json.dumps(js))
        reports[version] = (js, json.loads(out.strip().splitlines()[-1]))
    return root, pf_errors, reports


def _paddle_results(root, reports, want_lifted_control: bool):
    """(key, error or None) per converted file of the selected kind, outputs compared."""
    for version, (js, rep) in reports.items():
        for d, prefix in js:
            key = f"{d}/{prefix}"
            if _lifted_control(key) != want_lifted_control:
                continue
            if rep[key] != "ok":
                yield key, f"Paddle {version}: {rep[key]}"
                continue
            got = np.load(root / d / f"{prefix}.got.npz")
            for i, _, ys in _cases(np.load(root / d / "io.npz")):
                for j, y in enumerate(ys):
                    if not np.allclose(got[f"y_{i}_{j}"], y, rtol=RTOL, atol=ATOL):
                        yield key, f"Paddle {version}: case {i} out {j} differs"
                        break
            yield key, None


@pytest.mark.oracle
def test_round_trips_keep_outputs_in_paddlefish(chains):
    _, pf_errors, _ = chains
    assert pf_errors == []


@pytest.mark.oracle
def test_round_trips_keep_outputs_in_real_paddle(chains):
    root, _, reports = chains
    results = list(_paddle_results(root, reports, want_lifted_control=False))
    # every PIR file (3.3) of both chains, and the legacy zoo files (2.6)
    assert len(results) >= 2 * (len(ZOO_NAMES) + len(CF_NAMES) + len(EDGE_NAMES)), results
    assert [r for r in results if r[1]] == []


@pytest.mark.oracle
def test_lifted_control_flow_runs_in_paddle_26(chains):
    root, _, reports = chains
    results = list(_paddle_results(root, reports, want_lifted_control=True))
    assert results and [r for r in results if r[1]] == []
