"""Index samplers. Shuffling draws from numpy's global generator, as Paddle does
(see NOTE [sampler randomness]); ``paddle.seed`` seeds it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence, Sized
from typing import Any

import numpy as np

from ..eager import Tensor
from ..tensor import randperm

__all__ = [
    "RandomSampler",
    "Sampler",
    "SequenceSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
]

# NOTE [sampler randomness]: Paddle's RandomSampler and WeightedRandomSampler call
# ``np.random.choice`` on numpy's global state (not Paddle's generator), and SubsetRandomSampler /
# random_split call ``paddle.randperm``. We do the same, so a script that seeds numpy gets the
# very same index order as real Paddle; ``paddle.seed`` here seeds numpy and torch both.


class Sampler:
    """Base class: an iterable of dataset indices (subclasses implement ``__iter__``).

    >>> from paddlefish.io import Sampler
    >>> class Evens(Sampler):
    ...     def __iter__(self):
    ...         return iter(range(0, len(self.data_source), 2))
    >>> list(Evens(range(5)))
    [0, 2, 4]
    """

    def __init__(self, data_source: Sized | None = None) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(
            f"'__iter__' not implemented in sampler class {type(self).__name__}."
        )


class SequenceSampler(Sampler):
    """Indices ``0 .. len(data_source) - 1`` in order.

    >>> from paddlefish.io import SequenceSampler
    >>> list(SequenceSampler(range(3)))
    [0, 1, 2]
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """Random indices, without (default) or with replacement; or drawn from ``generator``
    (an iterator of indices) when one is given.

    >>> import numpy as np
    >>> from paddlefish.io import RandomSampler
    >>> sorted(RandomSampler(range(5)))
    [0, 1, 2, 3, 4]
    >>> len(RandomSampler(range(5), replacement=True, num_samples=8))
    8
    """

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Iterator[int] | None = None,
    ) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(replacement, bool):
            raise TypeError(
                f"RandomSampler: expect a boolean value for replacement, got {replacement!r}."
            )
        n = self.num_samples
        if not isinstance(n, int) or n <= 0:
            raise ValueError(f"RandomSampler: num_samples should be a positive integer, got {n!r}.")
        if not replacement and n > len(data_source):
            raise ValueError(
                "RandomSampler: num_samples should be smaller than or equal to the length of "
                f"data_source when replacement is False, but got num_samples: {n} > "
                f"data_source: {len(data_source)}. Pass replacement=True to draw more."
            )

    @property
    def num_samples(self) -> int:
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        if self.generator:
            for _ in range(self.num_samples):
                try:
                    yield next(self.generator)
                except StopIteration:
                    return
            return
        n = len(self.data_source)
        idx = np.random.choice(np.arange(n), self.num_samples, replace=self.replacement)
        yield from idx.tolist()

    def __len__(self) -> int:
        return self.num_samples


def _weights_2d(weights: Any) -> np.ndarray:
    if isinstance(weights, Tensor):
        weights = weights.numpy()
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim > 2 or w.ndim == 0:
        raise ValueError(f"WeightedRandomSampler: weights should be 1-D or 2-D, got {w.shape}.")
    w = w.reshape((-1, w.shape[-1]))
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("WeightedRandomSampler: weights must be finite and non-negative.")
    if not np.all((w > 0).sum(axis=1) > 0):
        raise ValueError("WeightedRandomSampler: every row of weights needs a positive value.")
    return w


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices drawn with probability proportional to ``weights``.

    >>> from paddlefish.io import WeightedRandomSampler
    >>> list(WeightedRandomSampler([0.0, 0.0, 1.0], 3))
    [2, 2, 2]
    """

    def __init__(self, weights: Any, num_samples: int, replacement: bool = True) -> None:
        if not isinstance(num_samples, int) or num_samples <= 0:
            raise ValueError(
                f"WeightedRandomSampler: num_samples should be a positive integer, got "
                f"{num_samples!r}."
            )
        if not isinstance(replacement, bool):
            raise TypeError(
                f"WeightedRandomSampler: replacement should be a boolean, got {replacement!r}."
            )
        self.weights = weights
        self.num_samples = num_samples
        self.replacement = replacement

    def __iter__(self) -> Iterator[int]:
        w = _weights_2d(self.weights)
        if not self.replacement and np.any((w > 0).sum(axis=1) < self.num_samples):
            raise ValueError(
                "WeightedRandomSampler: the number of positive weights is less than "
                f"num_samples={self.num_samples} with replacement=False."
            )
        w = w / w.sum(axis=1, keepdims=True)
        rows = [
            np.random.choice(w.shape[1], self.num_samples, self.replacement, w[i])
            for i in range(w.shape[0])
        ]
        return iter(np.array(rows).reshape(-1).tolist())

    def __len__(self) -> int:
        return self.num_samples * _weights_2d(self.weights).shape[0]


class SubsetRandomSampler(Sampler):
    """The given indices in a random order.

    >>> from paddlefish.io import SubsetRandomSampler
    >>> sorted(SubsetRandomSampler([4, 7, 9]))
    [4, 7, 9]
    """

    def __init__(self, indices: Sequence[int]) -> None:
        if len(indices) == 0:
            raise ValueError(
                "The length of `indices` in SubsetRandomSampler should be greater than 0."
            )
        self.indices = indices

    def __iter__(self) -> Iterator[int]:
        for i in randperm(len(self.indices)).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)
