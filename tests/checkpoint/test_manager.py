"""CheckpointManager on a local folder and on ``memory://``: round trip of every part, the random
states, retention, interval policy, async save and its failures, damaged steps, bad input."""

from __future__ import annotations

import json
import os
import random
import uuid

import numpy as np
import pytest
import torch

import paddlefish as paddle
from paddlefish.checkpoint import (
    CheckpointError,
    CheckpointManager,
    CheckpointSaveError,
    CheckpointWarning,
    DamagedCheckpointError,
    NotACheckpointError,
)


class Scaler:
    """Stands in for an AMP GradScaler: anything with state_dict/set_state_dict."""

    def __init__(self, scale=1024.0):
        self.scale, self.good = scale, 0

    def state_dict(self):
        return {"scale": np.array([self.scale], np.float32), "good_steps": self.good}

    def set_state_dict(self, s):
        self.scale, self.good = float(s["scale"][0]), int(s["good_steps"])


def _net():
    return paddle.nn.Sequential(paddle.nn.Linear(4, 8), paddle.nn.ReLU(), paddle.nn.Linear(8, 2))


def _train(net, opt, sched, steps=3):
    for _ in range(steps):
        x = paddle.randn([5, 4])
        loss = net(x).square().mean()
        loss.backward()
        opt.step()
        opt.clear_grad()
        sched.step()


def _setup():
    net = _net()
    sched = paddle.optimizer.lr.StepDecay(0.1, step_size=2, gamma=0.5)
    opt = paddle.optimizer.Adam(sched, parameters=net.parameters())
    return net, opt, sched


@pytest.fixture(params=["local", "memory"])
def where(request, tmp_path):
    if request.param == "local":
        return str(tmp_path / "ck")
    return f"memory://ck-{uuid.uuid4().hex}"


def test_round_trip_every_part_and_rng(where):
    paddle.seed(1)
    with paddle.utils.unique_name.guard():
        net, opt, sched = _setup()
        _train(net, opt, sched)
    scaler = Scaler(512.0)
    scaler.good = 7
    mgr = CheckpointManager(where)
    assert mgr.latest_step() is None and mgr.all_steps() == []
    assert mgr.save(3, model=net, optimizer=opt, lr_scheduler=sched, scaler=scaler,
                    data_state={"epoch": 1, "batch": 4}, metrics={"loss": 0.5},
                    metadata={"note": "hi", "cfg": [1, 2]})  # fmt: skip
    expect_after = (random.random(), float(np.random.rand()), float(torch.rand(1)))
    ref = {k: v.numpy().copy() for k, v in net.state_dict().items()}
    ref_opt = {k: v.numpy().copy() for k, v in opt.state_dict().items() if hasattr(v, "numpy")}

    paddle.seed(99)  # another process: other weights, other random states, the same names
    with paddle.utils.unique_name.guard():
        net2, opt2, sched2 = _setup()
    scaler2 = Scaler()
    r = mgr.restore(model=net2, optimizer=opt2, lr_scheduler=sched2, scaler=scaler2)
    assert (r.step, r.data_state, r.metrics) == (3, {"epoch": 1, "batch": 4}, {"loss": 0.5})
    assert r.metadata == {"note": "hi", "cfg": [1, 2]}
    assert (random.random(), float(np.random.rand()), float(torch.rand(1))) == expect_after
    for k, v in net2.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), ref[k])
    got_opt = opt2.state_dict()
    for k, v in ref_opt.items():
        np.testing.assert_array_equal(got_opt[k].numpy(), v)
    assert sched2.last_epoch == sched.last_epoch and sched2.last_lr == sched.last_lr
    assert (scaler2.scale, scaler2.good) == (512.0, 7)
    # training on from both gives the very same numbers
    paddle.seed(5)
    _train(net, opt, sched, 2)
    paddle.seed(5)
    _train(net2, opt2, sched2, 2)
    for k, v in net.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), net2.state_dict()[k].numpy())


def test_step_layout_is_plain_paddle_files(tmp_path):
    net, opt, sched = _setup()
    mgr = CheckpointManager(tmp_path)
    mgr.save(10, model=net, optimizer=opt, lr_scheduler=sched, data_state={"e": 0})
    d = tmp_path / "step_10"
    names = sorted(os.listdir(d))
    assert names == ["checkpoint.json", "data_state.json", "lr_scheduler.pdopt",
                     "model.pdparams", "optimizer.pdopt", "rng_state.json"]  # fmt: skip
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".")]  # no temp dir left
    sd = paddle.load(str(d / "model.pdparams"))
    assert sorted(sd) == sorted(net.state_dict())
    assert sd["0.weight"].name == net[0].weight.name
    m = json.loads((d / "checkpoint.json").read_text())
    assert m["step"] == 10 and m["files"]["model.pdparams"]["size"] == os.path.getsize(
        d / "model.pdparams"
    )


