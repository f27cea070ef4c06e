"""Functional tensor API vs real Paddle 3.3: values, dtypes and shapes of ~150 calls, plus
gradients of a subset through ``paddle.grad``.

One string table serves both sides (the APIs are the same): each case is ``name: expr``,
evaluated with ``paddle``, ``np``, ``T`` (= ``paddle.to_tensor``), ``setit`` and the fixed inputs
of ``PRELUDE`` bound. The oracle runs the whole table in ONE subprocess and writes ``out.npz``
(values) plus ``meta.json`` (dtype/shape per output, or the exception type name).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.oracle import run_paddle

PRELUDE = r"""
import numpy as np
rng = np.random.default_rng(0)
a = rng.standard_normal((3, 4)).astype('float32')
b = rng.standard_normal((4, 5)).astype('float32')
c = rng.standard_normal((2, 3, 4)).astype('float32')
d = rng.standard_normal((2, 4, 3)).astype('float32')
v4 = rng.standard_normal(4).astype('float32')
i = rng.integers(-5, 6, (3, 4)).astype('int64')
i32 = i.astype('int32')
bm = rng.standard_normal((3, 4)) > 0
bm2 = rng.standard_normal((3, 4)) > 0
num = np.array([-7, 7, -7, 7, 6], 'int64')
den = np.array([2, 2, -2, -2, 3], 'int64')
fnum = num.astype('float32')
fden = den.astype('float32')
spec = np.array([1.0, np.nan, np.inf, -np.inf, 0.0], 'float32')
idx = np.array([2, 0, 2], 'int64')
nd_idx = np.array([[0, 1], [2, 3], [1, 0]], 'int64')
sc_x = np.arange(12, dtype='float32').reshape(4, 3)
sc_ids = np.array([1, 3, 1], 'int64')
sc_up = np.arange(9, dtype='float32').reshape(3, 3) + 100
dup = np.array([3.0, 1.0, 3.0, 2.0, 1.0], 'float32')
T = paddle.to_tensor

def setit(x, k, v):
    x = paddle.to_tensor(x)
    x[k] = v
    return x
