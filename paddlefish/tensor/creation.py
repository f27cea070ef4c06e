"""Tensor creation: to_tensor, zeros/ones/full(_like), arange, linspace, eye, random."""

from __future__ import annotations

import numbers

import numpy as np
import torch

from .._core.dtypes import DTYPES, convert_dtype
from ..eager._dtype import numpy_to_torch, to_torch_dtype
from ..eager.device import current_torch_device, to_torch_device
from ..eager.dispatch import get_recorder
from ..eager.tensor import DynDim, Tensor, wrap
from ._run import run
from ._shape import has_dyn, shape_parts

__all__ = [
    "arange",
    "assign",
    "bernoulli",
    "clone",
    "diag",
    "empty",
    "empty_like",
    "eye",
    "full",
    "full_like",
    "get_default_dtype",
    "linspace",
    "meshgrid",
    "multinomial",
    "normal",
    "ones",
    "ones_like",
    "rand",
    "randint",
    "randn",
    "randperm",
    "set_default_dtype",
    "standard_normal",
    "to_tensor",
    "tril",
    "triu",
    "uniform",
    "zeros",
    "zeros_like",
]

_default_dtype = DTYPES["float32"]


def get_default_dtype() -> str:
    return _default_dtype.name


def set_default_dtype(d) -> None:
    global _default_dtype
    dt = convert_dtype(d)
    if dt.kind != "f":
        raise TypeError(f"set_default_dtype only accepts float dtypes, got {dt.name}")
    _default_dtype = dt


def _dev(place):
    return current_torch_device() if place is None else to_torch_device(place)


def _infer_np(data, explicit_dtype: bool = False):
    """numpy array for python data with Paddle's default dtype rules.

    NOTE [to_tensor precision]: Python floats become the default dtype (float32) only when no
    ``dtype`` is given; with ``dtype="float64"`` (or complex128) Paddle casts numpy's float64 array
    straight to the target, so ``to_tensor([1.1], dtype="float64")`` keeps 1.1 exactly rather than
    1.100000023841858.
    """
    arr = np.asarray(data)
    if explicit_dtype and arr.dtype.kind in "fc":
        return arr
    if (
        arr.dtype == np.float64
        and not isinstance(data, np.ndarray)
        and not (isinstance(data, np.floating))
    ):
        arr = arr.astype(
            _default_dtype.np_dtype if _default_dtype.name != "bfloat16" else np.float32
        )
    elif arr.dtype == np.complex128 and not isinstance(data, np.ndarray):
        arr = arr.astype(np.complex64)
    elif arr.dtype.kind in "iu" and not isinstance(data, np.ndarray) and arr.dtype != np.int64:
        arr = arr.astype(np.int64)
    return arr


def _flatten_tensors(data):
    if isinstance(data, (list, tuple)) and any(isinstance(d, Tensor) for d in data):
        return [_flatten_tensors(d) for d in data]
    if isinstance(data, Tensor):
        return data.numpy()
    return data


def to_tensor(data, dtype=None, place=None, stop_gradient: bool = True) -> Tensor:
    """Create a Tensor from Python data, a numpy array or another Tensor (copied).

    >>> import paddlefish as paddle
    >>> paddle.to_tensor([1, 2]).dtype, paddle.to_tensor(1.5).dtype
    (paddle.int64, paddle.float32)
    """
    if _recording() and not isinstance(data, (Tensor, torch.Tensor)):
        out = _to_tensor_recorded(data, dtype)
        if out is not None:
            return out
    if isinstance(data, Tensor):
        t = data._t.detach().clone()
        if dtype is not None:
            t = t.to(to_torch_dtype(dtype))
        if place is not None:
            t = t.to(_dev(place))
    elif isinstance(data, torch.Tensor):
        t = data.detach().clone()
        if dtype is not None:
            t = t.to(to_torch_dtype(dtype))
    else:
        dt = convert_dtype(dtype) if dtype is not None else None
        arr = _infer_np(_flatten_tensors(data), explicit_dtype=dt is not None)
        if arr.dtype == object:
            raise TypeError(f"to_tensor: cannot convert {type(data).__name__} data {data!r:.80}")
        if dt is not None and dt.name == "bfloat16":
            t = torch.from_numpy(np.asarray(arr, np.float32)).to(torch.bfloat16)
        else:
            t = (
                numpy_to_torch(arr)
                if arr.dtype != np.uint16
                else torch.from_numpy(arr.astype(np.int32))
            )
            if dt is not None:
                t = t.to(to_torch_dtype(dt))
        if not isinstance(data, np.ndarray) or t.data_ptr() == arr.__array_interface__["data"][0]:
            t = t.clone() if isinstance(data, np.ndarray) else t
        t = t.to(_dev(place))
    out = wrap(t)
    out._name = None
    if not stop_gradient:
        out.stop_gradient = False
    return out


