"""Cyclical schedules: ``OneCycleLR`` and ``CyclicLR``."""

from __future__ import annotations

import math
from collections.abc import Callable

from ._lr_base import LRScheduler, require_type


def _cos_annealing(start_lr: float, end_lr: float, pct: float) -> float:
    cos_out = math.cos(math.pi * pct) + 1
    return end_lr + (start_lr - end_lr) / 2.0 * cos_out


def _linear_annealing(start_lr: float, end_lr: float, pct: float) -> float:
    return (end_lr - start_lr) * pct + start_lr


_ANNEAL = {"cos": _cos_annealing, "linear": _linear_annealing}


def _check_non_negative(owner: str, name: str, value: float) -> None:
    require_type(value, (float, int), owner, name)
    if value < 0:
        raise ValueError(f"{owner}: '{name}' must be >= 0, but got {value}.")


class OneCycleLR(LRScheduler):
    """The 1cycle policy: warm up to ``max_learning_rate`` then anneal to ``end_learning_rate``.

    Example:
        >>> s = OneCycleLR(max_learning_rate=1.0, total_steps=10, anneal_strategy="linear")
        >>> s(), s.last_epoch
        (0.04, 0)
    """

    def __init__(
        self,
        max_learning_rate: float,
        total_steps: int,
        divide_factor: float = 25.0,
        end_learning_rate: float = 0.0001,
        phase_pct: float = 0.3,
        anneal_strategy: str = "cos",
        three_phase: bool = False,
        last_epoch: int = -1,
        verbose: bool = False,
    ) -> None:
        owner = "OneCycleLR"
        _check_non_negative(owner, "max_learning_rate", max_learning_rate)
        _check_non_negative(owner, "end_learning_rate", end_learning_rate)
        require_type(total_steps, int, owner, "total_steps")
        if total_steps <= 0:
            raise ValueError(f"{owner}: 'total_steps' must be > 0, but got {total_steps}.")
        require_type(phase_pct, float, owner, "phase_pct")
        if phase_pct < 0 or phase_pct > 1:
            raise ValueError(f"{owner}: 'phase_pct' must be in [0, 1], but got {phase_pct}.")
        require_type(divide_factor, (float, int), owner, "divide_factor")
        if three_phase and phase_pct >= 0.5:
            raise ValueError(
                f"{owner}: with three_phase=True 'phase_pct' must be < 0.5, but got {phase_pct}."
            )
        if anneal_strategy not in _ANNEAL:
            raise ValueError(
                f"{owner}: 'anneal_strategy' must be 'cos' or 'linear', but got "
                f"{anneal_strategy!r}."
            )
        self.total_steps = total_steps
        initial_lr = max_learning_rate / float(divide_factor)
        self._configure(
            initial_lr, max_learning_rate, float(end_learning_rate), phase_pct, three_phase
        )
        self.anneal_func = _ANNEAL[anneal_strategy]
        super().__init__(initial_lr, last_epoch, verbose)

    def _configure(
        self, initial: float, peak: float, final: float, pct: float, three_phase: bool
    ) -> None:
        n = self.total_steps
        if three_phase:
            self._step_config = [0, pct * n - 1, 2 * pct * n - 2, n - 1, n - 1]
            c = self._step_config
            self._steps_size = [c[1] - c[0], c[2] - c[1], c[3] - c[2], c[3] - c[2]]
            self._lr_config = [initial, peak, initial, final]
        else:
            self._step_config = [0, pct * n - 1, n - 1, n - 1]
            c = self._step_config
            self._steps_size = [c[1] - c[0], c[2] - c[1], c[2] - c[1]]
            self._lr_config = [initial, peak, final]

    def get_lr(self) -> float:
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(
                f"OneCycleLR: stepped to {step}, past total_steps={self.total_steps}; build the "
                "scheduler with a larger total_steps."
            )
        phases = zip(self._step_config[1:], self._steps_size)
        for i, (end_step, step_size) in enumerate(phases):
            if step <= end_step or i == len(self._lr_config) - 2:
                pct = (step - self._step_config[i]) / step_size
                return self.anneal_func(self._lr_config[i], self._lr_config[i + 1], pct)
        raise AssertionError("unreachable: the last phase always matches")


