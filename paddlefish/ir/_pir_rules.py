"""Lifting rules for PIR ops whose legacy form differs from a positional mapping (see NOTE [PIR
lifting] in ``_pir_lift.py``): renamed attributes, operands that legacy ops take as attributes,
reordered operands, in-place results, and the structural ops (data, fetch, parameters, builtin
vectors, if/while).

A rule is ``rule(lifter, op, block)``; it binds every result of ``op`` to a variable name (or a
list of names) and appends the legacy op(s) to ``block``.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from .._core.dtypes import convert_dtype
from ..errors import ProgramError
from ._types import AttrType

__all__ = ["IGNORED_ATTRS", "RULES", "LiftError", "attr_value", "pir_dtype_vartype"]

# attributes PIR adds that carry no computation (FORMATS.md 6.2)
IGNORED_ATTRS = {
    "struct_name",
    "op_role",
    "op_dist_attr",
    "op_callstack",
    "place",
    "op_namescope",
    "with_quant_attr",
    "is_persistable",
    "stop_gradient",
}
# folded constants larger than this stay tensors (a hostile file cannot make huge attributes)
_MAX_FOLD = 1 << 16


class LiftError(ProgramError):
    """A PIR program uses a construct the lift cannot express; names file, op and value."""


def pir_dtype_vartype(value: str) -> int:
    """``1.a_dtype`` string -> VarType number (``Undefined(ALL_DTYPE)`` -> -1)."""
    if value.startswith("Undefined"):
        return -1
    return convert_dtype(value).vartype


def attr_value(kind: str, value: Any) -> Any:
    """A PIR attribute's value as a legacy attribute value."""
    if kind == "1.a_dtype":
        return pir_dtype_vartype(value)
    if kind == "1.a_scalar" and isinstance(value, list) and len(value) == 2:
        return value[1]
    if isinstance(value, list):
        return [attr_value(a.kind, a.value) if hasattr(a, "kind") else a for a in value]
    return value


def _sig(L, op, legacy: str):
    sig = L.lookup(op.name)
    return sig if sig is not None and sig.type == legacy else None


def _emit(L, op, block, legacy, ins, outs, attrs):
    return L.append(block, legacy, ins, outs, attrs, _sig(L, op, legacy))


def _out(L, op, block, i=0):
    return [L.define(block, op.results[i], op.name.split(".")[-1])]


def _ints_or_wire(L, op, vid, attr, tensor_slot, list_slot, attrs, ins):
    """Fold constant ``vid`` into ``attrs[attr]``, else wire it to a tensor slot."""
    c = L.const(vid)
    if isinstance(c, list):
        attrs[attr] = [int(v) for v in c]
        return
    n = L.name(vid)
    if isinstance(n, list):
        if list_slot is None:
            raise L.fail(
                op,
                f"operand %{vid} ({attr}) is a vector of tensors, which the legacy op cannot take",
            )
        ins[list_slot] = n
    else:
        if tensor_slot is None:
            raise L.fail(
                op,
                f"operand %{vid} ({attr}) must be a constant (full_int_array) "
                "for the legacy op; it is computed at run time",
            )
        ins[tensor_slot] = [n]


def _scalar_or_wire(L, op, vid, attr, tensor_slot, attrs, ins, cast=float):
    c = L.const(vid)
    if c is not None and not isinstance(c, list):
        attrs[attr] = cast(c)
    elif tensor_slot is None:
        raise L.fail(op, f"operand %{vid} ({attr}) must be a constant (pd_op.full)")
    else:
        ins[tensor_slot] = [L.name(vid)]


# -- structural ----------------------------------------------------------------------------


def _parameter(L, op, block):
    name = op.attr("parameter_name")
    persistable, stop_gradient = (op.result_flags(k)[0] for k in ("persistable", "stop_gradient"))
    res = op.results[0]
    if not res.type.is_tensor:
        raise L.fail(op, f"parameter {name!r} has type {res.type}, expected a dense tensor")
    if name in block.vars:
        raise L.fail(op, f"parameter {name!r} is declared twice")
    L.declare(
        block,
        name,
        res.type,
        persistable=persistable,
        is_parameter=bool(op.attr("is_parameter")),
        stop_gradient=stop_gradient,
    )
    L.bind(res.id, name, res.type)


