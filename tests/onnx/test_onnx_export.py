"""paddle.onnx.export over the jit test zoo: onnxruntime's outputs equal paddlefish's eager outputs
at two batch sizes (the batch dimension stays dynamic), for every opset end; and the saved-files
path (jit.save -> export_model) gives the same."""

from __future__ import annotations

import runpy

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.onnx import _api, export, export_model
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
    "lstm",
    "gru",
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


class _More(paddle.nn.Layer):
    """Ops and attribute values the zoo does not reach: padded average pooling (exclusive and
    not), softmax/log_softmax off the last axis (opset 11 has no per-axis Softmax), tanh-GELU,
    leaky_relu, clip, swish, pow, cast, strided/negative slicing, a reduce over all axes."""

    def __init__(self):
        super().__init__()
        self.conv = paddle.nn.Conv2D(2, 4, 3, padding=[1, 2], stride=2)

    def forward(self, x):
        F = paddle.nn.functional
        h = self.conv(x)
        p1 = F.avg_pool2d(h, 3, stride=1, padding=1, exclusive=True)
        p2 = F.avg_pool2d(h, 3, stride=1, padding=1, exclusive=False)
        s = F.softmax(p1, axis=1) + F.log_softmax(p2, axis=2)
        t = F.gelu(s, approximate=True) + F.leaky_relu(s, 0.1) + paddle.clip(s, -0.5, 0.7)
        t = t + F.swish(t) + paddle.pow(paddle.abs(t), 1.5)
        u = paddle.cast(paddle.cast(t * 10.0, "float64"), "float32")
        v = u[:, ::2, -3:, 1:] + t[:, 1::2, -3:, :-1]
        return v, paddle.sum(v)


@pytest.mark.parametrize("opset", [11, 13, 17])
def test_more_ops(tmp_path, opset):
    paddle.seed(0)
    layer = _More()
    layer.eval()
    export(
        layer,
        str(tmp_path / "more"),
        input_spec=[paddle.static.InputSpec([None, 2, 9, 9], "float32", "x")],
        opset_version=opset,
    )
    _check(
        str(tmp_path / "more.onnx"),
        layer,
        lambda rng, n: [rng.standard_normal((n, 2, 9, 9)).astype("float32")],
    )


def test_missing_onnx_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(_api, "HAVE_ONNX", False)
    with pytest.raises(ImportError, match=r"pip install onnx onnxruntime"):
        export(
            paddle.nn.Linear(2, 2),
            str(tmp_path / "m"),
            input_spec=[paddle.static.InputSpec([None, 2], "float32", "x")],
        )


class _Search(paddle.nn.Layer):
    """where, gather, argmax/argmin, cumsum (plain, exclusive, reverse, flattened), tile, bmm, topk."""

    def forward(self, x, idx):
        w = paddle.where(x > 0, x, x * 0.1)
        g = paddle.gather(w, idx, axis=1)
        am = paddle.argmax(x, axis=1, keepdim=True)
        an = paddle.argmin(x, axis=-1)
        af = paddle.argmax(x)
        c = paddle.cumsum(g, axis=1) + paddle.cumsum(g, axis=-1, dtype="float32")
        cf = paddle.cumsum(x)
        t = paddle.tile(g, [2, 1]) + 0.0
        t3 = paddle.tile(g, [2, 1, 1])
        b = paddle.bmm(paddle.unsqueeze(x, 0), paddle.unsqueeze(paddle.transpose(x, [1, 0]), 0))
        v, i = paddle.topk(x, 2, axis=1)
        vs, isml = paddle.topk(x, 1, axis=0, largest=False)
        return w, g, am, an, af, c, cf, t, t3, b, v, i, vs, isml


@pytest.mark.parametrize("opset", [11, 17])
def test_search_and_scan_ops(tmp_path, opset):
    layer = _Search()
    specs = [
        paddle.static.InputSpec([None, 5], "float32", "x"),
        paddle.static.InputSpec([3], "int64", "idx"),
    ]
    export(layer, str(tmp_path / "s"), input_spec=specs, opset_version=opset)

    def make(rng, n):
        return [rng.standard_normal((n, 5)).astype("float32"), np.array([4, 0, 2], "int64")]

    _check(str(tmp_path / "s.onnx"), layer, make)


class _Misc(paddle.nn.Layer):
    """conv2d_transpose (padded, strided, output_padding, grouped), flip, full_like, prelu
    (all/channel), add_n, index_select."""

    def __init__(self):
        super().__init__()
        self.up = paddle.nn.Conv2DTranspose(4, 6, 3, stride=2, padding=1, output_padding=1)
        self.upg = paddle.nn.Conv2DTranspose(4, 4, 2, stride=2, groups=2)
        self.pa = paddle.nn.PReLU()
        self.pc = paddle.nn.PReLU(6, 0.2)

    def forward(self, x, idx):
        u = self.pc(self.up(x))
        v = self.pa(self.upg(x))
        f = paddle.flip(u, axis=[1, -1])
        ones = paddle.full_like(x, 2.5)
        r = paddle.arange(0, 5, 1, dtype="float32")
        s = paddle.add_n([x, ones, x * r])
        k = paddle.index_select(s, idx, axis=1)
        return u, v, f, s, k


