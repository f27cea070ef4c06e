"""paddle.static without the oracle: building, executor, scope, save/load round trips, the
legacy op kernels, and every bad input of issue 9 failing with a message that names the problem."""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch

import paddlefish as paddle
from paddlefish import formats, ir, ops
from paddlefish.errors import ExecutionError, FormatError


@pytest.fixture
def static():
    paddle.enable_static()
    try:
        with paddle.utils.unique_name.guard(), \
                paddle.static.scope_guard(paddle.static.Scope()):
            yield
    finally:
        paddle.disable_static()


def _mlp():
    main, startup = paddle.static.Program(), paddle.static.Program()
    with paddle.static.program_guard(main, startup):
        x = paddle.static.data("x", [None, 4], "float32")
        y = paddle.static.data("y", [None, 1], "int64")
        out = paddle.static.nn.fc(paddle.static.nn.fc(x, 8, activation="relu"), 3)
        loss = paddle.mean(paddle.nn.functional.cross_entropy(out, y))
        test = main.clone(for_test=True)
        paddle.optimizer.SGD(0.5).minimize(loss)
    return main, startup, test, x, out, loss


FEED = {"x": np.random.RandomState(0).rand(6, 4).astype("float32"),
        "y": np.array([[0], [1], [2], [0], [1], [2]], "int64")}


def test_mode_switches_and_dygraph_guard():
    assert paddle.in_dynamic_mode()
    paddle.enable_static()
    try:
        assert not paddle.in_dynamic_mode()
        with paddle.base.dygraph.guard():
            assert paddle.in_dynamic_mode()
            assert float(paddle.ones([2]).sum()) == 2.0  # eager inside the guard
        assert not paddle.in_dynamic_mode()
    finally:
        paddle.disable_static()
    assert paddle.in_dynamic_mode()


def test_program_building_matches_paddle_structure(static):
    main, startup, test, x, out, loss = _mlp()
    types = [op.type for op in main.global_block().ops]
    assert types == ["mul", "elementwise_add", "relu", "mul", "elementwise_add",
                     "softmax_with_cross_entropy", "reduce_mean", "reduce_mean"]
    assert [v.name for v in main.all_parameters()] == ["fc_0.w_0", "fc_0.b_0", "fc_1.w_0",
                                                       "fc_1.b_0"]
    assert main.global_block().var("fc_0.w_0").shape == [4, 8]
    assert x.shape == [-1, 4] and out.shape == [-1, 3]
    assert {v.name for v in startup.list_vars()} == {"fc_0.w_0", "fc_0.b_0", "fc_1.w_0",
                                                     "fc_1.b_0"}
    assert test._train is None and main._train is not None


def test_layers_called_in_static_mode_append_ops(static):
    main, startup = paddle.static.Program(), paddle.static.Program()
    with paddle.static.program_guard(main, startup):
        x = paddle.static.data("x", [None, 3], "float32")
        lin = paddle.nn.Linear(3, 2)
        y = paddle.nn.functional.relu(lin(x))
    assert [op.type for op in main.global_block().ops] == ["matmul_v2", "elementwise_add",
                                                           "relu"]
    exe = paddle.static.Executor(paddle.static.CPUPlace())
    exe.run(startup)
    xs = np.random.rand(2, 3).astype("float32")
    got = exe.run(main, feed={"x": xs}, fetch_list=[y])[0]
    want = np.maximum(xs @ lin.weight.numpy() + lin.bias.numpy(), 0)
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_training_steps_reduce_loss_and_scope_exposes_values(static):
    main, startup, test, x, out, loss = _mlp()
    exe = paddle.static.Executor()
    exe.run(startup)
    w0 = np.array(paddle.static.global_scope().find_var("fc_0.w_0").get_tensor())
    losses = [float(exe.run(main, feed=FEED, fetch_list=[loss])[0]) for _ in range(15)]
    assert losses[-1] < losses[0] - 0.05
    w = paddle.static.global_scope().find_var("fc_0.w_0").get_tensor()
    assert not np.allclose(np.array(w), w0)
    # the test clone does not train and needs no label
    before = np.array(w)
    exe.run(test, feed={"x": FEED["x"]}, fetch_list=[out])
    np.testing.assert_array_equal(np.array(w), before)
    # set() replaces the value the next run uses
    w.set(np.zeros_like(before), paddle.static.CPUPlace())
    b = np.array(paddle.static.global_scope().find_var("fc_0.b_0").get_tensor())
    got = exe.run(test, feed={"x": FEED["x"]}, fetch_list=[out])[0]
    b1 = np.array(paddle.static.global_scope().find_var("fc_1.b_0").get_tensor())
    np.testing.assert_allclose(got, np.tile(np.maximum(b, 0) @ np.array(
        paddle.static.global_scope().find_var("fc_1.w_0").get_tensor()) + b1, (6, 1)),
        rtol=1e-5)


