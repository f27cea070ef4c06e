"""DataLoader: structure and dtypes of batches, sampling, workers, errors."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.io import (
    BatchSampler,
    DataLoader,
    Dataset,
    IterableDataset,
    TensorDataset,
    default_collate_fn,
    default_convert_fn,
    get_worker_info,
)


class Mixed(Dataset):
    """Every kind of leaf Paddle's default collate handles."""

    def __init__(self, n: int = 5) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        return (
            np.full([2], i, np.float32),
            i,
            float(i),
            np.float64(i),
            {"a": np.array([i]), "b": (i, 2.5)},
            paddle.to_tensor([i], dtype="float32"),
            f"s{i}",
        )


class Ids(Dataset):
    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        return np.array([i], np.int64), np.float32(i) * 0.5


class Stream(IterableDataset):
    """Splits the range between workers through get_worker_info()."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        step, first = (1, 0) if info is None else (info.num_workers, info.id)
        for i in range(first, self.n, step):
            yield np.array([i], np.int64)


def _ids(loader) -> list[int]:
    return [int(v) for x, _ in loader for v in x.numpy().reshape(-1)]


@pytest.mark.parametrize("num_workers", [0, 2])
def test_mixed_batch_structure_and_dtypes(num_workers):
    loader = DataLoader(Mixed(), batch_size=2, num_workers=num_workers)
    b = next(iter(loader))
    assert isinstance(b, list) and len(b) == 7
    arr, ints, floats, f64, d, t, s = b
    assert all(isinstance(x, paddle.Tensor) for x in (arr, ints, floats, f64, t))
    assert (arr.dtype, arr.shape) == (paddle.float32, [2, 2])
    assert ints.dtype == paddle.int64 and ints.numpy().tolist() == [0, 1]
    assert floats.dtype == paddle.float64 and f64.dtype == paddle.float64
    assert isinstance(d, dict) and d["a"].shape == [2, 1] and d["a"].dtype == paddle.int64
    assert isinstance(d["b"], list) and d["b"][1].dtype == paddle.float64
    assert (t.dtype, t.shape) == (paddle.float32, [2, 1])
    assert s == ["s0", "s1"]
    assert len(loader) == 3 and len(list(loader)) == 3


def test_single_array_sample_and_dict_sample():
    class One(Dataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return np.array([i], np.int64)

    class Dict(One):
        def __getitem__(self, i):
            return {"x": np.array([i], np.int64)}

    b = next(iter(DataLoader(One(), batch_size=2)))
    assert isinstance(b, paddle.Tensor) and b.shape == [2, 1]
    b = next(iter(DataLoader(Dict(), batch_size=2)))
    assert isinstance(b, dict) and b["x"].numpy().tolist() == [[0], [1]]


def test_tensor_dataset_with_workers_and_unpacking():
    x = paddle.to_tensor(np.arange(20, dtype="float32").reshape(10, 2))
    y = paddle.to_tensor(np.arange(10))
    loader = DataLoader(TensorDataset([x, y]), batch_size=4, num_workers=2)
    seen = []
    for xb, yb in loader:
        assert isinstance(xb, paddle.Tensor) and xb.dtype == paddle.float32
        np.testing.assert_array_equal(xb.numpy()[:, 0], yb.numpy() * 2)
        seen += yb.numpy().tolist()
    assert seen == list(range(10))


def test_drop_last_and_iterating_twice():
    loader = DataLoader(Ids(10), batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert _ids(loader) == list(range(8))
    assert _ids(loader) == list(range(8))


def test_shuffle_reproducible_after_seed():
    loader = DataLoader(Ids(16), batch_size=4, shuffle=True)
    paddle.seed(7)
    a = _ids(loader)
    paddle.seed(7)
    b = _ids(loader)
    c = _ids(loader)
    assert a == b and sorted(a) == list(range(16)) and a != list(range(16))
    assert c != a  # the next epoch draws a new order


def test_batch_sampler_argument_and_conflicts():
    bs = BatchSampler(Ids(5), batch_size=3)
    loader = DataLoader(Ids(5), batch_sampler=bs)
    assert len(loader) == 2 and _ids(loader) == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="should not be set when batch_sampler is given"):
        DataLoader(Ids(5), batch_size=2, batch_sampler=bs)
    with pytest.raises(ValueError, match="should not be set when batch_sampler is given"):
        DataLoader(Ids(5), shuffle=True, batch_sampler=bs)
    with pytest.raises(ValueError, match="positive int"):
        DataLoader(Ids(5), batch_size=0)
    with pytest.raises(ValueError, match="num_workers"):
        DataLoader(Ids(5), num_workers=-1)


def test_batch_size_none_disables_batching():
    loader = DataLoader(Ids(3), batch_size=None)
    items = list(loader)
    assert len(loader) == 3 and len(items) == 3
    x, y = items[2]
    assert x.shape == [1] and x.numpy().tolist() == [2]
    assert isinstance(y, np.float32)  # numbers pass through unbatched, as in Paddle


def test_custom_collate_fn_output_becomes_tensors():
    def collate(samples):
        return {"n": len(samples), "x": np.stack([s[0] for s in samples])}

    b = next(iter(DataLoader(Ids(5), batch_size=3, collate_fn=collate, num_workers=1)))
    assert b["n"] == 3 and isinstance(b["x"], paddle.Tensor) and b["x"].shape == [3, 1]


@pytest.mark.parametrize("num_workers", [0, 2])
def test_iterable_dataset(num_workers):
    loader = DataLoader(Stream(10), batch_size=3, num_workers=num_workers)
    got = sorted(int(v) for b in loader for v in b.numpy().reshape(-1))
    assert got == list(range(10))
    with pytest.raises(ValueError, match="length of IterableDataset not supported"):
        len(loader)
    with pytest.raises(ValueError, match="shuffle"):
        DataLoader(Stream(3), shuffle=True)
    with pytest.raises(ValueError, match="batch_sampler"):
        DataLoader(Stream(3), batch_sampler=BatchSampler(range(3)))


def test_worker_info_and_init_fn_in_workers():
    class WhoAmI(Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            info = get_worker_info()
            return np.array([info.id, info.num_workers, int(info.dataset is not None)])

    got = [b.numpy()[0].tolist() for b in DataLoader(WhoAmI(), num_workers=2)]
    assert sorted({g[0] for g in got}) == [0, 1]
    assert all(g[1:] == [2, 1] for g in got)
    assert get_worker_info() is None


def test_worker_errors_surface_in_main_process():
    class Broken(Ids):
        def __getitem__(self, i):
            raise KeyError(f"sample {i} is missing")

    with pytest.raises(KeyError, match="sample 0 is missing"):
        next(iter(DataLoader(Broken(3), num_workers=1)))


def test_default_collate_and_convert_directly():
    out = default_collate_fn([(np.zeros(2, "float32"), 1, 0.5), (np.ones(2, "float32"), 2, 1.5)])
    assert isinstance(out, list) and out[0].shape == (2, 2)
    assert out[1].dtype == np.int64 and out[2].dtype == np.float64
    with pytest.raises(RuntimeError, match="fields number not same"):
        default_collate_fn([(1, 2), (1,)])
    with pytest.raises(TypeError, match="custom collate_fn"):
        default_collate_fn([object(), object()])
    assert default_convert_fn((1, {"a": (2, 3)})) == [1, {"a": [2, 3]}]
