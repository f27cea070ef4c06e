"""The op registry: one declaration per Paddle op (DESIGN.md, "One op registry").

A declaration is a kernel function over ``torch.Tensor`` decorated with ``@op``. Its positional
parameters are the op's input slots in Paddle's names (``X``, ``Y``), its keyword-only parameters
are the attributes with Paddle's names and defaults; the decorator names the output slots and
the PIR op name. From that one declaration:

* the eager API calls the kernel (``eager.dispatch``);
* the recorder writes an ``OpDesc`` with the same slots and attributes (``jit``);
* the executor looks the declaration up by ``OpDesc.type`` and calls the same kernel.

A kernel returns one tensor per output slot (a tuple when there are several, in slot order;
``None`` for an output it does not compute, e.g. ``XShape``). A duplicable slot takes or returns a
list of tensors. An input whose default is ``None`` is dispensable (optional).

NOTE [attribute types]: ``OpDesc.Attr`` has typed fields. The type of each attribute is inferred
from its default (bool -> BOOLEAN, int -> INT, float -> FLOAT, str -> STRING, list of int -> INTS,
list of float -> FLOATS, list of str -> STRINGS); ``attr_types`` overrides where Paddle uses
another (LONG, FLOAT64, INT for a dtype, SCALARS, BLOCK, ...).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any

from ..errors import OpNotFoundError

__all__ = ["AttrType", "OpDef", "Slot", "all_ops", "get", "lookup", "op"]


class AttrType:
    """``AttrType`` enum numbers of framework.proto (FORMATS.md section 4.1)."""

    INT, FLOAT, STRING, INTS, FLOATS, STRINGS, BOOLEAN = 0, 1, 2, 3, 4, 5, 6
    BOOLEANS, BLOCK, LONG, BLOCKS, LONGS, FLOAT64S = 7, 8, 9, 10, 11, 12
    VAR, VARS, FLOAT64, SCALAR, SCALARS = 13, 14, 15, 16, 17


@dataclasses.dataclass(frozen=True)
class Slot:
    name: str
    duplicable: bool = False
    dispensable: bool = False


@dataclasses.dataclass
class OpDef:
    type: str
    inputs: tuple[Slot, ...]
    outputs: tuple[Slot, ...]
    attrs: dict[str, Any]  # name -> default
    attr_types: dict[str, int]
    kernel: Callable
    pir_name: str | None
    # attributes Paddle registers as "extra" (removed by clip_extra); see FORMATS.md section 4.3
    extra_attrs: tuple[str, ...] = ()
    # outputs Paddle removes when clipping (e.g. dropout.Mask) or never needs at inference
    extra_outputs: tuple[str, ...] = ()
    # optional inputs left out of a recorded OpDesc when absent (Paddle's Python API never
    # passes them, e.g. conv2d's oneDNN-only ``Bias``), so recorded programs match Paddle's
    quiet_inputs: tuple[str, ...] = ()
    doc: str = ""

    def full_attrs(self, given: dict[str, Any]) -> dict[str, Any]:
        """Declared attributes with defaults filled in, in declaration order."""
        out = dict(self.attrs)
        for k, v in given.items():
            if k not in out:
                raise TypeError(
                    f"op {self.type!r} has no attribute {k!r}; declared: {sorted(self.attrs)}"
                )
            out[k] = v
        return out

    def __repr__(self) -> str:
        ins = ", ".join(s.name + ("[]" if s.duplicable else "") for s in self.inputs)
        outs = ", ".join(s.name + ("[]" if s.duplicable else "") for s in self.outputs)
        return f"<op {self.type}({ins}) -> ({outs})>"


_REGISTRY: dict[str, OpDef] = {}
_BY_PIR: dict[str, OpDef] = {}


def _infer_attr_type(name: str, default: Any) -> int:
    if isinstance(default, bool):
        return AttrType.BOOLEAN
    if isinstance(default, int):
        return AttrType.INT
    if isinstance(default, float):
        return AttrType.FLOAT
    if isinstance(default, str):
        return AttrType.STRING
    if isinstance(default, (list, tuple)):
        if all(isinstance(v, bool) for v in default) and default:
            return AttrType.BOOLEANS
        if all(isinstance(v, int) for v in default):
            return AttrType.INTS
        if all(isinstance(v, (int, float)) for v in default):
            return AttrType.FLOATS
        if all(isinstance(v, str) for v in default):
            return AttrType.STRINGS
    raise TypeError(f"cannot infer the AttrType of attribute {name!r} from default {default!r}")


def op(
    type: str,
    *,
    outputs: tuple[str, ...] | list[str] = ("Out",),
    pir: str | None = None,
    duplicable: tuple[str, ...] = (),
    attr_types: dict[str, int] | None = None,
    extra_attrs: tuple[str, ...] = (),
    extra_outputs: tuple[str, ...] = (),
    quiet_inputs: tuple[str, ...] = (),
):
    """Declare a Paddle op from its kernel. See the module docstring.

    >>> import torch
    >>> @op("my_doc_relu", pir="pd_op.my_doc_relu")
    ... def my_doc_relu(X):
    ...     return torch.relu(X)
    >>> get("my_doc_relu").inputs[0].name
    'X'
    """

    def deco(fn: Callable) -> Callable:
        sig = inspect.signature(fn)
        ins, attrs = [], {}
        for p in sig.parameters.values():
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
                ins.append(Slot(p.name, p.name in duplicable, p.default is None))
            elif p.kind is p.KEYWORD_ONLY:
                if p.default is p.empty:
                    raise TypeError(f"op {type}: attribute {p.name} needs a default")
                attrs[p.name] = p.default
        outs = tuple(
            Slot(o.rstrip("?"), o.rstrip("?") in duplicable, o.endswith("?")) for o in outputs
        )
        types = {k: _infer_attr_type(k, v) for k, v in attrs.items() if k not in (attr_types or {})}
        types.update(attr_types or {})
        d = OpDef(type, tuple(ins), outs, attrs, types, fn, pir,
                  extra_attrs=tuple(extra_attrs), extra_outputs=tuple(extra_outputs),
                  quiet_inputs=tuple(quiet_inputs), doc=fn.__doc__ or "")
        if type in _REGISTRY:
            raise ValueError(f"op {type!r} declared twice")
        _REGISTRY[type] = d
        if pir:
            _BY_PIR[pir] = d
        fn.opdef = d
        return fn

    return deco


def get(type: str, *, attrs: dict | None = None) -> OpDef:
    """The declaration of op ``type``; ``OpNotFoundError`` naming it (and its attrs) if absent."""
    try:
        return _REGISTRY[type]
    except KeyError:
        detail = f" with attributes {attrs}" if attrs else ""
        raise OpNotFoundError(
            f"op {type!r}{detail} is not in paddlefish's op registry "
            f"({len(_REGISTRY)} ops declared). Declare it in paddlefish/ops/ with @op({type!r}, ...)."
        ) from None


def lookup(type: str) -> OpDef | None:
    return _REGISTRY.get(type)


def by_pir(name: str) -> OpDef | None:
    return _BY_PIR.get(name)


def all_ops() -> dict[str, OpDef]:
    return dict(_REGISTRY)
