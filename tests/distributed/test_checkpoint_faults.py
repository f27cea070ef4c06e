"""Distributed checkpoints under faults, async_save, and sharded optimizer state (real gloo jobs)."""

from __future__ import annotations

import json
import os
import re
import time

import numpy as np
import pytest

import paddlefish as paddle
import paddlefish.distributed as dist

from . import _fault_workers as fw


def _run_to_end(func, args, n: int, limit: float = 90.0, wait_for=None):
    """spawn ``n`` ranks and wait until ranks ``wait_for`` (default all) have exited (not
    stopping at the first failure, so the survivors can report); the rest are stopped. Returns
    the exit codes."""
    ctx = dist.spawn(func, args=args, nprocs=n, join=False)
    deadline = time.monotonic() + limit
    try:
        for r in range(n) if wait_for is None else wait_for:
            ctx.processes[r].join(max(0.1, deadline - time.monotonic()))
        return [p.exitcode for p in ctx.processes]
    finally:
        ctx.terminate()


def _check_previous_checkpoint_loads(ck) -> None:
    assert sorted(f for f in os.listdir(ck) if f.endswith(".metadata")) == ["0.metadata"]
    sd = {"w": paddle.zeros([8, 3]), "b": paddle.zeros([5])}
    with pytest.warns(UserWarning, match="unique_id 1 .* incomplete"):
        dist.load_state_dict(sd, str(ck))
    np.testing.assert_array_equal(sd["w"].numpy(), np.arange(24).reshape(8, 3))
    np.testing.assert_array_equal(sd["b"].numpy(), np.ones(5))
    with pytest.raises(FileNotFoundError, match=r"1\.metadata is missing.*not completed"):
        dist.load_state_dict(sd, str(ck), unique_id=1)


def test_a_rank_killed_mid_save_fails_the_others_and_keeps_the_previous(tmp_path):
    ck = tmp_path / "ck"
    codes = _run_to_end(fw.fault_in_save, (str(tmp_path), str(ck), 1, "kill", 20.0), 2)
    assert codes == [0, -9], codes
    for r in (0,):
        got = json.loads((tmp_path / f"rank{r}.json").read_text())
        assert got["error"] is not None, f"rank {r} did not notice the dead rank"
        assert "RuntimeError" in got["error"] and "died or did not reach" in got["error"]
        assert got["elapsed"] < 20  # the dead peer is seen at once, not at the timeout
    _check_previous_checkpoint_loads(ck)


def test_a_rank_that_hangs_mid_save_times_out(tmp_path):
    ck = tmp_path / "ck"
    t0 = time.monotonic()
    codes = _run_to_end(fw.fault_in_save, (str(tmp_path), str(ck), 1, "hang", 3.0), 2, 40, [0])
    got = json.loads((tmp_path / "rank0.json").read_text())
    assert codes[0] == 0
    assert "within the checkpoint timeout of 3 s" in got["error"]
    assert 2.5 < got["elapsed"] < 20
    assert time.monotonic() - t0 < 45
    _check_previous_checkpoint_loads(ck)


def test_bad_or_missing_shard_names_the_file_and_tensor_on_every_rank(tmp_path, pools):
    pool, ck = pools(2), str(tmp_path / "ck")
    pool.run(fw.save_plain, ck, 1.0)
    shard = os.path.join(ck, "1_0.distcp")  # holds rank 1's rows of 'w' only
    with open(shard, "r+b") as f:
        f.truncate(300)
    errs = pool.run(fw.load_expecting_error, ck)
    assert errs[1].startswith("FormatError")  # rank 1 reads the file itself
    for e in errs:  # the other rank reads it too (a replicated tensor) or is told by rank 1
        assert e.startswith(("FormatError", "RuntimeError: load_state_dict: rank 1 could not"))
        assert re.search(r"shard file \S*1_0\.distcp \(needed for '[wb]'\) is damaged", e), e
        assert e.endswith("untouched=True"), e  # all or nothing: no rank changed a tensor
    os.remove(shard)
    errs = pool.run(fw.load_expecting_error, ck)
    for e in errs:
        assert re.search(
            r"shard file \S*1_0\.distcp \(which holds a slice of '[wb]'\) is missing", e
        ), e
        assert e.endswith("untouched=True"), e


