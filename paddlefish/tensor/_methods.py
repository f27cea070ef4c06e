"""Attach the functional API to ``Tensor`` as methods and operators, as Paddle does
(``paddle/tensor/__init__.py``'s ``tensor_method_func``)."""

from __future__ import annotations

import builtins

import numpy as np
import torch

from ..eager.dispatch import static_recording
from ..eager.tensor import Tensor
from ..eager.tensor import wrap as _wrap
from . import _more_methods, creation, extra, linalg, manipulation, math, signal
from ._run import run
from ._setvalue import set_value_attrs

wrap = _wrap

_METHODS = {
    # math
    "add": math.add,
    "subtract": math.subtract,
    "multiply": math.multiply,
    "divide": math.divide,
    "floor_divide": math.floor_divide,
    "remainder": math.remainder,
    "mod": math.remainder,
    "pow": math.pow,
    "maximum": math.maximum,
    "minimum": math.minimum,
    "matmul": math.matmul,
    "mm": math.mm,
    "bmm": math.bmm,
    "dot": math.dot,
    "scale": math.scale,
    "exp": math.exp,
    "log": math.log,
    "log2": math.log2,
    "log10": math.log10,
    "log1p": math.log1p,
    "sqrt": math.sqrt,
    "rsqrt": math.rsqrt,
    "abs": math.abs,
    "square": math.square,
    "sin": math.sin,
    "cos": math.cos,
    "tanh": math.tanh,
    "sigmoid": math.sigmoid,
    "erf": math.erf,
    "sign": math.sign,
    "floor": math.floor,
    "ceil": math.ceil,
    "round": math.round,
    "reciprocal": math.reciprocal,
    "neg": math.neg,
    "clip": math.clip,
    "sum": math.sum,
    "mean": math.mean,
    "max": math.max,
    "min": math.min,
    "amax": math.amax,
    "amin": math.amin,
    "prod": math.prod,
    "all": math.all,
    "any": math.any,
    "logsumexp": math.logsumexp,
    "var": math.var,
    "std": math.std,
    "cumsum": math.cumsum,
    "cumprod": math.cumprod,
    "cast": math.cast,
    "astype": math.cast,
    "equal": math.equal,
    "not_equal": math.not_equal,
    "less_than": math.less_than,
    "less_equal": math.less_equal,
    "greater_than": math.greater_than,
    "greater_equal": math.greater_equal,
    "logical_and": math.logical_and,
    "logical_or": math.logical_or,
    "logical_not": math.logical_not,
    "logical_xor": math.logical_xor,
    "isnan": math.isnan,
    "isinf": math.isinf,
    "isfinite": math.isfinite,
    "equal_all": math.equal_all,
    "allclose": math.allclose,
    "isclose": math.isclose,
    "relu": math.relu,
    # manipulation
    "reshape": manipulation.reshape,
    "reshape_": manipulation.reshape_,
    "transpose": manipulation.transpose,
    "t": manipulation.t,
    "split": manipulation.split,
    "chunk": manipulation.chunk,
    "squeeze": manipulation.squeeze,
    "unsqueeze": manipulation.unsqueeze,
    "flatten": manipulation.flatten,
    "expand": manipulation.expand,
    "expand_as": manipulation.expand_as,
    "broadcast_to": manipulation.broadcast_to,
    "tile": manipulation.tile,
    "gather": manipulation.gather,
    "gather_nd": manipulation.gather_nd,
    "scatter": manipulation.scatter,
    "index_select": manipulation.index_select,
    "masked_select": manipulation.masked_select,
    "roll": manipulation.roll,
    "flip": manipulation.flip,
    "argmax": manipulation.argmax,
    "argmin": manipulation.argmin,
    "argsort": manipulation.argsort,
    "sort": manipulation.sort,
    "topk": manipulation.topk,
    "unbind": manipulation.unbind,
    "nonzero": manipulation.nonzero,
    "moveaxis": manipulation.moveaxis,
    # creation
    "clone": creation.clone,
}

