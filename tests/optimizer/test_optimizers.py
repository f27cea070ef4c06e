"""Optimizer trajectories and state dicts against real Paddle (oracle), plus unit checks.

One oracle subprocess per Paddle version trains the same MLP from the same weights on the same
20 batches with every case of ``CASES``; paddlefish must reach the same parameters (rtol 1e-5)
and, after 3 steps, produce the same ``state_dict()`` keys, order, shapes and values.
"""

from __future__ import annotations

import inspect
import json
import pickle

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish._core import unique_name
from paddlefish.optimizer import regularizer as R
from tests.optimizer import _harness
from tests.oracle import run_paddle

STEPS = 20
CASES = {
    "sgd": "paddle.optimizer.SGD(0.1, parameters=params)",
    "sgd_l2": "paddle.optimizer.SGD(0.1, parameters=params, weight_decay=R.L2Decay(0.05))",
    "sgd_l1_clipvalue": "paddle.optimizer.SGD(0.1, parameters=params, "
    "weight_decay=R.L1Decay(0.01), grad_clip=paddle.nn.ClipGradByValue(0.05))",
    "momentum": "paddle.optimizer.Momentum(0.05, momentum=0.9, parameters=params)",
    "momentum_nesterov_l2": "paddle.optimizer.Momentum(0.05, momentum=0.9, parameters=params, "
    "use_nesterov=True, weight_decay=R.L2Decay(0.01))",
    "momentum_cosine": "paddle.optimizer.Momentum(paddle.optimizer.lr.CosineAnnealingDecay(0.1, "
    "T_max=10), momentum=0.8, parameters=params, weight_decay=0.02)",
    "adam": "paddle.optimizer.Adam(0.01, parameters=params)",
    "adam_clipnorm_l2": "paddle.optimizer.Adam(0.01, beta1=0.8, parameters=params, "
    "weight_decay=0.01, grad_clip=paddle.nn.ClipGradByNorm(0.1))",
    "adamw_step_globalclip": "paddle.optimizer.AdamW(paddle.optimizer.lr.StepDecay(0.02, "
    "step_size=5, gamma=0.5), parameters=params, weight_decay=0.05, "
    "grad_clip=paddle.nn.ClipGradByGlobalNorm(0.5))",
    "adamw_cosine_decayfun": "paddle.optimizer.AdamW(paddle.optimizer.lr.CosineAnnealingDecay("
    "0.01, T_max=8), parameters=params, weight_decay=0.1, "
    "apply_decay_param_fun=lambda n: n.endswith('w_0'))",
    "adamax": "paddle.optimizer.Adamax(0.02, parameters=params)",
    "adagrad": "paddle.optimizer.Adagrad(0.05, parameters=params, initial_accumulator_value=0.1)",
    "rmsprop": "paddle.optimizer.RMSProp(0.01, parameters=params)",
    "rmsprop_centered": "paddle.optimizer.RMSProp(0.01, rho=0.9, momentum=0.5, centered=True, "
    "parameters=params)",
    "adadelta": "paddle.optimizer.Adadelta(1.0, parameters=params)",
    "lamb": "paddle.optimizer.Lamb(0.01, lamb_weight_decay=0.05, parameters=params)",
    "lamb_exclude": "paddle.optimizer.Lamb(0.01, parameters=params, "
    "exclude_from_weight_decay_fn=lambda p: p.name.endswith('b_0'))",
    "sgd_groups": "paddle.optimizer.SGD(0.1, parameters=[{'params': l1.parameters()}, "
    "{'params': l2.parameters(), 'learning_rate': 0.5, 'weight_decay': 0.01}])",
    "adam_named": "paddle.optimizer.Adam(0.01, parameters=params, name='opt')",
}
CASES_33_ONLY = {
    "adam_amsgrad": "paddle.optimizer.Adam(0.01, parameters=params, amsgrad=True)",
}

ORACLE = """
import pickle, sys
import numpy as np
import paddle
{harness}
data = dict(np.load('data.npz'))
cases = pickle.load(open('cases.pkl', 'rb'))
out = {{}}
for name, expr in cases.items():
    out[name] = run_case(paddle, paddle.regularizer, paddle.utils.unique_name.guard, expr, data,
                         {steps})
pickle.dump(out, open('paddle_out.pkl', 'wb'))
"""


def _data() -> dict:
    rng = np.random.default_rng(7)
    f = np.float32
    return {
        "w1": (rng.standard_normal((8, 16)) * 0.3).astype(f),
        "b1": (rng.standard_normal(16) * 0.1).astype(f),
        "w2": (rng.standard_normal((16, 4)) * 0.3).astype(f),
        "b2": (rng.standard_normal(4) * 0.1).astype(f),
        "x": rng.standard_normal((STEPS, 6, 8)).astype(f),
        "y": rng.standard_normal((STEPS, 6, 4)).astype(f),
    }