def _data(L, op, block):
    L.expect_arity(op, 0, 1)
    name = op.attr("name")
    if not isinstance(name, str) or not name:
        raise L.fail(op, "pd_op.data needs a non-empty 'name' attribute")
    if name in L.taken:
        raise L.fail(op, f"input name {name!r} is already used by another input or parameter")
    if L.program.global_block() is not block:
        raise L.fail(op, "pd_op.data inside a sub-block")
    L.taken.add(name)
    L.declare(
        block,
        name,
        op.results[0].type,
        lod_level=0,
        persistable=False,
        need_check_feed=True,
        stop_gradient=True,
    )
    L.bind(op.results[0].id, name, op.results[0].type)
    L.append(block, "feed", {"X": ["feed"]}, {"Out": [name]}, {"col": L.n_feeds})
    L.n_feeds += 1


def _fetch(L, op, block):
    L.expect_arity(op, 1, (0, 1))
    src = L.name(op.operands[0])
    if isinstance(src, list):
        raise L.fail(op, "fetches a vector; expected one tensor")
    col = op.attr("col", 0)
    L.append(block, "fetch", {"X": [src]}, {"Out": ["fetch"]}, {"col": int(col)})
    for r in op.results:
        L.bind(r.id, src, r.type)


def _combine(L, op, block):
    L.expect_arity(op, tuple(range(len(op.operands) + 1)), 1)
    names = []
    for vid in op.operands:
        n = L.name(vid)
        if isinstance(n, list):
            raise L.fail(op, f"combines vector %{vid}; nested vectors are not supported")
        names.append(n)
    L.bind(op.results[0].id, names, op.results[0].type)
    consts = [L.const(v) for v in op.operands]
    if consts and all(c is not None and not isinstance(c, list) for c in consts):
        L.consts[op.results[0].id] = (
            [int(c) for c in consts if float(c).is_integer()]
            if all(float(c).is_integer() for c in consts)
            else None
        )


def _split(L, op, block):
    L.expect_arity(op, 1)
    names = L.name(op.operands[0])
    if not isinstance(names, list) or len(names) != len(op.results):
        got = len(names) if isinstance(names, list) else "a tensor"
        raise L.fail(op, f"splits %{op.operands[0]} ({got} elements) into {len(op.results)}")
    for r, n in zip(op.results, names):
        L.bind(r.id, n, r.type)


def _slice_vec(L, op, block):
    L.expect_arity(op, 1, 1)
    names = L.name(op.operands[0])
    i = op.attr("index")
    if not isinstance(names, list) or not isinstance(i, int) or not 0 <= i < len(names):
        raise L.fail(op, f"index {i!r} outside vector %{op.operands[0]}")
    L.bind(op.results[0].id, names[i], op.results[0].type)


# -- constants -------------------------------------------------------------------------------


def _full(L, op, block):
    L.expect_arity(op, 0, 1)
    shape = [int(s) for s in op.attr("shape", [])]
    value = op.attr("value", 0.0)
    dtype = pir_dtype_vartype(op.attr("dtype", "float32"))
    if len(shape) < 2 and (not shape or shape[0] == 1) and isinstance(value, (int, float)):
        L.consts[op.results[0].id] = value
    attrs = {"shape": shape, "dtype": dtype, "value": float(value)}
    dt = convert_dtype(op.attr("dtype", "float32"))
    if dt.kind in "iub" and math.isfinite(value):
        attrs["str_value"] = str(int(value))
    _emit(L, op, block, "fill_constant", {}, {"Out": _out(L, op, block)}, attrs)


def _full_int_array(L, op, block):
    L.expect_arity(op, 0, 1)
    values = [int(v) for v in op.attr("value", [])]
    dtype = op.attr("dtype", "int64")
    if len(values) <= _MAX_FOLD:
        L.consts[op.results[0].id] = values
    key = "int32_values" if dtype == "int32" else "int64_values"
    attrs = {"shape": [len(values)], "dtype": pir_dtype_vartype(dtype), key: values}
    L.append(block, "assign_value", {}, {"Out": _out(L, op, block)}, attrs)
    op_ = block.ops[-1]
    op_.attr_types[key] = AttrType.LONGS if key == "int64_values" else AttrType.INTS