# NOTE [recorded constants]: while a program is recorded (jit.save, static mode), Paddle 2.6
# writes ``to_tensor`` of Python/numpy data as an ``assign_value`` op and ``full``/``zeros``/
# ``ones`` as a ``fill_constant`` op, never as a persistable variable (observed in its jit.save):
# * ``to_tensor``: Python data gets Paddle's default dtypes (floats: float32, ints: int64; numpy
#   arrays and scalars keep theirs, int16 becomes int32), then one ``assign_value`` whose values
#   sit in ``bool_values`` (0/1), ``fp32_values``, ``int32_values`` or ``int64_values`` by dtype.
#   float64 data is written as fp32 values (Paddle's proto has no room for them), so
#   ``to_tensor([1.1], dtype="float64")`` is 1.100000023841858 in the program while eagerly it is
#   1.1 (NOTE [to_tensor precision]); a ``dtype`` other than the data's (or float64 data) adds a
#   ``cast``. Data ``assign_value`` cannot hold (other dtypes, more than 2**20 elements, which
#   Paddle refuses) and lists holding tensors are captured as before.
# * ``full``/``zeros``/``ones`` of a static shape: ``fill_constant(shape, dtype, value)`` with
#   ``str_value`` = ``str(int(v))`` for an integer dtype, ``str(float(v))`` otherwise (also with a
#   dynamic shape, whose ``ShapeTensorList`` comes from ``shape_parts``); a tensor fill value is
#   its ``ValueTensor`` input (cast to the dtype), the attributes left at their defaults.
_ASSIGN_VALUES = {"bool": "bool_values", "float32": "fp32_values", "int32": "int32_values",
                  "int64": "int64_values"}


def _static_np(data):
    """``data`` as the numpy array Paddle 2.6's static ``to_tensor`` assigns (its dtype rules)."""
    if isinstance(data, np.ndarray):
        return data
    arr = np.asarray(data)
    if isinstance(data, np.generic):
        return arr
    if arr.dtype.kind == "f":
        return arr.astype(_default_dtype.np_dtype if _default_dtype.name != "bfloat16" else "f4")
    if arr.dtype == np.int32:
        return arr.astype(np.int64)
    return arr


def _to_tensor_recorded(data, dtype) -> Tensor | None:
    """``to_tensor`` while recording: see NOTE [recorded constants]; None where it is captured."""
    if isinstance(data, (list, tuple)) and _flatten_tensors(data) is not data:
        return None
    arr = _static_np(data)
    if arr.dtype == np.int16:
        arr = arr.astype(np.int32)
    target = convert_dtype(dtype) if dtype is not None else None
    if arr.dtype == np.float64:
        arr = arr.astype(np.float32)
        target = target or DTYPES["float64"]
    key = _ASSIGN_VALUES.get(arr.dtype.name)
    if key is None or arr.size > 1 << 20 or (target is not None and target.kind == "c"):
        return None
    values = [int(v) for v in arr.flat] if key != "fp32_values" else [float(v) for v in arr.flat]
    dt = DTYPES[arr.dtype.name]
    out = run("assign_value", shape=list(arr.shape), dtype=dt.vartype, **{key: values})
    if target is not None and target is not dt:
        out = run("cast", out, in_dtype=dt.vartype, out_dtype=target.vartype)
    return out


def _fill_recorded(shape, value, dtype, force_cpu: bool = False) -> Tensor:
    """``full`` of a static shape while recording: see NOTE [recorded constants]; ``force_cpu``
    as Paddle's ``arange`` writes its Python bounds."""
    dt = convert_dtype(dtype) if dtype is not None else _default_dtype
    dims = [int(s) for s in _shape(shape)]
    if isinstance(value, Tensor):
        if value.dtype is not dt:
            value = run("cast", value, in_dtype=value.dtype.vartype, out_dtype=dt.vartype)
        return run("fill_constant", value, None, None, dtype=dt.vartype, shape=dims)
    return run("fill_constant", None, None, None, dtype=dt.vartype, shape=dims,
               value=float(value), str_value=_str_value(value, dt), force_cpu=force_cpu,
               place_type=-1)


