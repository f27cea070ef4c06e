"""ONNX export of control flow (``conditional_block``/``select_input`` -> ``If``, ``while`` ->
``Loop``) and of Paddle's ``rnn`` op (LSTM/GRU/SimpleRNN, sequence_length, bidirectional,
multi-layer): onnxruntime's outputs equal paddlefish's on every branch and trip count.

The control-flow models are tests/jit/test_control_flow.py's, saved three ways: paddlefish's
``jit.save``, real Paddle 2.6's legacy and Paddle 3.3's PIR ``jit.save`` (one subprocess each,
where Paddle's own eager outputs are a second reference), then converted with ``export_model``. The zoo's LSTM/GRU models are covered with the zoo in test_onnx_export.py /
test_onnx_oracle.py; here are the other rnn variants.
"""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import onnx
import pytest

import paddlefish as paddle
from paddlefish.onnx import export, export_model
from paddlefish.static import InputSpec
from tests.jit.test_control_flow import CASES, CASES_FROM_PADDLE, MODELS, SPECS
from tests.oracle import run_paddle

ort = pytest.importorskip("onnxruntime")
RTOL, ATOL = 1e-5, 1e-6


def _ort(path, xs):
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    return sess.run(None, {i.name: x for i, x in zip(sess.get_inputs(), xs)})


def _specs(name):
    return [InputSpec(s, d, n) for s, d, n in SPECS[name]]


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    d = tmp_path_factory.mktemp("cf_models")
    path = d / "pf_cf_models.py"
    path.write_text(MODELS.replace("import paddle\n", "import paddlefish as paddle\n"))
    spec = importlib.util.spec_from_file_location("pf_cf_models", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("opset", [11, 17])
@pytest.mark.parametrize("name", sorted(SPECS))
def test_control_flow_saved_by_paddlefish(models, tmp_path, name, opset):
    paddle.seed(0)
    layer = getattr(models, name)()
    layer.eval()
    paddle.jit.save(layer, str(tmp_path / "m"), input_spec=_specs(name))
    path = str(tmp_path / "m.onnx")
    export_model(str(tmp_path / "m"), path, opset_version=opset)
    kinds = {n.op_type for n in onnx.load(path).graph.node}
    assert kinds & {"If", "Loop"}, kinds
    for xs in CASES[name]:
        want = layer(*[paddle.to_tensor(x) for x in xs]).numpy()
        (got,) = _ort(path, xs)
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL, err_msg=f"{name} {xs[1:]}")


ORACLE = r"""
import json, sys, numpy as np, paddle
from paddle.static import InputSpec
sys.path.insert(0, ".")
import pd_cf_models as M
specs, cases = json.loads(open("specs.json").read()), json.loads(open("cases.json").read())
out = {}
for name, spec in specs.items():
    paddle.seed(0)
    layer = getattr(M, name)()
    layer.eval()
    paddle.jit.save(layer, name, input_spec=[InputSpec(s, d, n) for s, d, n in spec])
    res = {}
    for i, xs in enumerate(cases[name]):
        xs = [np.asarray(x, dtype=d) for x, (_, d, _) in zip(xs, spec)]
        try:  # Paddle 3.3's eager range() over a [1]-shaped tensor raises: no reference then
            res[f"out{i}"] = layer(*[paddle.to_tensor(x) for x in xs]).numpy()
        except TypeError:
            pass
    np.savez(name + ".npz", **res)
print("done")
"""


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_control_flow_from_real_paddle_files(tmp_path, version):
    (tmp_path / "pd_cf_models.py").write_text(MODELS)
    (tmp_path / "specs.json").write_text(json.dumps(SPECS))
    (tmp_path / "cases.json").write_text(
        json.dumps({k: [[x.tolist() for x in xs] for xs in v] for k, v in CASES.items()})
    )
    run_paddle(ORACLE, version, cwd=tmp_path)
    suffix = ".pdmodel" if version == "2.6" else ".json"
    # NOTE [paddle 2.6 for-continue] (tests/jit/test_control_flow.py): Paddle's ForRange program
    # (2.6's and 3.3's alike) never ends once `continue` is taken, in Paddle as in paddlefish and
    # onnxruntime
    cases = CASES_FROM_PADDLE
    compared = 0
    for name in SPECS:
        prefix = str(tmp_path / name)
        export_model(prefix + suffix, prefix + ".onnx", opset_version=13)
        ours = paddle.jit.load(prefix)
        theirs = np.load(prefix + ".npz")
        for i, xs in enumerate(cases[name]):
            (got,) = _ort(prefix + ".onnx", xs)
            want = ours(*[paddle.to_tensor(x) for x in xs]).numpy()
            np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL, err_msg=f"{name} {i}")
            if f"out{i}" in theirs.files:
                compared += 1
                np.testing.assert_allclose(
                    got,
                    theirs[f"out{i}"],
                    rtol=1e-5,
                    atol=1e-5,
                    err_msg=f"{name} {i} vs Paddle {version}",
                )
    assert compared >= 7  # 3.3's eager ForRange gives no reference


class _Rnns(paddle.nn.Layer):
    """The rnn variants the zoo does not reach: LSTM without sequence_length and with given
    initial states, a bidirectional 2-layer GRU with lengths, SimpleRNN tanh/relu."""

    def __init__(self):
        super().__init__()
        self.lstm = paddle.nn.LSTM(5, 6, num_layers=3)
        self.gru = paddle.nn.GRU(6, 4, num_layers=2, direction="bidirect")
        self.rnn_t = paddle.nn.SimpleRNN(8, 3, direction="bidirect")
        self.rnn_r = paddle.nn.SimpleRNN(8, 3, activation="relu", time_major=True)

    def forward(self, x, h0, c0, lengths):
        a, (h, c) = self.lstm(x, (h0, c0))
        b, hb = self.gru(a, sequence_length=lengths)
        t, ht = self.rnn_t(b, sequence_length=lengths)
        r, hr = self.rnn_r(paddle.transpose(b, [1, 0, 2]))
        return a, h, c, b, hb, t, ht, r, hr


@pytest.mark.parametrize("opset", [11, 17])
def test_rnn_variants(tmp_path, opset):
    paddle.seed(0)
    layer = _Rnns()
    layer.eval()
    specs = [
        InputSpec([None, 7, 5], "float32", "x"),
        InputSpec([3, None, 6], "float32", "h0"),
        InputSpec([3, None, 6], "float32", "c0"),
        InputSpec([None], "int64", "lengths"),
    ]
    export(layer, str(tmp_path / "rnn"), input_spec=specs, opset_version=opset)
    path = str(tmp_path / "rnn.onnx")
    kinds = [n.op_type for n in onnx.load(path).graph.node]
    assert kinds.count("LSTM") == 3 and kinds.count("GRU") == 2 and kinds.count("RNN") == 2
    rng = np.random.default_rng(1)
    for batch, lengths in [(1, [7]), (4, [7, 1, 4, 6])]:
        xs = [
            rng.standard_normal((batch, 7, 5)).astype("float32"),
            rng.standard_normal((3, batch, 6)).astype("float32"),
            rng.standard_normal((3, batch, 6)).astype("float32"),
            np.asarray(lengths, "int64"),
        ]
        with paddle.no_grad():
            want = [t.numpy() for t in layer(*[paddle.to_tensor(x) for x in xs])]
        got = _ort(path, xs)
        assert len(got) == len(want)
        for i, (g, w) in enumerate(zip(got, want)):
            assert g.shape == w.shape, (i, g.shape, w.shape)
            np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5, err_msg=f"output {i} b{batch}")
