"""One conversion rule per Paddle op type: ``RULES[op.type](g, op, a)`` emits ONNX nodes.

``g`` is the ``GraphBuilder``; ``a`` is the op's attributes with the registry's declared defaults
filled in (so a program that omits an attribute, as Paddle 2.6 files may, converts the same). A
rule writes the op's output variables under their Paddle names, so later rules find them.

NOTE [onnx integer dtypes]: ONNX ``Shape`` yields int64 while Paddle's ``shape`` op yields int32;
each rule casts its result to the output variable's declared dtype where the two differ, and
shape-consuming inputs are cast to int64 (``GraphBuilder.as_int64_1d``).
"""

from __future__ import annotations

import contextlib
import math

import numpy as np
from onnx import numpy_helper

from .. import ir
from .._core.dtypes import from_vartype, to_numpy
from ._graph import GraphBuilder

__all__ = ["RULES"]

RULES: dict = {}


def rule(*types):
    def deco(fn):
        for t in types:
            RULES[t] = fn
        return fn

    return deco


def _in(op: ir.OpDesc, slot: str) -> str | None:
    names = op.input(slot)
    return names[0] if names else None


def _out(op: ir.OpDesc, slot: str = "Out") -> str:
    return op.output(slot)[0]


def _fix_dtype(g: GraphBuilder, value: str, value_dtype, out: str) -> None:
    """Bind ``value`` (of numpy dtype ``value_dtype``) to Paddle variable ``out``, casting to the
    variable's declared dtype when they differ (see NOTE [onnx integer dtypes])."""
    want = g.np_dtype(out)
    if np.dtype(value_dtype) == want:
        g.one("Identity", [value], out)
    else:
        g.cast(value, want, out)


# ---- elementwise -----------------------------------------------------------------------------
_BINARY = {
    "elementwise_add": "Add",
    "elementwise_sub": "Sub",
    "elementwise_mul": "Mul",
    "elementwise_div": "Div",
    "elementwise_max": "Max",
    "elementwise_min": "Min",
    "elementwise_pow": "Pow",
}


@rule(*_BINARY)
def _binary(g, op, a):
    x, y = _in(op, "X"), _in(op, "Y")
    axis, rx, ry = a.get("axis", -1), g.rank(x), g.rank(y)
    if axis != -1 and ry < rx and axis + ry < rx:
        # Paddle aligns Y at ``axis`` of X; numpy/ONNX broadcasting aligns trailing dims
        y = g.unsqueeze(y, list(range(ry, rx - axis)))
    g.one(_BINARY[op.type], [x, y], _out(op))


_UNARY = {
    "relu": "Relu",
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "exp": "Exp",
    "abs": "Abs",
    "sqrt": "Sqrt",
    "log": "Log",
    "floor": "Floor",
    "ceil": "Ceil",
    "sin": "Sin",
    "cos": "Cos",
    "erf": "Erf",
    "reciprocal": "Reciprocal",
    "softsign": "Softsign",
    "softplus": "Softplus",
    "assign": "Identity",
    "share_data": "Identity",
}


@rule(*_UNARY)
def _unary(g, op, a):
    g.one(_UNARY[op.type], [_in(op, "X")], _out(op))


def _scalar(g, value, like: str) -> str:
    return g.const(np.asarray(value, dtype=g.np_dtype(like)), hint="scalar")


@rule("relu6")
def _relu6(g, op, a):
    x = _in(op, "X")
    g.one("Clip", [x, _scalar(g, 0.0, x), _scalar(g, a["threshold"], x)], _out(op))


@rule("clip")
def _clip(g, op, a):
    x = _in(op, "X")
    lo = _in(op, "Min") or _scalar(g, a["min"], x)
    hi = _in(op, "Max") or _scalar(g, a["max"], x)
    g.one("Clip", [x, lo, hi], _out(op))


@rule("leaky_relu")
def _leaky_relu(g, op, a):
    g.one("LeakyRelu", [_in(op, "X")], _out(op), alpha=float(a["alpha"]))


@rule("hard_sigmoid")
def _hard_sigmoid(g, op, a):
    g.one("HardSigmoid", [_in(op, "X")], _out(op), alpha=float(a["slope"]), beta=float(a["offset"]))


@rule("hard_swish")
def _hard_swish(g, op, a):
    # x * clip(x + offset, 0, threshold) / scale  (ONNX HardSwish is opset 14 and fixed at 3/6)
    x = _in(op, "X")
    if a["threshold"] == a["scale"]:  # the usual 6/6/3: x * HardSigmoid(x), one fused node
        hs = g.one("HardSigmoid", [x], alpha=1.0 / a["scale"], beta=a["offset"] / a["scale"])
        g.one("Mul", [x, hs], _out(op))
        return
    shifted = g.one("Add", [x, _scalar(g, a["offset"], x)])
    clipped = g.one("Clip", [shifted, _scalar(g, 0.0, x), _scalar(g, a["threshold"], x)])
    prod = g.one("Mul", [x, clipped])
    g.one("Div", [prod, _scalar(g, a["scale"], x)], _out(op))