def _static_shape(shape) -> bool:
    return isinstance(shape, numbers.Integral) or (
        isinstance(shape, (list, tuple)) and all(isinstance(s, numbers.Integral) for s in shape)
    )


def _dtype(dtype, default=None):
    if dtype is None:
        return to_torch_dtype(default or _default_dtype)
    return to_torch_dtype(dtype)


def _shape(shape):
    if isinstance(shape, Tensor):
        return [int(v) for v in shape.tolist()]
    if isinstance(shape, numbers.Integral):
        return [int(shape)]
    return [int(s) if not isinstance(s, Tensor) else int(s.item()) for s in shape]


def _str_value(value, dt) -> str:
    """``fill_constant``'s ``str_value`` as Paddle's ``full`` writes it."""
    return str(int(value)) if dt.kind in "iu" else str(float(value))


def _full_dyn(shape, fill_value, dtype) -> Tensor:
    """``full`` whose shape holds dynamic dims while recording: a fill_constant reading them."""
    from_dt = convert_dtype(dtype) if dtype is not None else _default_dtype
    return run("fill_constant", None, None, shape_parts(shape), dtype=from_dt.vartype,
               shape=[int(s) for s in shape], value=float(fill_value),
               str_value=_str_value(fill_value, from_dt), force_cpu=False, place_type=-1)


def full(shape, fill_value, dtype=None, name=None) -> Tensor:
    if has_dyn(shape):
        return _full_dyn(shape, fill_value, dtype if dtype is not None or not isinstance(
            fill_value, bool) else "bool")
    if dtype is None and isinstance(fill_value, bool):
        dtype = "bool"  # any other fill value gets the default float dtype, as in Paddle
    if _recording() and _static_shape(shape):
        return _fill_recorded(shape, fill_value, dtype)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    return wrap(
        torch.full(_shape(shape), fill_value, dtype=_dtype(dtype), device=current_torch_device())
    )


def zeros(shape, dtype=None, name=None) -> Tensor:
    if has_dyn(shape):
        return _full_dyn(shape, 0.0, dtype)
    if _recording() and _static_shape(shape):
        return _fill_recorded(shape, 0.0, dtype)
    return wrap(torch.zeros(_shape(shape), dtype=_dtype(dtype), device=current_torch_device()))


def ones(shape, dtype=None, name=None) -> Tensor:
    if has_dyn(shape):
        return _full_dyn(shape, 1.0, dtype)
    if _recording() and _static_shape(shape):
        return _fill_recorded(shape, 1.0, dtype)
    return wrap(torch.ones(_shape(shape), dtype=_dtype(dtype), device=current_torch_device()))


def empty(shape, dtype=None, name=None) -> Tensor:
    return wrap(torch.empty(_shape(shape), dtype=_dtype(dtype), device=current_torch_device()))


def _like_dtype(x, dtype):
    return x._t.dtype if dtype is None else to_torch_dtype(dtype)


def full_like(x, fill_value, dtype=None, name=None) -> Tensor:

    return (
        run(
            "fill_any_like",
            x,
            value=float(fill_value),
            dtype=-1 if dtype is None else convert_dtype(dtype).vartype,
        )
        if _recording()
        else wrap(torch.full_like(x._t, fill_value, dtype=_like_dtype(x, dtype)))
    )


def _recording():
    return get_recorder() is not None


def zeros_like(x, dtype=None, name=None) -> Tensor:
    return full_like(x, 0.0, dtype)


def ones_like(x, dtype=None, name=None) -> Tensor:
    return full_like(x, 1.0, dtype)


def empty_like(x, dtype=None, name=None) -> Tensor:
    return full_like(x, 0.0, dtype)


