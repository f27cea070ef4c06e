"""``.pdiparams.info`` (FORMATS.md section 5): per-variable extra info written by legacy jit.save.

A protocol-2 pickle of ``{var_name: {'structured_name': str, 'stop_gradient': bool,
'trainable': bool}}``. ``structured_name`` is absent for variables outside the state dict;
``trainable`` is present **only for Parameters** (its presence makes ``jit.load`` rebuild the var
as a Parameter, its absence as a buffer).

NOTE [pdiparams.info key order]: Paddle 3.3 writes the outer keys sorted by name; Paddle 2.6
writes them in set-iteration (hash) order, which is not reproducible. Readers must not depend on
the order; we write sorted (3.3's bytes). Inner keys are always structured_name, stop_gradient,
trainable.

The file holds only dicts, strings and bools, so it is read with an unpickler that allows **no**
globals at all: anything that names one is refused with ``UnsafePickleError``.
"""

from __future__ import annotations

import io
import os
import pickle
from typing import IO

from .._core import fs
from ..errors import FormatError, UnsafePickleError
from .lod_tensor import write_all

__all__ = [
    "load_pdiparams_info",
    "looks_like_pdiparams_info",
    "read_pdiparams_info",
    "save_pdiparams_info",
    "write_pdiparams_info",
]

VarInfo = dict  # {'structured_name'?: str, 'stop_gradient': bool, 'trainable'?: bool}
_KEYS = ("structured_name", "stop_gradient", "trainable")
_TYPES = {"structured_name": str, "stop_gradient": bool, "trainable": bool}


class _NoGlobals(pickle.Unpickler):
    """Allows nothing but the pickle opcodes for dict/str/bool/int/None."""

    def __init__(self, f: IO[bytes], where: str):
        super().__init__(f)
        self.where = where

    def find_class(self, module: str, name: str):
        raise UnsafePickleError(
            f"{self.where}: the .pdiparams.info pickle references the global {module}.{name}; a "
            f"real .info file holds only dicts, strings and bools, so nothing was loaded. If you "
            f"trust this file, read it with paddlefish.formats.safe_pickle and an explicit "
            f"trusted_globals=..."
        )

    def persistent_load(self, pid):
        raise UnsafePickleError(f"{self.where}: persistent id {pid!r} is not allowed in .info")


def _validate(obj, where: str) -> dict[str, VarInfo]:
    if not isinstance(obj, dict):
        raise FormatError(f"{where}: expected a dict of variable info, got {type(obj).__name__}")
    for var, info in obj.items():
        if not isinstance(var, str) or not isinstance(info, dict):
            raise FormatError(
                f"{where}: entry {var!r} must map a variable name to a dict, got "
                f"{type(var).__name__} -> {type(info).__name__}"
            )
        for key, value in info.items():
            want = _TYPES.get(key)
            if want is None or not isinstance(value, want):
                raise FormatError(
                    f"{where}: variable {var!r} has {key!r}={value!r}; expected keys "
                    f"{list(_KEYS)} with types str/bool/bool"
                )
    return obj


_DAMAGED = (
    pickle.UnpicklingError,
    EOFError,
    ValueError,
    TypeError,
    IndexError,
    KeyError,
    AttributeError,
    OverflowError,
    UnicodeDecodeError,
    MemoryError,
)


def read_pdiparams_info(f: IO[bytes], *, name: str | None = None) -> dict[str, VarInfo]:
    """Read a ``.pdiparams.info`` stream.

    >>> buf = io.BytesIO(); write_pdiparams_info({'w': {'stop_gradient': False}}, buf)
    >>> read_pdiparams_info(io.BytesIO(buf.getvalue()))
    {'w': {'stop_gradient': False}}
    """
    where = name or getattr(f, "name", None) or "<.pdiparams.info>"
    try:
        obj = _NoGlobals(f, where).load()
    except UnsafePickleError:
        raise
    except _DAMAGED as e:
        raise FormatError(f"{where}: not a valid .pdiparams.info pickle ({e})") from None
    return _validate(obj, where)


def write_pdiparams_info(info: dict[str, VarInfo], f: IO[bytes]) -> None:
    """Write ``info`` as Paddle does: protocol 2, sorted names, see NOTE [pdiparams.info key order]."""
    _validate(info, "write_pdiparams_info")
    ordered = {var: {k: info[var][k] for k in _KEYS if k in info[var]} for var in sorted(info)}
    write_all(f, pickle.dumps(ordered, protocol=2))


def load_pdiparams_info(path: str | os.PathLike) -> dict[str, VarInfo]:
    with open(path, "rb") as f:
        return read_pdiparams_info(f, name=os.fspath(path))


def save_pdiparams_info(info: dict[str, VarInfo], path: str | os.PathLike) -> None:
    buf = io.BytesIO()
    write_pdiparams_info(info, buf)
    with fs.atomic_write(os.fspath(path)) as f:
        write_all(f, buf.getvalue())


def looks_like_pdiparams_info(head: bytes) -> bool:
    """Protocol-2 pickle of a dict: ``80 02 7d``."""
    return head[:3] == b"\x80\x02\x7d"