def _assign_value(L, op, block):
    L.expect_arity(op, (0, 1), 1)
    dtype = op.attr("dtype", "float32")
    dt = convert_dtype(dtype)
    values = [
        attr_value("1.a_scalar", v) if isinstance(v, list) else v for v in op.attr("values", [])
    ]
    key = {"b": "bool_values", "f": "fp32_values"}.get(dt.kind, "int64_values")
    if dt.name == "int32":
        key = "int32_values"
    if dt.name == "float64":
        key = "fp64_values"
    conv = bool if key == "bool_values" else (int if "int" in key else float)
    attrs = {
        "shape": [int(s) for s in op.attr("shape", [])],
        "dtype": dt.vartype,
        key: [conv(v) for v in values],
    }
    inplace = op.name.endswith("_") and op.operands and op.operands[0] != 0
    if inplace:
        out = [L.name(op.operands[0])]
        L.bind(op.results[0].id, out[0], op.results[0].type)
    else:
        out = _out(L, op, block)
    L.append(block, "assign_value", {}, {"Out": out}, attrs, L.lookup("pd_op.assign_value"))


def _full_with_tensor(L, op, block):
    L.expect_arity(op, 2, 1)
    attrs = {"dtype": pir_dtype_vartype(op.attr("dtype", "float32"))}
    ins = {"ValueTensor": [L.name(op.operands[0])]}
    _ints_or_wire(L, op, op.operands[1], "shape", "ShapeTensor", "ShapeTensorList", attrs, ins)
    _emit(L, op, block, "fill_constant", ins, {"Out": _out(L, op, block)}, attrs)


def _shape(L, op, block):
    L.expect_arity(op, 1, 1)
    x = L.name(op.operands[0])
    res = op.results[0]
    if op.name == "pd_op.shape64":
        tmp = L.temp(block, f"shape_{res.id}.int32", convert_dtype("int32"), res.type.shape)
        L.append(block, "shape", {"Input": [x]}, {"Out": [tmp]}, {})
        L.append(
            block,
            "cast",
            {"X": [tmp]},
            {"Out": _out(L, op, block)},
            {"in_dtype": 2, "out_dtype": 3},
        )
    else:
        L.append(block, "shape", {"Input": [x]}, {"Out": _out(L, op, block)}, {})


# -- ops whose operands are legacy attributes ------------------------------------------------


def _x_and_ints(legacy, attr, tensor_slot, list_slot, renames=None, n_out=(1, 2)):
    def rule(L, op, block):
        L.expect_arity(op, 2, n_out)
        attrs, ins = {}, {"X": [L.name(op.operands[0])]}
        _ints_or_wire(L, op, op.operands[1], attr, tensor_slot, list_slot, attrs, ins)
        for k, a in op.attrs.items():
            if k not in IGNORED_ATTRS:
                attrs[(renames or {}).get(k, k)] = attr_value(a.kind, a.value)
        outs = {"Out": _out(L, op, block)}
        if len(op.results) > 1:
            outs["XShape"] = _out(L, op, block, 1)
        _emit(L, op, block, legacy, ins, outs, attrs)

    return rule


def _reduce(legacy):
    def rule(L, op, block):
        if len(op.operands) == 1 and "axis" in op.attrs:
            # pd_op.any/all/amax/amin: Paddle 3.3 writes the axis as an attribute, not an operand
            axis = [int(a) for a in op.attr("axis")]
        else:
            L.expect_arity(op, 2, 1)
            axis = L.const(op.operands[1])
        if not isinstance(axis, list):
            raise L.fail(
                op,
                "the axis operand must be a constant (full_int_array); a run-time "
                "axis has no legacy counterpart",
            )
        attrs = {
            "dim": [int(a) for a in axis] or [0],
            "keep_dim": bool(op.attr("keepdim")),
            "reduce_all": not axis,
        }
        if "dtype" in op.attrs:
            attrs["out_dtype"] = pir_dtype_vartype(op.attr("dtype"))
        _emit(
            L,
            op,
            block,
            legacy,
            {"X": [L.name(op.operands[0])]},
            {"Out": _out(L, op, block)},
            attrs,
        )

    return rule