def test_async_save_returns_after_the_snapshot_and_commits_last(tmp_path, pools):
    ck = str(tmp_path / "ck")
    res = pools(4).run(fw.async_save, ck)
    for got in res:
        # the last rank's writer was held: no rank can have seen the metadata yet
        assert got["meta_early"] is False and got["meta_late"] is True, got
    sd = {"w": paddle.zeros([8, 3]), "b": paddle.zeros([5])}
    dist.load_state_dict(sd, ck)
    np.testing.assert_array_equal(sd["w"].numpy(), np.arange(24).reshape(8, 3) * 3.0)
    np.testing.assert_array_equal(sd["b"].numpy(), np.full(5, 3.0))


def _reference(steps: int):
    """The full Linear trained by one process on the full loss."""
    # the accumulators are named at the first step: keep it inside the guard too, so the names do
    # not depend on which tests ran before in this process
    with paddle.utils.unique_name.guard():
        paddle.seed(7)
        net = paddle.nn.Linear(4, 6)
        opt = paddle.optimizer.Adam(0.05, parameters=net.parameters())
        x, t = fw.train_data()
        for _ in range(steps):
            loss = ((net(paddle.to_tensor(x)) - paddle.to_tensor(t)) ** 2).sum()
            loss.backward()
            opt.step()
            opt.clear_grad()
    return net, opt


def test_sharded_adam_state_saved_on_4_loads_on_2_and_1(tmp_path, pools):
    ck = str(tmp_path / "ck")
    res = pools(4).run(fw.train_and_save, ck, 3)
    assert res[0]["moment_types"] == ["DistTensor"]  # moments follow their parameter
    ref_net, ref_opt = _reference(3)
    ref_state = {k: v.numpy() for k, v in ref_opt.state_dict().items()}
    assert sorted(ref_state) == res[0]["opt_keys"]

    # 1 process, plain tensors: the gathered moments equal the full-model Adam's
    sd = {
        "model": {"weight": paddle.zeros([4, 6]), "bias": paddle.zeros([6])},
        "opt": {k: paddle.zeros(list(v.shape)) for k, v in ref_state.items()},
    }
    dist.load_state_dict(sd, ck)
    for k, v in ref_state.items():
        np.testing.assert_allclose(sd["opt"][k].numpy(), v, rtol=1e-5, atol=1e-7, err_msg=k)
    np.testing.assert_allclose(sd["model"]["weight"].numpy(), ref_net.weight.numpy(), rtol=1e-5)

    # 2 processes: load (another init), train on: equals the full model trained 3 + 2 steps
    got = pools(2).run(fw.load_and_continue, ck, 2)
    want_net, _ = _reference(5)
    w = np.concatenate([np.array(g["w"]) for g in got], axis=1)
    b = np.concatenate([np.array(g["b"]) for g in got])
    assert [g["col"] for g in got] == [[0, 3], [3, 6]]
    np.testing.assert_allclose(w, want_net.weight.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b, want_net.bias.numpy(), rtol=1e-5, atol=1e-6)


def test_save_and_load_on_a_sub_group(tmp_path, pools):
    ck = str(tmp_path / "ck")
    assert pools(4).run(fw.save_on_sub_group, ck) == [True] * 4
    assert sorted(os.listdir(ck)) == ["0.metadata", "0_0.distcp", "1_0.distcp"]
    sd = {"w": paddle.zeros([8, 3]), "b": paddle.zeros([5])}
    dist.load_state_dict(sd, ck)
    np.testing.assert_array_equal(sd["w"].numpy(), np.arange(24).reshape(8, 3) * 4.0)
