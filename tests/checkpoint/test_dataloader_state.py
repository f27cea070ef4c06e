"""``DataLoader.state_dict`` / ``set_state_dict`` (paddlefish/io, used by the checkpoint manager):
a pass interrupted after k batches and resumed in a fresh loader, with the random states of the
moment restored, hands out exactly what the uninterrupted loader does, for the rest of that pass
and the passes after it; shuffled or not, with and without workers, random draws in
``__getitem__`` included."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
import torch

import paddlefish as paddle
from paddlefish.io import (
    BatchSampler,
    DataLoader,
    Dataset,
    DistributedBatchSampler,
    IterableDataset,
    SubsetRandomSampler,
)


class Noisy(Dataset):
    """Samples carry their index and draws from numpy and torch (random augmentation)."""

    def __len__(self) -> int:
        return 17

    def __getitem__(self, i):
        return np.array([i]), np.random.rand(1).astype("float32"), torch.rand(1).numpy()


class Stream(IterableDataset):
    def __iter__(self):
        for i in range(20):
            yield np.array([i]), np.random.rand(1).astype("float32")


def _loader(kind: str, nw: int) -> DataLoader:
    if kind == "shuffle":
        return DataLoader(Noisy(), batch_size=3, shuffle=True, num_workers=nw)
    if kind == "sequential":
        return DataLoader(Noisy(), batch_size=4, num_workers=nw)
    if kind == "distributed":
        bs = DistributedBatchSampler(Noisy(), 3, shuffle=True)
        return DataLoader(Noisy(), batch_sampler=bs, num_workers=nw)
    if kind == "subset":
        bs = BatchSampler(sampler=SubsetRandomSampler(list(range(0, 17, 2))), batch_size=2)
        return DataLoader(Noisy(), batch_sampler=bs, num_workers=nw)
    return DataLoader(Stream(), batch_size=3, num_workers=nw)


def _record(batch, out):
    out.append([x.numpy().tolist() for x in batch])
    out.append(float(np.random.rand()))  # the training loop's own draws
    out.append(float(torch.rand(1)))


def _rng():
    return random.getstate(), np.random.get_state(), torch.get_rng_state()


def _set_rng(r):
    random.setstate(r[0])
    np.random.set_state(r[1])
    torch.set_rng_state(r[2])


@pytest.mark.parametrize(
    "kind,nw",
    [("shuffle", 0), ("sequential", 0), ("distributed", 0), ("subset", 0), ("iterable", 0),
     ("shuffle", 2)],
)  # fmt: skip
@pytest.mark.parametrize("k", [0, 2, 5])
def test_resumed_pass_matches_uninterrupted(kind, nw, k):
    paddle.seed(7)
    full: list = []
    loader = _loader(kind, nw)
    for _ in range(3):
        for b in loader:
            _record(b, full)

    paddle.seed(7)
    got: list = []
    loader = _loader(kind, nw)
    it = iter(loader)
    for _ in range(k):
        _record(next(it), got)
    state = json.loads(json.dumps(loader.state_dict()))  # JSON round trip, as the manager stores
    saved = _rng()
    del it, loader

    paddle.seed(12345)  # a fresh process: other random states, a new loader
    _set_rng(saved)
    loader = _loader(kind, nw)
    loader.set_state_dict(state)
    for _ in range(3):  # the rest of the interrupted pass, then two more
        for b in loader:
            _record(b, got)
    assert state["in_pass"] is (k > 0)
    assert got == full


def test_state_between_passes_and_errors():
    loader = DataLoader(Noisy(), batch_size=5, shuffle=True)
    assert loader.state_dict()["in_pass"] is False
    it = iter(loader)
    next(it)
    s = loader.state_dict()
    assert s["in_pass"] is True and s["batches"] == 1
    list(it)
    assert loader.state_dict()["in_pass"] is False  # the pass ended: the next one is fresh
    with pytest.raises(ValueError, match="DataLoader.state_dict"):
        loader.set_state_dict({"epoch": 3})
    bad = dict(s, batches=-1)
    with pytest.raises(ValueError, match="non-negative"):
        loader.set_state_dict(bad)
    bad_rng = dict(s, rng={"format": "x"})
    loader.set_state_dict(bad_rng)
    with pytest.raises(ValueError, match="random-state record"):
        next(iter(loader))


def test_finished_pass_resumes_as_empty_then_fresh():
    """A state taken after the last batch but before the loop noticed the end: the resumed pass
    is empty, and the next pass is the same as the uninterrupted run's next pass."""
    paddle.seed(3)
    loader = DataLoader(Noisy(), batch_size=6, shuffle=True)
    it = iter(loader)
    for _ in range(3):
        next(it)
    state, saved = loader.state_dict(), _rng()
    expect = [b[0].numpy().tolist() for b in loader]
    _set_rng(saved)
    fresh = DataLoader(Noisy(), batch_size=6, shuffle=True)
    fresh.set_state_dict(state)
    assert list(fresh) == []
    assert [b[0].numpy().tolist() for b in fresh] == expect
