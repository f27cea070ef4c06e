"""``paddle.amp``: an unmodified Paddle AMP script behaves on CPU exactly as in real Paddle 2.6
and 3.3 (no effect, the same warnings and errors, the same losses, Model.prepare(amp_configs)
training equal); the CUDA code path (autocast + Paddle's dynamic loss-scaling rule) is driven on
CPU by pretending the place is an accelerator."""

from __future__ import annotations

import json
import pathlib
import warnings

import numpy as np
import pytest
import torch

import paddlefish as paddle
from paddlefish.amp import _auto_cast
from tests.oracle import run_paddle
from tests.standin._run import run_fish

PROGRAM = str(pathlib.Path(__file__).resolve().parent / "programs" / "amp_train.py")


def _last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


@pytest.mark.oracle
@pytest.mark.parametrize("ver", ["2.6", "3.3"])
def test_amp_script_matches_real_paddle_on_cpu(ver, tmp_path):
    fish = _last_json(run_fish([PROGRAM], cwd=tmp_path).stdout)
    code = f"import runpy; runpy.run_path({PROGRAM!r}, run_name='__main__')\n"
    ref = _last_json(run_paddle(code, ver, cwd=tmp_path))
    np.testing.assert_allclose(fish.pop("losses"), ref.pop("losses"), rtol=1e-5)
    np.testing.assert_allclose(fish.pop("fit_losses"), ref.pop("fit_losses"), rtol=1e-5)
    np.testing.assert_allclose(fish.pop("weight"), ref.pop("weight"), rtol=1e-5)
    if ver == "3.3":  # the op tables are Paddle 2.6's (3.3 added fused ops to them)
        assert set(fish["white_bf16_O1"]) <= set(ref["white_bf16_O1"])
        fish.pop("white_bf16_O1"), ref.pop("white_bf16_O1")
    assert fish == ref


@pytest.fixture
def accelerator(monkeypatch):
    """Make paddlefish's AMP treat the CPU like an accelerator place (the CUDA code path)."""
    monkeypatch.setattr(_auto_cast, "_amp_device", lambda: torch.device("cpu"))
    monkeypatch.setattr(_auto_cast, "_last_dtype", ["float32"])


def _scaler(**kw):
    return paddle.amp.GradScaler(**kw)


def test_autocast_path_runs_listed_ops_in_half_precision(accelerator):
    layer = paddle.nn.Linear(4, 3)
    x = paddle.ones([2, 4])
    with paddle.amp.auto_cast(dtype="bfloat16"):
        assert paddle.amp.is_autocast_enabled()
        assert paddle.amp.get_autocast_dtype() == paddle.bfloat16
        y = layer(x)
    assert y.dtype == paddle.bfloat16
    assert not paddle.amp.is_autocast_enabled()
    with paddle.amp.auto_cast(level="O0", dtype="bfloat16"):
        assert layer(x).dtype == paddle.float32
    with (
        pytest.raises(ValueError, match="overlap"),
        paddle.amp.auto_cast(custom_white_list={"matmul"}, custom_black_list=["matmul"]),
    ):
        pass


def _step(net, opt, scaler, x, poison=False):
    with paddle.amp.auto_cast():
        loss = net(x).mean()
    scaled = scaler.scale(loss)
    scaled.backward()
    if poison:
        net.weight.grad = paddle.full(net.weight.shape, float("inf"))
    scaler.step(opt)
    scaler.update()
    opt.clear_grad()
    return loss


def test_scaler_follows_paddles_dynamic_rule(accelerator, capsys):
    net = paddle.nn.Linear(3, 1)
    opt = paddle.optimizer.SGD(0.5, parameters=net.parameters())
    s = _scaler(init_loss_scaling=8.0, incr_every_n_steps=2, decr_every_n_nan_or_inf=1)
    assert s.is_enable() and s.is_use_dynamic_loss_scaling()
    x = paddle.ones([2, 3])
    w0 = net.weight.numpy().copy()
    # a good step: gradients are unscaled before the update (SGD step == plain float32 step)
    with paddle.amp.auto_cast():
        loss = net(x).mean()
    scaled = s.scale(loss)
    np.testing.assert_allclose(float(scaled), float(loss) * 8.0, rtol=1e-6)
    scaled.backward()
    s.unscale_(opt)
    np.testing.assert_allclose(net.weight.grad.numpy(), np.full((3, 1), 1.0), rtol=1e-6)
    with pytest.raises(RuntimeError, match="already been called on this optimizer"):
        s.unscale_(opt)
    s.step(opt)
    with pytest.raises(RuntimeError, match="step\\(\\) has already been called"):
        s.step(opt)
    s.update()
    opt.clear_grad()
    np.testing.assert_allclose(net.weight.numpy(), w0 - 0.5, rtol=1e-6)
    assert s.state_dict()["incr_count"] == 1
    _step(net, opt, s, x)  # second good step in a row: scale doubles
    assert float(s.state_dict()["scale"][0]) == 16.0 and s.state_dict()["incr_count"] == 0
    # an inf gradient: the update is skipped and the scale halves, with Paddle's message
    w1 = net.weight.numpy().copy()
    _step(net, opt, s, x, poison=True)
    np.testing.assert_array_equal(net.weight.numpy(), w1)
    assert float(s.state_dict()["scale"][0]) == 8.0
    assert (
        "Found inf or nan, current scale is: 16.0, decrease to: 16.0*0.5" in capsys.readouterr().out
    )
    # state round trip into a fresh scaler
    t = _scaler()
    t.load_state_dict(s.state_dict())
    assert {k: v for k, v in t.state_dict().items() if k != "scale"} == {
        k: v for k, v in s.state_dict().items() if k != "scale"
    }
    assert float(t.state_dict()["scale"][0]) == 8.0
    with pytest.raises(RuntimeError, match="saved from a disabled instance"):
        t.load_state_dict({})


def test_minimize_skips_on_inf_and_bfloat16_turns_dynamic_scaling_off(accelerator):
    net = paddle.nn.Linear(3, 1)
    opt = paddle.optimizer.SGD(0.5, parameters=net.parameters())
    s = _scaler(init_loss_scaling=4.0)
    with paddle.amp.auto_cast():
        loss = net(paddle.ones([1, 3])).sum()
    scaled = s.scale(loss)
    scaled.backward()
    net.weight.grad = paddle.full(net.weight.shape, float("nan"))
    w = net.weight.numpy().copy()
    assert s.minimize(opt, scaled) == (None, None)
    np.testing.assert_array_equal(net.weight.numpy(), w)
    assert float(s.state_dict()["scale"][0]) == 2.0
    b = _scaler()
    with paddle.amp.auto_cast(dtype="bfloat16"):
        loss = net(paddle.ones([1, 3])).sum()
    with pytest.warns(
        UserWarning, match="not recommended to use dynamic loss scaling for bfloat16"
    ):
        out = b.scale(loss)
    assert out is loss and not b.is_enable()


def test_cpu_is_a_no_op_with_paddles_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = paddle.amp.GradScaler()
    assert "so it makes no effect" in str(caught[0].message)
    assert not s.is_enable() and s.state_dict() == {} and s.get_init_loss_scaling() == 1.0
    net = paddle.nn.Linear(2, 2)
    assert paddle.amp.decorate(net, level="O2") is net
    assert paddle.amp.white_list()["float16"]["O1"] >= {"conv2d", "matmul_v2"}
    assert "softmax" in paddle.amp.black_list()["float16"]["O1"]
