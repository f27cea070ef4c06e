"""torch.dtype <-> paddle DType, derived from the one table in ``_core.dtypes``."""

from __future__ import annotations

import numpy as np
import torch

from .._core.dtypes import DTYPES, DType, convert_dtype

_TORCH = {
    "bool": torch.bool,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "float16": torch.float16,
    "float32": torch.float32,
    "float64": torch.float64,
    "uint8": torch.uint8,
    "int8": torch.int8,
    "bfloat16": torch.bfloat16,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}
_FROM_TORCH = {v: DTYPES[k] for k, v in _TORCH.items()}


def to_torch_dtype(dtype) -> torch.dtype:
    if isinstance(dtype, torch.dtype):
        return dtype
    return _TORCH[convert_dtype(dtype).name]


def from_torch_dtype(dtype: torch.dtype) -> DType:
    try:
        return _FROM_TORCH[dtype]
    except KeyError:
        raise TypeError(f"torch dtype {dtype} has no Paddle equivalent") from None


def torch_to_numpy(t: torch.Tensor) -> np.ndarray:
    """CPU numpy view/copy of ``t``; bfloat16 comes out as its raw uint16 bits
    (see NOTE [bfloat16 as uint16] in _core/dtypes.py)."""
    t = t.detach()
    if t.device.type != "cpu":
        t = t.cpu()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().view(np.uint16)
    if t.is_complex() and (t.is_conj() or t.is_neg()):  # lazy conjugation (torch.fft, .conj())
        t = t.resolve_conj().resolve_neg()
    return t.numpy()


def _contiguous(arr: np.ndarray) -> np.ndarray:
    # not np.ascontiguousarray: it turns a 0-D array into shape (1,)
    return arr if arr.flags.c_contiguous else np.array(arr, order="C")


def numpy_to_torch(arr: np.ndarray, dtype: DType | None = None) -> torch.Tensor:
    """Tensor from ``arr`` (sharing memory when possible); uint16 arrays are bfloat16 bits unless
    ``dtype`` says otherwise."""
    if dtype is None:
        dtype = convert_dtype(arr.dtype) if arr.dtype != np.uint16 else DTYPES["bfloat16"]
    if dtype.name == "bfloat16":
        a = _contiguous(arr)
        if a.dtype != np.uint16:
            # real floats (e.g. a float32 array) converted to bf16
            return torch.from_numpy(np.asarray(a, dtype=np.float32)).to(torch.bfloat16)
        if not a.flags.writeable:
            a = a.copy()
        return torch.from_numpy(a.view(np.int16)).view(torch.bfloat16)
    if arr.dtype.byteorder == ">":
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    if not arr.flags.writeable:
        arr = arr.copy()
    t = torch.from_numpy(_contiguous(arr))
    want = _TORCH[dtype.name]
    return t if t.dtype == want else t.to(want)
