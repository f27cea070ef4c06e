"""paddle.distribution vs real Paddle 2.6: every deterministic method (log_prob, prob(s),
entropy, mean, variance, cdf/icdf, kl_divergence, the transforms' forward/inverse/log-det-
Jacobians/shapes) over several parameter shapes with broadcasting, the dtype/shape of every
sample and rsample, the errors Paddle raises, and gradients of a subset.

One harness (``HARNESS``) runs in both processes: ``_cases.CASES`` is evaluated once in ONE
Paddle 2.6 subprocess (module fixture) and once here with paddlefish; values compare at
rtol 1e-5, dtypes/shapes and python results (batch shapes) exactly, errors by presence.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.distribution._cases import CASES, GRAD_CASES, PRELUDE
from tests.oracle import run_paddle

HARNESS = r"""
import json, warnings
import numpy as np

def _plain(v):
    if isinstance(v, (tuple, list)):
        return [_plain(x) for x in v]
    if isinstance(v, (bool, int, float, str)) or v is None:
        return v
    return repr(v)

def _record(paddle, name, out, res, meta):
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    if outs and all(isinstance(o, paddle.Tensor) for o in outs):
        meta[name] = {'outs': [[str(o.dtype).replace('paddle.', ''), list(o.shape)] for o in outs]}
        for k, o in enumerate(outs):
            res['%s__%d' % (name, k)] = o.numpy()
    elif isinstance(out, paddle.Tensor):
        meta[name] = {'outs': []}
    else:
        meta[name] = {'py': _plain(out)}

def run_table(paddle, prelude, cases):
    ns = {'paddle': paddle}
    exec(prelude, ns)
    res, meta = {}, {}
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for name, expr in cases.items():
            try:
                out = eval(expr, ns)
            except Exception as e:
                meta[name] = {'error': type(e).__name__, 'msg': str(e)[-300:]}
                continue
            _record(paddle, name, out, res, meta)
    return res, meta

def run_grads(paddle, prelude, cases):
    ns = {'paddle': paddle}
    exec(prelude, ns)
    ns['P'] = lambda v: paddle.to_tensor(v, stop_gradient=False)
    res, meta = {}, {}
    for name, code in cases.items():
        env = dict(ns)
        exec(code, env)
        out, ins = env['out'], env['ins']
        w = paddle.to_tensor(np.linspace(-1, 2, out.size).reshape(out.shape).astype('float32'))
        gs = paddle.grad([(out * w).sum()], ins)
        _record(paddle, name, gs, res, meta)
    return res, meta
"""

ORACLE = r"""
import paddle
paddle.set_device('cpu')
for tag, cases in (('table', CASES), ('grads', GRAD_CASES)):
    fn = run_table if tag == 'table' else run_grads
    res, meta = fn(paddle, PRELUDE, cases)
    np.savez(tag + '.npz', **res)
    json.dump(meta, open(tag + '.json', 'w'))
"""


def _harness() -> dict:
    ns: dict = {}
    exec(HARNESS, ns)  # noqa: S102 - the fixed harness shared with the oracle
    return ns


@pytest.fixture(scope="module")
def paddle26(tmp_path_factory):
    d = tmp_path_factory.mktemp("dist26")
    src = (
        f"PRELUDE = {PRELUDE!r}\nCASES = {CASES!r}\nGRAD_CASES = {GRAD_CASES!r}\n"
        + HARNESS
        + ORACLE
    )
    run_paddle(src, "2.6", cwd=d)
    out = {}
    for tag in ("table", "grads"):
        with np.load(d / f"{tag}.npz") as z:
            out[tag] = ({k: z[k] for k in z.files}, json.loads((d / f"{tag}.json").read_text()))
    return out


def compare(ours, ref, cases) -> list[str]:
    """Every mismatch between two (values, meta) results, one line each."""
    (ov, om), (rv, rm) = ours, ref
    bad = []
    for name in cases:
        o, r = om[name], rm[name]
        if "error" in r or "error" in o:
            if "error" not in r or "error" not in o:
                bad.append(f"{name}: ours {o} vs paddle {r}")
            continue
        if "py" in r or "py" in o:
            if r != o:
                bad.append(f"{name}: ours {o} vs paddle {r}")
            continue
        if r["outs"] != o["outs"]:
            bad.append(f"{name}: dtype/shape ours {o['outs']} vs paddle {r['outs']}")
            continue
        for k in range(len(r["outs"])):
            x, y = ov[f"{name}__{k}"], rv[f"{name}__{k}"]
            if not np.allclose(x, y, rtol=1e-5, atol=1e-5, equal_nan=True):
                bad.append(f"{name}[{k}]: values ours {x.ravel()[:6]} vs paddle {y.ravel()[:6]}")
    return bad


@pytest.mark.oracle
def test_distribution_table_matches_paddle_26(paddle26):
    import paddlefish as paddle

    ours = _harness()["run_table"](paddle, PRELUDE, CASES)
    bad = compare(ours, paddle26["table"], CASES)
    assert not bad, f"{len(bad)} of {len(CASES)} cases differ from Paddle 2.6:\n" + "\n".join(bad)


@pytest.mark.oracle
def test_distribution_gradients_match_paddle_26(paddle26):
    import paddlefish as paddle

    ours = _harness()["run_grads"](paddle, PRELUDE, GRAD_CASES)
    bad = compare(ours, paddle26["grads"], GRAD_CASES)
    assert not bad, "gradients differ from Paddle 2.6:\n" + "\n".join(bad)
