"""Shapes that hold dynamic dims while recording (see ``eager.tensor.DynDim``)."""

from __future__ import annotations

from ..eager.dispatch import get_recorder
from ..eager.tensor import DynDim, Tensor
from ._run import run

__all__ = ["has_dyn", "shape_parts"]


def has_dyn(shape) -> bool:
    """Whether a shape list needs run-time shape tensors: a ``DynDim``, or (while recording) a
    tensor entry such as ``x.shape[0] + 1``, which has no value until the program runs."""
    if not isinstance(shape, (list, tuple)):
        return False
    recording = get_recorder() is not None
    return any(isinstance(s, DynDim) or (recording and isinstance(s, Tensor)) for s in shape)


def _cast_int32(t):
    if t.dtype.name == "int32":
        return t
    return run("cast", t, in_dtype=t.dtype.vartype, out_dtype=2)


def shape_parts(shape) -> list:
    """A shape list with ``DynDim`` entries as int32 ``[1]`` tensors read at run time
    (``shape`` + ``slice``), other entries as ``fill_constant`` ``[1]`` tensors: Paddle's
    ``ShapeTensorList`` form, see NOTE [dynamic dims in shapes] in manipulation.py."""
    parts = []
    for s in shape:
        if isinstance(s, DynDim):
            parts.append(run("slice", run("shape", s.source), None, None, None, None, axes=[0],
                             starts=[s.axis], ends=[s.axis + 1], infer_flags=[1],
                             decrease_axis=[]))
        elif isinstance(s, Tensor):
            parts.append(run("reshape2", _cast_int32(s), None, None, shape=[1])[0])
        else:
            parts.append(run("fill_constant", None, None, None, dtype=2, shape=[1],
                             value=float(int(s)), str_value="", force_cpu=False,
                             place_type=-1))
    return parts
