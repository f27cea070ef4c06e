"""More conversion rules (``RULES`` of ``_rules.py``): the activations, math, normalization,
padding, indexing and 3-D ops that Paddle's model zoos use beyond the first set — ``elu``,
``selu``, ``mish``, ``logsigmoid``, ``round``, ``mod``, ``group_norm``, ``instance_norm``,
``pad``/``pad3d``, ``pixel_shuffle``, ``max_pool2d_with_index``, ``conv3d``/``pool3d``,
``roll``, ``unstack``, ``argsort``, ``gather_nd``, ``one_hot_v2``, ``fc`` and ``lookup_table``
of 1.x programs, and others. Each follows the Paddle kernel's semantics (real Paddle's, where
paddlefish's own kernel differs, as for ``round``)."""

from __future__ import annotations

import math

import numpy as np
from onnx import numpy_helper

from .._core.dtypes import from_vartype, to_numpy
from ._rules import (
    RULES,
    _adaptive_pool,
    _channels_first,
    _conv,
    _conv_transpose,
    _fix_dtype,
    _in,
    _out,
    _pads,
    _pool,
    _scalar,
    rule,
)

__all__ = ["RULES"]


# ---- elementwise -----------------------------------------------------------------------------
_UNARY = {
    "tan": "Tan",
    "sinh": "Sinh",
    "cosh": "Cosh",
    "asin": "Asin",
    "acos": "Acos",
    "atan": "Atan",
    "sign": "Sign",
}


@rule(*_UNARY)
def _unary(g, op, a):
    g.one(_UNARY[op.type], [_in(op, "X")], _out(op))


@rule("isnan_v2", "isinf_v2", "isfinite_v2")
def _isnan_like(g, op, a):
    x = _in(op, "X")
    if op.type == "isfinite_v2":
        v = g.one("Not", [g.one("Or", [g.one("IsNaN", [x]), g.one("IsInf", [x])])])
    else:
        v = g.one("IsNaN" if op.type == "isnan_v2" else "IsInf", [x])
    _fix_dtype(g, v, np.bool_, _out(op))


@rule("round")
def _round(g, op, a):
    # Paddle rounds half away from zero (std::round: 2.5 -> 3, -0.5 -> -1); ONNX Round rounds
    # half to even, so: sign(x) * floor(|x| + 0.5)
    x = _in(op, "X")
    up = g.one("Floor", [g.one("Add", [g.one("Abs", [x]), _scalar(g, 0.5, x)])])
    g.one("Mul", [g.one("Sign", [x]), up], _out(op))


@rule("square")
def _square(g, op, a):
    x = _in(op, "X")
    g.one("Mul", [x, x], _out(op))


@rule("rsqrt")
def _rsqrt(g, op, a):
    g.one("Reciprocal", [g.one("Sqrt", [_in(op, "X")])], _out(op))


@rule("log1p")
def _log1p(g, op, a):
    x = _in(op, "X")
    g.one("Log", [g.one("Add", [x, _scalar(g, 1.0, x)])], _out(op))


@rule("log2", "log10")
def _log_base(g, op, a):
    x = _in(op, "X")
    base = 2.0 if op.type == "log2" else 10.0
    g.one("Div", [g.one("Log", [x]), _scalar(g, math.log(base), x)], _out(op))


@rule("elu")
def _elu(g, op, a):
    g.one("Elu", [_in(op, "X")], _out(op), alpha=float(a["alpha"]))


@rule("selu")
def _selu(g, op, a):
    g.one("Selu", [_in(op, "X")], _out(op), alpha=float(a["alpha"]), gamma=float(a["scale"]))


@rule("logsigmoid")
def _logsigmoid(g, op, a):
    # log(sigmoid(x)) = -softplus(-x), without log(0) for very negative x
    x = _in(op, "X")
    g.one("Neg", [g.one("Softplus", [g.one("Neg", [x])])], _out(op))


@rule("tanh_shrink")
def _tanh_shrink(g, op, a):
    x = _in(op, "X")
    g.one("Sub", [x, g.one("Tanh", [x])], _out(op))


