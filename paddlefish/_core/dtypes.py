"""The one dtype table: Paddle dtype name <-> VarType.Type number <-> numpy dtype.

Every other module that needs a dtype mapping derives it from ``DTYPES`` here (torch's mapping
lives in ``eager/`` because L0 may not import torch). Numbers are ``VarType.Type`` from
FORMATS.md section 3.1 / 4.1: the only dtype numbering ever written to disk.
"""

from __future__ import annotations

import numpy as np

__all__ = ["DTYPES", "DType", "VarType", "convert_dtype", "from_numpy", "from_vartype", "to_numpy"]


class DType:
    """A Paddle dtype (``paddle.float32``). Compares equal to itself and to its name string."""

    __slots__ = ("itemsize", "kind", "name", "np_dtype", "pir_name", "vartype")

    def __init__(self, name: str, vartype: int, np_dtype, itemsize: int, pir_name: str, kind: str):
        self.name = name
        self.vartype = vartype
        # NOTE [bfloat16 as uint16]: numpy has no bfloat16; Paddle stores its raw bits as uint16
        # in pickles and the DenseTensor stream carries BF16 = 22. np_dtype is the storage dtype.
        self.np_dtype = np.dtype(np_dtype)
        self.itemsize = itemsize
        self.pir_name = pir_name
        self.kind = kind  # 'b' bool, 'i' signed, 'u' unsigned, 'f' float, 'c' complex

    def __repr__(self) -> str:
        return f"paddle.{self.name}"

    __str__ = __repr__

    def __eq__(self, other) -> bool:
        if isinstance(other, DType):
            return self is other
        if isinstance(other, str):
            try:
                return convert_dtype(other) is self
            except (TypeError, ValueError):
                return False
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.name)

    def __reduce__(self):
        return (convert_dtype, (self.name,))

    @property
    def is_floating_point(self) -> bool:
        return self.kind == "f"

    def __int__(self) -> int:
        # int(paddle.float32) == 5 as with Paddle 2.x's VarType enum (core.VarDesc.VarType.FP32)
        return self.vartype

    __index__ = __int__


_TABLE = [
    # name, VarType number, numpy storage dtype, itemsize, PIR element type, kind
    ("bool", 0, np.bool_, 1, "0.t_bool", "b"),
    ("int16", 1, "<i2", 2, "0.t_i16", "i"),
    ("int32", 2, "<i4", 4, "0.t_i32", "i"),
    ("int64", 3, "<i8", 8, "0.t_i64", "i"),
    ("float16", 4, "<f2", 2, "0.t_f16", "f"),
    ("float32", 5, "<f4", 4, "0.t_f32", "f"),
    ("float64", 6, "<f8", 8, "0.t_f64", "f"),
    ("uint8", 20, "u1", 1, "0.t_ui8", "u"),
    ("int8", 21, "i1", 1, "0.t_i8", "i"),
    ("bfloat16", 22, "<u2", 2, "0.t_bf16", "f"),
    ("complex64", 23, "<c8", 8, "0.t_c64", "c"),
    ("complex128", 24, "<c16", 16, "0.t_c128", "c"),
]

DTYPES: dict[str, DType] = {row[0]: DType(*row) for row in _TABLE}
_BY_VARTYPE = {d.vartype: d for d in DTYPES.values()}
_BY_PIR = {d.pir_name: d for d in DTYPES.values()}
_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "int": "int32",
    "long": "int64",
    "bf16": "bfloat16",
    "fp16": "float16",
    "fp32": "float32",
    "fp64": "float64",
}
# numpy storage dtype -> DType; uint16 deliberately maps to bfloat16 (see NOTE [bfloat16 as uint16]).
_BY_NUMPY = {d.np_dtype: d for d in DTYPES.values()}


