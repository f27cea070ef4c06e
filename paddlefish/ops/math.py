"""Elementwise, matmul, reduction, comparison and logic ops (Paddle legacy names)."""

from __future__ import annotations

import torch

from ._registry import AttrType, op
from ._torch_dtype import torch_dtype_of_vartype


def _align(X, Y, axis):
    # NOTE [elementwise axis]: Paddle's elementwise ops broadcast Y against X starting at
    # dimension ``axis`` of X when axis != -1 (1.x semantics); -1 is numpy broadcasting.
    if axis == -1 or Y.dim() >= X.dim() or Y.dim() == 0:
        return Y
    return Y.reshape(list(Y.shape) + [1] * (X.dim() - axis - Y.dim()))


def _broadcast(a, b) -> list[int]:
    """numpy broadcasting of two shapes (torch.broadcast_shapes imports sympy on first use)."""
    n = max(len(a), len(b))
    a, b = [1] * (n - len(a)) + list(a), [1] * (n - len(b)) + list(b)
    out = []
    for x, y in zip(a, b):
        if x != y and 1 not in (x, y):
            raise ValueError(f"shapes {a} and {b} cannot broadcast (dimension {x} vs {y})")
        out.append(y if x == 1 else x)
    return out


def _binary(name, fn, pir):
    @op(name, pir=pir)
    def kernel(X, Y, *, axis=-1):
        Y = _align(X, Y, axis)
        if X.is_meta and Y.dtype == X.dtype and X.is_floating_point():
            # recording: same-dtype float operands broadcast (see NOTE [meta batch_norm])
            return torch.empty(_broadcast(X.shape, Y.shape), dtype=X.dtype, device="meta")
        return fn(X, Y)

    kernel.__name__ = name
    return kernel


def _floordiv(x, y):
    return torch.div(x, y, rounding_mode="floor")


def _divide(x, y):
    if not x.is_floating_point() and not x.is_complex():
        return torch.div(x, y, rounding_mode="trunc")
    return torch.div(x, y)


_binary("elementwise_add", torch.add, "pd_op.add")
_binary("elementwise_sub", torch.sub, "pd_op.subtract")
_binary("elementwise_mul", torch.mul, "pd_op.multiply")
_binary("elementwise_div", _divide, "pd_op.divide")
_binary("elementwise_pow", torch.pow, "pd_op.elementwise_pow")
_binary("elementwise_max", torch.maximum, "pd_op.maximum")
_binary("elementwise_min", torch.minimum, "pd_op.minimum")
_binary("elementwise_mod", torch.remainder, "pd_op.remainder")
_binary("elementwise_floordiv", _floordiv, "pd_op.floor_divide")


@op("matmul_v2", pir="pd_op.matmul")
def matmul_v2(X, Y, *, trans_x=False, trans_y=False):
    if trans_x:
        X = X.transpose(-1, -2) if X.dim() > 1 else X
    if trans_y:
        Y = Y.transpose(-1, -2) if Y.dim() > 1 else Y
    if X.is_meta and X.dtype == Y.dtype and X.dim() and Y.dim():
        # recording: torch's meta matmul imports sympy (NOTE [meta batch_norm])
        a, b = list(X.shape), list(Y.shape)
        squeeze_a, squeeze_b = len(a) == 1, len(b) == 1
        a, b = ([1] + a if squeeze_a else a), (b + [1] if squeeze_b else b)
        if a[-1] != b[-2]:
            raise ValueError(f"matmul: shapes {list(X.shape)} and {list(Y.shape)} do not "
                             f"multiply ({a[-1]} vs {b[-2]})")
        shape = _broadcast(a[:-2], b[:-2]) + [a[-2], b[-1]]
        if squeeze_b:
            shape.pop(-1)
        if squeeze_a:
            shape.pop(-2 if not squeeze_b else -1)
        return torch.empty(shape, dtype=X.dtype, device="meta")
    return torch.matmul(X, Y)


@op("bmm", pir="pd_op.bmm")
def bmm(X, Y):
    return torch.bmm(X, Y)


@op("scale", pir="pd_op.scale")
def scale(X, ScaleTensor=None, *, scale=1.0, bias=0.0, bias_after_scale=True):
    s = ScaleTensor if ScaleTensor is not None else scale
    if bias_after_scale:
        out = X * s + bias if bias else X * s
    else:
        out = (X + bias) * s
    return out.to(X.dtype) if out.dtype != X.dtype else out


