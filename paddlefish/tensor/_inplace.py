"""Paddle's top-level in-place functions (``paddle.abs_(x)`` ... ``paddle.where_``) and the
in-place methods NOTE [inplace methods] lacked: comparisons and logical ops (the target becomes
a bool tensor, as in Paddle), bitwise ops, ``addmm_``, ``polygamma_``, ``multigammaln_``,
``index_put_``, ``where_``, and the random fills ``cauchy_`` / ``geometric_`` with Paddle's own
formulas. Also the out-of-place ``index_put`` and ``multigammaln`` they need.

>>> import paddlefish as paddle
>>> x = paddle.to_tensor([1.0, 2.0, 3.0])
>>> paddle.equal_(x, paddle.to_tensor([1.0, 0.0, 3.0])) is x, x.dtype
(True, paddle.bool)
>>> paddle.abs_(paddle.to_tensor([-1.5])).tolist()
[1.5]
"""

from __future__ import annotations

import numpy as np
import torch

from ..eager.tensor import Tensor, wrap
from . import _methods
from . import manipulation as MP
from . import math as M
from .math import _eager

__all__ = ["index_put", "multigammaln"]


def index_put(x, indices, value, accumulate=False, name=None):
    """``x`` with ``value`` written (or added, ``accumulate``) at the integer/bool ``indices``
    (a tuple of index tensors, one per leading axis)."""
    tx, tv = _eager("index_put", x, value)
    idx = tuple(i._t if isinstance(i, Tensor) else torch.as_tensor(i) for i in indices)
    idx = tuple(i if i.dtype == torch.bool else i.long() for i in idx)
    return wrap(tx.index_put(idx, tv.to(tx.dtype), accumulate=accumulate))


def multigammaln(x, p, name=None):
    """Log of the multivariate gamma function of dimension ``p``."""
    (t,) = _eager("multigammaln", x)
    if p < 1:
        raise ValueError(f"The p must be greater than or equal to 1, but received {p}.")
    return wrap(torch.special.multigammaln(t, int(p)))


def _bool_inplace(fn, op):
    def f(x, *args, **kwargs):
        return _methods._assign_inplace(x, fn(x, *args, **kwargs), op, take_dtype=True)

    f.__name__ = op
    f.__doc__ = f"In-place ``{op[:-1]}``: ``x`` becomes its bool result (as in Paddle)."
    return f


def _where_(condition, x=None, y=None, name=None):
    """``x`` set to ``where(condition, x, y)`` in place (Paddle writes into ``x``)."""
    return _methods._assign_inplace(x, MP.where(condition, x, y), "where_")


def _cauchy_(x, loc=0, scale=1, name=None):
    """Fill ``x`` in place as Paddle does: ``tan(pi * (normal() - 0.5)) * scale + loc``."""
    with torch.no_grad():
        t = torch.randn_like(x._t)
        t = torch.tan((t - 0.5) * np.pi) * scale + loc
    return _methods._assign_inplace(x, wrap(t), "cauchy_")


def _geometric_(x, probs, name=None):
    """Fill ``x`` in place as Paddle does: ``log(U) / log1p(-probs)``, ``U ~ U(tiny, 1)``."""
    p = probs._t if isinstance(probs, Tensor) else torch.as_tensor(probs)
    with torch.no_grad():
        tiny = torch.finfo(x._t.dtype).tiny
        u = torch.empty_like(x._t).uniform_(tiny, 1.0)
        t = torch.log(u) / torch.log1p(-p.to(x._t.dtype))
    return _methods._assign_inplace(x, wrap(t), "geometric_")


_BOOL_OPS = [
    "equal",
    "not_equal",
    "greater_equal",
    "greater_than",
    "less_equal",
    "less_than",
    "logical_and",
    "logical_or",
    "logical_xor",
    "logical_not",
]
_SAME_DTYPE = [
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_not",
    "erf",
    "square",
    "addmm",
    "polygamma",
]

_NEW_METHODS = {n + "_": _bool_inplace(getattr(M, n), n + "_") for n in _BOOL_OPS}
for _n in _SAME_DTYPE:
    _NEW_METHODS[_n + "_"] = _methods._make_inplace(getattr(M, _n), _n + "_")
_NEW_METHODS["multigammaln_"] = _methods._make_inplace(multigammaln, "multigammaln_")
_NEW_METHODS["index_put_"] = _methods._make_inplace(index_put, "index_put_")
_NEW_METHODS["index_put"] = index_put
_NEW_METHODS["multigammaln"] = multigammaln
_NEW_METHODS["where_"] = _where_
_NEW_METHODS["cauchy_"] = _cauchy_
_NEW_METHODS["geometric_"] = _geometric_
for _n, _f in _NEW_METHODS.items():
    if not hasattr(Tensor, _n):
        setattr(Tensor, _n, _f)

# paddle.X_ for every in-place name Paddle 2.6 has at top level: the method as a function
_TOP = [
    "abs",
    "acos",
    "acosh",
    "addmm",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "bitwise_and",
    "bitwise_not",
    "bitwise_or",
    "bitwise_xor",
    "cast",
    "cauchy",
    "cos",
    "cosh",
    "cumprod",
    "cumsum",
    "digamma",
    "divide",
    "equal",
    "erf",
    "expm1",
    "floor_divide",
    "floor_mod",
    "frac",
    "gcd",
    "geometric",
    "greater_equal",
    "greater_than",
    "hypot",
    "i0",
    "index_add",
    "index_fill",
    "index_put",
    "lcm",
    "ldexp",
    "less_equal",
    "less_than",
    "lgamma",
    "log10",
    "log1p",
    "log2",
    "log",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "logit",
    "masked_fill",
    "mod",
    "multigammaln",
    "multiply",
    "nan_to_num",
    "neg",
    "normal",
    "not_equal",
    "polygamma",
    "pow",
    "remainder",
    "renorm",
    "scatter",
    "sin",
    "sinh",
    "square",
    "squeeze",
    "t",
    "tan",
    "tanh",
    "transpose",
    "tril",
    "triu",
    "trunc",
    "unsqueeze",
    "where",
]


def _function(name: str):
    method = getattr(Tensor, name)

    def f(x, *args, **kwargs):
        kwargs.pop("name", None)
        return method(x, *args, **kwargs)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"``paddle.{name}(x, ...)``: the in-place ``Tensor.{name}``."
    return f


for _n in _TOP:
    globals()[_n + "_"] = _function(_n + "_")
    __all__.append(_n + "_")
del _n, _f
