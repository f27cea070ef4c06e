"""Paddle's dataset classes: map-style ``Dataset``, ``IterableDataset`` and their combinators.

Paddle's base classes are plain Python (no torch base class): the ``DataLoader`` adapts them to
``torch.utils.data`` itself, so any object with ``__getitem__``/``__len__`` works as a dataset.
"""

from __future__ import annotations

import bisect
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..eager import Tensor
from ..tensor import randperm

__all__ = [
    "ChainDataset",
    "ComposeDataset",
    "ConcatDataset",
    "Dataset",
    "IterableDataset",
    "Subset",
    "TensorDataset",
    "random_split",
]


class Dataset:
    """A map-style dataset: subclasses implement ``__getitem__(idx)`` and ``__len__()``.

    >>> import numpy as np
    >>> from paddlefish.io import Dataset
    >>> class Squares(Dataset):
    ...     def __len__(self):
    ...         return 4
    ...     def __getitem__(self, i):
    ...         return np.array([i * i], "float32"), i
    >>> len(Squares()), Squares()[3][1]
    (4, 3)
    """

    def __init__(self) -> None:
        pass

    def __getitem__(self, idx: int) -> Any:
        raise NotImplementedError(
            f"'__getitem__' not implemented in class {type(self).__name__}: a paddle.io.Dataset "
            "subclass must define __getitem__(self, idx) returning one sample."
        )

    def __len__(self) -> int:
        raise NotImplementedError(
            f"'__len__' not implemented in class {type(self).__name__}: a paddle.io.Dataset "
            "subclass must define __len__(self) returning the number of samples."
        )


class IterableDataset(Dataset):
    """A stream-style dataset: subclasses implement ``__iter__()``.

    With ``num_workers > 0`` every worker iterates its own copy; split the stream with
    ``paddle.io.get_worker_info()`` to avoid duplicates.

    >>> from paddlefish.io import IterableDataset
    >>> class Count(IterableDataset):
    ...     def __iter__(self):
    ...         yield from range(3)
    >>> list(Count())
    [0, 1, 2]
    """

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(
            f"'__iter__' not implemented in class {type(self).__name__}: a "
            "paddle.io.IterableDataset subclass must define __iter__(self) yielding samples."
        )

    def __getitem__(self, idx: int) -> Any:
        raise RuntimeError(
            f"'__getitem__' should not be called for IterableDataset {type(self).__name__}: "
            "iterate it instead."
        )

    def __len__(self) -> int:
        # TypeError (Paddle: RuntimeError) so that list(ds) and other length hints still work
        raise TypeError(
            f"'__len__' should not be called for IterableDataset {type(self).__name__}: a "
            "stream has no length."
        )


class TensorDataset(Dataset):
    """Samples are the ``i``-th rows of each tensor, as a tuple.

    >>> import paddlefish as paddle
    >>> from paddlefish.io import TensorDataset
    >>> ds = TensorDataset([paddle.ones([3, 2]), paddle.arange(3)])
    >>> len(ds), ds[2][1].item()
    (3, 2)
    """

    def __init__(self, tensors: Sequence[Tensor]) -> None:
        if len(tensors) == 0:
            raise ValueError("TensorDataset needs at least one tensor, got an empty list.")
        for i, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"TensorDataset: tensors[{i}] is a {type(t).__name__}, expected a "
                    "paddle.Tensor; convert it with paddle.to_tensor()."
                )
        rows = [t.shape[0] for t in tensors]
        if any(r != rows[0] for r in rows):
            raise ValueError(
                f"TensorDataset: tensors do not have the same size of the 1st dimension: {rows}."
            )
        self.tensors = tensors

    def __getitem__(self, index: int) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]


def _to_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


