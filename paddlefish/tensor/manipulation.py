"""Shape manipulation, indexing, gather/scatter, search and sort."""

from __future__ import annotations

import numbers

import numpy as _np
import torch

from .._core.dtypes import convert_dtype
from ..eager._dtype import numpy_to_torch, to_torch_dtype
from ..eager.dispatch import get_recorder
from ..eager.tensor import DynDim, Tensor, wrap
from ._run import run
from ._shape import has_dyn, shape_parts
from .creation import to_tensor
from .math import _as_tensor, _eager, _promote


def _int_list(v):
    if isinstance(v, Tensor):
        return [int(i) for i in v.tolist()]
    if isinstance(v, numbers.Integral):
        return [int(v)]
    return [int(i.item()) if isinstance(i, Tensor) else int(i) for i in v]


def reshape(x, shape, name=None):
    if has_dyn(shape):
        # NOTE [dynamic dims in shapes]: a DynDim at its own position of x is Paddle's 0
        # ("copy this dim"); any other DynDim is read at run time through ShapeTensor.
        if not any(isinstance(s, Tensor) for s in shape) and all(
                not isinstance(s, DynDim) or (s.source is x and s.axis == i)
                for i, s in enumerate(shape)):
            return reshape(x, [0 if isinstance(s, DynDim) else int(s) for s in shape])
        return run("reshape2", x, None, shape_parts(shape), shape=[])[0]
    if isinstance(shape, Tensor):
        return run("reshape2", x, shape, None, shape=[])[0]
    if any(isinstance(s, Tensor) for s in shape):
        parts = [s if isinstance(s, Tensor) else to_tensor([int(s)], dtype="int32") for s in shape]
        return run("reshape2", x, None, parts, shape=[])[0]
    return run("reshape2", x, None, None, shape=[int(s) for s in shape])[0]


def reshape_(x, shape, name=None):
    out = reshape(x, shape)
    x._t = out._t
    return x


def transpose(x, perm, name=None):
    return run("transpose2", x, axis=list(perm))[0]


def t(x, name=None):
    return x if x.ndim < 2 else transpose(x, [1, 0])


