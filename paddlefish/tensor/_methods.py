"""Attach the functional API to ``Tensor`` as methods and operators, as Paddle does
(``paddle/tensor/__init__.py``'s ``tensor_method_func``)."""

from __future__ import annotations

from ..eager.tensor import Tensor
from . import creation, manipulation, math

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


def _rev(fn):
    def r(self, other):
        return fn(other, self)

    return r


def _setitem(self, item, value):
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
    "__eq__": math.equal,
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


def install() -> None:
    for name, fn in {**_METHODS, **_OPERATORS}.items():
        setattr(Tensor, name, fn)
    Tensor.__hash__ = lambda self: id(self)


install()
