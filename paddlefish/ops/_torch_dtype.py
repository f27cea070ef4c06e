"""VarType number -> torch dtype, for dtype-valued op attributes (``cast.out_dtype``...)."""

from __future__ import annotations

import torch

from .._core.dtypes import DTYPES, from_vartype

_TORCH = {
    "bool": torch.bool, "int16": torch.int16, "int32": torch.int32, "int64": torch.int64,
    "float16": torch.float16, "float32": torch.float32, "float64": torch.float64,
    "uint8": torch.uint8, "int8": torch.int8, "bfloat16": torch.bfloat16,
    "complex64": torch.complex64, "complex128": torch.complex128,
}
_VARTYPE: dict = {}


def torch_dtype_of_vartype(n: int) -> torch.dtype:
    return _TORCH[from_vartype(int(n)).name]


def vartype_of_torch_dtype(d: torch.dtype) -> int:
    if not _VARTYPE:
        _VARTYPE.update({_TORCH[k]: v.vartype for k, v in DTYPES.items()})
    return _VARTYPE[d]
