"""``safetensors=True`` for ``paddle.save`` / ``paddle.load`` (FORMATS.md 1.9).

A standard safetensors file of the state dict's Tensors (no name table; the keys name the loaded
Tensors). Needs the optional ``safetensors`` package.
"""

from __future__ import annotations

import json
import os
import struct
from typing import IO, Any

try:
    from safetensors import torch as _st_torch
except ImportError:  # optional dependency: refused with an install hint where used
    _st_torch = None

from ..eager import Tensor, torch_to_numpy, wrap
from ..errors import FormatError

__all__ = ["read", "write"]


def _require() -> Any:
    if _st_torch is None:
        raise ImportError(
            "safetensors=True needs the 'safetensors' package: pip install safetensors "
            "(or paddlefish[test])"
        )
    return _st_torch


def write(sd: dict, f: IO[bytes]) -> None:
    """Write a state dict of Tensors as safetensors bytes to ``f``."""
    st = _require()
    bad = [k for k, v in sd.items() if not isinstance(v, Tensor) or not isinstance(k, str)]
    if bad:
        raise ValueError(
            f"paddle.save(..., safetensors=True): every key must be a str and every value a "
            f"Tensor; {bad[:5]} are not (e.g. 'LR_Scheduler' dicts cannot go into safetensors). "
            "Save such dicts without safetensors=True"
        )
    tensors = {k: v._t.detach().cpu().contiguous() for k, v in sd.items()}
    f.write(st.save(tensors))


def read(path: Any, return_numpy: bool, *, name: str = "<stream>") -> dict:
    """Read a safetensors file (path or stream) into ``{key: Tensor named key}``.

    From a stream, exactly one safetensors blob is read (its header gives its length), so the
    stream is left just after it (see NOTE [stream end] in formats/safe_pickle.py).
    """
    st = _require()
    if isinstance(path, (str, os.PathLike)):
        raw = st.load_file(os.fspath(path))
    else:
        raw = st.load(_read_blob(path, name))
    out = {}
    for key, t in raw.items():
        if return_numpy:
            out[key] = torch_to_numpy(t)
        else:
            out[key] = wrap(t)
            out[key].name = key
    return out


def _read_blob(f: IO[bytes], name: str) -> bytes:
    """One safetensors blob: u64 header size, JSON header, then data up to the last offset."""
    head = f.read(8)
    size = struct.unpack("<Q", head)[0] if len(head) == 8 else -1
    header = f.read(size) if 0 <= size < (1 << 32) else b""
    try:
        meta = json.loads(header)
        ends = [v["data_offsets"][1] for k, v in meta.items() if k != "__metadata__"]
        end = max(ends, default=0)
        if type(end) is not int or end < 0:
            raise ValueError(end)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as e:
        raise FormatError(
            f"paddle.load: {name}: expected a safetensors blob, but its header is damaged "
            f"({type(e).__name__}: {e})"[:300]
        ) from None
    data = f.read(end)
    if len(data) != end:
        raise FormatError(
            f"paddle.load: {name}: the safetensors data needs {end} bytes but only {len(data)} "
            "remain; the data was cut short"
        )
    return head + header + data