def _scale(L, op, block):
    L.expect_arity(op, 2, 1)
    attrs = {
        "bias": float(op.attr("bias", 0.0)),
        "bias_after_scale": bool(op.attr("bias_after_scale", True)),
    }
    ins = {"X": [L.name(op.operands[0])]}
    _scalar_or_wire(L, op, op.operands[1], "scale", "ScaleTensor", attrs, ins)
    _emit(L, op, block, "scale", ins, {"Out": _out(L, op, block)}, attrs)


def _slice(L, op, block):
    L.expect_arity(op, 3, 1)
    attrs = {k: [int(v) for v in op.attr(k, [])] for k in ("axes", "infer_flags", "decrease_axis")}
    ins = {"Input": [L.name(op.operands[0])]}
    _ints_or_wire(L, op, op.operands[1], "starts", "StartsTensor", "StartsTensorList", attrs, ins)
    _ints_or_wire(L, op, op.operands[2], "ends", "EndsTensor", "EndsTensorList", attrs, ins)
    _emit(L, op, block, "slice", ins, {"Out": _out(L, op, block)}, attrs)


def _split_op(L, op, block):
    with_num = op.name == "pd_op.split_with_num"
    L.expect_arity(op, 2 if with_num else 3, 1)
    attrs, ins = {}, {"X": [L.name(op.operands[0])]}
    if with_num:
        attrs["num"] = int(op.attr("num"))
    else:
        _ints_or_wire(L, op, op.operands[1], "sections", None, "SectionsTensorList", attrs, ins)
    _scalar_or_wire(L, op, op.operands[-1], "axis", "AxisTensor", attrs, ins, cast=int)
    if not op.results[0].type.is_vector:
        raise L.fail(op, f"result has type {op.results[0].type}, expected a vector")
    _emit(L, op, block, "split", ins, {"Out": L.define(block, op.results[0], "split")}, attrs)


def _concat(L, op, block):
    L.expect_arity(op, 2, 1)
    xs = L.name(op.operands[0])
    attrs, ins = {}, {"X": xs if isinstance(xs, list) else [xs]}
    _scalar_or_wire(L, op, op.operands[1], "axis", "AxisTensor", attrs, ins, cast=int)
    _emit(L, op, block, "concat", ins, {"Out": _out(L, op, block)}, attrs)


def _pool2d(L, op, block):
    L.expect_arity(op, 2, 1)
    attrs, ins = {}, {"X": [L.name(op.operands[0])]}
    _ints_or_wire(L, op, op.operands[1], "ksize", None, None, attrs, ins)
    for k, a in op.attrs.items():
        if k not in IGNORED_ATTRS:
            attrs[k] = attr_value(a.kind, a.value)
    _emit(L, op, block, "pool2d", ins, {"Out": _out(L, op, block)}, attrs)


def _dropout(L, op, block):
    L.expect_arity(op, 3, (1, 2))
    attrs = {
        "is_test": bool(op.attr("is_test", False)),
        "dropout_implementation": op.attr("mode", "upscale_in_train"),
        "seed": int(op.attr("seed", 0)),
        "fix_seed": bool(op.attr("fix_seed", False)),
    }
    ins = {"X": [L.name(op.operands[0])]}
    if op.operands[1]:
        ins["Seed"] = [L.name(op.operands[1])]
    _scalar_or_wire(L, op, op.operands[2], "dropout_prob", None, attrs, ins)
    outs = {"Out": _out(L, op, block)}
    if len(op.results) > 1:
        outs["Mask"] = _out(L, op, block, 1)
    _emit(L, op, block, "dropout", ins, outs, attrs)


# -- reordered operands / renamed attributes --------------------------------------------------


