
"""More neural-network ops: padding, interpolation, pooling with index, pixel shuffle,
one-hot, label smoothing and a few activations (Paddle 2.6 legacy names and attributes).

The op types, slots and attributes are those a Paddle 2.6 static program records; see
NOTE [what Paddle 2.6 records] in paddlefish/nn/functional/common.py.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ._registry import AttrType, op
from ._torch_dtype import torch_dtype_of_vartype

_PAD_MODES = {
    "constant": "constant",
    "reflect": "reflect",
    "replicate": "replicate",
    "edge": "replicate",
    "circular": "circular",
}


@op("pad3d", pir="pd_op.pad3d", attr_types={"paddings": AttrType.INTS})
def pad3d(
    X,
    Paddings=None,
    *,
    paddings=[0, 0, 0, 0, 0, 0],
    mode="constant",
    value=0.0,
    data_format="NCDHW",
):
    pads = [int(v) for v in Paddings.tolist()] if Paddings is not None else list(paddings)
    if mode not in _PAD_MODES:
        raise ValueError(f"pad3d: mode {mode!r} is not one of {sorted(_PAD_MODES)}")
    cl = data_format == "NDHWC"
    x = X.movedim(-1, 1) if cl else X
    if mode == "constant":
        out = F.pad(x, pads, "constant", value)
    else:
        out = F.pad(x, pads, _PAD_MODES[mode])
    return out.movedim(1, -1) if cl else out


@op("pad", pir="pd_op.pad")
def pad(X, *, paddings=[0], pad_value=0.0):
    p = list(paddings)
    torch_pad = []
    for i in reversed(range(len(p) // 2)):
        torch_pad += [p[2 * i], p[2 * i + 1]]
    return F.pad(X, torch_pad, "constant", pad_value)


def _interp_sizes(x, nd, out_d, out_h, out_w, scale, OutSize, SizeTensor, Scale):
    """Output spatial size and the per-axis ratio scale (or None) as Paddle's interp kernels."""
    in_sz = list(x.shape[2:])
    if SizeTensor is not None and len(SizeTensor):
        return [int(t.item()) for t in SizeTensor], None
    if OutSize is not None:
        return [int(v) for v in OutSize.tolist()], None
    sc = [float(v) for v in Scale.flatten().tolist()] if Scale is not None else list(scale)
    if sc and all(s > 0 for s in sc):
        sc = sc * nd if len(sc) == 1 else sc
        return [int(n * s) for n, s in zip(in_sz, sc)], sc
    return [out_d, out_h, out_w][3 - nd :], None


def _src_index(n_in, n_out, s, align_corners, align_mode, device):
    dst = torch.arange(n_out, device=device, dtype=torch.float32)
    if align_corners:
        ratio = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
        return dst * ratio
    ratio = 1.0 / s if s is not None else n_in / n_out
    if align_mode == 0:
        return (ratio * (dst + 0.5) - 0.5).clamp_min(0.0)
    return dst * ratio


def _linear_axis(x, axis, n_out, s, align_corners, align_mode):
    n_in = x.shape[axis]
    src = _src_index(n_in, n_out, s, align_corners, align_mode, x.device)
    i0 = src.floor().long().clamp(0, n_in - 1)
    i1 = (i0 + 1).clamp(max=n_in - 1)
    w = (src - i0.to(src.dtype)).to(x.dtype)
    shape = [1] * x.dim()
    shape[axis] = n_out
    w = w.reshape(shape)
    return x.index_select(axis, i0) * (1 - w) + x.index_select(axis, i1) * w


def _nearest_axis(x, axis, n_out, s, align_corners):
    n_in = x.shape[axis]
    dst = torch.arange(n_out, device=x.device, dtype=torch.float64)
    if align_corners:
        ratio = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
        idx = (dst * ratio + 0.5).floor().long()
    else:
        ratio = 1.0 / s if s is not None else n_in / n_out
        idx = (dst * ratio).floor().long()
    return x.index_select(axis, idx.clamp(0, n_in - 1))


def _interp(
    X,
    OutSize,
    SizeTensor,
    Scale,
    nd,
    method,
    data_layout,
    out_d,
    out_h,
    out_w,
    scale,
    align_corners,
    align_mode,
):
    cl = data_layout in ("NHWC", "NWC", "NDHWC")
    x = X.movedim(-1, 1) if cl else X
    size, sc = _interp_sizes(x, nd, out_d, out_h, out_w, scale, OutSize, SizeTensor, Scale)
    if any(n <= 0 for n in size):
        raise ValueError(
            f"{method}_interp_v2: output size {size} must be positive; pass "
            "out_h/out_w (size) or scale"
        )
    if method == "bicubic":
        out = F.interpolate(x, size=size, mode="bicubic", align_corners=align_corners)
    else:
        out = x
        for i, n in enumerate(size):
            s = sc[i] if sc is not None else None
            if method == "nearest":
                out = _nearest_axis(out, 2 + i, n, s, align_corners)
            else:
                out = _linear_axis(out, 2 + i, n, s, align_corners, align_mode)
    return out.movedim(1, -1) if cl else out