# Functions that are also Tensor methods in Paddle, by module (same name unless mapped).
_MATH_METHODS = """
    norm dist trace kron outer inner cross mv addmm tensordot inverse trunc expm1 lgamma digamma
    erfinv asinh acosh atanh deg2rad rad2deg i0 i0e i1 i1e conj real imag angle frac sgn logit
    stanh polygamma atan2 gcd lcm heaviside hypot logaddexp nextafter floor_mod ldexp nan_to_num
    nansum nanmean count_nonzero quantile nanquantile median nanmedian cummax cummin logcumsumexp
    kthvalue mode diff trapezoid cumulative_trapezoid renorm multiplex is_complex is_integer
    is_empty rank bitwise_and bitwise_or bitwise_xor bitwise_not sinh cosh tan asin acos atan
    fmax fmin lerp increment add_n
""".split()
_MANIPULATION_METHODS = """
    diagonal masked_fill index_add index_fill index_sample take_along_axis put_along_axis
    repeat_interleave unique unique_consecutive bincount histogram bucketize rot90 atleast_1d
    atleast_2d atleast_3d broadcast_tensors unflatten vsplit view view_as reverse take
    scatter_nd scatter_nd_add diag_embed diagflat crop concat stack unstack where slice
    strided_slice
""".split()
_CREATION_METHODS = "tril triu diag multinomial".split()
_EXTRA_METHODS = """
    as_complex as_real as_strided combinations diagonal_scatter frexp is_same_shape polar
    select_scatter unfold vander
""".split()
_SIGNAL_METHODS = "stft istft".split()
_LINALG_METHODS = """
    cholesky cholesky_solve cond corrcoef cov eig eigvals eigvalsh householder_product lstsq lu
    lu_unpack matrix_power multi_dot pca_lowrank pinv qr solve cdist
""".split()
for _mod, _names in [(math, _MATH_METHODS), (manipulation, _MANIPULATION_METHODS),
                     (creation, _CREATION_METHODS), (linalg, _LINALG_METHODS),
                     (extra, _EXTRA_METHODS), (signal, _SIGNAL_METHODS)]:
    for _n in _names:
        _METHODS[_n] = getattr(_mod, _n)


# NOTE [inplace methods]: ``x.exp_()`` computes the out-of-place result and puts it into ``x``.
# Without autograd involved the result is copied into x's storage (views of x see it, as in
# Paddle); when autograd tracks the result, x is re-pointed at it so gradients flow through the
# op (torch cannot overwrite a tensor another node saved for backward). Like Paddle, a leaf with
# stop_gradient=False is refused, and the result must keep x's shape unless the op is a
# reshape-like one (squeeze_, unsqueeze_, flatten_, t_, transpose_, cast_).
_INPLACE = """
    abs acos acosh add asin asinh atan atanh ceil clip cos cosh cumprod cumsum digamma divide
    erfinv exp expm1 floor floor_divide floor_mod frac gcd hypot i0 lcm ldexp lerp lgamma log10
    log1p log2 log logit mod multiply nan_to_num neg pow reciprocal remainder renorm round rsqrt
    scale sigmoid sin sinh sqrt subtract tan tanh tril triu trunc masked_fill index_add
    index_fill put_along_axis scatter
""".split()
_INPLACE_RESHAPE = "squeeze unsqueeze flatten t transpose cast".split()


def _assign_inplace(x: Tensor, out: Tensor, op: str, reshape: bool = False,
                    take_dtype: bool = False) -> Tensor:
    """Put ``out`` into ``x`` (NOTE [inplace methods]); ``take_dtype``: x takes out's dtype (the
    in-place comparisons and logical ops make x a bool tensor, as in Paddle)."""
    t, o = x._t, out._t
    if t.is_meta and hasattr(x, "_t2") and hasattr(out, "_t2"):  # NOTE [recorded setitem]
        if not reshape and o.shape != t.shape:
            raise ValueError(
                f"{op}: the result has shape {list(o.shape)} but the in-place target has shape "
                f"{list(t.shape)}; use the out-of-place function for broadcasting results"
            )
        if o.dtype != t.dtype and not (op == "cast_" or take_dtype):
            out = math.cast(out, x.dtype)
        _repoint(x, out)
        return x
    grad_on = torch.is_grad_enabled()
    if t.is_leaf and t.requires_grad and grad_on:
        raise ValueError(
            f"{op}: tensor {x.name} is a leaf with stop_gradient=False and cannot be changed in "
            "place (Paddle refuses it too); use the out-of-place function or paddle.no_grad()"
        )
    if not reshape and o.shape != t.shape:
        raise ValueError(
            f"{op}: the result has shape {list(o.shape)} but the in-place target has shape "
            f"{list(t.shape)}; use the out-of-place function for broadcasting results"
        )
    keep = op == "cast_" or take_dtype
    if reshape or o.dtype != t.dtype and keep or (grad_on and o.requires_grad):
        x._t = o if keep else o.to(t.dtype)
    else:
        with torch.no_grad():
            t.copy_(o)
    return x


def _make_inplace(fn, op: str, reshape: bool = False):
    def m(self, *args, **kwargs):
        return _assign_inplace(self, fn(self, *args, **kwargs), op, reshape)

    m.__name__ = op
    m.__doc__ = f"In-place ``{op[:-1]}``: see NOTE [inplace methods]."
    return m


def _lookup(name: str):
    if name in _METHODS:
        return _METHODS[name]
    for mod in (math, manipulation, creation):
        if hasattr(mod, name):
            return getattr(mod, name)
    raise KeyError(name)


for _n in _INPLACE:
    _METHODS[_n + "_"] = _make_inplace(_lookup(_n), _n + "_")
for _n in _INPLACE_RESHAPE:
    _METHODS[_n + "_"] = _make_inplace(_lookup(_n), _n + "_", reshape=True)


def _fill_(self, value):
    return _assign_inplace(self, wrap(torch.full_like(self._t, value)), "fill_")


