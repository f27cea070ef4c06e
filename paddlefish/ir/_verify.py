"""``Program.verify()``: structural checks with errors that name block, op and variable.

Works on the duck-typed Program/Block/OpDesc/VarDesc of ``_program`` (which imports this module).
"""

from __future__ import annotations

from .._core.dtypes import DType
from ..errors import ProgramError
from ._types import EMPTY_VAR_NAME, AttrType

__all__ = ["check_attr_value", "verify_program"]


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_scalar(v) -> bool:
    return isinstance(v, (bool, int, float, complex))


def _all(pred):
    return lambda v: isinstance(v, list) and all(pred(x) for x in v)


_INT32 = range(-(2**31), 2**31)
_INT64 = range(-(2**63), 2**63)
_CHECKS = {
    AttrType.INT: lambda v: _is_int(v) and v in _INT32,
    AttrType.FLOAT: _is_num,
    AttrType.STRING: lambda v: isinstance(v, str),
    AttrType.INTS: _all(lambda x: _is_int(x) and x in _INT32),
    AttrType.FLOATS: _all(_is_num),
    AttrType.STRINGS: _all(lambda x: isinstance(x, str)),
    AttrType.BOOLEAN: lambda v: isinstance(v, bool),
    AttrType.BOOLEANS: _all(lambda x: isinstance(x, bool)),
    AttrType.BLOCK: _is_int,
    AttrType.LONG: lambda v: _is_int(v) and v in _INT64,
    AttrType.BLOCKS: _all(_is_int),
    AttrType.LONGS: _all(lambda x: _is_int(x) and x in _INT64),
    AttrType.FLOAT64S: _all(_is_num),
    AttrType.VAR: lambda v: isinstance(v, str),
    AttrType.VARS: _all(lambda x: isinstance(x, str)),
    AttrType.FLOAT64: _is_num,
    AttrType.SCALAR: _is_scalar,
    AttrType.SCALARS: _all(_is_scalar),
}


def check_attr_value(attr_type: int, value) -> bool:
    """True if ``value`` is representable as an attribute of ``attr_type``."""
    try:
        check = _CHECKS[AttrType(attr_type)]
    except ValueError:
        return False
    return check(value)


def verify_program(program) -> None:
    n = len(program.blocks)
    if n == 0:
        raise ProgramError("the program has no blocks; a program needs at least the global block")
    for i, block in enumerate(program.blocks):
        _verify_block_header(program, i, block, n)
    for block in program.blocks:
        _verify_vars(block)
        for k, op in enumerate(block.ops):
            _verify_op(program, block, k, op, n)


def _verify_block_header(program, i: int, block, n: int) -> None:
    if block.idx != i:
        raise ProgramError(f"block at position {i} says idx={block.idx}; they must be equal")
    if i == 0 and block.parent_idx != -1:
        raise ProgramError(f"the global block 0 has parent_idx={block.parent_idx}; expected -1")
    if i > 0 and not 0 <= block.parent_idx < n:
        raise ProgramError(
            f"block {i} has parent_idx={block.parent_idx}, not a block of 0..{n - 1}"
        )
    fwd = block.forward_block_idx
    if fwd is not None and fwd != -1 and not 0 <= fwd < n:
        raise ProgramError(f"block {i} has forward_block_idx={fwd}, not a block of 0..{n - 1}")
    seen, j = set(), i
    while j != -1:
        if j in seen:
            raise ProgramError(f"block {i}: the parent chain {sorted(seen)} has a cycle")
        seen.add(j)
        j = program.blocks[j].parent_idx if 0 <= j < n else -1


def _verify_vars(block) -> None:
    for key, var in block.vars.items():
        where = f"block {block.idx}, variable {key!r}"
        if var.name != key:
            raise ProgramError(f"{where}: its VarDesc is named {var.name!r}; names must match keys")
        if not key:
            raise ProgramError(f"block {block.idx} declares a variable with an empty name")
        if var.dtype is not None and not isinstance(var.dtype, DType):
            raise ProgramError(f"{where}: dtype {var.dtype!r} is not a paddlefish DType")
        # any negative dim is unknown: Paddle 2.6 writes placeholders below -1 for outputs it
        # never materialises (cumsum over a flattened input: [-100]; instance_norm: [-4])
        if var.shape is not None and not all(_is_int(d) for d in var.shape):
            raise ProgramError(f"{where}: shape {var.shape} must hold ints (negative = unknown)")


def _lookup_blocks(program, block) -> list:
    """This block, its ancestors, and for grad blocks the forward block's chain."""
    out, todo, seen = [], [block.idx], set()
    while todo:
        j = todo.pop(0)
        if j in seen or not 0 <= j < len(program.blocks):
            continue
        seen.add(j)
        b = program.blocks[j]
        out.append(b)
        todo.append(b.parent_idx)
        if b.forward_block_idx not in (None, -1):
            todo.append(b.forward_block_idx)
    return out


def _verify_op(program, block, k: int, op, n: int) -> None:
    where = f"block {block.idx}, op #{k} ({op.type})"
    visible = _lookup_blocks(program, block)
    for kind, slots in (("input", op.inputs), ("output", op.outputs)):
        for slot, args in slots.items():
            for name in args:
                if name == EMPTY_VAR_NAME or any(name in b.vars for b in visible):
                    continue
                raise ProgramError(
                    f"{where}: {kind} slot {slot!r} names variable {name!r}, which is not "
                    f"declared in block {block.idx} or its ancestor blocks "
                    f"{[b.idx for b in visible[1:]]}; declare it with create_var() first"
                )
    if set(op.attrs) != set(op.attr_types):
        raise ProgramError(
            f"{where}: attrs and attr_types disagree on names: "
            f"{sorted(set(op.attrs) ^ set(op.attr_types))}"
        )
    for name, value in op.attrs.items():
        atype = op.attr_types[name]
        if not check_attr_value(atype, value):
            raise ProgramError(
                f"{where}: attribute {name!r} = {value!r} is not a valid {_type_name(atype)} value"
            )
        if atype == AttrType.BLOCK and not 0 <= value < n:
            raise ProgramError(
                f"{where}: attribute {name!r} references block {value} of 0..{n - 1}"
            )
        if atype == AttrType.BLOCKS and not all(0 <= v < n for v in value):
            raise ProgramError(
                f"{where}: attribute {name!r} references blocks {value} of 0..{n - 1}"
            )


def _type_name(atype: int) -> str:
    try:
        return AttrType(atype).name
    except ValueError:
        return f"unknown AttrType {atype}"
