"""Inference models and every 1.x layout across real Paddle 2.6 and paddlefish.

One Paddle 2.6 subprocess: (a) loads paddlefish's ``save_inference_model`` output with
``load_inference_model`` + ``Executor.run`` and with ``create_predictor``; (b) builds a static
CNN and a program of legacy ops (``lookup_table``, ``mul``, ``matmul``, ``reshape``,
``transpose``, ``dropout`` downgrade_in_infer, ``top_k``, ``cross_entropy``, ``accuracy`` ...)
and writes them in every layout 2.6 can write: a 2.x prefix, ``__model__`` + per-variable files,
``__model__`` + ``__params__``, custom file names, a ``save_vars`` directory of persistables and a
``static.save`` prefix. paddlefish then opens each through every entry point Paddle documents
for it and must reproduce Paddle's outputs and values.
"""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from tests.oracle import run_paddle
from tests.static.legacy_program import SOURCE as LEGACY
from tests.static.models import SOURCE as MODELS

pytestmark = pytest.mark.oracle
NS: dict = {"paddle": paddle}
exec(MODELS, NS)  # noqa: S102 - our own test source, shared with the oracle script

ORACLE = (
    "import json, os, numpy as np, paddle\nfrom paddle import inference\n"
    "paddle.enable_static()\n" + MODELS + LEGACY + '''
exe = paddle.static.Executor(paddle.CPUPlace())
# (a) paddlefish's inference model in Paddle
feed = np.load("ours_in.npz")
with paddle.static.scope_guard(paddle.static.Scope()):
    prog, feeds, fetch = paddle.static.load_inference_model("ours/cnn", exe)
    out = exe.run(prog, feed={feeds[0]: feed["x"]}, fetch_list=fetch)[0]
cfg = inference.Config("ours/cnn.pdmodel", "ours/cnn.pdiparams"); cfg.disable_gpu()
pred = inference.create_predictor(cfg)
h = pred.get_input_handle(pred.get_input_names()[0]); h.reshape(feed["x"].shape)
h.copy_from_cpu(feed["x"]); pred.run()
np.savez("paddle_on_ours.npz", exe=out,
         predictor=pred.get_output_handle(pred.get_output_names()[0]).copy_to_cpu())
# (b1) Paddle's static CNN inference model
cmain, cstartup, ctest, closs, cout = build("cnn")
exe.run(cstartup)
train(exe, cmain, closs, "cnn", range(2))
xin = batch("cnn", 9)["x"]
np.savez("pcnn_ref.npz", x=xin, out=exe.run(ctest, feed=batch("cnn", 9), fetch_list=[cout])[0])
cx = ctest.global_block().var("x")
paddle.static.save_inference_model("L/pcnn", [cx], [ctest.global_block().var(cout.name)], exe,
                                   program=ctest)
# (b2) the legacy-op program in every layout
exe.run(startup)
rng = np.random.RandomState(0)
fd = {"ids": rng.randint(0, 20, (3, 5, 1)).astype("int64"),
      "x": rng.rand(3, 5, 4).astype("float32"), "lbl": rng.randint(0, 3, (3, 1)).astype("int64")}
ref = exe.run(main, feed=fd, fetch_list=FETCH)
np.savez("legacy_ref.npz", **fd, **{"out%d" % i: r for i, r in enumerate(ref)})
scope = paddle.static.global_scope()
persist = [v for v in main.list_vars() if paddle.static.io.is_persistable(v)]
np.savez("legacy_params.npz", **{v.name: np.array(scope.find_var(v.name).get_tensor())
                                 for v in persist})
paddle.static.save_inference_model("L/pref", FEEDS, FETCH, exe, program=main)
model = paddle.static.serialize_program(FEEDS, FETCH, program=main)
infer = paddle.static.normalize_program(main, FEEDS, FETCH)
ivars = [v for v in infer.list_vars() if paddle.static.io.is_persistable(v)]
os.makedirs("L/dir_vars"); os.makedirs("L/dir_params"); os.makedirs("L/dir_custom")
paddle.static.save_to_file("L/dir_vars/__model__", model)
paddle.static.save_vars(exe, "L/dir_vars", infer, vars=ivars)
paddle.static.save_to_file("L/dir_params/__model__", model)
paddle.static.save_vars(exe, "L/dir_params", infer, vars=ivars, filename="__params__")
paddle.static.save_to_file("L/dir_custom/net.model", model)
paddle.static.save_vars(exe, "L/dir_custom", infer, vars=ivars, filename="net.weights")
paddle.static.save_vars(exe, "L/persist", main, predicate=paddle.static.io.is_persistable)
paddle.static.save(main, "L/fs")
# Paddle's own view of its 1.x directories, for the bad-input checks
with paddle.static.scope_guard(paddle.static.Scope()):
    p, f, t = paddle.static.load_inference_model("L/dir_vars", exe, model_filename="__model__")
    np.savez("paddle_dir_vars.npz", *exe.run(p, feed=fd, fetch_list=t))
print("ok")
'''
)