"""

CASES = {
    # ---- creation: to_tensor dtype inference -----------------------------------------------
    "tt_int": "T(3)",
    "tt_float": "T(1.5)",
    "tt_bool": "T(True)",
    "tt_list_int": "T([1, 2, 3])",
    "tt_list_mixed": "T([1, 2.5])",
    "tt_list_bool": "T([[True, False]])",
    "tt_np_f64": "T(np.array([1.0, 2.0]))",
    "tt_np_i32": "T(i32)",
    "tt_np_f16": "T(a.astype('float16'))",
    "tt_np_bool": "T(bm)",
    "tt_dtype": "T([1, 2], dtype='float64')",
    "tt_npscalar": "T(np.float64(2.5))",
    "zeros": "paddle.zeros([2, 3])",
    "zeros_i32": "paddle.zeros([2, 3], 'int32')",
    "ones": "paddle.ones([2])",
    "full_int": "paddle.full([2], 3)",
    "full_float": "paddle.full([2, 2], 1.5)",
    "full_bool": "paddle.full([2], True)",
    "full_dtype": "paddle.full([2], 3, dtype='float32')",
    "full_like": "paddle.full_like(T(a), 2)",
    "full_like_i": "paddle.full_like(T(i), 2)",
    "zeros_like_i": "paddle.zeros_like(T(i))",
    "ones_like_dt": "paddle.ones_like(T(i), dtype='float32')",
    "arange_int": "paddle.arange(5)",
    "arange_int3": "paddle.arange(1, 10, 3)",
    "arange_float": "paddle.arange(0, 1, 0.25)",
    "arange_floatstart": "paddle.arange(1.0, 4)",
    "arange_dtype": "paddle.arange(0, 10, 3, 'float32')",
    "linspace": "paddle.linspace(0, 1, 5)",
    "linspace_int": "paddle.linspace(0, 10, 4, 'int32')",
    "eye": "paddle.eye(3)",
    "eye_rect": "paddle.eye(2, 3)",
    "eye_int": "paddle.eye(3, dtype='int32')",
    # ---- arithmetic and dtype promotion -------------------------------------------------
    "add": "paddle.add(T(a), T(a))",
    "add_bcast": "T(c) + T(v4)",
    "sub_scalar": "T(a) - 1",
    "rsub_scalar": "1 - T(a)",
    "mul_scalar": "T(a) * 2.5",
    "rmul": "3 * T(i)",
    "int_plus_float": "T(i) + 1.5",
    "int_times_float": "T(i) * 0.5",
    "int_plus_int": "T(i) + 2",
    "int32_plus_int": "T(i32) + 2",
    "int_div_int": "T(num) / T(den)",
    "int_div_scalar": "T(num) / 2",
    "rdiv": "2 / T(fden)",
    "divide": "paddle.divide(T(num), T(den))",
    "floordiv_int": "paddle.floor_divide(T(num), T(den))",
    "floordiv_op": "T(num) // 2",
    "remainder_int": "paddle.remainder(T(num), T(den))",
    "remainder_float": "paddle.remainder(T(fnum), T(fden))",
    "mod_op": "T(num) % 3",
    "pow_scalar": "paddle.pow(T(a), 2)",
    "pow_tensor": "paddle.pow(T(fden), T(fden))",
    "pow_op_int": "T(i) ** 2",
    "rpow": "2 ** T(a)",
    "rdiv_int": "2 / T(den)",
    "bool_plus_int": "T(bm) + 1",
    "bool_times_float": "T(bm) * 1.5",
    "int_times_bool": "T(i) * True",
    "pow_op_intf": "T(i) ** 2.5",
    "pow_int_f": "paddle.pow(T(den), 2.5)",
    "rpow_f": "2.5 ** T(den)",
    "floordiv_f": "T(num) // 2.5",
    "mod_f": "T(num) % 2.5",
    "rsub_int": "10 - T(i)",
    "clip_int_f": "paddle.clip(T(i), 0.5, 1.5)",
    "int_plus_int32": "T(i) + T(i32)",
    "where_mixed": "paddle.where(T(bm), T(i), T(a))",
    "eq_mixed": "T(i) == T(a)",
    "neg": "-T(i)",
    "abs_op": "abs(T(a))",
    "matmul_op": "T(a) @ T(b)",
    "maximum": "paddle.maximum(T(a), T(a) * 0)",
    "int_plus_f32": "T(i) + T(a)",
    "f32_plus_f64": "T(a) + T(a.astype('float64'))",
    # ---- reductions -------------------------------------------------------------------------
    "sum_all": "paddle.sum(T(a))",
    "sum_axis": "paddle.sum(T(a), axis=1)",
    "sum_axes_keep": "paddle.sum(T(c), axis=[0, 2], keepdim=True)",
    "sum_neg_axis": "T(c).sum(-1)",
    "sum_int32": "paddle.sum(T(i32))",
    "sum_bool": "paddle.sum(T(bm))",
    "sum_int64": "paddle.sum(T(i), axis=0)",
    "sum_dtype": "paddle.sum(T(i32), dtype='float32')",
    "mean_all": "paddle.mean(T(a))",
    "mean_axis_keep": "paddle.mean(T(c), axis=1, keepdim=True)",
    "max_all": "paddle.max(T(a))",
    "max_axis": "paddle.max(T(a), axis=0)",
    "min_keep": "paddle.min(T(c), axis=-1, keepdim=True)",
    "max_int": "paddle.max(T(i), axis=1)",
    "prod_all": "paddle.prod(T(a))",
    "prod_axis": "paddle.prod(T(c), axis=1, keepdim=True)",
    "prod_int": "paddle.prod(T(i), axis=0)",
    "var_all": "paddle.var(T(a))",
    "var_axis": "paddle.var(T(a), axis=1, unbiased=False)",
    "std_axis": "paddle.std(T(c), axis=[0, 2], keepdim=True)",
    "logsumexp_all": "paddle.logsumexp(T(a))",
    "logsumexp_axis": "paddle.logsumexp(T(c), axis=1, keepdim=True)",
    "cumsum_none": "paddle.cumsum(T(a))",
    "cumsum_axis": "paddle.cumsum(T(a), axis=0)",
    "cumsum_int": "paddle.cumsum(T(i), axis=1)",
    "cumprod": "paddle.cumprod(T(a), dim=1)",
    "clip": "paddle.clip(T(a), -0.5, 0.5)",
    "clip_min": "paddle.clip(T(a), min=0.0)",
    "clip_int": "paddle.clip(T(i), -2, 2)",
    "all_axis": "paddle.all(T(bm), axis=0)",
    "any_all": "paddle.any(T(bm))",
    # ---- manipulation ----------------------------------------------------------------------
    "reshape_0": "paddle.reshape(T(c), [0, -1])",
    "reshape_neg": "paddle.reshape(T(c), [-1, 4, 1])",
    "transpose": "paddle.transpose(T(c), [2, 0, 1])",
    "concat": "paddle.concat([T(a), T(a)], axis=1)",
    "concat_neg": "paddle.concat([T(c), T(c)], axis=-1)",
    "stack": "paddle.stack([T(a), T(a)], axis=1)",
    "stack_neg": "paddle.stack([T(a), T(a)], axis=-1)",
    "split_num": "paddle.split(T(c), 2, axis=2)",
    "split_sec": "paddle.split(T(c), [1, -1], axis=2)",
    "split_sec3": "paddle.split(T(a), [2, 1], axis=0)",
    "chunk": "paddle.chunk(T(a), 2, axis=1)",
    "squeeze": "paddle.squeeze(T(c)[:, :1], axis=1)",
    "squeeze_all": "paddle.squeeze(T(a).reshape([1, 3, 1, 4]))",
    "squeeze_neg": "paddle.squeeze(T(a).reshape([3, 4, 1]), axis=-1)",
    "squeeze_nonone": "paddle.squeeze(T(a), axis=0)",
    "unsqueeze": "paddle.unsqueeze(T(a), axis=0)",
    "unsqueeze_neg": "paddle.unsqueeze(T(a), axis=-1)",
    "unsqueeze_list": "paddle.unsqueeze(T(a), axis=[0, 2])",
    "flatten": "paddle.flatten(T(c))",
    "flatten_range": "paddle.flatten(T(c), start_axis=1)",
    "expand": "paddle.expand(T(v4), [3, 4])",
    "expand_neg1": "paddle.expand(T(a)[:1], [2, -1, 4])",
    "tile": "paddle.tile(T(v4), [2, 2])",
    "tile_short": "paddle.tile(T(a), [2])",
    "gather": "paddle.gather(T(a), T(idx))",
    "gather_axis": "paddle.gather(T(a), T(idx), axis=1)",
    "gather_nd": "paddle.gather_nd(T(c), T(nd_idx[:, :1] % 2))",
    "gather_nd_2": "paddle.gather_nd(T(c), T(nd_idx % 2))",
    "gather_nd_full": "paddle.gather_nd(T(a), T(nd_idx[:, :2] % 3))",
    "scatter_over": "paddle.scatter(T(sc_x), T(sc_ids), T(sc_up))",
    "scatter_add": "paddle.scatter(T(sc_x), T(sc_ids), T(sc_up), overwrite=False)",
    "index_select": "paddle.index_select(T(a), T(idx), axis=1)",
    "where": "paddle.where(T(bm), T(a), T(a) * 0)",
    "where_scalar": "paddle.where(T(bm), T(a), 0.0)",
    "masked_select": "paddle.masked_select(T(a), T(bm))",
    "slice": "paddle.slice(T(c), axes=[0, 2], starts=[1, 1], ends=[2, 3])",
    "slice_neg": "paddle.slice(T(c), axes=[2], starts=[-3], ends=[10000])",
    "strided_slice": "paddle.strided_slice(T(c), axes=[1, 2], starts=[0, 3], ends=[3, 0], "
    "strides=[2, -1])",
    "roll": "paddle.roll(T(a), 1)",
    "roll_axis": "paddle.roll(T(a), [1, -1], axis=[0, 1])",
    "flip": "paddle.flip(T(a), [0])",
    "flip2": "paddle.flip(T(c), [0, 2])",
    # ---- matmul family -----------------------------------------------------------------------
    "matmul": "paddle.matmul(T(a), T(b))",
    "matmul_tx": "paddle.matmul(T(a), T(a), transpose_x=True)",
    "matmul_ty": "paddle.matmul(T(a), T(a), transpose_y=True)",
    "matmul_bcast": "paddle.matmul(T(c), T(b))",
    "matmul_1d": "paddle.matmul(T(v4), T(v4))",
    "matmul_1d2d": "paddle.matmul(T(v4), T(b))",
    "matmul_2d1d": "paddle.matmul(T(a), T(v4))",
    "matmul_int_float": "paddle.matmul(T(i), T(b))",
    "bmm": "paddle.bmm(T(c), T(d))",
    "einsum": "paddle.einsum('bij,bjk->bik', T(c), T(d))",
    "einsum_trace": "paddle.einsum('ii->', T(a)[:, :3])",
    # ---- search and sort ---------------------------------------------------------------------
    "argmax": "paddle.argmax(T(a))",
    "argmax_axis": "paddle.argmax(T(a), axis=1)",
    "argmax_keep": "paddle.argmax(T(a), axis=0, keepdim=True)",
    "argmin_axis": "paddle.argmin(T(c), axis=-1)",
    "argmin": "paddle.argmin(T(a))",
    "argsort": "paddle.argsort(T(a), axis=1)",
    "argsort_desc": "paddle.argsort(T(a), axis=0, descending=True)",
    "sort_desc": "paddle.sort(T(a), axis=1, descending=True)",
    "sort": "paddle.sort(T(c))",
    "topk": "paddle.topk(T(a), 2)",
    "topk_small": "paddle.topk(T(a), 2, axis=0, largest=False)",
    # ---- comparison, logic, special values ---------------------------------------------------
    "equal": "paddle.equal(T(i), T(i) * 0)",
    "gt_scalar": "T(a) > 0.5",
    "le_int": "T(i) <= 1",
    "eq_op": "T(i) == T(i)",
    "ne_float": "T(i) != 1.0",
    "logical_and": "paddle.logical_and(T(bm), T(bm2))",
    "and_op": "T(bm) & T(bm2)",
    "or_op": "T(bm) | T(bm2)",
    "xor_op": "T(bm) ^ T(bm2)",
    "invert": "~T(bm)",
    "logical_not": "paddle.logical_not(T(bm))",
    "isnan": "paddle.isnan(T(spec))",
    "isinf": "paddle.isinf(T(spec))",
    "isfinite": "paddle.isfinite(T(spec))",
    "nonzero": "paddle.nonzero(T(bm))",
    "nonzero_tuple": "paddle.nonzero(T(bm), as_tuple=True)",
    "equal_all": "paddle.equal_all(T(a), T(a))",
    "allclose": "paddle.allclose(T(a), T(a) + 1e-9)",
    # ---- Tensor methods and indexing -------------------------------------------------------
    "astype": "T(a).astype('int32')",
    "cast": "paddle.cast(T(i), 'float64')",
    "idx_int": "T(c)[1]",
    "idx_neg": "T(c)[-1, 2]",
    "idx_slice": "T(c)[:, 1:3]",
    "idx_negstep": "T(c)[:, ::-1]",
    "idx_negstep2": "T(a)[::-2, 3:0:-1]",
    "idx_negstep3": "T(c)[..., ::-1, 1]",
    "idx_ellipsis": "T(c)[..., 1]",
    "idx_none": "T(c)[None, 0]",
    "idx_bool": "T(a)[T(bm)]",
    "idx_inttensor": "T(a)[T(idx)]",
    "idx_list": "T(a)[[0, 2]]",
    "idx_scalar": "T(a)[1, 2]",
    "set_slice": "setit(a, slice(1, 3), 0)",
    "set_mask": "setit(a, T(bm), 7.0)",
    "set_tensor": "setit(a, (0, slice(None)), T(v4))",
    "set_int_float": "setit(i, 0, 2.7)",
    "set_negstep": "setit(a, (slice(None), slice(None, None, -2)), 1.0)",
}

ORACLE = r"""
import json, numpy as np, paddle
paddle.set_device('cpu')
exec(PRELUDE)
res, meta = {}, {}
for name, expr in CASES.items():
    try:
        out = eval(expr)
    except Exception as e:
        meta[name] = {'error': type(e).__name__, 'msg': str(e)[-300:]}
        continue
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    meta[name] = {'outs': [[str(o.dtype), list(o.shape)] for o in outs]}
    for k, o in enumerate(outs):
        res['%s__%d' % (name, k)] = o.numpy()