def _zero_(self):
    return _assign_inplace(self, wrap(torch.zeros_like(self._t)), "zero_")


def _uniform_(self, min=-1.0, max=1.0, seed=0):
    return _assign_inplace(self, wrap(torch.empty_like(self._t).uniform_(min, max)), "uniform_")


def _normal_(self, mean=0.0, std=1.0):
    return _assign_inplace(self, wrap(torch.empty_like(self._t).normal_(mean, std)), "normal_")


def _exponential_(self, lam=1.0):
    return _assign_inplace(
        self, wrap(torch.empty_like(self._t).exponential_(lam)), "exponential_"
    )


def _fill_diagonal_(self, value, offset=0, wrap=False):
    out = self._t.clone()
    n = builtins.min(out.shape)
    idx = torch.arange(n, device=out.device)
    if out.dim() == 2 and offset:
        keep = (idx + offset >= 0) & (idx + offset < out.shape[1])
        i = idx[keep]
        out[i, i + offset] = value
    else:
        out[(idx,) * out.dim()] = value
    return _assign_inplace(self, _wrap(out), "fill_diagonal_")


def _copy_(self, src, blocking=True):
    return _assign_inplace(self, _wrap(src._t.to(self._t.dtype)), "copy_")


_METHODS.update({
    "fill_": _fill_,
    "zero_": _zero_,
    "uniform_": _uniform_,
    "normal_": _normal_,
    "exponential_": _exponential_,
    "fill_diagonal_": _fill_diagonal_,
    "copy_": _copy_,
})


def _rev(fn):
    def r(self, other):
        return fn(other, self)

    return r


# NOTE [recorded setitem]: while a forward is recorded (jit.save, onnx export), ``x[i] = v`` and
# the in-place methods (``x.add_(y)``, ``x.scale_(2)``) cannot write into ``x``: it holds no
# values, only a shape. They append the op instead (``set_value`` as Paddle's dy2static writes it,
# with Paddle's ``cast`` of a tensor value; the in-place method's own op) and re-point the
# recorded Variable ``x`` at the op's output, so every later use of ``x`` reads the new value.
# (Before this, both were silently dropped and the saved program ignored the assignment.) In
# static mode ``x[i] = v`` is refused with Paddle's message, as Paddle does.
def _repoint(x, out) -> None:
    x._name, x._t, x._t2 = out._name, out._t, out._t2


def _setitem(self, item, value):
    if self._t.is_meta and hasattr(self, "_t2"):
        if static_recording():  # a Variable, in static mode
            raise RuntimeError(
                "In static mode, the __setitem__ (looks like: x[indices] = values) should not be "
                "used. Please use x = paddle.static.setitem(x, indices, values)"
            )
        attrs = set_value_attrs(list(self.shape), item)
        attrs["dtype"] = self.dtype.vartype
        if isinstance(value, Tensor):
            out = run("set_value", self, math.cast(value, self.dtype), **attrs)
        elif isinstance(value, (bool, int, float, np.number)):
            out = run("set_value", self, values=[float(value)], shape=[1], **attrs)
        else:
            raise TypeError(
                f"x[index] = value while a program is recorded: value must be a Tensor or a "
                f"Python/numpy scalar, got {type(value).__name__}"
            )
        _repoint(self, out)
        return
    manipulation.setitem(self, item, value)


_OPERATORS = {
    "__add__": math.add,
    "__radd__": _rev(math.add),
    "__sub__": math.subtract,
    "__rsub__": _rev(math.subtract),
    "__mul__": math.multiply,
    "__rmul__": _rev(math.multiply),
    "__truediv__": math.divide,
    "__rtruediv__": _rev(math.divide),
    "__floordiv__": math.floor_divide,
    "__rfloordiv__": _rev(math.floor_divide),
    "__mod__": math.remainder,
    "__rmod__": _rev(math.remainder),
    "__pow__": math._pow_operator,
    "__rpow__": _rev(math.pow),
    "__matmul__": math.matmul,
    "__rmatmul__": _rev(math.matmul),
    "__neg__": math.neg,
    "__abs__": math.abs,
    "__invert__": math.logical_not,
    "__eq__": math._equal_operator,
    "__ne__": math.not_equal,
    "__lt__": math.less_than,
    "__le__": math.less_equal,
    "__gt__": math.greater_than,
    "__ge__": math.greater_equal,
    "__and__": math.logical_and,
    "__or__": math.logical_or,
    "__xor__": math.logical_xor,
    "__getitem__": manipulation.getitem,
    "__setitem__": _setitem,
}


_METHODS.update(_more_methods.MORE_METHODS)
_METHODS["fill_diagonal_tensor_"] = _make_inplace(_more_methods.fill_diagonal_tensor,
                                                  "fill_diagonal_tensor_")


def install() -> None:
    for name, fn in {**_METHODS, **_OPERATORS, **_more_methods.MORE_PROPERTIES}.items():
        setattr(Tensor, name, fn)
    Tensor.__hash__ = lambda self: id(self)


install()