def test_keep_last_n_plus_best_k(where):
    net = _net()
    mgr = CheckpointManager(where, max_to_keep=2, keep_best=("acc", "max", 2))
    accs = {1: 0.9, 2: 0.1, 3: 0.95, 4: 0.2, 5: 0.3, 6: 0.4}
    for s, a in accs.items():
        mgr.save(s, model=net, metrics={"acc": a})
    assert mgr.all_steps() == [1, 3, 5, 6]  # best two (3, 1) + newest two (5, 6)
    mgr2 = CheckpointManager(where, keep_best=("loss", "min", 1))
    mgr2.save(7, model=net, metrics={"loss": 3.0})
    mgr2.save(8, model=net, metrics={"loss": 1.0})
    mgr2.save(9, model=net, metrics={"loss": 2.0})
    assert mgr2.all_steps() == [8, 9]  # best by loss + the newest (for resuming)


def test_interval_policy_and_force(tmp_path):
    net = _net()
    mgr = CheckpointManager(tmp_path, save_interval_steps=5)
    saved = [s for s in range(1, 13) if mgr.save(s, model=net)]
    assert saved == [5, 10] and mgr.all_steps() == [5, 10]
    assert mgr.save(11, model=net, force=True) and mgr.all_steps() == [5, 10, 11]
    assert not mgr.save(10, model=net)  # already saved
    mgr_t = CheckpointManager(tmp_path / "t", save_interval_seconds=3600)
    assert not mgr_t.save(1, model=net) and mgr_t.save(2, model=net, force=True)
    mgr_t0 = CheckpointManager(tmp_path / "t0", save_interval_seconds=1e-9)
    assert mgr_t0.save(1, model=net)


@pytest.mark.parametrize(
    "kw,match",
    [({"max_to_keep": 0}, "max_to_keep"), ({"keep_best": ("acc", "up", 1)}, "'min' or 'max'"),
     ({"keep_best": "acc"}, "keep_best must be"), ({"save_interval_steps": -1}, "interval"),
     ({"async_save": 1}, "async_save")],
)  # fmt: skip
def test_bad_arguments(tmp_path, kw, match):
    with pytest.raises((ValueError, TypeError), match=match):
        CheckpointManager(tmp_path, **kw)


def test_bad_save_input(tmp_path):
    mgr = CheckpointManager(tmp_path)
    with pytest.raises(TypeError, match="data_state must be JSON data"):
        mgr.save(1, data_state={"x": object()})
    with pytest.raises(TypeError, match="model= needs an object with state_dict"):
        mgr.save(1, model=3)
    with pytest.raises(ValueError, match="non-negative int"):
        mgr.save(-1)
    with pytest.raises(TypeError, match="metric 'm' must be a number"):
        mgr.save(1, metrics={"m": [1]})
    assert mgr.all_steps() == []  # nothing half-saved
    mgr.save(2, metrics={"t": paddle.to_tensor(0.25), "n": np.float32(2)})
    assert mgr.restore().metrics == {"t": 0.25, "n": 2.0}


def test_not_a_checkpoint(tmp_path):
    with pytest.raises(NotACheckpointError, match="does not exist|empty"):
        CheckpointManager(tmp_path / "nothing").restore()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "net.pdparams").write_bytes(b"x")
    with pytest.raises(NotACheckpointError, match="not a checkpoint directory.*net.pdparams.*"
                                                   "paddle.load"):  # fmt: skip
        CheckpointManager(tmp_path / "other").restore()
    (tmp_path / "half" / "step_4").mkdir(parents=True)
    with pytest.raises(NotACheckpointError, match="step_4 have no checkpoint.json"):
        CheckpointManager(tmp_path / "half").restore()
    mgr = CheckpointManager(tmp_path / "ok")
    mgr.save(1)
    with pytest.raises(CheckpointError, match=r"no committed step 5 .* \[1\]"):
        mgr.restore(5)
    with pytest.raises(CheckpointError, match="holds no model state"):
        mgr.restore(model=_net())


def test_shape_mismatch_names_every_key(tmp_path):
    mgr = CheckpointManager(tmp_path)
    mgr.save(1, model=_net())
    other = paddle.nn.Sequential(paddle.nn.Linear(4, 6), paddle.nn.ReLU(), paddle.nn.Linear(6, 2))
    before = {k: v.numpy().copy() for k, v in other.state_dict().items()}
    with pytest.raises(CheckpointError) as e:
        mgr.restore(model=other)
    msg = str(e.value)
    for line in ("0.weight: checkpoint shape [4, 8], model shape [4, 6]",
                 "0.bias: checkpoint shape [8], model shape [6]",
                 "2.weight: checkpoint shape [8, 2], model shape [6, 2]"):  # fmt: skip
        assert line in msg
    assert "2.bias" not in msg and "3 key(s)" in msg
    for k, v in other.state_dict().items():  # nothing was half-applied
        np.testing.assert_array_equal(v.numpy(), before[k])


