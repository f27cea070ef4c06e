"""Linear ramps: ``LinearWarmup`` (optionally in front of another scheduler) and ``LinearLR``."""

from __future__ import annotations

from typing import Any

from ._lr_base import LRScheduler, require

_NESTED_KEY = "LinearWarmup_LR"


class LinearWarmup(LRScheduler):
    """Ramp linearly from ``start_lr`` to ``end_lr`` over ``warmup_steps``, then hand over.

    After the warmup the rate is ``learning_rate`` (a number) or the wrapped scheduler's value at
    ``epoch - warmup_steps``. With a wrapped scheduler, the state dict nests its state under
    ``'LinearWarmup_LR'`` (as Paddle's does).

    Example:
        >>> s = LinearWarmup(learning_rate=0.5, warmup_steps=2, start_lr=0.0, end_lr=0.5)
        >>> [s() for _ in range(3) if s.step() is None]
        [0.25, 0.5, 0.5]
    """

    def __init__(
        self,
        learning_rate: float | LRScheduler,
        warmup_steps: int,
        start_lr: float,
        end_lr: float,
        last_epoch: int = -1,
        verbose: bool = False,
    ) -> None:
        if not isinstance(learning_rate, (float, int, LRScheduler)):
            raise TypeError(
                "LinearWarmup: 'learning_rate' must be an int, a float or an LRScheduler, but "
                f"received {learning_rate!r} of type {type(learning_rate).__name__}."
            )
        require(
            isinstance(warmup_steps, int) and warmup_steps > 0,
            "LinearWarmup",
            f"'warmup_steps' must be a positive int, but got {warmup_steps!r}.",
        )
        require(
            end_lr > start_lr,
            "LinearWarmup",
            f"'end_lr' ({end_lr}) must be greater than 'start_lr' ({start_lr}).",
        )
        self.learning_rate = learning_rate
        self.warmup_steps = warmup_steps
        self.start_lr = start_lr
        self.end_lr = end_lr
        super().__init__(start_lr, last_epoch, verbose)

    def get_lr(self) -> float:
        if self.last_epoch < self.warmup_steps:
            ramp = (self.end_lr - self.start_lr) * float(self.last_epoch) / float(self.warmup_steps)
            return ramp + self.start_lr
        if isinstance(self.learning_rate, LRScheduler):
            self.learning_rate.step(self.last_epoch - self.warmup_steps)
            return self.learning_rate()
        return self.learning_rate

    def state_dict(self) -> dict[str, Any]:
        """``{'last_epoch', 'last_lr'}`` plus ``'LinearWarmup_LR'`` when wrapping a scheduler."""
        state = super().state_dict()
        if isinstance(self.learning_rate, LRScheduler):
            state[_NESTED_KEY] = self.learning_rate.state_dict()
        return state

    def _own_key_count(self) -> int:
        return len(self.keys) + isinstance(self.learning_rate, LRScheduler)

    def set_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load the warmup state and, when wrapping a scheduler, its nested state."""
        wrapped = isinstance(self.learning_rate, LRScheduler)
        if wrapped and isinstance(state_dict, dict) and _NESTED_KEY not in state_dict:
            raise RuntimeError(
                f"LinearWarmup.set_state_dict: key '{_NESTED_KEY}' (the wrapped "
                f"{type(self.learning_rate).__name__}'s state) is missing from the state dict "
                f"(it has {sorted(state_dict)}). Was it saved from a LinearWarmup over a number?"
            )
        super().set_state_dict(state_dict)
        if wrapped:
            self.learning_rate.set_state_dict(state_dict[_NESTED_KEY])


class LinearLR(LRScheduler):
    """Scale the rate linearly from ``start_factor`` to ``end_factor`` over ``total_steps``.

    Example:
        >>> s = LinearLR(learning_rate=1.0, total_steps=2, start_factor=0.5, end_factor=1.0)
        >>> [s() for _ in range(3) if s.step() is None]
        [0.75, 1.0, 1.0]
    """

    def __init__(
        self,
        learning_rate: float,
        total_steps: int,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        last_epoch: int = -1,
        verbose: bool = False,
    ) -> None:
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError(f"LinearLR: 'start_factor' must be in (0, 1], but got {start_factor}.")
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError(f"LinearLR: 'end_factor' must be in [0, 1], but got {end_factor}.")
        if total_steps <= 0:
            raise ValueError(f"LinearLR: 'total_steps' must be > 0, but got {total_steps}.")
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_steps = total_steps
        super().__init__(learning_rate, last_epoch, verbose)

    def get_lr(self) -> float:
        if self.last_epoch == 0:
            return self.base_lr * self.start_factor
        if self.last_epoch > self.total_steps:
            return self.last_lr
        base = self.total_steps * self.start_factor
        slope = self.end_factor - self.start_factor
        factor = 1.0 + slope / (base + (self.last_epoch - 1) * slope)
        return self.last_lr * factor
