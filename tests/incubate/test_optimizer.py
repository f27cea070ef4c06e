"""``paddle.incubate.LookAhead`` / ``ModelAverage`` vs real Paddle 2.6.

One scenario (source below) runs here with paddlefish and in ONE Paddle 2.6 subprocess: trained
parameters, ``state_dict`` keys (in order) and values, ``apply()`` / ``restore()`` values are
compared at rtol 1e-5. Each side also saves its ``.pdopt`` files and loads the other side's:
Paddle reads paddlefish's files, paddlefish reads Paddle's, and an average applied from the
loaded state equals the one applied from the trained state.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.oracle import run_paddle

from ._shared import run_fish

pytestmark = pytest.mark.oracle

SCENARIO = r'''
import json, os
import numpy as np


def _net(paddle, seed):
    rng = np.random.RandomState(seed)
    net = paddle.nn.Linear(3, 2)
    net.weight.set_value(rng.uniform(-1, 1, [3, 2]).astype("float32"))
    net.bias.set_value(rng.uniform(-1, 1, [2]).astype("float32"))
    return net


def _data(step):
    rng = np.random.RandomState(100 + step)
    return rng.rand(4, 3).astype("float32")


def _sd(sd):
    return {k: np.asarray(v.numpy()) for k, v in sd.items()}


def _train(paddle, net, opt, steps, extra=None):
    for i in range(steps):
        loss = (net(paddle.to_tensor(_data(i))) ** 2).mean()
        loss.backward()
        opt.step()
        if extra is not None:
            extra.step()
        opt.clear_grad()


def _params(net):
    return [np.asarray(p.numpy()) for p in net.parameters()]


def train(paddle, np, d):
    out, keys = {}, {}
    with paddle.utils.unique_name.guard():
        # LookAhead over Adam: slow weights every k=3 steps, 7 steps
        net = _net(paddle, 0)
        inner = paddle.optimizer.Adam(learning_rate=0.1, parameters=net.parameters())
        la = paddle.incubate.LookAhead(inner, alpha=0.3, k=3)
        _train(paddle, net, la, 7)
        out["la_params"] = _params(net)
        sd = la.state_dict()
        keys["la"] = list(sd)
        out["la_state"] = [v for v in _sd(sd).values()]
        paddle.save(sd, os.path.join(d, "la.pdopt"))
        # LookAhead.minimize with SGD and alpha=1 corner (k=2)
        net = _net(paddle, 1)
        la = paddle.incubate.optimizer.LookAhead(
            paddle.optimizer.SGD(learning_rate=0.5, parameters=net.parameters()), alpha=0.8, k=2)
        for i in range(5):
            loss = (net(paddle.to_tensor(_data(i))) ** 2).mean()
            loss.backward()
            la.minimize(loss)
            la.clear_grad()
        out["la_min_params"] = _params(net)
    for tag, (rate, lo, hi, steps) in {"a": (0.15, 2, 4, 9), "b": (0.5, 3, 20, 13)}.items():
        with paddle.utils.unique_name.guard():
            net = _net(paddle, 2)
            sgd = paddle.optimizer.Momentum(learning_rate=0.2, parameters=net.parameters())
            ma = paddle.incubate.ModelAverage(rate, parameters=net.parameters(),
                                              min_average_window=lo, max_average_window=hi)
            _train(paddle, net, sgd, steps, extra=ma)
            out[f"ma_{tag}_trained"] = _params(net)
            sd = ma.state_dict()
            keys[f"ma_{tag}"] = list(sd)
            out[f"ma_{tag}_state"] = [v for v in _sd(sd).values()]
            paddle.save(sd, os.path.join(d, f"ma_{tag}.pdopt"))
            with ma.apply():
                out[f"ma_{tag}_applied"] = _params(net)
            out[f"ma_{tag}_after"] = _params(net)
            with ma.apply(need_restore=False):
                pass
            out[f"ma_{tag}_kept"] = _params(net)
            ma.restore()
            out[f"ma_{tag}_restored"] = _params(net)
    with paddle.utils.unique_name.guard():
        # past 16384 updates: sum_1 moves into sum_2 (NOTE [average_accumulates])
        net = paddle.nn.Linear(1, 1)
        net(paddle.ones([1, 1])).sum().backward()
        ma = paddle.incubate.ModelAverage(0.9, parameters=net.parameters(),
                                          min_average_window=20000, max_average_window=30000)
        for i in range(16390):
            net.weight.set_value(np.array([[0.5 + (i % 7) * 0.25]], "float32"))
            ma.step()
        out["ma_long_state"] = [v for v in _sd(ma.state_dict()).values()]
        with ma.apply():
            out["ma_long_applied"] = _params(net)
    return out, keys


def cross(paddle, np, src):
    """Load the other side's .pdopt files: values as saved, and an average applied from them."""
    out = {}
    loaded = paddle.load(os.path.join(src, "la.pdopt"))
    out["la_keys"] = list(loaded)
    out["la_values"] = [np.asarray(v.numpy() if hasattr(v, "numpy") else v) for v in loaded.values()]
    with paddle.utils.unique_name.guard():
        net = _net(paddle, 2)
        sgd = paddle.optimizer.Momentum(learning_rate=0.2, parameters=net.parameters())
        # another window, so the accumulators hold other sums until the file is loaded
        ma = paddle.incubate.ModelAverage(0.5, parameters=net.parameters(),
                                          min_average_window=1, max_average_window=2)
        _train(paddle, net, sgd, 9, extra=ma)
        ma.set_state_dict(paddle.load(os.path.join(src, "ma_a.pdopt")))
        with ma.apply():
            out["ma_applied"] = _params(net)
    return out
