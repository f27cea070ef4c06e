"""``.pdparams`` / ``.pdopt``: the numpy/dict half of ``paddle.save`` and ``paddle.load``.

Pure codecs over dicts and ndarrays (FORMATS.md 1.2, 1.3, 1.6, 1.7 A); the framework layer turns
Tensors into ndarrays (and names) before ``encode_state_dict`` and back after ``load_pdparams``.

NOTE [pdparams name table]: a state-dict save appends ``'StructuredToParameterName@@'`` ->
``{key: tensor.name}`` as the *last* key (present even when empty); ``paddle.load`` uses it to name
the Tensors it returns and drops it unless ``keep_name_table=True``.

NOTE [big-array split]: with protocol 2 or 3 only, each top-level ndarray with more than
``(2**30 - 1) // itemsize`` elements is flattened into 1-D chunks ``KEY@@.0``, ``KEY@@.1``, ...
appended at the end (after the name table), the original key is removed, and
``'UnpackBigParamInfor@@'`` = ``{KEY: {'OriginShape': shape, 'slices': [chunk keys]}}`` comes
last. Loading concatenates the chunks and puts ``KEY`` back at the end of the dict.
"""

from __future__ import annotations

import collections
import math
import os
from collections.abc import Callable, Iterable
from typing import IO, Any

import numpy as np

from .._core import fs
from ..errors import FormatError
from . import lazy_pickle, pickle_writer, safe_pickle
from .sniff import looks_like_pickle

__all__ = [
    "BIG_PARAM_KEY",
    "MAX_BYTES",
    "NAME_TABLE_KEY",
    "contains_named_array",
    "decode",
    "encode_state_dict",
    "is_named_array",
    "load_pdparams",
    "load_pdparams_at",
    "looks_like_pdparams",
    "map_structure",
    "pop_name_table",
    "read_pdparams",
    "save_pdparams",
    "split_big_arrays",
    "write_pdparams",
]

NAME_TABLE_KEY = "StructuredToParameterName@@"
BIG_PARAM_KEY = "UnpackBigParamInfor@@"
MAX_BYTES = 2**30 - 1  # see NOTE [big-array split]; tests patch it to stay small

looks_like_pdparams = looks_like_pickle


def encode_state_dict(
    arrays: dict[Any, Any], names: dict[Any, str], protocol: int = 4
) -> dict[Any, Any]:
    """The dict ``paddle.save`` pickles for a state dict (see NOTE [pdparams name table]).

    ``arrays`` maps keys to ndarrays (former Tensors) or other values; ``names`` gives the tensor
    name of every key that was a Tensor.

    >>> import numpy as np
    >>> d = encode_state_dict({'w': np.zeros(2)}, {'w': 'linear_0.w_0'})
    >>> list(d), d[NAME_TABLE_KEY]
    (['w', 'StructuredToParameterName@@'], {'w': 'linear_0.w_0'})
    """
    unknown = [k for k in names if k not in arrays]
    if unknown:
        raise KeyError(f"names given for keys {unknown!r} that are not in the state dict")
    out = dict(arrays)
    out[NAME_TABLE_KEY] = {k: names[k] for k in arrays if k in names}
    return split_big_arrays(out) if protocol in (2, 3) else out


