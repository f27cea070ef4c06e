"""Real multi-process groups (gloo on CPU) started by ``paddle.distributed.spawn``."""

from __future__ import annotations

import json
import pathlib
import time

import numpy as np
import pytest

import paddlefish as paddle
import paddlefish.distributed as dist

from . import _workers


def _spawn(func, args, n: int, limit: float = 90.0) -> None:
    """spawn and join with a deadline; the processes are always stopped."""
    ctx = dist.spawn(func, args=args, nprocs=n, join=False)
    deadline = time.monotonic() + limit
    try:
        while not ctx.join(timeout=1.0):
            assert time.monotonic() < deadline, f"{func.__name__} still running after {limit} s"
    finally:
        ctx.terminate()


def _results(out: pathlib.Path, n: int) -> list[dict]:
    return [json.loads((out / f"rank{r}.json").read_text()) for r in range(n)]


@pytest.mark.parametrize("n", [4])
def test_collectives(tmp_path, n, pools):
    pools(n).run(_workers.collectives, str(tmp_path))
    res = _results(tmp_path, n)
    base = [np.array([r + 1.0, 2.0 * (r + 1)]) for r in range(n)]
    stack = np.stack(base)
    for r, got in enumerate(res):
        assert got["rank"] == r and got["world"] == n and got["initialized"]
        assert got["env"][0:2] == [r, n]
        assert got["env"][2] == got["env"][3][r] and len(got["env"][3]) == n
        np.testing.assert_allclose(got["all_reduce_sum"], stack.sum(0))
        np.testing.assert_allclose(got["all_reduce_async"], stack.sum(0))
        np.testing.assert_allclose(got["all_reduce_max"], stack.max(0))
        np.testing.assert_allclose(got["all_reduce_min"], stack.min(0))
        np.testing.assert_allclose(got["all_reduce_prod"], stack.prod(0))
        np.testing.assert_allclose(got["all_reduce_avg"], stack.mean(0), rtol=1e-6)
        assert got["broadcast"] == [10.0 * (n - 1)] * 3
        assert got["all_gather"] == [[i, i * i] for i in range(n)]
        assert got["all_gather_object"] == [{"rank": i, "name": f"w{i}"} for i in range(n)]
        assert got["scatter"] == [r, 100 + r]
        member = r in (0, n - 1)
        assert got["sub"] == [[0, n - 1].index(r) if member else -1, 2, [0, n - 1], member]
        want_sub = base[0] + base[n - 1] if member else base[r]
        np.testing.assert_allclose(got["sub_all_reduce"], want_sub)
        assert got["param_all_reduce"] == [n, n]
    np.testing.assert_allclose(res[0]["reduce"], stack.sum(0))


def _single_process_reference(steps: int) -> dict[str, np.ndarray]:
    model = _workers._net(seed=100)
    opt = paddle.optimizer.Adam(learning_rate=0.01, parameters=model.parameters())
    x, y = _workers.data()
    _workers.train_steps(model, opt, x, y, steps + 1)
    return {k: v.numpy() for k, v in model.state_dict().items()}


@pytest.mark.parametrize(("n", "bucket_mb"), [(2, 25), (4, 0.0005)])
def test_data_parallel_matches_single_process(tmp_path, n, bucket_mb, pools):
    # n ranks on their share of the same global batch == one process on the whole batch
    steps = 3
    pools(n).run(_workers.data_parallel, str(tmp_path), steps, bucket_mb)
    res = _results(tmp_path, n)
    want = _single_process_reference(steps)
    for got in res:
        assert got["keys"] == got["inner_keys"] == list(want)  # no wrapper prefix
        for k, v in want.items():
            np.testing.assert_allclose(np.array(got["params"][k]), v, rtol=1e-5, atol=1e-7)
    if bucket_mb < 1:
        assert res[0]["n_buckets"] > 1  # the many-bucket path was exercised
    # inside no_sync the gradients stayed local: they differ between ranks
    g0, g1 = (np.array(res[r]["no_sync_grads"][0]) for r in (0, 1))
    assert not np.allclose(g0, g1)


def test_data_parallel_single_process_only_wraps():
    net = _workers._net(seed=1)
    model = dist.DataParallel(net)
    assert list(model.state_dict()) == list(net.state_dict())
    x = paddle.to_tensor(np.ones([2, 6], dtype="float32"))
    np.testing.assert_array_equal(model(x).numpy(), net(x).numpy())
    with pytest.raises(TypeError, match="paddle.nn.Layer"):
        dist.DataParallel(object())


def test_a_rank_that_dies_fails_the_others_promptly(tmp_path, monkeypatch):
    monkeypatch.setenv("PADDLE_PG_TIMEOUT", "10000")
    t0 = time.monotonic()
    with pytest.raises(Exception, match=r"Process 0 terminated[\s\S]*all_reduce failed on rank 0"):
        _spawn(_workers.dies_in_collective, (str(tmp_path),), 2)
    assert time.monotonic() - t0 < 40


def test_a_rank_that_never_arrives_times_out(tmp_path, monkeypatch):
    monkeypatch.setenv("PADDLE_PG_TIMEOUT", "3000")
    t0 = time.monotonic()
    with pytest.raises(Exception, match="Process 0 terminated"):
        _spawn(_workers.never_arrives, (str(tmp_path),), 2)
    assert time.monotonic() - t0 < 30  # rank 1 (asleep for 60 s) was stopped, not waited for


def test_single_process_api():
    with pytest.warns(UserWarning, match="not a parallel execution environment"):
        assert dist.init_parallel_env() is None
    assert not dist.is_initialized()
    assert (dist.get_rank(), dist.get_world_size()) == (0, 1)
    with pytest.raises(RuntimeError, match="init_parallel_env"):
        dist.all_reduce(paddle.to_tensor([1.0]))
    with pytest.raises(ValueError, match="unknown options"):
        dist.spawn(_workers.collectives, nprocs=2, bogus=1)
    with pytest.raises(NotImplementedError):
        dist.rpc  # noqa: B018 (not built: the clear error, not AttributeError alone)
