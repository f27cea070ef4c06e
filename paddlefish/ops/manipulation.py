"""Shape manipulation, indexing, gather/scatter, cast and creation ops (Paddle legacy names)."""

from __future__ import annotations

import math

import torch

from ._registry import AttrType, op
from ._torch_dtype import torch_dtype_of_vartype


def _shape_from(X, shape):
    # NOTE [reshape zeros]: in Paddle's reshape, 0 copies the input's dimension at that position
    # and one -1 is inferred.
    out = [X.shape[i] if s == 0 else s for i, s in enumerate(shape)]
    return out


def _ints(t):
    if isinstance(t, torch.Tensor):
        return [int(v) for v in t.reshape(-1).tolist()]
    if isinstance(t, list):
        return [int(v.item()) if isinstance(v, torch.Tensor) else int(v) for v in t]
    return list(t)


@op("reshape2", pir="pd_op.reshape", duplicable=("ShapeTensor",), outputs=("Out", "XShape?"))
def reshape2(X, Shape=None, ShapeTensor=None, *, shape=[]):
    if ShapeTensor:
        shape = _ints(ShapeTensor)
    elif Shape is not None:
        shape = _ints(Shape)
    return X.reshape(_shape_from(X, shape)), None


@op("transpose2", pir="pd_op.transpose", outputs=("Out", "XShape?"))
def transpose2(X, *, axis=[]):
    return X.permute(*axis), None


@op("concat", pir="pd_op.concat", duplicable=("X",))
def concat(X, AxisTensor=None, *, axis=0):
    if AxisTensor is not None:
        axis = int(AxisTensor.item())
    return torch.cat(X, axis)


@op("stack", pir="pd_op.stack", duplicable=("X",), outputs=("Y",))
def stack(X, *, axis=0):
    return torch.stack(X, axis)


@op("unstack", pir="pd_op.unstack", duplicable=("Y",), outputs=("Y",))
def unstack(X, *, axis=0, num=0):
    return list(torch.unbind(X, axis))


