"""``paddle.Model`` in-process: errors, file behaviour, callbacks' decisions, summary/flops text
invariants, VisualDL. (Numbers and console lines are checked against real Paddle in
test_fit_oracle.py.)"""

from __future__ import annotations

import builtins
import os
import warnings

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish import nn
from paddlefish.hapi import Model, flops, summary
from paddlefish.hapi.callbacks import (
    Callback,
    EarlyStopping,
    LRScheduler,
    ModelCheckpoint,
    ProgBarLogger,
    ReduceLROnPlateau,
    VisualDL,
)
from paddlefish.hapi.progressbar import ProgressBar
from paddlefish.io import TensorDataset
from paddlefish.static import InputSpec


def _data(n=24, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(n, 4).astype("float32")
    y = (x[:, :1] > 0).astype("int64")
    return TensorDataset([paddle.to_tensor(x), paddle.to_tensor(y)])


def _model(lr=0.1, opt="sgd", metrics=True):
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    m = Model(net, InputSpec([None, 4], "float32", "x"), InputSpec([None, 1], "int64", "y"))
    cls = paddle.optimizer.SGD if opt == "sgd" else paddle.optimizer.Adam
    m.prepare(cls(learning_rate=lr, parameters=net.parameters()), nn.CrossEntropyLoss(),
              paddle.metric.Accuracy() if metrics else None)  # fmt: skip
    return m


def test_save_writes_pdopt_only_when_the_optimizer_has_state(tmp_path):
    sgd = _model(opt="sgd")
    sgd.save(str(tmp_path / "sgd"))
    assert sorted(os.listdir(tmp_path)) == ["sgd.pdparams"]  # plain SGD: no state, no .pdopt
    adam = _model(opt="adam")
    adam.fit(_data(), batch_size=8, epochs=1, verbose=0)
    adam.save(str(tmp_path / "sub" / "adam"))
    assert sorted(os.listdir(tmp_path / "sub")) == ["adam.pdopt", "adam.pdparams"]


def test_load_round_trip_and_mismatch_errors(tmp_path):
    a = _model(opt="adam")
    a.fit(_data(), batch_size=8, epochs=1, verbose=0)
    a.save(str(tmp_path / "m"))
    b = _model(opt="adam")
    b.load(str(tmp_path / "m.pdparams"))  # the postfix is stripped
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p.numpy(), q.numpy())
    other = Model(nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)))
    msg = r"2.weight receives a shape \[8, 2\], but the expected shape is \[8, 3\]"
    with pytest.raises(ValueError, match=msg):
        other.load(str(tmp_path / "m"))
    with pytest.warns(UserWarning) as record:
        other.load(str(tmp_path / "m"), skip_mismatch=True)
    assert [str(w.message).split(".")[0:2] for w in record] == [
        ["Skip loading for 2", "weight"], ["Skip loading for 2", "bias"]]
    np.testing.assert_array_equal(other.parameters()[0].numpy(), a.parameters()[0].numpy())
    with pytest.raises(AssertionError, match="does not exist"):
        b.load(str(tmp_path / "nothing"))
    with pytest.raises(AssertionError, match="unknown postfix '.v1'"):
        b.load(str(tmp_path / "m.v1"))


def test_save_for_inference_needs_inputs_or_a_run(tmp_path):
    m = Model(nn.Linear(4, 2))
    with pytest.raises(RuntimeError, match="needs 'inputs' or running before saving"):
        m.save(str(tmp_path / "inf"), training=False)
    m.prepare(loss=nn.CrossEntropyLoss())
    m.predict_batch([np.zeros((3, 4), "float32")])
    with pytest.warns(UserWarning, match=r"The input shape to be saved is \[\[3, 4\]\]"):
        m.save(str(tmp_path / "inf"), training=False)
    loaded = paddle.jit.load(str(tmp_path / "inf"))
    x = np.ones((3, 4), "float32")
    np.testing.assert_allclose(loaded(paddle.to_tensor(x)).numpy(), m.predict_batch([x])[0],
                               rtol=1e-6)  # fmt: skip


def test_prepare_and_spec_errors():
    m = Model(nn.Linear(4, 2))
    with pytest.raises(TypeError, match="'loss' must be sub classes"):
        m.prepare(loss="ce")
    with pytest.raises(AssertionError, match="str is not sub class of Metric"):
        m.prepare(metrics=["acc"])
    with pytest.raises(ValueError, match="level of amp_configs should be"):
        m.prepare(amp_configs="O3")
    with pytest.raises(ValueError, match="could not be recognized"):
        m.prepare(amp_configs={"level": "O1", "init_scale": 2.0})
    with pytest.raises(ValueError, match=r"Requires Input\[0\].name != None"):
        Model(nn.Linear(4, 2), InputSpec([None, 4], "float32"))
    with pytest.raises(AssertionError, match="call `model.prepare\\(\\)` first"):
        Model(nn.Linear(4, 2)).train_batch([np.zeros((1, 4), "float32")])
    assert [s.name for s in Model(nn.Linear(4, 2))._inputs] == ["input"]  # forward's argument


