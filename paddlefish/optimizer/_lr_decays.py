"""Closed-form decay schedules: each ``get_lr`` is a function of ``last_epoch`` alone.

Formulas keep Paddle's order of floating-point operations so that sequences match bit for bit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from ._lr_base import LRScheduler, require, require_type


class NoamDecay(LRScheduler):
    """``lr = base * d_model**-0.5 * min(epoch**-0.5, warmup_steps**-1.5 * epoch)``.

    Example:
        >>> s = NoamDecay(d_model=64, warmup_steps=4, learning_rate=1.0)
        >>> s.step(); round(s(), 6)
        0.015625
    """

    def __init__(
        self,
        d_model: int,
        warmup_steps: int,
        learning_rate: float = 1.0,
        last_epoch: int = -1,
        verbose: bool = False,
    ) -> None:
        if d_model <= 0:
            raise ValueError(f"NoamDecay: 'd_model' must be greater than 0, but got {d_model}.")
        require(
            warmup_steps > 0,
            "NoamDecay",
            f"'warmup_steps' must be greater than 0, but got {warmup_steps}.",
        )
        self.d_model = d_model
        self.warmup_steps = warmup_steps
        super().__init__(learning_rate, last_epoch, verbose)

    def get_lr(self) -> float:
        a = 1 if self.last_epoch == 0 else self.last_epoch**-0.5
        b = self.warmup_steps**-1.5 * self.last_epoch
        return self.base_lr * self.d_model**-0.5 * min(a, b)


class PiecewiseDecay(LRScheduler):
    """``values[i]`` while ``epoch < boundaries[i]``, then ``values[-1]`` (values kept as given).

    Example:
        >>> s = PiecewiseDecay(boundaries=[2, 4], values=[1.0, 0.5, 0.1])
        >>> [s() for _ in range(5) if s.step() is None]
        [1.0, 0.5, 0.5, 0.1, 0.1]
    """

    def __init__(
        self,
        boundaries: Sequence[int],
        values: Sequence[float],
        last_epoch: int = -1,
        verbose: bool = False,
    ) -> None:
        if len(boundaries) == 0:
            raise ValueError("PiecewiseDecay: 'boundaries' cannot be empty.")
        if len(values) <= len(boundaries):
            raise ValueError(
                "PiecewiseDecay: 'values' needs one more element than 'boundaries', but got "
                f"len(values) = {len(values)} and len(boundaries) = {len(boundaries)}."
            )
        self.boundaries = boundaries
        self.values = values
        super().__init__(last_epoch=last_epoch, verbose=verbose)

    def get_lr(self) -> float:
        for i, boundary in enumerate(self.boundaries):
            if self.last_epoch < boundary:
                return self.values[i]
        return self.values[len(self.values) - 1]


class NaturalExpDecay(LRScheduler):
    """``lr = base * exp(-gamma * epoch)``.

    Example:
        >>> s = NaturalExpDecay(learning_rate=0.5, gamma=0.1)
        >>> s.step(); round(s(), 6)
        0.452419
    """

    def __init__(
        self, learning_rate: float, gamma: float, last_epoch: int = -1, verbose: bool = False
    ) -> None:
        require(gamma > 0.0, "NaturalExpDecay", f"'gamma' must be > 0 to decay, but got {gamma}.")
        self.gamma = gamma
        super().__init__(learning_rate, last_epoch, verbose)

    def get_lr(self) -> float:
        return self.base_lr * math.exp(-1 * self.gamma * self.last_epoch)


class InverseTimeDecay(LRScheduler):
    """``lr = base / (1 + gamma * epoch)``.

    Example:
        >>> s = InverseTimeDecay(learning_rate=0.5, gamma=1.0)
        >>> s.step(); s()
        0.25
    """

    def __init__(
        self, learning_rate: float, gamma: float, last_epoch: int = -1, verbose: bool = False
    ) -> None:
        self.gamma = gamma
        super().__init__(learning_rate, last_epoch, verbose)

    def get_lr(self) -> float:
        return self.base_lr / (1 + self.gamma * self.last_epoch)


class PolynomialDecay(LRScheduler):
    """Polynomial decay from ``learning_rate`` to ``end_lr`` over ``decay_steps`` (``cycle``: restart).

    Example:
        >>> s = PolynomialDecay(learning_rate=1.0, decay_steps=4, end_lr=0.0)
        >>> s.step(2); s()
        0.5
    """

    def __init__(
        self,
        learning_rate: float,
        decay_steps: int,
        end_lr: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        last_epoch: int = -1,
        verbose: bool = False,
    ) -> None:
        require(
            isinstance(decay_steps, int) and decay_steps > 0,
            "PolynomialDecay",
            f"'decay_steps' must be a positive int, but got {decay_steps!r}.",
        )
        require(power > 0.0, "PolynomialDecay", f"'power' must be > 0 to decay, but got {power}.")
        self.decay_steps = decay_steps
        self.end_lr = end_lr
        self.power = power
        self.cycle = cycle
        super().__init__(learning_rate, last_epoch, verbose)

    def get_lr(self) -> float:
        epoch = self.last_epoch
        decay_steps = self.decay_steps
        if self.cycle:
            div = 1 if epoch == 0 else math.ceil(float(epoch) / float(self.decay_steps))
            decay_steps = self.decay_steps * div
        else:
            epoch = min(epoch, self.decay_steps)
        frac = 1 - float(epoch) / float(decay_steps)
        return (self.base_lr - self.end_lr) * frac**self.power + self.end_lr


class ExponentialDecay(LRScheduler):
    """``lr = base * gamma**epoch`` with ``0 < gamma < 1``.

    Example:
        >>> s = ExponentialDecay(learning_rate=1.0, gamma=0.5)
        >>> s.step(); s.step(); s()
        0.25
    """

    def __init__(
        self, learning_rate: float, gamma: float, last_epoch: int = -1, verbose: bool = False
    ) -> None:
        require(
            0.0 < gamma < 1.0,
            "ExponentialDecay",
            f"'gamma' must be in the open interval (0.0, 1.0) to decay, but got {gamma}.",
        )
        self.gamma = gamma
        super().__init__(learning_rate, last_epoch, verbose)

    def get_lr(self) -> float:
        return self.base_lr * self.gamma**self.last_epoch


def _check_gamma_below_one(owner: str, gamma: float) -> None:
    if gamma >= 1.0:
        raise ValueError(f"{owner}: 'gamma' must be < 1.0 so the rate decays, but got {gamma}.")


class MultiStepDecay(LRScheduler):
    """Multiply by ``gamma`` at each epoch in ``milestones`` (strictly increasing).

    Example:
        >>> s = MultiStepDecay(learning_rate=1.0, milestones=[1, 3], gamma=0.5)
        >>> s.step(); s.step(); s.step(); s()
        0.25
    """

    def __init__(
        self,
        learning_rate: float,
        milestones: Sequence[int],
        gamma: float = 0.1,
        last_epoch: int = -1,
        verbose: bool = False,
    ) -> None:
        require_type(milestones, (tuple, list), "MultiStepDecay", "milestones")
        if not all(milestones[i] < milestones[i + 1] for i in range(len(milestones) - 1)):
            raise ValueError(
                f"MultiStepDecay: 'milestones' must be strictly increasing, but got {milestones}."
            )
        _check_gamma_below_one("MultiStepDecay", gamma)
        self.milestones = milestones
        self.gamma = gamma
        super().__init__(learning_rate, last_epoch, verbose)

    def get_lr(self) -> float:
        for i, milestone in enumerate(self.milestones):
            if self.last_epoch < milestone:
                return self.base_lr * self.gamma**i
        return self.base_lr * self.gamma ** len(self.milestones)


class StepDecay(LRScheduler):
    """Multiply by ``gamma`` every ``step_size`` epochs.

    Example:
        >>> s = StepDecay(learning_rate=0.1, step_size=1, gamma=0.5)
        >>> s.step(); s.step(); s.state_dict()
        {'last_epoch': 2, 'last_lr': 0.025}
    """

    def __init__(
        self,
        learning_rate: float,
        step_size: int,
        gamma: float = 0.1,
        last_epoch: int = -1,
        verbose: bool = False,
    ) -> None:
        require_type(step_size, int, "StepDecay", "step_size")
        _check_gamma_below_one("StepDecay", gamma)
        require(step_size > 0, "StepDecay", f"'step_size' must be > 0, but got {step_size}.")
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(learning_rate, last_epoch, verbose)

    def get_lr(self) -> float:
        return self.base_lr * self.gamma ** (self.last_epoch // self.step_size)


class LambdaDecay(LRScheduler):
    """``lr = base * lr_lambda(epoch)``.

    Example:
        >>> s = LambdaDecay(learning_rate=1.0, lr_lambda=lambda e: 0.5**e)
        >>> s.step(); s()
        0.5
    """

    def __init__(
        self,
        learning_rate: float,
        lr_lambda: Callable[[int], float],
        last_epoch: int = -1,
        verbose: bool = False,
    ) -> None:
        if not callable(lr_lambda):
            raise TypeError(
                f"LambdaDecay: 'lr_lambda' must be a function of the epoch, but received "
                f"{type(lr_lambda).__name__}."
            )
        self.lr_lambda = lr_lambda
        super().__init__(learning_rate, last_epoch, verbose)

    def get_lr(self) -> float:
        return self.base_lr * self.lr_lambda(self.last_epoch)


class MultiplicativeDecay(LRScheduler):
    """``lr = base * prod(lr_lambda(e) for e in 1..epoch)``.

    Example:
        >>> s = MultiplicativeDecay(learning_rate=1.0, lr_lambda=lambda e: 0.5)
        >>> s.step(); s.step(); s()
        0.25
    """

    def __init__(
        self,
        learning_rate: float,
        lr_lambda: Callable[[int], float],
        last_epoch: int = -1,
        verbose: bool = False,
    ) -> None:
        if not callable(lr_lambda):
            raise TypeError(
                f"MultiplicativeDecay: 'lr_lambda' must be a function of the epoch, but "
                f"received {type(lr_lambda).__name__}."
            )
        self.lr_lambda = lr_lambda
        super().__init__(learning_rate, last_epoch, verbose)

    def get_lr(self) -> float:
        cur_lr = self.base_lr
        for epoch in range(1, self.last_epoch + 1):
            cur_lr = cur_lr * self.lr_lambda(epoch)
        return cur_lr
