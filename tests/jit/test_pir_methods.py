"""Extra ``@to_static`` methods in PIR (FORMATS.md 9.1/9.2, NOTE [jit.save method files]):
``jit.save`` writes ``PREFIX.METHOD.json`` + ``.pdiparams`` beside ``PREFIX.json`` and ``jit.load``
gives the loaded layer each method, in paddlefish and in real Paddle 3.3, both ways. (Files of
Paddle 3.0-3.3 with a second method are in tests/jit/test_pir_fixtures.py, model ``methods``.)"""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest

import paddlefish as paddle
from tests.oracle import run_paddle

SRC = """
import paddle
from paddle.static import InputSpec


class TwoMethods(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc = paddle.nn.Linear(4, 3)
        self.head = paddle.nn.Linear(3, 2)

    @paddle.jit.to_static(input_spec=[InputSpec([None, 4], "float32", "x")])
    def forward(self, x):
        return self.fc(x)

    @paddle.jit.to_static(input_spec=[InputSpec([None, 4], "float32", "x")])
    def infer(self, x):
        return paddle.nn.functional.softmax(self.head(paddle.tanh(self.fc(x))), axis=-1)
"""
X = np.linspace(-1, 1, 12, dtype="float32").reshape(3, 4)

_PADDLE = r"""
import json, sys, numpy as np, paddle
X = np.linspace(-1, 1, 12, dtype="float32").reshape(3, 4)
out = {}
sys.path.insert(0, ".")
from model_src import TwoMethods
paddle.seed(0)
layer = TwoMethods()
layer.eval()
paddle.jit.save(layer, "paddle/model")
out["eager"] = [layer(paddle.to_tensor(X)).numpy().tolist(), layer.infer(paddle.to_tensor(X)).numpy().tolist()]
m = paddle.jit.load("ours/model")
out["ours"] = [m(paddle.to_tensor(X)).numpy().tolist(), m.infer(paddle.to_tensor(X)).numpy().tolist()]
print(json.dumps(out))
"""


@pytest.fixture
def pir_mode():
    paddle.set_flags({"FLAGS_enable_pir_api": True})
    yield
    paddle.set_flags({"FLAGS_enable_pir_api": False})


def _layer(tmp_path):
    path = tmp_path / "pf_model_src.py"
    path.write_text(
        SRC.replace("import paddle\n", "import paddlefish as paddle\n").replace(
            "from paddle.static", "from paddlefish.static"
        )
    )
    spec = importlib.util.spec_from_file_location("pf_model_src", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    paddle.seed(0)
    layer = mod.TwoMethods()
    layer.eval()
    return layer


def test_pir_save_writes_method_files_and_load_attaches_them(tmp_path, pir_mode):
    layer = _layer(tmp_path)
    paddle.jit.save(layer, str(tmp_path / "ours" / "model"))
    names = sorted(p.name for p in (tmp_path / "ours").iterdir())
    assert names == ["model.infer.json", "model.infer.pdiparams", "model.json", "model.pdiparams"]
    m = paddle.jit.load(str(tmp_path / "ours" / "model"))
    x = paddle.to_tensor(X)
    np.testing.assert_allclose(m(x).numpy(), layer(x).numpy(), rtol=1e-5)
    np.testing.assert_allclose(m.infer(x).numpy(), layer.infer(x).numpy(), rtol=1e-5)
    assert [op.type for op in m.program("infer").global_block().ops].count("softmax") == 1
    # one tensor per variable: the two programs share fc's weight
    assert len(m.parameters()) == 4


@pytest.mark.oracle
def test_methods_cross_with_real_paddle_33(tmp_path, pir_mode):
    layer = _layer(tmp_path)
    (tmp_path / "model_src.py").write_text(SRC)
    paddle.jit.save(layer, str(tmp_path / "ours" / "model"))
    # same seed, same init order: Paddle's layer is a different network; compare each side to
    # its own eager run
    out = json.loads(run_paddle(_PADDLE, "3.3", cwd=tmp_path).strip().splitlines()[-1])
    x = paddle.to_tensor(X)
    np.testing.assert_allclose(out["ours"][0], layer(x).numpy(), rtol=1e-5)
    np.testing.assert_allclose(out["ours"][1], layer.infer(x).numpy(), rtol=1e-5)
    assert (tmp_path / "paddle" / "model.infer.json").exists()
    m = paddle.jit.load(str(tmp_path / "paddle" / "model"))
    np.testing.assert_allclose(m(x).numpy(), out["eager"][0], rtol=1e-5)
    np.testing.assert_allclose(m.infer(x).numpy(), out["eager"][1], rtol=1e-5)
