"""ONNX export of the ops in ``_rules_math.py``, ``_rules_nn.py`` and ``_rules_index.py``:
recorded from Layers (onnxruntime vs paddlefish's eager outputs at two batch sizes, the batch
dimension dynamic), and, for ops that Paddle-written programs carry but paddlefish's recorder
does not write (1.x ``fc``, ``lookup_table``, ``one_hot``; ``where_index``, ``masked_select``,
``set_value``, ...), from hand-built programs run by paddlefish's interpreter as the
reference."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import paddlefish as paddle
from paddlefish import ir
from paddlefish.errors import ConversionError
from paddlefish.onnx import export, export_program, save_model
from paddlefish.static import InputSpec
from paddlefish.static.interpreter import CompiledBlock

ort = pytest.importorskip("onnxruntime")
onnx = pytest.importorskip("onnx")

RTOL, ATOL = 1e-5, 1e-5
F = paddle.nn.functional


def _run(path, xs):
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    return sess.run(None, {i.name: x for i, x in zip(sess.get_inputs(), xs)})


def _eager(layer, xs):
    with paddle.no_grad():
        r = layer(*[paddle.to_tensor(x) for x in xs])
    return [t.numpy() for t in (r if isinstance(r, (list, tuple)) else [r])]


def _check_layer(tmp_path, layer, specs, make, opset):
    layer.eval()
    export(layer, str(tmp_path / "m"), input_spec=specs, opset_version=opset)
    path = str(tmp_path / "m.onnx")
    assert onnx.load(path).graph.input[0].type.tensor_type.shape.dim[0].dim_param
    rng = np.random.default_rng(0)
    for batch in (1, 3):
        xs = make(rng, batch)
        want, got = _eager(layer, xs), _run(path, xs)
        assert len(got) == len(want)
        for i, (g, w) in enumerate(zip(got, want)):
            assert g.shape == w.shape and g.dtype == w.dtype, (i, g.shape, w.shape, g.dtype)
            np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL, err_msg=f"output {i}")


class _Elementwise(paddle.nn.Layer):
    """Activations and math: elu, selu, mish, log_sigmoid, tanhshrink, square, rsqrt, sign,
    log1p/log2/log10, trig and hyperbolic, floor_divide and mod on ints and floats, round off
    the .5 ties (see test_round_half_away_from_zero). isnan/isinf/isfinite are checked on a
    hand-built program (test_programs_written_by_paddle): the recorder declares their outputs
    float32 (ops/math.py's meta shortcut), eager gives bool."""

    def forward(self, x):
        pos = paddle.abs(x) + 0.1
        small = paddle.clip(x, -0.9, 0.9)
        xi = paddle.cast(x * 10.0, "int64")
        three = paddle.full([1], 3, "int64")
        return [
            F.elu(x, 0.7),
            F.selu(x),
            F.mish(x * 8.0),
            F.log_sigmoid(x * 30.0),
            F.tanhshrink(x),
            paddle.square(x),
            paddle.rsqrt(pos),
            paddle.sign(x),
            paddle.log1p(pos),
            paddle.log2(pos),
            paddle.log10(pos),
            paddle.tan(small),
            paddle.sinh(x),
            paddle.cosh(x),
            paddle.asin(small),
            paddle.acos(small),
            paddle.atan(x),
            paddle.floor_divide(xi, three),
            paddle.mod(xi, three),
            paddle.mod(xi, -three),
            paddle.mod(x, paddle.full([1], 0.7)),
            paddle.floor_divide(x, paddle.full([1], 0.3)),
            paddle.round(x * 3.0 + 0.01),
        ]


@pytest.mark.parametrize("opset", [11, 17])
def test_elementwise_ops(tmp_path, opset):
    _check_layer(
        tmp_path,
        _Elementwise(),
        [InputSpec([None, 7], "float32", "x")],
        lambda rng, n: [rng.standard_normal((n, 7)).astype("float32")],
        opset,
    )


def test_round_half_away_from_zero(tmp_path):
    # Paddle 2.6's paddle.round([0.5, 1.5, 2.5, -0.5, -2.5]) prints [1, 2, 3, -1, -3]
    # (std::round); ONNX Round would give [0, 2, 2, -0, -2]
    p = ir.Program()
    b = p.global_block()
    b.create_var("x", dtype="float32", shape=[-1])
    b.create_var("y", dtype="float32", shape=[-1])
    b.append_op("round", {"X": ["x"]}, {"Out": ["y"]})
    save_model(export_program(p, {}, feed_names=["x"], fetch_names=["y"]), str(tmp_path / "r.onnx"))
    (got,) = _run(str(tmp_path / "r.onnx"), [np.array([0.5, 1.5, 2.5, -0.5, -2.5], "float32")])
    np.testing.assert_array_equal(got, [1, 2, 3, -1, -3])


class _Norms(paddle.nn.Layer):
    """group_norm (NCHW and NHWC), instance_norm (affine and not), logsumexp, all/any,
    label_smooth."""

    def __init__(self):
        super().__init__()
        self.gn = paddle.nn.GroupNorm(2, 4)
        self.gnl = paddle.nn.GroupNorm(4, 4, data_format="NHWC")
        self.inorm = paddle.nn.InstanceNorm2D(4)
        self.inorm0 = paddle.nn.InstanceNorm2D(4, weight_attr=False, bias_attr=False)

    def forward(self, x):
        return [
            self.gn(x),
            self.gnl(paddle.transpose(x, [0, 2, 3, 1])),
            self.inorm(x),
            self.inorm0(x),
            paddle.logsumexp(x, axis=[1, 2]),
            paddle.logsumexp(x, axis=-1, keepdim=True),
            paddle.all(x > -1.0, axis=1),
            paddle.any(x > 1.5, axis=[2, 3]),
            F.label_smooth(F.softmax(x, axis=-1), epsilon=0.2),
        ]


@pytest.mark.parametrize("opset", [11, 17])
def test_norms_and_reductions(tmp_path, opset):
    paddle.seed(0)
    layer = _Norms()
    with paddle.no_grad():
        for p in layer.parameters():
            p.set_value(paddle.uniform(p.shape, min=0.5, max=1.5))
    _check_layer(
        tmp_path,
        layer,
        [InputSpec([None, 4, 5, 6], "float32", "x")],
        lambda rng, n: [rng.standard_normal((n, 4, 5, 6)).astype("float32")],
        opset,
    )


class _Shapes(paddle.nn.Layer):
    """pad (every dim), pad3d via F.pad (constant/reflect/replicate, NCHW and NCL),
    pixel_shuffle (NCHW/NHWC), unstack, roll (per axis and flattened), argsort (both orders),
    expand_as, gather_nd, meshgrid, numel, max_pool2d with mask, adaptive max pool,
    conv3d/pool3d/conv3d_transpose."""

    def __init__(self):
        super().__init__()
        self.c3 = paddle.nn.Conv3D(4, 2, 3, padding=1)
        self.t3 = paddle.nn.Conv3DTranspose(4, 2, 2, stride=2)

    def forward(self, x):
        v = x[:, 0]
        pooled, mask = F.max_pool2d(x, 2, return_mask=True)
        x5 = paddle.unsqueeze(x, 2)
        a, b = paddle.meshgrid(x[0, 0, 0], x[0, 0, :, 0])
        return [
            F.pad(x, [0, 0, 1, 1, 1, 2, 0, 1], value=0.5),
            F.pad(x, [1, 2, 0, 1], value=-1.0),
            F.pad(x, [1, 2, 0, 1], mode="reflect"),
            F.pad(x, [1, 2, 2, 1], mode="replicate"),
            F.pad(v, [2, 1], mode="reflect", data_format="NCL"),
            F.pixel_shuffle(x, 2),
            F.pixel_shuffle(paddle.transpose(x, [0, 2, 3, 1]), 2, data_format="NHWC"),
            *paddle.unstack(x, axis=1),
            paddle.roll(x, [1, -2], axis=[1, 3]),
            paddle.roll(x, 5),
            paddle.argsort(x, axis=-1),
            paddle.argsort(x, axis=1, descending=True),
            paddle.expand_as(x[:, :1], x),
            paddle.gather_nd(x, paddle.to_tensor([[0, 1], [0, 3]])),
            a,
            b,
            paddle.numel(x),
            pooled,
            mask,
            F.adaptive_max_pool2d(x, 2),
            self.c3(x5),
            F.max_pool3d(x5, [1, 2, 2]),
            F.avg_pool3d(x5, [1, 3, 2], stride=[1, 1, 2]),
            self.t3(x5),
        ]


@pytest.mark.parametrize("opset", [11, 17])
def test_shape_and_index_ops(tmp_path, opset):
    paddle.seed(0)
    _check_layer(
        tmp_path,
        _Shapes(),
        [InputSpec([None, 4, 6, 6], "float32", "x")],
        lambda rng, n: [rng.standard_normal((n, 4, 6, 6)).astype("float32")],
        opset,
    )


def _program(ops, feeds, fetches, params=None):
    """A program from ``ops`` = [(type, inputs, outputs, attrs)] and ``{name: (shape, dtype)}``
    variables."""
    p = ir.Program()
    b = p.global_block()
    for name, (shape, dtype) in {**feeds, **fetches}.items():
        b.create_var(name, dtype=dtype, shape=shape)
    for name, arr in (params or {}).items():
        b.create_var(name, dtype=str(arr.dtype), shape=list(arr.shape), persistable=True)
    for t, ins, outs, attrs in ops:
        for names in outs.values():
            for n in names:
                if b.find_var(n) is None:
                    b.create_var(n, dtype="float32", shape=[-1])
        b.append_op(t, ins, outs, attrs)
    return p


def _check_program(tmp_path, p, params, feeds: dict, fetches: list, opset=13):
    path = str(tmp_path / "p.onnx")
    save_model(
        export_program(p, params, feed_names=list(feeds), fetch_names=fetches, opset_version=opset),
        path,
    )
    scope = {k: torch.from_numpy(v) for k, v in {**params, **feeds}.items()}
    CompiledBlock(p.global_block(), keep=fetches).run(scope)
    got = _run(path, list(feeds.values()))
    for name, g in zip(fetches, got):
        w = scope[name].numpy()
        assert g.shape == w.shape, (name, g.shape, w.shape)
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL, err_msg=name)


