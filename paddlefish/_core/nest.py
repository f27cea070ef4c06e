"""Nested structures as Paddle walks them: ``paddle.utils.flatten`` / ``pack_sequence_as`` /
``map_structure`` (Paddle's ``utils/layers_utils.py``, after tf.nest).

NOTE [nest order]: lists, tuples (named ones too) and dicts are containers, strings are leaves;
a dict's values are visited in *sorted key* order, not insertion order, and packing rebuilds the
dict with its original key order. Files and programs that flatten inputs (``InputSpec`` lists,
``jit.save`` outputs) depend on this order, so there is one implementation of it.

>>> flatten({"b": 1, "a": [2, (3, 4)]})
[2, 3, 4, 1]
>>> pack_sequence_as({"b": 0, "a": [0, (0, 0)]}, [20, 30, 40, 10])
{'b': 10, 'a': [20, (30, 40)]}
>>> map_structure(lambda x, y: x + y, [1, (2, 3)], [10, (20, 30)])
[11, (22, 33)]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = [
    "assert_same_structure",
    "flatten",
    "is_sequence",
    "map_structure",
    "pack_sequence_as",
]


def is_sequence(seq: Any) -> bool:
    """A container that the nest functions descend into (dict, list, tuple; not str)."""
    if isinstance(seq, dict):
        return True
    return isinstance(seq, Sequence) and not isinstance(seq, (str, bytes))


def _children(seq: Any) -> list:
    if isinstance(seq, dict):
        return [seq[k] for k in sorted(seq)]
    return list(seq)


def _flatten_into(nest: Any, out: list) -> None:
    for child in _children(nest):
        if is_sequence(child):
            _flatten_into(child, out)
        else:
            out.append(child)


def flatten(nest: Any) -> list:
    """All leaves of ``nest`` in Paddle's order (see NOTE [nest order]); a leaf gives ``[leaf]``."""
    if not is_sequence(nest):
        return [nest]
    out: list = []
    _flatten_into(nest, out)
    return out


def _sequence_like(instance: Any, args: list) -> Any:
    if isinstance(instance, dict):
        by_key = dict(zip(sorted(instance), args))
        return type(instance)((k, by_key[k]) for k in instance)
    if isinstance(instance, tuple) and hasattr(instance, "_fields"):
        return type(instance)(*args)
    return type(instance)(args)


def _pack(structure: Any, flat: list, index: int) -> tuple[int, list]:
    packed = []
    for child in _children(structure):
        if is_sequence(child):
            index, sub = _pack(child, flat, index)
            packed.append(_sequence_like(child, sub))
        else:
            packed.append(flat[index])
            index += 1
    return index, packed


def pack_sequence_as(structure: Any, flat_sequence: Sequence) -> Any:
    """Rebuild ``structure``'s nesting with the leaves of ``flat_sequence``, in flatten order."""
    if not is_sequence(flat_sequence):
        raise TypeError(
            f"pack_sequence_as: flat_sequence must be a sequence, got {type(flat_sequence).__name__}"
        )
    flat_sequence = list(flat_sequence)
    if not is_sequence(structure):
        if len(flat_sequence) != 1:
            raise ValueError(
                f"pack_sequence_as: structure is a single leaf but flat_sequence has "
                f"{len(flat_sequence)} elements"
            )
        return flat_sequence[0]
    n = len(flatten(structure))
    if n != len(flat_sequence):
        raise ValueError(
            f"pack_sequence_as: structure has {n} leaves but flat_sequence has "
            f"{len(flat_sequence)} elements"
        )
    _, packed = _pack(structure, flat_sequence, 0)
    return _sequence_like(structure, packed)


def assert_same_structure(nest1: Any, nest2: Any, check_types: bool = True) -> None:
    """Raise ``ValueError``/``TypeError`` naming the first place where the two nestings differ."""
    _assert_same(nest1, nest2, check_types, "<root>")


def _assert_same(a: Any, b: Any, check_types: bool, path: str) -> None:
    if is_sequence(a) != is_sequence(b):
        raise ValueError(f"structures differ at {path}: {type(a).__name__} vs {type(b).__name__}")
    if not is_sequence(a):
        return
    if check_types and type(a) is not type(b):
        raise TypeError(f"structures differ at {path}: {type(a).__name__} vs {type(b).__name__}")
    if isinstance(a, dict) and sorted(a) != sorted(b):
        raise ValueError(f"structures differ at {path}: keys {sorted(a)} vs {sorted(b)}")
    ca, cb = _children(a), _children(b)
    if len(ca) != len(cb):
        raise ValueError(f"structures differ at {path}: {len(ca)} vs {len(cb)} elements")
    for i, (x, y) in enumerate(zip(ca, cb)):
        _assert_same(x, y, check_types, f"{path}[{i}]")


def map_structure(func: Callable, *structure: Any) -> Any:
    """Apply ``func`` to the leaves of one or more same-shaped structures."""
    if not structure:
        raise ValueError("map_structure needs at least one structure")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=False)
    flats = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*leaves) for leaves in zip(*flats)])
