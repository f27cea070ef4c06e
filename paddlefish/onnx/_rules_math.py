"""Conversion rules (added to ``_rules.RULES``) for elementwise math and reductions beyond
``_rules.py``: trig and hyperbolic functions, ``round`` (half away from zero, as Paddle),
``floor_divide``/``mod`` (Python-style, as Paddle), ``elu``/``selu``/``mish``/``logsigmoid``,
``isnan``/``isinf``/``isfinite``, boolean bitwise ops, ``logsumexp``, ``reduce_all``/``any``,
``p_norm`` and ``cumprod``."""

from __future__ import annotations

import math

import numpy as np

from ._rules import (
    RULES,
    _fix_dtype,
    _in,
    _out,
    _scalar,
    rule,
)

__all__ = ["RULES"]

# ---- elementwise -----------------------------------------------------------------------------
_UNARY = {
    "tan": "Tan",
    "sinh": "Sinh",
    "cosh": "Cosh",
    "asin": "Asin",
    "acos": "Acos",
    "atan": "Atan",
    "sign": "Sign",
}


@rule(*_UNARY)
def _unary(g, op, a):
    g.one(_UNARY[op.type], [_in(op, "X")], _out(op))


@rule("isnan_v2", "isinf_v2", "isfinite_v2")
def _isnan_like(g, op, a):
    x = _in(op, "X")
    if op.type == "isfinite_v2":
        v = g.one("Not", [g.one("Or", [g.one("IsNaN", [x]), g.one("IsInf", [x])])])
    else:
        v = g.one("IsNaN" if op.type == "isnan_v2" else "IsInf", [x])
    _fix_dtype(g, v, np.bool_, _out(op))


@rule("round")
def _round(g, op, a):
    # Paddle rounds half away from zero (std::round: 2.5 -> 3, -0.5 -> -1); ONNX Round rounds
    # half to even, so: sign(x) * floor(|x| + 0.5)
    x = _in(op, "X")
    up = g.one("Floor", [g.one("Add", [g.one("Abs", [x]), _scalar(g, 0.5, x)])])
    g.one("Mul", [g.one("Sign", [x]), up], _out(op))


@rule("square")
def _square(g, op, a):
    x = _in(op, "X")
    g.one("Mul", [x, x], _out(op))


@rule("rsqrt")
def _rsqrt(g, op, a):
    g.one("Reciprocal", [g.one("Sqrt", [_in(op, "X")])], _out(op))


@rule("log1p")
def _log1p(g, op, a):
    x = _in(op, "X")
    g.one("Log", [g.one("Add", [x, _scalar(g, 1.0, x)])], _out(op))


@rule("log2", "log10")
def _log_base(g, op, a):
    x = _in(op, "X")
    base = 2.0 if op.type == "log2" else 10.0
    g.one("Div", [g.one("Log", [x]), _scalar(g, math.log(base), x)], _out(op))


@rule("elu")
def _elu(g, op, a):
    g.one("Elu", [_in(op, "X")], _out(op), alpha=float(a["alpha"]))


@rule("selu")
def _selu(g, op, a):
    g.one("Selu", [_in(op, "X")], _out(op), alpha=float(a["alpha"]), gamma=float(a["scale"]))


@rule("logsigmoid")
def _logsigmoid(g, op, a):
    # log(sigmoid(x)) = -softplus(-x), without log(0) for very negative x
    x = _in(op, "X")
    g.one("Neg", [g.one("Softplus", [g.one("Neg", [x])])], _out(op))


@rule("tanh_shrink")
def _tanh_shrink(g, op, a):
    x = _in(op, "X")
    g.one("Sub", [x, g.one("Tanh", [x])], _out(op))


@rule("mish")
def _mish(g, op, a):
    # x * tanh(softplus(x)), softplus(x) taken as x above ``threshold`` (Paddle's kernel)
    x = _in(op, "X")
    big = g.one("Greater", [x, _scalar(g, a.get("threshold", 20.0), x)])
    sp = g.one("Where", [big, x, g.one("Softplus", [x])])
    g.one("Mul", [x, g.one("Tanh", [sp])], _out(op))


@rule("brelu")
def _brelu(g, op, a):
    x = _in(op, "X")
    g.one("Clip", [x, _scalar(g, a["t_min"], x), _scalar(g, a["t_max"], x)], _out(op))


@rule("elementwise_floordiv", "elementwise_mod")
def _floordiv_mod(g, op, a):
    """Paddle's floor division and Python-style remainder (the divisor's sign). ONNX ``Mod``
    with ``fmod=0`` is that for integers only; floats use ``x - floor(x / y) * y``."""
    x, y, out = _in(op, "X"), _in(op, "Y"), _out(op)
    axis, rx, ry = a.get("axis", -1), g.rank(x), g.rank(y)
    if axis != -1 and ry < rx and axis + ry < rx:
        y = g.unsqueeze(y, list(range(ry, rx - axis)))
    integer = np.issubdtype(g.np_dtype(x), np.integer)
    if op.type == "elementwise_mod" and integer:
        g.one("Mod", [x, y], out, fmod=0)
        return
    if integer:  # floor(x / y) = (x - mod(x, y)) / y, exact in integers
        g.one("Div", [g.one("Sub", [x, g.one("Mod", [x, y], fmod=0)]), y], out)
        return
    q = g.one("Floor", [g.one("Div", [x, y])])
    if op.type == "elementwise_floordiv":
        g.one("Identity", [q], out)
    else:
        g.one("Sub", [x, g.one("Mul", [q, y])], out)


