"""Real Paddle's saved programs converted to ONNX: Paddle 2.6 (legacy .pdmodel) and Paddle 3.3
(PIR .json) export the zoo; ``export_model`` converts each; onnxruntime's outputs equal
paddlefish's ``jit.load`` outputs on the same files and real Paddle's own eager outputs."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.onnx import export_model
from tests.jit.zoo import ZOO
from tests.oracle import run_paddle

ort = pytest.importorskip("onnxruntime")
pytestmark = pytest.mark.oracle

RTOL, ATOL = 1e-4, 1e-5
BATCHES = (1, 3)
MODELS = [
    "mlp",
    "ops",
    "lenet",
    "resnet",
    "mobilenet",
    "transformer",
    "lstm",
    "gru",
    "textcls",
    "two_in_dict",
    "dynbatch",
]

ORACLE = r"""
import json, os, runpy, sys, numpy as np, paddle
root, names = sys.argv[1], json.loads(sys.argv[2])
zoo = json.load(open(os.path.join(root, "zoo.json")))
out = {}
for name in names:
    d = os.path.join(root, name); os.makedirs(d, exist_ok=True)
    src = os.path.join(d, "model_pd.py"); open(src, "w").write(zoo[name])
    paddle.seed(0)
    layer, specs, make = runpy.run_path(src)["build"](); layer.eval()
    prefix = os.path.join(d, "model")
    paddle.jit.save(layer, prefix, input_spec=specs)
    rng = np.random.default_rng(7)
    res = {}
    for b in (1, 3):
        xs = make(rng, b)
        for i, x in enumerate(xs):
            res[f"in_b{b}_{i}"] = x
        r = layer(*[paddle.to_tensor(x) for x in xs])
        r = list(r.values()) if isinstance(r, dict) else r if isinstance(r, (list, tuple)) else [r]
        for j, t in enumerate(r):
            res[f"out_b{b}_{j}"] = t.numpy()
    np.savez(os.path.join(d, "ref.npz"), **res)
    out[name] = prefix + (".json" if os.path.exists(prefix + ".json") else ".pdmodel")
print(json.dumps(out))
"""


def _jit_load(prefix, xs):
    m = paddle.jit.load(prefix)
    m.eval()
    with paddle.no_grad():
        r = m(*[paddle.to_tensor(x) for x in xs])
    r = list(r.values()) if isinstance(r, dict) else r if isinstance(r, (list, tuple)) else [r]
    return [t.numpy() for t in r]


def _ort(path, xs):
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    return sess.run(None, {i.name: x for i, x in zip(sess.get_inputs(), xs)})


@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_real_paddle_exports_convert(tmp_path, version):
    (tmp_path / "zoo.json").write_text(json.dumps(ZOO))
    code = (
        f"import sys; sys.argv = ['x', {str(tmp_path)!r}, {json.dumps(json.dumps(MODELS))}]\n"
        + ORACLE
    )
    models = json.loads(run_paddle(code, version, cwd=tmp_path).strip().splitlines()[-1])
    suffix = ".pdmodel" if version == "2.6" else ".json"
    for name in MODELS:
        model = models[name]
        assert model.endswith(suffix), model
        prefix = model[: -len(suffix)]
        onnx_path = str(tmp_path / f"{name}.onnx")
        export_model(model, onnx_path, opset_version=13)
        ref = np.load(os.path.join(os.path.dirname(model), "ref.npz"))
        for b in BATCHES:
            xs = [ref[k] for k in sorted(ref.files) if k.startswith(f"in_b{b}_")]
            got, ours = _ort(onnx_path, xs), _jit_load(prefix, xs)
            theirs = [ref[f"out_b{b}_{j}"] for j in range(len(ours))]
            assert len(got) == len(ours) == len(theirs), name
            for g, o, t in zip(got, ours, theirs):
                np.testing.assert_allclose(g, o, rtol=RTOL, atol=ATOL, err_msg=f"{name} b{b}")
                np.testing.assert_allclose(g, t, rtol=RTOL, atol=1e-4, err_msg=f"{name} b{b}")
