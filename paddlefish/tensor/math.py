"""Math, reductions, comparison and logic: Paddle's functional API over the op registry."""

from __future__ import annotations

import numbers

import torch

from .._core.dtypes import convert_dtype
from ..eager.tensor import Tensor, wrap
from ._run import run
from .creation import to_tensor

_NUM = (numbers.Number,)


def _as_tensor(y, like: Tensor) -> Tensor:
    if isinstance(y, Tensor):
        return y
    if isinstance(y, bool) or (isinstance(y, numbers.Number) and not isinstance(y, complex)):
        dt = like.dtype
        if isinstance(y, float) and dt.kind != "f":
            dt = "float32"
        elif isinstance(y, int) and not isinstance(y, bool) and dt.kind == "b":
            dt = "int64"
        return to_tensor(y, dtype=dt)
    return to_tensor(y)


def _scalar_operand(x: Tensor, y) -> Tensor:
    """``x`` cast as Paddle does before mixing it with the Python scalar ``y``."""
    if x.dtype.kind == "b" and isinstance(y, numbers.Number) and not isinstance(y, bool):
        return cast(x, "float32" if isinstance(y, float) else "int64")
    if x.dtype.kind in "iu" and isinstance(y, float):
        return cast(x, "float32")
    return x


def _promote(x: Tensor, y: Tensor, op_name: str = "binary op"):
    # NOTE [tensor type promotion]: like Paddle 3.x, two tensors of different dtypes promote
    # only between floating-point types (to the wider one); any other mix (int64 + float32,
    # int32 + int64, bool + int) is a TypeError. Python scalars are handled before this
    # (``_as_tensor``): int tensor + float scalar gives float32, bool tensor + int gives int64.
    dx, dy = x.dtype, y.dtype
    if dx is dy:
        return x, y
    if dx.kind == "f" and dy.kind == "f":
        big = dx if dx.itemsize >= dy.itemsize else dy
        return cast(x, big), cast(y, big)
    raise TypeError(
        f"{op_name}: tensors of different dtypes x: {dx.name} (shape {x.shape}) and "
        f"y: {dy.name} (shape {y.shape}); Paddle promotes only between floating-point types. "
        "Cast one of them first, e.g. y.astype(x.dtype)."
    )


def _binary(op_type, x, y, scalar_scale=None):
    if not isinstance(x, Tensor):
        y = _scalar_operand(y, x)
        x = _as_tensor(x, y)
    if not isinstance(y, Tensor):
        x = _scalar_operand(x, y)
        if (
            scalar_scale is not None
            and isinstance(y, _NUM)
            and not isinstance(y, bool)
            and (x.dtype.kind == "f" or isinstance(y, int))
        ):
            s, b = scalar_scale(y)
            return run("scale", x, None, scale=float(s), bias=float(b), bias_after_scale=True)
        y = _as_tensor(y, x)
    x, y = _promote(x, y, op_type)
    return run(op_type, x, y, axis=-1)


def add(x, y, name=None):
    return _binary("elementwise_add", x, y, lambda v: (1.0, v))


def subtract(x, y, name=None):
    return _binary("elementwise_sub", x, y, lambda v: (1.0, -v))


def multiply(x, y, name=None):
    return _binary("elementwise_mul", x, y, lambda v: (v, 0.0))


def divide(x, y, name=None):
    if isinstance(x, Tensor) and x.dtype.kind != "f" and isinstance(y, numbers.Number):
        x = cast(x, "float32")
    if isinstance(y, Tensor) and y.dtype.kind != "f" and isinstance(x, numbers.Number):
        y = cast(y, "float32")
    if (
        isinstance(x, Tensor)
        and isinstance(y, Tensor)
        and x.dtype.kind != "f"
        and y.dtype.kind != "f"
    ):
        # Paddle's true division of integer tensors gives float32
        x, y = cast(x, "float32"), cast(y, "float32")
    return _binary(
        "elementwise_div", x, y, lambda v: (1.0 / v, 0.0) if v != 0 else (float("inf"), 0.0)
    )


def floor_divide(x, y, name=None):
    return _binary("elementwise_floordiv", x, y)


def remainder(x, y, name=None):
    return _binary("elementwise_mod", x, y)


mod = remainder
floor_mod = remainder


