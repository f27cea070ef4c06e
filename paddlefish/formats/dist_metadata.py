"""The ``{id}.metadata`` file of a Paddle 3.x distributed checkpoint (``save_state_dict``).

A distributed checkpoint directory holds ``{rank}_{id}.distcp`` files (``paddle.save`` pickles of
``{flat_key: local ndarray}``, read and written by ``pdparams``) and one ``{id}.metadata``: a
pickle of Paddle's ``Metadata`` dataclass that says, for every flat key, which global slices
exist (``LocalTensorMetadata``) and which file holds each (``LocalTensorIndex`` -> file name).
This module is the codec of that pickle, with plain dataclasses of the same field names. Reading
goes through the allowlist unpickler (see NOTE [distributed checkpoint dataclasses] in
safe_pickle.py); writing emits Paddle 3.3's class paths so real Paddle loads the file.

>>> import io
>>> m = Metadata({'w': [LocalTensorMetadata((0,), (2,), 'float32', (2,))]},
...              {LocalTensorIndex('w', (0,), local_shape=(2,)): '0_0.distcp'}, {'w': ('w',)})
>>> buf = io.BytesIO(); write_dist_metadata(m, buf)
>>> read_dist_metadata(io.BytesIO(buf.getvalue())) == m
True
"""

from __future__ import annotations

import io
import os
import pickle
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar

from .._core import fs
from ..errors import FormatError
from . import safe_pickle

__all__ = [
    "PADDLE_METADATA_MODULE",
    "LocalTensorIndex",
    "LocalTensorMetadata",
    "Metadata",
    "load_dist_metadata",
    "looks_like_dist_metadata",
    "read_dist_metadata",
    "save_dist_metadata",
    "write_dist_metadata",
]

# The module Paddle 3.3 defines the dataclasses in; our writer names it (see module docstring).
PADDLE_METADATA_MODULE = safe_pickle.DCP_MODULES[0]


@dataclass(frozen=True)
class LocalTensorMetadata:
    """Where one local slice lies in the global tensor (Paddle's field names and order)."""

    global_offset: tuple[int, ...]
    local_shape: tuple[int, ...]
    dtype: str
    global_shape: tuple[int, ...] | None = None
    is_flattened: bool = False
    flattened_range: tuple[int, int] | None = None


@dataclass(frozen=True)
class LocalTensorIndex:
    """The identity of one stored slice: its flat key and global offset."""

    tensor_key: str
    global_offset: tuple[int, ...]
    is_flattened: bool = False
    flattened_range: tuple[int, int] | None = None
    replica_id: int | None = None
    local_shape: tuple[int, ...] | None = None


@dataclass
class Metadata:
    """The whole metadata: slices per key, the file of each slice, flat key -> nested path."""

    state_dict_metadata: dict[str, list[LocalTensorMetadata]] = field(default_factory=dict)
    storage_metadata: dict[LocalTensorIndex, str] = field(default_factory=dict)
    flat_mapping: dict[str, tuple[str, ...]] = field(default_factory=dict)


_OURS = {Metadata: "Metadata", LocalTensorMetadata: "LocalTensorMetadata"}
_OURS[LocalTensorIndex] = "LocalTensorIndex"


class _Pickler(pickle._Pickler):  # the pure-Python pickler: its save_global can be overridden
    def save_global(self, obj: Any, name: str | None = None) -> None:
        if obj not in _OURS:
            raise pickle.PicklingError(f"dist metadata: unexpected global {obj!r}")
        self.save(PADDLE_METADATA_MODULE)
        self.save(_OURS[obj])
        self.write(pickle.STACK_GLOBAL)
        self.memoize(obj)

    dispatch: ClassVar[dict] = dict(pickle._Pickler.dispatch)
    dispatch[type] = save_global


def _tuple(v: Any, where: str) -> tuple | None:
    if v is None:
        return None
    if not isinstance(v, (tuple, list)) or not all(type(e) is int for e in v):
        raise FormatError(f"{where}: expected a tuple of ints, got {v!r:.80}")
    return tuple(v)


