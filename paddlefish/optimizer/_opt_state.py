"""Optimizer state-dict loading helpers: value checks and position-based accumulator matching.

NOTE [optimizer accumulator matching]: Paddle matches saved accumulators by exact name
(``linear_0.w_0_moment1_0``, FORMATS.md 2.5). Those names embed two process-global counters (the
parameter's and the accumulator's), so a ``.pdopt`` saved by one process does not load into a
process that built other layers or optimizers first (its parameters are ``linear_4.w_0``).
paddlefish first matches by exact name, as Paddle does; when a name is absent it matches by
(parameter position, accumulator kind): the k-th saved accumulator of kind ``moment1`` (saved
dicts list each kind in the saving optimizer's parameter order) goes to the optimizer's k-th
trainable parameter. That is only done when counts and every shape agree, and it is reported with
a warning that names each pairing; otherwise loading is refused with an error that says why.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import torch

from ..eager._dtype import from_torch_dtype, numpy_to_torch
from ..eager.tensor import Tensor

__all__ = ["OptimizerStateError", "PositionMatcher", "as_torch_value", "kind_keys"]


class OptimizerStateError(ValueError, AssertionError):
    """A saved optimizer state does not fit this optimizer (AssertionError, as in Paddle)."""


def as_torch_value(value, name: str, target: torch.Tensor) -> torch.Tensor:
    """``value`` (Tensor/ndarray/torch) as a torch tensor checked against ``target``."""
    if isinstance(value, Tensor):
        t = value._t
    elif isinstance(value, torch.Tensor):
        t = value
    elif isinstance(value, np.ndarray) or np.isscalar(value):
        t = numpy_to_torch(np.asarray(value))
    else:
        raise OptimizerStateError(
            f"optimizer state entry {name!r} is a {type(value).__name__}; expected a Tensor or "
            "numpy array as paddle.load returns."
        )
    if list(t.shape) != list(target.shape):
        raise OptimizerStateError(
            f"Variable Shape not match: optimizer state entry {name!r} has shape "
            f"{list(t.shape)}, but the accumulator expects {list(target.shape)}. The state was "
            "saved for a model whose parameters have different shapes."
        )
    if t.dtype != target.dtype:
        raise OptimizerStateError(
            f"optimizer state entry {name!r} has dtype {from_torch_dtype(t.dtype).name}, but the "
            f"accumulator is {from_torch_dtype(target.dtype).name}; cast the saved arrays or "
            "build the model in the saved dtype."
        )
    return t


def kind_keys(state: dict, kind: str) -> list[str]:
    """Keys of ``state`` that name an accumulator of ``kind``, in dict order."""
    pattern = re.compile(r".+_" + re.escape(kind) + r"_\d+$")
    return [k for k in state if isinstance(k, str) and pattern.fullmatch(k)]


def _shape_of(value) -> list[int]:
    return list(value.shape)


class PositionMatcher:
    """Maps (parameter position, kind) to a saved key, verified and reported once per kind."""

    def __init__(self, state: dict, params: list, owner: str) -> None:
        self._state = state
        self._params = params
        self._owner = owner
        self._maps: dict[str, dict[str, str]] = {}

    def key_for(self, kind: str, param, var_name: str, shape: list[int]) -> str:
        if kind not in self._maps:
            self._maps[kind] = self._build(kind, var_name)
        mapping = self._maps[kind]
        if param.name not in mapping:
            raise OptimizerStateError(
                f"{self._owner}.set_state_dict: accumulator {var_name} (kind {kind!r}) is not in "
                f"the state dict and parameter {param.name} is not one of the optimizer's "
                "parameters at load time, so it cannot be matched by position."
            )
        key = mapping[param.name]
        if _shape_of(self._state[key]) != list(shape):
            raise OptimizerStateError(
                f"{self._owner}.set_state_dict: matching by position, saved {key} has shape "
                f"{_shape_of(self._state[key])} but {var_name} needs {list(shape)}."
            )
        return key

    def _build(self, kind: str, var_name: str) -> dict[str, str]:
        keys = kind_keys(self._state, kind)
        names = [p.name for p in self._params]
        if len(keys) != len(names):
            raise OptimizerStateError(
                f"{self._owner}.set_state_dict: optimizer Tensor {var_name} is not in the state "
                f"dict, and matching by parameter position is impossible: the state has "
                f"{len(keys)} accumulator(s) of kind {kind!r} but the optimizer has "
                f"{len(names)} trainable parameter(s). Load a state saved from the same model "
                f"(saved keys of this kind: {keys[:6]}{'...' if len(keys) > 6 else ''})."
            )
        self._check_shapes(kind, keys)
        pairs = dict(zip(names, keys))
        warnings.warn(
            f"{self._owner}.set_state_dict: accumulator names differ from the saved ones "
            "(parameter unique names depend on what the process built first); matched kind "
            f"{kind!r} by parameter position: "
            + ", ".join(f"{k} -> {n}" for n, k in pairs.items()),
            stacklevel=4,
        )
        return pairs

    def _check_shapes(self, kind: str, keys: list[str]) -> None:
        for i, (p, key) in enumerate(zip(self._params, keys)):
            saved = _shape_of(self._state[key])
            if saved != [1] and saved != list(p.shape):
                raise OptimizerStateError(
                    f"{self._owner}.set_state_dict: cannot match accumulators by position: "
                    f"parameter #{i} ({p.name}) has shape {list(p.shape)} but the saved "
                    f"{kind!r} accumulator #{i} ({key}) has shape {saved}. The state was saved "
                    "from a different model."
                )