np.savez('out.npz', **res)
json.dump(meta, open('meta.json', 'w'))
"""


def _dtype_name(d) -> str:
    return str(d).replace("paddle.", "")


def run_cases(paddle, cases: dict) -> tuple[dict, dict]:
    """Evaluate ``cases`` with ``paddle`` (paddlefish here); same layout as the oracle's."""
    ns = {"paddle": paddle}
    exec(PRELUDE, ns)  # noqa: S102 - the fixed test prelude
    res, meta = {}, {}
    for name, expr in cases.items():
        try:
            out = eval(expr, ns)
        except Exception as e:  # noqa: BLE001 - recorded, compared with the oracle's outcome
            meta[name] = {"error": type(e).__name__, "msg": str(e)}
            continue
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        meta[name] = {"outs": [[_dtype_name(o.dtype), list(o.shape)] for o in outs]}
        for k, o in enumerate(outs):
            res[f"{name}__{k}"] = o.numpy()
    return res, meta


def _oracle(tmp_path, code: str, cases: dict, version: str = "3.3"):
    src = f"PRELUDE = {PRELUDE!r}\nCASES = {cases!r}\n" + code
    run_paddle(src, version, cwd=tmp_path)
    meta = json.loads((tmp_path / "meta.json").read_text())
    with np.load(tmp_path / "out.npz") as z:
        return {k: z[k] for k in z.files}, meta


