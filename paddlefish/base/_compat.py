"""The rest of ``paddle.base`` (``fluid``) that 2.x code still reaches for: ``LoDTensor`` and
``create_lod_tensor``, ``DataFeeder``, ``require_version``, the ``is_compiled_with_*`` queries.

NOTE [require_version]: paddlefish implements Paddle 2.6's API, so ``require_version`` compares
against ``2.6.2`` (``PADDLE_API_VERSION``), not paddlefish's own version number; a requirement
above it fails with Paddle's ``VersionError`` wording.

>>> import numpy as np, paddlefish as paddle
>>> t = paddle.base.create_lod_tensor(np.arange(6).reshape(6, 1), [[2, 4]], paddle.CPUPlace())
>>> t.lod(), t.recursive_sequence_lengths(), t.shape()
([[0, 2, 6]], [[2, 4]], [6, 1])
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = [
    "PADDLE_API_VERSION",
    "DataFeeder",
    "LoDTensor",
    "create_lod_tensor",
    "is_compiled_with_cinn",
    "is_compiled_with_rocm",
    "is_compiled_with_xpu",
    "require_version",
]

PADDLE_API_VERSION = "2.6.2"


class LoDTensor:
    """A host array with an optional level-of-detail (sequence offsets), as ``core.LoDTensor``:
    ``set(array, place)``, ``shape()``, ``lod()``/``set_lod``, ``recursive_sequence_lengths()``
    /``set_recursive_sequence_lengths``; ``np.array(t)`` gives the data. Feeds ``Executor.run``."""

    def __init__(self, array=None, lod=None):
        self._a = np.zeros([0], "float32") if array is None else np.asarray(array)
        self._lod: list[list[int]] = [list(map(int, level)) for level in (lod or [])]

    def set(self, array, place=None):
        self._a = np.array(array, copy=True)

    def shape(self) -> list[int]:
        return list(self._a.shape)

    def lod(self) -> list[list[int]]:
        return [list(level) for level in self._lod]

    def set_lod(self, lod) -> None:
        self._lod = [list(map(int, level)) for level in lod]

    def recursive_sequence_lengths(self) -> list[list[int]]:
        return [[b - a for a, b in itertools.pairwise(level)] for level in self._lod]

    def set_recursive_sequence_lengths(self, lengths) -> None:
        self._lod = [[0, *(int(v) for v in np.cumsum(level))] for level in lengths]

    def has_valid_recursive_sequence_lengths(self) -> bool:
        if not self._lod:
            return True
        return self._lod[-1][-1] == self._a.shape[0] and all(
            level == sorted(level) and level[0] == 0 for level in self._lod
        )

    def __array__(self, dtype=None, copy=None):
        return self._a if dtype is None else self._a.astype(dtype)

    def _dtype(self):
        return self._a.dtype

    def __repr__(self) -> str:
        return f"LoDTensor(shape={self.shape()}, lod={self._lod})"


def create_lod_tensor(data, recursive_seq_lens, place):
    """A ``LoDTensor`` of ``data`` (an array, a LoDTensor, or a list of sequences) with the
    given sequence lengths (which must add up to the rows of ``data``)."""
    if isinstance(data, LoDTensor):
        return create_lod_tensor(np.array(data), recursive_seq_lens, place)
    if isinstance(data, list):
        flat = [np.asarray(seq) for seq in data]
        lens = [len(s) for s in flat]
        if [lens] != [list(recursive_seq_lens[-1])]:
            raise ValueError(
                f"create_lod_tensor: the sequence lengths {recursive_seq_lens} do not match the "
                f"data's sequences of lengths {lens}"
            )
        arr = np.concatenate(flat).reshape(-1, 1)
        arr = arr.astype("int64") if arr.dtype.kind in "iu" else arr
    else:
        arr = np.asarray(data)
    t = LoDTensor(arr)
    t.set_recursive_sequence_lengths(recursive_seq_lens)
    if not t.has_valid_recursive_sequence_lengths():
        raise ValueError(
            f"create_lod_tensor: sequence lengths {recursive_seq_lens} do not add up to the "
            f"{arr.shape[0]} rows of the data"
        )
    return t


class DataFeeder:
    """Turn a list of samples (one tuple of fields per sample, in ``feed_list`` order) into the
    ``feed`` dict of ``Executor.run``: each field stacked and shaped/cast to its variable."""

    def __init__(self, feed_list, place, program=None):
        self.feed_names, self.feed_shapes, self.feed_dtypes = [], [], []
        for v in feed_list:
            if isinstance(v, str):
                from ..static import default_main_program

                v = (program or default_main_program()).global_block().var(v)
            self.feed_names.append(v.name)
            self.feed_shapes.append(list(v.shape))
            self.feed_dtypes.append(v.dtype)
        self.place = place

    def feed(self, iterable) -> dict:
        fields: list[list] = [[] for _ in self.feed_names]
        for n, sample in enumerate(iterable):
            if len(sample) != len(self.feed_names):
                raise ValueError(
                    f"DataFeeder: sample {n} has {len(sample)} fields, expected "
                    f"{len(self.feed_names)} ({self.feed_names})"
                )
            for i, value in enumerate(sample):
                fields[i].append(np.asarray(value))
        out = {}
        for name, shape, dtype, vals in zip(
            self.feed_names, self.feed_shapes, self.feed_dtypes, fields
        ):
            arr = np.stack(vals) if vals else np.zeros([0], "float32")
            inner = [d for d in shape[1:]]
            if inner and all(d >= 0 for d in inner):
                arr = arr.reshape([len(vals), *inner])
            np_dtype = getattr(dtype, "name", str(dtype)).replace("paddle.", "")
            out[name] = LoDTensor(arr.astype(np_dtype))
        return out


def _parse(v: str) -> list[int]:
    parts = [int(p) for p in str(v).split(".") if p.isdigit()]
    return (parts + [0, 0, 0, 0])[:4]


def require_version(min_version, max_version=None) -> None:
    """Check that the Paddle API level paddlefish implements (NOTE [require_version]) is in
    ``[min_version, max_version]``."""
    for v, what in ((min_version, "min_version"), (max_version, "max_version")):
        if v is not None and not isinstance(v, str):
            raise TypeError(
                f"The type of '{what}' in require_version must be str, but received {type(v)}."
            )
    have = _parse(PADDLE_API_VERSION)
    if _parse(min_version) > have or (max_version is not None and _parse(max_version) < have):
        if max_version is None:
            raise Exception(  # noqa: TRY002 - Paddle's VersionError is a plain Exception
                f"VersionError: PaddlePaddle version {min_version} or higher is required, but "
                f"{PADDLE_API_VERSION} installed (the Paddle API paddlefish implements), please "
                f"upgrade your PaddlePaddle to {min_version} or other higher version."
            )
        raise Exception(  # noqa: TRY002
            f"VersionError: PaddlePaddle version in [{min_version}, {max_version}] required, but "
            f"{PADDLE_API_VERSION} installed (the Paddle API paddlefish implements)."
        )


def is_compiled_with_cinn() -> bool:
    return False


def is_compiled_with_rocm() -> bool:
    return False


def is_compiled_with_xpu() -> bool:
    return False
