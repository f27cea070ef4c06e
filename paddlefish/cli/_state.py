"""``paddlefish convert`` for state dicts: ``.pdparams`` / ``.pdopt`` <-> ``.safetensors``.

NOTE [safetensors key scheme]: a safetensors file is a flat ``{str: tensor}`` map, a Paddle state
dict is a (possibly nested) dict. Tensors keep their key path joined with ``/``: a top-level
``linear_0.w_0`` stays ``linear_0.w_0`` (the same file ``paddle.save(sd, p, safetensors=True)``
and Hugging Face tools write), ``master_weights`` -> ``linear_0.w_0`` becomes
``master_weights/linear_0.w_0``, list items use their index (``a/0``). Everything that is not a
tensor (``LR_Scheduler``'s ``last_epoch``/``last_lr``, ints, floats, strings, bools, None) and the
tree itself (key order, dict/list/tuple, each tensor's Paddle name) go as JSON into the file's
``__metadata__`` under ``paddlefish.structure``, so converting back gives the same dict
``paddle.load`` returned. A safetensors file without that entry (written by other tools)
converts to a flat state dict of its tensors, each named after its key. Keys must be strings
without ``/``; a value that is neither a tensor nor a JSON scalar is refused with its key path.
bfloat16 stays bfloat16 (safetensors ``BF16``; Paddle's pickle stores it as uint16 bits).
"""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from .. import framework
from ..eager.tensor import Tensor, wrap

__all__ = ["STRUCTURE_KEY", "pdparams_to_safetensors", "safetensors_to_pdparams"]

STRUCTURE_KEY = "paddlefish.structure"
_SCALARS = (bool, int, float, str, type(None))


def _require(what: str):
    try:
        from safetensors import torch as st
    except ImportError:
        raise ImportError(
            f"paddlefish convert: {what} needs the 'safetensors' package, which is not installed: "
            "pip install safetensors (or pip install 'paddlefish[safetensors]')"
        ) from None
    return st


def _flatten(obj: Any, path: list[str], tensors: dict, src: str) -> Any:
    """The JSON tree of ``obj``; its tensors go into ``tensors`` under their ``/`` keys."""
    where = "/".join(path) or "<root>"
    if isinstance(obj, (Tensor, np.ndarray)):
        key = "/".join(path)
        if key in tensors:
            raise ValueError(
                f"{src}: two tensors map to the safetensors key {key!r} "
                "(see NOTE [safetensors key scheme]); rename one of them"
            )
        if isinstance(obj, Tensor):
            t, name = obj._t.detach().cpu().contiguous().clone(), obj.name
        else:
            t, name = _torch_of(obj), None
        tensors[key] = t
        return {"t": key, "n": name}
    if isinstance(obj, dict):
        items = []
        for k, v in obj.items():
            if not isinstance(k, str) or "/" in k or not k:
                raise ValueError(
                    f"{src}: key {k!r} under {where!r} cannot become a safetensors key: keys must "
                    "be non-empty strings without '/' (see NOTE [safetensors key scheme] in "
                    "paddlefish/cli/_state.py)"
                )
            items.append([k, _flatten(v, [*path, k], tensors, src)])
        return {"d": items}
    if isinstance(obj, (list, tuple)):
        kind = "l" if isinstance(obj, list) else "tu"
        return {kind: [_flatten(v, [*path, str(i)], tensors, src) for i, v in enumerate(obj)]}
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, _SCALARS) and not (isinstance(obj, float) and not np.isfinite(obj)):
        return {"v": obj}
    raise ValueError(
        f"{src}: the value at key {where!r} is a {type(obj).__name__}, which safetensors cannot "
        "hold (only tensors, and ints/floats/strings/bools/None in the metadata); drop that key "
        "or keep this file as .pdparams"
    )


def _torch_of(a: np.ndarray):
    import torch

    if a.dtype == np.uint16:  # Paddle pickles bfloat16 as its uint16 bits (FORMATS.md 1.2)
        return torch.from_numpy(np.ascontiguousarray(a)).view(torch.bfloat16).clone()
    return torch.from_numpy(np.array(a, copy=True, order="C"))


def pdparams_to_safetensors(src: str, dst: str) -> int:
    """Write the state dict in ``src`` (``.pdparams``/``.pdopt``) as a safetensors file.

    Returns the number of tensors written. See NOTE [safetensors key scheme].

    >>> import paddlefish as paddle, tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> paddle.save(paddle.nn.Linear(2, 3).state_dict(), os.path.join(d, "l.pdparams"))
    >>> pdparams_to_safetensors(os.path.join(d, "l.pdparams"), os.path.join(d, "l.safetensors"))
    2
    """
    st = _require(f"writing {dst}")
    obj = framework.load(src)
    if not isinstance(obj, dict):
        raise TypeError(
            f"{src}: holds a {type(obj).__name__}, not a state dict; only dicts convert to "
            "safetensors"
        )
    tensors: dict = {}
    tree = _flatten(obj, [], tensors, src)
    meta = {STRUCTURE_KEY: json.dumps(tree, separators=(",", ":")), "format": "pt"}
    os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
    st.save_file(tensors, dst, metadata=meta)
    return len(tensors)


def _unflatten(node: dict, tensors: dict, src: str) -> Any:
    if "t" in node:
        key = node["t"]
        if key not in tensors:
            raise ValueError(
                f"{src}: its {STRUCTURE_KEY} metadata names tensor {key!r}, which the file does "
                "not hold; the file was edited after conversion"
            )
        out = wrap(tensors[key])
        out.name = node.get("n") or key
        return out
    if "d" in node:
        return {k: _unflatten(v, tensors, src) for k, v in node["d"]}
    if "l" in node:
        return [_unflatten(v, tensors, src) for v in node["l"]]
    if "tu" in node:
        return tuple(_unflatten(v, tensors, src) for v in node["tu"])
    return node["v"]


def safetensors_to_pdparams(src: str, dst: str) -> int:
    """Write the safetensors file ``src`` as a Paddle ``.pdparams``/``.pdopt`` (``paddle.save``).

    Returns the number of tensors written. See NOTE [safetensors key scheme].

    >>> import paddlefish as paddle, tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> sd = paddle.nn.Linear(2, 3).state_dict()
    >>> paddle.save(sd, os.path.join(d, "l.safetensors"), safetensors=True)
    >>> safetensors_to_pdparams(os.path.join(d, "l.safetensors"), os.path.join(d, "l.pdparams"))
    2
    >>> sorted(paddle.load(os.path.join(d, "l.pdparams")))
    ['bias', 'weight']
    """
    st = _require(f"reading {src}")
    from safetensors import safe_open

    with safe_open(src, framework="pt") as f:
        meta = f.metadata() or {}
    tensors = st.load_file(src)
    if STRUCTURE_KEY in meta:
        try:
            tree = json.loads(meta[STRUCTURE_KEY])
        except ValueError as e:
            raise ValueError(f"{src}: its {STRUCTURE_KEY} metadata is not JSON ({e})") from None
        obj = _unflatten(tree, tensors, src)
    else:
        obj = {}
        for k, t in tensors.items():
            obj[k] = wrap(t)
            obj[k].name = k
    os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
    framework.save(obj, dst)
    return len(tensors)
