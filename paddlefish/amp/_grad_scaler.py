"""``paddle.amp.GradScaler`` / ``AmpScaler``: loss scaling with Paddle's dynamic rule.

As in Paddle, a scaler is enabled only on GPU/XPU/custom places; on a CPU place the constructor
warns and every method degrades to the plain optimizer call (``scale`` returns the loss as is,
``minimize`` calls ``optimizer.minimize``, ``step`` calls ``optimizer.step``, ``state_dict`` is
``{}``). Enabled (CUDA), it follows Paddle's algorithm step for step: gradients are unscaled by
``1/scale`` and checked for inf/nan (the step is skipped when any is found); the scale is
multiplied by ``decr_ratio`` after ``decr_every_n_nan_or_inf`` bad steps and by ``incr_ratio``
after ``incr_every_n_steps`` good ones in a row; ``unscale_`` / ``step`` / ``update`` keep
Paddle's per-optimizer state machine and its errors.

>>> import warnings, paddlefish as paddle
>>> net = paddle.nn.Linear(4, 1)
>>> opt = paddle.optimizer.SGD(0.1, parameters=net.parameters())
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     scaler = paddle.amp.GradScaler(init_loss_scaling=1024)
>>> loss = net(paddle.ones([2, 4])).mean()
>>> scaled = scaler.scale(loss)   # CPU: the loss itself, as in Paddle
>>> scaled.backward()
>>> _ = scaler.minimize(opt, scaled)
>>> scaler.is_enable(), scaler.state_dict()
(False, {})
"""

from __future__ import annotations

import enum
import warnings
from collections import defaultdict

import numpy as np
import torch

from ..eager.tensor import Tensor
from ..tensor.creation import to_tensor
from . import _auto_cast


class OptimizerState(enum.Enum):
    INIT = 0
    UNSCALED = 1
    STEPPED = 2


def _refresh_optimizer_state():
    return {"state": OptimizerState.INIT}


