"""``paddle.onnx.export`` of a Layer whose forward is ``@paddle.jit.to_static``: its own
``input_spec`` is used when ``export`` is given none (as Paddle's ``paddle.onnx.export``), the
original function is recorded (the decorated one would remember the recording's placeholder
inputs as its last call), and an explicit ``input_spec`` still wins."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.onnx import export
from paddlefish.static import InputSpec

ort = pytest.importorskip("onnxruntime")
onnx = pytest.importorskip("onnx")


class _Net(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc = paddle.nn.Linear(4, 3)

    @paddle.jit.to_static(input_spec=[InputSpec([None, 4], "float32", "feat")])
    def forward(self, x):
        return paddle.nn.functional.relu(self.fc(x))


class _Bare(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc = paddle.nn.Linear(4, 3)

    @paddle.jit.to_static
    def forward(self, x):
        return self.fc(x) * 2.0


def _run(path, x):
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    return sess.run(None, {sess.get_inputs()[0].name: x})[0]


def test_to_static_input_spec_is_used(tmp_path):
    paddle.seed(0)
    layer = _Net()
    export(layer, str(tmp_path / "m"))
    model = onnx.load(str(tmp_path / "m.onnx"))
    assert [i.name for i in model.graph.input] == ["feat"]
    assert model.graph.input[0].type.tensor_type.shape.dim[0].dim_param
    x = np.random.default_rng(0).standard_normal((3, 4)).astype("float32")
    np.testing.assert_allclose(
        _run(str(tmp_path / "m.onnx"), x), layer(paddle.to_tensor(x)).numpy(), rtol=1e-5, atol=1e-6
    )


def test_explicit_input_spec_wins_and_last_call_is_untouched(tmp_path):
    paddle.seed(0)
    layer = _Bare()
    export(layer, str(tmp_path / "m"), input_spec=[InputSpec([None, 4], "float32", "x")])
    assert layer.forward.last_call_input_spec is None  # recording is not a call
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(
        _run(str(tmp_path / "m.onnx"), x), layer(paddle.to_tensor(x)).numpy(), rtol=1e-5, atol=1e-6
    )


def test_no_input_spec_anywhere_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"needs input_spec"):
        export(_Bare(), str(tmp_path / "m"))