@pytest.mark.parametrize("opset", [11, 17])
def test_misc_ops(tmp_path, opset):
    paddle.seed(0)
    layer = _Misc()
    layer.eval()
    specs = [
        paddle.static.InputSpec([None, 4, 5, 5], "float32", "x"),
        paddle.static.InputSpec([2], "int64", "idx"),
    ]
    export(layer, str(tmp_path / "misc"), input_spec=specs, opset_version=opset)

    def make(rng, n):
        return [rng.standard_normal((n, 4, 5, 5)).astype("float32"), np.array([3, 1], "int64")]

    _check(str(tmp_path / "misc.onnx"), layer, make)


def test_range_with_tensor_bounds(tmp_path):
    # `paddle.arange(0, n)` with a run-time n: the range op reads Start/End/Step tensors
    from paddlefish import ir
    from paddlefish.onnx import export_program, save_model

    p = ir.Program()
    b = p.global_block()
    for n in ("start", "end", "step"):
        b.create_var(n, dtype="float32", shape=[1])
    b.create_var("out", dtype="float32", shape=[-1])
    b.append_op("range", {"Start": ["start"], "End": ["end"], "Step": ["step"]}, {"Out": ["out"]})
    save_model(export_program(p, {}, feed_names=["start", "end", "step"], fetch_names=["out"]),
               str(tmp_path / "r.onnx"))
    for s, e, st in [(0.0, 5.0, 1.0), (1.5, -2.0, -0.5)]:
        xs = [np.array([v], "float32") for v in (s, e, st)]
        (got,) = _run(str(tmp_path / "r.onnx"), xs)
        np.testing.assert_allclose(got, np.arange(s, e, st, dtype="float32"))


class _Resize(paddle.nn.Layer):
    """The coordinate mappings of Paddle's interpolation: nearest by size and by scale;
    bilinear align_corners / align_mode 0 / align_mode 1; bicubic; 1-D
    linear; trilinear."""

    def forward(self, x, v, t):
        F = paddle.nn.functional
        outs = [
            F.interpolate(x, size=[7, 9], mode="nearest"),
            F.interpolate(x, scale_factor=2.0, mode="nearest"),
            F.interpolate(x, size=[7, 9], mode="bilinear", align_corners=True),
            F.interpolate(x, size=[7, 9], mode="bilinear", align_corners=False, align_mode=0),
            F.interpolate(x, scale_factor=[1.5, 2.0], mode="bilinear", align_corners=False,
                          align_mode=1),
            F.interpolate(x, size=[3, 2], mode="bilinear", align_corners=False),
            F.interpolate(x, size=[7, 9], mode="bicubic", align_corners=False),
            F.interpolate(x, size=[7, 9], mode="bicubic", align_corners=True),
            F.interpolate(v, size=[11], mode="linear", align_corners=False, data_format="NCW"),
            F.interpolate(t, size=[3, 5, 4], mode="trilinear", align_corners=True,
                          data_format="NCDHW"),
        ]
        return outs


@pytest.mark.parametrize("opset", [11, 13, 17])
def test_resize(tmp_path, opset):
    layer = _Resize()
    specs = [
        paddle.static.InputSpec([None, 2, 5, 4], "float32", "x"),
        paddle.static.InputSpec([None, 3, 6], "float32", "v"),
        paddle.static.InputSpec([None, 2, 2, 3, 3], "float32", "t"),
    ]
    export(layer, str(tmp_path / "rs"), input_spec=specs, opset_version=opset)

    def make(rng, n):
        return [
            rng.standard_normal((n, 2, 5, 4)).astype("float32"),
            rng.standard_normal((n, 3, 6)).astype("float32"),
            rng.standard_normal((n, 2, 2, 3, 3)).astype("float32"),
        ]

    _check(str(tmp_path / "rs.onnx"), layer, make)


@pytest.mark.parametrize("threshold", [6.0, 5.0])
def test_hard_swish_attributes(tmp_path, threshold):
    # 1.x programs may carry other threshold/scale/offset than hardswish's 6/6/3
    from paddlefish import ir
    from paddlefish.onnx import export_program, save_model

    p = ir.Program()
    b = p.global_block()
    b.create_var("x", dtype="float32", shape=[-1, 8])
    b.create_var("y", dtype="float32", shape=[-1, 8])
    attrs = {"threshold": threshold, "scale": 6.0, "offset": 3.0}
    b.append_op("hard_swish", {"X": ["x"]}, {"Out": ["y"]}, attrs)
    save_model(export_program(p, {}, feed_names=["x"], fetch_names=["y"]), str(tmp_path / "h.onnx"))
    x = np.linspace(-5, 5, 16, dtype="float32").reshape(2, 8)
    (got,) = _run(str(tmp_path / "h.onnx"), [x])
    np.testing.assert_allclose(got, x * np.clip(x + 3.0, 0, threshold) / 6.0, rtol=1e-6, atol=1e-6)
