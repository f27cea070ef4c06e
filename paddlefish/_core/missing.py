"""Paddle names paddlefish lacks: one clear error instead of a bare ``AttributeError``.

NOTE [missing Paddle names]: every public paddlefish module that stands for a Paddle module ends
with ``__getattr__ = missing.module_getattr("paddle.nn")``. Looking up a name the module lacks
then raises ``PaddleNameMissing`` when real Paddle 2.6 has that name (the list is
``paddle_names.json``, written by ``tools/api_gap.py dump`` from real Paddle), with the reason when
the gap is by design; otherwise the plain ``AttributeError`` Python gives for a name no Paddle has.
``PaddleNameMissing`` subclasses ``AttributeError`` so that ``hasattr`` / ``getattr(m, n, default)``
probes keep working (Paddle's own code probes this way) and ``NotImplementedError`` so that it
reads as what it is.

>>> getter = module_getattr("paddle.nn")
>>> try:
...     getter("NoSuchLayerInAnyPaddle")
... except AttributeError as e:
...     print(type(e).__name__)
AttributeError
"""

from __future__ import annotations

import functools
import json
import pathlib
from collections.abc import Callable

__all__ = ["PaddleNameMissing", "is_paddle_name", "missing_error", "module_getattr"]

_NAMES_FILE = pathlib.Path(__file__).with_name("paddle_names.json")

# Gaps that are there by design or belong to a room not built yet: module (or module.name) -> why.
REASONS: dict[str, str] = {
    "paddle.static": "paddle.static covers Program building, Executor training and inference, "
    "static save/load (legacy and PIR), every 1.x layout, gradients/append_backward, Print, "
    "py_func (with backward_func), ExponentialMovingAverage (thres_steps too), accuracy/auc and "
    "the strategy classes; ctr_metric_bundle and the parallel/IPU executors are not implemented",
    "paddle.distributed": "paddle.distributed has process groups, collectives (alltoall, "
    "reduce_scatter, gather, p2p too), spawn, the launcher, DataParallel, Shard/Replicate/Partial "
    "tensors, shard_layer/shard_optimizer (minimal), save/load_state_dict (async too) and fleet's "
    "collective (data parallel) mode; fleet's hybrid and parameter-server modes, rpc, stream, "
    "ShardingStage1/2/3 and auto-parallel propagation are not built",
    "paddle.hub": "paddle.hub downloads code and weights at run time, which paddlefish does not do",
    "paddle.utils.download": "paddlefish never downloads at run time; pass local file paths",
    "paddle.utils.cpp_extension": "paddlefish runs on PyTorch: write custom ops as torch code",
    "paddle.incubate": "paddle.incubate has LookAhead, ModelAverage, the autograd transforms "
    "(vjp/jvp/Jacobian/Hessian), softmax_mask_fuse, identity_loss, segment_*/graph_* and the "
    "fused nn layers (parameters; GPU-only forwards refused as Paddle's CPU build); asp, "
    "distributed, passes, xpu and the static meta-optimizers are not built",
    "paddle.fluid": "Paddle 2.5+ renamed fluid to paddle.base; paddlefish provides paddle.base",
}


class PaddleNameMissing(AttributeError, NotImplementedError):
    """A name real Paddle has and paddlefish does not implement (see NOTE [missing Paddle names])."""


@functools.lru_cache(maxsize=1)
def _paddle_names() -> dict[str, frozenset[str]]:
    try:
        data = json.loads(_NAMES_FILE.read_text())
    except FileNotFoundError:
        return {}
    return {mod: frozenset(names) for mod, names in data.items() if mod != "_meta"}


def is_paddle_name(module: str, name: str) -> bool:
    """Whether real Paddle 2.6's ``module`` has the public name ``name``."""
    return name in _paddle_names().get(module, frozenset())


def _reason(module: str, name: str) -> str | None:
    full = f"{module}.{name}"
    for key in (full, module):
        if key in REASONS:
            return REASONS[key]
    parts = module.split(".")
    while len(parts) > 1:
        parts.pop()
        if ".".join(parts) in REASONS and ".".join(parts) != "paddle":
            return REASONS[".".join(parts)]
    return None


def missing_error(module: str, name: str, reasons: dict[str, str] | None = None) -> AttributeError:
    """The error for looking up ``module.name`` (``module`` spelt as Paddle spells it);
    ``reasons`` maps names of that module to a reason or the nearest supported alternative."""
    full = f"{module}.{name}"
    reason = (reasons or {}).get(name) or _reason(module, name)
    if is_paddle_name(module, name) or full in REASONS or name in (reasons or {}):
        why = f": {reason}" if reason else ""
        return PaddleNameMissing(
            f"{full} is a Paddle name that paddlefish does not implement{why}. "
            "See docs/API_GAP.md for what paddlefish covers; please file an issue if you need it."
        )
    why = f" ({reason})" if reason else ""
    owner = module.rsplit(".", 1)[-1]
    what = f"{owner!r} object" if owner[:1].isupper() else f"module {module!r}"
    return AttributeError(f"{what} has no attribute {name!r}{why}")


def module_getattr(
    module: str, reasons: dict[str, str] | None = None
) -> Callable[[str], object]:
    """A module-level ``__getattr__`` for the paddlefish module that stands for ``module``;
    ``reasons``: per-name reasons or nearest alternatives, see ``missing_error``."""

    def __getattr__(name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        raise missing_error(module, name, reasons)

    return __getattr__