def pow(x, y, name=None):
    if isinstance(y, numbers.Number) and isinstance(x, Tensor):
        # the pow op keeps x's dtype (an int tensor stays int; see the kernel)
        return run("pow", x, None, factor=float(y))
    return _binary("elementwise_pow", x, y)


def _pow_operator(x, y):
    # ``x ** 2.5`` on an int tensor is float32 in Paddle, unlike ``paddle.pow(x, 2.5)``
    if isinstance(y, numbers.Number) and isinstance(x, Tensor):
        x = _scalar_operand(x, y)
    return pow(x, y)


def maximum(x, y, name=None):
    return _binary("elementwise_max", x, y)


def minimum(x, y, name=None):
    return _binary("elementwise_min", x, y)


def fmax(x, y, name=None):
    return maximum(x, y)


def fmin(x, y, name=None):
    return minimum(x, y)


def scale(x, scale=1.0, bias=0.0, bias_after_scale=True, act=None, name=None):
    st = scale if isinstance(scale, Tensor) else None
    out = run(
        "scale",
        x,
        st,
        scale=float(scale) if st is None else 1.0,
        bias=float(bias),
        bias_after_scale=bias_after_scale,
    )
    return out


def matmul(x, y, transpose_x=False, transpose_y=False, name=None):
    return run("matmul_v2", x, y, trans_x=transpose_x, trans_y=transpose_y)


def mm(input, mat2, name=None):
    return matmul(input, mat2)


def bmm(x, y, name=None):
    return run("bmm", x, y)


def dot(x, y, name=None):
    return sum(multiply(x, y), axis=-1)


def einsum(equation, *operands):
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    return run("einsum", list(operands), equation=equation)[0]


def _unary(name):
    def f(x, name=None):
        return run(op, x)

    op = name
    return f


relu = _unary("relu")
sigmoid = _unary("sigmoid")
tanh = _unary("tanh")
exp = _unary("exp")
log = _unary("log")
log2 = _unary("log2")
log10 = _unary("log10")
log1p = _unary("log1p")
sqrt = _unary("sqrt")
rsqrt = _unary("rsqrt")
abs = _unary("abs")
square = _unary("square")
sin = _unary("sin")
cos = _unary("cos")
tan = _unary("tan")
asin = _unary("asin")
acos = _unary("acos")
atan = _unary("atan")
sinh = _unary("sinh")
cosh = _unary("cosh")
erf = _unary("erf")
sign = _unary("sign")
floor = _unary("floor")
ceil = _unary("ceil")
round = _unary("round")
reciprocal = _unary("reciprocal")
isnan = _unary("isnan_v2")
isinf = _unary("isinf_v2")
isfinite = _unary("isfinite_v2")
bitwise_not = _unary("bitwise_not")


def neg(x, name=None):
    return scale(x, -1.0)


def clip(x, min=None, max=None, name=None):
    mn = min if isinstance(min, Tensor) else None
    mx = max if isinstance(max, Tensor) else None
    if x.dtype.kind in "iu" and (isinstance(min, float) or isinstance(max, float)):
        x = cast(x, "float32")  # Paddle 3: clip(int_tensor, 0.5, 1.5) is float32
    big = 3.4028234663852886e38
    return run(
        "clip",
        x,
        mn,
        mx,
        min=float(min) if min is not None and mn is None else -big,
        max=float(max) if max is not None and mx is None else big,
    )


def _axes(axis, x):
    if axis is None:
        return [], True
    if isinstance(axis, int):
        return [axis], False
    if isinstance(axis, Tensor):
        return [int(v) for v in axis.tolist()], False
    axis = list(axis)
    return axis, len(axis) == 0


def _reduce(op_type, x, axis, keepdim, dtype=None):
    if dtype is not None:
        x = cast(x, dtype)
    dims, reduce_all = _axes(axis, x)
    if reduce_all:
        dims = list(range(x.ndim)) if x.ndim else [0]
    return run(op_type, x, dim=dims, keep_dim=keepdim, reduce_all=reduce_all)


def sum(x, axis=None, dtype=None, keepdim=False, name=None):
    if dtype is None and x.dtype.name in ("bool", "int32"):
        dtype = "int64"
    return _reduce("reduce_sum", x, axis, keepdim, dtype)


