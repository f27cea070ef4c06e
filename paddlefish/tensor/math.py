"""Math, reductions, comparison and logic: Paddle's functional API over the op registry."""

from __future__ import annotations

import numbers

import torch

from .._core import flags
from .._core.dtypes import convert_dtype
from ..eager._dtype import to_torch_dtype
from ..eager.dispatch import get_recorder
from ..eager.tensor import Tensor, wrap
from ._run import run
from .creation import to_tensor

_NUM = (numbers.Number,)


# NOTE [recorded scalar operands]: while a program is recorded (jit.save, static mode, ONNX
# export), a Python scalar operand is never captured as a persistable variable (it would become an
# extra ``.pdiparams`` entry). Paddle 2.6's static operators (``math_op_patch``) write it as an op,
# which we write the same way (observed in Paddle 2.6's jit.save):
# * ``x > 0``, ``x == 1``, ``x ** 2``, ``x % 2``, ``x // 2`` (and the binary functions we accept
#   scalars in): ``fill_constant(shape=[], dtype=x's, value=float(v), str_value='')``, no inputs;
#   ``paddle.equal(x, 2)`` goes through ``paddle.full`` instead: ``str_value`` set (``'2'`` for an
#   integer dtype, ``'2.0'`` otherwise).
# * ``x + v``, ``x - v``, ``x * v``, ``x / v``, ``v + x``, ``v - x``, ``v * x``: one ``scale``
#   (an integer ``x`` with a float ``v``, or ``/``, is ``cast`` to float32 first).
# * ``v / x``, ``v ** x`` (reflected, no scale form): a tensor of x's shape, ``fill_constant`` when
#   every dim is static, else ``fill_constant_batch_size_like`` on x (first dynamic dim copied,
#   later dynamic dims 1, its dtype attribute left at float32, then ``cast`` to x's dtype). That
#   op has no PIR lowering, so with ``FLAGS_enable_pir_api`` on the scalar is a 0-D
#   ``fill_constant`` that broadcasts (same values).
# Eagerly a scalar is a 0-D tensor from ``to_tensor``, as before.


def _is_scalar(y) -> bool:
    return isinstance(y, bool) or (isinstance(y, numbers.Number) and not isinstance(y, complex))


def _scalar_dtype(y, like: Tensor):
    dt = like.dtype
    if isinstance(y, float) and dt.kind != "f":
        return convert_dtype("float32")
    if isinstance(y, int) and not isinstance(y, bool) and dt.kind == "b":
        return convert_dtype("int64")
    return dt


def _fill_constant(value, dtype, shape=(), functional: bool = False) -> Tensor:
    """The recorded ``fill_constant`` of a scalar operand, see NOTE [recorded scalar operands];
    ``functional``: as ``paddle.full`` writes it (``str_value`` set)."""
    dt = convert_dtype(dtype)
    attrs = {}
    if functional:
        attrs["str_value"] = str(int(value)) if dt.kind in "iu" else str(float(value))
    return run("fill_constant", dtype=dt.vartype, shape=list(shape), value=float(value), **attrs)


def _as_tensor(y, like: Tensor, functional: bool = False) -> Tensor:
    if isinstance(y, Tensor):
        return y
    if _is_scalar(y):
        dt = _scalar_dtype(y, like)
        if get_recorder() is not None:
            return _fill_constant(y, dt, functional=functional)
        return to_tensor(y, dtype=dt)
    return to_tensor(y)


def _reflected_operand(v, like: Tensor) -> Tensor:
    """The left scalar ``v`` of ``v / x``, ``v ** x`` (and the other reflected operators without
    a ``scale`` form) while recording: see NOTE [recorded scalar operands]."""
    shape = list(like.shape)
    dyn = [i for i, d in enumerate(shape) if d < 0]
    if not dyn:
        return _fill_constant(v, like.dtype, shape)
    if flags.get("FLAGS_enable_pir_api"):
        return _fill_constant(v, like.dtype)
    b = dyn[0]
    out_shape = [-1 if i == b else (1 if d < 0 else int(d)) for i, d in enumerate(shape)]
    t = run(
        "fill_constant_batch_size_like",
        like,
        shape=out_shape,
        value=float(v),
        input_dim_idx=b,
        output_dim_idx=b,
    )
    return cast(t, like.dtype)


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