@rule("mish")
def _mish(g, op, a):
    # x * tanh(softplus(x)), softplus(x) taken as x above ``threshold`` (Paddle's kernel)
    x = _in(op, "X")
    big = g.one("Greater", [x, _scalar(g, a.get("threshold", 20.0), x)])
    sp = g.one("Where", [big, x, g.one("Softplus", [x])])
    g.one("Mul", [x, g.one("Tanh", [sp])], _out(op))


@rule("brelu")
def _brelu(g, op, a):
    x = _in(op, "X")
    g.one("Clip", [x, _scalar(g, a["t_min"], x), _scalar(g, a["t_max"], x)], _out(op))


@rule("elementwise_floordiv", "elementwise_mod")
def _floordiv_mod(g, op, a):
    """Paddle's floor division and Python-style remainder (the divisor's sign). ONNX ``Mod``
    with ``fmod=0`` is that for integers only; floats use ``x - floor(x / y) * y``."""
    x, y, out = _in(op, "X"), _in(op, "Y"), _out(op)
    axis, rx, ry = a.get("axis", -1), g.rank(x), g.rank(y)
    if axis != -1 and ry < rx and axis + ry < rx:
        y = g.unsqueeze(y, list(range(axis + ry, rx)))
    integer = np.issubdtype(g.np_dtype(x), np.integer)
    if op.type == "elementwise_mod" and integer:
        g.one("Mod", [x, y], out, fmod=0)
        return
    if integer:  # floor(x / y) = (x - mod(x, y)) / y, exact in integers
        g.one("Div", [g.one("Sub", [x, g.one("Mod", [x, y], fmod=0)]), y], out)
        return
    q = g.one("Floor", [g.one("Div", [x, y])])
    if op.type == "elementwise_floordiv":
        g.one("Identity", [q], out)
    else:
        g.one("Sub", [x, g.one("Mul", [q, y])], out)


@rule("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not")
def _bitwise(g, op, a):
    x = _in(op, "X")
    if g.np_dtype(x) != np.bool_:
        raise g.fail(f"{op.type} on {g.np_dtype(x)} tensors has no ONNX op before opset 18; "
                     "only boolean inputs are supported")
    kind = {"bitwise_and": "And", "bitwise_or": "Or", "bitwise_xor": "Xor", "bitwise_not": "Not"}
    ins = [x] if op.type == "bitwise_not" else [x, _in(op, "Y")]
    g.one(kind[op.type], ins, _out(op))


@rule("increment")
def _increment(g, op, a):
    x = _in(op, "X")
    g.one("Add", [x, _scalar(g, a.get("step", 1.0), x)], _out(op))


@rule("label_smooth")
def _label_smooth(g, op, a):
    x, eps = _in(op, "X"), float(a.get("epsilon", 0.0))
    kept = g.one("Mul", [x, _scalar(g, 1.0 - eps, x)])
    prior = _in(op, "PriorDist")
    if prior:
        spread = g.one("Mul", [prior, _scalar(g, eps, x)])
    else:
        n = g.shape(x)[-1]
        if n < 0:
            raise g.fail("label_smooth over a dynamic number of classes is not supported")
        spread = _scalar(g, eps / n, x)
    g.one("Add", [kept, spread], _out(op))


# ---- reductions ------------------------------------------------------------------------------
def _axes(g, x, dims, every) -> list[int] | None:
    r = g.rank(x)
    dims = [int(d) % max(r, 1) for d in (dims or [])]
    return None if every or not dims or len(set(dims)) == r else dims


@rule("logsumexp")
def _logsumexp(g, op, a):
    x = _in(op, "X")
    axes = _axes(g, x, a.get("axis"), a.get("reduce_all"))
    g.reduce("ReduceLogSumExp", x, axes, bool(a.get("keepdim")), _out(op))


@rule("reduce_all", "reduce_any")
def _reduce_bool(g, op, a):
    x, out = _in(op, "X"), _out(op)
    axes = _axes(g, x, a.get("dim"), a.get("reduce_all"))
    kind = "ReduceMin" if op.type == "reduce_all" else "ReduceMax"
    v = g.reduce(kind, g.cast(x, np.float32), axes, bool(a.get("keep_dim")))
    g.cast(v, np.bool_, out)