def test_static_save_load_round_trip_restores_training(static, tmp_path):
    main, startup, test, x, out, loss = _mlp()
    exe = paddle.static.Executor()
    exe.run(startup)
    exe.run(main, feed=FEED, fetch_list=[loss])
    paddle.static.save(main, str(tmp_path / "m"))
    assert sorted(os.listdir(tmp_path)) == ["m.pdmodel", "m.pdopt", "m.pdparams"]
    a = [float(exe.run(main, feed=FEED, fetch_list=[loss])[0]) for _ in range(2)]
    paddle.static.load(main, str(tmp_path / "m.pdparams"), exe)
    b = [float(exe.run(main, feed=FEED, fetch_list=[loss])[0]) for _ in range(2)]
    assert a == b
    state = paddle.static.load_program_state(str(tmp_path / "m"))
    assert "learning_rate_0" in state and state["learning_rate_0"].shape == ()
    paddle.static.set_program_state(main, state)
    assert float(exe.run(main, feed=FEED, fetch_list=[loss])[0]) == a[0]


def test_inference_model_and_serialize_round_trip(static, tmp_path):
    main, startup, test, x, out, loss = _mlp()
    exe = paddle.static.Executor()
    exe.run(startup)
    ref = exe.run(test, feed={"x": FEED["x"]}, fetch_list=[out])[0]
    paddle.static.save_inference_model(str(tmp_path / "inf"), [x], [out], exe, program=test)
    prog, feeds, fetch = paddle.static.load_inference_model(str(tmp_path / "inf"), exe)
    assert feeds == ["x"] and [op.type for op in prog.global_block().ops][0] == "feed"
    np.testing.assert_allclose(exe.run(prog, feed={"x": FEED["x"]}, fetch_list=fetch)[0], ref)
    data = paddle.static.serialize_program([x], [out], program=test)
    params = paddle.static.serialize_persistables([x], [out], exe, program=test)
    paddle.static.save_to_file(str(tmp_path / "p.pdmodel"), data)
    with paddle.static.scope_guard(paddle.static.Scope()):
        prog = paddle.static.deserialize_program(
            paddle.static.load_from_file(str(tmp_path / "p.pdmodel")))
        paddle.static.deserialize_persistables(prog, params, exe)
        got = exe.run(prog, feed={"x": FEED["x"]}, fetch_list=[fetch[0].name])[0]
    np.testing.assert_allclose(got, ref)
    with pytest.raises(ValueError, match="directory"):
        paddle.static.save_inference_model(str(tmp_path) + "/", [x], [out], exe, program=test)


# ---- bad input (issue 9) ---------------------------------------------------------------------
def _legacy_dir(tmp_path):
    main, startup, test, x, out, loss = _mlp()
    exe = paddle.static.Executor()
    exe.run(startup)
    d = tmp_path / "legacy"
    d.mkdir()
    prog = paddle.static.normalize_program(test, [x], [out])
    paddle.static.save_to_file(str(d / "__model__"), paddle.static.serialize_program(
        [x], [out], program=test))
    paddle.static.save_vars(exe, str(d), prog, predicate=paddle.static.is_persistable)
    return d, exe


