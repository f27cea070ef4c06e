"""``Variable``: a static value seen by user code while ``jit`` records a forward.

It is a ``Tensor`` whose ``_t`` is a shape-only (meta) torch tensor, so the ordinary Paddle API
(methods, operators, ``shape``) works on it and every op call reaches the recorder through the
dispatch hook. NOTE [dynamic dims]: each variable carries two meta tensors, ``_t`` and ``_t2``,
in which every dynamic (``-1``) dimension has a different stand-in size; an op's kernel runs on
both and any output dimension that differs between the two runs is dynamic. So dynamic dims
propagate through any kernel without per-op shape rules.

NOTE [static operand dtypes]: Paddle 2.6's operators on two static Variables of different dtypes
(``math_op_patch``) do not refuse the mix as the eager API does (Paddle 3 rule, see NOTE [tensor
type promotion] in tensor/math.py): they ``cast`` the right operand to the left one's dtype, except
that ``+ - *`` of two floating types promote to the wider one; ``/`` of two integer tensors then
casts both to float32. So ``while i < n:`` with an int32 ``i`` and an int64 ``n`` converts, as
it does in Paddle 2.6 (observed: ``less_than(i, cast(n -> int32))``). Operators of Variables
follow that rule while recording. Comparisons cannot tell ``t < v`` from ``v > t`` when ``t`` is
a concrete Tensor (Python asks the subclass first), so a captured constant is always the operand
that is cast; the truth value is the same either way for in-range values.
"""

from __future__ import annotations

import os
import sys

import torch

from ..eager.tensor import DynDim, Tensor
from ..errors import ConversionError
from ..tensor._run import run

__all__ = ["Variable", "user_line"]

_PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def user_line() -> str:
    """``file:line`` of the innermost caller outside paddlefish (the user's statement)."""
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PKG):
        frame = frame.f_back
    return f"{frame.f_code.co_filename}:{frame.f_lineno}" if frame else "<unknown>"


class Variable(Tensor):
    def __init__(self, name: str, meta_a: torch.Tensor, meta_b: torch.Tensor):
        self._t = meta_a
        self._t2 = meta_b
        self._name = name
        self._persistable = False

    @property
    def shape(self) -> list[int]:
        """Static dims as ints; dynamic ones as ``DynDim`` (an int -1 that knows its source)."""
        return [a if a == b else DynDim(self, i)
                for i, (a, b) in enumerate(zip(self._t.shape, self._t2.shape))]

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value):
        raise AttributeError("a recorded Variable's name cannot be changed")

    @property
    def stop_gradient(self) -> bool:
        return False

    @stop_gradient.setter
    def stop_gradient(self, value) -> None:
        """Recorded on the variable's desc (Paddle's ``x.stop_gradient = False`` on a
        ``static.data`` so that ``static.gradients`` gives its gradient)."""
        from ..eager.dispatch import get_recorder
        from ._program import StaticRecorder

        rec = get_recorder()
        block = rec.block if isinstance(rec, StaticRecorder) else None  # not while jit records
        var = block.find_var(self._name) if block is not None else None
        if var is not None:
            var.stop_gradient = bool(value)

    def numel(self):
        """The element count: an int when every dim is static, else the recorded ``size`` op's
        0-D int64 Variable (as Paddle 2.6), so ``if x.numel() > 8:`` is converted instead of
        comparing the stand-in sizes of NOTE [dynamic dims]."""
        if all(a == b for a, b in zip(self._t.shape, self._t2.shape)):
            return self._t.numel()
        return run("size", self)

    @property
    def size(self):
        return self.numel()

    def numpy(self):
        raise TypeError(
            f"Variable {self._name!r} has no value while the forward is being converted to a "
            "static program (jit.save/to_static). Do not call .numpy()/.item()/float() on "
            "tensors that depend on inputs inside forward; use tensor ops instead."
        )

    item = numpy
    tolist = numpy

    def __bool__(self) -> bool:
        raise ConversionError(
            f"{user_line()}: the truth value of Variable {self._name!r} is unknown while "
            "converting forward to a static program. `if`/`while` statements on tensors are "
            "converted automatically, but `and`/`or`/`bool()`/`assert` and conditions outside "
            "if/while tests are not: rewrite it as `if cond:` or use paddle.where(...)."
        )

    def __repr__(self) -> str:
        return f"Variable(name={self._name}, shape={self.shape}, dtype={self.dtype.name})"

    __str__ = __repr__

    def __len__(self) -> int:
        d = self.shape[0]
        if d < 0:
            raise TypeError(f"len() of Variable {self._name!r} whose first dimension is dynamic")
        return d


def _operands(x, y, promote_floats: bool):
    """``x`` and ``y`` as Paddle 2.6's static operators mix them, see NOTE [static operand
    dtypes]."""
    if not (isinstance(x, Tensor) and isinstance(y, Tensor)) or x.dtype is y.dtype:
        return x, y
    if promote_floats and x.dtype.kind == "f" and y.dtype.kind == "f":
        return x, y  # the eager operator promotes floats to the wider type
    return x, y.astype(x.dtype)


def _static_operator(name: str, promote_floats: bool, reflected: bool):
    # the eager operator (installed on Tensor by the tensor package) after the dtype rule
    if reflected:
        def op(self, other):
            other, self = _operands(other, self, promote_floats)
            return getattr(Tensor, name)(self, other)
    else:
        def op(self, other):
            return getattr(Tensor, name)(*_operands(self, other, promote_floats))
    op.__name__ = name
    return op


for _name, _promote in (("add", True), ("sub", True), ("mul", True), ("truediv", False),
                        ("floordiv", False), ("mod", False), ("pow", False)):
    setattr(Variable, f"__{_name}__", _static_operator(f"__{_name}__", _promote, False))
    setattr(Variable, f"__r{_name}__", _static_operator(f"__r{_name}__", _promote, True))
for _name in ("eq", "ne", "lt", "le", "gt", "ge"):
    setattr(Variable, f"__{_name}__", _static_operator(f"__{_name}__", False, False))
Variable.__hash__ = Tensor.__hash__
