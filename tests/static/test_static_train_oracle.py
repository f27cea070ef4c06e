"""A static MLP and CNN trained with Adam cross between real Paddle 2.6 and paddlefish through
``static.save`` / ``static.load``, both ways: 3 steps on one side + 3 on the other equal 6 steps
on one side (parameters, BN statistics, losses)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import paddlefish as paddle
from tests.oracle import run_paddle
from tests.static.models import SOURCE

NS: dict = {"paddle": paddle}
exec(SOURCE, NS)  # noqa: S102 - our own test source, shared with the oracle script

ORACLE = (
    "import json, numpy as np, paddle\n"
    "paddle.enable_static()\n"
    + SOURCE
    + '''
exe = paddle.static.Executor(paddle.CPUPlace())
res = {}
for kind in ("mlp", "cnn"):
    # Paddle -> paddlefish: 3 steps, static.save, 3 more steps (reference)
    main, startup, test, loss, out = build(kind)
    exe.run(startup)
    train(exe, main, loss, kind, range(3))
    paddle.static.save(main, kind + "_p3")
    res[kind + "_p_losses"] = train(exe, main, loss, kind, range(3, 6))
    np.savez(kind + "_p6.npz", **params(main))
    # paddlefish -> Paddle: load paddlefish's 3-step save, 3 more steps
    main, startup, test, loss, out = build(kind)
    with paddle.static.scope_guard(paddle.static.Scope()):
        exe.run(startup)
        paddle.static.load(main, kind + "_f3", exe)
        res[kind + "_q_losses"] = train(exe, main, loss, kind, range(3, 6))
        np.savez(kind + "_q6.npz", **params(main))
print(json.dumps(res))
'''
)


def _fresh(kind):
    main, startup, test, loss, out = NS["build"](kind)
    exe = paddle.static.Executor(paddle.static.CPUPlace())
    return exe, main, startup, loss


def _close(a: dict, b: dict, what: str):
    assert sorted(a) == sorted(b), what
    for k in a:
        np.testing.assert_allclose(a[k], b[k], rtol=1e-5, atol=1e-6, err_msg=f"{what}: {k}")


@pytest.mark.oracle
def test_static_training_crosses_paddle_26_both_ways(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paddle.enable_static()
    try:
        ours = {}
        for kind in ("mlp", "cnn"):
            exe, main, startup, loss = _fresh(kind)
            with paddle.static.scope_guard(paddle.static.Scope()):
                exe.run(startup)
                NS["train"](exe, main, loss, kind, range(3))
                paddle.static.save(main, str(tmp_path / f"{kind}_f3"))
                ours[kind + "_losses"] = NS["train"](exe, main, loss, kind, range(3, 6))
                ours[kind] = NS["params"](main)
        res = json.loads(run_paddle(ORACLE, "2.6", cwd=tmp_path).strip().splitlines()[-1])
        for kind in ("mlp", "cnn"):
            # Paddle's 3-step save, 3 steps here == Paddle's own 6 steps
            exe, main, startup, loss = _fresh(kind)
            with paddle.static.scope_guard(paddle.static.Scope()):
                exe.run(startup)
                paddle.static.load(main, str(tmp_path / f"{kind}_p3"), exe)
                losses = NS["train"](exe, main, loss, kind, range(3, 6))
                p6 = dict(np.load(tmp_path / f"{kind}_p6.npz"))
                _close(NS["params"](main), p6, f"{kind}: Paddle 3 + paddlefish 3 steps")
            np.testing.assert_allclose(losses, res[kind + "_p_losses"], rtol=1e-5)
            # Paddle's saved training program (backward + adam ops) passes our verifier and its
            # forward runs here on its own parameters: the loss of step 3 again
            prog = paddle.static.deserialize_program(
                paddle.static.load_from_file(str(tmp_path / f"{kind}_p3.pdmodel")))
            assert any(op.type == "adam" for op in prog.global_block().ops)
            loss_name = [op for op in prog.global_block().ops
                         if op.attrs.get("op_role") == 256][0].output("Out")[0]  # OpRole.Loss
            with paddle.static.scope_guard(paddle.static.Scope()):
                paddle.static.load(prog, str(tmp_path / f"{kind}_p3"), exe)
                got = exe.run(prog, feed=NS["batch"](kind, 3), fetch_list=[loss_name])[0]
            np.testing.assert_allclose(got, res[kind + "_p_losses"][0], rtol=1e-5)
            # our 3-step save, 3 steps in Paddle == our own 6 steps
            q6 = dict(np.load(tmp_path / f"{kind}_q6.npz"))
            _close(ours[kind], q6, f"{kind}: paddlefish 3 + Paddle 3 steps")
            np.testing.assert_allclose(ours[kind + "_losses"], res[kind + "_q_losses"], rtol=1e-5)
    finally:
        paddle.disable_static()