def _max_elements(itemsize: int) -> int:
    return max(1, MAX_BYTES // itemsize)


def split_big_arrays(d: dict[Any, Any]) -> dict[Any, Any]:
    """Apply NOTE [big-array split] to the top level of ``d`` (returns a new dict).

    >>> import numpy as np
    >>> list(split_big_arrays({'a': np.zeros(2)}))
    ['a']
    """
    info: dict[Any, Any] = {}
    parts: dict[str, np.ndarray] = {}
    for key, value in d.items():
        if not isinstance(value, np.ndarray):
            continue
        limit = _max_elements(value.dtype.itemsize)
        if value.size <= limit:
            continue
        flat = np.ravel(value)
        slices = [f"{key}@@.{i}" for i in range(math.ceil(value.size / limit))]
        for i, part in enumerate(slices):
            parts[part] = flat[i * limit : (i + 1) * limit]
        info[key] = {"OriginShape": tuple(value.shape), "slices": slices}
    if not info:
        return d
    out = {k: v for k, v in d.items() if k not in info}
    out.update(parts)
    out[BIG_PARAM_KEY] = info
    return out


def decode(obj: Any, *, name: str = "<pickle>") -> Any:
    """Undo NOTE [big-array split] on a loaded object (other objects are returned as they are).

    >>> import numpy as np
    >>> decode({'w@@.0': np.arange(2.0), 'w@@.1': np.arange(1.0),
    ...         'UnpackBigParamInfor@@': {'w': {'OriginShape': (3,), 'slices': ['w@@.0', 'w@@.1']}}})
    {'w': array([0., 1., 0.])}
    """
    if not isinstance(obj, dict) or BIG_PARAM_KEY not in obj:
        return obj
    info = obj[BIG_PARAM_KEY]
    if not isinstance(info, dict):
        raise FormatError(f"{name}: '{BIG_PARAM_KEY}' must be a dict, got {type(info).__name__}")
    out = {k: v for k, v in obj.items() if k != BIG_PARAM_KEY}
    for key, spec in info.items():
        out[key] = _join_chunks(obj, key, spec, name)
    for spec in info.values():
        for part in spec["slices"]:
            out.pop(part, None)
    if type(obj) is not dict:
        return type(obj)(out)
    return out


def _join_chunks(obj: dict, key: Any, spec: Any, name: str) -> np.ndarray:
    bad = FormatError(
        f"{name}: '{BIG_PARAM_KEY}'[{key!r}] must be {{'OriginShape': tuple of ints, 'slices': "
        f"[keys of 1-D ndarrays in this file]}}, got {spec!r:.200}"
    )
    if not isinstance(spec, dict) or not isinstance(spec.get("slices"), list):
        raise bad
    shape = spec.get("OriginShape")
    if not isinstance(shape, (tuple, list)) or not all(type(s) is int and s >= 0 for s in shape):
        raise bad
    chunks = [obj.get(part) for part in spec["slices"]]
    if not chunks or not all(isinstance(c, np.ndarray) and c.ndim == 1 for c in chunks):
        raise bad
    joined = np.concatenate(chunks)
    if joined.size != math.prod(shape):
        raise FormatError(
            f"{name}: the chunks of {key!r} hold {joined.size} elements but OriginShape "
            f"{tuple(shape)} needs {math.prod(shape)}; the file is damaged"
        )
    return joined.reshape(tuple(shape))


def pop_name_table(d: Any, keep: bool = False) -> tuple[Any, dict | None]:
    """Split the name table off a loaded dict: ``(dict without it unless keep, table or None)``.

    >>> pop_name_table({'w': 1, NAME_TABLE_KEY: {'w': 'fc.w_0'}})
    ({'w': 1}, {'w': 'fc.w_0'})
    """
    if not isinstance(d, dict) or NAME_TABLE_KEY not in d:
        return d, None
    table = d[NAME_TABLE_KEY]
    if not isinstance(table, dict):
        raise FormatError(f"'{NAME_TABLE_KEY}' must be a dict, got {type(table).__name__}")
    if keep:
        return d, table
    rest = type(d)((k, v) for k, v in d.items() if k != NAME_TABLE_KEY)
    return rest, table


def is_named_array(x: Any) -> bool:
    """A generic-path Tensor after loading: ``(name: str, ndarray)`` (see NOTE [generic tensor]).

    >>> import numpy as np
    >>> is_named_array(('w', np.zeros(1))), is_named_array(('w', 1))
    (True, False)
    """
    return type(x) is tuple and len(x) == 2 and isinstance(x[0], str) and type(x[1]) in _ARRAYS


_ARRAYS = (np.ndarray, np.memmap)
_CONTAINERS = (dict, collections.OrderedDict, list, tuple, set, frozenset)


def contains_named_array(obj: Any) -> bool:
    """Whether any ``(str, ndarray)`` 2-tuple occurs anywhere in ``obj`` (FORMATS.md 1.7 step 4).

    >>> import numpy as np
    >>> contains_named_array({'a': [1, ('t', np.zeros(1))]}), contains_named_array([np.zeros(1)])
    (True, False)
    """
    stack = [obj]
    while stack:
        x = stack.pop()
        if is_named_array(x):
            return True
        if isinstance(x, dict):
            stack.extend(x.values())
        elif type(x) in _CONTAINERS:
            stack.extend(x)
    return False


def map_structure(obj: Any, pred: Callable[[Any], bool], fn: Callable[[Any], Any]) -> Any:
    """Rebuild ``obj`` through dict/OrderedDict/list/tuple/set, replacing every ``x`` with
    ``pred(x)`` by ``fn(x)`` (tested before descending, so named-array tuples are caught whole).

    >>> import numpy as np
    >>> map_structure({'a': [('t', np.zeros(1)), 2]}, is_named_array, lambda t: t[0])
    {'a': ['t', 2]}
    """
    if pred(obj):
        return fn(obj)
    if isinstance(obj, dict) and type(obj) in (dict, collections.OrderedDict):
        return type(obj)((k, map_structure(v, pred, fn)) for k, v in obj.items())
    if type(obj) in (list, tuple, set, frozenset):
        return type(obj)(map_structure(v, pred, fn) for v in obj)
    return obj


def write_pdparams(obj: Any, f: IO[bytes], protocol: int = 4) -> None:
    """Pickle an encoded object (e.g. ``encode_state_dict``'s result) to a binary stream.

    >>> import io, numpy as np
    >>> buf = io.BytesIO(); write_pdparams({'w': np.zeros(2)}, buf)
    >>> read_pdparams(io.BytesIO(buf.getvalue()))['w']
    array([0., 0.])
    """
    pickle_writer.write(obj, f, protocol)


def read_pdparams(
    f: IO[bytes], *, name: str | None = None, trusted_globals: Iterable[str] = ()
) -> Any:
    """Read a Paddle pickle from a stream through the allowlist and undo big-array splitting."""
    filename = safe_pickle.file_name(f, name)
    obj = safe_pickle.load(f, name=filename, trusted_globals=trusted_globals)
    return decode(obj, name=filename)


def save_pdparams(obj: Any, path_or_file: Any, protocol: int = 4) -> None:
    """Write ``obj`` atomically to a path (parents created), or to an open binary stream.

    >>> import os, tempfile, numpy as np
    >>> p = os.path.join(tempfile.mkdtemp(), 'm', 'net.pdparams')
    >>> save_pdparams({'w': np.ones(1, 'f4')}, p); load_pdparams(p)['w']
    array([1.], dtype=float32)
    """
    if isinstance(path_or_file, (str, os.PathLike)):
        with fs.atomic_write(os.fspath(path_or_file)) as f:
            write_pdparams(obj, f, protocol)
    else:
        write_pdparams(obj, path_or_file, protocol)


def load_pdparams(
    path_or_file: Any, *, mmap: bool = False, trusted_globals: Iterable[str] = ()
) -> Any:
    """Load a ``paddle.save`` pickle from a path or stream; ``mmap=True`` maps array data lazily.

    Raises FormatError if the file is damaged and UnsafePickleError if it references a global
    outside the allowlist (see safe_pickle.py).
    """
    if not isinstance(path_or_file, (str, os.PathLike)):
        return read_pdparams(path_or_file, trusted_globals=trusted_globals)
    path = os.fspath(path_or_file)
    if mmap:
        return decode(lazy_pickle.load(path, trusted_globals=trusted_globals), name=path)
    with open(path, "rb") as f:
        return read_pdparams(f, name=path, trusted_globals=trusted_globals)


def load_pdparams_at(
    path: str | os.PathLike,
    offset: int = 0,
    *,
    mmap: bool = False,
    trusted_globals: Iterable[str] = (),
) -> tuple[Any, int]:
    """``load_pdparams`` of the pickle that starts at byte ``offset`` of a file, and the offset
    just after it (see NOTE [stream end] in safe_pickle.py).

    >>> import os, tempfile, numpy as np
    >>> p = os.path.join(tempfile.mkdtemp(), 'two.pdparams')
    >>> with open(p, 'wb') as f: write_pdparams({'w': np.ones(1)}, f); write_pdparams([2], f)
    >>> first, end = load_pdparams_at(p); load_pdparams_at(p, end, mmap=True)[0]
    [2]
    """
    path = os.fspath(path)
    if mmap:
        obj, end = lazy_pickle.load_span(path, offset, trusted_globals=trusted_globals)
        return decode(obj, name=path), end
    with open(path, "rb") as f:
        f.seek(offset)
        return read_pdparams(f, name=path, trusted_globals=trusted_globals), f.tell()