@rule("swish", "silu")
def _swish(g, op, a):
    x = _in(op, "X")
    beta = a.get("beta", 1.0)
    z = x if beta == 1.0 else g.one("Mul", [x, _scalar(g, beta, x)])
    g.one("Mul", [x, g.one("Sigmoid", [z])], _out(op))


@rule("gelu")
def _gelu(g, op, a):
    x = _in(op, "X")
    if a.get("approximate"):
        # 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        cube = g.one("Mul", [g.one("Mul", [x, x]), x])
        inner = g.one("Add", [x, g.one("Mul", [cube, _scalar(g, 0.044715, x)])])
        t = g.one("Tanh", [g.one("Mul", [inner, _scalar(g, math.sqrt(2 / math.pi), x)])])
    else:
        t = g.one("Erf", [g.one("Mul", [x, _scalar(g, 1 / math.sqrt(2), x)])])
    half = g.one("Mul", [x, _scalar(g, 0.5, x)])
    g.one("Mul", [half, g.one("Add", [t, _scalar(g, 1.0, x)])], _out(op))


@rule("pow")
def _pow(g, op, a):
    x = _in(op, "X")
    factor = _in(op, "FactorTensor") or _scalar(g, a["factor"], x)
    g.one("Pow", [x, factor], _out(op))


@rule("scale")
def _scale(g, op, a):
    x, out = _in(op, "X"), _out(op)
    s = _in(op, "ScaleTensor")
    s = g.cast(s, g.np_dtype(x)) if s else _scalar(g, a["scale"], x)
    b = _scalar(g, a["bias"], x)
    if a.get("bias_after_scale", True):
        g.one("Add", [g.one("Mul", [x, s]), b], out)
    else:
        g.one("Mul", [g.one("Add", [x, b]), s], out)


@rule("cast")
def _cast(g, op, a):
    g.cast(_in(op, "X"), to_numpy(from_vartype(a["out_dtype"])), _out(op))


@rule("dropout")
def _dropout(g, op, a):
    # inference: "upscale_in_train" is the identity, "downgrade_in_infer" scales by 1 - p
    x, out = _in(op, "X"), _out(op)
    if a.get("dropout_implementation") == "upscale_in_train":
        g.one("Identity", [x], out)
    else:
        g.one("Mul", [x, _scalar(g, 1.0 - a["dropout_prob"], x)], out)


# ---- softmax family --------------------------------------------------------------------------
def _softmax_like(g, op, kind: str, a):
    x, out = _in(op, "X"), _out(op)
    r = g.rank(x)
    axis = a.get("axis", -1) % max(r, 1)
    if g.opset >= 13 or axis == r - 1:
        # before opset 13 Softmax flattens to 2-D at ``axis``: equal only on the last axis
        g.one(kind, [x], out, axis=axis)
        return
    perm = list(range(r))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    t = g.one("Transpose", [x], perm=perm)
    s = g.one(kind, [t], axis=r - 1)
    g.one("Transpose", [s], out, perm=perm)


@rule("softmax")
def _softmax(g, op, a):
    _softmax_like(g, op, "Softmax", a)


@rule("log_softmax")
def _log_softmax(g, op, a):
    _softmax_like(g, op, "LogSoftmax", a)


# ---- linear algebra --------------------------------------------------------------------------
def _swap_last2(g, x: str) -> str:
    r = g.rank(x)
    perm = list(range(r))
    perm[-1], perm[-2] = perm[-2], perm[-1]
    return g.one("Transpose", [x], perm=perm)


@rule("matmul_v2", "matmul")
def _matmul(g, op, a):
    x, y, out = _in(op, "X"), _in(op, "Y"), _out(op)
    tx = a.get("trans_x", a.get("transpose_X", False))
    ty = a.get("trans_y", a.get("transpose_Y", False))
    if tx and g.rank(x) >= 2:
        x = _swap_last2(g, x)
    if ty and g.rank(y) >= 2:
        y = _swap_last2(g, y)
    alpha = a.get("alpha", 1.0)
    if alpha != 1.0:
        g.one("Mul", [g.one("MatMul", [x, y]), _scalar(g, alpha, out)], out)
    else:
        g.one("MatMul", [x, y], out)


@rule("mul")
def _mul(g, op, a):
    x, y, out = _in(op, "X"), _in(op, "Y"), _out(op)
    xk, yk = a.get("x_num_col_dims", 1), a.get("y_num_col_dims", 1)
    if g.rank(x) == 2 and g.rank(y) == 2:
        g.one("MatMul", [x, y], out)
        return
    prod = g.one("MatMul", [g.one("Flatten", [x], axis=xk), g.one("Flatten", [y], axis=yk)])
    sx, sy = g.one("Shape", [x]), g.one("Shape", [y])
    head = _slice1d(g, sx, 0, xk)
    tail = _slice1d(g, sy, yk, g.rank(y))
    g.one("Reshape", [prod, g.one("Concat", [head, tail], axis=0)], out)


