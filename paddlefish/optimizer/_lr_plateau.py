"""``ReduceOnPlateau``: lower the rate when a metric stops improving.

NOTE [ReduceOnPlateau metrics]: Paddle stores the metric object itself as ``best`` (a float, a
numpy scalar, a one-element ndarray or a Tensor) and compares with it directly, so a float32
Tensor is compared in float32 arithmetic. We keep the object too, compare through ``.numpy()``
(same dtype, same arithmetic), and ``state_dict()`` turns a tensor ``best`` into a ``float`` as
Paddle does; a numpy ``best`` is saved as it is.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._lr_base import LRScheduler, is_tensor_like


def _comparable(metric: Any) -> Any:
    if not is_tensor_like(metric):
        return metric
    return metric.numpy() if hasattr(metric, "numpy") else metric.item()


def _check_metric(metric: Any) -> None:
    if isinstance(metric, (bool, int, float, np.generic)):
        return
    if isinstance(metric, np.ndarray) or is_tensor_like(metric):
        size = np.asarray(_comparable(metric)).size
        if size != 1:
            raise ValueError(
                f"ReduceOnPlateau.step: 'metrics' must have exactly one element, but it has "
                f"{size}; reduce it first (e.g. paddle.mean(loss))."
            )
        return
    raise TypeError(
        "ReduceOnPlateau.step: 'metrics' must be an int, a float, a numpy scalar or array, or a "
        f"one-element Tensor, but received {type(metric).__name__}."
    )


class ReduceOnPlateau(LRScheduler):
    """Multiply the rate by ``factor`` after ``patience`` epochs without improvement.

    ``step(metrics)`` takes the monitored value (e.g. the validation loss). Its state dict adds
    ``cooldown_counter``, ``best`` and ``num_bad_epochs``.

    Example:
        >>> s = ReduceOnPlateau(learning_rate=1.0, factor=0.5, patience=1)
        >>> for loss in [3.0, 2.0, 2.0, 2.0]:
        ...     s.step(loss)
        >>> s(), s.state_dict()["best"]
        (0.5, 2.0)
    """

    def __init__(
        self,
        learning_rate: float,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float = 0,
        epsilon: float = 1e-8,
        verbose: bool = False,
    ) -> None:
        mode = mode.lower()
        if mode not in ("min", "max"):
            raise ValueError(f"ReduceOnPlateau: 'mode' must be 'min' or 'max', but got {mode!r}.")
        if factor >= 1.0:
            raise ValueError(
                f"ReduceOnPlateau: 'factor' must be < 1.0 (new_lr = lr * factor), got {factor}."
            )
        threshold_mode = threshold_mode.lower()
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(
                "ReduceOnPlateau: 'threshold_mode' must be 'rel' or 'abs', but got "
                f"{threshold_mode!r}."
            )
        if not isinstance(learning_rate, (float, int)):
            raise TypeError(
                "ReduceOnPlateau: 'learning_rate' must be a float, but received "
                f"{type(learning_rate).__name__}."
            )
        self.mode, self.factor, self.threshold_mode = mode, factor, threshold_mode
        self.patience, self.threshold, self.cooldown = patience, threshold, cooldown
        self.min_lr, self.epsilon = min_lr, epsilon
        self.cooldown_counter = 0
        self.best: Any = None
        self.num_bad_epochs = 0
        self.base_lr = float(learning_rate)
        self.last_lr = float(learning_rate)
        # unlike the other schedulers the constructor does not step: a fresh one is at epoch 0
        self.last_epoch = 0
        self.verbose = verbose
        self._var_name: str | None = None

    def state_keys(self) -> None:
        """Set ``self.keys`` to Paddle's order for this scheduler."""
        self.keys = ["cooldown_counter", "best", "num_bad_epochs", "last_epoch", "last_lr"]

    def step(self, metrics: Any, epoch: int | None = None) -> None:  # type: ignore[override]
        """Feed this epoch's metric; lower the rate after ``patience`` bad epochs."""
        _check_metric(metrics)
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            return
        if self.best is None or self._is_better(_comparable(metrics), _comparable(self.best)):
            self.best = metrics
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.num_bad_epochs > self.patience:
            self._reduce()

    def _reduce(self) -> None:
        self.cooldown_counter = self.cooldown
        self.num_bad_epochs = 0
        new_lr = max(self.last_lr * self.factor, self.min_lr)
        if self.last_lr - new_lr > self.epsilon:
            self.last_lr = new_lr
            self._report()

    def _is_better(self, current: Any, best: Any) -> bool:
        if self.mode == "min" and self.threshold_mode == "rel":
            better = current < best - best * self.threshold
        elif self.mode == "min":
            better = current < best - self.threshold
        elif self.threshold_mode == "rel":
            better = current > best + best * self.threshold
        else:
            better = current > best + self.threshold
        return bool(np.all(better))

    def get_lr(self) -> float:
        """The current rate (it only changes inside ``step(metrics)``)."""
        return self.last_lr
