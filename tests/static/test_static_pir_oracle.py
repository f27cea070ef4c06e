"""Static mode against real Paddle 3.3, with ``FLAGS_enable_pir_api`` on (PIR programs: Paddle
3.x's default; ``static.save`` writes ``.json`` for the program, ``save_inference_model``
``PREFIX.json``) and off (legacy ``.pdmodel``), both ways:

* a static MLP and a CNN+BN (nn Layers: PIR static mode refuses ``static.nn.conv2d``) trained
  with Adam: Paddle's 3-step ``static.save`` -> paddlefish ``static.load`` + 3 steps == Paddle's 6
  steps, and paddlefish's 3-step save -> Paddle ``static.load`` + 3 steps == our 6 steps;
* ``save_inference_model``: ours -> Paddle 3.3 ``load_inference_model`` + ``Executor.run`` and
  ``create_predictor``; Paddle's -> our ``load_inference_model`` + ``Executor.run``; equal outputs.

One Paddle subprocess per flag setting (module-scoped), shared by the tests.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

import paddlefish as paddle
from tests.oracle import run_paddle
from tests.static.models import SOURCE

pytestmark = pytest.mark.oracle

NS: dict = {"paddle": paddle}
exec(SOURCE, NS)  # noqa: S102 - our own test source, shared with the oracle script
KINDS = ("mlp", "cnn2")

ORACLE = (
    "import json, os, numpy as np, paddle\n"
    "paddle.enable_static()\n"
    + SOURCE
    + '''
PIR = os.environ.get("FLAGS_enable_pir_api", "1") != "0"
assert paddle.framework.in_pir_mode() == PIR
exe = paddle.static.Executor(paddle.CPUPlace())
res = {}
for kind in ("mlp", "cnn2"):
    xin = batch(kind, 9)["x"]
    main, startup, test, loss, out = build(kind)
    exe.run(startup)
    train(exe, main, loss, kind, range(3))
    paddle.static.save(main, kind + "_p3")
    paddle.static.save_inference_model(kind + "_pinf", [INPUTS[kind]], [out], exe, program=main)
    res[kind + "_p_losses"] = train(exe, main, loss, kind, range(3, 6))
    np.savez(kind + "_p6.npz", **params(main))
    with paddle.static.scope_guard(paddle.static.Scope()):
        prog, feeds, fetch = paddle.static.load_inference_model(kind + "_pinf", exe)
        np.save(kind + "_pinf_out.npy", exe.run(prog, feed={feeds[0]: xin}, fetch_list=fetch)[0])
    # paddlefish -> Paddle: our 3-step save, 3 more steps
    main, startup, test, loss, out = build(kind)
    with paddle.static.scope_guard(paddle.static.Scope()):
        exe.run(startup)
        paddle.static.load(main, kind + "_f3", exe)
        res[kind + "_q_losses"] = train(exe, main, loss, kind, range(3, 6))
        np.savez(kind + "_q6.npz", **params(main))
for kind in ("mlp", "cnn2", "cnn"):  # our inference models ("cnn": static.nn, ours only)
    xin = batch(kind, 9)["x"]
    with paddle.static.scope_guard(paddle.static.Scope()):
        prog, feeds, fetch = paddle.static.load_inference_model(kind + "_finf", exe)
        res[kind + "_feeds"] = feeds
        np.save(kind + "_finf_exe.npy", exe.run(prog, feed={feeds[0]: xin}, fetch_list=fetch)[0])
    from paddle import inference
    suffix = ".json" if PIR else ".pdmodel"
    pred = inference.create_predictor(
        inference.Config(kind + "_finf" + suffix, kind + "_finf.pdiparams"))
    h = pred.get_input_handle(pred.get_input_names()[0])
    h.reshape(xin.shape)
    h.copy_from_cpu(xin)
    pred.run()
    np.save(kind + "_finf_pred.npy",
            pred.get_output_handle(pred.get_output_names()[0]).copy_to_cpu())
res["files"] = sorted(os.listdir("."))
print(json.dumps(res))
'''
)


def _close(a: dict, b: dict, what: str):
    assert sorted(a) == sorted(b), what
    for k in a:
        np.testing.assert_allclose(a[k], b[k], rtol=1e-5, atol=1e-6, err_msg=f"{what}: {k}")


def _build(kind):
    main, startup, test, loss, out = NS["build"](kind)
    return main, startup, loss, out


@pytest.fixture(scope="module", params=[1, 0], ids=["pir", "legacy"])
def crossed(request, tmp_path_factory):
    """Our saves (3 steps; inference model), then Paddle 3.3's run over them and its own."""
    pir = request.param
    d = tmp_path_factory.mktemp(f"static33_{'pir' if pir else 'legacy'}")
    ours: dict = {}
    paddle.enable_static()
    paddle.set_flags({"FLAGS_enable_pir_api": bool(pir)})
    try:
        exe = paddle.static.Executor(paddle.static.CPUPlace())
        for kind in (*KINDS, "cnn"):
            main, startup, loss, out = _build(kind)
            with paddle.static.scope_guard(paddle.static.Scope()):
                exe.run(startup)
                if kind == "cnn":  # static.nn.conv2d/fc: PIR lowering rewrites mul, axis adds
                    NS["train"](exe, main, loss, kind, range(2))
                    paddle.static.save_inference_model(
                        str(d / "cnn_finf"), [NS["INPUTS"][kind]], [out], exe, program=main)
                    ours["cnn_out"] = exe.run(main.clone(for_test=True),
                                              feed=NS["batch"](kind, 9), fetch_list=[out])[0]
                    continue
                NS["train"](exe, main, loss, kind, range(3))
                paddle.static.save(main, str(d / f"{kind}_f3"))
                paddle.static.save_inference_model(str(d / f"{kind}_finf"), [NS["INPUTS"][kind]],
                                                   [out], exe, program=main)
                ours[kind + "_out"] = exe.run(main.clone(for_test=True),
                                              feed=NS["batch"](kind, 9), fetch_list=[out])[0]
                ours[kind + "_losses"] = NS["train"](exe, main, loss, kind, range(3, 6))
                ours[kind] = NS["params"](main)
    finally:
        paddle.set_flags({"FLAGS_enable_pir_api": False})
        paddle.disable_static()
    res = json.loads(run_paddle(ORACLE, "3.3", cwd=d, legacy=not pir).strip().splitlines()[-1])
    return pir, d, ours, res


