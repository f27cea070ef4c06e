"""``paddlefish convert MODEL model.onnx --opset N``: the CLI's ONNX entry, checked in onnxruntime."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort

import paddlefish as paddle
from paddlefish import cli
from paddlefish.static import InputSpec


def test_convert_to_onnx_from_the_command_line(tmp_path, capsys):
    net = paddle.nn.Sequential(paddle.nn.Linear(4, 8), paddle.nn.ReLU(), paddle.nn.Linear(8, 3))
    net.eval()
    prefix = str(tmp_path / "mlp")
    paddle.jit.save(net, prefix, input_spec=[InputSpec([None, 4], "float32", "x")])
    out = str(tmp_path / "mlp.onnx")
    assert cli.main(["convert", prefix, out, "--opset", "13"]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    assert onnx.load(out).opset_import[0].version == 13
    x = np.random.default_rng(0).standard_normal((5, 4)).astype("float32")
    got = ort.InferenceSession(out).run(None, {"x": x})[0]
    np.testing.assert_allclose(got, paddle.jit.load(prefix)(paddle.to_tensor(x)).numpy(),
                               rtol=1e-5, atol=1e-6)