def _slice_shape(g, x: str, start: int, end: int) -> str:
    """``shape(x)[start:end]`` as an int64 1-D tensor."""
    return _slice1d(g, g.one("Shape", [x]), start, end)


def _slice1d(g, v: str, start: int, end: int) -> str:
    return g.one("Slice", [v, g.ints([start]), g.ints([end]), g.ints([0])])


# ---- conv / norm / pool ----------------------------------------------------------------------
def _pads(a, n_spatial: int = 2) -> list[int]:
    """Paddle ``paddings`` ([h, w] or [top, bottom, left, right]) -> ONNX [t, l, b, r]."""
    p = list(a.get("paddings", [0] * n_spatial))
    if len(p) == n_spatial:
        return p + p
    begins, ends = p[0::2], p[1::2]
    return begins + ends


_CHANNELS_FIRST = ("NCHW", "NCW", "NCL", "NCDHW", "AnyLayout")
_CHANNELS_LAST = ("NHWC", "NWC", "NLC", "NDHWC")


def _channels_last(g, a, key: str) -> bool:
    """Whether the op's ``key`` attribute (``data_format``/``data_layout``) says channel-last."""
    layout = a.get(key, "NCHW")
    if layout in _CHANNELS_FIRST:
        return False
    if layout in _CHANNELS_LAST:
        return True
    raise g.fail(
        f"{key}={layout!r} is not a layout this exporter knows "
        f"(expected one of {_CHANNELS_FIRST + _CHANNELS_LAST})"
    )


@contextlib.contextmanager
def _channels_first(g, a, key: str, x: str, out: str):
    """NOTE [onnx channel-last]: ONNX's Conv, ConvTranspose, pooling, BatchNormalization and
    Resize (before opset 18's ``axes``) work on channel-first data only. For a channel-last op
    (``data_format='NHWC'`` and its 1-D/3-D kin) the rule runs between two Transposes:
    ``with _channels_first(g, a, key, x, out) as (x, out, spatial)`` gives the channel-first
    input, the name the rule writes, and the static spatial sizes (-1 where dynamic); a
    channel-first op gets its own names back and no Transpose."""
    shape = g.shape(x)
    if not _channels_last(g, a, key):
        yield x, out, shape[2:]
        return
    r = len(shape)
    xt = g.one("Transpose", [x], perm=[0, r - 1, *range(1, r - 1)])
    yt = g.fresh("channels_first")
    yield xt, yt, shape[1:-1]
    g.one("Transpose", [yt], out, perm=[0, *range(2, r), 1])


@rule("conv2d", "depthwise_conv2d")
def _conv2d(g, op, a):
    x, w, out = _in(op, "Input"), _in(op, "Filter"), _out(op, "Output")
    with _channels_first(g, a, "data_format", x, out) as (x, out, _):
        _conv(g, op, a, x, w, out)


def _conv(g, op, a, x, w, out, nd: int = 2):
    attrs = {
        "strides": list(a["strides"]),
        "dilations": list(a["dilations"]),
        "group": int(a["groups"]),
    }
    algo = a.get("padding_algorithm", "EXPLICIT")
    if algo == "SAME":
        attrs["auto_pad"] = "SAME_UPPER"
    elif algo == "VALID":
        attrs["pads"] = [0] * (2 * nd)
    else:
        attrs["pads"] = _pads(a, nd)
    ins = [x, w] + ([_in(op, "Bias")] if _in(op, "Bias") else [])
    g.one("Conv", ins, out, **attrs)


@rule("batch_norm")
def _batch_norm(g, op, a):
    ins = [_in(op, s) for s in ("X", "Scale", "Bias", "Mean", "Variance")]
    with _channels_first(g, a, "data_layout", ins[0], _out(op, "Y")) as (x, out, _):
        g.one("BatchNormalization", [x, *ins[1:]], out, epsilon=float(a["epsilon"]))


@rule("layer_norm")
def _layer_norm(g, op, a):
    x, out = _in(op, "X"), _out(op, "Y")
    r, k, eps = g.rank(x), a["begin_norm_axis"], a["epsilon"]
    axes = list(range(k, r))
    mean = g.reduce("ReduceMean", x, axes, True)
    d = g.one("Sub", [x, mean])
    var = g.reduce("ReduceMean", g.one("Mul", [d, d]), axes, True)
    y = g.one("Div", [d, g.one("Sqrt", [g.one("Add", [var, _scalar(g, eps, x)])])])
    norm_shape = g.shape(x)[k:]
    for slot, kind in (("Scale", "Mul"), ("Bias", "Add")):
        p = _in(op, slot)
        if p is None:
            continue
        if len(norm_shape) > 1:
            if any(s < 0 for s in norm_shape):
                raise g.fail("layer_norm over several dynamic dimensions is not supported")
            p = g.one("Reshape", [p, g.ints(norm_shape)])
        y = g.one(kind, [y, p])
    g.one("Identity", [y], out)