def test_files_follow_the_flag(crossed):
    pir, d, ours, res = crossed
    model = ".json" if pir else ".pdmodel"
    for kind in KINDS:
        for who in ("p", "f"):  # Paddle's files and ours: the same names
            assert f"{kind}_{who}3{model}" in res["files"]
            assert f"{kind}_{who}inf{model}" in res["files"]
            assert {f"{kind}_{who}3.pdparams", f"{kind}_{who}3.pdopt",
                    f"{kind}_{who}inf.pdiparams"} <= set(res["files"])
        other = ".pdmodel" if pir else ".json"
        assert not os.path.exists(d / f"{kind}_finf{other}")


def test_paddle_static_save_trains_on_here(crossed):
    pir, d, ours, res = crossed
    paddle.enable_static()
    try:
        exe = paddle.static.Executor(paddle.static.CPUPlace())
        for kind in KINDS:
            main, startup, loss, out = _build(kind)
            with paddle.static.scope_guard(paddle.static.Scope()):
                exe.run(startup)
                paddle.static.load(main, str(d / f"{kind}_p3"), exe)
                losses = NS["train"](exe, main, loss, kind, range(3, 6))
                _close(NS["params"](main), dict(np.load(d / f"{kind}_p6.npz")),
                       f"{kind}: Paddle 3.3 3 steps + paddlefish 3 steps")
            np.testing.assert_allclose(losses, res[kind + "_p_losses"], rtol=1e-5)
    finally:
        paddle.disable_static()


def test_our_static_save_trains_on_in_paddle(crossed):
    pir, d, ours, res = crossed
    for kind in KINDS:
        _close(ours[kind], dict(np.load(d / f"{kind}_q6.npz")),
               f"{kind}: paddlefish 3 steps + Paddle 3.3 3 steps")
        np.testing.assert_allclose(ours[kind + "_losses"], res[kind + "_q_losses"], rtol=1e-5)


def test_our_inference_model_runs_in_paddle(crossed):
    pir, d, ours, res = crossed
    for kind in (*KINDS, "cnn"):
        assert res[kind + "_feeds"] == ["x"]
        for how in ("exe", "pred"):
            np.testing.assert_allclose(np.load(d / f"{kind}_finf_{how}.npy"), ours[kind + "_out"],
                                       rtol=1e-5, atol=1e-6, err_msg=f"{kind} {how}")


def test_paddle_inference_model_runs_here(crossed):
    pir, d, ours, res = crossed
    paddle.enable_static()
    paddle.set_flags({"FLAGS_enable_pir_api": bool(pir)})
    try:
        exe = paddle.static.Executor(paddle.static.CPUPlace())
        for kind in KINDS:
            with paddle.static.scope_guard(paddle.static.Scope()):
                prog, feeds, fetch = paddle.static.load_inference_model(str(d / f"{kind}_pinf"),
                                                                        exe)
                got = exe.run(prog, feed={feeds[0]: NS["batch"](kind, 9)["x"]},
                              fetch_list=fetch)[0]
            assert feeds == ["x"]
            np.testing.assert_allclose(got, np.load(d / f"{kind}_pinf_out.npy"), rtol=1e-5,
                                       atol=1e-6, err_msg=kind)
    finally:
        paddle.set_flags({"FLAGS_enable_pir_api": False})
        paddle.disable_static()