def compare(ours, ref, cases: dict) -> list[str]:
    """Every mismatch between two (values, meta) results, one line each."""
    (ov, om), (rv, rm) = ours, ref
    bad = []
    for name in cases:
        o, r = om[name], rm[name]
        if "error" in r or "error" in o:
            if "error" not in r or "error" not in o:
                bad.append(f"{name}: ours {o} vs paddle {r}")
            continue
        if [[_dtype_name(d), s] for d, s in r["outs"]] != o["outs"]:
            bad.append(f"{name}: dtype/shape ours {o['outs']} vs paddle {r['outs']}")
            continue
        for k in range(len(r["outs"])):
            x, y = ov[f"{name}__{k}"], rv[f"{name}__{k}"]
            if not np.allclose(x, y, rtol=1e-5, atol=1e-5, equal_nan=True):
                bad.append(f"{name}[{k}]: values ours {x.ravel()[:6]} vs paddle {y.ravel()[:6]}")
    return bad


@pytest.mark.oracle
def test_functional_table_matches_paddle_33(tmp_path):
    import paddlefish as paddle

    ref = _oracle(tmp_path, ORACLE, CASES)
    ours = run_cases(paddle, CASES)
    bad = compare(ours, ref, CASES)
    assert not bad, f"{len(bad)} of {len(CASES)} cases differ from Paddle 3.3:\n" + "\n".join(bad)