def _renamed(legacy, renames, slots=None):
    """Positional operands (optionally to named ``slots``) with attribute ``renames``."""

    def rule(L, op, block):
        sig = L.lookup(op.name)
        if sig is None or sig.type != legacy:
            raise L.fail(op, f"the op registry has no {legacy} declared for {op.name}")
        attrs = {
            renames.get(k, k): attr_value(a.kind, a.value)
            for k, a in op.attrs.items()
            if k not in IGNORED_ATTRS
        }
        if slots is None:
            L.emit_generic(op, block, legacy, sig, list(op.operands), attrs=attrs)
            return
        L.expect_arity(op, len(slots))
        ins = {s: [L.name(v)] for s, v in zip(slots, op.operands) if v}
        L.emit_generic(op, block, legacy, sig, [], inputs=ins, attrs=attrs)

    return rule


def _batch_norm(L, op, block):
    L.expect_arity(op, 5, (1, 2, 3, 4, 5, 6))
    sig = L.lookup("pd_op.batch_norm")
    x, mean, var, scale, bias = op.operands
    attrs = {
        {"data_format": "data_layout"}.get(k, k): attr_value(a.kind, a.value)
        for k, a in op.attrs.items()
        if k not in IGNORED_ATTRS
    }
    ordered = [x, scale, bias, mean, var]  # legacy slots X, Scale, Bias, Mean, Variance
    inplace = {1: 3, 2: 4} if op.name.endswith("_") else {}
    L.emit_generic(op, block, "batch_norm", sig, ordered, attrs=attrs, inplace=inplace)


def _rnn(L, op, block):
    L.expect_arity(op, (4, 5), (1, 2, 3, 4))
    sig = L.lookup("pd_op.rnn")
    # operand 4 is dropout_state_in (a non-persistable 'p'); the legacy rnn op has no such input
    L.emit_generic(op, block, "rnn", sig, list(op.operands[:4]))


def _cast(L, op, block):
    L.expect_arity(op, 1, 1)
    _emit(
        L,
        op,
        block,
        "cast",
        {"X": [L.name(op.operands[0])]},
        {"Out": _out(L, op, block)},
        {"in_dtype": -1, "out_dtype": pir_dtype_vartype(op.attr("dtype"))},
    )


def _arange(L, op, block):
    """``pd_op.arange(start, end, step) {dtype}`` -> legacy ``range``, whose output takes
    ``Start``'s dtype: operands of another dtype are cast first."""
    L.expect_arity(op, 3, 1)
    want = pir_dtype_vartype(op.attr("dtype"))
    ins = {}
    for slot, vid in zip(("Start", "End", "Step"), op.operands):
        n = L.name(vid)
        t = L.types.get(vid)
        if want != -1 and (t is None or t.dtype is None or t.dtype.vartype != want):
            c = L.temp(block, f"{n}.cast", dtype=want, shape=list(t.shape) if t else None)
            L.append(block, "cast", {"X": [n]}, {"Out": [c]}, {"in_dtype": -1, "out_dtype": want})
            n = c
        ins[slot] = [n]
    _emit(L, op, block, "range", ins, {"Out": _out(L, op, block)}, {})


def _conv_transpose(legacy):
    """``pd_op.conv2d_transpose(x, filter, output_size)``: the output size operand (a constant
    ``full_int_array``; empty when not given) is the legacy ``output_size`` attribute."""

    def rule(L, op, block):
        L.expect_arity(op, (2, 3), 1)
        attrs, ins = {}, {}
        if len(op.operands) == 3 and op.operands[2]:
            _ints_or_wire(L, op, op.operands[2], "output_size", None, None, attrs, ins)
        for k, a in op.attrs.items():
            if k not in IGNORED_ATTRS:
                attrs[k] = attr_value(a.kind, a.value)
        L.emit_generic(op, block, legacy, L.lookup(op.name), list(op.operands[:2]), attrs=attrs)

    return rule


