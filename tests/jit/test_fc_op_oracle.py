"""Paddle's fused ``fc`` op (written by Paddle's inference passes; paddlefish's eager Linear also
runs through its kernel, NOTE [fc eager]): a hand-built program with ``fc`` runs in real Paddle
2.6 and in paddlefish's executor and both give the same numbers."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish import formats, ir
from paddlefish.ops import AttrType
from tests.oracle import run_paddle


def _fc_program(in_num_col_dims: int, activation: str, in_shape: list[int]) -> ir.Program:
    p = ir.Program()
    b = p.global_block()
    b.create_var("x", dtype="float32", shape=in_shape)
    b.create_var("w", dtype="float32", shape=[4, 3], persistable=True)
    b.create_var("bias", dtype="float32", shape=[3], persistable=True)
    b.create_var("out", dtype="float32", shape=in_shape[:in_num_col_dims] + [3], lod_level=0)
    b.create_var("feed", type=ir.VarType.FEED_MINIBATCH, persistable=True)
    b.create_var("fetch", type=ir.VarType.FETCH_LIST, persistable=True)
    b.append_op("feed", {"X": ["feed"]}, {"Out": ["x"]}, {"col": 0})
    b.append_op("fc", {"Bias": ["bias"], "Input": ["x"], "W": ["w"]}, {"Out": ["out"]},
                {"activation_type": activation, "in_num_col_dims": in_num_col_dims,
                 "padding_weights": False},
                {"activation_type": AttrType.STRING, "in_num_col_dims": AttrType.INT,
                 "padding_weights": AttrType.BOOLEAN})
    b.append_op("fetch", {"X": ["out"]}, {"Out": ["fetch"]}, {"col": 0})
    p.verify()
    return p


@pytest.mark.oracle
@pytest.mark.parametrize("case", [(1, "", [-1, 4]), (2, "relu", [-1, 5, 4])])
def test_fc_program_matches_real_paddle(tmp_path, case):
    ncol, act, shape = case
    rng = np.random.default_rng(0)
    w = rng.standard_normal((4, 3)).astype("float32")
    bias = rng.standard_normal(3).astype("float32")
    x = rng.standard_normal([2 if d < 0 else d for d in shape]).astype("float32")
    prefix = str(tmp_path / "fc")
    formats.save_program_desc(_fc_program(ncol, act, shape), prefix + ".pdmodel")
    formats.save_pdiparams({"w": w, "bias": bias}, prefix + ".pdiparams")
    np.save(tmp_path / "x.npy", x)
    ours = paddle.jit.load(prefix)(paddle.to_tensor(x)).numpy()
    run_paddle(f"""
import numpy as np, paddle
paddle.enable_static()
exe = paddle.static.Executor(paddle.CPUPlace())
prog, feeds, fetches = paddle.static.load_inference_model({prefix!r}, exe)
x = np.load({str(tmp_path / 'x.npy')!r})
out, = exe.run(prog, feed={{feeds[0]: x}}, fetch_list=fetches)
np.save({str(tmp_path / 'paddle_out.npy')!r}, out)
""", "2.6")
    want = np.load(tmp_path / "paddle_out.npy")
    assert want.shape == ours.shape
    np.testing.assert_allclose(ours, want, rtol=1e-5, atol=1e-6)
    ref = x.reshape(-1, 4) @ w + bias
    ref = (np.maximum(ref, 0) if act == "relu" else ref).reshape(ours.shape)
    np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-6)