def moveaxis(x, source, destination, name=None):
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    n = x.ndim
    src = [s % n for s in src]
    dst = [d % n for d in dst]
    order = [i for i in range(n) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(x, order)


def concat(x, axis=0, name=None):
    if isinstance(axis, Tensor):
        return run("concat", list(x), axis, axis=0)
    return run("concat", list(x), None, axis=int(axis))


def stack(x, axis=0, name=None):
    return run("stack", list(x), axis=axis)


def unstack(x, axis=0, num=None):
    return run("unstack", x, axis=axis, num=num or x.shape[axis])


def unbind(input, axis=0):
    return unstack(input, axis)


def split(x, num_or_sections, axis=0, name=None):
    if isinstance(axis, Tensor):
        axis = int(axis.item())
    if isinstance(num_or_sections, int):
        if x.shape[axis] % num_or_sections and x.shape[axis] >= 0:
            raise ValueError(
                f"split: dimension {axis} of x (shape {x.shape}) is {x.shape[axis]}, not "
                f"divisible by num_or_sections={num_or_sections}"
            )
        return run("split", x, None, None, num=num_or_sections, sections=[], axis=axis)
    secs = [int(s.item()) if isinstance(s, Tensor) else int(s) for s in num_or_sections]
    return run("split", x, None, None, num=0, sections=secs, axis=axis)


def chunk(x, chunks, axis=0, name=None):
    return split(x, chunks, axis)


def squeeze(x, axis=None, name=None):
    axes = [] if axis is None else _int_list(axis)
    return run("squeeze2", x, axes=axes)[0]


def unsqueeze(x, axis, name=None):
    return run("unsqueeze2", x, None, None, axes=_int_list(axis))[0]


def flatten(x, start_axis=0, stop_axis=-1, name=None):
    n = x.ndim
    if n == 0:
        return reshape(x, [1])
    return run("flatten_contiguous_range", x, start_axis=start_axis % n, stop_axis=stop_axis % n)[0]


def expand(x, shape, name=None):
    if has_dyn(shape):
        return run("expand_v2", x, None, shape_parts(shape), shape=[int(s) for s in shape])
    return run("expand_v2", x, None, None, shape=_int_list(shape))


def broadcast_to(x, shape, name=None):
    return expand(x, shape)


def expand_as(x, y, name=None):
    return run("expand_as_v2", x, y, target_shape=y.shape)


def tile(x, repeat_times, name=None):
    return run("tile", x, None, None, repeat_times=_int_list(repeat_times))


def gather(x, index, axis=None, name=None):
    if isinstance(axis, Tensor):
        axis = int(axis.item())
    return run("gather", x, index, None, axis=axis or 0)


def gather_nd(x, index, name=None):
    return run("gather_nd", x, index)


def scatter(x, index, updates, overwrite=True, name=None):
    return run("scatter", x, index, updates, overwrite=overwrite)


def scatter_nd_add(x, index, updates, name=None):
    return run("scatter_nd_add", x, index, updates)


def index_select(x, index, axis=0, name=None):
    return run("index_select", x, index, dim=axis)


def masked_select(x, mask, name=None):
    return run("masked_select", x, mask)


def where(condition, x=None, y=None, name=None):
    if x is None and y is None:
        return nonzero(condition, as_tuple=True)
    if not isinstance(x, Tensor):
        x = _as_tensor(x, y)
    if not isinstance(y, Tensor):
        y = _as_tensor(y, x)
    x, y = _promote(x, y, "where")
    return run("where", condition, x, y)


def nonzero(x, as_tuple=False):
    out = run("where_index", x)
    if as_tuple:
        return tuple(wrap(out._t[:, i]) for i in range(out.shape[1]))
    return out


def roll(x, shifts, axis=None, name=None):
    return run(
        "roll", x, None, shifts=_int_list(shifts), axis=[] if axis is None else _int_list(axis)
    )


def flip(x, axis, name=None):
    return run("flip", x, axis=_int_list(axis))


def slice(input, axes, starts, ends):
    return run(
        "slice",
        input,
        None,
        None,
        None,
        None,
        axes=list(axes),
        starts=_int_list(starts),
        ends=_int_list(ends),
        infer_flags=[1] * len(axes),
        decrease_axis=[],
    )


def strided_slice(x, axes, starts, ends, strides, name=None):
    return run(
        "strided_slice",
        x,
        None,
        None,
        None,
        None,
        None,
        None,
        axes=list(axes),
        starts=_int_list(starts),
        ends=_int_list(ends),
        strides=_int_list(strides),
        infer_flags=[1] * len(axes),
        decrease_axis=[],
    )


def shape(input):
    return run("shape", input)


def numel(x, name=None):
    return run("size", x)


def argmax(x, axis=None, keepdim=False, dtype="int64", name=None):
    return run(
        "arg_max",
        x,
        axis=-1 if axis is None else axis,
        keepdims=keepdim,
        flatten=axis is None,
        dtype=convert_dtype(dtype).vartype,
    )


def argmin(x, axis=None, keepdim=False, dtype="int64", name=None):
    return run(
        "arg_min",
        x,
        axis=-1 if axis is None else axis,
        keepdims=keepdim,
        flatten=axis is None,
        dtype=convert_dtype(dtype).vartype,
    )


def argsort(x, axis=-1, descending=False, stable=False, name=None):
    return run("argsort", x, axis=axis, descending=descending, stable=stable)[1]


def sort(x, axis=-1, descending=False, stable=False, name=None):
    return run("argsort", x, axis=axis, descending=descending, stable=stable)[0]


def topk(x, k, axis=None, largest=True, sorted=True, name=None):
    kt = k if isinstance(k, Tensor) else None
    return run(
        "top_k_v2",
        x,
        kt,
        k=int(k) if kt is None else 1,
        axis=-1 if axis is None else axis,
        largest=largest,
        sorted=sorted,
    )


# ---- indexing --------------------------------------------------------------------------------


def _torch_index(item):
    if isinstance(item, Tensor):
        t = item._t
        return t if t.dtype == torch.bool else t.long()
    if isinstance(item, tuple):
        return tuple(_torch_index(i) for i in item)
    if isinstance(item, list) and any(isinstance(i, (Tensor, list)) for i in item):
        return torch.as_tensor([i.item() if isinstance(i, Tensor) else i for i in item])
    return item


def _basic_slices(x, item):
    """(axes, starts, ends, strides, decrease) for an index made of ints, slices, None, ...
    or None when the index needs advanced indexing."""
    if not isinstance(item, tuple):
        item = (item,)
    if any(isinstance(i, (Tensor, list)) for i in item) or any(i is None for i in item):
        return None
    if Ellipsis in item:
        k = item.index(Ellipsis)
        item = item[:k] + (builtin_slice(None),) * (x.ndim - len(item) + 1) + item[k + 1 :]
    axes, starts, ends, strides, dec = [], [], [], [], []
    big = 2**31 - 1
    for a, i in enumerate(item):
        if isinstance(i, numbers.Integral):
            axes.append(a)
            starts.append(int(i))
            ends.append(int(i) + 1 if i != -1 else big)
            strides.append(1)
            dec.append(a)
        elif isinstance(i, builtin_slice):
            if i == builtin_slice(None):
                continue
            st = 1 if i.step is None else int(i.step)
            axes.append(a)
            strides.append(st)
            if st > 0:
                starts.append(0 if i.start is None else int(i.start))
                ends.append(big if i.stop is None else int(i.stop))
            else:
                starts.append(big if i.start is None else int(i.start))
                ends.append(-big if i.stop is None else int(i.stop))
        else:
            return None
    return axes, starts, ends, strides, dec


builtin_slice = __builtins__["slice"] if isinstance(__builtins__, dict) else __builtins__.slice


def getitem(x, item):
    if get_recorder() is not None:
        spec = _basic_slices(x, item)
        if spec is not None:
            axes, starts, ends, strides, dec = spec
            if not axes:
                return x
            if all(s == 1 for s in strides):
                return run(
                    "slice",
                    x,
                    None,
                    None,
                    None,
                    None,
                    axes=axes,
                    starts=starts,
                    ends=ends,
                    infer_flags=[1] * len(axes),
                    decrease_axis=dec,
                )
            return run(
                "strided_slice",
                x,
                None,
                None,
                None,
                None,
                None,
                None,
                axes=axes,
                starts=starts,
                ends=ends,
                strides=strides,
                infer_flags=[1] * len(axes),
                decrease_axis=dec,
            )
    idx, flips = _positive_steps(x._t.shape, _torch_index(item))
    out = x._t[idx]
    return wrap(out.flip(flips) if flips else out)


def setitem(x, item, value):
    """``x[item] = value`` in place, with Paddle's value rules. See NOTE [setitem values]."""
    idx, flips = _positive_steps(x._t.shape, _torch_index(item))
    v = _setitem_value(x, value)
    t = x._t
    if isinstance(v, torch.Tensor):
        target = t[idx].shape
        if v.dim() and v.shape != target:
            try:
                ok = torch.broadcast_shapes(v.shape, target) == target
            except RuntimeError:
                ok = False
            if not ok:
                raise ValueError(
                    f"setitem: the assigned value has shape {list(v.shape)}, which does not "
                    f"broadcast to the indexed region of shape {list(target)} (tensor shape "
                    f"{list(t.shape)}, index {item!r}); reshape the value to {list(target)}"
                )
        if flips and v.dim():
            v = v.broadcast_to(target).flip(flips)
    if t.is_leaf and t.requires_grad and torch.is_grad_enabled():
        raise ValueError(
            f"setitem: tensor {x.name} is a leaf with stop_gradient=False and cannot be changed "
            "in place (Paddle refuses it too). Assign under paddle.no_grad(), or index a copy "
            "(y = x.clone(); y[...] = v)."
        )
    t[idx] = v


# NOTE [setitem values]: Paddle's ``x[i] = v`` takes a Tensor, a numpy array or numpy scalar, or
# a Python bool/int/float (complex into complex tensors); the value is cast to x's dtype (floats
# into int tensors truncate toward zero) and broadcast to the indexed region. Python lists and
# tuples are refused with ValueError by real Paddle (2.6 and 3.3), so they are refused here too,
# naming ``np.array(v)`` as the fix.
# One deliberate difference: Paddle passes Python ints through a double attribute, so
# ``x[0] = 2**62 + 1`` stores 2**62 in an int64 tensor; paddlefish stores the exact value.


def _setitem_value(x, value):
    if isinstance(value, Tensor):
        v = value._t
    elif isinstance(value, (_np.ndarray, _np.generic)):
        v = numpy_to_torch(_np.asarray(value))
    elif isinstance(value, numbers.Number) and (
        not isinstance(value, complex) or x._t.is_complex()
    ):
        return value
    else:
        kind = type(value).__name__
        raise ValueError(
            f"setitem: the assigned value must be a Tensor, a numpy array or a Python bool, int "
            f"or float, got {kind} {value!r:.60}; wrap it first, e.g. x[i] = np.array(value)"
        )
    if v.dtype != x._t.dtype or v.device != x._t.device:
        v = v.to(device=x._t.device, dtype=x._t.dtype)
    return v


# NOTE [negative steps]: torch indexing refuses slices with a negative step, Paddle (like numpy)
# allows them. Each such slice is replaced by the positive slice over the same positions, and
# the result (or, for assignment, the value) is flipped along that slice's output dimension.


def _is_adv(i) -> bool:
    return isinstance(i, (torch.Tensor, list))


def _consumed(i) -> int:
    if i is None:
        return 0
    if isinstance(i, torch.Tensor) and i.dtype == torch.bool:
        return max(i.dim(), 1)
    return 1


def _positive_slice(sl, n: int):
    r = range(*sl.indices(n))
    if not r:
        return builtin_slice(0, 0)
    return builtin_slice(r[-1], r[0] + 1, -sl.step)


def _positive_steps(shape, item):
    """(index with only positive steps, output dims to flip) for a torch index ``item``."""
    items = item if isinstance(item, tuple) else (item,)
    if not any(isinstance(i, builtin_slice) and i.step is not None and i.step < 0 for i in items):
        return item, []
    if Ellipsis in items:
        k = items.index(Ellipsis)
        rest = sum(_consumed(i) for i in items if i is not Ellipsis)
        items = items[:k] + (builtin_slice(None),) * (len(shape) - rest) + items[k + 1 :]
    adv = [k for k, i in enumerate(items) if _is_adv(i)]
    adv_ndim, adjacent = 0, True
    if adv:  # with advanced indices, ints count as advanced too (numpy rules)
        adv = [k for k, i in enumerate(items) if _is_adv(i) or isinstance(i, numbers.Integral)]
        shapes = [
            (int(i.sum()),)
            if isinstance(i, torch.Tensor) and i.dtype == torch.bool
            else torch.as_tensor(i).shape
            for i in items
            if _is_adv(i)
        ]
        adv_ndim = len(torch.broadcast_shapes(*shapes))
        adjacent = adv == list(range(adv[0], adv[-1] + 1))
    new, flips, dim, pos = [], [], 0, 0 if adjacent else adv_ndim
    for k, i in enumerate(items):
        if k in adv:
            pos += adv_ndim if adjacent and k == adv[0] else 0
        elif i is None:
            pos += 1
        elif isinstance(i, builtin_slice):
            if i.step is not None and i.step < 0:
                i = _positive_slice(i, shape[dim])
                flips.append(pos)
            pos += 1
        new.append(i)
        dim += _consumed(i)
    return tuple(new), flips


# ---- eager-only indexing, search and shape functions (see NOTE [eager-only functions]) -------


def _idx(t: torch.Tensor) -> torch.Tensor:
    return t if t.dtype == torch.int64 else t.long()


def diagonal(x, offset=0, axis1=0, axis2=1, name=None):
    (t,) = _eager("diagonal", x)
    return wrap(torch.diagonal(t, offset, axis1, axis2))


def masked_fill(x, mask, value, name=None):
    """``x`` with ``value`` where ``mask`` (broadcast) is True.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([1.0, 2.0])
    >>> paddle.masked_fill(x, x > 1, 0.0).tolist()
    [1.0, 0.0]
    """
    t, m, v = _eager("masked_fill", x, mask, value)
    if isinstance(v, torch.Tensor):
        v = v.to(t.dtype)
    return wrap(torch.where(m, v, t))


def index_add(x, index, axis, value, name=None):
    t, i, v = _eager("index_add", x, index, value)
    return wrap(t.index_add(axis, _idx(i), v.to(t.dtype)))


def index_fill(x, index, axis, value, name=None):
    t, i, v = _eager("index_fill", x, index, value)
    return wrap(t.index_fill(axis, _idx(i), v.to(t.dtype) if isinstance(v, torch.Tensor) else v))


def index_sample(x, index, name=None):
    t, i = _eager("index_sample", x, index)
    return wrap(torch.gather(t, 1, _idx(i)))


def take_along_axis(arr, indices, axis, broadcast=True, name=None):
    t, i = _eager("take_along_axis", arr, indices)
    i = _idx(i)
    if broadcast:
        shape = [s if d != axis % t.dim() else i.shape[d] for d, s in enumerate(t.shape)]
        i = i.broadcast_to(shape)
    return wrap(torch.gather(t, axis, i))


def put_along_axis(arr, indices, values, axis, reduce="assign", include_self=True,
                   broadcast=True, name=None):
    t, i, v = _eager("put_along_axis", arr, indices, values)
    i = _idx(i)
    if broadcast:
        shape = [s if d != axis % t.dim() else i.shape[d] for d, s in enumerate(t.shape)]
        i = i.broadcast_to(shape)
    v = (v.to(t.dtype) if isinstance(v, torch.Tensor) else torch.tensor(v, dtype=t.dtype))
    v = v.broadcast_to(i.shape)
    if reduce == "assign":
        return wrap(t.scatter(axis, i, v))
    red = {"add": "sum", "multiply": "prod", "mul": "prod", "mean": "mean", "amax": "amax",
           "amin": "amin"}[reduce]
    return wrap(t.scatter_reduce(axis, i, v, red, include_self=include_self))


def repeat_interleave(x, repeats, axis=None, name=None):
    t, r = _eager("repeat_interleave", x, repeats)
    if axis is None:
        t, axis = t.reshape(-1), 0
    return wrap(torch.repeat_interleave(t, r if not isinstance(r, torch.Tensor) else _idx(r), axis))


def unique(x, return_index=False, return_inverse=False, return_counts=False, axis=None,
           dtype="int64", name=None):
    """Sorted unique values, with optional first indices, inverse and counts."""
    (t,) = _eager("unique", x)
    src = t.reshape(-1) if axis is None else t
    dim = 0 if axis is None else int(axis)
    out, inv, cnt = torch.unique(src, sorted=True, return_inverse=True, return_counts=True,
                                 dim=dim)
    it = to_torch_dtype(dtype)
    res = [wrap(out)]
    if return_index:
        n = src.shape[dim]
        first = torch.full((out.shape[dim],), n, dtype=torch.int64, device=t.device)
        first = first.scatter_reduce(0, inv, torch.arange(n, device=t.device), "amin")
        res.append(wrap(first.to(it)))
    if return_inverse:
        res.append(wrap(inv.to(it)))
    if return_counts:
        res.append(wrap(cnt.to(it)))
    return res[0] if len(res) == 1 else tuple(res)


def unique_consecutive(x, return_inverse=False, return_counts=False, axis=None, dtype="int64",
                       name=None):
    (t,) = _eager("unique_consecutive", x)
    src = t.reshape(-1) if axis is None else t
    out, inv, cnt = torch.unique_consecutive(src, return_inverse=True, return_counts=True,
                                             dim=0 if axis is None else int(axis))
    it = to_torch_dtype(dtype)
    res = [wrap(out)]
    if return_inverse:
        res.append(wrap(inv.to(it)))
    if return_counts:
        res.append(wrap(cnt.to(it)))
    return res[0] if len(res) == 1 else tuple(res)


def bincount(x, weights=None, minlength=0, name=None):
    t, w = _eager("bincount", x, weights)
    return wrap(torch.bincount(t, w, int(minlength)))


def histogram(input, bins=100, min=0, max=0, name=None):
    """Counts (int64) of ``input`` in ``bins`` equal bins over [min, max] (data range if both 0)."""
    (t,) = _eager("histogram", input)
    f = t.to(torch.float64) if not t.is_floating_point() else t
    lo, hi = float(min), float(max)
    if lo == 0 and hi == 0:
        lo, hi = (f.min().item(), f.max().item()) if f.numel() else (0.0, 0.0)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    return wrap(torch.histc(f, int(bins), lo, hi).to(torch.int64))


def searchsorted(sorted_sequence, values, out_int32=False, right=False, name=None):
    s, v = _eager("searchsorted", sorted_sequence, values)
    return wrap(torch.searchsorted(s, v, out_int32=out_int32, right=right))


def bucketize(x, sorted_sequence, out_int32=False, right=False, name=None):
    t, s = _eager("bucketize", x, sorted_sequence)
    return wrap(torch.bucketize(t, s, out_int32=out_int32, right=right))


def rot90(x, k=1, axes=[0, 1], name=None):  # noqa: B006 - Paddle's signature
    (t,) = _eager("rot90", x)
    return wrap(torch.rot90(t, int(k), list(axes)))


def _atleast(name, fn):
    def f(*inputs, name=None):
        ts = _eager(op_name, *inputs)
        outs = [wrap(fn(t)) for t in ts]
        return outs[0] if len(outs) == 1 else outs

    op_name = name
    f.__name__ = name
    return f


atleast_1d = _atleast("atleast_1d", torch.atleast_1d)
atleast_2d = _atleast("atleast_2d", torch.atleast_2d)
atleast_3d = _atleast("atleast_3d", torch.atleast_3d)


def broadcast_tensors(input, name=None):
    ts = _eager("broadcast_tensors", *input)
    return [wrap(t) for t in torch.broadcast_tensors(*ts)]


def broadcast_shape(x_shape, y_shape):
    return list(torch.broadcast_shapes(tuple(x_shape), tuple(y_shape)))


def unflatten(x, axis, shape, name=None):
    (t,) = _eager("unflatten", x)
    if isinstance(shape, Tensor):
        shape = shape.tolist()
    return wrap(t.unflatten(int(axis), [int(s) for s in shape]))


def vsplit(x, num_or_indices, name=None):
    if x.ndim < 2:
        raise ValueError(f"vsplit needs a tensor with at least 2 dims, got shape {x.shape}")
    if isinstance(num_or_indices, int):
        return split(x, num_or_indices, axis=0)
    (t,) = _eager("vsplit", x)
    return [wrap(p) for p in torch.tensor_split(t, list(num_or_indices), dim=0)]


def view(x, shape_or_dtype, name=None):
    (t,) = _eager("view", x)
    if isinstance(shape_or_dtype, (list, tuple)):
        return wrap(t.view([int(s) for s in shape_or_dtype]))
    return wrap(t.view(to_torch_dtype(shape_or_dtype)))


def view_as(x, other, name=None):
    (t,) = _eager("view_as", x)
    return wrap(t.view(other.shape))


def reverse(x, axis, name=None):
    return flip(x, axis)


def take(x, index, mode="raise", name=None):
    t, i = _eager("take", x, index)
    flat, i, n = t.reshape(-1), _idx(i), t.numel()
    if mode == "wrap":
        i = i.remainder(n)
    elif mode == "clip":
        i = i.clamp(0, n - 1)
    elif bool(((i < -n) | (i >= n)).any()):
        raise IndexError(f"take: an index is out of range for a tensor of {n} elements")
    return wrap(flat[i])


def scatter_nd(index, updates, shape, name=None):
    i, u = _eager("scatter_nd", index, updates)
    zeros = torch.zeros([int(s) for s in shape], dtype=u.dtype, device=u.device)
    return scatter_nd_add(wrap(zeros), wrap(i), wrap(u))


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    (t,) = _eager("diag_embed", input)
    return wrap(torch.diag_embed(t, offset, dim1, dim2))


def diagflat(x, offset=0, name=None):
    (t,) = _eager("diagflat", x)
    return wrap(torch.diagflat(t, offset))


def tril_indices(row, col, offset=0, dtype="int64"):
    return wrap(torch.tril_indices(row, col, offset, dtype=to_torch_dtype(dtype)))


def triu_indices(row, col=None, offset=0, dtype="int64"):
    return wrap(torch.triu_indices(row, row if col is None else col, offset,
                                   dtype=to_torch_dtype(dtype)))


def combinations(x, r=2, with_replacement=False, name=None):
    (t,) = _eager("combinations", x)
    return wrap(torch.combinations(t, r, with_replacement))


def crop(x, shape=None, offsets=None, name=None):
    (t,) = _eager("crop", x)
    shape = list(t.shape) if shape is None else [int(s) for s in _as_list(shape)]
    offsets = [0] * t.dim() if offsets is None else [int(o) for o in _as_list(offsets)]
    shape = [t.shape[d] - offsets[d] if s == -1 else s for d, s in enumerate(shape)]
    return wrap(t[tuple(builtin_slice(o, o + s) for o, s in zip(offsets, shape))])


def _as_list(v):
    return v.tolist() if isinstance(v, Tensor) else [int(s) for s in v]


def tolist(x):
    return x.tolist()


# Everything public defined here (not what it imports: torch, numbers, Tensor, run, ...).
__all__ = sorted(
    n for n, v in list(globals().items())
    if not n.startswith("_") and getattr(v, "__module__", None) == __name__
)
