"""``paddle.io.DataLoader`` over ``torch.utils.data.DataLoader`` (its worker processes, queues and
shared memory), with Paddle's argument checks, sampling and collation; see NOTE [batch transport].
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import torch.utils.data as tud

from ._batch_sampler import BatchSampler
from ._collate import default_collate_fn, default_convert_fn, from_transport, to_transport
from ._dataset import IterableDataset
from ._worker import WorkerInit

__all__ = ["DataLoader"]


class _MapAdapter(tud.Dataset):
    def __init__(self, dataset: Any) -> None:
        self.dataset = dataset

    def __getitem__(self, idx: int) -> Any:
        return self.dataset[idx]

    def __len__(self) -> int:
        return len(self.dataset)


class _IterAdapter(tud.IterableDataset):
    def __init__(self, dataset: Any) -> None:
        self.dataset = dataset

    def __iter__(self) -> Iterator[Any]:
        return iter(self.dataset)


class _TransportCollate:
    """Runs in the worker: the user's collate, then NOTE [batch transport]. Picklable."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def __call__(self, batch: Any) -> Any:
        return to_transport(self.fn(batch))


def _check_args(dataset, batch_sampler, batch_size, shuffle, drop_last, num_workers, **kw) -> None:
    if not isinstance(num_workers, int) or num_workers < 0:
        raise ValueError(
            f"DataLoader: num_workers should be a non-negative int, got {num_workers!r}."
        )
    if kw["prefetch_factor"] <= 0:
        raise ValueError(
            f"DataLoader: prefetch_factor should be a positive value, got {kw['prefetch_factor']}."
        )
    if kw["timeout"] < 0:
        raise ValueError(f"DataLoader: timeout should be non-negative, got {kw['timeout']}.")
    if isinstance(dataset, IterableDataset):
        if shuffle:
            raise ValueError(f"IterableDataset not support shuffle, but got shuffle={shuffle}.")
        if batch_sampler is not None:
            raise ValueError("DataLoader: an IterableDataset expects batch_sampler to be unset.")
    if batch_sampler is not None and (batch_size != 1 or shuffle or drop_last):
        raise ValueError(
            "DataLoader: batch_size/shuffle/drop_last should not be set when batch_sampler is "
            f"given (got batch_size={batch_size}, shuffle={shuffle}, drop_last={drop_last}); "
            "configure them on the BatchSampler instead."
        )
    bad_size = not isinstance(batch_size, int) or batch_size <= 0
    if batch_sampler is None and batch_size is not None and bad_size:
        raise ValueError(
            "DataLoader: batch_size should be None or a positive int when batch_sampler is "
            f"not given, got {batch_size!r}."
        )


class DataLoader:
    """Iterate a dataset in batches of Paddle Tensors, optionally with worker processes.

    Tuple/list samples come out as a list of batched fields, dict samples as a dict; numpy
    arrays, numbers and Tensors become Tensors (ints int64, Python floats float64, as in Paddle).
    ``feed_list``, ``places``, ``return_list``, ``use_buffer_reader`` and ``use_shared_memory`` are
    accepted for compatibility (dynamic mode always returns lists; workers always share memory).

    >>> import numpy as np
    >>> from paddlefish.io import DataLoader, TensorDataset
    >>> import paddlefish as paddle
    >>> ds = TensorDataset([paddle.arange(10, dtype="float32"), paddle.arange(10)])
    >>> loader = DataLoader(ds, batch_size=4, drop_last=True)
    >>> len(loader), [x.shape for x, y in loader]
    (2, [[4], [4]])
    """

    def __init__(
        self,
        dataset: Any,
        feed_list: Sequence[Any] | None = None,
        places: Any = None,
        return_list: bool = True,
        batch_sampler: Any = None,
        batch_size: int | None = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        collate_fn: Callable[[list], Any] | None = None,
        num_workers: int = 0,
        use_buffer_reader: bool = True,
        prefetch_factor: int = 2,
        use_shared_memory: bool = True,
        timeout: int = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        persistent_workers: bool = False,
    ) -> None:
        _check_args(
            dataset, batch_sampler, batch_size, shuffle, drop_last, num_workers,
            prefetch_factor=prefetch_factor, timeout=timeout,
        )  # fmt: skip
        self.dataset = dataset
        self.feed_list = feed_list
        self.places = places
        self.return_list = return_list
        self.collate_fn = collate_fn
        self.num_workers = num_workers
        self.use_buffer_reader = use_buffer_reader
        self.prefetch_factor = prefetch_factor
        self.use_shared_memory = use_shared_memory and num_workers > 0
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.drop_last = drop_last
        self._is_iterable = isinstance(dataset, IterableDataset)
        self.batch_size = batch_size if batch_sampler is None else None
        self.batch_sampler = self._make_batch_sampler(batch_sampler, batch_size, shuffle)
        self.auto_collate_batch = self.batch_sampler is not None or (
            self._is_iterable and batch_size is not None
        )
        self._torch = self._make_torch_loader(persistent_workers)

    def _make_batch_sampler(self, batch_sampler, batch_size, shuffle):
        if batch_sampler is not None or batch_size is None or self._is_iterable:
            return batch_sampler
        return BatchSampler(
            dataset=self.dataset, batch_size=batch_size, shuffle=shuffle, drop_last=self.drop_last
        )

    def _make_torch_loader(self, persistent_workers: bool) -> tud.DataLoader:
        default = default_collate_fn if self.auto_collate_batch else default_convert_fn
        kw: dict[str, Any] = {
            "collate_fn": _TransportCollate(self.collate_fn or default),
            "num_workers": self.num_workers,
            "timeout": self.timeout,
            "worker_init_fn": WorkerInit(self.worker_init_fn),
        }
        if self.num_workers > 0:
            kw.update(prefetch_factor=self.prefetch_factor, persistent_workers=persistent_workers)
        if self._is_iterable:
            bs = self.batch_size
            return tud.DataLoader(
                _IterAdapter(self.dataset), batch_size=bs, drop_last=self.drop_last, **kw
            )
        if self.batch_sampler is not None:
            return tud.DataLoader(_MapAdapter(self.dataset), batch_sampler=self.batch_sampler, **kw)
        return tud.DataLoader(_MapAdapter(self.dataset), batch_size=None, **kw)

    def __iter__(self) -> Iterator[Any]:
        for batch in self._torch:
            yield from_transport(batch)

    def __call__(self) -> Iterator[Any]:
        return self.__iter__()

    def __len__(self) -> int:
        if self._is_iterable:
            raise ValueError(
                "length of IterableDataset not supported: a DataLoader over an IterableDataset "
                "has no len(); count the batches while iterating instead."
            )
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        return len(self.dataset)
