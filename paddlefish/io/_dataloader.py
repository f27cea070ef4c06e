"""``paddle.io.DataLoader`` over ``torch.utils.data.DataLoader`` (its worker processes, queues and
shared memory), with Paddle's argument checks, sampling and collation; see NOTE [batch transport].
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import torch.utils.data as tud

from . import _rng
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


# NOTE [resumable passes]: ``DataLoader.state_dict()`` records where the current pass stands as
# (the random states at the start of the pass, the batch sampler's ``epoch`` then, the number of
# batches handed out). ``set_state_dict`` makes the next pass set those random states, draw the
# same order again (a shuffle, the torch worker seed), skip the batches already handed out and
# then put the random states back as they were, so a resumed run and an uninterrupted one go on
# identically. Without workers, a batch sampler's batches are skipped by index, unloaded (random
# draws in ``__getitem__`` came from the main process's states, which the checkpoint restores);
# with workers, or without a batch sampler, the skipped batches are loaded and dropped, because
# each worker's random state advances with the samples it loads. It relies on the order being a
# function of the global random states and the sampler's epoch (true of every paddle.io
# sampler); persistent workers' random states across passes are not recorded.
_STATE_FORMAT = "paddlefish.DataLoader/1"


class _Skipper:
    """An iterator over a pass of ``inner`` without its first ``skip`` batches. Like a
    sampler's own iterator it draws nothing until first asked (or ``prime``d), so a resumed
    pass draws its order at the same point, from the same random state, as the original."""

    def __init__(self, inner: Any, skip: int) -> None:
        self.inner, self.skip, self.rest = inner, skip, None

    def prime(self) -> None:
        if self.rest is None:
            self.rest = iter(list(self.inner)[self.skip :])

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        self.prime()
        return next(self.rest)


class _SkippableBatches:
    """The batch sampler handed to torch: the user's one or, while ``skip`` is set (on resume),
    a ``_Skipper`` over it. torch may create several iterators for one pass (its worker
    iterator does); the last one is the pass."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.skip = 0
        self.last: _Skipper | None = None

    def __iter__(self) -> Iterator[Any]:
        if not self.skip:
            return iter(self.inner)
        self.last = _Skipper(self.inner, self.skip)
        return self.last

    def __len__(self) -> int:
        return len(self.inner)


def _sampler_epoch(batch_sampler: Any) -> int | None:
    epoch = getattr(batch_sampler, "epoch", None)
    return epoch if isinstance(epoch, int) and not isinstance(epoch, bool) else None


def _check_state(state: Any) -> dict:
    if not isinstance(state, dict) or state.get("format") != _STATE_FORMAT:
        got = state.get("format") if isinstance(state, dict) else type(state).__name__
        raise ValueError(
            f"DataLoader.set_state_dict: expected what DataLoader.state_dict() returns (a dict "
            f"with format {_STATE_FORMAT!r}), got {got!r}"
        )
    if state.get("in_pass"):
        n = state.get("batches")
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise ValueError(
                f"DataLoader.set_state_dict: 'batches' must be a non-negative int, got {n!r}"
            )
    return state


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
        self._pass: dict[str, Any] | None = None  # see NOTE [resumable passes]
        self._resume: dict[str, Any] | None = None
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
            self._batches = _SkippableBatches(self.batch_sampler)
            return tud.DataLoader(_MapAdapter(self.dataset), batch_sampler=self._batches, **kw)
        return tud.DataLoader(_MapAdapter(self.dataset), batch_size=None, **kw)

    def __iter__(self) -> Iterator[Any]:
        resume, self._resume = self._resume, None
        if resume is None:
            self._pass = {"rng": _rng.capture(), "epoch": _sampler_epoch(self.batch_sampler),
                          "batches": 0}  # fmt: skip
            it = iter(self._torch)
        else:
            it = self._resumed_iter(resume)
        for batch in it:
            self._pass["batches"] += 1
            yield from_transport(batch)
        self._pass = None

    def _resumed_iter(self, resume: dict[str, Any]) -> Iterator[Any]:
        """See NOTE [resumable passes]."""
        now = _rng.capture()
        start = _rng.from_json(resume["rng"])
        skip = resume["batches"]
        _rng.restore(start)
        try:
            if resume.get("epoch") is not None and _sampler_epoch(self.batch_sampler) is not None:
                self.batch_sampler.epoch = resume["epoch"]
            self._pass = {"rng": start, "epoch": resume.get("epoch"), "batches": skip}
            if self.num_workers == 0 and getattr(self, "_batches", None) is not None:
                self._batches.skip = skip
                try:
                    it = iter(self._torch)
                    if self._batches.last is not None:
                        self._batches.last.prime()
                finally:
                    self._batches.skip, self._batches.last = 0, None
            else:
                it = iter(self._torch)
                for _ in range(skip):
                    next(it, None)
        finally:
            _rng.restore(now)
        return it

    def state_dict(self) -> dict[str, Any]:
        """Where the current pass stands, as JSON-compatible data (paddlefish addition).

        Save it with a checkpoint and give it to ``set_state_dict`` in a new process: the next
        pass continues the interrupted one (same order, also when shuffled) from the first batch
        not yet handed out. Between passes it says so, and the next pass starts afresh.

        >>> import paddlefish as paddle
        >>> from paddlefish.io import DataLoader, TensorDataset
        >>> ds = TensorDataset([paddle.arange(8)])
        >>> a = DataLoader(ds, batch_size=2, shuffle=True)
        >>> it = iter(a); first = next(it); state = a.state_dict()
        >>> rest = [b[0].tolist() for b in it]
        >>> b = DataLoader(ds, batch_size=2, shuffle=True); b.set_state_dict(state)
        >>> [x[0].tolist() for x in b] == rest
        True
        """
        p = self._pass
        if p is None:
            return {"format": _STATE_FORMAT, "in_pass": False}
        return {
            "format": _STATE_FORMAT,
            "in_pass": True,
            "batches": p["batches"],
            "epoch": p["epoch"],
            "rng": _rng.to_json(p["rng"]),
        }

    def set_state_dict(self, state: dict[str, Any]) -> None:
        """Make the next pass continue the one ``state`` (from ``state_dict``) describes."""
        state = _check_state(state)
        self._resume = state if state.get("in_pass") else None

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
