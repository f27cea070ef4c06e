"""The ``Metric`` base class (Paddle's template: compute -> update -> accumulate)."""

from __future__ import annotations

import abc
from typing import Any

import numpy as np

from ..eager import Tensor

__all__ = ["Metric"]


class Metric(metaclass=abc.ABCMeta):
    """Base of every metric: ``compute`` (optional, on Tensors, may run in the model's graph)
    turns outputs into statistics; ``update`` folds them into state; ``accumulate`` reports;
    ``reset`` clears; ``name`` names the reported values.

    >>> from paddlefish.metric import Metric
    >>> class Count(Metric):
    ...     def __init__(self):
    ...         self.n = 0
    ...     def reset(self):
    ...         self.n = 0
    ...     def update(self, x):
    ...         self.n += len(x)
    ...     def accumulate(self):
    ...         return self.n
    ...     def name(self):
    ...         return "count"
    >>> m = Count(); m.update([1, 2]); m.accumulate()
    2
    """

    def __init__(self) -> None:
        pass

    @abc.abstractmethod
    def reset(self) -> None:
        raise NotImplementedError(f"function 'reset' not implemented in {type(self).__name__}.")

    @abc.abstractmethod
    def update(self, *args: Any) -> Any:
        raise NotImplementedError(f"function 'update' not implemented in {type(self).__name__}.")

    @abc.abstractmethod
    def accumulate(self) -> Any:
        raise NotImplementedError(
            f"function 'accumulate' not implemented in {type(self).__name__}."
        )

    @abc.abstractmethod
    def name(self) -> Any:
        raise NotImplementedError(f"function 'name' not implemented in {type(self).__name__}.")

    def compute(self, *args: Any) -> Any:
        """Preprocess the model outputs; by default returns them unchanged."""
        return args


def as_numpy(x: Any, what: str, metric: str) -> np.ndarray:
    """``x`` (a Tensor or numpy array) as numpy, or a clear error naming the argument."""
    if isinstance(x, Tensor):
        return x.numpy()
    if isinstance(x, (np.ndarray, np.generic)):
        return np.asarray(x)
    raise ValueError(
        f"{metric}.update: '{what}' must be a numpy ndarray or Tensor, got {type(x).__name__}."
    )