def _ours(cases: dict, data: dict) -> dict:
    return {
        name: _harness.run_case(paddle, R, unique_name.guard, expr, data, STEPS)
        for name, expr in cases.items()
    }


def _oracle(version: str, cases: dict, data: dict, tmp_path) -> dict:
    np.savez(tmp_path / "data.npz", **data)
    with open(tmp_path / "cases.pkl", "wb") as f:
        pickle.dump(cases, f)
    code = ORACLE.format(harness=inspect.getsource(_harness), steps=STEPS)
    run_paddle(code, version=version, cwd=tmp_path)
    with open(tmp_path / "paddle_out.pkl", "rb") as f:
        return pickle.load(f)  # our own file, written by the oracle just now


def _compare(name: str, ours, theirs) -> None:
    (final_o, snap_o), (final_p, snap_p) = ours, theirs
    assert [s[0] for s in snap_o] == [s[0] for s in snap_p], f"{name}: state_dict keys/order"
    for (k, shape_o, v_o), (_, shape_p, v_p) in zip(snap_o, snap_p):
        assert shape_o == shape_p, f"{name}: {k} shape"
        if shape_o == "sched":
            assert v_o == pytest.approx(v_p, rel=1e-12), f"{name}: LR_Scheduler"
        else:
            assert v_o.dtype == v_p.dtype, f"{name}: {k} dtype"
            np.testing.assert_allclose(v_o, v_p, rtol=1e-5, atol=1e-7, err_msg=f"{name}: {k}")
    for k in final_p:
        np.testing.assert_allclose(
            final_o[k], final_p[k], rtol=1e-5, atol=1e-6, err_msg=f"{name}: final {k}"
        )


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["3.3", "2.6"])
def test_trajectories_match_paddle(version, tmp_path):
    cases = dict(CASES, **(CASES_33_ONLY if version == "3.3" else {}))
    data = _data()
    theirs = _oracle(version, cases, data, tmp_path)
    ours = _ours(cases, data)
    failures = []
    for name in cases:
        try:
            _compare(name, ours[name], theirs[name])
        except AssertionError as e:
            failures.append(f"{name}: {str(e)[:600]}")
    assert not failures, "\n".join(failures)


def test_state_dict_empty_before_first_step():
    lin = paddle.nn.Linear(2, 2)
    sched = paddle.optimizer.lr.StepDecay(0.1, step_size=1)
    opt = paddle.optimizer.Adam(sched, parameters=lin.parameters())
    assert list(opt.state_dict()) == ["LR_Scheduler"]
    assert json.dumps(opt.state_dict()["LR_Scheduler"])


def test_beta_pow_semantics_after_two_steps():
    lin = paddle.nn.Linear(2, 2)
    opt = paddle.optimizer.Adam(0.1, parameters=lin.parameters())
    for _ in range(2):
        lin(paddle.ones([1, 2])).sum().backward()
        opt.step()
    sd = opt.state_dict()
    b1 = [v for k, v in sd.items() if "beta1_pow_acc" in k]
    assert len(b1) == 2 and b1[0].shape == [1]
    np.testing.assert_allclose(b1[0].numpy(), [0.729], rtol=1e-6)


def test_set_lr_refused_with_scheduler_and_float_lr_required():
    lin = paddle.nn.Linear(2, 2)
    opt = paddle.optimizer.SGD(paddle.optimizer.lr.StepDecay(0.1, 1), parameters=lin.parameters())
    with pytest.raises(RuntimeError, match="LRScheduler"):
        opt.set_lr(0.5)
    with pytest.raises(TypeError, match="float or LRScheduler"):
        paddle.optimizer.SGD(1, parameters=lin.parameters())
    opt2 = paddle.optimizer.SGD(0.1, parameters=lin.parameters())
    opt2.set_lr(0.3)
    assert opt2.get_lr() == 0.3


def test_need_clip_false_is_not_clipped():
    lin = paddle.nn.Linear(2, 2)
    lin.bias.need_clip = False
    opt = paddle.optimizer.SGD(
        1.0, parameters=lin.parameters(), grad_clip=paddle.nn.ClipGradByValue(0.001)
    )
    before = lin.bias.numpy()
    (lin(paddle.ones([4, 2])) * 10).sum().backward()
    gb = lin.bias.grad.numpy()
    gw = lin.weight.grad.numpy()
    w_before = lin.weight.numpy()
    opt.step()
    np.testing.assert_allclose(lin.bias.numpy(), before - gb, rtol=1e-6)
    np.testing.assert_allclose(lin.weight.numpy(), w_before - np.clip(gw, -1e-3, 1e-3), rtol=1e-6)