class ComposeDataset(Dataset):
    """Zip map-style datasets of equal length: sample ``i`` is the concatenated fields.

    >>> from paddlefish.io import ComposeDataset
    >>> ds = ComposeDataset([[(1, 2), (3, 4)], [(5,), (6,)]])
    >>> ds[1]
    (3, 4, 6)
    """

    def __init__(self, datasets: Sequence[Any]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ComposeDataset: input datasets should not be empty.")
        for i, ds in enumerate(self.datasets):
            if isinstance(ds, IterableDataset):
                raise TypeError(
                    f"ComposeDataset: datasets[{i}] is an IterableDataset, which is not "
                    "supported; use ChainDataset for streams."
                )
            if len(ds) != len(self.datasets[0]):
                raise ValueError(
                    f"ComposeDataset: lengths of datasets should be same, datasets[0] has "
                    f"{len(self.datasets[0])} samples but datasets[{i}] has {len(ds)}."
                )

    def __len__(self) -> int:
        return len(self.datasets[0])

    def __getitem__(self, idx: int) -> tuple:
        sample: list = []
        for ds in self.datasets:
            sample.extend(_to_list(ds[idx]))
        return tuple(sample)


class ChainDataset(IterableDataset):
    """Chain iterable datasets one after another.

    >>> from paddlefish.io import ChainDataset
    >>> list(ChainDataset([range(2), range(3)]))
    [0, 1, 0, 1, 2]
    """

    def __init__(self, datasets: Sequence[Iterable[Any]]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ChainDataset: input datasets should not be empty.")

    def __iter__(self) -> Iterator[Any]:
        for ds in self.datasets:
            yield from ds


class ConcatDataset(Dataset):
    """Concatenate map-style datasets end to end.

    >>> from paddlefish.io import ConcatDataset
    >>> ds = ConcatDataset([[0, 1], [2, 3, 4]])
    >>> len(ds), ds[3], ds[-1]
    (5, 3, 4)
    """

    def __init__(self, datasets: Iterable[Any]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: datasets should not be an empty iterable.")
        for i, ds in enumerate(self.datasets):
            if isinstance(ds, IterableDataset):
                raise TypeError(
                    f"ConcatDataset: datasets[{i}] is an IterableDataset, which is not supported."
                )
        self.cumulative_sizes = list(_accumulate([len(d) for d in self.datasets]))

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx: int) -> Any:
        if idx < 0:
            if -idx > len(self):
                raise ValueError(
                    f"ConcatDataset: index {idx} out of range for a dataset of {len(self)}."
                )
            idx += len(self)
        d = bisect.bisect_right(self.cumulative_sizes, idx)
        start = 0 if d == 0 else self.cumulative_sizes[d - 1]
        return self.datasets[d][idx - start]


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order.

    >>> from paddlefish.io import Subset
    >>> s = Subset(list("abcde"), [4, 0])
    >>> len(s), s[0], s[1]
    (2, 'e', 'a')
    """

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx: int) -> Any:
        return self.dataset[self.indices[idx]]

    def __len__(self) -> int:
        return len(self.indices)


def _accumulate(values: Iterable[int]) -> Iterator[int]:
    total = 0
    for v in values:
        total += v
        yield total


def _fraction_lengths(n: int, fractions: Sequence[float]) -> list[int]:
    lengths = []
    for i, frac in enumerate(fractions):
        if frac < 0 or frac > 1:
            raise ValueError(f"random_split: fraction at index {i} is {frac}, not in [0, 1].")
        lengths.append(math.floor(n * frac))
    for i in range(n - sum(lengths)):
        lengths[i % len(lengths)] += 1
    for i, length in enumerate(lengths):
        if length == 0:
            warnings.warn(
                f"Length of split at index {i} is 0. This might result in an empty dataset.",
                stacklevel=3,
            )
    return lengths


def random_split(dataset: Any, lengths: Sequence[float], generator: Any = None) -> list[Subset]:
    """Split ``dataset`` into disjoint random subsets of the given lengths (or fractions).

    The permutation is drawn from the global generator (``paddle.seed`` makes it reproducible);
    ``generator`` is accepted for Paddle compatibility and ignored, as in Paddle.

    >>> import paddlefish as paddle
    >>> from paddlefish.io import random_split
    >>> a, b = random_split(range(10), [0.7, 0.3])
    >>> len(a), len(b), sorted(list(a) + list(b)) == list(range(10))
    (7, 3, True)
    """
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        lengths = _fraction_lengths(n, lengths)
    if sum(lengths) != n:
        raise ValueError(
            f"random_split: sum of input lengths {list(lengths)} is {sum(lengths)}, which does "
            f"not equal the length of the input dataset ({n}); pass lengths summing to {n} or "
            "fractions summing to 1."
        )
    indices = randperm(n).tolist()
    return [
        Subset(dataset, indices[end - length : end])
        for end, length in zip(_accumulate(lengths), lengths)
    ]