def _scale_form(x: Tensor, v, scalar_scale):
    """``x`` op ``v`` as one ``scale`` op when ``scalar_scale(v) -> (scale, bias)`` applies (see
    NOTE [recorded scalar operands]), else None."""
    if (
        scalar_scale is not None
        and isinstance(v, _NUM)
        and not isinstance(v, bool)
        and (x.dtype.kind == "f" or isinstance(v, int))
    ):
        s, b = scalar_scale(v)
        return run("scale", x, None, scale=float(s), bias=float(b), bias_after_scale=True)
    return None


def _binary(op_type, x, y, scalar_scale=None, reflected_scale=None):
    if not isinstance(x, Tensor):
        y = _scalar_operand(y, x)
        out = _scale_form(y, x, reflected_scale)
        if out is not None:
            return out
        if get_recorder() is not None and _is_scalar(x) and isinstance(y, Tensor):
            x = _reflected_operand(x, y)
        else:
            x = _as_tensor(x, y)
    if not isinstance(y, Tensor):
        x = _scalar_operand(x, y)
        out = _scale_form(x, y, scalar_scale)
        if out is not None:
            return out
        y = _as_tensor(y, x)
    x, y = _promote(x, y, op_type)
    return run(op_type, x, y, axis=-1)


def add(x, y, name=None):
    return _binary("elementwise_add", x, y, lambda v: (1.0, v), lambda v: (1.0, v))


def subtract(x, y, name=None):
    return _binary("elementwise_sub", x, y, lambda v: (1.0, -v), lambda v: (-1.0, v))


def multiply(x, y, name=None):
    return _binary("elementwise_mul", x, y, lambda v: (v, 0.0), lambda v: (v, 0.0))


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
        if get_recorder() is not None:  # elementwise_pow, NOTE [recorded scalar operands]
            return _binary("elementwise_pow", x, y)
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


# NOTE [reduce attributes]: Paddle 2.6 writes the axes of a reduction as given (``None`` -> ``[]``,
# an int -> ``[axis]``; the kernels reduce every axis for ``[]``) and ``reduce_all`` true exactly
# when the list is empty or names as many axes as ``x`` has; ``paddle.sum`` alone never sets
# ``reduce_all`` (it stays false even for ``sum(x)``) and sums bool/int32 to int64 without a
# ``cast`` (the kernel's output dtype). Observed in Paddle 2.6's jit.save for sum, mean, max, min,
# prod, all, any and logsumexp.
def _axes(axis, x):
    if axis is None:
        dims = []
    elif isinstance(axis, int):
        dims = [axis]
    elif isinstance(axis, Tensor):
        dims = [int(v) for v in axis.tolist()]
    else:
        dims = list(axis)
    return dims, len(dims) == 0 or len(dims) == x.ndim


def _reduce(op_type, x, axis, keepdim, dtype=None):
    if dtype is not None:
        x = cast(x, dtype)
    dims, reduce_all = _axes(axis, x)
    return run(op_type, x, dim=dims, keep_dim=keepdim, reduce_all=reduce_all)


def sum(x, axis=None, dtype=None, keepdim=False, name=None):
    # a dtype is the kernel's in_dtype/out_dtype, not a cast (NOTE [reduce dtypes] in ops/math.py)
    io = {}
    if dtype is not None:
        io = {"in_dtype": x.dtype.vartype, "out_dtype": convert_dtype(dtype).vartype}
    dims, _ = _axes(axis, x)
    return run("reduce_sum", x, dim=dims, keep_dim=keepdim, reduce_all=False, **io)


def mean(x, axis=None, keepdim=False, name=None):
    return _reduce("reduce_mean", x, axis, keepdim)


def max(x, axis=None, keepdim=False, name=None):
    return _reduce("reduce_max", x, axis, keepdim)


def min(x, axis=None, keepdim=False, name=None):
    return _reduce("reduce_min", x, axis, keepdim)


# NOTE [amax recording]: Paddle 2.6 writes ``reduce_amax``/``reduce_amin`` for paddle.amax/amin
# (not reduce_max/min); in PIR they are ``pd_op.amax``/``pd_op.amin`` (axis and keepdim as
# attributes, as ``pd_op.all``).
def _amax_op(kind):
    return f"reduce_a{kind}"