def test_early_stopping_stops_and_saves_best(tmp_path, capsys):
    m = _model(lr=0.0)  # nothing improves after the first evaluation
    stop = EarlyStopping(monitor="loss", patience=1, verbose=1)
    m.fit(_data(), _data(8, 1), batch_size=8, epochs=5, verbose=0, save_dir=str(tmp_path),
          callbacks=[stop])  # fmt: skip
    out = capsys.readouterr().out
    assert "Epoch 2: Early stopping." in out
    assert f"Best checkpoint has been saved at {tmp_path / 'best_model'}" in out
    assert (tmp_path / "best_model.pdparams").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name[0].isdigit()) == [
        "0.pdparams", "1.pdparams"]  # stopped after epoch 2 (0-based 1)
    assert (tmp_path / "final.pdparams").exists()
    with pytest.warns(UserWarning, match="EarlyStopping needs validation data"):
        _model().fit(_data(), batch_size=8, verbose=0, callbacks=[EarlyStopping()])


def test_reduce_lr_on_plateau_and_lr_scheduler_by_epoch(capsys):
    m = _model(lr=0.4)  # a float LR; min_delta=10 means no evaluation counts as improving
    cb = ReduceLROnPlateau(monitor="acc", patience=1, factor=0.5, min_delta=10.0)
    m.fit(_data(), _data(8, 1), batch_size=8, epochs=3, verbose=0, callbacks=[cb])
    assert "ReduceLROnPlateau reducing learning rate to 0.2." in capsys.readouterr().out
    assert m._optimizer.get_lr() == pytest.approx(0.1)
    with pytest.raises(ValueError, match="factor >= 1.0"):
        ReduceLROnPlateau(factor=1.0)
    with pytest.raises(ValueError, match="mutually exclusive"):
        LRScheduler(by_step=True, by_epoch=True)
    sched = paddle.optimizer.lr.StepDecay(0.1, step_size=1, gamma=0.5)
    net = nn.Linear(4, 2)
    m2 = Model(net)
    m2.prepare(paddle.optimizer.SGD(sched, parameters=net.parameters()), nn.CrossEntropyLoss())
    m2.fit(_data(), batch_size=8, epochs=2, verbose=0, callbacks=[LRScheduler(by_step=False,
                                                                             by_epoch=True)])
    assert sched.last_epoch == 2  # stepped once per epoch, not per batch (3 per epoch)


def test_callback_protocol_order_and_logs():
    seen = []

    class Spy(Callback):
        def __getattribute__(self, name):
            if name.startswith("on_"):
                return lambda *a: seen.append((name, a[0] if a and isinstance(a[0], int) else None))
            return super().__getattribute__(name)

    m = _model()
    m.fit(_data(16), _data(8, 1), batch_size=8, epochs=1, verbose=0, callbacks=[Spy()])
    names = [n for n, _ in seen]
    assert names == ["on_train_begin", "on_epoch_begin", "on_train_batch_begin",
                     "on_train_batch_end", "on_train_batch_begin", "on_train_batch_end",
                     "on_epoch_end", "on_eval_begin", "on_eval_batch_begin", "on_eval_batch_end",
                     "on_eval_end", "on_train_end"]  # fmt: skip
    res = m.evaluate(_data(8, 1), batch_size=4, verbose=0)
    assert set(res) == {"loss", "acc"} and isinstance(res["loss"], list)
    out = m.predict(_data(10, 2), batch_size=4, stack_outputs=True, verbose=0)
    assert len(out) == 1 and out[0].shape == (10, 2)


def test_num_iters_and_accumulate(tmp_path):
    m = _model()
    steps = []

    class Count(Callback):
        def on_train_batch_end(self, step, logs=None):
            steps.append(step)

    m.fit(_data(24), batch_size=8, epochs=5, num_iters=4, verbose=0, callbacks=[Count()])
    assert steps == [0, 1, 2, 0] and m.stop_training
    # accumulating 2 batches of 4 sums two mean-loss gradients: SGD with lr 0.1 then equals one
    # batch of 8 with lr 0.2
    a, b = _model(lr=0.2), _model(lr=0.1)
    b.network.set_state_dict(a.network.state_dict())
    a.fit(_data(8), batch_size=8, epochs=1, verbose=0, shuffle=False)
    b.fit(_data(8), batch_size=4, epochs=1, verbose=0, shuffle=False, accumulate_grad_batches=2)
    for p, q in zip(a.parameters(), b.parameters()):
        assert not np.allclose(p.numpy(), 0)
        np.testing.assert_allclose(p.numpy(), q.numpy(), rtol=1e-5, atol=1e-6)


