"""Control-flow ops: ``conditional_block``, ``while`` (sub-block runners) and ``select_input``.

``conditional_block`` and ``while`` run a sub-block of the program, which a kernel over tensors
cannot do: their declarations here give the slots and attributes (for the recorder and the
program printer) and the executor replaces the kernel with a block runner (see
``paddlefish/static/interpreter.py``, NOTE [block ops]). Slot and attribute names are Paddle 2.6's
(``conditional_block_op.cc``, ``while_op.cc``, ``select_input_op.cc``).
"""

from __future__ import annotations

import torch

from ..errors import ExecutionError
from ._registry import AttrType, op
from ._torch_dtype import torch_dtype_of_vartype

BLOCK_OPS = ("conditional_block", "while")


def _needs_executor(name: str):
    raise ExecutionError(
        f"op {name!r} runs a sub-block and can only be executed by the program executor "
        "(paddlefish.static.interpreter.CompiledBlock), not called as an eager kernel"
    )


@op(
    "conditional_block",
    outputs=("Out", "Scope"),
    pir="pd_op.if",
    duplicable=("Cond", "Input", "Out"),
    attr_types={"sub_block": AttrType.BLOCK},
)
def conditional_block(Cond, Input=None, *, is_scalar_condition=False, sub_block=0):
    _needs_executor("conditional_block")


@op(
    "while",
    outputs=("Out", "StepScopes"),
    pir="pd_op.while",
    duplicable=("X", "Out"),
    attr_types={"sub_block": AttrType.BLOCK},
)
def while_(X, Condition, *, is_test=False, sub_block=0):
    _needs_executor("while")


@op("select_input", pir="pd_op.select_input", duplicable=("X",))
def select_input(X, Mask):
    """``Out = X[Mask]``; the unselected inputs may be None (their branch did not run)."""
    return X[int(Mask.reshape(-1)[0])]


# the empty-list defaults say nothing about element types: every *_values list is typed here
# (``bool_values`` is INTS of 0/1 in Paddle 2.6's op proto; it refuses a program typing it
# BOOLEANS, even empty: "Cannot get attribute (bool_values) by type std::vector<int>")
@op("assign_value", pir="pd_op.assign_value",
    attr_types={"dtype": AttrType.INT, "int64_values": AttrType.LONGS,
                "fp32_values": AttrType.FLOATS, "int32_values": AttrType.INTS,
                "fp64_values": AttrType.FLOAT64S, "bool_values": AttrType.INTS})
def assign_value(*, shape=[], dtype=5, bool_values=[], fp32_values=[], fp64_values=[],
                 int32_values=[], int64_values=[]):
    """A constant tensor from the attribute list that matches ``dtype`` (dy2static writes it
    for loop variables that are undefined before a loop)."""
    values = bool_values or fp32_values or fp64_values or int32_values or int64_values
    td = torch_dtype_of_vartype(dtype)
    return torch.tensor(values, dtype=td).reshape(shape)


def is_true(cond: torch.Tensor) -> bool:
    """The truth of a scalar (one-element) condition tensor."""
    return bool(cond.reshape(-1)[0])

__all__ = [
    "BLOCK_OPS",
    "assign_value",
    "conditional_block",
    "is_true",
    "select_input",
    "while_",
]
