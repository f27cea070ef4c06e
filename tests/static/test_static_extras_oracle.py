"""paddle.static extras against real Paddle 2.6: ``append_backward`` / ``gradients`` values, LR
schedulers stepped between ``Executor.run`` calls. ``SOURCE`` runs unchanged on both sides; one
Paddle subprocess (module-scoped) for every test."""

from __future__ import annotations

import json

import numpy as np
import pytest

import paddlefish as paddle
from tests.oracle import run_paddle

pytestmark = pytest.mark.oracle

SOURCE = '''
import numpy as np


def net(x):
    h = paddle.static.nn.fc(x, 8, activation="tanh")
    h2 = paddle.nn.functional.relu(h * 1.5 - 0.1)
    return h, h2, paddle.static.nn.fc(h2, 3)


def set_params(main):
    scope = paddle.static.global_scope()
    rng = np.random.RandomState(7)
    for v in sorted(main.all_parameters(), key=lambda v: v.name):
        t = scope.find_var(v.name).get_tensor()
        t.set((rng.rand(*np.array(t).shape) - 0.5).astype("float32"), paddle.CPUPlace())


FEED = {"x": np.random.RandomState(1).rand(5, 4).astype("float32"),
        "y": np.random.RandomState(2).randint(0, 3, (5, 1)).astype("int64"),
        "tg": np.random.RandomState(3).rand(5, 8).astype("float32")}


def grads(mode):
    """{name: value} of the gradients ``mode`` asks for."""
    main, startup = paddle.static.Program(), paddle.static.Program()
    with paddle.utils.unique_name.guard():
        with paddle.static.program_guard(main, startup):
            x = paddle.static.data("x", [None, 4], "float32")
            x.stop_gradient = False
            y = paddle.static.data("y", [None, 1], "int64")
            tg = paddle.static.data("tg", [None, 8], "float32")
            h, h2, out = net(x)
            loss = paddle.mean(paddle.nn.functional.cross_entropy(out, y))
            if mode == "append_backward":
                pairs = paddle.static.append_backward(loss)
                names = [p.name + "@GRAD" for p, g in pairs]
                fetch = [g for p, g in pairs]
            elif mode == "inputs":
                fetch = paddle.static.gradients([loss], [x, h])
                names = ["x@GRAD", "h@GRAD"]
            else:  # seeded: d(sum(h2 * tg)) / d(x, h)
                fetch = paddle.static.gradients([h2], [x, h], target_gradients=[tg])
                names = ["x@GRAD", "h@GRAD"]
    exe = paddle.static.Executor(paddle.CPUPlace())
    with paddle.static.scope_guard(paddle.static.Scope()):
        exe.run(startup)
        set_params(main)
        vals = exe.run(main, feed=FEED, fetch_list=fetch + [loss])
    return dict(zip(names + ["loss"], vals))


def schedule(kind):
    """Losses and final parameters of 6 steps with an LR scheduler stepped between runs."""
    main, startup = paddle.static.Program(), paddle.static.Program()
    with paddle.utils.unique_name.guard():
        with paddle.static.program_guard(main, startup):
            x = paddle.static.data("x", [None, 4], "float32")
            y = paddle.static.data("y", [None, 1], "int64")
            h, h2, out = net(x)
            loss = paddle.mean(paddle.nn.functional.cross_entropy(out, y))
            if kind == "piecewise_adam":
                sched = paddle.optimizer.lr.PiecewiseDecay([2, 4], [0.1, 0.03, 0.01])
                opt = paddle.optimizer.Adam(learning_rate=sched)
            else:
                sched = paddle.optimizer.lr.ExponentialDecay(0.5, gamma=0.7)
                opt = paddle.optimizer.SGD(learning_rate=sched)
            opt.minimize(loss)
    exe = paddle.static.Executor(paddle.CPUPlace())
    losses = []
    with paddle.static.scope_guard(paddle.static.Scope()):
        exe.run(startup)
        set_params(main)
        for _ in range(6):
            feed = {"x": FEED["x"], "y": FEED["y"]}
            losses.append(float(exe.run(main, feed=feed, fetch_list=[loss])[0]))
            sched.step()
        scope = paddle.static.global_scope()
        params = {v.name: np.array(scope.find_var(v.name).get_tensor())
                  for v in main.all_parameters()}
    return losses, params
'''

NS: dict = {"paddle": paddle}
exec(SOURCE, NS)  # noqa: S102 - our own test source, shared with the oracle script

MODES = ("append_backward", "inputs", "seeded")
SCHEDULES = ("piecewise_adam", "exponential_sgd")

ORACLE = "import json, numpy as np, paddle\npaddle.enable_static()\n" + SOURCE + '''
res = {}
for mode in ("append_backward", "inputs", "seeded"):
    np.savez(mode + ".npz", **grads(mode))
for kind in ("piecewise_adam", "exponential_sgd"):
    losses, params = schedule(kind)
    res[kind] = losses
    np.savez(kind + ".npz", **params)
print(json.dumps(res))
'''


@pytest.fixture(scope="module")
def oracle(tmp_path_factory):
    d = tmp_path_factory.mktemp("static_extras26")
    res = json.loads(run_paddle(ORACLE, "2.6", cwd=d).strip().splitlines()[-1])
    return d, res


@pytest.fixture
def static():
    paddle.enable_static()
    try:
        yield
    finally:
        paddle.disable_static()


@pytest.mark.parametrize("mode", MODES)
def test_gradients_equal_paddle_26(oracle, static, mode):
    d, _ = oracle
    ref = dict(np.load(d / f"{mode}.npz"))
    got = NS["grads"](mode)
    assert sorted(got) == sorted(ref)
    for k in ref:
        np.testing.assert_allclose(got[k], ref[k], rtol=1e-5, atol=1e-7, err_msg=f"{mode}: {k}")


@pytest.mark.parametrize("kind", SCHEDULES)
def test_lr_scheduler_steps_between_runs_like_paddle_26(oracle, static, kind):
    d, res = oracle
    losses, params = NS["schedule"](kind)
    np.testing.assert_allclose(losses, res[kind], rtol=1e-5)
    ref = dict(np.load(d / f"{kind}.npz"))
    assert sorted(params) == sorted(ref)
    for k in ref:
        np.testing.assert_allclose(params[k], ref[k], rtol=1e-5, atol=1e-6, err_msg=f"{kind}: {k}")
