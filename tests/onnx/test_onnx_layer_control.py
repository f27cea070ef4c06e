"""``paddle.onnx.export`` of a Layer whose forward has tensor-dependent ``if``/``while``/``for``:
the forward is converted by dy2static (``static.dy2static``) as ``jit.save`` converts it, and the
exporter writes its ``conditional_block``/``while`` ops as ONNX ``If``/``Loop``. onnxruntime's
outputs equal paddlefish's eager outputs on every branch and trip count, at two batch sizes
(the batch dimension stays dynamic)."""

from __future__ import annotations

import importlib.util

import numpy as np
import onnx
import pytest

import paddlefish as paddle
from paddlefish.onnx import export
from paddlefish.static import InputSpec
from tests.jit.test_control_flow import CASES, MODELS, SPECS

ort = pytest.importorskip("onnxruntime")
RTOL, ATOL = 1e-5, 1e-6

EXTRA = '''

class ToStatic(paddle.nn.Layer):
    """A @to_static forward with its own input_spec and a tensor-dependent if."""

    def __init__(self):
        super().__init__()
        self.fc = paddle.nn.Linear(4, 3)

    @paddle.jit.to_static(input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
    def forward(self, x):
        y = self.fc(x)
        if y.sum() > 0:
            y = paddle.nn.functional.relu(y)
        else:
            y = y * -1.0
        return y
'''


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    path = tmp_path_factory.mktemp("onnx_cf") / "pf_onnx_cf_models.py"  # dy2static reads source
    path.write_text((MODELS + EXTRA).replace("import paddle\n", "import paddlefish as paddle\n"))
    spec = importlib.util.spec_from_file_location("pf_onnx_cf_models", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _ort(path, xs):
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    return sess.run(None, {i.name: x for i, x in zip(sess.get_inputs(), xs)})


def _eager(layer, xs):
    with paddle.no_grad():
        return layer(*[paddle.to_tensor(x) for x in xs]).numpy()


@pytest.mark.parametrize("opset", [11, 17])
@pytest.mark.parametrize("name", sorted(SPECS))
def test_layer_with_tensor_control_flow(models, tmp_path, name, opset):
    paddle.seed(0)
    layer = getattr(models, name)()
    layer.eval()
    specs = [InputSpec(s, d, n) for s, d, n in SPECS[name]]
    export(layer, str(tmp_path / "m"), input_spec=specs, opset_version=opset)
    model = onnx.load(str(tmp_path / "m.onnx"))
    assert {n.op_type for n in model.graph.node} & {"If", "Loop"}
    assert model.graph.input[0].type.tensor_type.shape.dim[0].dim_param  # dynamic batch
    for xs in CASES[name]:
        for batch in (1, 3):  # the cases' x is [2, 4]: take its first row / repeat it
            xs_b = [np.resize(xs[0], (batch, 4)).astype("float32"), *xs[1:]]
            (got,) = _ort(str(tmp_path / "m.onnx"), xs_b)
            want = _eager(layer, xs_b)
            np.testing.assert_allclose(
                got, want, rtol=RTOL, atol=ATOL, err_msg=f"{name} batch {batch} {xs[1:]}"
            )


def test_to_static_forward_uses_its_input_spec(models, tmp_path):
    paddle.seed(0)
    layer = models.ToStatic()
    layer.eval()
    export(layer, str(tmp_path / "t"))  # no input_spec: the @to_static one is used
    model = onnx.load(str(tmp_path / "t.onnx"))
    assert [i.name for i in model.graph.input] == ["x"]
    assert "If" in {n.op_type for n in model.graph.node}
    for sign in (1.0, -1.0):
        x = (sign * np.abs(np.random.default_rng(0).standard_normal((3, 4)))).astype("float32")
        (got,) = _ort(str(tmp_path / "t.onnx"), [x])
        np.testing.assert_allclose(got, _eager(layer, [x]), rtol=RTOL, atol=ATOL)


def test_forward_without_source_is_recorded_as_plain_python(tmp_path):
    ns = {"paddle": paddle}
    exec(  # noqa: S102 - a class whose source inspect cannot read
        "class NoSource(paddle.nn.Layer):\n"
        "    def forward(self, x):\n"
        "        return paddle.tanh(x) * 2.0\n",
        ns,
    )
    layer = ns["NoSource"]()
    export(layer, str(tmp_path / "n"), input_spec=[InputSpec([None, 3], "float32", "x")])
    x = np.linspace(-2, 2, 6, dtype="float32").reshape(2, 3)
    (got,) = _ort(str(tmp_path / "n.onnx"), [x])
    np.testing.assert_allclose(got, _eager(layer, [x]), rtol=RTOL, atol=ATOL)
