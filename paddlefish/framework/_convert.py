"""Tensor <-> ndarray structure conversion for ``paddle.save`` / ``paddle.load``.

The codecs in ``formats`` see only numpy; this module turns Tensors into ndarrays (plus names)
on the way out and ndarrays into Tensors on the way in, with Paddle's rules (FORMATS.md 1.1-1.3,
1.7 A steps 3-4).

NOTE [zero-copy tensors]: a CPU Tensor is saved from a numpy *view* of its torch storage (no
copy; bfloat16 as its uint16 bits), and a loaded ndarray becomes a Tensor over the same memory
(``torch.from_numpy``). For ``mmap=True`` that memory is a copy-on-write ``np.memmap``: pages are
read from the file when first touched, writes go to private pages and never reach the file.
"""

from __future__ import annotations

import collections
from typing import Any

import numpy as np

from .. import formats, ir
from ..eager import Tensor, numpy_to_torch, torch_to_numpy, wrap
from ..eager.device import current_torch_device
from ..nn import Layer

__all__ = [
    "arrays_to_tensors",
    "encode_generic",
    "encode_state_dict",
    "is_state_dict",
    "named_arrays_to_tensors",
    "ndarray_to_tensor",
    "tensor_to_ndarray",
]

_CONTAINERS = (dict, list, tuple, set, frozenset)
_LEAVES = (type(None), bool, int, float, complex, str, bytes, np.ndarray, np.generic)


def _is_paddle_object(x: Any) -> bool:
    return isinstance(x, (Tensor, Layer, ir.Program, formats.SelectedRows))


def _holds_paddle_object(x: Any) -> bool:
    stack = [x]
    while stack:
        v = stack.pop()
        if _is_paddle_object(v):
            return True
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return False


def is_state_dict(obj: Any) -> bool:
    """FORMATS.md 1.1: a dict whose every value is a Tensor, or a dict without Paddle objects.

    >>> import paddlefish as paddle
    >>> t = paddle.to_tensor([1.0])
    >>> is_state_dict({'w': t, 'LR_Scheduler': {'last_epoch': 2}}), is_state_dict({'w': t, 'lr': 0.1})
    (True, False)
    """
    if not isinstance(obj, dict):
        return False
    for value in obj.values():
        if isinstance(value, Tensor):
            continue
        if not isinstance(value, dict) or _holds_paddle_object(value):
            return False
    return True


def tensor_to_ndarray(t: Tensor) -> np.ndarray:
    """A numpy view of a CPU tensor's data (copy only for other devices); bf16 as uint16 bits."""
    return torch_to_numpy(t._t)


def encode_state_dict(sd: dict, protocol: int) -> dict:
    """The dict the state-dict path pickles: ndarrays, other values unchanged, the name table."""
    arrays, names = {}, {}
    for key, value in sd.items():
        if isinstance(value, Tensor):
            arrays[key] = tensor_to_ndarray(value)
            names[key] = value.name
        else:
            arrays[key] = value
    return formats.encode_state_dict(arrays, names, protocol)


def encode_generic(obj: Any, path: str = "<root>") -> Any:
    """Generic path (FORMATS.md 1.3): Tensor -> ``NamedArray``; Layer -> ValueError."""
    if isinstance(obj, Tensor):
        return formats.NamedArray(obj.name, tensor_to_ndarray(obj))
    if isinstance(obj, Layer):
        raise ValueError(  # noqa: TRY004 - Paddle raises ValueError
            f"paddle.save: the object at {path} is a Layer ({type(obj).__name__}); a Layer cannot "
            "be saved. Save its parameters with paddle.save(layer.state_dict(), 'x.pdparams')"
        )
    if isinstance(obj, _LEAVES):
        return obj
    if isinstance(obj, dict):
        items = ((k, encode_generic(v, f"{path}[{k!r}]")) for k, v in obj.items())
        if type(obj) is collections.OrderedDict:
            return collections.OrderedDict(items)
        return dict(items)
    if isinstance(obj, (list, tuple, set, frozenset)):
        kind = type(obj) if type(obj) in _CONTAINERS else _base_container(obj)
        return kind(encode_generic(v, f"{path}[{i}]") for i, v in enumerate(obj))
    return _refuse(obj, path)


def _base_container(obj: Any) -> type:
    return next(c for c in (list, tuple, set, frozenset) if isinstance(obj, c))


def _refuse(obj: Any, path: str) -> Any:
    t = type(obj)
    what = f"{t.__module__}.{t.__qualname__}"
    if hasattr(obj, "__iter__"):
        raise NotImplementedError(
            f"paddle.save: the object at {path} is a {what}; only dict, list, tuple and set "
            "containers can be saved. Convert it (e.g. list(x)) first"
        )
    raise TypeError(
        f"paddle.save: the object at {path} is a {what}, which is not one of the kinds a Paddle "
        "pickle holds (Tensor, ndarray, numbers, str, bytes, None, dict/list/tuple/set); "
        "convert it first (arbitrary objects would need an unsafe pickle to load)"
    )


def ndarray_to_tensor(arr: np.ndarray, name: str | None = None) -> Tensor:
    """A Tensor over ``arr``'s memory (``stop_gradient=True``; uint16 becomes bfloat16)."""
    t = numpy_to_torch(arr)
    if t.dim() != arr.ndim:  # numpy_to_torch's ascontiguousarray makes 0-D arrays 1-D
        t = t.reshape(arr.shape)
    dev = current_torch_device()
    if t.device != dev:
        t = t.to(dev)
    out = wrap(t)
    if name is not None:
        out.name = name
    return out


def _is_array(x: Any) -> bool:
    return isinstance(x, np.ndarray)


def named_arrays_to_tensors(obj: Any, return_numpy: bool) -> Any:
    """1.7 A step 4, 2.1+ files: every ``(name, ndarray)`` tuple becomes a named Tensor."""
    if return_numpy:
        return formats.map_structure(obj, formats.is_named_array, lambda x: x[1])
    return formats.map_structure(
        obj, formats.is_named_array, lambda x: ndarray_to_tensor(x[1], x[0])
    )


def arrays_to_tensors(obj: Any, return_numpy: bool) -> Any:
    """1.7 A step 4, 2.0 / static files: every ndarray becomes a Tensor."""
    if return_numpy:
        return obj
    return formats.map_structure(obj, _is_array, ndarray_to_tensor)