@pytest.mark.parametrize("opset", [11, 17])
def test_programs_written_by_paddle(tmp_path, opset):
    rng = np.random.default_rng(0)
    w = rng.standard_normal((12, 5)).astype("float32")
    bias = rng.standard_normal((5,)).astype("float32")
    emb = rng.standard_normal((10, 3)).astype("float32")
    p = _program(
        [
            (
                "fc",
                {"Input": ["x"], "W": ["w"], "Bias": ["b"]},
                {"Out": ["fc"]},
                {"in_num_col_dims": 1, "activation_type": "relu"},
            ),
            (
                "fc",
                {"Input": ["x3"], "W": ["w"], "Bias": []},
                {"Out": ["fc3"]},
                {"in_num_col_dims": 2},
            ),
            ("lookup_table", {"Ids": ["ids"], "W": ["emb"]}, {"Out": ["lt"]}, {"padding_idx": 2}),
            ("one_hot", {"X": ["ids"]}, {"Out": ["oh"]}, {"depth": 10, "dtype": 5}),
            ("one_hot_v2", {"X": ["ids2"]}, {"Out": ["oh2"]}, {"depth": 10, "dtype": 5}),
            ("where_index", {"Condition": ["cond"]}, {"Out": ["nz"]}, {}),
            ("masked_select", {"X": ["x"], "Mask": ["cond"]}, {"Y": ["ms"]}, {}),
            (
                "fill_constant_batch_size_like",
                {"Input": ["x"]},
                {"Out": ["fb"]},
                {
                    "shape": [-1, 3],
                    "dtype": 5,
                    "value": 1.5,
                    "input_dim_idx": 0,
                    "output_dim_idx": 0,
                },
            ),
            ("fill_zeros_like", {"X": ["x"]}, {"Out": ["fz"]}, {}),
            ("expand", {"X": ["x"]}, {"Out": ["ex"]}, {"expand_times": [2, 1]}),
            ("top_k", {"X": ["x"]}, {"Out": ["tk"], "Indices": ["tki"]}, {"k": 3}),
            ("p_norm", {"X": ["x"]}, {"Out": ["pn2"]}, {"porder": 2.0, "axis": 1}),
            (
                "p_norm",
                {"X": ["x"]},
                {"Out": ["pn3"]},
                {"porder": 3.0, "axis": -1, "keepdim": True},
            ),
            ("p_norm", {"X": ["x"]}, {"Out": ["pn1"]}, {"porder": 1.0, "axis": 0}),
            ("p_norm", {"X": ["x"]}, {"Out": ["pninf"]}, {"porder": float("inf"), "axis": 1}),
            ("increment", {"X": ["x"]}, {"Out": ["inc"]}, {"step": 2.0}),
            ("brelu", {"X": ["x"]}, {"Out": ["br"]}, {"t_min": -0.5, "t_max": 0.5}),
            (
                "scatter",
                {"X": ["x"], "Ids": ["sid"], "Updates": ["upd"]},
                {"Out": ["sc"]},
                {"overwrite": True},
            ),
            ("isnan_v2", {"X": ["xn"]}, {"Out": ["isn"]}, {}),
            ("isinf_v2", {"X": ["xn"]}, {"Out": ["isi"]}, {}),
            ("isfinite_v2", {"X": ["xn"]}, {"Out": ["isf"]}, {}),
        ],
        {
            "x": ([-1, 12], "float32"),
            "x3": ([-1, 2, 12], "float32"),
            "ids": ([-1, 4, 1], "int64"),
            "ids2": ([-1, 4], "int64"),
            "cond": ([-1, 12], "bool"),
            "sid": ([2], "int64"),
            "upd": ([2, 12], "float32"),
            "xn": ([-1], "float32"),
        },
        {
            "fc": ([-1, 5], "float32"),
            "fc3": ([-1, 2, 5], "float32"),
            "lt": ([-1, 4, 3], "float32"),
            "oh": ([-1, 4, 10], "float32"),
            "oh2": ([-1, 4, 10], "float32"),
            "nz": ([-1, 2], "int64"),
            "ms": ([-1], "float32"),
            "fb": ([-1, 3], "float32"),
            "fz": ([-1, 12], "float32"),
            "ex": ([-1, 12], "float32"),
            "tk": ([-1, 3], "float32"),
            "tki": ([-1, 3], "int64"),
            "pn2": ([-1], "float32"),
            "pn3": ([-1, 1], "float32"),
            "pn1": ([12], "float32"),
            "pninf": ([-1], "float32"),
            "inc": ([-1, 12], "float32"),
            "br": ([-1, 12], "float32"),
            "sc": ([-1, 12], "float32"),
            "isn": ([-1], "bool"),
            "isi": ([-1], "bool"),
            "isf": ([-1], "bool"),
        },
        {"w": w, "b": bias, "emb": emb},
    )
    x = rng.standard_normal((3, 12)).astype("float32")
    feeds = {
        "x": x,
        "x3": rng.standard_normal((3, 2, 12)).astype("float32"),
        "ids": np.array([[[1], [2], [9], [0]]] * 3, "int64"),
        "ids2": np.array([[1, 2, 9, 0]] * 3, "int64"),
        "cond": x > 0.2,
        "sid": np.array([2, 0], "int64"),
        "upd": rng.standard_normal((2, 12)).astype("float32"),
        "xn": np.array([1.0, np.nan, np.inf, -np.inf, 0.0], "float32"),
    }
    fetches = [
        "fc",
        "fc3",
        "lt",
        "oh",
        "oh2",
        "nz",
        "ms",
        "fb",
        "fz",
        "ex",
        "tk",
        "tki",
        "pn2",
        "pn3",
        "pn1",
        "pninf",
        "inc",
        "br",
        "sc",
        "isn",
        "isi",
        "isf",
    ]
    _check_program(tmp_path, p, {"w": w, "b": bias, "emb": emb}, feeds, fetches, opset)


