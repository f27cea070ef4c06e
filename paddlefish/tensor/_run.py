"""``run(op_type, *inputs, **attrs)``: call a registered op through the eager dispatch point."""

from __future__ import annotations

from .. import ops
from ..eager.dispatch import dispatch

_OPS = {}


def opdef(type_: str):
    d = _OPS.get(type_)
    if d is None:
        d = _OPS[type_] = ops.get(type_)
    return d


def run(type_: str, *inputs, **attrs):
    d = _OPS.get(type_)
    if d is None:
        d = _OPS[type_] = ops.get(type_)
    return dispatch(d, inputs, attrs)