def amax(x, axis=None, keepdim=False, name=None):
    return _reduce(_amax_op("max"), x, axis, keepdim)


def amin(x, axis=None, keepdim=False, name=None):
    return _reduce(_amax_op("min"), x, axis, keepdim)


def prod(x, axis=None, keepdim=False, dtype=None, name=None):
    return _reduce("reduce_prod", x, axis, keepdim, dtype)


def all(x, axis=None, keepdim=False, name=None):
    return _reduce("reduce_all", x, axis, keepdim)


def any(x, axis=None, keepdim=False, name=None):
    return _reduce("reduce_any", x, axis, keepdim)


def logsumexp(x, axis=None, keepdim=False, name=None):
    dims, reduce_all = _axes(axis, x)
    return run("logsumexp", x, axis=dims, keepdim=keepdim, reduce_all=reduce_all)


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


def _cmp(op_type, functional: bool = False):
    def f(x, y, name=None):
        if not isinstance(y, Tensor):
            x = _scalar_operand(x, y)
            y = _as_tensor(y, x, functional)
        if not isinstance(x, Tensor):
            y = _scalar_operand(y, x)
            x = _as_tensor(x, y, functional)
        x, y = _promote(x, y, op_type)
        return run(op_type, x, y, axis=-1)

    return f


# ``paddle.equal(x, 2)`` and ``x == 2`` record different fill_constants (NOTE [recorded scalar
# operands]); the other comparison functions refuse scalars in Paddle 2.6's static mode
equal = _cmp("equal", functional=True)
_equal_operator = _cmp("equal")
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


# ---- functions computed on torch directly ---------------------------------------------------
# NOTE [eager-only functions]: the functions below have no op declaration in the registry yet:
# they compute on the torch tensors directly, so they work eagerly (with autograd) but cannot be
# recorded by jit.save / to_static. Called while recording they raise NotImplementedError saying
# so, instead of failing somewhere inside torch.


def _eager(name: str, *xs):
    if get_recorder() is not None:
        raise NotImplementedError(
            f"paddle.{name} is eager-only in paddlefish (no op declaration yet), so it cannot "
            "be recorded by jit.save / to_static; compute it outside the exported forward"
        )
    return [x._t if isinstance(x, Tensor) else x for x in xs]


def _dim(axis):
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        axis = axis.tolist()
    return tuple(int(a) for a in axis) if isinstance(axis, (list, tuple)) else int(axis)


def _float_of(t: torch.Tensor) -> torch.Tensor:
    """``t`` as Paddle's float result dtype for an integer input (float32)."""
    return t if t.is_floating_point() or t.is_complex() else t.to(torch.float32)


def _is_real(p) -> bool:
    return isinstance(p, numbers.Real) and not isinstance(p, bool)


def norm(x, p="fro", axis=None, keepdim=False, name=None):
    """Vector or matrix norm (``p``: 'fro', 'nuc', a number, inf or -inf).

    >>> import paddlefish as paddle
    >>> paddle.norm(paddle.to_tensor([[3.0, 4.0]])).item()
    5.0
    """
    dim = _dim(axis)
    if isinstance(dim, tuple) and len(dim) == 1:
        dim = dim[0]
    vector = isinstance(dim, int) and (p == "fro" or _is_real(p))
    if vector or (dim is None and _is_real(p) and not keepdim):
        # vector norms are Paddle's p_norm op, so they record as Paddle 2.6's static norm does
        porder = 2.0 if p == "fro" else float(p)
        return run(
            "p_norm",
            x,
            porder=porder,
            axis=-1 if dim is None else dim,
            epsilon=1e-12,
            keepdim=keepdim,
            asvector=dim is None,
        )
    (t,) = _eager("norm", x)
    if p == "fro":
        if isinstance(dim, tuple) and len(dim) == 2:
            return wrap(torch.linalg.matrix_norm(t, "fro", dim=dim, keepdim=keepdim))
        return wrap(torch.linalg.vector_norm(t, 2, dim=dim, keepdim=keepdim))
    if p == "nuc":
        return wrap(torch.linalg.matrix_norm(t, "nuc", dim=dim or (-2, -1), keepdim=keepdim))
    return wrap(torch.linalg.vector_norm(t, float(p), dim=dim, keepdim=keepdim))