def _ints_to_list(L, op, block, vid, attr, list_slot, attrs, ins):
    """Fold constant ``vid`` into ``attrs[attr]``, else wire it to ``list_slot`` (a tensor list
    of one-element tensors, as the legacy op reads it): a vector as it is, a 1-D tensor
    (Paddle 3.3's ``stack`` of run-time indices) split into its elements."""
    c = L.const(vid)
    if isinstance(c, list):
        attrs[attr] = [int(v) for v in c]
        return
    n = L.name(vid)
    if isinstance(n, list):
        ins[list_slot] = n
        return
    t = L.types.get(vid)
    k = t.shape[0] if t is not None and t.is_tensor and len(t.shape) == 1 else None
    if k is None or k < 1:
        raise L.fail(
            op,
            f"operand %{vid} ({attr}) is a tensor of type {t}; expected a constant, a vector "
            "or a 1-D tensor of known length",
        )
    if k == 1:
        ins[list_slot] = [n]
        return
    parts = [L.temp(block, f"{n}.{attr}_{i}", t.dtype, [1]) for i in range(k)]
    L.append(block, "split", {"X": [n]}, {"Out": parts}, {"num": k, "axis": 0})
    ins[list_slot] = parts


def _set_value(L, op, block):
    """``pd_op.set_value[_with_tensor][_](x, [value,] starts, ends, steps)`` -> legacy
    ``set_value``; the in-place forms write ``x``'s variable (as ``batch_norm_`` does)."""
    with_tensor = "with_tensor" in op.name
    L.expect_arity(op, 5 if with_tensor else 4, 1)
    x = op.operands[0]
    ins = {"Input": [L.name(x)]}
    if with_tensor:
        ins["ValueTensor"] = [L.name(op.operands[1])]
    attrs = {k: [int(v) for v in op.attr(k, [])] for k in ("axes", "decrease_axes", "none_axes")}
    for attr, vid in zip(("starts", "ends", "steps"), op.operands[-3:]):
        _ints_to_list(L, op, block, vid, attr, f"{attr.title()}TensorList", attrs, ins)
    if not with_tensor:
        attrs["shape"] = [int(v) for v in op.attr("shape", [])]
        attrs["values"] = [float(v) for v in op.attr("values", [])]
    res = op.results[0]
    attrs["dtype"] = res.type.dtype.vartype if res.type.is_tensor else 5
    if op.name.endswith("_"):
        out = [L.name(x)]
        L.bind(res.id, out[0], res.type)
    else:
        out = _out(L, op, block)
    L.append(block, "set_value", ins, {"Out": out}, attrs, L.lookup("pd_op.set_value_with_tensor"))


def _arg_minmax(legacy):
    """``pd_op.argmax(x, axis)``: the axis operand (a constant ``full``) is the legacy attribute."""

    def rule(L, op, block):
        L.expect_arity(op, 2, 1)
        attrs, ins = {}, {"X": [L.name(op.operands[0])]}
        _scalar_or_wire(L, op, op.operands[1], "axis", None, attrs, ins, cast=int)
        attrs["keepdims"] = bool(op.attr("keepdims", False))
        attrs["flatten"] = bool(op.attr("flatten", False))
        attrs["dtype"] = pir_dtype_vartype(op.attr("dtype", "int64"))
        _emit(L, op, block, legacy, ins, {"Out": _out(L, op, block)}, attrs)

    return rule


def _interp(method):
    return _renamed(f"{method}_interp_v2", {"data_format": "data_layout"})


def _without(rule, **fixed):
    """``rule`` for a PIR op carrying attributes the legacy op lacks, accepted only at the value
    the legacy op implies (``fixed``): 3.x ``round``'s ``decimals=0``,
    ``max_pool2d_with_index``'s ``ceil_mode=False``. Other values are refused by name."""

    def wrapped(L, op, block):
        kept = {}
        for k, a in op.attrs.items():
            if k in fixed:
                v = attr_value(a.kind, a.value)
                if v != fixed[k]:
                    raise L.fail(
                        op,
                        f"attribute {k}={v!r} has no legacy counterpart (paddlefish runs "
                        f"{op.name} only with {k}={fixed[k]!r})",
                    )
            else:
                kept[k] = a
        rule(L, dataclasses.replace(op, attrs=kept), block)

    return wrapped