class _Adaptive(paddle.nn.Layer):
    """Adaptive pooling to sizes that do not divide the input (NOTE [onnx adaptive pool]):
    avg and max, larger and smaller than the input, 1-D, NHWC."""

    def forward(self, x):
        return [
            F.adaptive_avg_pool2d(x, 7),
            F.adaptive_max_pool2d(x, [3, 4]),
            F.adaptive_avg_pool2d(x, [5, 1]),
            F.adaptive_avg_pool2d(paddle.transpose(x, [0, 2, 3, 1]), [2, 4], data_format="NHWC"),
            F.adaptive_avg_pool1d(x[:, 0], 4),
        ]


@pytest.mark.parametrize("opset", [11, 17])
def test_adaptive_pool_uneven_windows(tmp_path, opset):
    _check_layer(
        tmp_path,
        _Adaptive(),
        [InputSpec([None, 2, 5, 6], "float32", "x")],
        lambda rng, n: [rng.standard_normal((n, 2, 5, 6)).astype("float32")],
        opset,
    )


class _UnevenMask(paddle.nn.Layer):
    def forward(self, x):
        out, mask = F.adaptive_max_pool2d(x, [3, 4], return_mask=True)
        return out + paddle.cast(mask, "float32")


def test_uneven_adaptive_max_pool_mask_is_refused(tmp_path):
    with pytest.raises(ConversionError, match=r"Mask of an adaptive max pool to \[3, 4\]"):
        export(
            _UnevenMask(),
            str(tmp_path / "m"),
            input_spec=[InputSpec([None, 2, 5, 6], "float32", "x")],
        )


