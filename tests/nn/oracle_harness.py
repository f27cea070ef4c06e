"""Run the same layer/functional cases in paddlefish and in real Paddle (subprocess) and return
both results. A case is ``(name, expr, inputs, opts)``: ``expr`` is evaluated with ``nn``,
``F`` and ``paddle`` bound (the APIs are the same, so one string serves both sides); inputs are
``(shape, kind)`` with kind ``f`` (normal floats), ``p`` (probabilities), ``iN`` (ints in
[0, N)), ``d`` (rows summing to 1), ``s`` (+-1 signs); opts: ``mode`` ('train'/'eval'), ``grad`` (also compare gradients of
``sum(out0 * cot)``), ``steps`` (forward passes before reading outputs and state).
"""

from __future__ import annotations

import json

import numpy as np

from tests.oracle import run_paddle

ORACLE = r"""
import json, numpy as np, paddle
import paddle.nn as nn, paddle.nn.functional as F
paddle.set_device('cpu')
cases = json.load(open('cases.json'))
for name, expr, inputs, opts in cases:
    obj = eval(expr, {'nn': nn, 'F': F, 'paddle': paddle})
    ins = np.load('in_%s.npz' % name)
    xs = []
    for i, _ in enumerate(inputs):
        t = paddle.to_tensor(ins['x%d' % i])
        if t.dtype in (paddle.float32, paddle.float64):
            t.stop_gradient = False
        xs.append(t)
    if isinstance(obj, nn.Layer):
        obj.set_state_dict({k: v for k, v in np.load('p_%s.npz' % name).items()})
        obj.train() if opts.get('mode', 'eval') == 'train' else obj.eval()
    for _ in range(opts.get('steps', 1)):
        out = obj(*xs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    res = {'out%d' % i: o.numpy() for i, o in enumerate(outs)}
    if opts.get('grad'):
        (outs[0] * paddle.to_tensor(ins['cot'])).sum().backward()
        for i, x in enumerate(xs):
            if not x.stop_gradient and x.grad is not None:
                res['gx%d' % i] = x.grad.numpy()
        if isinstance(obj, nn.Layer):
            for k, p in obj.named_parameters():
                if not p.stop_gradient and p.grad is not None:
                    res['gp_' + k] = p.grad.numpy()
    if isinstance(obj, nn.Layer):
        for k, v in obj.state_dict().items():
            res['st_' + k] = v.numpy()
    np.savez('out_%s.npz' % name, **res)
"""


def make_input(rng, shape, kind):
    if kind == "f":
        return rng.standard_normal(shape).astype("float32")
    if kind == "p":
        return rng.uniform(0.05, 0.95, shape).astype("float32")
    if kind == "d":
        e = rng.uniform(0.05, 1.0, shape)
        return (e / e.sum(-1, keepdims=True)).astype("float32")
    if kind == "s":
        return np.where(rng.standard_normal(shape) > 0, 1.0, -1.0).astype("float32")
    if kind.startswith("i"):
        return rng.integers(0, int(kind[1:]), shape).astype("int64")
    raise ValueError(kind)


def _random_state(obj, rng):
    sd = {}
    for k, v in obj.state_dict().items():
        shape = v.shape
        if k.endswith("_variance"):
            sd[k] = rng.uniform(0.5, 1.5, shape).astype("float32")
        else:
            sd[k] = (rng.standard_normal(shape) * 0.5).astype("float32")
    return sd


def run_ours(paddle, cases, tmp_path, seed=0):
    """Build each case in paddlefish, save inputs/params for the oracle, return our results."""
    nn, F = paddle.nn, paddle.nn.functional
    rng = np.random.default_rng(seed)
    results = {}
    for name, expr, inputs, opts in cases:
        obj = eval(expr, {"nn": nn, "F": F, "paddle": paddle})
        arrays = {f"x{i}": make_input(rng, s, k) for i, (s, k) in enumerate(inputs)}
        xs = []
        for i in range(len(inputs)):
            t = paddle.to_tensor(arrays[f"x{i}"])
            if t.dtype.name in ("float32", "float64"):
                t.stop_gradient = False
            xs.append(t)
        if isinstance(obj, nn.Layer):
            sd = _random_state(obj, rng)
            np.savez(tmp_path / f"p_{name}.npz", **sd)
            obj.set_state_dict(sd)
            obj.train() if opts.get("mode", "eval") == "train" else obj.eval()
        for _ in range(opts.get("steps", 1)):
            out = obj(*xs)
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        res = {f"out{i}": o.numpy() for i, o in enumerate(outs)}
        if opts.get("grad"):
            arrays["cot"] = rng.standard_normal(outs[0].shape).astype("float32")
            (outs[0] * paddle.to_tensor(arrays["cot"])).sum().backward()
            for i, x in enumerate(xs):
                if not x.stop_gradient and x.grad is not None:
                    res[f"gx{i}"] = x.grad.numpy()
            if isinstance(obj, nn.Layer):
                for k, p in obj.named_parameters():
                    if not p.stop_gradient and p.grad is not None:
                        res["gp_" + k] = p.grad.numpy()
        if isinstance(obj, nn.Layer):
            for k, v in obj.state_dict().items():
                res["st_" + k] = v.numpy()
        np.savez(tmp_path / f"in_{name}.npz", **arrays)
        results[name] = res
    return results


def run_oracle(cases, tmp_path, version="2.6"):
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    run_paddle(ORACLE, version, cwd=tmp_path)
    return {name: dict(np.load(tmp_path / f"out_{name}.npz")) for name, *_ in cases}


def compare(ours, theirs, rtol=1e-5, atol=1e-5):
    """List of mismatch descriptions (empty when everything matches)."""
    bad = []
    for name, res in ours.items():
        ref = theirs[name]
        if set(res) != set(ref):
            bad.append(f"{name}: result keys differ: ours {sorted(res)} vs Paddle {sorted(ref)}")
            continue
        for k in res:
            a, b = np.asarray(res[k]), np.asarray(ref[k])
            if a.shape != b.shape:
                bad.append(f"{name}.{k}: shape {a.shape} vs Paddle {b.shape}")
            elif not np.allclose(a, b, rtol=rtol, atol=atol):
                err = float(np.max(np.abs(a.astype("float64") - b.astype("float64"))))
                bad.append(f"{name}.{k}: max abs diff {err:.3g}")
    return bad