def test_missing_variable_file_is_named(static, tmp_path):
    d, exe = _legacy_dir(tmp_path)
    os.remove(d / "fc_1.w_0")
    with pytest.raises(FormatError, match="fc_1.w_0"):
        paddle.static.load_inference_model(str(d), exe)
    with pytest.raises(FormatError, match="fc_1.w_0"):
        paddle.jit.load(str(d))


def test_short_params_file_is_refused(static, tmp_path):
    d, exe = _legacy_dir(tmp_path)
    names = sorted(f for f in os.listdir(d) if f != "__model__")
    arrays = {n: formats.load_lod_tensor(str(d / n))[0] for n in names[:-1]}
    formats.save_pdiparams(arrays, str(d / "__params__"))
    with pytest.raises(FormatError, match="missing"):
        paddle.static.load_inference_model(str(d), exe, params_filename="__params__")


def test_feed_and_fetch_errors_name_the_variables(static):
    main, startup, test, x, out, loss = _mlp()
    exe = paddle.static.Executor()
    with pytest.raises(ExecutionError, match="startup program"):
        exe.run(test, feed={"x": FEED["x"]}, fetch_list=[out])
    exe.run(startup)
    with pytest.raises(ExecutionError, match="'image'.*inputs are \\['x'\\]"):
        exe.run(test, feed={"image": FEED["x"]}, fetch_list=[out])
    with pytest.raises(ExecutionError, match="reads \\['x'\\]"):
        exe.run(test, feed={}, fetch_list=[out])
    with pytest.raises(ExecutionError, match="'nope'"):
        exe.run(test, feed={"x": FEED["x"]}, fetch_list=["nope"])
    with pytest.raises(ExecutionError, match="shape"):
        exe.run(test, feed={"x": np.zeros([2, 5], "float32")}, fetch_list=[out])


def test_repeated_runs_see_every_change(static):
    """NOTE [Executor fast path]: a repeated inference run follows parameter updates, a new
    fetch list, new feed keys, a scope switch and ops appended to the program."""
    main, startup, test, x, out, loss = _mlp()
    exe = paddle.static.Executor()
    exe.run(startup)
    scope = paddle.static.global_scope()
    first = exe.run(test, feed={"x": FEED["x"]}, fetch_list=[out])[0]
    again = exe.run(test, feed={"x": FEED["x"]}, fetch_list=[out])[0]
    np.testing.assert_array_equal(first, again)
    w = scope.find_var("fc_1.w_0").get_tensor()
    w.set(np.array(w) * 2, None)  # in place
    b = scope.find_var("fc_1.b_0").get_tensor()
    b.set(np.zeros([1, 3], "float32"), None)  # another shape: rebinds the storage
    got = exe.run(test, feed={"x": FEED["x"]}, fetch_list=[out])[0]
    h_name = [op for op in test.global_block().ops if op.type == "mul"][1].input("X")[0]
    hidden = exe.run(test, feed={"x": FEED["x"]}, fetch_list=[h_name])[0]
    np.testing.assert_allclose(got, hidden @ (np.array(w)) + 0, rtol=1e-5, atol=1e-6)
    assert exe.run(test, feed={"x": FEED["x"]}, fetch_list=[out], return_numpy=False)[0].shape \
        == [6, 3]
    with pytest.raises(ExecutionError, match="'image'"):
        exe.run(test, feed={"x": FEED["x"], "image": FEED["x"]}, fetch_list=[out])
    with pytest.raises(ExecutionError, match="shape"):
        exe.run(test, feed={"x": np.zeros([2, 5], "float32")}, fetch_list=[out])
    with paddle.static.scope_guard(paddle.static.Scope()):
        with pytest.raises(ExecutionError, match="startup program"):
            exe.run(test, feed={"x": FEED["x"]}, fetch_list=[out])
    with paddle.static.program_guard(test, paddle.static.Program()):
        doubled = out * 2.0
    np.testing.assert_allclose(exe.run(test, feed={"x": FEED["x"]}, fetch_list=[doubled])[0],
                               2 * got, rtol=1e-6)
    # an optimizer attached after inference runs: the next run trains
    main2, startup2 = paddle.static.Program(), paddle.static.Program()
    with paddle.static.program_guard(main2, startup2):
        x2 = paddle.static.data("x", [None, 4], "float32")
        loss2 = paddle.mean(paddle.static.nn.fc(x2, 1))
    exe.run(startup2)
    l0 = [exe.run(main2, feed={"x": FEED["x"]}, fetch_list=[loss2])[0] for _ in range(2)]
    with paddle.static.program_guard(main2, startup2):
        paddle.optimizer.SGD(0.5).minimize(loss2)
    l1 = [float(exe.run(main2, feed={"x": FEED["x"]}, fetch_list=[loss2])[0]) for _ in range(2)]
    assert float(l0[0]) == float(l0[1]) == l1[0] and l1[1] < l1[0]