def test_fetch_nothing_computes_is_named():
    p = _program(
        [("relu", {"X": ["x"]}, {"Out": ["y"]}, {})],
        {"x": ([-1, 3], "float32")},
        {"y": ([-1, 3], "float32"), "z": ([-1, 3], "float32")},
    )
    with pytest.raises(ConversionError, match=r"fetch target 'z' is not computed"):
        export_program(p, {}, feed_names=["x"], fetch_names=["y", "z"])


@pytest.mark.parametrize("opset", [11, 17])
def test_set_value(tmp_path, opset):
    # x[:, 0] = 5; x[:, 1:3] = v; x[1:, ::2, 1] = -3 (decrease axis, steps); x[:, -1:] = w
    # (negative start) — the layout Paddle 2.6's dy2static writes (values as Scalars)
    common = {"none_axes": [], "dtype": 5}
    p = _program(
        [
            (
                "set_value",
                {"Input": ["x"]},
                {"Out": ["a"]},
                {
                    **common,
                    "axes": [1],
                    "starts": [0],
                    "ends": [1],
                    "steps": [1],
                    "decrease_axes": [1],
                    "values": [5.0],
                    "shape": [1],
                },
            ),
            (
                "set_value",
                {"Input": ["a"], "ValueTensor": ["v"]},
                {"Out": ["b"]},
                {
                    **common,
                    "axes": [1],
                    "starts": [1],
                    "ends": [3],
                    "steps": [1],
                    "decrease_axes": [],
                    "values": [],
                    "shape": [],
                },
            ),
            (
                "set_value",
                {"Input": ["b"], "ValueTensor": ["one"]},
                {"Out": ["c"]},
                {
                    **common,
                    "axes": [0, 1, 2],
                    "starts": [1, 0, 1],
                    "ends": [2**31 - 1] * 2 + [2],
                    "steps": [1, 2, 1],
                    "decrease_axes": [2],
                    "values": [],
                    "shape": [],
                },
            ),
            (
                "set_value",
                {"Input": ["c"], "ValueTensor": ["w"]},
                {"Out": ["d"]},
                {
                    **common,
                    "axes": [1],
                    "starts": [-1],
                    "ends": [2**31 - 1],
                    "steps": [1],
                    "decrease_axes": [],
                    "values": [],
                    "shape": [],
                },
            ),
        ],
        {
            "x": ([-1, 4, 3], "float32"),
            "v": ([-1, 2, 3], "float32"),
            "one": ([1], "float32"),
            "w": ([3], "float32"),
        },
        {
            "a": ([-1, 4, 3], "float32"),
            "b": ([-1, 4, 3], "float32"),
            "c": ([-1, 4, 3], "float32"),
            "d": ([-1, 4, 3], "float32"),
        },
    )
    rng = np.random.default_rng(0)
    for batch in (1, 3):
        feeds = {
            "x": rng.standard_normal((batch, 4, 3)).astype("float32"),
            "v": rng.standard_normal((batch, 2, 3)).astype("float32"),
            "one": np.array([-3.0], "float32"),
            "w": rng.standard_normal(3).astype("float32"),
        }
        _check_program(tmp_path, p, {}, feeds, ["a", "b", "c", "d"], opset)


