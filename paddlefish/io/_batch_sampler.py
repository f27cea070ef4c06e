"""``BatchSampler`` and ``DistributedBatchSampler``: iterables of index lists, one per batch."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from ._dataset import IterableDataset
from ._sampler import RandomSampler, Sampler, SequenceSampler

__all__ = ["BatchSampler", "DistributedBatchSampler"]


def _check_positive_int(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{name} should be a positive integer, but got {value!r}.")


def _check_bool(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{name} should be a boolean value, but got {value!r}.")


def _batches(indices: Iterable[int], batch_size: int, drop_last: bool) -> Iterator[list[int]]:
    batch: list[int] = []
    for idx in indices:
        batch.append(idx)
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch and not drop_last:
        yield batch


class BatchSampler(Sampler):
    """Group the indices of ``dataset`` (sequential, or shuffled) or of ``sampler`` into batches.

    >>> from paddlefish.io import BatchSampler
    >>> list(BatchSampler(range(5), batch_size=2))
    [[0, 1], [2, 3], [4]]
    >>> len(BatchSampler(range(5), batch_size=2, drop_last=True))
    2
    """

    def __init__(
        self,
        dataset: Any = None,
        sampler: Sampler | Iterable[int] | None = None,
        shuffle: bool = False,
        batch_size: int = 1,
        drop_last: bool = False,
    ) -> None:
        if dataset is None:
            if sampler is None:
                raise ValueError("BatchSampler: either dataset or sampler should be set.")
            if shuffle:
                raise ValueError(
                    "BatchSampler: shuffle should be False when sampler is set; shuffle inside "
                    "the sampler (e.g. RandomSampler) instead."
                )
            self.sampler = sampler
        else:
            if isinstance(dataset, IterableDataset):
                raise TypeError("BatchSampler: dataset should not be a paddle.io.IterableDataset.")
            if sampler is not None:
                raise ValueError("BatchSampler: should not set both dataset and sampler.")
            _check_bool("BatchSampler: shuffle", shuffle)
            self.sampler = RandomSampler(dataset) if shuffle else SequenceSampler(dataset)
        _check_positive_int("BatchSampler: batch_size", batch_size)
        _check_bool("BatchSampler: drop_last", drop_last)
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        return _batches(self.sampler, self.batch_size, self.drop_last)

    def __len__(self) -> int:
        n = len(self.sampler)
        return (n + (0 if self.drop_last else self.batch_size - 1)) // self.batch_size


def _default_world() -> tuple[int, int]:
    # Paddle's launcher exports these; a plain single process is rank 0 of 1.
    return int(os.environ.get("PADDLE_TRAINERS_NUM", "1")), int(
        os.environ.get("PADDLE_TRAINER_ID", "0")
    )


class DistributedBatchSampler(BatchSampler):
    """The share of ``dataset`` for one rank (padding the index list to a multiple of the rank
    count), shuffled per epoch with ``np.random.RandomState(epoch)`` exactly like Paddle.

    >>> from paddlefish.io import DistributedBatchSampler
    >>> list(DistributedBatchSampler(range(5), batch_size=2, num_replicas=2, rank=1))
    [[2, 3], [0]]
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int,
        num_replicas: int | None = None,
        rank: int | None = None,
        shuffle: bool = False,
        drop_last: bool = False,
    ) -> None:
        _check_positive_int("DistributedBatchSampler: batch_size", batch_size)
        _check_bool("DistributedBatchSampler: shuffle", shuffle)
        _check_bool("DistributedBatchSampler: drop_last", drop_last)
        world, my_rank = _default_world()
        if num_replicas is not None:
            _check_positive_int("DistributedBatchSampler: num_replicas", num_replicas)
            world = num_replicas
        if rank is not None:
            if not isinstance(rank, int) or rank < 0 or rank >= world:
                raise ValueError(
                    f"DistributedBatchSampler: rank should be an integer in [0, {world}), got "
                    f"{rank!r}."
                )
            my_rank = rank
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.nranks = world
        self.local_rank = my_rank
        self.epoch = 0
        self.num_samples = math.ceil(len(dataset) / self.nranks)
        self.total_size = self.num_samples * self.nranks

    def _padded_indices(self) -> list[int]:
        indices = list(range(len(self.dataset)))
        pad = self.total_size - len(indices)
        indices += (indices * math.ceil(pad / max(len(indices), 1)))[:pad]
        if self.shuffle:
            np.random.RandomState(self.epoch).shuffle(indices)
            self.epoch += 1
        return indices

    def _rank_indices(self, indices: list[int]) -> list[int]:
        bs, n = self.batch_size, self.nranks
        last = self.total_size % (bs * n)
        last_local = last // n
        out: list[int] = []
        for i in range(self.local_rank * bs, len(indices) - last, bs * n):
            out.extend(indices[i : i + bs])
        tail = indices[len(indices) - last :]
        out.extend(tail[self.local_rank * last_local : (self.local_rank + 1) * last_local])
        return out

    def __iter__(self) -> Iterator[list[int]]:
        indices = self._padded_indices()
        if self.nranks > 1:
            indices = self._rank_indices(indices)
        return _batches(indices, self.batch_size, self.drop_last)

    def __len__(self) -> int:
        n = self.num_samples
        return (n + (0 if self.drop_last else self.batch_size - 1)) // self.batch_size

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch that seeds the next shuffle (call it at the start of each epoch)."""
        self.epoch = epoch