def _unary(name, fn, pir, out_dtype=None):
    @op(name, pir=pir)
    def kernel(X):
        if X.is_meta and X.is_floating_point():
            # recording (shapes only): a float unary op keeps shape and dtype (predicates such as
            # isnan give bool); skipping torch's meta path avoids its lazy torch._dynamo import
            # (see NOTE [meta batch_norm])
            return torch.empty(X.shape, dtype=out_dtype or X.dtype, device="meta")
        return fn(X)

    kernel.__name__ = name
    return kernel


def _round_half_away(x):
    # NOTE [round half away from zero]: Paddle 2.6's round kernel is std::round, which rounds
    # halves away from zero (round(2.5) == 3, round(-0.5) == -1); torch.round rounds them to even.
    # floor(x + 0.5) is not it either: in float32 0.49999997 + 0.5 rounds up to 1.0. The
    # fractional part x - trunc(x) is exact, so comparing it with 0.5 is. Paddle 3.x changed
    # its kernel to round halves to even (observed in 3.3.1); paddlefish follows Paddle 2.6.
    if not x.is_floating_point():
        return torch.round(x)
    t = torch.trunc(x)
    return torch.where((x - t).abs() >= 0.5, t + torch.sign(x), t)


for _n, _f, _p in [
    ("relu", torch.relu, "pd_op.relu"),
    ("sigmoid", torch.sigmoid, "pd_op.sigmoid"),
    ("tanh", torch.tanh, "pd_op.tanh"),
    ("exp", torch.exp, "pd_op.exp"),
    ("log", torch.log, "pd_op.log"),
    ("log2", torch.log2, "pd_op.log2"),
    ("log10", torch.log10, "pd_op.log10"),
    ("log1p", torch.log1p, "pd_op.log1p"),
    ("sqrt", torch.sqrt, "pd_op.sqrt"),
    ("rsqrt", torch.rsqrt, "pd_op.rsqrt"),
    ("abs", torch.abs, "pd_op.abs"),
    ("square", torch.square, "pd_op.square"),
    ("sin", torch.sin, "pd_op.sin"),
    ("cos", torch.cos, "pd_op.cos"),
    ("tan", torch.tan, "pd_op.tan"),
    ("asin", torch.asin, "pd_op.asin"),
    ("acos", torch.acos, "pd_op.acos"),
    ("atan", torch.atan, "pd_op.atan"),
    ("sinh", torch.sinh, "pd_op.sinh"),
    ("cosh", torch.cosh, "pd_op.cosh"),
    ("erf", torch.erf, "pd_op.erf"),
    ("sign", torch.sign, "pd_op.sign"),
    ("floor", torch.floor, "pd_op.floor"),
    ("ceil", torch.ceil, "pd_op.ceil"),
    ("round", _round_half_away, "pd_op.round"),
    ("reciprocal", torch.reciprocal, "pd_op.reciprocal"),
    ("bitwise_not", torch.bitwise_not, "pd_op.bitwise_not"),
]:
    _unary(_n, _f, _p)

for _n, _f, _p in [
    ("logical_not", torch.logical_not, "pd_op.logical_not"),
    ("isnan_v2", torch.isnan, "pd_op.isnan"),
    ("isinf_v2", torch.isinf, "pd_op.isinf"),
    ("isfinite_v2", torch.isfinite, "pd_op.isfinite"),
]:
    _unary(_n, _f, _p, out_dtype=torch.bool)


@op("pow", pir="pd_op.pow")
def pow_(X, FactorTensor=None, *, factor=1.0):
    f = FactorTensor if FactorTensor is not None else factor
    if not (X.is_floating_point() or X.is_complex()):
        # Paddle's pow keeps an integer x's dtype, truncating the factor: pow(int 2, 2.5) == 4
        return torch.pow(X, f.to(X.dtype) if isinstance(f, torch.Tensor) else int(f))
    return torch.pow(X, f)


