"""alltoall, alltoall_single, reduce_scatter, gather, p2p, all_gather_object edge cases and
Partial placements on a real 4-rank gloo job (values against numpy)."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
import paddlefish.distributed as dist

from . import _coll_workers


@pytest.fixture(scope="module")
def coll(pools, tmp_path_factory):
    ck = tmp_path_factory.mktemp("partial") / "ck"
    res = pools(4).run(_coll_workers.collectives), pools(4).run(_coll_workers.partial, str(ck))
    return (*res, ck)


def test_alltoall_and_reduce_scatter(coll):
    res, n = coll[0], 4
    for r, got in enumerate(res):
        want = [[10 * i + r, -(10 * i + r)] for i in range(n)]
        assert got["alltoall"] == want and got["alltoall_3x"] == want
        assert got["alltoall_single"] == [100 * i + 2 * r + k for i in range(n) for k in (0, 1)]
        assert got["alltoall_single_uneven"] == [i for i in range(n) for _ in range(r + 1)]
        sends = np.array([[[q * i, q + i] for i in range(n)] for q in range(n)], "float32")
        np.testing.assert_allclose(got["reduce_scatter_sum"], sends[:, r].sum(0))
        np.testing.assert_allclose(got["reduce_scatter_max"], sends[:, r].max(0))
        np.testing.assert_allclose(got["reduce_scatter_avg"], sends[:, r].mean(0), rtol=1e-6)


def test_gather_p2p_and_all_gather_object(coll):
    res, n = coll[0], 4
    for r, got in enumerate(res):
        assert got["gather"] == ([[i, i * i] for i in range(n)] if r == 1 else None)
        assert got["ring"] == [float((r - 1) % n)] * 3
        assert got["ring_async"] == [(r + 1) % n, 7]
        # appended after what was there; None and objects of different sizes
        assert got["ago_sizes"] == ["already here", None] + [[i, 1000 * i] for i in (1, 2, 3)]
        assert got["ago_tensor"] == [[float(i)] for i in range(n)]
        assert got["ago_sub"] == ([0, 1] if r in (0, 1) else [])
        assert got["scatter_object"] == [{"to": r}]
        assert got["batch_p2p"] == [[(r - 1) % n, 1.0], [(r + 1) % n, 2.0]]


def test_partial_reshard_sums(coll):
    res, n = coll[1], 4
    x = np.arange(6, dtype="float32").reshape(2, 3)
    for r, got in enumerate(res):
        np.testing.assert_array_equal(got["shard_local"], x if r == 0 else np.zeros_like(x))
        np.testing.assert_array_equal(got["shard_back"], x)
        np.testing.assert_array_equal(got["sum"], x * sum(range(1, n + 1)))
        off, local = got["sum_shard"]
        want = (x * sum(range(1, n + 1)))[:, off[1] : off[1] + len(local[0])]
        np.testing.assert_array_equal(local, want)
        np.testing.assert_allclose(got["avg"], x * np.mean(range(1, n + 1)), rtol=1e-6)
        # 2x2 mesh, [Shard(0), Partial()]: rows 0-1 are 0 + 1, rows 2-3 are 2 + 3
        np.testing.assert_array_equal(got["mesh2"], [[1.0] * 3] * 2 + [[5.0] * 3] * 2)
        assert got["unshard"] == got["mesh2"]
    sd = {"p": paddle.zeros([2, 3]), "q": paddle.zeros([4, 3])}
    dist.load_state_dict(sd, str(coll[2]))
    np.testing.assert_array_equal(sd["p"].numpy(), x * sum(range(1, n + 1)))
    np.testing.assert_array_equal(sd["q"].numpy(), [[1.0] * 3] * 2 + [[5.0] * 3] * 2)


def test_argument_errors_single_process():
    with pytest.raises(ValueError, match="src=None"):
        dist.irecv(paddle.zeros([1]))
    with pytest.raises(NotImplementedError, match="kRedSum and kRedAvg"):
        dist.Partial(dist.ReduceType.kRedMax)
    mesh = dist.ProcessMesh([0], dim_names=["x"])
    with pytest.raises(TypeError, match="dist.Shard"):
        dist.shard_tensor(paddle.ones([2]), mesh, ["Shard(0)"])