@rule("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not")
def _bitwise(g, op, a):
    x = _in(op, "X")
    if g.np_dtype(x) != np.bool_:
        raise g.fail(
            f"{op.type} on {g.np_dtype(x)} tensors has no ONNX op before opset 18; "
            "only boolean inputs are supported"
        )
    kind = {"bitwise_and": "And", "bitwise_or": "Or", "bitwise_xor": "Xor", "bitwise_not": "Not"}
    ins = [x] if op.type == "bitwise_not" else [x, _in(op, "Y")]
    g.one(kind[op.type], ins, _out(op))


@rule("increment")
def _increment(g, op, a):
    x = _in(op, "X")
    g.one("Add", [x, _scalar(g, a.get("step", 1.0), x)], _out(op))


@rule("label_smooth")
def _label_smooth(g, op, a):
    x, eps = _in(op, "X"), float(a.get("epsilon", 0.0))
    kept = g.one("Mul", [x, _scalar(g, 1.0 - eps, x)])
    prior = _in(op, "PriorDist")
    if prior:
        spread = g.one("Mul", [prior, _scalar(g, eps, x)])
    else:
        n = g.shape(x)[-1]
        if n < 0:
            raise g.fail("label_smooth over a dynamic number of classes is not supported")
        spread = _scalar(g, eps / n, x)
    g.one("Add", [kept, spread], _out(op))


# ---- reductions ------------------------------------------------------------------------------
def _axes(g, x, dims, every) -> list[int] | None:
    r = g.rank(x)
    dims = [int(d) % max(r, 1) for d in (dims or [])]
    return None if every or not dims or len(set(dims)) == r else dims


@rule("logsumexp")
def _logsumexp(g, op, a):
    x = _in(op, "X")
    axes = _axes(g, x, a.get("axis"), a.get("reduce_all"))
    g.reduce("ReduceLogSumExp", x, axes, bool(a.get("keepdim")), _out(op))


@rule("reduce_all", "reduce_any")
def _reduce_bool(g, op, a):
    x, out = _in(op, "X"), _out(op)
    axes = _axes(g, x, a.get("dim"), a.get("reduce_all"))
    kind = "ReduceMin" if op.type == "reduce_all" else "ReduceMax"
    v = g.reduce(kind, g.cast(x, np.float32), axes, bool(a.get("keep_dim")))
    g.cast(v, np.bool_, out)


@rule("p_norm")
def _p_norm(g, op, a):
    x, out = _in(op, "X"), _out(op)
    p, keep = float(a.get("porder", 2.0)), bool(a.get("keepdim"))
    axes = None if a.get("asvector") else [int(a.get("axis", -1)) % g.rank(x)]
    ax = g.one("Abs", [x])
    if p == 2.0:
        v = g.reduce("ReduceL2", x, axes, keep)
    elif p == 1.0:
        v = g.reduce("ReduceL1", x, axes, keep)
    elif math.isinf(p):
        v = g.reduce("ReduceMax" if p > 0 else "ReduceMin", ax, axes, keep)
    elif p == 0.0:
        nz = g.cast(g.one("Not", [g.one("Equal", [x, _scalar(g, 0.0, x)])]), g.np_dtype(x))
        v = g.reduce("ReduceSum", nz, axes, keep)
    else:
        s = g.reduce("ReduceSum", g.one("Pow", [ax, _scalar(g, p, x)]), axes, keep)
        v = g.one("Pow", [s, _scalar(g, 1.0 / p, x)])
    if axes is None and not keep and g.rank(out) == 1:  # Paddle's asvector result is [1]
        v = g.one("Reshape", [v, g.ints([1])])
    g.one("Identity", [v], out)


@rule("cumprod")
def _cumprod(g, op, a):
    """ONNX has no CumProd: |prod| = exp(cumsum(log|x|)) (a zero gives log 0 = -inf, so exp
    gives 0 from there on, as the product), the sign from the parity of the negatives so far."""
    x, out = _in(op, "X"), _out(op)
    axis = g.const(np.int64(int(a.get("dim", -1)) % g.rank(x)), hint="axis")
    mag = g.one("Exp", [g.one("CumSum", [g.one("Log", [g.one("Abs", [x])]), axis])])
    neg = g.one("CumSum", [g.cast(g.one("Less", [x, _scalar(g, 0.0, x)]), g.np_dtype(x)), axis])
    odd = g.one(
        "Sub",
        [
            neg,
            g.one(
                "Mul",
                [g.one("Floor", [g.one("Div", [neg, _scalar(g, 2.0, x)])]), _scalar(g, 2.0, x)],
            ),
        ],
    )
    sign = g.one("Sub", [_scalar(g, 1.0, x), g.one("Mul", [odd, _scalar(g, 2.0, x)])])
    g.one("Mul", [mag, sign], out)


@rule("einsum")
def _einsum(g, op, a):
    if g.opset < 12:
        raise g.fail("einsum needs opset 12 or later (ONNX Einsum); pass opset_version >= 12")
    g.one("Einsum", op.input("Operands"), _out(op), equation=str(a["equation"]))