def _arange_recorded(start, end, step, dtype) -> Tensor:
    """``arange`` with tensor bounds while recording: Paddle's ``range`` op over ``[1]`` tensors
    of the result dtype (``paddle.arange(x.shape[1])`` for position ids)."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        floaty = any(isinstance(v, float) or (isinstance(v, Tensor) and v.dtype.kind == "f")
                     for v in (start, end, step))
        dtype = _default_dtype if floaty else "int64"
    dt = convert_dtype(dtype)

    def bound(v):
        if not isinstance(v, Tensor):
            return _fill_recorded([1], v, dt, force_cpu=True)
        if v.dtype is not dt:
            v = run("cast", v, in_dtype=v.dtype.vartype, out_dtype=dt.vartype)
        return v

    return run("range", bound(start), bound(end), bound(step))


def _dim_tensor(d: DynDim) -> Tensor:
    """A dynamic dim read at run time as Paddle's ``x.shape[i]``: ``shape`` + ``slice`` to 0-D."""
    return run("slice", run("shape", d.source), None, None, None, None, axes=[0],
               starts=[d.axis], ends=[d.axis + 1], infer_flags=[1], decrease_axis=[0])


def arange(start=0, end=None, step=1, dtype=None, name=None) -> Tensor:
    if get_recorder() is not None:
        start, end, step = (_dim_tensor(v) if isinstance(v, DynDim) else v
                            for v in (start, end, step))
        if any(isinstance(v, Tensor) for v in (start, end, step)):
            return _arange_recorded(start, end, step, dtype)
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = vals
    if end is None:
        start, end = 0, start
    if dtype is None:
        dtype = (
            "int64"
            if all(isinstance(v, numbers.Integral) for v in (start, end, step))
            else _default_dtype
        )
    return wrap(
        torch.arange(start, end, step, dtype=to_torch_dtype(dtype), device=current_torch_device())
    )


def linspace(start, stop, num, dtype=None, name=None) -> Tensor:
    return wrap(
        torch.linspace(
            float(start), float(stop), int(num), dtype=_dtype(dtype), device=current_torch_device()
        )
    )


def eye(num_rows, num_columns=None, dtype=None, name=None) -> Tensor:
    return wrap(
        torch.eye(
            int(num_rows),
            int(num_columns or num_rows),
            dtype=_dtype(dtype),
            device=current_torch_device(),
        )
    )


def rand(shape, dtype=None, name=None) -> Tensor:
    return wrap(torch.rand(_shape(shape), dtype=_dtype(dtype), device=current_torch_device()))


def randn(shape, dtype=None, name=None) -> Tensor:
    return wrap(torch.randn(_shape(shape), dtype=_dtype(dtype), device=current_torch_device()))


standard_normal = randn


def randint(low=0, high=None, shape=[1], dtype=None, name=None) -> Tensor:
    if high is None:
        low, high = 0, low
    return wrap(
        torch.randint(
            low, high, _shape(shape), dtype=_dtype(dtype, "int64"), device=current_torch_device()
        )
    )


def uniform(shape, dtype=None, min=-1.0, max=1.0, seed=0, name=None) -> Tensor:
    t = torch.empty(_shape(shape), dtype=_dtype(dtype), device=current_torch_device())
    return wrap(t.uniform_(min, max))


def normal(mean=0.0, std=1.0, shape=None, name=None) -> Tensor:
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        m = mean._t if isinstance(mean, Tensor) else mean
        s = std._t if isinstance(std, Tensor) else std
        return wrap(torch.normal(m, s))
    t = torch.empty(_shape(shape or [1]), dtype=_dtype(None), device=current_torch_device())
    return wrap(t.normal_(mean, std))


def randperm(n, dtype="int64", name=None) -> Tensor:
    return wrap(torch.randperm(int(n), dtype=to_torch_dtype(dtype), device=current_torch_device()))


def bernoulli(x, name=None) -> Tensor:
    return wrap(torch.bernoulli(x._t))


def multinomial(x, num_samples=1, replacement=False, name=None) -> Tensor:
    return wrap(torch.multinomial(x._t, num_samples, replacement))


def assign(x, output=None) -> Tensor:

    src = x if isinstance(x, Tensor) else to_tensor(x)
    out = run("assign", src)
    if output is not None:
        output.set_value(out)
        return output
    return out


def clone(x, name=None) -> Tensor:

    return run("assign", x)


def diag(x, offset=0, padding_value=0, name=None) -> Tensor:
    return wrap(torch.diag(x._t, offset))


def tril(x, diagonal=0, name=None) -> Tensor:
    return wrap(torch.tril(x._t, diagonal))


def triu(x, diagonal=0, name=None) -> Tensor:
    return wrap(torch.triu(x._t, diagonal))


def meshgrid(*args, **kwargs):
    ts = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else args
    return list(run("meshgrid", list(ts)))