def dist(x, y, p=2, name=None):
    """p-norm of ``x - y`` (broadcast) over all elements; ``p=0`` counts the nonzeros."""
    tx, ty = _eager("dist", x, y)
    return wrap(torch.linalg.vector_norm(tx - ty, float(p)))


def trace(x, offset=0, axis1=0, axis2=1, name=None):
    (t,) = _eager("trace", x)
    return wrap(torch.diagonal(t, offset, axis1, axis2).sum(-1))


def kron(x, y, name=None):
    tx, ty = _eager("kron", x, y)
    return wrap(torch.kron(tx, ty))


def outer(x, y, name=None):
    tx, ty = _eager("outer", x, y)
    return wrap(torch.outer(tx.reshape(-1), ty.reshape(-1)))


def inner(x, y, name=None):
    tx, ty = _eager("inner", x, y)
    return wrap(torch.inner(tx, ty))


def cross(x, y, axis=9, name=None):
    """Cross product along ``axis`` (default: the first axis of size 3)."""
    tx, ty = _eager("cross", x, y)
    if axis == 9 or axis is None:
        axis = next((i for i, s in enumerate(tx.shape) if s == 3), None)
        if axis is None:
            raise ValueError(f"cross: no axis of size 3 in shape {list(tx.shape)}; pass axis=")
    return wrap(torch.linalg.cross(tx, ty, dim=axis))


def mv(x, vec, name=None):
    tx, tv = _eager("mv", x, vec)
    return wrap(torch.mv(tx, tv))


def addmm(input, x, y, beta=1.0, alpha=1.0, name=None):
    ti, tx, ty = _eager("addmm", input, x, y)
    return wrap(torch.addmm(ti, tx, ty, beta=beta, alpha=alpha))


def tensordot(x, y, axes=2, name=None):
    tx, ty = _eager("tensordot", x, y)
    if isinstance(axes, Tensor):
        axes = axes.tolist()
    return wrap(torch.tensordot(tx, ty, dims=axes))


def inverse(x, name=None):
    (t,) = _eager("inverse", x)
    return wrap(torch.linalg.inv(t))


def _elementwise(name, fn, to_float=False):
    def f(x, name=None):
        (t,) = _eager(op_name, x)
        return wrap(fn(_float_of(t) if to_float else t))

    op_name = name
    f.__name__ = name
    f.__doc__ = f"Elementwise ``{name}`` (Paddle semantics, computed by torch)."
    return f


trunc = _elementwise("trunc", torch.trunc)
expm1 = _elementwise("expm1", torch.expm1, True)
lgamma = _elementwise("lgamma", torch.lgamma, True)
digamma = _elementwise("digamma", torch.digamma, True)
erfinv = _elementwise("erfinv", torch.erfinv, True)
asinh = _elementwise("asinh", torch.asinh, True)
acosh = _elementwise("acosh", torch.acosh, True)
atanh = _elementwise("atanh", torch.atanh, True)
deg2rad = _elementwise("deg2rad", torch.deg2rad, True)
rad2deg = _elementwise("rad2deg", torch.rad2deg, True)
i0 = _elementwise("i0", torch.special.i0, True)
i0e = _elementwise("i0e", torch.special.i0e, True)
i1 = _elementwise("i1", torch.special.i1, True)
i1e = _elementwise("i1e", torch.special.i1e, True)
conj = _elementwise("conj", torch.conj_physical)
real = _elementwise("real", torch.real)
imag = _elementwise("imag", torch.imag)
angle = _elementwise("angle", torch.angle, True)


def frac(x, name=None):
    (t,) = _eager("frac", x)
    return wrap(t - torch.trunc(t))


def sgn(x, name=None):
    (t,) = _eager("sgn", x)
    return wrap(torch.sgn(t))


def logit(x, eps=None, name=None):
    (t,) = _eager("logit", x)
    return wrap(torch.logit(t, eps))


def stanh(x, scale_a=0.67, scale_b=1.7159, name=None):
    (t,) = _eager("stanh", x)
    return wrap(scale_b * torch.tanh(scale_a * t))


