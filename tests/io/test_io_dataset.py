"""Dataset classes and random_split."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.io import (
    ChainDataset,
    ComposeDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    random_split,
)


class Squares(Dataset):
    def __init__(self, n: int = 10) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        return np.array([i * i], "float32"), i


class Stream(IterableDataset):
    def __init__(self, lo: int, hi: int) -> None:
        self.lo, self.hi = lo, hi

    def __iter__(self):
        yield from range(self.lo, self.hi)


def test_base_classes_name_missing_methods():
    with pytest.raises(NotImplementedError, match="__getitem__.*Dataset"):
        Dataset()[0]
    with pytest.raises(NotImplementedError, match="__len__"):
        len(Dataset())
    with pytest.raises(NotImplementedError, match="__iter__"):
        iter(IterableDataset())
    with pytest.raises(RuntimeError, match="IterableDataset"):
        Stream(0, 2)[0]
    with pytest.raises(TypeError, match="no length"):
        len(Stream(0, 2))
    assert list(Stream(0, 3)) == [0, 1, 2]


def test_tensor_dataset_rows():
    x = paddle.to_tensor(np.arange(12, dtype="float32").reshape(4, 3))
    y = paddle.to_tensor(np.array([5, 6, 7, 8]))
    ds = TensorDataset([x, y])
    assert len(ds) == 4
    a, b = ds[2]
    np.testing.assert_array_equal(a.numpy(), [6.0, 7.0, 8.0])
    assert b.item() == 7


def test_tensor_dataset_refuses_mismatch_and_non_tensors():
    with pytest.raises(ValueError, match=r"\[4, 3\]"):
        TensorDataset([paddle.ones([4, 1]), paddle.ones([3, 1])])
    with pytest.raises(TypeError, match=r"tensors\[1\].*ndarray"):
        TensorDataset([paddle.ones([4, 1]), np.ones([4, 1])])


def test_compose_dataset_concatenates_fields():
    ds = ComposeDataset([Squares(4), Squares(4)])
    assert len(ds) == 4
    s = ds[3]
    assert isinstance(s, tuple) and len(s) == 4
    assert s[1] == 3 and s[3] == 3 and s[0][0] == 9.0
    with pytest.raises(ValueError, match="lengths of datasets should be same"):
        ComposeDataset([Squares(4), Squares(5)])
    with pytest.raises(TypeError, match="IterableDataset"):
        ComposeDataset([Squares(2), Stream(0, 2)])
    with pytest.raises(ValueError, match="empty"):
        ComposeDataset([])


def test_chain_and_concat():
    assert list(ChainDataset([Stream(0, 2), Stream(5, 7)])) == [0, 1, 5, 6]
    cat = ConcatDataset([Squares(2), Squares(3)])
    assert len(cat) == 5
    assert [cat[i][1] for i in range(5)] == [0, 1, 0, 1, 2]
    assert cat[-1][1] == 2
    with pytest.raises(ValueError, match="out of range"):
        cat[-6]


def test_subset_maps_indices():
    s = Subset(Squares(10), [7, 2])
    assert len(s) == 2
    assert s[0][1] == 7 and s[1][1] == 2


@pytest.mark.parametrize("lengths", [[6, 3, 1], [0.6, 0.3, 0.1]])
def test_random_split_sizes_and_disjoint(lengths):
    paddle.seed(3)
    parts = random_split(Squares(10), lengths)
    assert [len(p) for p in parts] == [6, 3, 1]
    seen = [p[i][1] for p in parts for i in range(len(p))]
    assert sorted(seen) == list(range(10))
    assert seen != list(range(10))  # shuffled (seeded: fixed outcome)


def test_random_split_fraction_remainder_and_determinism():
    paddle.seed(11)
    a = [list(p.indices) for p in random_split(range(7), [0.5, 0.5])]
    paddle.seed(11)
    b = [list(p.indices) for p in random_split(range(7), [0.5, 0.5])]
    assert a == b
    assert [len(p) for p in a] == [4, 3]  # floor(3.5)=3 each, remainder to the first


def test_random_split_bad_lengths():
    with pytest.raises(ValueError, match="does not equal the length"):
        random_split(range(10), [3, 3])
    with pytest.raises(ValueError, match="not in"):
        random_split(range(10), [1.5, -0.5])