@op("split", pir="pd_op.split", duplicable=("SectionsTensorList", "Out"), outputs=("Out",))
def split(X, AxisTensor=None, SectionsTensorList=None, *, num=0, sections=[], axis=0):
    if AxisTensor is not None:
        axis = int(AxisTensor.item())
    if SectionsTensorList:
        sections = _ints(SectionsTensorList)
    n = X.shape[axis]
    if num > 0:
        if n % num:
            raise ValueError(f"split: dimension {axis} of size {n} is not divisible by num={num}")
        return list(torch.split(X, n // num, axis))
    sections = list(sections)
    if -1 in sections:
        i = sections.index(-1)
        sections[i] = n - (sum(sections) + 1)
    return list(torch.split(X, sections, axis))


@op("squeeze2", pir="pd_op.squeeze", outputs=("Out", "XShape?"))
def squeeze2(X, *, axes=[]):
    if not axes:
        return X.squeeze(), None
    dims = [a % X.dim() for a in axes if X.dim() and X.shape[a] == 1]
    return (X.squeeze(tuple(dims)) if dims else X), None


@op("unsqueeze2", pir="pd_op.unsqueeze", duplicable=("AxesTensorList",), outputs=("Out", "XShape?"))
def unsqueeze2(X, AxesTensor=None, AxesTensorList=None, *, axes=[]):
    if AxesTensor is not None:
        axes = _ints(AxesTensor)
    elif AxesTensorList:
        axes = _ints(AxesTensorList)
    out = X
    for a in axes:
        out = out.unsqueeze(a if a >= 0 else a + out.dim() + 1)
    return out, None


@op(
    "flatten_contiguous_range",
    pir="pd_op.flatten",
    outputs=("Out", "XShape?"),
    extra_outputs=("XShape",),
)
def flatten_contiguous_range(X, *, start_axis=1, stop_axis=1):
    if X.dim() == 0:
        return X.reshape(1), None
    return torch.flatten(X, start_axis, stop_axis), None


@op("expand_v2", pir="pd_op.expand", duplicable=("expand_shapes_tensor",))
def expand_v2(X, Shape=None, expand_shapes_tensor=None, *, shape=[]):
    if Shape is not None:
        shape = _ints(Shape)
    elif expand_shapes_tensor:
        shape = _ints(expand_shapes_tensor)
    lead = len(shape) - X.dim()
    shape = [X.shape[i - lead] if s == -1 else s for i, s in enumerate(shape)]
    return X.expand(*shape)


@op("expand_as_v2", pir="pd_op.expand_as")
def expand_as_v2(X, Y=None, *, target_shape=[]):
    return X.expand(*(Y.shape if Y is not None else target_shape))


@op("tile", pir="pd_op.tile", duplicable=("repeat_times_tensor",))
def tile(X, RepeatTimes=None, repeat_times_tensor=None, *, repeat_times=[]):
    if RepeatTimes is not None:
        repeat_times = _ints(RepeatTimes)
    elif repeat_times_tensor:
        repeat_times = _ints(repeat_times_tensor)
    reps = [1] * (X.dim() - len(repeat_times)) + list(repeat_times)
    return X.repeat(*reps)  # torch prepends dims itself when reps is longer than X.dim()


@op("gather", pir="pd_op.gather")
def gather(X, Index, Axis=None, *, axis=0):
    if Axis is not None:
        axis = int(Axis.item())
    if Index.dim() > 2 or (Index.dim() == 2 and Index.shape[1] != 1):
        raise ValueError(
            f"gather: Index must be 1-D or of shape [N, 1], got shape {list(Index.shape)}"
        )
    idx = Index.reshape(-1) if Index.dim() > 1 or Index.dim() == 0 else Index
    return torch.index_select(X, axis, idx.long())


@op("gather_nd", pir="pd_op.gather_nd")
def gather_nd(X, Index):
    k = Index.shape[-1]
    idx = Index.long().reshape(-1, k)
    out = X[tuple(idx[:, i] for i in range(k))]
    return out.reshape(list(Index.shape[:-1]) + list(X.shape[k:]))


@op("scatter", pir="pd_op.scatter")
def scatter(X, Ids, Updates, *, overwrite=True):
    ids = Ids.reshape(-1).long()
    out = X.clone()
    if overwrite:
        out[ids] = Updates
    else:
        out[ids] = 0
        out.index_add_(0, ids, Updates)
    return out


@op("scatter_nd_add", pir="pd_op.scatter_nd_add")
def scatter_nd_add(X, Index, Updates):
    k = Index.shape[-1]
    idx = Index.long().reshape(-1, k)
    out = X.clone()
    upd = Updates.reshape([-1] + list(X.shape[k:]))
    out.index_put_(tuple(idx[:, i] for i in range(k)), upd, accumulate=True)
    return out


@op("index_select", pir="pd_op.index_select")
def index_select(X, Index, *, dim=0):
    return torch.index_select(X, dim, Index.long())


@op("masked_select", pir="pd_op.masked_select", outputs=("Y",))
def masked_select(X, Mask):
    return torch.masked_select(X, Mask)


@op("where", pir="pd_op.where")
def where(Condition, X, Y):
    return torch.where(Condition, X, Y)


@op("where_index", pir="pd_op.nonzero")
def where_index(Condition):
    return torch.nonzero(Condition)


@op("roll", pir="pd_op.roll")
def roll(X, ShiftsTensor=None, *, shifts=[], axis=[]):
    if ShiftsTensor is not None:
        shifts = _ints(ShiftsTensor)
    if not axis:
        return torch.roll(X.flatten(), shifts).reshape(X.shape)
    return torch.roll(X, shifts, axis)


@op("flip", pir="pd_op.flip")
def flip(X, *, axis=[]):
    return torch.flip(X, axis)


def _norm_slices(X, axes, starts, ends, strides):
    idx = [slice(None)] * X.dim()
    for a, s, e, st in zip(axes, starts, ends, strides):
        n = X.shape[a]
        if st > 0:
            s = max(0, min(n, s + n if s < 0 else s))
            e = max(0, min(n, e + n if e < 0 else e))
        else:
            s = max(-1, min(n - 1, s + n if s < 0 else s))
            e = max(-1, min(n - 1, e + n if e < -1 else e)) if e >= -n - 1 else -1
        idx[a] = (s, e, st)
    return idx


def _apply_slices(X, idx):
    out = X
    for a, sl in enumerate(idx):
        if isinstance(sl, slice):
            continue
        s, e, st = sl
        if st > 0:
            out = (
                out.narrow(a, s, max(0, e - s))[(slice(None),) * a + (slice(None, None, st),)]
                if st > 1
                else out.narrow(a, s, max(0, e - s))
            )
        else:
            length = max(0, s - e)
            out = (
                out.flip(a).narrow(a, out.shape[a] - 1 - s, length)
                if length
                else out.narrow(a, 0, 0)
            )
            if st < -1:
                out = out[(slice(None),) * a + (slice(None, None, -st),)]
    return out


@op("slice", pir="pd_op.slice", duplicable=("StartsTensorList", "EndsTensorList"))
def slice_(
    Input,
    StartsTensor=None,
    EndsTensor=None,
    StartsTensorList=None,
    EndsTensorList=None,
    *,
    axes=[],
    starts=[],
    ends=[],
    infer_flags=[],
    decrease_axis=[],
):
    if StartsTensor is not None:
        starts = _ints(StartsTensor)
    elif StartsTensorList:
        starts = _ints(StartsTensorList)
    if EndsTensor is not None:
        ends = _ints(EndsTensor)
    elif EndsTensorList:
        ends = _ints(EndsTensorList)
    idx = _norm_slices(Input, axes, starts, ends, [1] * len(axes))
    out = _apply_slices(Input, idx)
    if decrease_axis:
        out = out.squeeze(tuple(decrease_axis)) if out.dim() else out
    return out


@op(
    "strided_slice",
    pir="pd_op.strided_slice",
    duplicable=("StartsTensorList", "EndsTensorList", "StridesTensorList"),
)
def strided_slice(
    Input,
    StartsTensor=None,
    EndsTensor=None,
    StridesTensor=None,
    StartsTensorList=None,
    EndsTensorList=None,
    StridesTensorList=None,
    *,
    axes=[],
    starts=[],
    ends=[],
    strides=[],
    infer_flags=[],
    decrease_axis=[],
):
    if StartsTensor is not None:
        starts = _ints(StartsTensor)
    if EndsTensor is not None:
        ends = _ints(EndsTensor)
    if StridesTensor is not None:
        strides = _ints(StridesTensor)
    idx = _norm_slices(Input, axes, starts, ends, strides)
    out = _apply_slices(Input, idx)
    if decrease_axis:
        out = out.squeeze(tuple(decrease_axis)) if out.dim() else out
    return out


@op("shape", pir="pd_op.shape")
def shape(Input):
    return torch.tensor(list(Input.shape), dtype=torch.int32)


@op("size", pir="pd_op.numel")
def size(Input):
    return torch.tensor(Input.numel(), dtype=torch.int64)


@op("cast", pir="pd_op.cast", attr_types={"in_dtype": AttrType.INT, "out_dtype": AttrType.INT})
def cast(X, *, in_dtype=-1, out_dtype=5):
    return X.to(torch_dtype_of_vartype(out_dtype))


@op("assign", pir="pd_op.assign")
def assign(X):
    return X.clone()


@op(
    "fill_constant",
    pir="pd_op.full",
    duplicable=("ShapeTensorList",),
    attr_types={"dtype": AttrType.INT, "shape": AttrType.LONGS},
)
def fill_constant(
    ValueTensor=None,
    ShapeTensor=None,
    ShapeTensorList=None,
    *,
    dtype=5,
    shape=[],
    value=0.0,
    str_value="",
    force_cpu=False,
    place_type=-1,
):
    if ShapeTensor is not None:
        shape = _ints(ShapeTensor)
    elif ShapeTensorList:
        shape = _ints(ShapeTensorList)
    if ValueTensor is not None:
        v = ValueTensor.reshape([]).item()
    else:
        v = float(str_value) if str_value else value
    td = torch_dtype_of_vartype(dtype)
    if td == torch.bool:
        v = bool(v)
    elif not td.is_floating_point and not td.is_complex:
        v = int(v) if not (isinstance(v, float) and math.isinf(v)) else v
    return torch.full(list(shape), v, dtype=td)


@op("fill_any_like", pir="pd_op.full_like", attr_types={"dtype": AttrType.INT})
def fill_any_like(X, *, value=0.0, dtype=-1):
    td = X.dtype if dtype == -1 else torch_dtype_of_vartype(dtype)
    return torch.full_like(X, value, dtype=td)


@op("range", pir="pd_op.arange", outputs=("Out",))
def range_(Start, End, Step):
    return torch.arange(Start.item(), End.item(), Step.item(), dtype=Start.dtype)


@op("linspace", pir="pd_op.linspace", attr_types={"dtype": AttrType.INT})
def linspace(Start, Stop, Num, *, dtype=5):
    return torch.linspace(
        Start.item(), Stop.item(), int(Num.item()), dtype=torch_dtype_of_vartype(dtype)
    )


@op(
    "eye",
    pir="pd_op.eye",
    attr_types={"dtype": AttrType.INT, "num_rows": AttrType.LONG, "num_columns": AttrType.LONG},
)
def eye(*, num_rows=0, num_columns=-1, dtype=5):
    return torch.eye(
        num_rows,
        num_columns if num_columns != -1 else num_rows,
        dtype=torch_dtype_of_vartype(dtype),
    )


@op("arg_max", pir="pd_op.argmax", attr_types={"axis": AttrType.LONG, "dtype": AttrType.INT})
def arg_max(X, *, axis=-1, keepdims=False, flatten=False, dtype=3):
    x = X.flatten() if flatten else X
    out = torch.argmax(x, 0 if flatten else axis, keepdim=keepdims and not flatten)
    return out.to(torch_dtype_of_vartype(dtype))


@op("arg_min", pir="pd_op.argmin", attr_types={"axis": AttrType.LONG, "dtype": AttrType.INT})
def arg_min(X, *, axis=-1, keepdims=False, flatten=False, dtype=3):
    x = X.flatten() if flatten else X
    out = torch.argmin(x, 0 if flatten else axis, keepdim=keepdims and not flatten)
    return out.to(torch_dtype_of_vartype(dtype))


@op("argsort", pir="pd_op.argsort", outputs=("Out", "Indices"))
def argsort(X, *, axis=-1, descending=False, stable=False):
    v, i = torch.sort(X, dim=axis, descending=descending, stable=True)
    return v, i


@op("top_k_v2", pir="pd_op.topk", outputs=("Out", "Indices"))
def top_k_v2(X, K=None, *, k=1, axis=-1, largest=True, sorted=True):
    if K is not None:
        k = int(K.item())
    v, i = torch.topk(X, k, dim=axis, largest=largest, sorted=sorted)
    return v, i


@op(
    "set_value",
    pir="pd_op.set_value_with_tensor",
    duplicable=("StartsTensorList", "EndsTensorList", "StepsTensorList"),
    attr_types={
        "axes": AttrType.LONGS,
        "starts": AttrType.LONGS,
        "ends": AttrType.LONGS,
        "steps": AttrType.LONGS,
        "decrease_axes": AttrType.LONGS,
        "none_axes": AttrType.LONGS,
        "shape": AttrType.LONGS,
        "dtype": AttrType.INT,
        "values": AttrType.SCALARS,
    },
)
def set_value(
    Input,
    ValueTensor=None,
    StartsTensorList=None,
    EndsTensorList=None,
    StepsTensorList=None,
    *,
    axes=[],
    starts=[],
    ends=[],
    steps=[],
    decrease_axes=[],
    none_axes=[],
    dtype=5,
    shape=[],
    values=[],
):
    if StartsTensorList:
        starts = _ints(StartsTensorList)
    if EndsTensorList:
        ends = _ints(EndsTensorList)
    if StepsTensorList:
        steps = _ints(StepsTensorList)
    idx, flips = [slice(None)] * Input.dim(), []
    for a, s, e, st in zip(axes, starts, ends, steps or [1] * len(axes)):
        a = a + Input.dim() if a < 0 else a
        first, count = _set_value_range(Input.shape[a], s, e, st, a)
        if count == 0:
            return Input.clone()
        last = first + (count - 1) * st
        idx[a] = slice(min(first, last), max(first, last) + 1, abs(st))
        if st < 0:
            flips.append(a)
    if ValueTensor is not None:
        val = ValueTensor.to(Input.dtype)
    else:
        val = torch.tensor(values, dtype=Input.dtype, device=Input.device)
        val = val.reshape(shape if shape else [len(values)])
    out = Input.clone()
    target = list(out[tuple(idx)].shape)
    out[tuple(idx)] = _set_value_fit(val, target, decrease_axes, flips)
    return out


def _set_value_range(n: int, start: int, end: int, step: int, axis: int) -> tuple[int, int]:
    """The first index and the count that ``set_value`` writes along one axis.

    NOTE [set_value slices]: Paddle 2.6's set_value kernel (CheckAndUpdateSliceAttrs) does not
    treat start/end as Python does when step < 0: a negative end is only shifted by the dim when
    it is below -1, so ``end == -1`` means "through index 0" (Paddle 2.6's own ``x[::-1] = v``
    writes end -1, Paddle 3.3's writes INT32_MIN, which is the same here), and a start below
    -dim is clamped to 0 instead of selecting nothing. An end on the wrong side of the start is
    an error, not an empty slice. Checked against Paddle 2.6's executor over every (start, end,
    step) on a small grid; Paddle 3.3's kernel reads end == -1 as dim - 1, which is why
    ``set_value_attrs`` records negative-step slices in a form both agree on.
    """
    if step == 0:
        raise ValueError(
            f"set_value: the step along axis {axis} is 0; a slice step must be nonzero"
        )
    if n == 0:
        return 0, 0
    start = max(start + n if start < 0 else start, 0)
    end = min(end + n if (step > 0 and end < 0) else end, n)
    if step > 0:
        start, end = min(start, n), max(end, 0)
        if end < start:
            raise ValueError(
                f"set_value: when step > 0, end should be greater than start, but along axis "
                f"{axis} (size {n}) got start = {start}, end = {end} after normalization; "
                "write an empty or reversed slice with a negative step instead"
            )
        return start, (end - start + step - 1) // step
    start = min(start, n - 1)
    end = max(end + n if end < -1 else end, -1)
    if start < end:
        raise ValueError(
            f"set_value: when step < 0, start should be greater than end, but along axis {axis} "
            f"(size {n}) got start = {start}, end = {end} after normalization (as Paddle 2.6)"
        )
    return start, (start - end - step - 1) // -step


def _set_value_fit(val, target: list[int], decrease_axes, flips):
    """The value broadcast to the written region ``target``: Paddle's value shape leaves out the
    ``decrease_axes`` (int indices), and negative-step axes are written through their positive
    slice, so the value is flipped along them."""
    kept = [d for i, d in enumerate(target) if i not in decrease_axes]
    if [d for d in val.shape if d != 1] == [d for d in kept if d != 1]:
        val = val.reshape(kept)  # e.g. none_axes: a [3, 1] value for a [3] region
    try:
        val = val.broadcast_to(kept)
    except RuntimeError:
        raise ValueError(
            f"set_value: the value of shape {list(val.shape)} does not broadcast to the indexed "
            f"region of shape {kept}; give a value of that shape or one that broadcasts to it"
        ) from None
    val = val.reshape(target)
    return val.flip(flips) if flips else val

__all__ = [
    "arg_max",
    "arg_min",
    "argsort",
    "assign",
    "cast",
    "concat",
    "expand_as_v2",
    "expand_v2",
    "eye",
    "fill_any_like",
    "fill_constant",
    "flatten_contiguous_range",
    "flip",
    "gather",
    "gather_nd",
    "index_select",
    "linspace",
    "masked_select",
    "range_",
    "reshape2",
    "roll",
    "scatter",
    "scatter_nd_add",
    "set_value",
    "shape",
    "size",
    "slice_",
    "split",
    "squeeze2",
    "stack",
    "strided_slice",
    "tile",
    "top_k_v2",
    "transpose2",
    "unsqueeze2",
    "unstack",
    "where",
    "where_index",
]
