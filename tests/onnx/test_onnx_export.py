"""paddle.onnx.export over the jit test zoo: onnxruntime's outputs equal paddlefish's eager outputs
at two batch sizes (the batch dimension stays dynamic), for every opset end; and the saved-files
path (jit.save -> export_model) gives the same."""

from __future__ import annotations

import runpy

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.onnx import export, export_model
from tests.inference.test_predictor import as_paddlefish
from tests.jit.zoo import ZOO

ort = pytest.importorskip("onnxruntime")
onnx = pytest.importorskip("onnx")

RTOL, ATOL = 1e-4, 1e-5
MODELS = [
    "mlp",
    "ops",
    "lenet",
    "resnet",
    "mobilenet",
    "transformer",
    "textcls",
    "two_in_dict",
    "dynbatch",
]


def _build(tmp_path, name):
    src = tmp_path / f"m_{name}.py"
    src.write_text(as_paddlefish(ZOO[name]))
    paddle.seed(0)
    layer, specs, make = runpy.run_path(str(src))["build"]()
    layer.eval()
    return layer, specs, make


def _eager(layer, xs):
    with paddle.no_grad():
        r = layer(*[paddle.to_tensor(x) for x in xs])
    r = list(r.values()) if isinstance(r, dict) else r if isinstance(r, (list, tuple)) else [r]
    return [t.numpy() for t in r]


def _run(path, xs):
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]
    return sess.run(None, dict(zip(names, xs)))


def _check(path, layer, make):
    rng = np.random.default_rng(0)
    for batch in (1, 3):
        xs = make(rng, batch)
        want, got = _eager(layer, xs), _run(path, xs)
        assert len(want) == len(got)
        for w, g in zip(want, got):
            assert g.shape == w.shape
            np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("opset", [11, 17])
@pytest.mark.parametrize("name", MODELS)
def test_export_layer_matches_eager(tmp_path, name, opset):
    layer, specs, make = _build(tmp_path, name)
    export(layer, str(tmp_path / "model"), input_spec=specs, opset_version=opset)
    path = str(tmp_path / "model.onnx")
    model = onnx.load(path)
    first = model.graph.input[0].type.tensor_type.shape.dim[0]
    assert first.dim_param and not first.dim_value  # the batch stays dynamic
    _check(path, layer, make)


@pytest.mark.parametrize("name", ["resnet", "mobilenet", "two_in_dict", "dynbatch"])
def test_export_saved_program(tmp_path, name):
    layer, specs, make = _build(tmp_path, name)
    prefix = str(tmp_path / "saved" / "model")
    paddle.jit.save(layer, prefix, input_spec=specs)
    export_model(prefix, str(tmp_path / "m.onnx"), opset_version=13)
    _check(str(tmp_path / "m.onnx"), layer, make)