@op("clip", pir="pd_op.clip")
def clip(X, Min=None, Max=None, *, min=-3.4028234663852886e38, max=3.4028234663852886e38):
    lo = Min if Min is not None else min
    hi = Max if Max is not None else max
    if not X.is_floating_point():
        # float bounds would promote; Paddle's clip keeps x's dtype. The defaults (+-FLT_MAX)
        # mean "no bound" and do not fit an integer type.
        lo = None if not isinstance(lo, torch.Tensor) and abs(lo) >= 3.4e38 else lo
        hi = None if not isinstance(hi, torch.Tensor) and abs(hi) >= 3.4e38 else hi
        lo = int(lo) if isinstance(lo, float) else lo
        hi = int(hi) if isinstance(hi, float) else hi
        if lo is None and hi is None:
            return X.clone()
    return torch.clamp(X, lo, hi)


# NOTE [reduce dtypes]: Paddle's reduce kernels cast ``X`` to ``out_dtype`` before reducing
# and give ``out_dtype`` (-1 = unset: the kernel's own rule, e.g. sum of bool/int32 is int64);
# ``paddle.sum(x, dtype=...)`` writes ``in_dtype`` = x's dtype and ``out_dtype`` = ``dtype``
# instead of a ``cast`` (observed in Paddle 2.6's jit.save). A set ``in_dtype`` that differs from
# X's dtype is cast to first. ``dim`` is INTS for most reductions but LONGS for reduce_all/any and
# reduce_amax/amin (Paddle 2.6's op protos).
def _reduce(name, fn, pir, dim_type=AttrType.INTS):
    @op(name, pir=pir, attr_types={"dim": dim_type})
    def kernel(X, *, dim=[0], keep_dim=False, reduce_all=False, in_dtype=-1, out_dtype=-1):
        if in_dtype != -1:
            X = X.to(torch_dtype_of_vartype(in_dtype))
        out_td = None if out_dtype == -1 else torch_dtype_of_vartype(out_dtype)
        if out_td is not None:
            X = X.to(out_td)
        dims = list(range(X.dim())) if (reduce_all or not dim or len(dim) == X.dim()) else dim
        out = fn(X, None, keep_dim) if X.dim() == 0 else fn(X, dims, keep_dim)
        return out if out_td is None else out.to(out_td)

    kernel.__name__ = name
    return kernel


def _sum(x, dims, keep):
    if x.dtype == torch.bool or (not x.is_floating_point() and x.dtype != torch.int64):
        x = x.to(torch.int64) if not x.is_complex() and x.dtype in (torch.bool, torch.int32) else x
    return x.sum() if dims is None else torch.sum(x, dims, keepdim=keep)


def _mean(x, dims, keep):
    return x.mean() if dims is None else torch.mean(x, dims, keepdim=keep)


def _amax(x, dims, keep):
    return x if dims is None else torch.amax(x, dims, keepdim=keep)


def _amin(x, dims, keep):
    return x if dims is None else torch.amin(x, dims, keepdim=keep)


def _prod(x, dims, keep):
    if dims is None:
        return x
    dt = x.dtype
    for d in sorted((d % x.dim() for d in dims), reverse=True):
        x = torch.prod(x, d, keepdim=keep)
    # torch.prod makes int32 int64; Paddle's keeps the input's dtype (observed in Paddle 2.6)
    return x if dt == torch.bool else x.to(dt)


def _all(x, dims, keep):
    return x if dims is None else torch.all(x, dim=tuple(dims), keepdim=keep)


def _any(x, dims, keep):
    return x if dims is None else torch.any(x, dim=tuple(dims), keepdim=keep)


_reduce("reduce_sum", _sum, "pd_op.sum")
_reduce("reduce_mean", _mean, "pd_op.mean")
_reduce("reduce_max", _amax, "pd_op.max")
_reduce("reduce_min", _amin, "pd_op.min")
_reduce("reduce_prod", _prod, "pd_op.prod")
_reduce("reduce_all", _all, "pd_op.all", AttrType.LONGS)
_reduce("reduce_any", _any, "pd_op.any", AttrType.LONGS)
# paddle.amax/amin (same forward as reduce_max/min; Paddle's eager gradient splits evenly among
# ties, as torch.amax's does)
_reduce("reduce_amax", _amax, "pd_op.amax", AttrType.LONGS)
_reduce("reduce_amin", _amin, "pd_op.amin", AttrType.LONGS)


@op("mean", pir="pd_op.mean_all")
def mean(X):
    return X.mean()