# ---- gradients ---------------------------------------------------------------------------------
# Each case binds ``out`` and ``ins`` (leaf tensors with stop_gradient=False); the loss is
# sum(out * w) with a fixed non-uniform weight w so that every gradient entry is informative.
GRAD_CASES = {
    "matmul": "x, y = P(a), P(b); out = paddle.matmul(x, y); ins = [x, y]",
    "matmul_t": "x = P(a); out = paddle.matmul(x, x, transpose_y=True); ins = [x]",
    "sum_axis": "x = P(c); out = paddle.sum(x, axis=1); ins = [x]",
    "mean": "x = P(a); out = paddle.mean(x, axis=0, keepdim=True); ins = [x]",
    "max": "x = P(a); out = paddle.max(x, axis=1); ins = [x]",
    "prod": "x = P(a); out = paddle.prod(x, axis=1); ins = [x]",
    "logsumexp": "x = P(a); out = paddle.logsumexp(x, axis=1); ins = [x]",
    "var": "x = P(a); out = paddle.var(x, axis=0); ins = [x]",
    "gather": "x = P(a); out = paddle.gather(x, T(idx)); ins = [x]",
    "concat_split": "x, y = P(a), P(a); out = paddle.split(paddle.concat([x, y], 1), [3, 5], 1)[1]; "
    "ins = [x, y]",
    "where": "x, y = P(a), P(a); out = paddle.where(T(bm), x * 2, y); ins = [x, y]",
    "clip": "x = P(a); out = paddle.clip(x, -0.5, 0.5); ins = [x]",
    "pow": "x = P(a); out = paddle.pow(x, 3); ins = [x]",
    "pow_t": "x, y = P(np.abs(a) + 0.5), P(a); out = paddle.pow(x, y); ins = [x, y]",
    "index": "x = P(c); out = x[:, ::-1, 1:3]; ins = [x]",
    "index_mask": "x = P(a); out = x[T(bm)]; ins = [x]",
    "index_int": "x = P(a); out = x[T(idx)]; ins = [x]",
    "cumsum": "x = P(a); out = paddle.cumsum(x, axis=1); ins = [x]",
    "div": "x, y = P(a), P(np.abs(a) + 1); out = x / y; ins = [x, y]",
}

