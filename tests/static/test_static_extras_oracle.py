"""paddle.static extras against real Paddle 2.6: ``append_backward`` / ``gradients`` values, LR
schedulers stepped between ``Executor.run`` calls, ``Print``, ``py_func`` (forward values, and
training through a ``backward_func``), ``ExponentialMovingAverage`` (fixed and scheduled
decay). ``SOURCE`` runs unchanged on both sides; one Paddle subprocess (module-scoped) for every
test."""

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
    """Losses (and |fc_1.w_0@GRAD| sums) and final parameters of 6 steps with an LR scheduler
    stepped between runs."""
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
            lv, g = exe.run(main, feed=feed, fetch_list=[loss, "fc_1.w_0@GRAD"])
            losses.append(float(lv))
            losses.append(float(np.abs(g).sum()))  # the step's gradient, fetched by name
            sched.step()
        scope = paddle.static.global_scope()
        params = {v.name: np.array(scope.find_var(v.name).get_tensor())
                  for v in main.all_parameters()}
    return losses, params


def ema_run(thres=False):
    """4 Adam steps with an EMA (decay 0.8; or 0.3 scheduled by a step variable, fed as the
    global step counter holds it, so both branches of min(decay, (t+1)/(t+10)) run):
    parameters inside ema.apply, the test program's output there, and the parameters after the
    restore."""
    main, startup = paddle.static.Program(), paddle.static.Program()
    with paddle.utils.unique_name.guard():
        with paddle.static.program_guard(main, startup):
            x = paddle.static.data("x", [None, 4], "float32")
            y = paddle.static.data("y", [None, 1], "int64")
            h, h2, out = net(x)
            loss = paddle.mean(paddle.nn.functional.cross_entropy(out, y))
            test = main.clone(for_test=True)
            paddle.optimizer.Adam(0.05).minimize(loss)
            if thres:
                step = paddle.static.data("step", [1], "int64")
                ema = paddle.static.ExponentialMovingAverage(0.3, thres_steps=step)
            else:
                ema = paddle.static.ExponentialMovingAverage(0.8)
            ema.update()
    exe = paddle.static.Executor(paddle.CPUPlace())
    with paddle.static.scope_guard(paddle.static.Scope()):
        exe.run(startup)
        set_params(main)
        for i in range(4):
            feed = {"x": FEED["x"], "y": FEED["y"]}
            if thres:
                feed["step"] = np.array([i + 1], "int64")
            exe.run(main, feed=feed, fetch_list=[loss])
        scope = paddle.static.global_scope()
        get = lambda: {v.name: np.array(scope.find_var(v.name).get_tensor())
                       for v in main.all_parameters()}
        trained = get()
        decay = np.array(scope.find_var("scheduled_ema_decay_rate").get_tensor())
        with ema.apply(exe):
            applied = get()
            test_out = exe.run(test, feed={"x": FEED["x"], "y": FEED["y"]}, fetch_list=[out])[0]
        restored = get()
    for k in trained:
        assert np.array_equal(trained[k], restored[k]), k
    applied["test_out"] = test_out
    applied["decay"] = decay
    return applied


def printing():
    """Two runs of a program with two Print ops; returns the fetched values."""
    main, startup = paddle.static.Program(), paddle.static.Program()
    with paddle.static.program_guard(main, startup):
        x = paddle.static.data("x", [None, 4], "float32")
        y = paddle.static.data("y", [None, 1], "int64")
        px = paddle.static.Print(x, message="the x", summarize=6)
        py = paddle.static.Print(y, first_n=1, print_tensor_type=False, print_tensor_lod=False)
        out = px * 2.0 + paddle.cast(py, "float32")
    exe = paddle.static.Executor(paddle.CPUPlace())
    exe.run(startup)
    feed = {"x": FEED["x"] * 3 - 1, "y": FEED["y"]}
    return [exe.run(main, feed=feed, fetch_list=[out])[0] for _ in range(2)]


def pyfunc():
    """A py_func between two ops; the forward function sees the values Paddle passes."""
    main, startup = paddle.static.Program(), paddle.static.Program()
    with paddle.static.program_guard(main, startup):
        x = paddle.static.data("x", [None, 4], "float32")
        h = x * 2.0
        o = main.current_block().create_var(name="o", dtype="float32", shape=[-1, 4])
        paddle.static.py_func(lambda a: np.tanh(np.array(a)) + 1, h, o)
        out = o * 3.0
    exe = paddle.static.Executor(paddle.CPUPlace())
    exe.run(startup)
    return exe.run(main, feed={"x": FEED["x"]}, fetch_list=[out, "o"])