def test_obsolete_op_is_named(static):
    prog = paddle.static.Program()
    blk = prog.global_block()
    blk.create_var("r", type=ir.VarType.READER)
    blk.append_op("read", {"Reader": ["r"]}, {"Out": ["o"]}, {})
    blk.create_var("o", dtype="float32", shape=[1])
    with pytest.raises(ExecutionError, match="'read'.*data reader"):
        paddle.static.Executor().run(prog, fetch_list=["o"])


# ---- legacy op kernels -----------------------------------------------------------------------
def test_legacy_kernels_against_numpy():
    rng = np.random.RandomState(1)
    x, y = rng.rand(2, 3, 4).astype("f4"), rng.rand(12, 5).astype("f4")
    got = ops.get("mul").kernel(torch.from_numpy(x), torch.from_numpy(y), x_num_col_dims=1)
    np.testing.assert_allclose(got.numpy(), (x.reshape(2, 12) @ y), rtol=1e-6)
    w = rng.rand(6, 3).astype("f4")
    ids = np.array([[[1], [0]], [[5], [2]]], "int64")
    got = ops.get("lookup_table").kernel(torch.from_numpy(w), torch.from_numpy(ids),
                                         padding_idx=0)
    want = w[ids[..., 0]] * (ids[..., 0] != 0)[..., None]
    np.testing.assert_allclose(got.numpy(), want)
    got = ops.get("reshape").kernel(torch.from_numpy(x), shape=[0, -1])
    assert list(got.shape) == [2, 12]
    a, b = rng.rand(2, 3, 4).astype("f4"), rng.rand(2, 3, 4).astype("f4")
    got = ops.get("matmul").kernel(torch.from_numpy(a), torch.from_numpy(b), transpose_Y=True,
                                   alpha=0.5)
    np.testing.assert_allclose(got.numpy(), 0.5 * a @ b.transpose(0, 2, 1), rtol=1e-6)
    p = np.array([[0.2, 0.8], [0.6, 0.4]], "f4")
    got = ops.get("cross_entropy").kernel(torch.from_numpy(p),
                                          torch.tensor([[1], [0]]))
    np.testing.assert_allclose(got.numpy(), -np.log([[0.8], [0.6]]), rtol=1e-6)


def test_fetched_parameters_do_not_change_under_the_caller(static):
    # a fetched persistable is a copy, as Paddle's fetch: the next training step updates the
    # parameter in place and must not reach the array (or Tensor) fetched before it
    main, startup, test, x, out, loss = _mlp()
    exe = paddle.static.Executor()
    exe.run(startup)
    for _ in range(2):  # the second run goes through the Executor's fast path
        w1, l1 = exe.run(main, feed=FEED, fetch_list=["fc_0.w_0", loss])
        kept = w1.copy()
        (t1,) = exe.run(main, feed=FEED, fetch_list=["fc_0.w_0"], return_numpy=False)
        kept_t = np.array(t1).copy()
        w2, _ = exe.run(main, feed=FEED, fetch_list=["fc_0.w_0", loss])
        np.testing.assert_array_equal(w1, kept)
        np.testing.assert_array_equal(np.array(t1), kept_t)
        assert not np.array_equal(w2, kept)
