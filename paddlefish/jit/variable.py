"""``Variable``: a static value seen by user code while ``jit`` records a forward.

It is a ``Tensor`` whose ``_t`` is a shape-only (meta) torch tensor, so the ordinary Paddle API
(methods, operators, ``shape``) works on it and every op call reaches the recorder through the
dispatch hook. NOTE [dynamic dims]: each variable carries two meta tensors, ``_t`` and ``_t2``,
in which every dynamic (``-1``) dimension has a different stand-in size; an op's kernel runs on
both and any output dimension that differs between the two runs is dynamic. So dynamic dims
propagate through any kernel without per-op shape rules.
"""

from __future__ import annotations

import os
import sys

import torch

from ..eager.tensor import DynDim, Tensor
from ..errors import ConversionError

_PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _user_line() -> str:
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
        pass

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
            f"{_user_line()}: the truth value of Variable {self._name!r} is unknown while "
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
