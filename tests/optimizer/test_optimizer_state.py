"""Optimizer.set_state_dict: name matching, position matching (beyond Paddle), error paths."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish._core import unique_name
from paddlefish.optimizer import OptimizerStateError


def _net(sizes=(4, 3, 2)):
    layers = [paddle.nn.Linear(a, b) for a, b in itertools.pairwise(sizes)]
    return layers, [p for lin in layers for p in lin.parameters()]


def _train(layers, opt, steps, seed):
    rng = np.random.default_rng(seed)
    for _ in range(steps):
        x = paddle.to_tensor(rng.standard_normal((5, 4)).astype("float32"))
        out = x
        for lin in layers:
            out = lin(out)
        (out * out).mean().backward()
        opt.step()
        opt.clear_grad()


def _as_loaded(sd):  # what paddle.load returns: ndarrays, scheduler dict as is
    return {k: v if k == "LR_Scheduler" else v.numpy() for k, v in sd.items()}


def _copy_params(src, dst):
    for a, b in zip(src, dst):
        b.set_value(a.numpy())


def test_resume_same_names_continues_exactly():
    with unique_name.guard():
        layers, params = _net()
        sched = paddle.optimizer.lr.StepDecay(0.05, step_size=2, gamma=0.5)
        opt = paddle.optimizer.Adam(sched, parameters=params)
        _train(layers, opt, 3, seed=0)
        saved, saved_params = _as_loaded(opt.state_dict()), [p.numpy() for p in params]
        _train(layers, opt, 2, seed=1)
        expected = [p.numpy() for p in params]
    with unique_name.guard():  # a fresh process: same names
        layers2, params2 = _net()
        for p, v in zip(params2, saved_params):
            p.set_value(v)
        sched2 = paddle.optimizer.lr.StepDecay(0.05, step_size=2, gamma=0.5)
        opt2 = paddle.optimizer.Adam(sched2, parameters=params2)
        opt2.set_state_dict(saved)
        assert sched2.last_epoch == 0 and opt2.state_dict() == saved  # kept until first step
        _train(layers2, opt2, 2, seed=1)
    for a, b in zip(expected, params2):
        np.testing.assert_array_equal(a, b.numpy())


def test_position_matching_when_names_differ_before_first_step():
    with unique_name.guard():
        layers, params = _net()
        opt = paddle.optimizer.Momentum(0.1, momentum=0.9, parameters=params)
        _train(layers, opt, 3, seed=0)
        saved = _as_loaded(opt.state_dict())
        _net()  # the loading process built another model first: names shift to linear_4...
        layers2, params2 = _net()
        assert params2[0].name == "linear_4.w_0"
        _copy_params(params, params2)
        opt2 = paddle.optimizer.Momentum(0.1, momentum=0.9, parameters=params2)
        opt2.set_state_dict(saved)
        with pytest.warns(UserWarning, match="linear_0.w_0_velocity_0 -> linear_4.w_0"):
            _train(layers2, opt2, 1, seed=1)
        _train(layers, opt, 1, seed=1)
    for a, b in zip(params, params2):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_position_matching_eager_when_accumulators_exist():
    with unique_name.guard():
        layers, params = _net()
        opt = paddle.optimizer.Adam(0.1, parameters=params)
        _train(layers, opt, 2, seed=0)
        saved = _as_loaded(opt.state_dict())
        layers2, params2 = _net()
        opt2 = paddle.optimizer.Adam(0.1, parameters=params2)
        _train(layers2, opt2, 1, seed=3)  # accumulators exist (linear_2..., _moment1_1)
        with pytest.warns(UserWarning, match="by parameter position"):
            opt2.set_state_dict(saved)
    got = list(opt2.state_dict().values())
    for (k, v), g in zip(saved.items(), got):
        np.testing.assert_array_equal(v, g.numpy(), err_msg=k)


def test_refuses_count_mismatch():
    with unique_name.guard():
        layers, params = _net()
        opt = paddle.optimizer.Adam(0.1, parameters=params)
        _train(layers, opt, 1, seed=0)
        saved = _as_loaded(opt.state_dict())
        layers2, params2 = _net()
        opt2 = paddle.optimizer.Adam(0.1, parameters=params2[:2])
        opt2.set_state_dict(saved)
        with pytest.raises(OptimizerStateError, match="4 accumulator.*2 trainable"):
            _train(layers2, opt2, 1, seed=0)


def test_refuses_shape_mismatch_by_position():
    with unique_name.guard():
        layers, params = _net()
        opt = paddle.optimizer.Momentum(0.1, parameters=params)
        _train(layers, opt, 1, seed=0)
        saved = _as_loaded(opt.state_dict())
        layers2, params2 = _net((4, 5, 2))
        opt2 = paddle.optimizer.Momentum(0.1, parameters=params2)
        opt2.set_state_dict(saved)
        with pytest.raises(OptimizerStateError, match=r"parameter #0 .* shape \[4, 5\]"):
            _train(layers2, opt2, 1, seed=0)


def test_refuses_shape_mismatch_by_name():
    with unique_name.guard():
        layers, params = _net()
        opt = paddle.optimizer.Momentum(0.1, parameters=params)
        _train(layers, opt, 1, seed=0)
        saved = _as_loaded(opt.state_dict())
        key = next(iter(saved))
        saved[key] = np.zeros([9], "float32")
        with pytest.raises(OptimizerStateError, match="Variable Shape not match"):
            opt.set_state_dict(saved)


def test_refuses_dtype_mismatch():
    with unique_name.guard():
        layers, params = _net()
        opt = paddle.optimizer.Momentum(0.1, parameters=params)
        _train(layers, opt, 1, seed=0)
        saved = {k: v.astype("float64") for k, v in _as_loaded(opt.state_dict()).items()}
        before = [v.numpy() for v in opt.state_dict().values()]
        with pytest.raises(OptimizerStateError, match="float64"):
            opt.set_state_dict(saved)
        after = [v.numpy() for v in opt.state_dict().values()]
        for a, b in zip(before, after):
            np.testing.assert_array_equal(a, b)  # nothing partially loaded


def test_missing_lr_scheduler_state_is_refused():
    _, params = _net()
    opt = paddle.optimizer.SGD(paddle.optimizer.lr.StepDecay(0.1, 1), parameters=params)
    with pytest.raises(AssertionError, match="LR_Scheduler state must be included"):
        opt.set_state_dict({})
    lam = paddle.optimizer.lr.LambdaDecay(0.1, lambda e: 0.9**e)
    paddle.optimizer.SGD(lam, parameters=params).set_state_dict({})  # LambdaDecay: allowed


def test_state_dict_order_grouped_by_kind():
    with unique_name.guard():
        layers, params = _net()
        opt = paddle.optimizer.RMSProp(0.1, parameters=params)
        _train(layers, opt, 1, seed=0)
    keys = list(opt.state_dict())
    kinds = [k.split("_0_", 1)[1].rsplit("_", 1)[0] for k in keys]
    assert kinds == ["momentum"] * 4 + ["mean_square"] * 4 + ["mean_grad"] * 4
    assert keys[:2] == ["linear_0.w_0_momentum_0", "linear_0.b_0_momentum_0"]