def polygamma(x, n, name=None):
    (t,) = _eager("polygamma", x)
    return wrap(torch.special.polygamma(int(n), _float_of(t)))


def _binary_torch(name, fn, to_float=False):
    def f(x, y, name=None):
        tx, ty = _eager(op_name, x, y)
        if to_float:
            tx, ty = _float_of(tx), _float_of(ty) if isinstance(ty, torch.Tensor) else ty
        return wrap(fn(tx, ty))

    op_name = name
    f.__name__ = name
    f.__doc__ = f"Elementwise ``{name}`` of two tensors (broadcast; computed by torch)."
    return f


def _atan2(x, y):
    # Paddle's atan2 computes integer inputs in float64 (not the float32 of other unary ops)
    if not x.is_floating_point():
        x, y = x.to(torch.float64), y.to(torch.float64)
    return torch.atan2(x, y)


atan2 = _binary_torch("atan2", _atan2)
gcd = _binary_torch("gcd", torch.gcd)
lcm = _binary_torch("lcm", torch.lcm)
heaviside = _binary_torch("heaviside", torch.heaviside)
hypot = _binary_torch("hypot", torch.hypot)
logaddexp = _binary_torch("logaddexp", torch.logaddexp, True)
nextafter = _binary_torch("nextafter", torch.nextafter)
floor_mod = remainder


def ldexp(x, y, name=None):
    tx, ty = _eager("ldexp", x, y)
    return wrap(_float_of(tx) * torch.pow(2.0, ty).to(_float_of(tx).dtype))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None, name=None):
    (t,) = _eager("nan_to_num", x)
    return wrap(torch.nan_to_num(t, nan, posinf, neginf))


def nansum(x, axis=None, dtype=None, keepdim=False, name=None):
    (t,) = _eager("nansum", x)
    if dtype is not None:
        t = t.to(to_torch_dtype(dtype))
    dim = _dim(axis)
    return wrap(torch.nansum(t, dim=dim, keepdim=keepdim) if dim is not None else torch.nansum(t))


def nanmean(x, axis=None, keepdim=False, name=None):
    (t,) = _eager("nanmean", x)
    dim = _dim(axis)
    return wrap(torch.nanmean(t, dim=dim, keepdim=keepdim) if dim is not None else torch.nanmean(t))


def count_nonzero(x, axis=None, keepdim=False, name=None):
    (t,) = _eager("count_nonzero", x)
    out = (t != 0).to(torch.int64)
    dim = _dim(axis)
    return wrap(out.sum(dim=dim, keepdim=keepdim) if dim is not None else out.sum())


def _quantile(name, t, q, axis, keepdim, nan):
    qs = q.tolist() if isinstance(q, Tensor) else q
    scalar_q = not isinstance(qs, (list, tuple))
    qt = torch.tensor(qs, dtype=t.dtype, device=t.device)
    fn = torch.nanquantile if nan else torch.quantile
    dims = _dim(axis)
    if dims is None:
        out = fn(t.reshape(-1), qt, dim=0, keepdim=False)
        if keepdim:
            out = out.reshape(out.shape[:1] + (1,) * t.dim()) if not scalar_q else out.reshape(
                (1,) * t.dim())
        return wrap(out)
    dims = (dims,) if isinstance(dims, int) else dims
    dims = sorted(d % t.dim() for d in dims)
    rest = [d for d in range(t.dim()) if d not in dims]
    moved = t.permute(rest + dims).reshape([t.shape[d] for d in rest] + [-1])
    out = fn(moved, qt, dim=-1)
    if keepdim:
        shape = [1 if d in dims else t.shape[d] for d in range(t.dim())]
        out = out.reshape(([len(qs)] if not scalar_q else []) + shape)
    return wrap(out)


def quantile(x, q, axis=None, keepdim=False, interpolation="linear", name=None):
    (t,) = _eager("quantile", x)
    if interpolation != "linear":
        raise NotImplementedError("quantile: only interpolation='linear' is supported")
    return _quantile("quantile", _float_of(t), q, axis, keepdim, nan=False)


def nanquantile(x, q, axis=None, keepdim=False, interpolation="linear", name=None):
    (t,) = _eager("nanquantile", x)
    return _quantile("nanquantile", _float_of(t), q, axis, keepdim, nan=True)