def _from_record(rec: Any, kind: type, where: str) -> Any:
    if not isinstance(rec, safe_pickle.DcpRecord) or rec.kind != _OURS[kind]:
        raise FormatError(f"{where}: expected a Paddle {_OURS[kind]}, got {rec!r:.120}")
    f = dict(rec.fields)
    for k in ("global_offset", "local_shape", "global_shape", "flattened_range"):
        if k in f:
            f[k] = _tuple(f[k], f"{where}.{k}")
    try:
        return kind(**f)
    except TypeError as e:
        raise FormatError(f"{where}: {_OURS[kind]} is missing fields ({e})") from None


def _from_records(rec: Any, filename: str) -> Metadata:
    if not isinstance(rec, safe_pickle.DcpMetadata):
        raise FormatError(
            f"{filename}: not a distributed-checkpoint metadata pickle (top object is "
            f"{type(rec).__name__}, expected Paddle's Metadata)"
        )
    sdm = rec.fields.get("state_dict_metadata") or {}
    stm = rec.fields.get("storage_metadata") or {}
    fm = rec.fields.get("flat_mapping") or {}
    if not (isinstance(sdm, dict) and isinstance(stm, dict) and isinstance(fm, dict)):
        raise FormatError(f"{filename}: Metadata fields must be dicts")
    out = Metadata()
    for key, metas in sdm.items():
        if not isinstance(key, str) or not isinstance(metas, list):
            raise FormatError(f"{filename}: state_dict_metadata[{key!r}] must be a list")
        where = f"{filename}: state_dict_metadata[{key!r}]"
        out.state_dict_metadata[key] = [_from_record(m, LocalTensorMetadata, where) for m in metas]
    for idx, fname in stm.items():
        where = f"{filename}: storage_metadata"
        if not isinstance(fname, str) or os.path.basename(fname) != fname or fname in ("", ".."):
            raise FormatError(f"{where}: file name {fname!r:.80} must be a plain file name")
        out.storage_metadata[_from_record(idx, LocalTensorIndex, where)] = fname
    for key, path in fm.items():
        if not isinstance(path, (tuple, list)) or not all(isinstance(p, str) for p in path):
            raise FormatError(f"{filename}: flat_mapping[{key!r}] must be a tuple of str")
        out.flat_mapping[key] = tuple(path)
    return out


def read_dist_metadata(f: IO[bytes], *, name: str | None = None) -> Metadata:
    """Read a ``*.metadata`` pickle (Paddle's or ours) from a binary stream."""
    filename = safe_pickle.file_name(f, name)
    return _from_records(safe_pickle.load(f, name=filename), filename)


def write_dist_metadata(m: Metadata, f: IO[bytes]) -> None:
    """Pickle ``m`` (protocol 4) with Paddle 3.3's class paths."""
    if not isinstance(m, Metadata):
        raise TypeError(f"write_dist_metadata: expected a Metadata, got {type(m).__name__}")
    _Pickler(f, protocol=4).dump(m)


def load_dist_metadata(path: str | os.PathLike) -> Metadata:
    """``read_dist_metadata`` on a path."""
    with open(path, "rb") as f:
        return read_dist_metadata(f, name=os.fspath(path))


def save_dist_metadata(m: Metadata, path: str | os.PathLike) -> None:
    """``write_dist_metadata`` atomically to a path."""
    buf = io.BytesIO()
    write_dist_metadata(m, buf)
    with fs.atomic_write(os.fspath(path)) as f:
        f.write(buf.getvalue())


def looks_like_dist_metadata(head: bytes) -> bool:
    """Whether the first bytes are a pickle naming Paddle's distributed-checkpoint ``Metadata``."""
    return head[:1] == b"\x80" and any(m.encode() in head for m in safe_pickle.DCP_MODULES)
