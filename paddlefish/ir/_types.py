"""Enumerations shared by the IR and the ProgramDesc codec (numbers are the on-disk ones)."""

from __future__ import annotations

import enum

__all__ = ["EMPTY_VAR_NAME", "AttrType", "VarType", "infer_attr_type"]

# Paddle's kEmptyVarName: an op argument that deliberately names no variable (backward programs).
EMPTY_VAR_NAME = "@EMPTY@"


class AttrType(enum.IntEnum):
    """``paddle.framework.proto.AttrType``: which value field of ``OpDesc.Attr`` is used."""

    INT = 0
    FLOAT = 1
    STRING = 2
    INTS = 3
    FLOATS = 4
    STRINGS = 5
    BOOLEAN = 6
    BOOLEANS = 7
    BLOCK = 8
    LONG = 9
    BLOCKS = 10
    LONGS = 11
    FLOAT64S = 12
    VAR = 13
    VARS = 14
    FLOAT64 = 15
    SCALAR = 16
    SCALARS = 17


class VarType(enum.IntEnum):
    """``VarType.Type`` values that describe a variable's kind (not its element dtype)."""

    LOD_TENSOR = 7  # 3.x: DENSE_TENSOR
    SELECTED_ROWS = 8
    FEED_MINIBATCH = 9
    FETCH_LIST = 10
    STEP_SCOPES = 11
    LOD_RANK_TABLE = 12
    LOD_TENSOR_ARRAY = 13  # 3.x: DENSE_TENSOR_ARRAY
    PLACE_LIST = 14
    READER = 15
    RAW = 17
    TUPLE = 18
    STRING = 25
    STRINGS = 26
    VOCAB = 27
    FEED_LIST = 28
    SPARSE_COO = 30
    SPARSE_CSR = 31


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


_INT32 = range(-(2**31), 2**31)


def infer_attr_type(value) -> AttrType:
    """The AttrType Paddle would use for a plain Python ``value`` (int beyond int32 -> LONG).

    >>> infer_attr_type([1, 2]).name, infer_attr_type(2**40).name, infer_attr_type('a').name
    ('INTS', 'LONG', 'STRING')
    """
    if isinstance(value, bool):
        return AttrType.BOOLEAN
    if _is_int(value):
        return AttrType.INT if value in _INT32 else AttrType.LONG
    if isinstance(value, float):
        return AttrType.FLOAT
    if isinstance(value, str):
        return AttrType.STRING
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, bool) for v in value) and value:
            return AttrType.BOOLEANS
        if all(_is_int(v) for v in value):
            return AttrType.INTS if all(v in _INT32 for v in value) else AttrType.LONGS
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            return AttrType.FLOATS
        if all(isinstance(v, str) for v in value):
            return AttrType.STRINGS
    raise TypeError(
        f"cannot infer a Paddle attribute type for {value!r} ({type(value).__name__}); pass "
        f"attr_types={{name: AttrType.X}} explicitly"
    )