def _pf_backward(a, b, dout):
    """Not the true derivative (the 1.5): only a call of this function trains like this."""
    a, b, dout = np.array(a), np.array(b), np.array(dout)
    t = np.tanh(a)
    return dout * (1 - t * t) * b * 1.5, dout * t


def pyfunc_two_outputs():
    """gradients() through a two-output py_func whose second output the target ignores:
    the gradient, and what backward_func was given (shapes and |sums|)."""
    seen = []

    def bwd(a, o1, o2, d1, d2):
        seen.extend([float(np.abs(np.array(v)).sum()) for v in (a, o1, o2, d1, d2)])
        return np.array(d1) * np.array(o2)

    main, startup = paddle.static.Program(), paddle.static.Program()
    with paddle.static.program_guard(main, startup):
        x = paddle.static.data("x", [None, 4], "float32")
        x.stop_gradient = False
        o1 = main.current_block().create_var(name="o1", dtype="float32", shape=[-1, 4])
        o2 = main.current_block().create_var(name="o2", dtype="float32", shape=[-1, 4])
        paddle.static.py_func(lambda a: (np.array(a) * 2, np.array(a) + 1), x, [o1, o2],
                              backward_func=bwd)
        g = paddle.static.gradients([paddle.sum(o1 * o1)], [x])
    exe = paddle.static.Executor(paddle.CPUPlace())
    exe.run(startup)
    return exe.run(main, feed={"x": FEED["x"]}, fetch_list=g)[0], seen


def pyfunc_train():
    """3 SGD steps where fc_0 and fc_1 get their gradients only through a py_func's
    backward_func (its output skipped from the backward inputs): losses and parameters."""
    main, startup = paddle.static.Program(), paddle.static.Program()
    with paddle.utils.unique_name.guard():
        with paddle.static.program_guard(main, startup):
            x = paddle.static.data("x", [None, 4], "float32")
            y = paddle.static.data("y", [None, 1], "int64")
            a = paddle.static.nn.fc(x, 8)
            b = paddle.nn.functional.sigmoid(paddle.static.nn.fc(x, 8))
            o = main.current_block().create_var(name="pf_out", dtype="float32", shape=[-1, 8])
            paddle.static.py_func(lambda a, b: np.tanh(np.array(a)) * np.array(b), [a, b], o,
                                  backward_func=_pf_backward, skip_vars_in_backward_input=[o])
            out = paddle.static.nn.fc(o, 3)
            loss = paddle.mean(paddle.nn.functional.cross_entropy(out, y))
            paddle.optimizer.SGD(0.5).minimize(loss)
    exe = paddle.static.Executor(paddle.CPUPlace())
    with paddle.static.scope_guard(paddle.static.Scope()):
        exe.run(startup)
        set_params(main)
        feed = {"x": FEED["x"], "y": FEED["y"]}
        losses = [float(exe.run(main, feed=feed, fetch_list=[loss])[0]) for _ in range(3)]
        scope = paddle.static.global_scope()
        params = {v.name: np.array(scope.find_var(v.name).get_tensor())
                  for v in main.all_parameters()}
    return losses, params
'''

# NOTE [EMA thres_steps oracle]: real Paddle 2.6 (and 3.3) cannot build
# ExponentialMovingAverage(thres_steps=<Variable>): its _get_ema_decay passes cond() a numpy array
# as the false branch and cond raises TypeError (the oracle checks it still does). The oracle for
# the schedule is Paddle 2.6's EMA with that one line fixed (the false branch a float32 Variable);
# the update ops, the step counter and the apply/restore programs are Paddle's own.
NS: dict = {"paddle": paddle}
exec(SOURCE, NS)  # noqa: S102 - our own test source, shared with the oracle script

MODES = ("append_backward", "inputs", "seeded")
SCHEDULES = ("piecewise_adam", "exponential_sgd")

ORACLE = "import json, sys, numpy as np, paddle\npaddle.enable_static()\n" + SOURCE + '''
res = {}
sys.stdout.flush()
print("<<<PRINT", flush=True)
vals = printing()
sys.stdout.flush()
print("PRINT>>>", flush=True)
np.savez("printing.npz", *vals)
np.savez("pyfunc.npz", *pyfunc())
res["pyfunc_losses"], pf_params = pyfunc_train()
pf_grad, res["pyfunc_seen"] = pyfunc_two_outputs()
np.save("pyfunc_grad.npy", pf_grad)
np.savez("pyfunc_train.npz", **pf_params)
np.savez("ema.npz", **ema_run())
try:  # NOTE [EMA thres_steps oracle] in the test module
    ema_run(thres=True)
    raise AssertionError("Paddle 2.6 built ExponentialMovingAverage(thres_steps=...): drop the patch")
except TypeError as e:
    assert "Unsupported return type of true_fn and false_fn in cond" in str(e), e


