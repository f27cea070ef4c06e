"""ONNX export of channel-last ops (NOTE [onnx channel-last]: interpolation, conv2d,
conv2d_transpose, pool2d, batch_norm, prelu with ``data_format='NHWC'`` and kin) and of
``conv2d_transpose`` with ``output_size`` (NOTE [onnx conv2d_transpose output_size]): onnxruntime's
outputs equal paddlefish's eager outputs at two batch sizes, the batch dimension staying dynamic."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish import ir
from paddlefish.errors import ConversionError
from paddlefish.onnx import export, export_program, save_model
from paddlefish.static import InputSpec

ort = pytest.importorskip("onnxruntime")
onnx = pytest.importorskip("onnx")

RTOL, ATOL = 1e-5, 1e-5
F = paddle.nn.functional


def _eager(layer, xs):
    with paddle.no_grad():
        r = layer(*[paddle.to_tensor(x) for x in xs])
    return [t.numpy() for t in (r if isinstance(r, (list, tuple)) else [r])]


def _run(path, xs):
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    return sess.run(None, {i.name: x for i, x in zip(sess.get_inputs(), xs)})


def _export_and_check(tmp_path, layer, specs, opset):
    layer.eval()
    export(layer, str(tmp_path / "m"), input_spec=specs, opset_version=opset)
    path = str(tmp_path / "m.onnx")
    for inp in onnx.load(path).graph.input:
        assert inp.type.tensor_type.shape.dim[0].dim_param  # the batch stays dynamic
    rng = np.random.default_rng(0)
    for batch in (1, 3):
        xs = [rng.standard_normal([batch, *s.shape[1:]]).astype("float32") for s in specs]
        want, got = _eager(layer, xs), _run(path, xs)
        assert len(got) == len(want)
        for i, (g, w) in enumerate(zip(got, want)):
            assert g.shape == w.shape, (i, g.shape, w.shape)
            np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL, err_msg=f"output {i}")
    return path


class _ResizeNHWC(paddle.nn.Layer):
    """Interpolation on channel-last data: nearest and bilinear by size and by scale, both
    align_corners, both align_modes; bicubic; 1-D NWC linear; 3-D NDHWC trilinear."""

    def forward(self, x, v, t):
        outs = []
        for kw in (
            {"size": [7, 9], "mode": "nearest"},
            {"scale_factor": 2.0, "mode": "nearest"},
            {"scale_factor": [1.5, 0.5], "mode": "nearest"},
            {"size": [7, 9], "mode": "bilinear", "align_corners": True},
            {"size": [7, 9], "mode": "bilinear", "align_corners": False, "align_mode": 0},
            {"size": [3, 2], "mode": "bilinear", "align_corners": False, "align_mode": 1},
            {"scale_factor": 2.0, "mode": "bilinear", "align_corners": True},
            {
                "scale_factor": [1.5, 2.0],
                "mode": "bilinear",
                "align_corners": False,
                "align_mode": 0,
            },
            {
                "scale_factor": [1.5, 2.0],
                "mode": "bilinear",
                "align_corners": False,
                "align_mode": 1,
            },
            {"size": [7, 9], "mode": "bicubic", "align_corners": False},
        ):
            outs.append(F.interpolate(x, data_format="NHWC", **kw))
        outs.append(F.interpolate(v, size=[11], mode="linear", data_format="NWC"))
        outs.append(
            F.interpolate(
                t, size=[3, 5, 4], mode="trilinear", align_corners=True, data_format="NDHWC"
            )
        )
        return outs


@pytest.mark.parametrize("opset", [11, 13, 17])
def test_interpolate_channels_last(tmp_path, opset):
    specs = [
        InputSpec([None, 5, 4, 3], "float32", "x"),
        InputSpec([None, 6, 3], "float32", "v"),
        InputSpec([None, 2, 3, 3, 2], "float32", "t"),
    ]
    path = _export_and_check(tmp_path, _ResizeNHWC(), specs, opset)
    assert {n.op_type for n in onnx.load(path).graph.node} >= {"Resize", "Transpose"}


class _Upsample(paddle.nn.Layer):
    """``nn.Upsample``/``UpsamplingNearest2D``/``UpsamplingBilinear2D`` on NHWC data, the layers
    models use."""

    def __init__(self):
        super().__init__()
        self.a = paddle.nn.Upsample(scale_factor=2, mode="nearest", data_format="NHWC")
        self.b = paddle.nn.UpsamplingBilinear2D(size=[6, 10], data_format="NHWC")
        self.c = paddle.nn.UpsamplingNearest2D(scale_factor=3, data_format="NHWC")

    def forward(self, x):
        return self.a(x), self.b(x), self.c(x)


@pytest.mark.parametrize("opset", [11, 17])
def test_upsample_layers_channels_last(tmp_path, opset):
    _export_and_check(tmp_path, _Upsample(), [InputSpec([None, 3, 5, 4], "float32", "x")], opset)


class _ConvT(paddle.nn.Layer):
    """conv2d_transpose with ``output_size``: each spare row of the range Paddle allows, with
    stride, padding (symmetric and per-axis), groups, dilation, depthwise, and channel-last."""

    def __init__(self):
        super().__init__()
        T = paddle.nn.Conv2DTranspose
        self.plain = T(4, 6, 3, stride=2, padding=1)
        self.groups = T(4, 4, 3, stride=3, groups=2)
        self.dilated = T(4, 6, 3, stride=2, padding=1, dilation=2)
        self.depthwise = T(4, 4, 3, stride=2, padding=[1, 0], groups=4)
        self.nhwc = T(4, 2, 2, stride=2, padding=1, data_format="NHWC")
        self.opad = T(4, 2, 3, stride=2, padding=1, output_padding=1, bias_attr=False)

    def forward(self, x):
        xl = paddle.transpose(x, [0, 2, 3, 1])
        return [
            self.plain(x, output_size=[9, 10]),
            self.groups(x, output_size=[15, 17]),
            self.groups(x, output_size=[16, 15]),
            self.dilated(x, output_size=[11, 12]),
            self.depthwise(x, output_size=[10, 12]),
            self.nhwc(xl, output_size=[8, 9]),
            self.nhwc(xl),
            self.opad(x),
        ]


@pytest.mark.parametrize("opset", [11, 13, 17])
def test_conv2d_transpose_output_size(tmp_path, opset):
    paddle.seed(0)
    _export_and_check(tmp_path, _ConvT(), [InputSpec([None, 4, 5, 5], "float32", "x")], opset)


def test_conv2d_transpose_output_size_out_of_range_is_refused(tmp_path):
    paddle.seed(0)
    layer = paddle.nn.Conv2DTranspose(4, 4, 3, stride=3)

    class M(paddle.nn.Layer):
        def __init__(self):
            super().__init__()
            self.c = layer

        def forward(self, x):
            return self.c(x, output_size=[12, 12])

    # refused while recording, by the kernel's own check (Paddle's range: [15, 15 + stride))
    with pytest.raises(ConversionError, match=r"output_size\[0\] = 12 must be in \[15, 18\)"):
        export(M(), str(tmp_path / "m"), input_spec=[InputSpec([None, 4, 5, 5], "float32")])


@pytest.mark.parametrize("opset", [11, 17])
def test_conv2d_transpose_output_size_dynamic_spatial(tmp_path, opset):
    # a saved program may have dynamic spatial sizes: the rows past the transposed output are
    # padded and the result sliced to output_size (NOTE [onnx conv2d_transpose output_size])
    rng = np.random.default_rng(0)
    w = rng.standard_normal([4, 3, 3, 3]).astype("float32")
    p = ir.Program()
    b = p.global_block()
    b.create_var("x", dtype="float32", shape=[-1, 4, -1, -1])
    b.create_var("w", dtype="float32", shape=[4, 3, 3, 3], persistable=True)
    b.create_var("y", dtype="float32", shape=[-1, 3, 12, 11])
    attrs = {
        "strides": [2, 2],
        "paddings": [1, 1],
        "output_size": [12, 11],
        "dilations": [3, 3],
        "groups": 1,
        "data_format": "NCHW",
    }
    b.append_op("conv2d_transpose", {"Input": ["x"], "Filter": ["w"]}, {"Output": ["y"]}, attrs)
    path = str(tmp_path / "t.onnx")
    save_model(
        export_program(p, {"w": w}, feed_names=["x"], fetch_names=["y"], opset_version=opset), path
    )
    # Paddle allows output_size in [inferred, inferred + stride): with stride 2 one input size per
    # output size; the spatial dims stay dynamic in the program. Spare rows: 1 (H) and 0 (W).
    for batch in (2, 3):
        x = rng.standard_normal([batch, 4, 4, 4]).astype("float32")
        want = F.conv2d_transpose(
            paddle.to_tensor(x),
            paddle.to_tensor(w),
            stride=2,
            padding=1,
            dilation=3,
            output_size=[12, 11],
        ).numpy()
        (got,) = _run(path, [x])
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL)


class _ChannelsLast(paddle.nn.Layer):
    """conv2d (plain, strided SAME, depthwise), batch_norm, pool2d (max, avg, global, adaptive),
    prelu per channel — all NHWC."""

    def __init__(self):
        super().__init__()
        self.conv = paddle.nn.Conv2D(3, 8, 3, padding=1, data_format="NHWC")
        self.same = paddle.nn.Conv2D(8, 8, 3, stride=2, padding="SAME", data_format="NHWC")
        self.dw = paddle.nn.Conv2D(8, 8, 3, padding=1, groups=8, data_format="NHWC")
        self.bn = paddle.nn.BatchNorm2D(8, data_format="NHWC")
        self.prelu = paddle.nn.PReLU(8, 0.1, data_format="NHWC")

    def forward(self, x):
        h = self.prelu(self.bn(self.conv(x)))
        s = self.dw(self.same(h))
        return [
            h,
            s,
            F.max_pool2d(h, 3, stride=2, padding=1, data_format="NHWC"),
            F.avg_pool2d(h, 2, stride=2, data_format="NHWC"),
            F.adaptive_avg_pool2d(h, 1, data_format="NHWC"),
            F.max_pool2d(paddle.transpose(h, [0, 3, 1, 2]), 2),
            F.adaptive_avg_pool2d(h, [4, 2], data_format="NHWC"),
        ]


@pytest.mark.parametrize("opset", [11, 17])
def test_conv_pool_norm_channels_last(tmp_path, opset):
    paddle.seed(0)
    layer = _ChannelsLast()
    with paddle.no_grad():  # non-trivial running statistics
        layer.bn._mean.set_value(paddle.uniform([8], min=-1, max=1))
        layer.bn._variance.set_value(paddle.uniform([8], min=0.5, max=2))
    _export_and_check(tmp_path, layer, [InputSpec([None, 8, 8, 3], "float32", "x")], opset)