RULES = {
    "builtin.parameter": _parameter,
    "builtin.combine": _combine,
    "builtin.split": _split,
    "builtin.slice": _slice_vec,
    "pd_op.data": _data,
    "pd_op.fetch": _fetch,
    "pd_op.full": _full,
    "pd_op.full_int_array": _full_int_array,
    "pd_op.assign_value": _assign_value,
    "pd_op.assign_value_": _assign_value,
    "pd_op.full_with_tensor": _full_with_tensor,
    "pd_op.shape": _shape,
    "pd_op.shape64": _shape,
    "pd_op.reshape": _x_and_ints("reshape2", "shape", "Shape", "ShapeTensor"),
    "pd_op.expand": _x_and_ints("expand_v2", "shape", "Shape", "expand_shapes_tensor", n_out=1),
    "pd_op.tile": _x_and_ints(
        "tile", "repeat_times", "RepeatTimes", "repeat_times_tensor", n_out=1
    ),
    "pd_op.squeeze": _x_and_ints("squeeze2", "axes", None, None),
    "pd_op.unsqueeze": _x_and_ints("unsqueeze2", "axes", "AxesTensor", "AxesTensorList"),
    "pd_op.sum": _reduce("reduce_sum"),
    "pd_op.mean": _reduce("reduce_mean"),
    "pd_op.max": _reduce("reduce_max"),
    "pd_op.min": _reduce("reduce_min"),
    "pd_op.prod": _reduce("reduce_prod"),
    "pd_op.all": _reduce("reduce_all"),
    "pd_op.any": _reduce("reduce_any"),
    "pd_op.amax": _reduce("reduce_amax"),
    "pd_op.amin": _reduce("reduce_amin"),
    "pd_op.scale": _scale,
    "pd_op.slice": _slice,
    "pd_op.split": _split_op,
    "pd_op.split_with_num": _split_op,
    "pd_op.concat": _concat,
    "pd_op.pool2d": _pool2d,
    "pd_op.dropout": _dropout,
    "pd_op.cast": _cast,
    "pd_op.matmul": _renamed("matmul_v2", {"transpose_x": "trans_x", "transpose_y": "trans_y"}),
    "pd_op.transpose": _renamed("transpose2", {"perm": "axis"}),
    "pd_op.embedding": _renamed("lookup_table_v2", {"sparse": "is_sparse"}, ("Ids", "W")),
    "pd_op.batch_norm": _batch_norm,
    "pd_op.batch_norm_": _batch_norm,
    "pd_op.group_norm": _renamed("group_norm", {"data_format": "data_layout"}),
    "pd_op.leaky_relu": _renamed("leaky_relu", {"negative_slope": "alpha"}),
    "pd_op.pad3d": _x_and_ints("pad3d", "paddings", "Paddings", None, {"pad_value": "value"}, 1),
    "pd_op.pool3d": _renamed("pool3d", {"kernel_size": "ksize"}),
    "pd_op.rnn": _rnn,
    "pd_op.arange": _arange,
    "pd_op.argmax": _arg_minmax("arg_max"),
    "pd_op.argmin": _arg_minmax("arg_min"),
    "pd_op.max_pool2d_with_index": _without(
        _renamed("max_pool2d_with_index", {"kernel_size": "ksize"}), ceil_mode=False
    ),
    "pd_op.max_pool3d_with_index": _without(
        _renamed("max_pool3d_with_index", {"kernel_size": "ksize"}), ceil_mode=False
    ),
    "pd_op.mish": _renamed("mish", {"lambda": "threshold"}),
    "pd_op.round": _without(_renamed("round", {}), decimals=0),
    **{f"pd_op.set_value{v}": _set_value for v in ("", "_", "_with_tensor", "_with_tensor_")},
    **{
        f"pd_op.{t}": _conv_transpose(t)
        for t in ("conv2d_transpose", "depthwise_conv2d_transpose", "conv3d_transpose")
    },
    **{
        f"pd_op.{m}_interp": _interp(m)
        for m in ("nearest", "bilinear", "bicubic", "linear", "trilinear")
    },
}