class CyclicLR(LRScheduler):
    """Cycle between ``base_learning_rate`` and ``max_learning_rate`` (triangular policies).

    Example:
        >>> s = CyclicLR(0.1, 0.5, step_size_up=2)
        >>> [round(s(), 6) for _ in range(4) if s.step() is None]
        [0.3, 0.5, 0.3, 0.1]
    """

    def __init__(
        self,
        base_learning_rate: float,
        max_learning_rate: float,
        step_size_up: int,
        step_size_down: int | None = None,
        mode: str = "triangular",
        exp_gamma: float = 1.0,
        scale_fn: Callable[[float], float] | None = None,
        scale_mode: str = "cycle",
        last_epoch: int = -1,
        verbose: bool = False,
    ) -> None:
        owner = "CyclicLR"
        _check_non_negative(owner, "max_learning_rate", max_learning_rate)
        _check_positive_int(owner, "step_size_up", step_size_up)
        if step_size_down is not None:
            _check_positive_int(owner, "step_size_down", step_size_down)
        require_type(exp_gamma, float, owner, "exp_gamma")
        if mode not in _MODES and scale_fn is None:
            raise ValueError(
                f"{owner}: 'mode' {mode!r} is not one of {sorted(_MODES)} and no 'scale_fn' "
                "was given; pass a valid mode or a scale_fn."
            )
        if scale_mode not in ("cycle", "iterations"):
            raise ValueError(
                f"{owner}: 'scale_mode' must be 'cycle' or 'iterations', but got {scale_mode!r}."
            )
        up = float(step_size_up)
        down = float(step_size_down) if step_size_down is not None else up
        self.cycle_size = up + down
        self.step_up_pct = up / self.cycle_size
        self.max_lr = float(max_learning_rate)
        self.amplitude = self.max_lr - base_learning_rate
        self.mode = mode
        self.gamma = exp_gamma
        if scale_fn is None:
            self.scale_fn, self.scale_mode = getattr(self, _MODES[mode][0]), _MODES[mode][1]
        else:
            self.scale_fn, self.scale_mode = scale_fn, scale_mode
        super().__init__(base_learning_rate, last_epoch, verbose)

    def _triangular_scale_fn(self, x: float) -> float:
        return 1.0

    def _triangular2_scale_fn(self, x: float) -> float:
        return 1 / 2.0 ** (x - 1)

    def _exp_range_scale_fn(self, x: float) -> float:
        return self.gamma**x

    def get_lr(self) -> float:
        iterations = self.last_epoch
        cycle = 1 + iterations // self.cycle_size
        pct_per_cycle = 1.0 + iterations / self.cycle_size - cycle
        if pct_per_cycle <= self.step_up_pct:
            scale_factor = pct_per_cycle / self.step_up_pct
        else:
            scale_factor = (1 - pct_per_cycle) / (1 - self.step_up_pct)
        base_height = self.amplitude * scale_factor
        x = cycle if self.scale_mode == "cycle" else iterations
        return self.base_lr + base_height * self.scale_fn(x)


# mode -> (scale function method, the scale_mode it implies); a custom scale_fn keeps scale_mode
_MODES = {
    "triangular": ("_triangular_scale_fn", "cycle"),
    "triangular2": ("_triangular2_scale_fn", "cycle"),
    "exp_range": ("_exp_range_scale_fn", "iterations"),
}


def _check_positive_int(owner: str, name: str, value: int) -> None:
    require_type(value, int, owner, name)
    if value <= 0:
        raise ValueError(f"{owner}: '{name}' must be a positive int, but got {value}.")