class _Scan(paddle.nn.Layer):
    """cumprod through zeros and negatives, on both axes."""

    def forward(self, x):
        z = paddle.where(paddle.abs(x) < 0.2, paddle.zeros_like(x), x)
        return [paddle.cumprod(x, 1), paddle.cumprod(z, 0), paddle.cumprod(x, -1)]


@pytest.mark.parametrize("opset", [11, 17])
def test_cumprod(tmp_path, opset):
    _check_layer(
        tmp_path,
        _Scan(),
        [InputSpec([None, 6], "float32", "x")],
        lambda rng, n: [rng.uniform(-1.5, 1.5, (n, 6)).astype("float32")],
        opset,
    )


@pytest.mark.parametrize("opset", [11, 17])
def test_sequence_mask_linspace_eye(tmp_path, opset):
    p = _program(
        [
            ("sequence_mask", {"X": ["lens"]}, {"Y": ["m5"]}, {"maxlen": 5, "out_dtype": 5}),
            ("sequence_mask", {"X": ["lens"]}, {"Y": ["mmax"]}, {"maxlen": -1, "out_dtype": 3}),
            (
                "sequence_mask",
                {"X": ["lens"], "MaxLenTensor": ["n"]},
                {"Y": ["mt"]},
                {"out_dtype": 0},
            ),
            (
                "linspace",
                {"Start": ["s"], "Stop": ["e"], "Num": ["n"]},
                {"Out": ["ls"]},
                {"dtype": 5},
            ),
            ("eye", {}, {"Out": ["eye"]}, {"num_rows": 3, "num_columns": 4, "dtype": 5}),
        ],
        {
            "lens": ([-1], "int64"),
            "n": ([1], "int32"),
            "s": ([1], "float32"),
            "e": ([1], "float32"),
        },
        {
            "m5": ([-1, 5], "float32"),
            "mmax": ([-1, -1], "int64"),
            "mt": ([-1, -1], "bool"),
            "ls": ([-1], "float32"),
            "eye": ([3, 4], "float32"),
        },
    )
    for lens, n, s, e in [([3, 0, 5, 1], 7, -1.0, 2.5), ([2], 1, 0.5, 3.0)]:
        feeds = {
            "lens": np.array(lens, "int64"),
            "n": np.array([n], "int32"),
            "s": np.array([s], "float32"),
            "e": np.array([e], "float32"),
        }
        _check_program(tmp_path, p, {}, feeds, ["m5", "mmax", "mt", "ls", "eye"], opset)