def test_fit_checkpoint_argument_errors(tmp_path):
    m = _model()
    with pytest.raises(ValueError, match="needs save_dir="):
        m.fit(_data(), batch_size=8, verbose=0, resume=True)
    with pytest.raises(TypeError, match="takes a paddlefish.checkpoint.CheckpointManager"):
        m.fit(_data(), batch_size=8, verbose=0, checkpoint=str(tmp_path))
    m.fit(_data(), batch_size=8, verbose=0, save_dir=str(tmp_path), resume=True)
    assert (tmp_path / "checkpoints" / "step_3").is_dir()  # forced save at the epoch end
    from paddlefish.checkpoint import CheckpointManager

    with pytest.raises(ValueError, match="pass resume=True to continue it"):
        m.fit(_data(), batch_size=8, verbose=0,
              checkpoint=CheckpointManager(str(tmp_path / "checkpoints")))  # fmt: skip


def test_progress_bar_formats(capsys):
    bar = ProgressBar(num=20, verbose=2)
    bar.update(5, [("loss", [np.float32(0.5)]), ("acc", 0.0001), ("tag", "x")])
    line = capsys.readouterr().out
    assert line.startswith("step  5/20 - loss: 0.5000 - acc: 1.0000e-04 - tag: x - ")
    assert line.endswith("/step\n")
    bar = ProgressBar(num=4, verbose=1)
    bar.update(2, [("loss", [1.25])])
    bar.update(4, [("loss", [1.0])])
    out = capsys.readouterr().out
    assert "\rstep 2/4 [" in out and "=>" in out and "ETA:" in out
    assert out.endswith("\n") and out.rstrip().endswith("/step") and "step 4/4 [====" in out
    with pytest.raises(TypeError, match="num should be None or integer"):
        ProgressBar(num=0)
    ProgBarLogger(verbose=0)  # silent: constructing needs nothing


def test_summary_and_flops_text(capsys):
    with paddle.utils.unique_name.guard():
        net = nn.Sequential(nn.Conv2D(1, 2, 3), nn.BatchNorm2D(2), nn.ReLU(), nn.Flatten(),
                            nn.Linear(2 * 6 * 6, 3))  # fmt: skip
    info = summary(net, (None, 1, 8, 8))
    text = capsys.readouterr().out
    assert "Conv2D-1" in text and "BatchNorm2D-1" in text and "Linear-1" in text
    assert "[[1, 1, 8, 8]]" in text and "[1, 2, 6, 6]" in text
    n = 2 * 9 + 2 + 4 * 2 + 72 * 3 + 3
    assert info == {"total_params": n, "trainable_params": n - 4}  # BN mean/var not trainable
    assert "Non-trainable params: 4" in text
    total = flops(net, [1, 1, 8, 8], print_detail=True)
    text = capsys.readouterr().out
    conv = 2 * 6 * 6 * (1 * 9 + 1)
    assert total == conv + 2 * 72 + 72 * 3
    flatten = "<class 'paddle.nn.layer.common.Flatten'>"
    assert f"Cannot find suitable count function for {flatten}" in text
    assert "|   Layer Name   |" in text and "|    conv2d_0    |" in text
    assert not any(k in net.state_dict() for k in ("0.total_ops", "3.total_ops"))  # cleaned up
    with pytest.raises(ValueError, match="input_size and input cannot be None"):
        summary(net)


def test_visualdl_missing_says_how_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_visualdl(name, *a, **k):
        if name.split(".")[0] == "visualdl":
            raise ImportError("No module named 'visualdl'")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_visualdl)
    monkeypatch.delitem(__import__("sys").modules, "visualdl", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'paddlefish\[visualdl\]'"):
        VisualDL(log_dir="logs")


def test_visualdl_writes_real_logs(tmp_path):
    visualdl = pytest.importorskip("visualdl")
    m = _model()
    m.fit(_data(16), _data(8, 1), batch_size=8, epochs=2, verbose=0,
          callbacks=[VisualDL(str(tmp_path))])  # fmt: skip
    (log,) = os.listdir(tmp_path)
    reader = visualdl.LogReader(file_path=str(tmp_path / log))
    assert {"train/loss", "train/acc", "eval/loss", "eval/acc"} <= set(reader.get_tags()["scalar"])
    assert [r.id for r in reader.get_data("scalar", "train/loss")] == [1, 2, 3, 4]
    assert [r.id for r in reader.get_data("scalar", "eval/acc")] == [0, 1]