def convert_dtype(dtype) -> DType:
    """Normalize a dtype given as DType, name string, numpy dtype or ``paddle.float32``-like object.

    >>> convert_dtype('float32')
    paddle.float32
    """
    if isinstance(dtype, DType):
        return dtype
    if isinstance(dtype, str):
        key = dtype.lower().replace("paddle.", "")
        key = _ALIASES.get(key, key)
        if key in DTYPES:
            return DTYPES[key]
        raise ValueError(
            f"unknown dtype {dtype!r}; expected one of {sorted(DTYPES)} (or a numpy dtype)"
        )
    # objects that know their paddle dtype (eager Tensor dtypes, torch dtypes via eager) expose it
    name = getattr(dtype, "_paddle_dtype_name", None)
    if name is not None:
        return DTYPES[name]
    if dtype is float:
        return DTYPES["float32"]
    if dtype is int:
        return DTYPES["int64"]
    if dtype is bool:
        return DTYPES["bool"]
    try:
        return from_numpy(np.dtype(dtype))
    except TypeError:
        pass
    raise TypeError(f"cannot interpret {dtype!r} as a paddle dtype; expected e.g. 'float32'")


def from_vartype(number: int) -> DType:
    """DType for a ``VarType.Type`` number as stored on disk."""
    try:
        return _BY_VARTYPE[number]
    except KeyError:
        raise ValueError(
            f"VarType.Type {number} is not a tensor element type paddlefish supports; "
            f"supported: {sorted(_BY_VARTYPE)}"
        ) from None


def from_pir(name: str) -> DType:
    try:
        return _BY_PIR[name]
    except KeyError:
        raise ValueError(f"unknown PIR element type {name!r}") from None


def from_numpy(np_dtype) -> DType:
    """DType for a numpy dtype; ``uint16`` is bfloat16 (see NOTE [bfloat16 as uint16])."""
    nd = np.dtype(np_dtype).newbyteorder("<") if np.dtype(np_dtype).byteorder == ">" else np.dtype(
        np_dtype
    )
    try:
        return _BY_NUMPY[nd]
    except KeyError:
        raise TypeError(
            f"numpy dtype {np.dtype(np_dtype)} has no Paddle equivalent; "
            f"supported: {sorted(str(k) for k in _BY_NUMPY)}"
        ) from None


def to_numpy(dtype) -> np.dtype:
    return convert_dtype(dtype).np_dtype


class VarType:
    """``paddle.base.core.VarDesc.VarType``: Paddle 2.x's variable-type enum.

    The dtype members *are* paddlefish's dtypes (``VarType.FP32 is paddle.float32``, and
    ``int(VarType.FP32) == 5``), as Paddle 2.x's ``paddle.float32`` is its ``VarType.FP32``; the
    other members are the ``VarType.Type`` numbers of FORMATS.md section 3.1 that Paddle 2.6's enum
    exposes.

    >>> VarType.FP32 is DTYPES["float32"], int(VarType.INT64), VarType.LOD_TENSOR
    (True, 3, 7)
    """

    BOOL = DTYPES["bool"]
    INT16 = DTYPES["int16"]
    INT32 = DTYPES["int32"]
    INT64 = DTYPES["int64"]
    FP16 = DTYPES["float16"]
    FP32 = DTYPES["float32"]
    FP64 = DTYPES["float64"]
    UINT8 = DTYPES["uint8"]
    INT8 = DTYPES["int8"]
    BF16 = DTYPES["bfloat16"]
    COMPLEX64 = DTYPES["complex64"]
    COMPLEX128 = DTYPES["complex128"]
    LOD_TENSOR = 7
    SELECTED_ROWS = 8
    FEED_MINIBATCH = 9
    FETCH_LIST = 10
    STEP_SCOPES = 11
    LOD_RANK_TABLE = 12
    LOD_TENSOR_ARRAY = 13
    PLACE_LIST = 14
    READER = 15
    RAW = 17
    STRING = 25
    STRINGS = 26
    VOCAB = 27
    SPARSE_COO = 30