def _declare_interp(method, nd, layout):
    name = f"{method}_interp_v2"

    @op(
        name,
        pir=f"pd_op.{method}_interp",
        duplicable=("SizeTensor",),
        attr_types={"scale": AttrType.FLOATS},
        extra_attrs=("use_mkldnn", "use_onednn"),
    )
    def kernel(
        X,
        OutSize=None,
        SizeTensor=None,
        Scale=None,
        *,
        data_layout=layout,
        out_d=-1,
        out_h=-1,
        out_w=-1,
        scale=[],
        interp_method=method,
        align_corners=True,
        align_mode=1,
    ):
        return _interp(
            X,
            OutSize,
            SizeTensor,
            Scale,
            nd,
            method,
            data_layout,
            out_d,
            out_h,
            out_w,
            scale,
            align_corners,
            align_mode,
        )

    kernel.__name__ = name
    return kernel


_declare_interp("nearest", 2, "NCHW")
_declare_interp("bilinear", 2, "NCHW")
_declare_interp("bicubic", 2, "NCHW")
_declare_interp("linear", 1, "NCHW")
_declare_interp("trilinear", 3, "NCHW")


@op("max_pool2d_with_index", pir="pd_op.max_pool2d_with_index", outputs=("Out", "Mask"))
def max_pool2d_with_index(
    X, *, ksize=[1, 1], global_pooling=False, strides=[1, 1], paddings=[0, 0], adaptive=False
):
    if global_pooling:
        ksize, paddings = list(X.shape[2:]), [0, 0]
    if adaptive:
        out, mask = F.adaptive_max_pool2d(X, list(ksize), return_indices=True)
    else:
        out, mask = F.max_pool2d(X, list(ksize), list(strides), list(paddings), return_indices=True)
    return out, mask.to(torch.int32)


@op("max_pool3d_with_index", pir="pd_op.max_pool3d_with_index", outputs=("Out", "Mask"))
def max_pool3d_with_index(
    X, *, ksize=[1, 1, 1], global_pooling=False, strides=[1, 1, 1], paddings=[0, 0, 0],
    adaptive=False
):
    if global_pooling:
        ksize, paddings = list(X.shape[2:]), [0, 0, 0]
    if adaptive:
        out, mask = F.adaptive_max_pool3d(X, list(ksize), return_indices=True)
    else:
        out, mask = F.max_pool3d(X, list(ksize), list(strides), list(paddings), return_indices=True)
    return out, mask.to(torch.int32)


@op("pixel_shuffle", pir="pd_op.pixel_shuffle")
def pixel_shuffle(X, *, upscale_factor=1, data_format="NCHW"):
    if data_format == "NHWC":
        return F.pixel_shuffle(X.movedim(-1, 1), upscale_factor).movedim(1, -1)
    return F.pixel_shuffle(X, upscale_factor)


@op("one_hot_v2", pir="pd_op.one_hot", attr_types={"dtype": AttrType.INT})
def one_hot_v2(X, depth_tensor=None, *, depth=-1, dtype=5, allow_out_of_range=False):
    d = int(depth_tensor.item()) if depth_tensor is not None else depth
    idx = X.long()
    if idx.is_meta:  # recording: only the shape is known (NOTE [data-dependent shapes])
        return torch.empty([*X.shape, d], dtype=torch_dtype_of_vartype(dtype), device="meta")
    if not allow_out_of_range and idx.numel() and (idx.min() < 0 or idx.max() >= d):
        raise ValueError(
            f"one_hot_v2: label values must be in [0, {d}); got range "
            f"[{int(idx.min())}, {int(idx.max())}]"
        )
    return F.one_hot(idx.clamp(0, d - 1), d).to(torch_dtype_of_vartype(dtype))


@op("label_smooth", pir="pd_op.label_smooth")
def label_smooth(X, PriorDist=None, *, epsilon=0.0):
    if PriorDist is not None:
        return (1.0 - epsilon) * X + epsilon * PriorDist.reshape(-1)
    return (1.0 - epsilon) * X + epsilon / X.shape[-1]


@op("brelu", pir="pd_op.hardtanh")
def brelu(X, *, t_min=0.0, t_max=24.0):
    return torch.clamp(X, t_min, t_max)


@op("logsigmoid", pir="pd_op.logsigmoid")
def logsigmoid(X):
    return F.logsigmoid(X)


@op("pool3d", pir="pd_op.pool3d", extra_attrs=("use_cudnn", "use_mkldnn", "use_onednn", "is_test"))
def pool3d(
    X,
    *,
    pooling_type="max",
    ksize=[1, 1, 1],
    global_pooling=False,
    strides=[1, 1, 1],
    paddings=[0, 0, 0],
    exclusive=True,
    adaptive=False,
    ceil_mode=False,
    data_format="NCDHW",
    padding_algorithm="EXPLICIT",
):
    cl = data_format == "NDHWC"
    x = X.movedim(-1, 1) if cl else X
    if global_pooling:
        ksize, paddings = list(x.shape[2:]), [0, 0, 0]
    if adaptive:
        fn = F.adaptive_max_pool3d if pooling_type == "max" else F.adaptive_avg_pool3d
        out = fn(x, list(ksize))
    elif pooling_type == "max":
        out = F.max_pool3d(x, list(ksize), list(strides), list(paddings), ceil_mode=ceil_mode)
    else:
        out = F.avg_pool3d(
            x,
            list(ksize),
            list(strides),
            list(paddings),
            ceil_mode=ceil_mode,
            count_include_pad=not exclusive,
        )
    return out.movedim(1, -1) if cl else out

__all__ = [
    "brelu",
    "label_smooth",
    "logsigmoid",
    "max_pool2d_with_index",
    "max_pool3d_with_index",
    "one_hot_v2",
    "pad",
    "pad3d",
    "pixel_shuffle",
    "pool3d",
]