@pytest.fixture(scope="module")
def produced(tmp_path_factory):
    d = tmp_path_factory.mktemp("layouts")
    paddle.enable_static()
    try:
        main, startup, test, loss, out = NS["build"]("cnn")
        exe = paddle.static.Executor(paddle.static.CPUPlace())
        with paddle.static.scope_guard(paddle.static.Scope()):
            exe.run(startup)
            NS["train"](exe, main, loss, "cnn", range(2))
            x = NS["batch"]("cnn", 7)["x"]
            ours = exe.run(test, feed={"x": x}, fetch_list=[out])[0]
            xv = test.global_block().var("x")
            paddle.static.save_inference_model(str(d / "ours" / "cnn"), [xv], [out], exe,
                                               program=test)
        np.savez(d / "ours_in.npz", x=x, out=ours)
    finally:
        paddle.disable_static()
    run_paddle(ORACLE, "2.6", cwd=d)
    return d


def test_paddle_runs_our_inference_model(produced):
    ours = np.load(produced / "ours_in.npz")["out"]
    got = np.load(produced / "paddle_on_ours.npz")
    np.testing.assert_allclose(got["exe"], ours, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got["predictor"], ours, rtol=1e-5, atol=1e-6)


def _run_static(path, feed_of, **kw):
    paddle.enable_static()
    try:
        exe = paddle.static.Executor(paddle.static.CPUPlace())
        with paddle.static.scope_guard(paddle.static.Scope()):
            prog, feeds, fetch = paddle.static.load_inference_model(str(path), exe, **kw)
            return exe.run(prog, feed={n: feed_of[n] for n in feeds}, fetch_list=fetch)
    finally:
        paddle.disable_static()


def test_paddle_cnn_inference_model_runs_here(produced):
    ref = np.load(produced / "pcnn_ref.npz")
    got = _run_static(produced / "L" / "pcnn", {"x": ref["x"]})[0]
    np.testing.assert_allclose(got, ref["out"], rtol=1e-5, atol=1e-6)
    layer = paddle.jit.load(str(produced / "L" / "pcnn"))
    np.testing.assert_allclose(layer(paddle.to_tensor(ref["x"])).numpy(), ref["out"],
                               rtol=1e-5, atol=1e-6)


LAYOUTS = {
    "pref": {},
    "dir_vars": {},
    "dir_params": {"params_filename": "__params__"},
    "dir_custom": {"model_filename": "net.model", "params_filename": "net.weights"},
}


def _check_outputs(got, ref):
    assert len(got) == 5
    for i, g in enumerate(got):
        g = g.numpy() if hasattr(g, "numpy") and not isinstance(g, np.ndarray) else g
        np.testing.assert_allclose(np.asarray(g), ref[f"out{i}"], rtol=1e-5, atol=1e-6,
                                   err_msg=f"output {i}")


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_legacy_layout_opens_through_every_entry_point(produced, layout):
    ref = np.load(produced / "legacy_ref.npz")
    params = np.load(produced / "legacy_params.npz")
    path = produced / "L" / layout
    kw = LAYOUTS[layout]
    feed = {k: ref[k] for k in ("ids", "x", "lbl")}
    # paddle.static.load_inference_model + Executor.run
    _check_outputs(_run_static(path, feed, **kw), ref)
    # paddle.jit.load -> TranslatedLayer
    layer = paddle.jit.load(str(path), **kw)
    _check_outputs(layer(*[paddle.to_tensor(feed[k]) for k in ("ids", "x", "lbl")]), ref)
    # paddle.load -> {name: ndarray}
    state = paddle.load(str(path), **kw)
    assert set(state) == set(params), layout
    for k in params:
        np.testing.assert_array_equal(np.asarray(state[k]), params[k], err_msg=k)


def test_legacy_layout_defaults_find_params_file(produced):
    """A 1.x directory with ``__model__`` + ``__params__`` also opens without naming them."""
    ref = np.load(produced / "legacy_ref.npz")
    feed = {k: ref[k] for k in ("ids", "x", "lbl")}
    _check_outputs(_run_static(produced / "L" / "dir_params", feed), ref)
    layer = paddle.jit.load(str(produced / "L" / "dir_params"))
    _check_outputs(layer(*[paddle.to_tensor(feed[k]) for k in ("ids", "x", "lbl")]), ref)
    params = np.load(produced / "legacy_params.npz")
    state = paddle.load(str(produced / "L" / "dir_params"))
    assert sorted(state) == sorted(params)
    np.testing.assert_allclose(np.load(produced / "paddle_dir_vars.npz")["arr_0"], ref["out0"])


@pytest.mark.parametrize("where", ["persist", "fs"])
def test_save_vars_dir_and_static_save_prefix_load(produced, where):
    params = np.load(produced / "legacy_params.npz")
    path = str(produced / "L" / where)
    # paddle.load
    state = paddle.load(path + (".pdparams" if where == "fs" else ""))
    want = {k for k in params if where == "persist" or k in state}
    assert want <= set(state) and len(want) >= 4
    for k in want:
        np.testing.assert_array_equal(np.asarray(state[k]), params[k], err_msg=k)
    # paddle.static.load into the program Paddle saved with static.save
    prog = paddle.static.deserialize_program(
        paddle.static.load_from_file(str(produced / "L" / "fs.pdmodel")))
    scope = paddle.static.Scope()
    with paddle.static.scope_guard(scope):
        paddle.static.load(prog, path, paddle.static.Executor())
        state = paddle.static.load_program_state(path)
    for k in params:
        np.testing.assert_array_equal(np.array(scope.find_var(k).get_tensor()), params[k],
                                      err_msg=k)
        np.testing.assert_array_equal(state[k], params[k])