class _Einsum(paddle.nn.Layer):
    def forward(self, x, y):
        return [
            paddle.einsum("bij,bjk->bik", x, y),
            paddle.einsum("bij->bj", x),
            paddle.einsum("bij,bij->b", x, x),
        ]


@pytest.mark.parametrize("opset", [12, 17])
def test_einsum(tmp_path, opset):
    specs = [InputSpec([None, 3, 4], "float32", "x"), InputSpec([None, 4, 2], "float32", "y")]

    def make(rng, n):
        return [
            rng.standard_normal((n, 3, 4)).astype("float32"),
            rng.standard_normal((n, 4, 2)).astype("float32"),
        ]

    _check_layer(tmp_path, _Einsum(), specs, make, opset)


def test_einsum_before_opset_12_is_refused(tmp_path):
    with pytest.raises(ConversionError, match=r"einsum needs opset 12"):
        export(
            _Einsum(),
            str(tmp_path / "m"),
            opset_version=11,
            input_spec=[
                InputSpec([None, 3, 4], "float32", "x"),
                InputSpec([None, 4, 2], "float32", "y"),
            ],
        )


class _ScatterNdAdd(paddle.nn.Layer):
    def forward(self, x, idx, upd):
        return paddle.scatter_nd_add(x, idx, upd)