GRAD_ORACLE = r"""
import json, numpy as np, paddle
paddle.set_device('cpu')
exec(PRELUDE)
def P(v):
    return paddle.to_tensor(v, stop_gradient=False)
res, meta = {}, {}
for name, code in CASES.items():
    ns = dict(globals())
    exec(code, ns)
    out, ins = ns['out'], ns['ins']
    w = paddle.to_tensor(np.linspace(-1, 2, out.size).reshape(out.shape).astype('float32'))
    gs = paddle.grad([(out * w).sum()], ins)
    meta[name] = {'outs': [[str(g.dtype), list(g.shape)] for g in gs]}
    for k, g in enumerate(gs):
        res['%s__%d' % (name, k)] = g.numpy()
np.savez('out.npz', **res)
json.dump(meta, open('meta.json', 'w'))
"""


def run_grad_cases(paddle, cases):
    ns = {"paddle": paddle}
    exec(PRELUDE, ns)  # noqa: S102 - the fixed test prelude
    ns["P"] = lambda v: paddle.to_tensor(v, stop_gradient=False)
    res, meta = {}, {}
    for name, code in cases.items():
        env = dict(ns)
        exec(code, env)  # noqa: S102 - a case from GRAD_CASES
        out, ins = env["out"], env["ins"]
        w = paddle.to_tensor(np.linspace(-1, 2, out.size).reshape(out.shape).astype("float32"))
        gs = paddle.grad([(out * w).sum()], ins)
        meta[name] = {"outs": [[_dtype_name(g.dtype), list(g.shape)] for g in gs]}
        for k, g in enumerate(gs):
            res[f"{name}__{k}"] = g.numpy()
    return res, meta


@pytest.mark.oracle
def test_gradients_match_paddle_33(tmp_path):
    import paddlefish as paddle

    ref = _oracle(tmp_path, GRAD_ORACLE, GRAD_CASES)
    ours = run_grad_cases(paddle, GRAD_CASES)
    bad = compare(ours, ref, GRAD_CASES)
    assert not bad, "gradients differ from Paddle 3.3:\n" + "\n".join(bad)