def median(x, axis=None, keepdim=False, mode="avg", name=None):
    """Median; with an even count Paddle averages the two middle values (``mode='avg'``)."""
    (t,) = _eager("median", x)
    if mode == "min":
        if axis is None:
            return wrap(t.reshape(-1).median())
        v, i = torch.median(t, int(axis), keepdim=keepdim)
        return wrap(v), wrap(i)
    return _quantile("median", _float_of(t), 0.5, axis, keepdim, nan=False)


def nanmedian(x, axis=None, keepdim=False, mode="avg", name=None):
    (t,) = _eager("nanmedian", x)
    return _quantile("nanmedian", _float_of(t), 0.5, axis, keepdim, nan=True)


def _cumext(name, fn):
    def f(x, axis=None, dtype="int64", name=None):
        (t,) = _eager(op_name, x)
        if axis is None:
            t, axis = t.reshape(-1), 0
        v, i = fn(t, int(axis))
        return wrap(v), wrap(i.to(to_torch_dtype(dtype)))

    op_name = name
    f.__name__ = name
    return f


cummax = _cumext("cummax", torch.cummax)
cummin = _cumext("cummin", torch.cummin)


def logcumsumexp(x, axis=None, dtype=None, name=None):
    (t,) = _eager("logcumsumexp", x)
    if dtype is not None:
        t = t.to(to_torch_dtype(dtype))
    if axis is None:
        t, axis = t.reshape(-1), 0
    return wrap(torch.logcumsumexp(t, int(axis)))


def kthvalue(x, k, axis=None, keepdim=False, name=None):
    (t,) = _eager("kthvalue", x)
    v, i = torch.kthvalue(t, int(k), -1 if axis is None else int(axis), keepdim)
    return wrap(v), wrap(i)


def mode(x, axis=-1, keepdim=False, name=None):
    (t,) = _eager("mode", x)
    v, i = torch.mode(t, int(axis), keepdim)
    return wrap(v), wrap(i)


def diff(x, n=1, axis=-1, prepend=None, append=None, name=None):
    t, pre, app = _eager("diff", x, prepend, append)
    if t.dtype == torch.bool:
        return wrap(torch.diff(t, n, int(axis), pre, app))
    return wrap(torch.diff(t, n, int(axis), pre, app))


def trapezoid(y, x=None, dx=None, axis=-1, name=None):
    ty, tx = _eager("trapezoid", y, x)
    if tx is not None:
        return wrap(torch.trapezoid(ty, tx, dim=axis))
    return wrap(torch.trapezoid(ty, dx=1.0 if dx is None else dx, dim=axis))


def cumulative_trapezoid(y, x=None, dx=None, axis=-1, name=None):
    ty, tx = _eager("cumulative_trapezoid", y, x)
    if tx is not None:
        return wrap(torch.cumulative_trapezoid(ty, tx, dim=axis))
    return wrap(torch.cumulative_trapezoid(ty, dx=1.0 if dx is None else dx, dim=axis))


def renorm(x, p, axis, max_norm, name=None):
    (t,) = _eager("renorm", x)
    return wrap(torch.renorm(t, p, axis, max_norm))


def multiplex(inputs, index, name=None):
    ts = _eager("multiplex", *inputs)
    (ti,) = _eager("multiplex", index)
    stacked = torch.stack(ts)  # [n, batch, ...]
    rows = torch.arange(stacked.shape[1], device=stacked.device)
    return wrap(stacked[ti.reshape(-1).long(), rows])


def is_complex(x) -> bool:
    return x._t.is_complex()


def is_floating_point(x) -> bool:
    return x._t.is_floating_point()


def is_integer(x) -> bool:
    return not (x._t.is_floating_point() or x._t.is_complex() or x._t.dtype == torch.bool)


def is_empty(x, name=None):
    (t,) = _eager("is_empty", x)
    return wrap(torch.tensor(t.numel() == 0, device=t.device))


def rank(input):
    (t,) = _eager("rank", input)
    return wrap(torch.tensor(t.dim(), dtype=torch.int32, device=t.device))


# Everything public defined here (not what it imports: torch, numbers, Tensor, run, ...).
__all__ = sorted(
    n for n, v in list(globals().items())
    if not n.startswith("_") and getattr(v, "__module__", None) == __name__
)