def mean(x, axis=None, keepdim=False, name=None):
    return _reduce("reduce_mean", x, axis, keepdim)


def max(x, axis=None, keepdim=False, name=None):
    return _reduce("reduce_max", x, axis, keepdim)


def min(x, axis=None, keepdim=False, name=None):
    return _reduce("reduce_min", x, axis, keepdim)


amax = max
amin = min


def prod(x, axis=None, keepdim=False, dtype=None, name=None):
    return _reduce("reduce_prod", x, axis, keepdim, dtype)


def all(x, axis=None, keepdim=False, name=None):
    return _reduce("reduce_all", x, axis, keepdim)


def any(x, axis=None, keepdim=False, name=None):
    return _reduce("reduce_any", x, axis, keepdim)


def logsumexp(x, axis=None, keepdim=False, name=None):
    dims, reduce_all = _axes(axis, x)
    return run("logsumexp", x, axis=dims or [0], keepdim=keepdim, reduce_all=reduce_all)


def var(x, axis=None, unbiased=True, keepdim=False, name=None):
    m = mean(x, axis, keepdim=True)
    d = square(subtract(x, m))
    n = x.size if axis is None else _count(x, axis)
    s = sum(d, axis, keepdim=keepdim)
    return scale(s, 1.0 / (n - 1 if unbiased else n))


def std(x, axis=None, unbiased=True, keepdim=False, name=None):
    return sqrt(var(x, axis, unbiased, keepdim))


def _count(x, axis):
    axes = [axis] if isinstance(axis, int) else list(axis)
    n = 1
    for a in axes:
        n *= x.shape[a]
    return n


def cumsum(x, axis=None, dtype=None, name=None):
    if dtype is not None:
        x = cast(x, dtype)
    if axis is None:
        return run("cumsum", x, axis=-1, flatten=True)
    return run("cumsum", x, axis=axis)


def cumprod(x, dim=None, dtype=None, name=None):
    if dtype is not None:
        x = cast(x, dtype)
    return run("cumprod", x, dim=dim if dim is not None else -1)


def add_n(inputs, name=None):
    if isinstance(inputs, Tensor):
        return inputs
    return run("sum", list(inputs))


def cast(x, dtype):
    dt = convert_dtype(dtype)
    if x.dtype is dt:
        return x
    return run("cast", x, in_dtype=x.dtype.vartype, out_dtype=dt.vartype)


def _cmp(op_type):
    def f(x, y, name=None):
        if not isinstance(y, Tensor):
            x = _scalar_operand(x, y)
            y = _as_tensor(y, x)
        if not isinstance(x, Tensor):
            y = _scalar_operand(y, x)
            x = _as_tensor(x, y)
        x, y = _promote(x, y, op_type)
        return run(op_type, x, y, axis=-1)

    return f


equal = _cmp("equal")
not_equal = _cmp("not_equal")
less_than = _cmp("less_than")
less_equal = _cmp("less_equal")
greater_than = _cmp("greater_than")
greater_equal = _cmp("greater_equal")


def _logic(op_type):
    def f(x, y, out=None, name=None):
        if not isinstance(y, Tensor):
            y = _as_tensor(y, x)
        return run(op_type, x, y)

    return f


logical_and = _logic("logical_and")
logical_or = _logic("logical_or")
logical_xor = _logic("logical_xor")
bitwise_and = _logic("bitwise_and")
bitwise_or = _logic("bitwise_or")
bitwise_xor = _logic("bitwise_xor")


def logical_not(x, out=None, name=None):
    return run("logical_not", x)


def equal_all(x, y, name=None):
    return run("equal_all", x, y)


def allclose(x, y, rtol=1e-05, atol=1e-08, equal_nan=False, name=None):
    return run("allclose", x, y, rtol=str(rtol), atol=str(atol), equal_nan=equal_nan)


def isclose(x, y, rtol=1e-05, atol=1e-08, equal_nan=False, name=None):
    return wrap(torch.isclose(x._t, y._t, rtol, atol, equal_nan))


def increment(x, value=1.0, name=None):
    return scale(x, 1.0, value)


def lerp(x, y, weight, name=None):
    return add(x, multiply(subtract(y, x), weight))
