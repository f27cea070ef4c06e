"""``Model.save`` / ``Model.load`` files (FORMATS.md section 8): ``PREFIX.pdparams`` (the network's
state dict) and ``PREFIX.pdopt`` (the optimizer's, only when non-empty), written by
``paddle.save`` exactly as real Paddle writes them, and read back from ours or real Paddle's.

NOTE [Model.load reading]: real Paddle reads both files with a plain ``pickle.load`` (so any
pickle runs code, FORMATS.md 10.1); we read them with ``paddle.load``'s allowlist unpickler,
which gives the same dict (name table dropped, big-array chunks re-joined). Paddle then adds
aliases for optimizer state saved by static-graph hapi: ``@LR_DECAY_COUNTER@`` becomes
``global_step + 1`` — kept here — and accumulator names re-spelt with the optimizer's ``_name``
minus its last ``_N``; in dynamic mode ``_name`` is the user's name or None, so those re-spelt
keys never name a real accumulator and Paddle's loader ignores them. We do not add them (our
optimizer would try to match them by position).
"""

from __future__ import annotations

import os
import warnings

import numpy as np

from ..framework import load as _load
from ..framework import save as _save

__all__ = ["load_into", "save_training", "strip_postfix"]

_POSTFIXES = ("", ".pdparams", ".pdopt", ".pdmodel")


def save_training(model, path: str) -> None:
    """``path.pdparams`` and, when the optimizer has state, ``path.pdopt``."""
    _save(model.network.state_dict(), path + ".pdparams")
    opt = model._optimizer
    if opt is not None:
        state = opt.state_dict()
        if state:
            _save(state, path + ".pdopt")


def strip_postfix(path: str) -> str:
    base, ext = os.path.splitext(path)
    if ext not in _POSTFIXES:
        raise AssertionError(
            f"Model.load: unknown postfix {ext!r} in {path!r}; give the prefix written by "
            "Model.save ('dir/name'), or 'dir/name.pdparams' / '.pdopt' / '.pdmodel'."
        )
    return base


def _read(path: str):
    return _load(path) if os.path.exists(path) else None


def _match(key: str, param, state: dict, file: str):
    value = state.get(key, None)
    if value is None:
        raise ValueError(
            f"{key} is not found in the providing file. ({file} has {len(state)} entries; "
            "parameters are matched by structured name, e.g. 'fc1.weight'.)"
        )
    if list(value.shape) != list(param.shape):
        raise ValueError(
            f"{key} receives a shape {list(value.shape)}, but the expected shape is "
            f"{list(param.shape)}."
        )
    return value


def _optimizer_aliases(optim_state: dict) -> dict:
    """See NOTE [Model.load reading]."""
    converted = dict(optim_state)
    if "@LR_DECAY_COUNTER@" in converted:
        counter = converted.pop("@LR_DECAY_COUNTER@")
        converted["global_step"] = np.array(getattr(counter, "numpy", lambda: counter)()) + 1
    return converted


def load_into(model, path: str, skip_mismatch: bool, reset_optimizer: bool) -> None:
    path = strip_postfix(path)
    file = path + ".pdparams"
    param_state = _read(file)
    if not param_state:
        raise AssertionError(
            f"Failed to load parameters, please check path: {file!r} does not exist or is "
            "empty. Model.load takes the prefix Model.save wrote ('dir/name' for "
            "'dir/name.pdparams')."
        )
    pairs = []
    for key, param in model.network.state_dict().items():
        try:
            pairs.append((param, _match(key, param, param_state, file)))
        except ValueError as err:
            if not skip_mismatch:
                raise
            warnings.warn(f"Skip loading for {key}. {err}")
            reset_optimizer = True
    for param, value in pairs:
        param.set_value(value)
    optim_state = None if reset_optimizer else _read(path + ".pdopt")
    if model._optimizer and optim_state:
        model._optimizer.set_state_dict(_optimizer_aliases(optim_state))
