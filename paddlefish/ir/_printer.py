"""A stable, readable, diffable text form of a Program (``str(program)``).

One line per variable, then one line per op in the style of torch.fx's graph print::

    linear_0.tmp_0 = matmul_v2(X=[x], Y=[linear_0.w_0]) {trans_x=False, trans_y=False}

Attributes print in stored order; an attribute whose type is not the one its value would imply
carries a ``:type`` suffix (``5:long``); BLOCK attributes print as ``^block1``; ``op_callstack``
is abbreviated to its frame count (it holds absolute paths of the saving machine).
"""

from __future__ import annotations

import numpy as np

from ._types import AttrType, VarType, infer_attr_type

__all__ = ["format_op", "format_program", "format_var"]

_FLAGS = ("persistable", "need_check_feed", "is_parameter", "stop_gradient")


def _kind(t: int) -> str:
    try:
        return VarType(t).name.lower()
    except ValueError:
        return f"vartype{t}"


def format_var(var) -> str:
    parts = [f"{var.name}: {_kind(var.type)}"]
    if var.dtype is not None:
        parts.append(f"{var.dtype.name}{list(var.shape or [])}")
    elif var.raw_type is not None:
        parts.append(f"<raw VarType {var.raw_type.hex()}>")
    if var.lod_level:
        parts.append(f"lod_level={var.lod_level}")
    parts += [f for f in _FLAGS if getattr(var, f)]
    return " ".join(parts)


def _f32(v: float) -> str:
    return str(np.float32(v))  # shortest float32 repr: 1e-05, not 9.999999747378752e-06


def _value(atype: int, value) -> str:
    if atype == AttrType.BLOCK:
        return f"^block{value}"
    if atype == AttrType.BLOCKS:
        return "[" + ", ".join(f"^block{v}" for v in value) + "]"
    if atype == AttrType.FLOAT:
        return _f32(value)
    if atype == AttrType.FLOATS:
        return "[" + ", ".join(_f32(v) for v in value) + "]"
    return repr(value)


def _attr(name: str, atype: int, value) -> str:
    if name == "op_callstack" and isinstance(value, list):
        return f"op_callstack=<{len(value)} lines>"
    text = f"{name}={_value(atype, value)}"
    if atype in (AttrType.BLOCK, AttrType.BLOCKS):
        return text
    try:
        implied = infer_attr_type(value)
    except TypeError:
        implied = None
    if implied != atype and not (value == [] and atype in _LIST_TYPES):
        try:
            text += f":{AttrType(atype).name.lower()}"
        except ValueError:
            text += f":attrtype{atype}"
    return text


_LIST_TYPES = {
    AttrType.INTS,
    AttrType.FLOATS,
    AttrType.STRINGS,
    AttrType.BOOLEANS,
    AttrType.LONGS,
    AttrType.FLOAT64S,
    AttrType.VARS,
    AttrType.SCALARS,
    AttrType.BLOCKS,
}


def _slots(slots: dict) -> str:
    return ", ".join(f"{k}=[{', '.join(v)}]" for k, v in slots.items())


def format_op(op) -> str:
    outs = op.outputs
    if len(outs) == 1 and len(next(iter(outs.values()))) == 1:
        lhs = next(iter(outs.values()))[0] + " = "
    elif outs:
        lhs = "{" + _slots(outs) + "} = "
    else:
        lhs = ""
    text = f"{lhs}{op.type}({_slots(op.inputs)})"
    if op.attrs:
        attrs = ", ".join(_attr(k, op.attr_types.get(k), v) for k, v in op.attrs.items())
        text += " {" + attrs + "}"
    if op.is_target:
        text += " [target]"
    return text


def format_program(program) -> str:
    head = f"program version={program.version}"
    if program.op_version_map is not None:
        head += f" op_version_map=<{len(program.op_version_map)} ops>"
    lines = [head]
    for b in program.blocks:
        fwd = "" if b.forward_block_idx in (None, -1) else f", forward {b.forward_block_idx}"
        lines.append(f"block {b.idx} (parent {b.parent_idx}{fwd}):")
        lines += [f"  var {format_var(v)}" for v in b.vars.values()]
        lines += [f"  {format_op(op)}" for op in b.ops]
    return "\n".join(lines)
