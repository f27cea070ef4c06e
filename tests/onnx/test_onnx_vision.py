"""``paddle.onnx.export`` of ``paddle.vision.models`` (small inputs, classifiers left out where
their fixed-size Linear would force 224x224): onnxruntime's outputs equal paddlefish's eager
outputs at batch 1 and 2 with the batch dimension dynamic. VGG's 7x7 adaptive pool on a 1x1
map exercises NOTE [onnx adaptive pool]."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.onnx import export
from paddlefish.static import InputSpec

ort = pytest.importorskip("onnxruntime")
onnx = pytest.importorskip("onnx")

M = paddle.vision.models
# name -> (constructor, input size); sizes are the smallest each network takes
MODELS = {
    "vgg11": (lambda: M.vgg11(num_classes=0), 32),
    "alexnet": (lambda: M.alexnet(num_classes=0), 64),
    "mobilenet_v1": (lambda: M.mobilenet_v1(scale=0.25, num_classes=10), 32),
    "shufflenet_v2_x0_25": (lambda: M.shufflenet_v2_x0_25(num_classes=10), 32),
    "squeezenet1_0": (lambda: M.squeezenet1_0(num_classes=10), 64),
    "densenet121": (lambda: M.densenet121(num_classes=10), 32),
    "googlenet": (lambda: M.googlenet(num_classes=10), 224),  # its aux heads fix 224
    "inception_v3": (lambda: M.inception_v3(num_classes=10), 75),
}
SLOW = {"densenet121", "googlenet", "inception_v3"}  # 4-6 s each on a busy machine


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n for n in sorted(MODELS)]
)
def test_vision_model(tmp_path, name):
    make, size = MODELS[name]
    paddle.seed(0)
    layer = make()
    layer.eval()
    spec = [InputSpec([None, 3, size, size], "float32", "x")]
    export(layer, str(tmp_path / "m"), input_spec=spec, opset_version=13)
    path = str(tmp_path / "m.onnx")
    assert onnx.load(path).graph.input[0].type.tensor_type.shape.dim[0].dim_param
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    for batch in (1, 2):
        x = rng.standard_normal((batch, 3, size, size)).astype("float32")
        with paddle.no_grad():
            want = layer(paddle.to_tensor(x))
        want = [w.numpy() for w in (want if isinstance(want, (list, tuple)) else [want])]
        got = sess.run(None, {"x": x})
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert g.shape == w.shape
            # float32 sums over deep stacks: relative to the output's scale
            np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5 * float(np.abs(w).max()))