def _scheduled_decay(self):
    """Paddle 2.6's _get_ema_decay with the cond's false branch a Variable, not an ndarray."""
    with paddle.static.default_main_program()._lr_schedule_guard():
        decay_var = paddle.static.create_global_var(
            shape=[1], value=self._decay, dtype="float32", persistable=True,
            name="scheduled_ema_decay_rate")
        if self._thres_steps is not None:
            decay_t = (self._thres_steps + 1.0) / (self._thres_steps + 10.0)
            decay_val = paddle.static.nn.cond(
                decay_t < self._decay, lambda: decay_t,
                lambda: paddle.full([1], self._decay, "float32"))
            paddle.assign(decay_val, decay_var)
    return decay_var


paddle.static.ExponentialMovingAverage._get_ema_decay = _scheduled_decay
np.savez("ema_thres.npz", **ema_run(thres=True))
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
    out = run_paddle(ORACLE, "2.6", cwd=d)
    res = json.loads(out.strip().splitlines()[-1])
    res["printed"] = out.split("<<<PRINT\n")[1].split("PRINT>>>")[0]
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


def test_print_prints_like_paddle_26_and_passes_values(oracle, static, capsys):
    d, res = oracle
    capsys.readouterr()
    vals = NS["printing"]()
    assert res["printed"].count("Variable: x\n  - message: the x\n") == 2
    assert res["printed"].count("Variable: y\n") == 1  # first_n=1
    assert capsys.readouterr().out == res["printed"]
    ref = np.load(d / "printing.npz")
    for i, v in enumerate(vals):
        np.testing.assert_allclose(v, ref[f"arr_{i}"], rtol=1e-6)


def test_py_func_runs_its_forward_like_paddle_26(oracle, static):
    d, _ = oracle
    ref = np.load(d / "pyfunc.npz")
    for i, v in enumerate(NS["pyfunc"]()):
        np.testing.assert_allclose(v, ref[f"arr_{i}"], rtol=1e-6)


def test_py_func_backward_func_trains_like_paddle_26(oracle, static):
    d, res = oracle
    losses, params = NS["pyfunc_train"]()
    np.testing.assert_allclose(losses, res["pyfunc_losses"], rtol=1e-5)
    ref = dict(np.load(d / "pyfunc_train.npz"))
    assert sorted(params) == sorted(ref)
    for k in ref:
        np.testing.assert_allclose(params[k], ref[k], rtol=1e-5, atol=1e-6, err_msg=k)
    assert losses[2] < losses[0]


def test_py_func_backward_func_gets_what_paddle_26_gives(oracle, static):
    d, res = oracle
    grad, seen = NS["pyfunc_two_outputs"]()
    np.testing.assert_allclose(seen, res["pyfunc_seen"], rtol=1e-5)
    assert seen[-1] == 0.0  # the ignored output's gradient: zeros
    np.testing.assert_allclose(grad, np.load(d / "pyfunc_grad.npy"), rtol=1e-5)


def test_strategies_and_compiled_program_are_accepted(static):
    bs, es = paddle.static.BuildStrategy(), paddle.static.ExecutionStrategy()
    bs.fuse_elewise_add_act_ops, bs.enable_inplace, es.num_threads = True, True, 2
    with pytest.raises(AttributeError, match="no option 'fuse_everything'"):
        bs.fuse_everything = True
    main, startup = paddle.static.Program(), paddle.static.Program()
    with paddle.static.program_guard(main, startup):
        x = paddle.static.data("x", [None, 4], "float32")
        out = paddle.static.nn.fc(x, 2)
    exe = paddle.static.Executor(paddle.CPUPlace())
    with paddle.static.scope_guard(paddle.static.Scope()):
        exe.run(startup)
        plain = exe.run(main, feed={"x": NS["FEED"]["x"]}, fetch_list=[out])[0]
        compiled = paddle.static.CompiledProgram(main, build_strategy=bs)
        got = exe.run(compiled, feed={"x": NS["FEED"]["x"]}, fetch_list=[out])[0]
    np.testing.assert_array_equal(got, plain)


@pytest.mark.parametrize("thres", [False, True], ids=["fixed", "thres_steps"])
def test_ema_apply_restore_like_paddle_26(oracle, static, thres):
    d, _ = oracle
    ref = dict(np.load(d / ("ema_thres.npz" if thres else "ema.npz")))
    got = NS["ema_run"](thres)
    assert sorted(got) == sorted(ref)
    for k in ref:
        np.testing.assert_allclose(got[k], ref[k], rtol=1e-5, atol=1e-6, err_msg=k)
    if thres:  # the last step's scheduled decay: min(0.3, 5/14)
        np.testing.assert_allclose(got["decay"], [0.3], rtol=1e-7)