class AmpScaler:
    """Loss scaler with Paddle 2.x ``AmpScaler`` defaults (see ``GradScaler``)."""

    def __init__(
        self,
        enable: bool = True,
        init_loss_scaling: float = 2.0**15,
        incr_ratio: float = 2.0,
        decr_ratio: float = 0.5,
        incr_every_n_steps: int = 1000,
        decr_every_n_nan_or_inf: int = 1,
        use_dynamic_loss_scaling: bool = True,
    ) -> None:
        if enable and _auto_cast._amp_device() is None:
            warnings.warn(
                "AmpScaler can only be enabled on CUDAPlace, XPUPlace and CustomPlace, current "
                f"place is {_auto_cast._place_text()}, so it makes no effect.",
                stacklevel=2,
            )
            enable = False
        self._enable = enable
        self._use_dynamic_loss_scaling = False
        self._init_loss_scaling = 1.0
        self._scale = None
        if self._enable:
            if not incr_ratio > 1.0:
                raise ValueError(f"The incr_ratio must be > 1.0, got {incr_ratio}.")
            if not decr_ratio < 1.0:
                raise ValueError(f"The decr_ratio must be < 1.0, got {decr_ratio}.")
            self._init_loss_scaling = init_loss_scaling
            self._incr_ratio = incr_ratio
            self._decr_ratio = decr_ratio
            self._incr_every_n_steps = incr_every_n_steps
            self._decr_every_n_nan_or_inf = decr_every_n_nan_or_inf
            self._incr_count = 0
            self._decr_count = 0
            self._use_dynamic_loss_scaling = use_dynamic_loss_scaling
            self._found_inf = False
            self._cache_found_inf = None
            self._scale = to_tensor(np.array([init_loss_scaling], np.float32))
            self._optimizer_states = defaultdict(_refresh_optimizer_state)

    # ---- the loop ---------------------------------------------------------------------------
    def scale(self, var: Tensor) -> Tensor:
        """The loss multiplied by the current scale (the loss itself when not enabled)."""
        if not isinstance(var, Tensor):
            raise TypeError(
                f"The type of 'var' in AmpScaler.scale() must be Tensor, but received "
                f"{type(var).__name__}."
            )
        if (
            self._enable
            and _auto_cast._last_dtype[0] != "float16"
            and (self._use_dynamic_loss_scaling)
        ):
            self._enable = False
            self._use_dynamic_loss_scaling = False
            self._init_loss_scaling = 1.0
            warnings.warn(
                f"It is not recommended to use dynamic loss scaling for "
                f"{_auto_cast._last_dtype[0]}, so GradScaler is disable by default.",
                stacklevel=2,
            )
        if not self._enable:
            return var
        return var * self._scale

    def minimize(self, optimizer, *args, **kwargs):
        """Unscale (unless ``unscale_`` ran), skip the update on inf/nan, else
        ``optimizer.minimize``; then update the scale."""
        if not self._enable:
            return optimizer.minimize(*args, **kwargs)
        state = self._optimizer_states[id(optimizer)]
        if state["state"] is OptimizerState.INIT:
            self._unscale(optimizer)
        result = (None, None)
        if self._found_inf:
            self._cache_found_inf = True
        else:
            result = optimizer.minimize(*args, **kwargs)
            self._cache_found_inf = False
        if self._use_dynamic_loss_scaling:
            self._update()
        self._optimizer_states = defaultdict(_refresh_optimizer_state)
        return result

    @torch.no_grad()
    def _unscale(self, optimizer) -> None:
        if not self._enable:
            return
        state = self._optimizer_states[id(optimizer)]
        if state["state"] is OptimizerState.UNSCALED:
            raise RuntimeError(
                "unscale_() has already been called on this optimizer since the last update()."
            )
        if state["state"] is OptimizerState.STEPPED:
            raise RuntimeError("unscale_() is being called after step().")
        inv = 1.0 / self._scale._t.to(torch.float32)
        found = False
        for p in optimizer._all_params():  # plain list or parameter groups
            g = p._t.grad
            if g is None:
                continue
            g.mul_(inv.to(g.device, g.dtype))
            if not bool(torch.isfinite(g).all()):
                found = True
        self._found_inf = found
        state["state"] = OptimizerState.UNSCALED

    def _update(self) -> None:
        if not self._enable:
            return
        if self._cache_found_inf:
            self._incr_count = 0
            self._decr_count += 1
            if self._decr_count == self._decr_every_n_nan_or_inf:
                print(
                    f"Found inf or nan, current scale is: {float(self._scale)}, decrease to: "
                    f"{float(self._scale)}*{float(self._decr_ratio)}"
                )
                self._scale = self._scale * self._decr_ratio
                self._decr_count = 0
        else:
            self._decr_count = 0
            self._incr_count += 1
            if self._incr_count == self._incr_every_n_steps:
                self._scale = self._scale * self._incr_ratio
                self._incr_count = 0

    # ---- settings ---------------------------------------------------------------------------
    def is_enable(self) -> bool:
        return self._enable

    def is_use_dynamic_loss_scaling(self) -> bool:
        return self._use_dynamic_loss_scaling

    def get_init_loss_scaling(self) -> float:
        return self._init_loss_scaling

    def set_init_loss_scaling(self, new_init_loss_scaling) -> None:
        self._init_loss_scaling = new_init_loss_scaling
        self._scale = to_tensor(np.array([new_init_loss_scaling], np.float32))

    def get_incr_ratio(self) -> float:
        return self._incr_ratio

    def set_incr_ratio(self, new_incr_ratio: float) -> None:
        if not new_incr_ratio > 1.0:
            raise ValueError(f"The new_incr_ratio must be > 1.0, got {new_incr_ratio}.")
        self._incr_ratio = new_incr_ratio

    def get_decr_ratio(self) -> float:
        return self._decr_ratio

    def set_decr_ratio(self, new_decr_ratio: float) -> None:
        if not new_decr_ratio < 1.0:
            raise ValueError(f"The new_decr_ratio must be < 1.0, got {new_decr_ratio}.")
        self._decr_ratio = new_decr_ratio

    def get_incr_every_n_steps(self) -> int:
        return self._incr_every_n_steps

    def set_incr_every_n_steps(self, new_incr_every_n_steps: int) -> None:
        self._incr_every_n_steps = new_incr_every_n_steps

    def get_decr_every_n_nan_or_inf(self) -> int:
        return self._decr_every_n_nan_or_inf

    def set_decr_every_n_nan_or_inf(self, new_decr_every_n_nan_or_inf: int) -> None:
        self._decr_every_n_nan_or_inf = new_decr_every_n_nan_or_inf

    # ---- checkpoints ------------------------------------------------------------------------
    def state_dict(self) -> dict:
        """Paddle's scaler state (``{}`` when not enabled); ``scale`` is a numpy array."""
        if not self._enable:
            return {}
        return {
            "scale": self._scale.numpy(),
            "incr_ratio": self._incr_ratio,
            "decr_ratio": self._decr_ratio,
            "incr_every_n_steps": self._incr_every_n_steps,
            "decr_every_n_nan_or_inf": self._decr_every_n_nan_or_inf,
            "incr_count": self._incr_count,
            "decr_count": self._decr_count,
            "use_dynamic_loss_scaling": self._use_dynamic_loss_scaling,
        }

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore ``state_dict()``'s output (ignored when not enabled, as in Paddle)."""
        if not self._enable:
            return
        if len(state_dict) == 0:
            raise RuntimeError(
                "The input state dict is empty, possibly because it was saved from a disabled "
                "instance of GradScaler."
            )
        missing = [
            k
            for k in (
                "scale",
                "incr_ratio",
                "decr_ratio",
                "incr_every_n_steps",
                "decr_every_n_nan_or_inf",
                "incr_count",
                "decr_count",
                "use_dynamic_loss_scaling",
            )
            if k not in state_dict
        ]
        if missing:
            raise KeyError(f"GradScaler.load_state_dict: the state dict lacks {missing}.")
        self._init_loss_scaling = float(np.asarray(state_dict["scale"]).reshape(-1)[0])
        self._scale = to_tensor(np.array([self._init_loss_scaling], np.float32))
        self._incr_ratio = state_dict["incr_ratio"]
        self._decr_ratio = state_dict["decr_ratio"]
        self._incr_every_n_steps = state_dict["incr_every_n_steps"]
        self._decr_every_n_nan_or_inf = state_dict["decr_every_n_nan_or_inf"]
        self._incr_count = state_dict["incr_count"]
        self._decr_count = state_dict["decr_count"]
        self._use_dynamic_loss_scaling = state_dict["use_dynamic_loss_scaling"]


