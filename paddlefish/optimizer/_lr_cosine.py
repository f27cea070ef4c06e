"""Cosine schedules: ``CosineAnnealingDecay`` (recursive, SGDR without restarts) and
``CosineAnnealingWarmRestarts``."""

from __future__ import annotations

import math

from ._lr_base import LRScheduler, require, require_type


class CosineAnnealingDecay(LRScheduler):
    """Cosine annealing from ``learning_rate`` to ``eta_min`` over ``T_max`` epochs.

    ``get_lr`` is recursive (it uses ``last_lr``, as Paddle's does), so a resumed run needs the
    saved ``last_lr``; ``step(epoch=k)`` uses the closed form instead.

    Example:
        >>> s = CosineAnnealingDecay(learning_rate=0.1, T_max=10)
        >>> s.step(); s.step(); s.state_dict()
        {'last_epoch': 2, 'last_lr': 0.09045084971874738}
    """

    def __init__(
        self,
        learning_rate: float,
        T_max: int,
        eta_min: float = 0,
        last_epoch: int = -1,
        verbose: bool = False,
    ) -> None:
        require_type(T_max, int, "CosineAnnealingDecay", "T_max")
        require_type(eta_min, (float, int), "CosineAnnealingDecay", "eta_min")
        require(T_max > 0, "CosineAnnealingDecay", f"'T_max' must be > 0, but got {T_max}.")
        self.T_max = T_max
        self.eta_min = float(eta_min)
        super().__init__(learning_rate, last_epoch, verbose)

    def get_lr(self) -> float:
        if self.last_epoch == 0:
            return self.base_lr
        if (self.last_epoch - 1 - self.T_max) % (2 * self.T_max) == 0:
            return (
                self.last_lr
                + (self.base_lr - self.eta_min) * (1 - math.cos(math.pi / self.T_max)) / 2
            )
        ratio = (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / (
            1 + math.cos(math.pi * (self.last_epoch - 1) / self.T_max)
        )
        return ratio * (self.last_lr - self.eta_min) + self.eta_min

    def _get_closed_form_lr(self) -> float:
        cos_out = 1 + math.cos(math.pi * self.last_epoch / self.T_max)
        return self.eta_min + (self.base_lr - self.eta_min) * cos_out / 2


class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine annealing restarted every ``T_0 * T_mult**i`` epochs (SGDR).

    NOTE [WarmRestarts resume]: Paddle saves only ``last_epoch``/``last_lr`` and does not rebuild
    its cycle position (``T_cur``, ``T_i``) on load, so a Paddle scheduler resumed from a state dict
    restarts its cycle at 0. We rebuild them from the loaded ``last_epoch`` (the closed form of
    ``step(epoch)``), so a resumed run continues exactly as if it had never stopped. The state dict
    itself is unchanged and still loads into real Paddle.

    Example:
        >>> s = CosineAnnealingWarmRestarts(learning_rate=1.0, T_0=2)
        >>> [s() for _ in range(4) if s.step() is None]
        [0.5, 1.0, 0.5, 1.0]
    """

    def __init__(
        self,
        learning_rate: float,
        T_0: int,
        T_mult: int = 1,
        eta_min: float = 0,
        last_epoch: int = -1,
        verbose: bool = False,
    ) -> None:
        require(
            isinstance(T_0, int) and T_0 > 0,
            "CosineAnnealingWarmRestarts",
            f"'T_0' must be a positive int, but got {T_0!r}.",
        )
        require(
            isinstance(T_mult, int) and T_mult >= 1,
            "CosineAnnealingWarmRestarts",
            f"'T_mult' must be an int >= 1, but got {T_mult!r}.",
        )
        self.T_0 = T_0
        self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = last_epoch
        super().__init__(learning_rate, last_epoch, verbose)

    def get_lr(self) -> float:
        cos_out = 1 + math.cos(math.pi * self.T_cur / self.T_i)
        return self.eta_min + (self.base_lr - self.eta_min) * cos_out / 2

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch, or jump to ``epoch`` (placing it in its restart cycle)."""
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur - self.T_i
                self.T_i = self.T_i * self.T_mult
        else:
            if epoch < 0:
                raise ValueError(
                    f"CosineAnnealingWarmRestarts.step: 'epoch' must be >= 0, but got {epoch}."
                )
            self._place_in_cycle(epoch)
        self.last_epoch = math.floor(epoch)
        self.last_lr = self.get_lr()
        self._report()

    def _place_in_cycle(self, epoch: float) -> None:
        if epoch < self.T_0:
            self.T_i = self.T_0
            self.T_cur = epoch
        elif self.T_mult == 1:
            self.T_cur = epoch % self.T_0
        else:
            n = int(math.log(epoch / self.T_0 * (self.T_mult - 1) + 1, self.T_mult))
            self.T_cur = epoch - self.T_0 * (self.T_mult**n - 1) / (self.T_mult - 1)
            self.T_i = self.T_0 * self.T_mult**n

    def _after_load(self) -> None:
        # see NOTE [WarmRestarts resume]; integer replay of sequential stepping (no log rounding)
        if self.last_epoch < 0:
            return
        t_cur, t_i = self.last_epoch, self.T_0
        if self.T_mult == 1:
            t_cur %= t_i
        while t_cur >= t_i:
            t_cur, t_i = t_cur - t_i, t_i * self.T_mult
        self.T_cur, self.T_i = t_cur, t_i
