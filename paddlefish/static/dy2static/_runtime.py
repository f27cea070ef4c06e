"""What converted code calls (``_pf_jst.*``): decide at run time between Python and recording.

A condition that is not a recorded ``Variable`` runs as plain Python, so control flow on Python
values (and everything outside ``jit.save``) behaves exactly as the original code.

NOTE [dynamic dims in conditions]: while recording, a dynamic dimension of a Variable
(``x.shape[0]`` of a ``[-1, 4]`` input, or ``len(x)``) is a ``DynDim``: the int ``-1`` that
remembers its source. Shape-consuming functions read it at run time, but a plain Python
``x.shape[0] > 2`` would compare ``-1 > 2`` once, while converting, and bake that branch into the
program. Paddle 2.6 reads such a dim as a tensor (``shape`` -> ``slice`` -> 0-D int32), so the
comparison becomes a recorded ``greater_than`` and the ``if`` a ``conditional_block``. Converted
code sends every comparison, arithmetic operator and ``len()`` through ``compare``/``binary``/
``len_``, which do exactly that when an operand is a ``DynDim`` and are the plain Python operator
otherwise.
"""

from __future__ import annotations

import operator

from ...eager.tensor import DynDim
from ...errors import ConversionError
from ...tensor._run import run
from ..variable import Variable
from . import _record
from ._record import Undefined as Undefined

__all__ = ["Undefined", "and_", "binary", "compare", "convert_ifelse", "convert_ifexp",
           "convert_while_loop",
           "inplace", "len_", "not_", "or_", "py_cond", "range_args", "range_cond"]

_OPS = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
        "eq": operator.eq, "ne": operator.ne, "add": operator.add, "sub": operator.sub,
        "mul": operator.mul, "truediv": operator.truediv, "floordiv": operator.floordiv,
        "mod": operator.mod}


def dim_value(v):
    """A ``DynDim`` as the 0-D int32 tensor of its size at run time; anything else unchanged."""
    if type(v) is not DynDim:
        return v
    shape = run("shape", v.source)
    return run("slice", shape, None, None, None, None, axes=[0], starts=[v.axis],
               ends=[v.axis + 1], infer_flags=[1], decrease_axis=[0])


def compare(op: str, a, b):
    """``a <op> b``, reading dynamic dims as tensors (NOTE [dynamic dims in conditions])."""
    return _OPS[op](dim_value(a), dim_value(b))


def binary(op: str, a, b):
    """``a <op> b`` for arithmetic, reading dynamic dims as tensors (``x.shape[0] * 2``)."""
    return _OPS[op](dim_value(a), dim_value(b))


_INPLACE = {"add": operator.iadd, "sub": operator.isub, "mul": operator.imul,
            "truediv": operator.itruediv, "floordiv": operator.ifloordiv, "mod": operator.imod}


def inplace(op: str, a, b):
    """``a <op>= b``: Python's in-place operator (a list still extends in place), or the tensor
    operator when a dynamic dim is involved (``n = x.shape[0]; n += 1``)."""
    if type(a) is DynDim or type(b) is DynDim:
        return _OPS[op](dim_value(a), dim_value(b))
    return _INPLACE[op](a, b)


def len_(x):
    """``len(x)``: a recorded Variable's first dim, dynamic (``DynDim``) or not."""
    if isinstance(x, Variable):
        if not x.shape:
            raise TypeError(f"len() of a 0-D Variable {x.name!r}")
        return x.shape[0]
    return len(x)


def convert_ifelse(pred, true_fn, false_fn, args: tuple, names: tuple, loc: tuple):
    if isinstance(pred, Variable):
        return _record.record_cond(pred, true_fn, false_fn, args, names, loc)
    return true_fn(*args) if pred else false_fn(*args)


def convert_ifexp(pred, true_fn, false_fn, loc: tuple):
    """``a if pred else b``: recorded like an ``if`` whose branches return ``a`` / ``b``."""
    if isinstance(pred, Variable):
        return _record.record_cond(pred, true_fn, false_fn, (), (), loc)
    return true_fn() if pred else false_fn()


def convert_while_loop(cond, body, args: tuple, names: tuple, loc: tuple):
    args = tuple(args)
    while True:
        c = cond(*args)
        if isinstance(c, Variable):
            return _record.record_while(cond, body, args, names, loc)
        if not c:
            return args
        args = tuple(body(*args))


def not_(x):
    if isinstance(x, Variable):
        return run("logical_not", _record.as_bool(x))
    return not x


def _logical(op, fns, short_circuit_on: bool):
    value = fns[0]()
    for fn in fns[1:]:
        if not isinstance(value, Variable):
            if bool(value) is short_circuit_on:
                return value
            value = fn()
            continue
        nxt = fn()
        if not isinstance(nxt, Variable):
            if bool(nxt) is short_circuit_on:
                return nxt
            continue
        value = run(op, _record.as_bool(value), _record.as_bool(nxt))
    return value


def and_(*fns):
    """``a and b`` where either may be a tensor (``logical_and``); short-circuits on Python."""
    return _logical("logical_and", fns, False)


def or_(*fns):
    """``a or b`` where either may be a tensor (``logical_or``); short-circuits on Python."""
    return _logical("logical_or", fns, True)


def py_cond(test, loc: tuple, reason: str):
    """The test of an ``if``/``while`` left as Python: refuse a tensor with the line."""
    if isinstance(test, Variable):
        raise ConversionError(
            f"{loc[0]}:{loc[1]}: this `if`/`while` depends on a tensor but cannot be converted "
            f"to a static program because {reason}. Rewrite it so that a tensor-dependent branch "
            "ends in `return` (or assigns variables), and a tensor-dependent loop sets a flag "
            "and `break`s instead of returning; return after the loop."
        )
    return test


def range_args(*args):
    """``range``'s (start, stop, step) from its 1-3 arguments."""
    args = tuple(dim_value(a) for a in args)
    if len(args) == 1:
        return 0, args[0], 1
    if len(args) == 2:
        return args[0], args[1], 1
    return args


def range_cond(i, stop, step):
    if isinstance(step, Variable):
        raise ConversionError("for ... in range(start, stop, step) with a tensor `step` cannot be "
                              "converted; pass the step as a Python int")
    return i < stop if step > 0 else i > stop