@op("sum", pir="pd_op.add_n", duplicable=("X",))
def sum_(X):
    out = X[0]
    for x in X[1:]:
        out = out + x
    return out


@op("logsumexp", pir="pd_op.logsumexp")
def logsumexp(X, *, axis=[0], keepdim=False, reduce_all=False):
    dims = list(range(X.dim())) if reduce_all or not axis else axis
    return torch.logsumexp(X, dims, keepdim=keepdim)


@op("cumsum", pir="pd_op.cumsum")
def cumsum(X, *, axis=-1, flatten=False, exclusive=False, reverse=False):
    x = X.flatten() if flatten else X
    if reverse:
        x = x.flip(axis)
    out = torch.cumsum(x, axis)
    if exclusive:
        out = out - x
    if reverse:
        out = out.flip(axis)
    return out


@op("cumprod", pir="pd_op.cumprod")
def cumprod(X, *, dim=-1):
    return torch.cumprod(X, dim)


def _compare(name, fn, pir):
    @op(name, pir=pir)
    def kernel(X, Y, *, axis=-1, force_cpu=False):
        return fn(X, _align(X, Y, axis))

    kernel.__name__ = name
    return kernel


_compare("equal", torch.eq, "pd_op.equal")
_compare("not_equal", torch.ne, "pd_op.not_equal")
_compare("less_than", torch.lt, "pd_op.less_than")
_compare("less_equal", torch.le, "pd_op.less_equal")
_compare("greater_than", torch.gt, "pd_op.greater_than")
_compare("greater_equal", torch.ge, "pd_op.greater_equal")


def _logical(name, fn, pir):
    @op(name, pir=pir)
    def kernel(X, Y):
        return fn(X, Y)

    kernel.__name__ = name
    return kernel


_logical("logical_and", torch.logical_and, "pd_op.logical_and")
_logical("logical_or", torch.logical_or, "pd_op.logical_or")
_logical("logical_xor", torch.logical_xor, "pd_op.logical_xor")
_logical("bitwise_and", torch.bitwise_and, "pd_op.bitwise_and")
_logical("bitwise_or", torch.bitwise_or, "pd_op.bitwise_or")
_logical("bitwise_xor", torch.bitwise_xor, "pd_op.bitwise_xor")


@op("allclose", pir="pd_op.allclose")
def allclose(Input, Other, *, rtol="1e-05", atol="1e-08", equal_nan=False):
    return torch.tensor(torch.allclose(Input, Other, float(rtol), float(atol), equal_nan))


@op("equal_all", pir="pd_op.equal_all")
def equal_all(X, Y):
    return torch.tensor(X.shape == Y.shape and bool(torch.equal(X, Y)))


@op(
    "einsum",
    pir="pd_op.einsum",
    duplicable=("Operands",),
    outputs=("Out", "InnerCache?", "XShape?"),
)
def einsum(Operands, *, equation=""):
    return torch.einsum(equation, *Operands), None, None


@op("fc", pir="pd_op.fc", extra_attrs=("use_mkldnn", "use_onednn", "use_quantizer",
                                        "mkldnn_data_type", "onednn_data_type"))
def fc(Input, W, Bias=None, *, in_num_col_dims=1, activation_type="", padding_weights=False):
    """Paddle's fused fully-connected op (inference passes write it): ``Input`` flattened to 2-D
    at ``in_num_col_dims``, times ``W [in, out]``, plus ``Bias``. NOTE [fc eager]: eager
    ``F.linear`` runs through it so torch fuses the bias into the GEMM (addmm); recording still
    writes Paddle's ``matmul_v2`` + ``elementwise_add``."""
    if padding_weights:
        W = W[:-4, :-4]
    lead = list(Input.shape[:in_num_col_dims])
    x = Input if Input.dim() == in_num_col_dims + 1 else Input.reshape(lead + [-1])
    out = torch.nn.functional.linear(x, W.t(), Bias)
    if activation_type == "relu":
        out = torch.relu(out)
    elif activation_type:
        raise ValueError(f"fc: activation_type {activation_type!r} is not supported")
    return out

__all__ = [
    "allclose",
    "bmm",
    "clip",
    "cumprod",
    "cumsum",
    "einsum",
    "equal_all",
    "fc",
    "logsumexp",
    "matmul_v2",
    "mean",
    "pow_",
    "scale",
    "sum_",
]