def test_scatter_nd_add(tmp_path):
    # duplicate indices accumulate
    specs = [
        InputSpec([None, 4], "float32", "x"),
        InputSpec([3, 1], "int64", "idx"),
        InputSpec([3, 4], "float32", "upd"),
    ]

    def make(rng, n):
        return [
            rng.standard_normal((max(n, 3), 4)).astype("float32"),
            np.array([[0], [2], [0]], "int64"),
            rng.standard_normal((3, 4)).astype("float32"),
        ]

    _check_layer(tmp_path, _ScatterNdAdd(), specs, make, 16)


@pytest.mark.parametrize("opset", [11, 17])
def test_elementwise_axis_in_the_middle(tmp_path, opset):
    # Paddle aligns Y at X's ``axis`` (1.x programs, Paddle's conv3d bias add): Y [2] or
    # [2, 3] against X [N, 2, 3, 4] at axis 1 — arithmetic, mod and comparison
    ops = [
        ("elementwise_add", {"X": ["x"], "Y": ["c"]}, {"Out": ["add"]}, {"axis": 1}),
        ("elementwise_mul", {"X": ["x"], "Y": ["cw"]}, {"Out": ["mul"]}, {"axis": 1}),
        ("elementwise_mod", {"X": ["x"], "Y": ["c"]}, {"Out": ["mod"]}, {"axis": 1}),
        ("less_than", {"X": ["x"], "Y": ["cw"]}, {"Out": ["lt"]}, {"axis": 1}),
    ]
    shape = [-1, 2, 3, 4]
    p = _program(
        ops,
        {"x": (shape, "float32"), "c": ([2], "float32"), "cw": ([2, 3], "float32")},
        {
            "add": (shape, "float32"),
            "mul": (shape, "float32"),
            "mod": (shape, "float32"),
            "lt": (shape, "bool"),
        },
    )
    rng = np.random.default_rng(0)
    feeds = {
        "x": rng.standard_normal((3, 2, 3, 4)).astype("float32"),
        "c": np.array([0.5, 2.0], "float32"),
        "cw": rng.standard_normal((2, 3)).astype("float32"),
    }
    _check_program(tmp_path, p, {}, feeds, ["add", "mul", "mod", "lt"], opset)
