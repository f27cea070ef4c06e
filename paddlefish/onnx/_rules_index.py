"""Conversion rules (added to ``_rules.RULES``) for shapes and indexing beyond ``_rules.py``:
``expand``/``expand_as``, the ``fill_*`` constants, ``unstack``, ``roll``, ``argsort``,
``top_k`` (1.x), ``gather_nd``, ``one_hot``, ``where_index``, ``masked_select``, ``size``,
``meshgrid``, ``scatter``, ``set_value`` (slice assignment), ``sequence_mask``, ``linspace``,
``eye``."""

from __future__ import annotations

import numpy as np
from onnx import numpy_helper

from .._core.dtypes import from_vartype, to_numpy
from ._rules import (
    RULES,
    _in,
    _out,
    _scalar,
    _slice_shape,
    rule,
)

__all__ = ["RULES"]


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
    parts = [g.ints(shape[:o]), batch, g.ints(shape[o + 1 :])]
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
    g.node(
        "TopK",
        [x, k],
        [_out(op), _out(op, "Indices")],
        axis=axis,
        largest=int(bool(a.get("descending"))),
        sorted=1,
    )


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
    for key, slot in (
        ("starts", "StartsTensorList"),
        ("ends", "EndsTensorList"),
        ("steps", "StepsTensorList"),
    ):
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
            pos = g.one(
                "Slice",
                [pos, bounds["starts"][i], bounds["ends"][i], g.ints([0]), bounds["steps"][i]],
            )
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


@rule("sequence_mask")
def _sequence_mask(g, op, a):
    x, out = _in(op, "X"), _out(op, "Y")
    if _in(op, "MaxLenTensor"):
        n = g.squeeze(g.as_int64_1d([_in(op, "MaxLenTensor")]), [0])
    elif int(a.get("maxlen", -1)) >= 0:
        n = g.const(np.int64(int(a["maxlen"])), hint="maxlen")
    else:
        n = g.cast(g.reduce("ReduceMax", x, None, False), np.int64)
    cols = g.one("Range", [g.const(np.int64(0), hint="zero"), n, g.const(np.int64(1), hint="one")])
    lt = g.one("Less", [cols, g.unsqueeze(g.cast(x, np.int64), [g.rank(x)])])
    g.cast(lt, g.np_dtype(out), out)


@rule("linspace")
def _linspace(g, op, a):
    # start + i * (stop - start) / (num - 1), i < num (one value: start)
    out = _out(op)
    dt = g.np_dtype(out)
    start, stop = (
        g.cast(g.one("Reshape", [_in(op, s), g.ints([])]), np.float64) for s in ("Start", "Stop")
    )
    num = g.cast(g.one("Reshape", [_in(op, "Num"), g.ints([])]), np.int64)
    i = g.cast(
        g.one("Range", [g.const(np.int64(0), hint="zero"), num, g.const(np.int64(1), hint="one")]),
        np.float64,
    )
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


@rule("scatter_nd_add")
def _scatter_nd_add(g, op, a):
    if g.opset < 16:
        raise g.fail("scatter_nd_add needs opset 16 or later (ScatterND with reduction='add')")
    idx = g.cast(_in(op, "Index"), np.int64)
    g.one("ScatterND", [_in(op, "X"), idx, _in(op, "Updates")], _out(op), reduction="add")