class GradScaler(AmpScaler):
    """Loss scaler for dynamic-graph AMP (Paddle's ``GradScaler``: defaults 2**16 / 2000 steps);
    adds ``step`` / ``update`` / ``unscale_`` to ``AmpScaler``'s ``minimize``.

    >>> import warnings, paddlefish as paddle
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     s = paddle.amp.GradScaler()
    >>> s.get_init_loss_scaling()   # disabled on CPU: Paddle reports 1.0 too
    1.0
    """

    def __init__(
        self,
        enable: bool = True,
        init_loss_scaling: float = 2.0**16,
        incr_ratio: float = 2.0,
        decr_ratio: float = 0.5,
        incr_every_n_steps: int = 2000,
        decr_every_n_nan_or_inf: int = 1,
        use_dynamic_loss_scaling: bool = True,
    ) -> None:
        super().__init__(
            enable,
            init_loss_scaling,
            incr_ratio,
            decr_ratio,
            incr_every_n_steps,
            decr_every_n_nan_or_inf,
            use_dynamic_loss_scaling,
        )

    def step(self, optimizer) -> None:
        """``optimizer.step()`` on unscaled gradients, skipped when any is inf/nan."""
        if not self._enable:
            return optimizer.step()
        state = self._optimizer_states[id(optimizer)]
        if state["state"] is OptimizerState.STEPPED:
            raise RuntimeError("step() has already been called since the last update().")
        if state["state"] is OptimizerState.INIT:
            self._unscale(optimizer)
        if self._found_inf:
            self._cache_found_inf = True
        else:
            optimizer.step()
            self._cache_found_inf = False
        state["state"] = OptimizerState.STEPPED
        if not self._use_dynamic_loss_scaling:
            self._optimizer_states = defaultdict(_refresh_optimizer_state)
        return None

    def update(self) -> None:
        """Update the loss scale after ``step`` (dynamic scaling only)."""
        if not self._enable:
            return
        if self._use_dynamic_loss_scaling:
            self._update()
            self._optimizer_states = defaultdict(_refresh_optimizer_state)

    def unscale_(self, optimizer) -> None:
        """Divide the gradients by the scale now (e.g. before clipping); once per step."""
        return self._unscale(optimizer)