@rule("pool2d")
def _pool2d(g, op, a):
    with _channels_first(g, a, "data_format", _in(op, "X"), _out(op)) as (x, out, hw):
        _pool(g, a, x, out, hw)


def _pool(g, a, x, out, hw):
    """pool2d/pool3d on channel-first ``x`` with static spatial sizes ``hw`` (-1: dynamic)."""
    nd = len(hw)
    is_max = a["pooling_type"] == "max"
    ksize = list(a["ksize"])
    if a["global_pooling"] or (a["adaptive"] and ksize == [1] * nd):
        g.one("GlobalMaxPool" if is_max else "GlobalAveragePool", [x], out)
        return
    strides, pads = list(a["strides"]), _pads(a, nd)
    if a["adaptive"]:
        if any(s < 0 for s in hw):
            raise g.fail(f"adaptive pooling to {ksize} needs static spatial sizes, got {hw}")
        if any(s % k for s, k in zip(hw, ksize)):
            _adaptive_pool(g, x, out, hw, ksize, "ReduceMax" if is_max else "ReduceMean")
            return
        ksize = strides = [s // k for s, k in zip(hw, ksize)]
        pads = [0] * (2 * nd)
    attrs = {"kernel_shape": ksize, "strides": strides, "ceil_mode": int(a["ceil_mode"])}
    algo = a.get("padding_algorithm", "EXPLICIT")
    if algo == "SAME":
        attrs["auto_pad"] = "SAME_UPPER"
    elif algo != "VALID":
        attrs["pads"] = pads
    if is_max:
        g.one("MaxPool", [x], out, **attrs)
    else:
        g.one("AveragePool", [x], out, count_include_pad=int(not a["exclusive"]), **attrs)


def _adaptive_pool(g, x: str, out: str, hw: list[int], osize: list[int], kind: str) -> None:
    """NOTE [onnx adaptive pool]: adaptive pooling whose output size does not divide the input
    size (VGG's 7x7 pool on a 1x1 or 2x2 map) has no ONNX op. Paddle's output cell ``i`` of an
    axis of size ``n`` pools input rows ``[floor(i*n/o), ceil((i+1)*n/o))``; a window is the
    product of per-axis intervals, so max and mean over it are taken one axis at a time: per
    axis, one Slice + Reduce per output cell, concatenated."""
    for axis, (n, o) in enumerate(zip(hw, osize), start=2):
        if n == o:
            continue
        cells = []
        for i in range(o):
            lo, hi = (i * n) // o, -((-(i + 1) * n) // o)
            part = g.one("Slice", [x, g.ints([lo]), g.ints([hi]), g.ints([axis])])
            cells.append(part if hi - lo == 1 else g.reduce(kind, part, [axis], True))
        x = g.one("Concat", cells, axis=axis) if len(cells) > 1 else cells[0]
    g.one("Identity", [x], out)


# ---- shapes ----------------------------------------------------------------------------------
def _shape_input(g, op, a, attr: str, tensor_slot: str, list_slot: str | None) -> str:
    """An int64 1-D shape from a tensor slot, a list-of-tensors slot, or the attribute."""
    if _in(op, tensor_slot):
        return g.as_int64_1d([_in(op, tensor_slot)])
    if list_slot and op.input(list_slot):
        return g.as_int64_1d(op.input(list_slot))
    return g.ints(a[attr])


@rule("reshape2", "reshape")
def _reshape(g, op, a):
    shape = _shape_input(g, op, a, "shape", "Shape", "ShapeTensor")
    g.one("Reshape", [_in(op, "X"), shape], _out(op))


@rule("flatten_contiguous_range")
def _flatten(g, op, a):
    x, out = _in(op, "X"), _out(op)
    shape = g.shape(x)
    r = len(shape)
    if r == 0:
        g.one("Reshape", [x, g.ints([1])], out)
        return
    start, stop = a["start_axis"] % r, a["stop_axis"] % r
    tail = shape[stop + 1 :]
    if all(d >= 0 for d in tail):
        target = g.ints([0] * start + [-1] + tail)
    else:
        sx = g.one("Shape", [x])
        target = g.one(
            "Concat",
            [_slice1d(g, sx, 0, start), g.ints([-1]), _slice1d(g, sx, stop + 1, r)],
            axis=0,
        )
    g.one("Reshape", [x, target], out)


@rule("flatten2", "flatten")
def _flatten2(g, op, a):
    g.one("Flatten", [_in(op, "X")], _out(op), axis=int(a.get("axis", 1)))


@rule("transpose2", "transpose")
def _transpose(g, op, a):
    g.one("Transpose", [_in(op, "X")], _out(op), perm=list(a["axis"]))


@rule("concat")
def _concat(g, op, a):
    if _in(op, "AxisTensor"):
        raise g.fail("concat with an AxisTensor input is not supported")
    g.one("Concat", op.input("X"), _out(op), axis=int(a["axis"]))


@rule("split")
def _split(g, op, a):
    x = _in(op, "X")
    if _in(op, "AxisTensor") or op.input("SectionsTensorList"):
        raise g.fail("split with tensor axis or sections is not supported")
    axis = a["axis"] % g.rank(x)
    outs = op.output("Out")
    sections = list(a.get("sections") or [])
    if not sections:
        g.split(x, axis, None, outs)
        return
    if -1 in sections:
        dim = g.shape(x)[axis]
        if dim < 0:
            raise g.fail("split with a -1 section on a dynamic dimension is not supported")
        sections[sections.index(-1)] = dim - sum(s for s in sections if s != -1)
    g.split(x, axis, sections, outs)


def _decrease(g, op, a, value: str, in_rank: int) -> None:
    out = _out(op)
    dec = list(a.get("decrease_axis") or [])
    if dec and g.rank(out) == in_rank - len(dec):
        g.squeeze(value, dec, out)
    else:
        g.one("Identity", [value], out)


@rule("slice")
def _slice(g, op, a):
    x = _in(op, "Input")
    starts = _shape_input(g, op, a, "starts", "StartsTensor", "StartsTensorList")
    ends = _shape_input(g, op, a, "ends", "EndsTensor", "EndsTensorList")
    v = g.one("Slice", [x, starts, ends, g.ints(a["axes"])])
    _decrease(g, op, a, v, g.rank(x))


@rule("strided_slice")
def _strided_slice(g, op, a):
    x = _in(op, "Input")
    starts = _shape_input(g, op, a, "starts", "StartsTensor", "StartsTensorList")
    ends = _shape_input(g, op, a, "ends", "EndsTensor", "EndsTensorList")
    steps = _shape_input(g, op, a, "strides", "StridesTensor", "StridesTensorList")
    v = g.one("Slice", [x, starts, ends, g.ints(a["axes"]), steps])
    _decrease(g, op, a, v, g.rank(x))


@rule("squeeze2", "squeeze")
def _squeeze(g, op, a):
    x, out = _in(op, "X"), _out(op)
    r = g.rank(x)
    axes = sorted({ax % r for ax in a.get("axes") or []})
    shape = g.shape(x)
    # Paddle skips listed axes whose size is not 1; ONNX would fail on them
    axes = (
        [ax for ax in axes if shape[ax] == 1]
        if axes
        else [i for i, d in enumerate(shape) if d == 1]
    )
    if not axes:
        g.one("Identity", [x], out)
    else:
        g.squeeze(x, axes, out)


@rule("unsqueeze2", "unsqueeze")
def _unsqueeze(g, op, a):
    x, out = _in(op, "X"), _out(op)
    if _in(op, "AxesTensor") or op.input("AxesTensorList"):
        raise g.fail("unsqueeze with tensor axes is not supported")
    r_out = g.rank(out)
    axes = []
    cur = g.rank(x)
    for ax in a["axes"]:  # Paddle inserts one at a time, each relative to the current rank
        cur += 1
        axes.append(ax % cur if ax < 0 else ax)
    if len(set(axes)) != len(axes) or r_out != g.rank(x) + len(axes):
        raise g.fail(f"unsqueeze axes {a['axes']} are not supported")
    v = x
    for ax in axes:
        v = g.unsqueeze(v, [ax])
    g.one("Identity", [v], out)


@rule("shape")
def _shape(g, op, a):
    _fix_dtype(g, g.one("Shape", [_in(op, "Input")]), np.int64, _out(op))


@rule("fill_constant")
def _fill_constant(g, op, a):
    out = _out(op)
    dtype = to_numpy(from_vartype(a["dtype"]))
    if op.input("ValueTensor"):  # PIR's full_with_tensor: a run-time scalar, broadcast
        shape = _shape_input(g, op, a, "shape", "ShapeTensor", "ShapeTensorList")
        v = g.one("Reshape", [g.cast(_in(op, "ValueTensor"), dtype), g.ints([])])
        g.one("Expand", [v, shape], out)
        return
    value = float(a["str_value"]) if a.get("str_value") else a["value"]
    if not (_in(op, "ShapeTensor") or op.input("ShapeTensorList")):
        g.one("Identity", [g.const(np.full(list(a["shape"]), value, dtype=dtype))], out)
        return
    shape = _shape_input(g, op, a, "shape", "ShapeTensor", "ShapeTensorList")
    g.one(
        "ConstantOfShape",
        [shape],
        out,
        value=numpy_helper.from_array(np.array([value], dtype=dtype)),
    )


@rule("expand_v2")
def _expand_v2(g, op, a):
    x = _in(op, "X")
    if _in(op, "Shape"):
        shape = g.as_int64_1d([_in(op, "Shape")])
    elif op.input("expand_shapes_tensor"):
        shape = g.as_int64_1d(op.input("expand_shapes_tensor"))
    else:
        # Paddle's -1 keeps the input's size; ONNX's bidirectional broadcast keeps it for 1
        shape = g.ints([1 if d == -1 else d for d in a["shape"]])
    g.one("Expand", [x, shape], _out(op))


@rule("lookup_table_v2")
def _lookup_table_v2(g, op, a):
    ids, w, out = _in(op, "Ids"), _in(op, "W"), _out(op)
    pad = a.get("padding_idx", -1)
    if pad is None or pad < 0:
        g.one("Gather", [w, ids], out, axis=0)
        return
    rows = g.one("Gather", [w, ids], axis=0)
    keep = g.one("Not", [g.one("Equal", [ids, g.const(np.asarray(pad, g.np_dtype(ids)))])])
    mask = g.unsqueeze(g.cast(keep, g.np_dtype(w)), [g.rank(ids)])
    g.one("Mul", [rows, mask], out)


_REDUCE = {
    "reduce_sum": "ReduceSum",
    "reduce_mean": "ReduceMean",
    "reduce_max": "ReduceMax",
    "reduce_min": "ReduceMin",
    "reduce_prod": "ReduceProd",
    "reduce_amax": "ReduceMax",
    "reduce_amin": "ReduceMin",
}


@rule(*_REDUCE)
def _reduce(g, op, a):
    x, out = _in(op, "X"), _out(op)
    r = g.rank(x)
    dims = list(a.get("dim") or [])
    every = a.get("reduce_all") or not dims or len({d % max(r, 1) for d in dims}) == r
    if g.np_dtype(out) != g.np_dtype(x):
        # Paddle's kernel casts X to the output dtype first: out_dtype (sum(x, dtype=...)), or
        # int64 for a sum of bool/int32 (NOTE [reduce dtypes] in ops/math.py)
        x = g.cast(x, g.np_dtype(out))
    g.reduce(_REDUCE[op.type], x, None if every else dims, bool(a.get("keep_dim")), out)


@rule("mean")
def _mean(g, op, a):
    g.reduce("ReduceMean", _in(op, "X"), None, False, _out(op))


@rule("stack")
def _stack(g, op, a):
    xs, out = op.input("X"), _out(op, "Y")
    axis = a.get("axis", 0) % (g.rank(xs[0]) + 1)
    g.one("Concat", [g.unsqueeze(x, [axis]) for x in xs], out, axis=axis)


# ---- indexing, search, scans -----------------------------------------------------------------
@rule("where")
def _where(g, op, a):
    g.one("Where", [_in(op, "Condition"), _in(op, "X"), _in(op, "Y")], _out(op))


@rule("gather")
def _gather(g, op, a):
    if _in(op, "Axis"):
        raise g.fail("gather with an Axis tensor is not supported; only a constant axis is")
    idx = _in(op, "Index")
    if g.rank(idx) != 1:
        idx = g.one("Reshape", [idx, g.ints([-1])])
    g.one("Gather", [_in(op, "X"), idx], _out(op), axis=int(a.get("axis", 0)))


@rule("arg_max", "arg_min")
def _arg(g, op, a):
    x, out = _in(op, "X"), _out(op)
    kind = "ArgMax" if op.type == "arg_max" else "ArgMin"
    if a.get("flatten"):
        v = g.one(kind, [g.one("Reshape", [x, g.ints([-1])])], axis=0, keepdims=0)
    else:
        v = g.one(kind, [x], axis=int(a.get("axis", -1)), keepdims=int(bool(a.get("keepdims"))))
    _fix_dtype(g, v, np.int64, out)


@rule("cumsum")
def _cumsum(g, op, a):
    x, axis = _in(op, "X"), int(a.get("axis", -1))
    if a.get("flatten"):
        x, axis = g.one("Reshape", [x, g.ints([-1])]), 0
    g.one(
        "CumSum",
        [x, g.const(np.asarray(axis, np.int64), hint="axis")],
        _out(op),
        exclusive=int(bool(a.get("exclusive"))),
        reverse=int(bool(a.get("reverse"))),
    )


@rule("tile")
def _tile(g, op, a):
    x, out = _in(op, "X"), _out(op)
    if _in(op, "RepeatTimes") or op.input("repeat_times_tensor"):
        raise g.fail("tile with repeat_times given as tensors is not supported; only constants are")
    reps, r = [int(v) for v in a.get("repeat_times") or []], g.rank(x)
    if len(reps) > r:  # Paddle prepends size-1 dims to X
        x = g.unsqueeze(x, list(range(len(reps) - r)))
    reps = [1] * (max(r, len(reps)) - len(reps)) + reps
    g.one("Tile", [x, g.ints(reps)], out)


@rule("bmm")
def _bmm(g, op, a):
    g.one("MatMul", [_in(op, "X"), _in(op, "Y")], _out(op))


@rule("top_k_v2")
def _top_k(g, op, a):
    x, k = _in(op, "X"), _in(op, "K")
    k = g.as_int64_1d([k]) if k else g.ints([int(a.get("k", 1))])
    g.node(
        "TopK",
        [x, k],
        [_out(op), _out(op, "Indices")],
        axis=int(a.get("axis", -1)),
        largest=int(bool(a.get("largest", True))),
        sorted=int(bool(a.get("sorted", True))),
    )


@rule("conv2d_transpose", "depthwise_conv2d_transpose")
def _conv2d_transpose(g, op, a):
    """NOTE [onnx conv2d_transpose output_size]: Paddle's ``output_size`` picks the output size
    within ``[base, base + max(stride, dilation))`` (``base`` from input, kernel, stride,
    padding): the extra rows are an ``output_padding`` at the end. With static spatial input
    sizes it becomes ONNX's ``output_padding``; with dynamic ones the transposed conv runs with
    no end padding, is zero-padded at the end by ``max(stride, dilation) - 1`` and sliced to
    ``output_size`` (the rows past the full transposed output are zeros, as in Paddle).

    ``padding='SAME'`` pads as Paddle's ``UpdatePaddingAndDilation`` does for the input sizes:
    ``pad_sum = max((ceil(n / s) - 1) * s + k - n, 0)``, split low half first, dilation 1."""
    x, w, out = _in(op, "Input"), _in(op, "Filter"), _out(op, "Output")
    algo = a.get("padding_algorithm", "EXPLICIT")
    with _channels_first(g, a, "data_format", x, out) as (x, out, hw):
        _conv_transpose(g, a, x, w, out, hw, algo)


def _conv_transpose(g, a, x, w, out, hw, algo):
    """conv2d/3d_transpose on channel-first ``x`` with spatial sizes ``hw`` (-1: dynamic)."""
    nd = len(hw)
    strides, dilations = list(a["strides"]), list(a["dilations"])
    pads = [0] * (2 * nd) if algo == "VALID" else _pads(a, nd)
    if algo == "SAME":
        if any(n < 0 for n in hw):
            raise g.fail(f"conv transpose with padding='SAME' needs static spatial sizes, got {hw}")
        ksize = g.shape(w)[2:]
        total = [max((-(-n // s) - 1) * s + k - n, 0) for n, s, k in zip(hw, strides, ksize)]
        pads = [t // 2 for t in total] + [t - t // 2 for t in total]
        dilations = [1] * nd
    attrs = {"strides": strides, "dilations": dilations, "group": int(a["groups"])}
    size = [int(v) for v in a.get("output_size") or []]
    if not size:
        if a.get("output_padding"):
            attrs["output_padding"] = list(a["output_padding"])
        g.one("ConvTranspose", [x, w], out, pads=pads, **attrs)
        return
    ksize = g.shape(w)[2:]
    if all(n >= 0 for n in hw):  # see NOTE [onnx conv2d_transpose output_size]
        base = [
            (n - 1) * s - pb - pe + d * (k - 1) + 1
            for n, s, d, k, pb, pe in zip(hw, strides, dilations, ksize, pads[:nd], pads[nd:])
        ]
        extra = [o - b for o, b in zip(size, base)]
        top = [b + max(s, d) - 1 for b, s, d in zip(base, strides, dilations)]
        if any(not b <= o <= t for o, b, t in zip(size, base, top)):
            allowed = " x ".join(f"[{b}, {t}]" for b, t in zip(base, top))
            raise g.fail(
                f"conv transpose output_size {size} does not fit spatial input sizes {hw}: "
                f"each size must lie in {allowed}"
            )
        g.one("ConvTranspose", [x, w], out, pads=pads, output_padding=extra, **attrs)
        return
    y = g.one("ConvTranspose", [x, w], pads=pads[:nd] + [0] * nd, **attrs)
    grow = [max(s, d) - 1 for s, d in zip(strides, dilations)]
    y = g.one("Pad", [y, g.ints([0] * (nd + 4) + grow)], mode="constant")
    g.one("Slice", [y, g.ints([0] * nd), g.ints(size), g.ints(range(2, 2 + nd))], out)


@rule("flip")
def _flip(g, op, a):
    x, r = _in(op, "X"), g.rank(_in(op, "X"))
    axes = [int(d) % r for d in a.get("axis") or []]
    if not axes:
        g.one("Identity", [x], _out(op))
        return
    n = len(axes)
    big = np.iinfo(np.int64).min
    g.one(
        "Slice",
        [x, g.ints([-1] * n), g.ints([big] * n), g.ints(axes), g.ints([-1] * n)],
        _out(op),
    )


@rule("fill_any_like")
def _fill_any_like(g, op, a):
    out = _out(op)
    value = np.asarray([a.get("value", 0.0)], dtype=g.np_dtype(out))
    g.one(
        "ConstantOfShape",
        [g.one("Shape", [_in(op, "X")])],
        out,
        value=numpy_helper.from_array(value),
    )


@rule("range")
def _range(g, op, a):
    dt = g.np_dtype(_out(op))
    start, end, step = (
        g.squeeze(g.cast(_in(op, s), dt), [0])
        if g.rank(_in(op, s)) == 1
        else g.cast(_in(op, s), dt)
        for s in ("Start", "End", "Step")
    )
    g.one("Range", [start, end, step], _out(op))


@rule("prelu")
def _prelu(g, op, a):
    x, alpha = _in(op, "X"), _in(op, "Alpha")
    mode, r = a.get("mode", "all"), g.rank(x)
    if mode == "all":
        alpha = g.one("Reshape", [alpha, g.ints([1])])
    elif mode == "channel":
        last = _channels_last(g, a, "data_format")
        alpha = g.one("Reshape", [alpha, g.ints([-1] + [1] * (0 if last else r - 2))])
    else:  # element: Alpha has X's shape without the batch dim
        alpha = (
            g.one("Reshape", [alpha, g.ints(g.shape(x)[1:])]) if g.rank(alpha) != r - 1 else alpha
        )
    g.one("PRelu", [x, alpha], _out(op))


@rule("sum")
def _sum(g, op, a):
    g.one("Sum", op.input("X"), _out(op))


@rule("index_select")
def _index_select(g, op, a):
    g.one("Gather", [_in(op, "X"), _in(op, "Index")], _out(op), axis=int(a.get("dim", 0)))


# ---- resize ----------------------------------------------------------------------------------
_INTERP = ("nearest", "bilinear", "bicubic", "linear", "trilinear")


@rule(*(f"{m}_interp_v2" for m in _INTERP))
def _interp(g, op, a):
    """Paddle's interpolation -> ``Resize``: the coordinate mapping follows Paddle's kernels
    (nearest: floor, or round-half-up with align_corners; linear: align_corners, half_pixel
    clamped at 0 for align_mode 0 (which onnxruntime's clamping matches), asymmetric for 1).
    Channel-last layouts run between Transposes (NOTE [onnx channel-last])."""
    with _channels_first(g, a, "data_layout", _in(op, "X"), _out(op)) as (x, out, _):
        _resize(g, op, a, x, out)


def _resize(g, op, a, x, out):
    method = op.type[: -len("_interp_v2")]
    r = g.rank(_in(op, "X"))
    nd = r - 2
    align = bool(a.get("align_corners"))
    attrs = {}
    if method == "nearest":
        attrs["mode"] = "nearest"
        attrs["coordinate_transformation_mode"] = "align_corners" if align else "asymmetric"
        attrs["nearest_mode"] = "round_prefer_ceil" if align else "floor"
    else:
        attrs["mode"] = "cubic" if method == "bicubic" else "linear"
        if method == "bicubic":
            attrs["cubic_coeff_a"] = -0.75
        if align:
            attrs["coordinate_transformation_mode"] = "align_corners"
        elif method == "bicubic" or a.get("align_mode", 1) == 0:
            attrs["coordinate_transformation_mode"] = "half_pixel"
        else:
            attrs["coordinate_transformation_mode"] = "asymmetric"
    empty = g.const(np.zeros([0], np.float32), hint="empty") if g.opset < 13 else ""
    sizes = scales = None
    if op.input("SizeTensor"):
        sizes = g.as_int64_1d(op.input("SizeTensor"))
    elif _in(op, "OutSize"):
        sizes = g.cast(_in(op, "OutSize"), np.int64)
    elif _in(op, "Scale") or (a.get("scale") and all(s > 0 for s in a["scale"])):
        if _in(op, "Scale"):
            s = g.cast(g.one("Reshape", [_in(op, "Scale"), g.ints([-1])]), np.float32)
            if nd > 1:  # one scale for every spatial dim when one is given
                s = g.one("Expand", [s, g.ints([nd])])
        else:
            sc = [float(v) for v in a["scale"]]
            s = g.const(np.asarray(sc * nd if len(sc) == 1 else sc, np.float32), hint="scale")
        scales = g.one("Concat", [g.const(np.ones([2], np.float32), hint="one"), s], axis=0)
    else:
        dims = [a.get("out_d", -1), a.get("out_h", -1), a.get("out_w", -1)][3 - nd :]
        if any(int(d) <= 0 for d in dims):
            raise g.fail(f"{op.type}: no output size (out_d/out_h/out_w {dims}) and no scale")
        sizes = g.ints(dims)
    if sizes is not None:
        nc = g.one("Slice", [g.one("Shape", [x]), g.ints([0]), g.ints([2]), g.ints([0])])
        sizes = g.one("Concat", [nc, sizes], axis=0)
        ins = [x, empty, empty, sizes]
    else:
        ins = [x, empty, scales]
    g.one("Resize", ins, out, **attrs)