'''


def _flat(obj, prefix=""):
    """{name: array} from nested dict/list results."""
    if isinstance(obj, dict):
        items = obj.items()
    elif isinstance(obj, list) and obj and not np.isscalar(obj[0]) and not isinstance(obj[0], str):
        items = ((str(i), v) for i, v in enumerate(obj))
    else:
        return {prefix: np.asarray(obj)}
    out = {}
    for k, v in items:
        out.update(_flat(v, f"{prefix}/{k}" if prefix else str(k)))
    return out


def _fish(fn, *args):
    return run_fish(SCENARIO, *args, entry=fn)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    root = tmp_path_factory.mktemp("incubate_opt")
    fish_dir, paddle_dir = root / "fish", root / "paddle"
    fish_dir.mkdir()
    paddle_dir.mkdir()
    fish_out, fish_keys = _fish("train", str(fish_dir))
    code = (
        SCENARIO
        + f"""
import paddle
out, keys = train(paddle, np, {str(paddle_dir)!r})
crossed = cross(paddle, np, {str(fish_dir)!r})
import pickle
pickle.dump((out, keys, crossed), open("paddle.pkl", "wb"))
"""
    )
    run_paddle(code, "2.6", cwd=root)
    import pickle

    ref_out, ref_keys, paddle_crossed = pickle.loads((root / "paddle.pkl").read_bytes())
    fish_crossed = _fish("cross", str(paddle_dir))
    return {
        "fish": (fish_out, fish_keys, fish_crossed),
        "paddle": (ref_out, ref_keys, paddle_crossed),
    }


def _close(a, b):
    fa, fb = _flat(a), _flat(b)
    assert fa.keys() == fb.keys()
    for k in fa:
        assert fa[k].dtype == fb[k].dtype, k
        np.testing.assert_allclose(fa[k], fb[k], rtol=1e-5, atol=1e-7, err_msg=k)


def test_state_dict_keys_as_paddle(results):
    assert results["fish"][1] == results["paddle"][1]
    assert results["paddle"][1]["la"] == ["linear_0.w_0_slow_0", "linear_0.b_0_slow_0"]


@pytest.mark.parametrize("what", ["la_params", "la_state", "la_min_params"])
def test_lookahead_matches_paddle(results, what):
    _close(results["fish"][0][what], results["paddle"][0][what])


@pytest.mark.parametrize("tag", ["a", "b"])
@pytest.mark.parametrize("what", ["trained", "state", "applied", "after", "kept", "restored"])
def test_model_average_matches_paddle(results, tag, what):
    key = f"ma_{tag}_{what}"
    _close(results["fish"][0][key], results["paddle"][0][key])


@pytest.mark.parametrize("what", ["ma_long_state", "ma_long_applied"])
def test_model_average_past_16384_updates(results, what):
    _close(results["fish"][0][what], results["paddle"][0][what])


def test_apply_changes_and_restore_undoes(results):
    out = results["fish"][0]
    for tag in "ab":
        assert not np.allclose(out[f"ma_{tag}_applied"][0], out[f"ma_{tag}_trained"][0])
        _close(out[f"ma_{tag}_after"], out[f"ma_{tag}_trained"])
        _close(out[f"ma_{tag}_kept"], out[f"ma_{tag}_applied"])


def test_pdopt_files_cross_both_ways(results):
    fish_out, fish_keys, fish_crossed = results["fish"]
    ref_out, ref_keys, paddle_crossed = results["paddle"]
    # Paddle read paddlefish's files; paddlefish read Paddle's
    assert paddle_crossed["la_keys"] == fish_keys["la"]
    assert fish_crossed["la_keys"] == ref_keys["la"]
    _close(paddle_crossed["la_values"], fish_out["la_state"])
    _close(fish_crossed["la_values"], ref_out["la_state"])
    _close(paddle_crossed["ma_applied"], fish_out["ma_a_applied"])
    _close(fish_crossed["ma_applied"], ref_out["ma_a_applied"])


def test_bare_apply_call_does_nothing_as_in_paddle():
    import paddlefish as paddle

    net = paddle.nn.Linear(2, 1)
    ma = paddle.incubate.ModelAverage(0.5, parameters=net.parameters(), min_average_window=1)
    before = net.weight.numpy().copy()
    ma.apply()  # a context manager: without `with` nothing runs (Paddle's behaviour)
    np.testing.assert_array_equal(net.weight.numpy(), before)


def test_lookahead_argument_checks():
    import paddlefish as paddle

    net = paddle.nn.Linear(2, 1)
    sgd = paddle.optimizer.SGD(parameters=net.parameters())
    with pytest.raises(AssertionError, match="alpha"):
        paddle.incubate.LookAhead(sgd, alpha=1.5)
    with pytest.raises(AssertionError, match="positive integer"):
        paddle.incubate.LookAhead(sgd, k=0)
    with pytest.raises(AssertionError, match="inner optimizer"):
        paddle.incubate.LookAhead(None)


@pytest.mark.parametrize("make", ["LookAhead", "ModelAverage"])
def test_static_mode_is_refused_clearly(make):
    import paddlefish as paddle

    net = paddle.nn.Linear(2, 1)
    paddle.enable_static()
    try:
        with pytest.raises(NotImplementedError, match="disable_static"):
            if make == "LookAhead":
                paddle.incubate.LookAhead(paddle.optimizer.SGD(parameters=net.parameters()))
            else:
                paddle.incubate.ModelAverage(0.1, parameters=net.parameters())
    finally:
        paddle.disable_static()