def _damage(where, step, name, how):
    import fsspec

    fs, root = fsspec.core.url_to_fs(where)
    p = f"{root}/step_{step}/{name}"
    if how == "delete":
        fs.rm_file(p)
    elif how == "truncate":
        data = fs.cat_file(p)
        fs.pipe_file(p, data[: len(data) // 2])
    else:  # flip a byte, same size
        data = bytearray(fs.cat_file(p))
        data[-10] ^= 0xFF
        fs.pipe_file(p, bytes(data))


@pytest.mark.parametrize(
    "name,how,problem",
    [("model.pdparams", "delete", "model.pdparams is missing"),
     ("optimizer.pdopt", "truncate",
      (r"optimizer.pdopt has \d+ bytes, the manifest records \d+ \(truncated\)")),
     ("model.pdparams", "flip", r"model.pdparams has changed .*\(CRC-32 mismatch\)"),
     ("checkpoint.json", "truncate", "its manifest checkpoint.json cannot be read .*not valid JSON")],
)  # fmt: skip
def test_damaged_step_falls_back(where, name, how, problem):
    net, opt, sched = _setup()
    _train(net, opt, sched, 1)
    mgr = CheckpointManager(where)
    mgr.save(1, model=net, optimizer=opt, data_state={"at": 1})
    _train(net, opt, sched, 1)
    mgr.save(2, model=net, optimizer=opt, data_state={"at": 2})
    _damage(where, 2, name, how)
    with pytest.warns(CheckpointWarning, match=f"step 2 at .*step_2 is damaged: {problem}"):
        r = mgr.restore(model=net, optimizer=opt)
    assert r.step == 1 and r.data_state == {"at": 1}
    with pytest.raises(DamagedCheckpointError, match=problem):
        mgr.restore(2, model=net)
    _damage(where, 1, "rng_state.json", "delete")
    with (
        pytest.raises(DamagedCheckpointError, match="every step .* is damaged"),
        pytest.warns(CheckpointWarning),
    ):
        mgr.restore()


def test_failed_save_never_replaces_last_good(where, monkeypatch):
    net = _net()
    mgr = CheckpointManager(where, max_to_keep=1)
    mgr.save(1, model=net, data_state={"at": 1})

    class Boom(Scaler):
        def state_dict(self):
            return {"bad": object()}  # paddle.save refuses it, mid-way through the step

    with pytest.raises(TypeError, match=r"paddle.save: the object at <root>\['bad'\]"):
        mgr.save(2, model=net, scaler=Boom())
    assert mgr.all_steps() == [1] and mgr.restore().data_state == {"at": 1}
    if "://" not in where:
        assert sorted(os.listdir(where)) == ["step_1"]  # the temp dir is gone too


def test_async_save_snapshot_and_failure(where):
    net, opt, sched = _setup()
    mgr = CheckpointManager(where, async_save=True)
    mgr.save(1, model=net, optimizer=opt)
    ref = {k: v.numpy().copy() for k, v in net.state_dict().items()}
    _train(net, opt, sched, 2)  # changes the weights while the save may still run
    mgr.wait()
    fresh = _net()
    mgr.restore(model=fresh)
    for k, v in fresh.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), ref[k])

    class Boom(Scaler):
        def state_dict(self):
            return {"bad": object()}

    mgr.save(2, model=net, scaler=Boom())  # fails in the background
    with pytest.raises(CheckpointSaveError, match="background save of step 2 .* failed"):
        mgr.save(3, model=net)
    assert mgr.all_steps() == [1]
    mgr.save(3, model=net)  # the error was reported once; saving works again
    mgr.wait()
    assert mgr.all_steps() == [1, 3]
    mgr.save(4, model=net, scaler=Boom())
    with pytest.raises(CheckpointSaveError):
        mgr.wait()
    mgr.close()
    with pytest.raises(CheckpointError, match="closed"):
        mgr.save(5)


def test_resave_same_step_replaces_it(where):
    net = _net()
    mgr = CheckpointManager(where)
    mgr.save(1, model=net, data_state={"v": 1})
    mgr.save(1, model=net, data_state={"v": 2}, force=True)
    assert mgr.all_steps() == [1] and mgr.restore().data_state == {"v": 2}
