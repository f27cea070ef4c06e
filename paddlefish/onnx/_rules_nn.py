"""Conversion rules (added to ``_rules.RULES``) for network layers beyond ``_rules.py``:
``group_norm``, ``instance_norm``, ``pad``/``pad3d``, ``pixel_shuffle``, 3-D conv and pooling,
max pooling with its ``Mask``, and 1.x programs' ``fc`` and ``lookup_table``."""

from __future__ import annotations

import numpy as np

from ._rules import (
    RULES,
    _adaptive_pool,
    _channels_first,
    _conv,
    _conv_transpose,
    _in,
    _out,
    _pads,
    _pool,
    _slice_shape,
    rule,
)

__all__ = ["RULES"]


# ---- normalization ---------------------------------------------------------------------------
@rule("group_norm")
def _group_norm(g, op, a):
    with _channels_first(g, a, "data_layout", _in(op, "X"), _out(op, "Y")) as (x, out, _):
        _group_norm_cf(g, op, a, x, out)


def _group_norm_cf(g, op, a, x, out):
    shape = g.shape(_in(op, "X"))
    c = shape[-1] if a.get("data_layout", "NCHW") in ("NHWC", "NDHWC", "NLC") else shape[1]
    r, groups, eps = len(shape), int(a["groups"]), float(a["epsilon"])
    if c < 0:
        raise g.fail("group_norm with a dynamic number of channels is not supported")
    dt = g.np_dtype(_in(op, "X"))
    grouped = g.one("Reshape", [x, g.ints([0, groups, -1])])
    mean = g.reduce("ReduceMean", grouped, [2], True)
    d = g.one("Sub", [grouped, mean])
    var = g.reduce("ReduceMean", g.one("Mul", [d, d]), [2], True)
    y = g.one("Div", [d, g.one("Sqrt", [g.one("Add", [var, g.const(np.asarray(eps, dt))])])])
    y = g.one("Reshape", [y, g.one("Shape", [x])])
    per_channel = [-1] + [1] * (r - 2)
    for slot, kind in (("Scale", "Mul"), ("Bias", "Add")):
        if _in(op, slot):
            y = g.one(kind, [y, g.one("Reshape", [_in(op, slot), g.ints(per_channel)])])
    g.one("Identity", [y], out)


@rule("instance_norm")
def _instance_norm(g, op, a):
    x, out = _in(op, "X"), _out(op, "Y")
    c = g.shape(x)[1]
    dt = g.np_dtype(x)
    scale, bias = _in(op, "Scale"), _in(op, "Bias")
    if (scale is None or bias is None) and c < 0:
        raise g.fail("instance_norm without scale/bias needs a static number of channels")
    scale = scale or g.const(np.ones([c], dt), hint="ones")
    bias = bias or g.const(np.zeros([c], dt), hint="zeros")
    g.one("InstanceNormalization", [x, scale, bias], out, epsilon=float(a["epsilon"]))


# ---- padding / layout ------------------------------------------------------------------------
@rule("pad")
def _pad(g, op, a):
    # paddings = [before0, after0, before1, after1, ...] over every dim
    x, p = _in(op, "X"), [int(v) for v in a["paddings"]]
    value = g.const(np.asarray(a.get("pad_value", 0.0), g.np_dtype(x)), hint="pad_value")
    g.one("Pad", [x, g.ints(p[0::2] + p[1::2]), value], _out(op), mode="constant")


_PAD_MODES = {"constant": "constant", "reflect": "reflect", "replicate": "edge"}


@rule("pad3d")
def _pad3d(g, op, a):
    """``paddings`` = [left, right, top, bottom, front, back] of (W, H, D); ``circular`` has no
    ONNX mode before opset 19."""
    x, out = _in(op, "X"), _out(op)
    mode = a.get("mode", "constant")
    if mode not in _PAD_MODES:
        raise g.fail(f"pad3d mode={mode!r} is not supported (ONNX has constant, reflect, edge)")
    if _in(op, "Paddings"):
        raise g.fail("pad3d with paddings given as a tensor is not supported; use a list")
    p = [int(v) for v in a["paddings"]]
    (wl, wr, ht, hb, df, db) = p
    last = a.get("data_format", "NCDHW") == "NDHWC"
    begins = [0, 0, df, ht, wl] if not last else [0, df, ht, wl, 0]
    ends = [0, 0, db, hb, wr] if not last else [0, db, hb, wr, 0]
    ins = [x, g.ints(begins + ends)]
    if mode == "constant":
        ins.append(g.const(np.asarray(a.get("value", 0.0), g.np_dtype(x)), hint="pad_value"))
    g.one("Pad", ins, out, mode=_PAD_MODES[mode])


@rule("pixel_shuffle")
def _pixel_shuffle(g, op, a):
    with _channels_first(g, a, "data_format", _in(op, "X"), _out(op)) as (x, out, _):
        g.one("DepthToSpace", [x], out, blocksize=int(a["upscale_factor"]), mode="CRD")


