"""``get_worker_info`` and per-worker seeding, over torch's worker processes."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.utils.data as tud

__all__ = ["WorkerInfo", "get_worker_info"]


class WorkerInfo:
    """What a worker process knows about itself: ``id``, ``num_workers``, ``seed`` and its own
    copy of the ``dataset``. Read-only once made."""

    __initialized = False

    def __init__(self, **kwargs: Any) -> None:
        for k, v in kwargs.items():
            setattr(self, k, v)
        self.__initialized = True

    def __setattr__(self, key: str, val: Any) -> None:
        if self.__initialized:
            raise RuntimeError(f"Cannot assign attributes to {type(self).__name__} objects")
        super().__setattr__(key, val)

    def __repr__(self) -> str:
        return f"WorkerInfo(id={self.id}, num_workers={self.num_workers}, seed={self.seed})"


_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """Inside a ``DataLoader`` worker process, its ``WorkerInfo``; ``None`` in the main process.

    >>> from paddlefish.io import get_worker_info
    >>> get_worker_info() is None
    True
    """
    global _info
    t = tud.get_worker_info()
    if t is None:
        return None
    if _info is None or _info.id != t.id:
        # the torch dataset is our adapter; user code wants its own dataset object
        ds = getattr(t.dataset, "dataset", t.dataset)
        _info = WorkerInfo(id=t.id, num_workers=t.num_workers, seed=t.seed, dataset=ds)
    return _info


class WorkerInit:
    """Seed Python, numpy and torch from torch's per-worker seed (itself drawn from the main
    process's generator, so ``paddle.seed`` makes workers reproducible), then run the user's
    ``worker_init_fn(worker_id)``. Picklable, for spawn-started workers."""

    def __init__(self, user_fn: Callable[[int], None] | None) -> None:
        self.user_fn = user_fn

    def __call__(self, worker_id: int) -> None:
        s = tud.get_worker_info().seed
        random.seed(s)
        np.random.seed(s % (2**32))
        torch.manual_seed(s)
        if self.user_fn is not None:
            self.user_fn(worker_id)
