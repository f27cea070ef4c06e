"""Samplers and batch samplers."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.io import (
    BatchSampler,
    DistributedBatchSampler,
    RandomSampler,
    Sampler,
    SequenceSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)


def test_sequence_sampler():
    s = SequenceSampler(range(4))
    assert list(s) == [0, 1, 2, 3] and len(s) == 4


def test_base_sampler_needs_iter():
    with pytest.raises(NotImplementedError, match="__iter__"):
        iter(Sampler(range(3)))


def test_random_sampler_is_permutation_and_follows_numpy_seed():
    np.random.seed(0)
    a = list(RandomSampler(range(20)))
    np.random.seed(0)
    b = list(RandomSampler(range(20)))
    assert a == b and sorted(a) == list(range(20)) and a != list(range(20))
    # Paddle draws with np.random.choice on numpy's global generator
    np.random.seed(0)
    assert a == np.random.choice(np.arange(20), 20, replace=False).tolist()


def test_random_sampler_replacement_and_num_samples():
    paddle.seed(1)
    s = RandomSampler(range(3), replacement=True, num_samples=50)
    got = list(s)
    assert len(s) == 50 and len(got) == 50 and set(got) <= {0, 1, 2}
    assert len(list(RandomSampler(range(10), num_samples=4))) == 4


def test_random_sampler_generator():
    s = RandomSampler(range(10), num_samples=5, generator=iter([9, 8, 7]))
    assert list(s) == [9, 8, 7]


def test_random_sampler_errors():
    with pytest.raises(ValueError, match="replacement is False"):
        RandomSampler(range(3), num_samples=5)
    with pytest.raises(TypeError, match="boolean"):
        RandomSampler(range(3), replacement=1)
    with pytest.raises(ValueError, match="positive integer"):
        RandomSampler(range(3), num_samples=0)


def test_weighted_random_sampler():
    paddle.seed(2)
    got = list(WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], 400))
    assert set(got) == {1, 3}
    assert 0.6 < got.count(3) / 400 < 0.9
    s = WeightedRandomSampler(np.array([1.0, 1.0, 1.0]), 3, replacement=False)
    assert sorted(s) == [0, 1, 2] and len(s) == 3
    with pytest.raises(ValueError, match="positive weights is less"):
        list(WeightedRandomSampler([1.0, 0.0], 2, replacement=False))
    with pytest.raises(ValueError, match="non-negative"):
        list(WeightedRandomSampler([1.0, -1.0], 2))
    with pytest.raises(ValueError, match="positive integer"):
        WeightedRandomSampler([1.0], 0)


def test_subset_random_sampler():
    paddle.seed(5)
    assert sorted(SubsetRandomSampler([3, 5, 9])) == [3, 5, 9]
    with pytest.raises(ValueError, match="greater than 0"):
        SubsetRandomSampler([])


def test_batch_sampler_from_dataset_and_sampler():
    assert list(BatchSampler(range(5), batch_size=2)) == [[0, 1], [2, 3], [4]]
    bs = BatchSampler(range(5), batch_size=2, drop_last=True)
    assert list(bs) == [[0, 1], [2, 3]] and len(bs) == 2
    assert len(BatchSampler(range(5), batch_size=2)) == 3
    bs = BatchSampler(sampler=SequenceSampler(range(3)), batch_size=3)
    assert list(bs) == [[0, 1, 2]]
    np.random.seed(4)
    shuffled = [i for b in BatchSampler(range(9), shuffle=True, batch_size=4) for i in b]
    assert sorted(shuffled) == list(range(9)) and shuffled != list(range(9))


def test_batch_sampler_errors():
    with pytest.raises(ValueError, match="either dataset or sampler"):
        BatchSampler()
    with pytest.raises(ValueError, match="both dataset and sampler"):
        BatchSampler(range(3), sampler=SequenceSampler(range(3)))
    with pytest.raises(ValueError, match="shuffle should be False"):
        BatchSampler(sampler=SequenceSampler(range(3)), shuffle=True)
    with pytest.raises(ValueError, match="batch_size should be a positive integer"):
        BatchSampler(range(3), batch_size=0)
    with pytest.raises(TypeError, match="drop_last"):
        BatchSampler(range(3), drop_last=1)


def test_distributed_batch_sampler_single_process():
    s = DistributedBatchSampler(range(7), batch_size=3)
    assert s.nranks == 1 and s.local_rank == 0
    assert list(s) == [[0, 1, 2], [3, 4, 5], [6]] and len(s) == 3


def test_distributed_batch_sampler_ranks_partition_the_data():
    parts = [
        [i for b in DistributedBatchSampler(range(10), 2, num_replicas=3, rank=r) for i in b]
        for r in range(3)
    ]
    assert [len(p) for p in parts] == [4, 4, 4]  # ceil(10/3)=4 each, 2 padded
    assert sorted(i for p in parts for i in p) == sorted([*range(10), 0, 1])


def test_distributed_batch_sampler_shuffle_by_epoch():
    s = DistributedBatchSampler(range(8), batch_size=8, shuffle=True)
    s.set_epoch(3)
    got = next(iter(s))
    expect = list(range(8))
    np.random.RandomState(3).shuffle(expect)
    assert got == expect
    with pytest.raises(ValueError, match="rank"):
        DistributedBatchSampler(range(8), 2, num_replicas=2, rank=2)