# ---- conv / pool in 3-D, pooling with indices --------------------------------------------------
@rule("conv3d")
def _conv3d(g, op, a):
    x, w, out = _in(op, "Input"), _in(op, "Filter"), _out(op, "Output")
    with _channels_first(g, a, "data_format", x, out) as (x, out, _):
        _conv(g, op, a, x, w, out, nd=3)


@rule("conv3d_transpose")
def _conv3d_transpose(g, op, a):
    algo = a.get("padding_algorithm", "EXPLICIT")
    x, w, out = _in(op, "Input"), _in(op, "Filter"), _out(op, "Output")
    with _channels_first(g, a, "data_format", x, out) as (x, out, spatial):
        _conv_transpose(g, a, x, w, out, spatial, algo)


@rule("pool3d")
def _pool3d(g, op, a):
    with _channels_first(g, a, "data_format", _in(op, "X"), _out(op)) as (x, out, spatial):
        _pool(g, a, x, out, spatial)


@rule("max_pool2d_with_index", "max_pool3d_with_index")
def _max_pool_with_index(g, op, a):
    """``Out`` is a max pool; ``Mask`` is the argmax's flat index within its (N, C) plane.
    ONNX ``MaxPool``'s ``Indices`` count over the whole tensor, so: ``Indices mod (H * W)``."""
    x, out, mask = _in(op, "X"), _out(op), _out(op, "Mask")
    spatial = g.shape(x)[2:]
    nd = len(spatial)
    ksize, strides = list(a["ksize"]), list(a["strides"])
    pads = _pads(a, nd)
    if a.get("global_pooling") or (a.get("adaptive") and ksize == [1] * nd):
        ksize, strides, pads = list(spatial), [1] * nd, [0] * (2 * nd)
    elif a.get("adaptive"):
        if any(s < 0 for s in spatial):
            raise g.fail(f"adaptive max pool to {ksize} needs static spatial sizes, got {spatial}")
        if any(s % k for s, k in zip(spatial, ksize)):
            # windows of different sizes: Out only (NOTE [onnx adaptive pool]); the Mask of
            # such a pool is refused where a later op reads it
            if _reads(g.block.program, op.output("Mask")[0]):
                raise g.fail(
                    f"the Mask of an adaptive max pool to {ksize} from {spatial} "
                    "(sizes not divisible) is not supported"
                )
            _adaptive_pool(g, x, out, spatial, ksize, "ReduceMax")
            return
        ksize = strides = [s // k for s, k in zip(spatial, ksize)]
        pads = [0] * (2 * nd)
    if any(s < 0 for s in ksize):
        raise g.fail(f"global max pool with indices needs static spatial sizes, got {spatial}")
    _, idx = g.node(
        "MaxPool", [x], [out, g.fresh("indices")], kernel_shape=ksize, strides=strides, pads=pads
    )
    plane = g.one("ReduceProd", [_slice_shape(g, x, 2, 2 + nd)], keepdims=1)
    g.cast(g.one("Mod", [idx, plane], fmod=0), g.np_dtype(mask), mask)


@rule("lookup_table")
def _lookup_table(g, op, a):
    # 1.x: Ids is [..., 1]; the output replaces that last dim by the embedding
    ids, w, out = _in(op, "Ids"), _in(op, "W"), _out(op)
    ids = g.squeeze(ids, [g.rank(ids) - 1]) if g.shape(ids)[-1] == 1 else ids
    rows = g.one("Gather", [w, ids], axis=0)
    pad = a.get("padding_idx", -1)
    if pad is None or pad < 0:
        g.one("Identity", [rows], out)
        return
    pad_id = g.const(np.asarray(pad, g.np_dtype(_in(op, "Ids"))))
    keep = g.one("Not", [g.one("Equal", [ids, pad_id])])
    g.one("Mul", [rows, g.unsqueeze(g.cast(keep, g.np_dtype(w)), [-1])], out)


@rule("fc")
def _fc(g, op, a):
    """1.x ``fc``: flatten Input at ``in_num_col_dims``, multiply by W, add Bias, activation."""
    x, w, b, out = _in(op, "Input"), _in(op, "W"), _in(op, "Bias"), _out(op)
    k = int(a.get("in_num_col_dims", 1))
    if a.get("padding_weights"):
        raise g.fail("fc with padding_weights=True is not supported")
    y = g.one("MatMul", [g.one("Flatten", [x], axis=k), w])
    if b:
        y = g.one("Add", [y, g.one("Reshape", [b, g.ints([-1])])])
    if g.rank(x) != 2 or k != 1:
        head = _slice_shape(g, x, 0, k)
        y = g.one("Reshape", [y, g.one("Concat", [head, g.ints([-1])], axis=0)])
    act = a.get("activation_type", "")
    if act not in ("", "relu"):
        raise g.fail(f"fc with activation_type={act!r} is not supported (only relu)")
    g.one("Relu" if act == "relu" else "Identity", [y], out)


def _reads(program, name: str) -> bool:
    return any(name in o.input_names() for b in program.blocks for o in b.ops)
