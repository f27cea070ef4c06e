"""Distributed checkpoint: save on 4 processes (gloo), load on 2, on 1, with another Shard dim."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import paddlefish as paddle
import paddlefish.distributed as dist
from paddlefish.formats import dist_metadata as dm
from paddlefish.formats import load_pdparams

from . import _dcp_workers


def _results(out, n):
    return [json.loads((out / f"rank{r}.json").read_text()) for r in range(n)]


def _assemble(parts: list, shape) -> np.ndarray:
    full = np.full(shape, np.nan, dtype="float64")
    for off, vals in parts:
        vals = np.array(vals)
        full[tuple(slice(o, o + s) for o, s in zip(off, vals.shape))] = vals
    return full


def test_save_on_4_load_on_2_and_1(tmp_path, pools):
    want = _dcp_workers.full_values()
    ck = tmp_path / "ck"
    (tmp_path / "s").mkdir()
    pools(4).run(_dcp_workers.save, str(tmp_path / "s"), str(ck), 0)

    # layout: one file per rank, one metadata, replicated tensors stored once, spread over ranks
    assert sorted(os.listdir(ck)) == [
        "0.metadata",
        "0_0.distcp",
        "1_0.distcp",
        "2_0.distcp",
        "3_0.distcp",
    ]
    files = {f: load_pdparams(ck / f) for f in os.listdir(ck) if f.endswith(".distcp")}
    for key in ("b", "opt.step"):
        holders = [f for f, d in files.items() if key in d]
        assert len(holders) == 1, (key, holders)
    assert {f for f, d in files.items() if "b" in d or "opt.step" in d} != {"0_0.distcp"}
    meta = dm.load_dist_metadata(ck / "0.metadata")
    assert meta.flat_mapping["opt.m"] == ("opt", "m")
    assert sorted(m.local_shape for m in meta.state_dict_metadata["w"]) == [(1, 6)] + [(3, 6)] * 3
    assert [m.global_shape for m in meta.state_dict_metadata["w"]] == [(10, 6)] * 4

    # reshard inside the 4-process job (Paddle's balanced split: 6 over 4 is 2,2,2,0)
    res = _results(tmp_path / "s", 4)
    for r, got in enumerate(res):
        assert got["shape"] == [10, 6] and got["local_shape"] == ([[3, 6]] * 3 + [[1, 6]])[r]
        np.testing.assert_array_equal(got["replicated"], want["w"])
    np.testing.assert_array_equal(_assemble([g["reshard"] for g in res], (10, 6)), want["w"])

    # load on 2 processes with the other Shard dim
    (tmp_path / "l").mkdir()
    pools(2).run(_dcp_workers.load, str(tmp_path / "l"), str(ck), 1)
    res = _results(tmp_path / "l", 2)
    np.testing.assert_array_equal(_assemble([g["w"] for g in res], (10, 6)), want["w"])
    np.testing.assert_array_equal(_assemble([g["opt.m"] for g in res], (5, 6)), want["opt.m"])
    for got in res:
        np.testing.assert_array_equal(got["b"], want["b"])
        np.testing.assert_array_equal(got["opt.step"], want["opt.step"])
    assert res[1]["w"][0] == [0, 3] and np.array(res[1]["w"][1]).shape == (10, 3)

    # load in one plain process into plain tensors, and merge into one .pdparams
    sd = {
        "w": paddle.zeros([10, 6]),
        "b": paddle.zeros([7]),
        "opt": {"m": paddle.zeros([5, 6]), "step": paddle.zeros([3], dtype="int64")},
    }
    dist.load_state_dict(sd, str(ck))
    np.testing.assert_array_equal(sd["w"].numpy(), want["w"])
    np.testing.assert_array_equal(sd["opt"]["step"].numpy(), want["opt.step"])
    merged = dist.merge_checkpoint(str(ck), str(tmp_path / "all.pdparams"))
    back = load_pdparams(tmp_path / "all.pdparams")
    for d in (merged, back):
        np.testing.assert_array_equal(d["opt"]["m"], want["opt.m"])
        np.testing.assert_array_equal(d["b"], want["b"])
        assert d["opt"]["step"].dtype == np.int64


def test_single_process_roundtrip_and_errors(tmp_path):
    mesh = dist.ProcessMesh([0], dim_names=["x"])
    w = dist.shard_tensor(paddle.arange(12, dtype="float32").reshape([3, 4]), mesh, [dist.Shard(1)])
    ck = str(tmp_path / "ck")
    dist.save_state_dict({"w": w, "n": {"b": paddle.ones([2])}}, ck)
    sd = {"w": paddle.zeros([3, 4]), "n": {"b": paddle.zeros([2])}}
    dist.load_state_dict(sd, ck)
    np.testing.assert_array_equal(sd["w"].numpy(), np.arange(12).reshape(3, 4))
    with pytest.raises(KeyError, match="'x'"):
        dist.load_state_dict({"x": paddle.zeros([1])}, ck)
    with pytest.raises(ValueError, match=r"global shape \[4, 4\]"):
        dist.load_state_dict({"w": paddle.zeros([4, 4])}, ck)
    os.remove(os.path.join(ck, "0_0.distcp"))
    with pytest.raises(FileNotFoundError, match=r"0_0\.distcp.*'w'"):
        dist.load_state_dict({"w": paddle.zeros([3, 4])}, ck)
    os.remove(os.path.join(ck, "0.metadata"))
    with pytest.raises(FileNotFoundError, match="not completed"):
        dist.load_state_dict({"w": paddle.zeros([3, 4])}, ck)


def test_shard_tensor_layout_matches_paddle_balanced_split():
    m = dist.ProcessMesh([[0, 1], [2, 3]], dim_names=["dp", "mp"])
    got = [
        dist._sharding.local_offset_and_shape([10, 7], m, [dist.Shard(0), dist.Shard(1)], r)
        for r in range(4)
    ]
    assert got == [((0, 0), (5, 4)), ((0, 4), (5, 3)), ((5, 0), (5, 4)), ((5, 4), (5, 3))]
    nested = [
        dist._sharding.local_offset_and_shape([10], m, [dist.Shard(0), dist.Shard(0)], r)
        for r in range(4)
    ]
    assert nested == [((0,), (3,)), ((3,), (2,)), ((5,), (3,)), ((8,), (2,))]
    with pytest.raises(ValueError, match="one placement"):
        dist.shard_tensor(paddle.ones([2]), m, [dist.Shard(0)])


def test_async_save_commits_even_if_the_process_exits_without_waiting(tmp_path):
    code = (
        "import sys, time\n"
        "import paddlefish as paddle, paddlefish.distributed as dist\n"
        "from paddlefish.formats import pdparams\n"
        "real = pdparams.save_pdparams\n"
        "def slow(*a, **k):\n"
        "    time.sleep(1.0)  # still writing when the main thread ends\n"
        "    real(*a, **k)\n"
        "pdparams.save_pdparams = slow\n"
        "dist.save_state_dict({'w': paddle.ones([64, 64])}, sys.argv[1], async_save=True)\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    r = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "ck")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": root},
        check=False,
    )
    assert r.returncode == 0, r.stderr
    sd = {"w": paddle.zeros([64, 64])}
    dist.load_state_dict(sd, str(tmp_path / "ck"))
    np.testing.assert_array_equal(sd["w"].numpy(), np.ones([64, 64]))
