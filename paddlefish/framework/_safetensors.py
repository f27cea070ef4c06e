"""``safetensors=True`` for ``paddle.save`` / ``paddle.load`` (FORMATS.md 1.9).

A standard safetensors file of the state dict's Tensors (no name table; the keys name the loaded
Tensors). Needs the optional ``safetensors`` package.
"""

from __future__ import annotations

import os
from typing import IO, Any

try:
    from safetensors import torch as _st_torch
except ImportError:  # optional dependency: refused with an install hint where used
    _st_torch = None

from ..eager import Tensor, torch_to_numpy, wrap

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


def read(path: Any, return_numpy: bool) -> dict:
    """Read a safetensors file (path or stream) into ``{key: Tensor named key}``."""
    st = _require()
    if isinstance(path, (str, os.PathLike)):
        raw = st.load_file(os.fspath(path))
    else:
        raw = st.load(path.read())
    out = {}
    for key, t in raw.items():
        if return_numpy:
            out[key] = torch_to_numpy(t)
        else:
            out[key] = wrap(t)
            out[key].name = key
    return out