@rule("p_norm")
def _p_norm(g, op, a):
    x, out = _in(op, "X"), _out(op)
    p, keep = float(a.get("porder", 2.0)), bool(a.get("keepdim"))
    axes = None if a.get("asvector") else [int(a.get("axis", -1)) % g.rank(x)]
    ax = g.one("Abs", [x])
    if p == 2.0:
        v = g.reduce("ReduceL2", x, axes, keep)
    elif p == 1.0:
        v = g.reduce("ReduceL1", x, axes, keep)
    elif math.isinf(p):
        v = g.reduce("ReduceMax" if p > 0 else "ReduceMin", ax, axes, keep)
    elif p == 0.0:
        nz = g.cast(g.one("Not", [g.one("Equal", [x, _scalar(g, 0.0, x)])]), g.np_dtype(x))
        v = g.reduce("ReduceSum", nz, axes, keep)
    else:
        s = g.reduce("ReduceSum", g.one("Pow", [ax, _scalar(g, p, x)]), axes, keep)
        v = g.one("Pow", [s, _scalar(g, 1.0 / p, x)])
    if axes is None and not keep and g.rank(out) == 1:  # Paddle's asvector result is [1]
        v = g.one("Reshape", [v, g.ints([1])])
    g.one("Identity", [v], out)


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
    if algo == "SAME":
        raise g.fail("conv3d_transpose with padding='SAME' is not supported")
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
                raise g.fail(f"the Mask of an adaptive max pool to {ksize} from {spatial} "
                             "(sizes not divisible) is not supported")
            _adaptive_pool(g, x, out, spatial, ksize, "ReduceMax")
            return
        ksize = strides = [s // k for s, k in zip(spatial, ksize)]
        pads = [0] * (2 * nd)
    if any(s < 0 for s in ksize):
        raise g.fail(f"global max pool with indices needs static spatial sizes, got {spatial}")
    _, idx = g.node("MaxPool", [x], [out, g.fresh("indices")], kernel_shape=ksize,
                         strides=strides, pads=pads)
    plane = g.one("ReduceProd", [_slice_shape(g, x, 2, 2 + nd)], keepdims=1)
    g.cast(g.one("Mod", [idx, plane], fmod=0), g.np_dtype(mask), mask)


def _reads(program, name: str) -> bool:
    return any(name in o.input_names() for b in program.blocks for o in b.ops)


def _slice_shape(g, x: str, start: int, end: int) -> str:
    s = g.one("Shape", [x])
    return g.one("Slice", [s, g.ints([start]), g.ints([end]), g.ints([0])])


# ---- shapes and indexing -----------------------------------------------------------------------
@rule("expand_as_v2")
def _expand_as(g, op, a):
    x, y = _in(op, "X"), _in(op, "Y")
    if y:
        shape = g.one("Shape", [y])
    else:
        target = [int(v) for v in a["target_shape"]]
        if any(v < 0 for v in target):
            raise g.fail(f"expand_as_v2 without Y and a dynamic target_shape {target}")
        shape = g.ints(target)
    g.one("Expand", [x, shape], _out(op))


@rule("expand")
def _expand(g, op, a):
    if _in(op, "ExpandTimes") or op.input("expand_times_tensor"):
        raise g.fail("expand with expand_times given as tensors is not supported")
    g.one("Tile", [_in(op, "X"), g.ints(a["expand_times"])], _out(op))


@rule("fill_zeros_like")
def _fill_zeros_like(g, op, a):
    out = _out(op)
    zero = numpy_helper.from_array(np.zeros([1], g.np_dtype(out)))
    g.one("ConstantOfShape", [g.one("Shape", [_in(op, "X")])], out, value=zero)


@rule("fill_constant_batch_size_like")
def _fill_constant_batch_size_like(g, op, a):
    out = _out(op)
    shape = [int(v) for v in a["shape"]]
    i, o = int(a.get("input_dim_idx", 0)), int(a.get("output_dim_idx", 0))
    batch = _slice_shape(g, _in(op, "Input"), i, i + 1)
    parts = [g.ints(shape[:o]), batch, g.ints(shape[o + 1:])]
    dims = g.one("Concat", [p for p in parts if p], axis=0)
    value = np.asarray([a.get("value", 0.0)], to_numpy(from_vartype(a["dtype"])))
    g.one("ConstantOfShape", [dims], out, value=numpy_helper.from_array(value))


@rule("unstack")
def _unstack(g, op, a):
    x, outs = _in(op, "X"), op.output("Y")
    axis = int(a.get("axis", 0)) % g.rank(x)
    parts = g.split(x, axis, [1] * len(outs), [g.fresh("unstack") for _ in outs])
    for p, o in zip(parts, outs):
        g.squeeze(p, [axis], o)


@rule("roll")
def _roll(g, op, a):
    x, out = _in(op, "X"), _out(op)
    axes = [int(d) for d in a.get("axis") or []]
    if _in(op, "ShiftsTensor"):  # PIR programs carry shifts as a (constant) tensor
        st = g.cast(g.one("Reshape", [_in(op, "ShiftsTensor"), g.ints([-1])]), np.int64)
        shifts = [g.one("Gather", [st, g.ints([i])], axis=0) for i in range(max(len(axes), 1))]
    else:
        shifts = [g.ints([int(v)]) for v in a["shifts"]]
    src = x
    if not axes:  # roll the flattened tensor, then restore the shape
        src, axes = g.one("Reshape", [x, g.ints([-1])]), [0]
    r = 1 if src is not x else g.rank(x)
    big = g.ints([np.iinfo(np.int64).max])
    for s, d in zip(shifts, axes):
        d %= r
        n = g.one("Gather", [g.one("Shape", [src]), g.ints([d])], axis=0)
        k = g.one("Mod", [g.one("Neg", [s]), n], fmod=0)  # out = concat(x[k:], x[:k])
        head = g.one("Slice", [src, k, big, g.ints([d])])
        tail = g.one("Slice", [src, g.ints([0]), k, g.ints([d])])
        src = g.one("Concat", [head, tail], axis=d)
    if r == 1 and g.rank(x) != 1:
        src = g.one("Reshape", [src, g.one("Shape", [x])])
    g.one("Identity", [src], out)


@rule("argsort")
def _argsort(g, op, a):
    x = _in(op, "X")
    axis = int(a.get("axis", -1)) % g.rank(x)
    k = g.one("Gather", [g.one("Shape", [x]), g.ints([axis])], axis=0)
    g.node("TopK", [x, k], [_out(op), _out(op, "Indices")], axis=axis,
           largest=int(bool(a.get("descending"))), sorted=1)


@rule("top_k")
def _top_k_v1(g, op, a):
    x, k = _in(op, "X"), _in(op, "K")
    k = g.as_int64_1d([k]) if k else g.ints([int(a.get("k", 1))])
    g.node("TopK", [x, k], [_out(op), _out(op, "Indices")], axis=-1, largest=1, sorted=1)


@rule("gather_nd")
def _gather_nd(g, op, a):
    g.one("GatherND", [_in(op, "X"), g.cast(_in(op, "Index"), np.int64)], _out(op))


@rule("one_hot_v2", "one_hot")
def _one_hot(g, op, a):
    x, out = _in(op, "X"), _out(op)
    if op.type == "one_hot":  # 1.x: X is [..., 1]; the last dim is replaced by depth
        x = g.squeeze(x, [g.rank(x) - 1])
    depth = _in(op, "depth_tensor")
    depth = g.as_int64_1d([depth]) if depth else g.ints([int(a["depth"])])
    dt = g.np_dtype(out)
    values = g.const(np.asarray([0, 1], dt), hint="one_hot_values")
    g.one("OneHot", [x, depth, values], out, axis=-1)


@rule("where_index")
def _where_index(g, op, a):
    nz = g.one("NonZero", [_in(op, "Condition")])
    g.one("Transpose", [nz], _out(op), perm=[1, 0])


@rule("masked_select")
def _masked_select(g, op, a):
    x, mask = _in(op, "X"), _in(op, "Mask")
    full = g.one("Expand", [mask, g.one("Shape", [x])])
    flat = g.one("Reshape", [full, g.ints([-1])])
    g.one("Compress", [g.one("Reshape", [x, g.ints([-1])]), flat], _out(op, "Y"), axis=0)


@rule("size")
def _size(g, op, a):
    out = _out(op)
    n = g.cast(g.one("Size", [_in(op, "Input")]), g.np_dtype(out))
    g.one("Reshape", [n, g.ints([1] * g.rank(out))], out)


@rule("meshgrid")
def _meshgrid(g, op, a):
    xs, outs = op.input("X"), op.output("Out")
    n = len(xs)
    dims = [g.one("Reshape", [g.one("Shape", [x]), g.ints([1])]) for x in xs]
    full = g.one("Concat", dims, axis=0) if n > 1 else dims[0]
    for i, (x, o) in enumerate(zip(xs, outs)):
        lined = g.one("Reshape", [x, g.ints([-1 if j == i else 1 for j in range(n)])])
        g.one("Expand", [lined, full], o)


@rule("scatter")
def _scatter(g, op, a):
    x, ids, upd, out = _in(op, "X"), _in(op, "Ids"), _in(op, "Updates"), _out(op)
    idx = g.unsqueeze(g.cast(g.one("Reshape", [ids, g.ints([-1])]), np.int64), [1])
    if a.get("overwrite", True):
        g.one("ScatterND", [x, idx, upd], out)
        return
    if g.opset < 16:
        raise g.fail("scatter with overwrite=False needs opset 16 or later (ScatterND add)")
    zero = g.one("ScatterND", [x, idx, g.one("Mul", [upd, _scalar(g, 0.0, x)])])
    g.one("ScatterND", [zero, idx, upd], out, reduction="add")


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


@rule("set_value")
def _set_value(g, op, a):
    """NOTE [onnx set_value]: ``x[slices] = v`` (Paddle's dy2static writes it as ``set_value``).
    Per axis the region's positions are ``Slice(Range(0, dim), start, end, step)`` (ONNX
    Slice clamps as Paddle's slicing does); their grid is the ``ScatterND`` index; the value is
    broadcast to the region (without the ``decrease_axes``, which are then put back)."""
    x, out = _in(op, "Input"), _out(op)
    r, dt = g.rank(x), g.np_dtype(x)
    if a.get("none_axes"):
        raise g.fail("set_value with None axes (x[None, ...] = v) is not supported")
    axes = [int(d) % r for d in a.get("axes") or []]
    bounds = {}
    for key, slot in (("starts", "StartsTensorList"), ("ends", "EndsTensorList"),
                      ("steps", "StepsTensorList")):
        if op.input(slot):
            bounds[key] = [g.as_int64_1d([t]) for t in op.input(slot)]
        else:
            default = [1] * len(axes) if key == "steps" else []
            bounds[key] = [g.ints([int(v)]) for v in (a.get(key) or default)]
    shape = g.one("Shape", [x])
    zero, one = g.const(np.int64(0), hint="zero"), g.const(np.int64(1), hint="one")
    positions = []
    for d in range(r):
        n = g.one("Gather", [shape, g.const(np.int64(d), hint="axis")], axis=0)
        pos = g.one("Range", [zero, n, one])
        if d in axes:
            i = axes.index(d)
            pos = g.one("Slice", [pos, bounds["starts"][i], bounds["ends"][i], g.ints([0]),
                                  bounds["steps"][i]])
        positions.append(pos)
    region = g.one("Concat", [g.one("Shape", [p]) for p in positions], axis=0)
    grid = []
    for d, p in enumerate(positions):
        lined = g.one("Reshape", [p, g.ints([-1 if j == d else 1 for j in range(r)])])
        grid.append(g.unsqueeze(g.one("Expand", [lined, region]), [r]))
    index = g.one("Concat", grid, axis=r)
    value = _in(op, "ValueTensor")
    if value is None:
        values = [float(v) for v in a.get("values") or []]
        if not values:
            raise g.fail("set_value has neither ValueTensor nor values")
        vshape = [int(s) for s in a.get("shape") or [len(values)]]
        value = g.const(np.asarray(values, dt).reshape(vshape), hint="set_value")
    else:
        value = g.cast(value, dt)
    dec = sorted(int(d) % r for d in a.get("decrease_axes") or [])
    if dec:
        keep = [d for d in range(r) if d not in dec]
        kept = g.one("Gather", [region, g.ints(keep)], axis=0)
        value = g.unsqueeze(g.one("Expand", [value, kept]), dec)
    g.one("ScatterND", [x, index, g.one("Expand", [value, region])], out)


@rule("cumprod")
def _cumprod(g, op, a):
    """ONNX has no CumProd: |prod| = exp(cumsum(log|x|)) (a zero gives log 0 = -inf, so exp
    gives 0 from there on, as the product), the sign from the parity of the negatives so far."""
    x, out = _in(op, "X"), _out(op)
    axis = g.const(np.int64(int(a.get("dim", -1)) % g.rank(x)), hint="axis")
    mag = g.one("Exp", [g.one("CumSum", [g.one("Log", [g.one("Abs", [x])]), axis])])
    neg = g.one("CumSum", [g.cast(g.one("Less", [x, _scalar(g, 0.0, x)]), g.np_dtype(x)), axis])
    odd = g.one("Sub", [neg, g.one("Mul", [g.one("Floor", [g.one("Div", [neg, _scalar(
        g, 2.0, x)])]), _scalar(g, 2.0, x)])])
    sign = g.one("Sub", [_scalar(g, 1.0, x), g.one("Mul", [odd, _scalar(g, 2.0, x)])])
    g.one("Mul", [mag, sign], out)


@rule("sequence_mask")
def _sequence_mask(g, op, a):
    x, out = _in(op, "X"), _out(op, "Y")
    if _in(op, "MaxLenTensor"):
        n = g.squeeze(g.as_int64_1d([_in(op, "MaxLenTensor")]), [0])
    elif int(a.get("maxlen", -1)) >= 0:
        n = g.const(np.int64(int(a["maxlen"])), hint="maxlen")
    else:
        n = g.cast(g.reduce("ReduceMax", x, None, False), np.int64)
    cols = g.one("Range", [g.const(np.int64(0), hint="zero"), n,
                           g.const(np.int64(1), hint="one")])
    lt = g.one("Less", [cols, g.unsqueeze(g.cast(x, np.int64), [g.rank(x)])])
    g.cast(lt, g.np_dtype(out), out)


@rule("linspace")
def _linspace(g, op, a):
    # start + i * (stop - start) / (num - 1), i < num (one value: start)
    out = _out(op)
    dt = g.np_dtype(out)
    start, stop = (g.cast(g.one("Reshape", [_in(op, s), g.ints([])]), np.float64)
                   for s in ("Start", "Stop"))
    num = g.cast(g.one("Reshape", [_in(op, "Num"), g.ints([])]), np.int64)
    i = g.cast(g.one("Range", [g.const(np.int64(0), hint="zero"), num,
                               g.const(np.int64(1), hint="one")]), np.float64)
    one = g.const(np.float64(1.0), hint="one")
    steps = g.one("Max", [g.one("Sub", [g.cast(num, np.float64), one]), one])
    delta = g.one("Div", [g.one("Sub", [stop, start]), steps])
    g.cast(g.one("Add", [start, g.one("Mul", [i, delta])]), dt, out)


@rule("eye")
def _eye(g, op, a):
    rows = int(a["num_rows"])
    cols = int(a["num_columns"]) if int(a.get("num_columns", -1)) >= 0 else rows
    value = np.eye(rows, cols, dtype=to_numpy(from_vartype(a["dtype"])))
    g.one("Identity", [g.const(value, hint="eye")], _out(op))
