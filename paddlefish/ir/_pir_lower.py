"""Lower a legacy ``Program`` (as ``jit.save`` records it, or as a ``.pdmodel`` holds it) into a PIR
``PirModule`` that ``formats.write_pir_json`` writes: the inverse of ``lift_pir``.

NOTE [PIR lowering]: the inverse of NOTE [PIR lifting] (``_pir_lift.py``). Legacy variables are
mutable names; PIR values are SSA. Walking the block in order and binding each written name to
the value its writer produced gives SSA for straight-line code (an in-place legacy output such as
``batch_norm``'s ``MeanOut`` just rebinds ``Mean``'s name). Persistable variables become ``p``
(``builtin.parameter``) ops, feeds ``pd_op.data``, fetches ``pd_op.fetch`` named
``fetch_name_<col>``. Legacy attributes that PIR takes as operands (``reshape``'s shape,
``scale``'s factor, ``slice``'s starts, a reduction's axis, ``pool2d``'s ksize) become
``full_int_array``/``full`` ops, or their tensor slots are wired in (a ``*TensorList`` through
``builtin.combine`` + ``concat``); duplicable slots become ``builtin.combine`` vectors and
vector results are unpacked with ``builtin.split``. Every PIR op gets exactly the attributes, with
the attribute kinds, that Paddle 3.3's own ``jit.save`` writes for it (``PIR_ATTRS``; observed in
its files), since Paddle's reader checks them against the op's definition. Ops not in that table
keep their registry attributes (minus Paddle's "extra" ones), typed from the declaration.
Legacy ``set_value`` (out of place) becomes Paddle's in-place ``set_value[_with_tensor]_``, on an
``assign`` copy when its input is read later or persistable (``_set_value``).

Legacy ``conditional_block``/``select_input``/``while`` become ``pd_op.if``/``pd_op.while`` with
``cf.yield`` and block arguments (NOTE [PIR control-flow lowering] in ``_pir_lower_control.py``);
an op without a PIR name is refused by name (``LowerError``). Value ids are renumbered in write
order at the end (pre-order: an op's results before its regions' values; block arguments count
down from -1), as Paddle writes them.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any, Protocol

from .._core.dtypes import DType, convert_dtype, from_vartype
from ..errors import ProgramError
from ._pir import PirAttr, PirBlock, PirModule, PirOp, PirRegion, PirType, PirValue
from ._pir_lower_control import CONTROL_RULES
from ._pir_upgrade import PIR_VERSION  # what Paddle 3.3.1 writes (NOTE [PIR schema versions])
from ._program import OpDesc, Program
from ._types import VarType

__all__ = ["PIR_ATTRS", "PIR_FIXED_ATTRS", "LowerError", "LoweringSignature", "lower_program"]


class LowerError(ProgramError):
    """A legacy program uses a construct the PIR lowering cannot express; names the op."""


class LoweringSignature(Protocol):
    """What the lowering needs of an op declaration (``ops.OpDef`` satisfies it)."""

    type: str
    inputs: tuple
    outputs: tuple
    attrs: dict[str, Any]
    attr_types: dict[str, int]
    pir_name: str | None
    extra_attrs: tuple


# -- attribute kinds ------------------------------------------------------------------------

B, I32, I64, F32, F64, S = "0.a_bool", "0.a_i32", "0.a_i64", "0.a_f32", "0.a_f64", "0.a_str"
I32S, I64S, F32S, F64S, DTYPE = "i32[]", "i64[]", "f32[]", "f64[]", "1.a_dtype"
_ARRAY_OF = {I32S: I32, I64S: I64, F32S: F32, F64S: F64}
# registry AttrType number -> PIR attribute kind (NOTE [attribute types] in ops/_registry.py)
_FROM_ATTRTYPE = {0: I32, 1: F32, 2: S, 3: I32S, 4: F32S, 6: B, 9: I64, 11: I64S, 15: F64}


def _f32(v) -> float:
    """``v`` rounded to float32: Paddle writes an ``f32`` attribute as its float32 value
    (``epsilon=1e-12`` is written ``9.999999960041972e-13``)."""
    return struct.unpack("<f", struct.pack("<f", float(v)))[0]


def _cast(kind: str, v):
    return {B: bool, I32: int, I64: int, F32: _f32, F64: float, S: str}[kind](v)


def make_attr(kind: str, value) -> PirAttr:
    """A ``PirAttr`` of ``kind`` (an array kind ``i32[]`` etc. gives ``0.a_array``)."""
    if kind in _ARRAY_OF:
        el = _ARRAY_OF[kind]
        return PirAttr("0.a_array", [PirAttr(el, _cast(el, v)) for v in value])
    if kind == DTYPE:
        return PirAttr(DTYPE, _dtype_name(value))
    return PirAttr(kind, _cast(kind, value))


def _dtype_name(v) -> str:
    if isinstance(v, int):
        return "Undefined(ALL_DTYPE)" if v < 0 else from_vartype(v).name
    return convert_dtype(v).name


# PIR op -> its attributes as Paddle 3.3 writes them: (PIR name, kind, legacy attribute name)
PIR_ATTRS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "pd_op.conv2d": (
        ("strides", I32S, "strides"),
        ("paddings", I32S, "paddings"),
        ("padding_algorithm", S, "padding_algorithm"),
        ("dilations", I32S, "dilations"),
        ("groups", I32, "groups"),
        ("data_format", S, "data_format"),
    ),
    "pd_op.depthwise_conv2d": (
        ("strides", I32S, "strides"),
        ("paddings", I32S, "paddings"),
        ("padding_algorithm", S, "padding_algorithm"),
        ("groups", I32, "groups"),
        ("dilations", I32S, "dilations"),
        ("data_format", S, "data_format"),
    ),
    **{
        f"pd_op.{t}": (
            ("strides", I32S, "strides"),
            ("paddings", I32S, "paddings"),
            ("output_padding", I32S, "output_padding"),
            ("padding_algorithm", S, "padding_algorithm"),
            ("groups", I32, "groups"),
            ("dilations", I32S, "dilations"),
            ("data_format", S, "data_format"),
        )
        for t in ("conv2d_transpose", "depthwise_conv2d_transpose")
    },
    # conv3d_transpose keeps output_size an attribute (the 2-D ones take it as an operand)
    "pd_op.conv3d_transpose": (
        ("strides", I32S, "strides"),
        ("paddings", I32S, "paddings"),
        ("output_padding", I32S, "output_padding"),
        ("output_size", I32S, "output_size"),
        ("padding_algorithm", S, "padding_algorithm"),
        ("groups", I32, "groups"),
        ("dilations", I32S, "dilations"),
        ("data_format", S, "data_format"),
    ),
    "pd_op.pool2d": (
        ("strides", I64S, "strides"),
        ("paddings", I64S, "paddings"),
        ("ceil_mode", B, "ceil_mode"),
        ("exclusive", B, "exclusive"),
        ("data_format", S, "data_format"),
        ("pooling_type", S, "pooling_type"),
        ("global_pooling", B, "global_pooling"),
        ("adaptive", B, "adaptive"),
        ("padding_algorithm", S, "padding_algorithm"),
    ),
    "pd_op.batch_norm_": (
        ("is_test", B, "is_test"),
        ("momentum", F32, "momentum"),
        ("epsilon", F32, "epsilon"),
        ("data_format", S, "data_layout"),
        ("use_global_stats", B, "use_global_stats"),
        ("trainable_statistics", B, "trainable_statistics"),
    ),
    "pd_op.pool3d": (
        ("kernel_size", I64S, "ksize"),
        ("strides", I64S, "strides"),
        ("paddings", I64S, "paddings"),
        ("ceil_mode", B, "ceil_mode"),
        ("exclusive", B, "exclusive"),
        ("data_format", S, "data_format"),
        ("pooling_type", S, "pooling_type"),
        ("global_pooling", B, "global_pooling"),
        ("adaptive", B, "adaptive"),
        ("padding_algorithm", S, "padding_algorithm"),
    ),
    # the kinds schema version 4 gives these (NOTE [PIR schema versions]: f64, i64 arrays)
    "pd_op.group_norm": (
        ("epsilon", F64, "epsilon"),
        ("groups", I32, "groups"),
        ("data_format", S, "data_layout"),
    ),
    "pd_op.leaky_relu": (("negative_slope", F64, "alpha"),),
    "pd_op.softplus": (("beta", F64, "beta"), ("threshold", F64, "threshold")),
    "pd_op.pad3d": (
        ("mode", S, "mode"),
        ("pad_value", F64, "value"),
        ("data_format", S, "data_format"),
    ),
    "pd_op.expand_as": (("target_shape", I64S, "target_shape"),),
    **{
        f"pd_op.{m}_interp": (
            ("data_format", S, "data_layout"),
            ("out_d", I32, "out_d"),
            ("out_h", I32, "out_h"),
            ("out_w", I32, "out_w"),
            ("scale", F64S, "scale"),
            ("interp_method", S, "interp_method"),
            ("align_corners", B, "align_corners"),
            ("align_mode", I32, "align_mode"),
        )
        for m in ("nearest", "bilinear", "bicubic", "linear", "trilinear")
    },
    "pd_op.layer_norm": (("epsilon", F32, "epsilon"), ("begin_norm_axis", I32, "begin_norm_axis")),
    "pd_op.dropout": (
        ("is_test", B, "is_test"),
        ("mode", S, "dropout_implementation"),
        ("seed", I32, "seed"),
        ("fix_seed", B, "fix_seed"),
    ),
    "pd_op.embedding": (("padding_idx", I64, "padding_idx"), ("sparse", B, "is_sparse")),
    "pd_op.matmul": (("transpose_x", B, "trans_x"), ("transpose_y", B, "trans_y")),
    "pd_op.transpose": (("perm", I32S, "axis"),),
    "pd_op.flatten": (("start_axis", I32, "start_axis"), ("stop_axis", I32, "stop_axis")),
    "pd_op.gelu": (("approximate", B, "approximate"),),
    "pd_op.hardsigmoid": (("slope", F32, "slope"), ("offset", F32, "offset")),
    "pd_op.softmax": (("axis", I32, "axis"),),
    "pd_op.log_softmax": (("axis", I32, "axis"),),
    "pd_op.stack": (("axis", I32, "axis"),),
    "pd_op.rnn": (
        ("dropout_prob", F32, "dropout_prob"),
        ("is_bidirec", B, "is_bidirec"),
        ("input_size", I32, "input_size"),
        ("hidden_size", I32, "hidden_size"),
        ("num_layers", I32, "num_layers"),
        ("mode", S, "mode"),
        ("seed", I32, "seed"),
        ("is_test", B, "is_test"),
    ),
    "pd_op.scale": (("bias", F32, "bias"), ("bias_after_scale", B, "bias_after_scale")),
    "pd_op.slice": (
        ("axes", I64S, "axes"),
        ("infer_flags", I64S, "infer_flags"),
        ("decrease_axis", I64S, "decrease_axis"),
    ),
    "pd_op.split_with_num": (("num", I32, "num"),),
    "pd_op.cast": (("dtype", DTYPE, "out_dtype"),),
    "pd_op.sum": (("dtype", DTYPE, "out_dtype"), ("keepdim", B, "keep_dim")),
    "pd_op.mean": (("keepdim", B, "keep_dim"),),
    "pd_op.max": (("keepdim", B, "keep_dim"),),
    "pd_op.min": (("keepdim", B, "keep_dim"),),
    "pd_op.prod": (("keepdim", B, "keep_dim"), ("reduce_all", B, "reduce_all")),
    "pd_op.mish": (("lambda", F32, "threshold"),),
    "pd_op.p_norm": (
        ("porder", F32, "porder"),
        ("axis", I32, "axis"),
        ("epsilon", F32, "epsilon"),
        ("keepdim", B, "keepdim"),
        ("asvector", B, "asvector"),
    ),
    **{
        f"pd_op.max_pool{n}d_with_index": (
            ("kernel_size", I32S, "ksize"),
            ("strides", I32S, "strides"),
            ("paddings", I32S, "paddings"),
            ("global_pooling", B, "global_pooling"),
            ("adaptive", B, "adaptive"),
        )
        for n in (2, 3)
    },
}
# attributes Paddle 3.x added whose legacy op has no counterpart: the value the legacy op implies
# (appended after PIR_ATTRS's, in Paddle 3.3's order; the lift refuses other values)
PIR_FIXED_ATTRS: dict[str, tuple[tuple[str, str, Any], ...]] = {
    "pd_op.round": (("decimals", I32, 0),),
    "pd_op.max_pool2d_with_index": (("ceil_mode", B, False),),
    "pd_op.max_pool3d_with_index": (("ceil_mode", B, False),),
}
# ops whose PIR form has no attributes although the legacy one has (see _FIXED)
for _n in [
    "add",
    "subtract",
    "multiply",
    "divide",
    "maximum",
    "minimum",
    "relu",
    "relu6",
    "hardswish",
    "sigmoid",
    "tanh",
    "exp",
    "abs",
    "reshape",
    "expand",
    "squeeze",
    "unsqueeze",
    "concat",
    "split",
    "assign",
    "shape64",
    "sqrt",
    "square",
    "log",
    "round",
    "one_hot",
    "equal_all",
    "masked_select",
    "nonzero",
    # comparisons and logic (legacy axis/force_cpu have no PIR counterpart: -1/False only)
    "greater_than",
    "greater_equal",
    "less_than",
    "less_equal",
    "equal",
    "not_equal",
    "logical_not",
    "logical_and",
    "logical_or",
    "logical_xor",
]:
    PIR_ATTRS["pd_op." + _n] = ()
# legacy attribute values the attribute-less PIR op implies; anything else is refused
_FIXED = {
    "relu6": {"threshold": 6.0},
    "hard_swish": {"threshold": 6.0, "scale": 6.0, "offset": 3.0},
}
_ELEMENTWISE = {
    "elementwise_add",
    "elementwise_sub",
    "elementwise_mul",
    "elementwise_div",
    "elementwise_max",
    "elementwise_min",
    "elementwise_pow",
}
_IO_TYPES = (VarType.FEED_MINIBATCH, VarType.FETCH_LIST, VarType.STEP_SCOPES)


def _tensor(dtype: DType, shape) -> PirType:
    return PirType("0.t_dtensor", dtype=dtype, shape=[int(s) for s in shape])


_I64 = convert_dtype("int64")
_I32 = convert_dtype("int32")
_F32 = convert_dtype("float32")
_U8 = convert_dtype("uint8")


class Lowerer:
    """State of one lowering: the value each legacy name holds now, the ops written so far."""

    def __init__(self, program: Program, lookup, name: str, param_info: dict):
        self.program = program
        self.lookup = lookup
        self.where = name
        self.param_info = param_info
        self.params: list[PirOp] = []
        self.ops: list[PirOp] = []
        self.env: dict[str, int] = {}
        self.types: dict[int, PirType] = {}
        self.next_id = 1
        self.block = program.global_block()
        # outputs of conditional_blocks not yet lowered: name -> (op, its block, env then)
        self.pending: dict[str, tuple] = {}

    # -- errors / types ----------------------------------------------------------------------

    def fail(self, op: OpDesc, msg: str) -> LowerError:
        return LowerError(f"{self.where}: op {op.type} (outputs {op.output_names()}): {msg}")

    def var_type(self, name: str) -> PirType:
        v = self.block.find_var(name)
        if v is None or v.dtype is None:
            raise LowerError(
                f"{self.where}: variable {name!r} has no declared dtype; PIR values need a type"
            )
        return _tensor(v.dtype, v.shape or [])

    # -- values ------------------------------------------------------------------------------

    def value(self, t: PirType) -> PirValue:
        v = PirValue(self.next_id, t)
        self.types[v.id] = t
        self.next_id += 1
        return v

    def use(self, op: OpDesc, name: str) -> int:
        vid = self.env.get(name)
        if vid is None:
            if name in self.pending:
                raise self.fail(
                    op,
                    f"reads {name!r}, an output of a conditional_block, other than through "
                    "select_input; only the select_input form of Paddle's cond can be lowered "
                    "to pd_op.if",
                )
            raise self.fail(op, f"reads {name!r}, which no earlier op or parameter defines")
        return vid

    def emit(self, name, operands, result_types, attrs=None, *, stop=False, result_attrs=None):
        results = [self.value(t) for t in result_types]
        ra = dict(result_attrs or {})
        ra.setdefault("stop_gradient", PirAttr("0.a_array", [PirAttr(B, stop)] * len(results)))
        op = PirOp(name, list(operands), results, dict(attrs or {}), ra)
        self.ops.append(op)
        return results

    def bind(self, names: list[str], values: list[PirValue]) -> None:
        for n, v in zip(names, values):
            self.env[n] = v.id

    # -- constants and vectors ---------------------------------------------------------------

    def int_array(self, values) -> int:
        attrs = {
            "value": make_attr(I64S, values),
            "dtype": PirAttr(DTYPE, "int64"),
            "place": PirAttr("1.a_place", [1, 0, ""]),
        }
        return self.emit(
            "pd_op.full_int_array", [], [_tensor(_I64, [len(values)])], attrs, stop=True
        )[0].id

    def full(self, shape, value, dtype: DType) -> int:
        attrs = {
            "shape": PirAttr("1.a_intarray", [int(s) for s in shape]),
            "value": PirAttr(F64, float(value)),
            "dtype": PirAttr(DTYPE, dtype.name),
            "place": PirAttr("1.a_place", [1, 0, ""]),
        }
        return self.emit("pd_op.full", [], [_tensor(dtype, shape)], attrs, stop=True)[0].id

    def combine(self, op: OpDesc, names: list[str]) -> int:
        ids = [self.use(op, n) for n in names]
        t = PirType("0.t_vec", elements=[self.types[i] for i in ids])
        return self.emit("builtin.combine", ids, [t])[0].id

    def unpack(self, vec: PirValue, names: list[str]) -> None:
        parts = self.emit("builtin.split", [vec.id], list(vec.type.elements))
        self.bind(names, parts)

    def ints_operand(self, op, attr, tensor_slot=None, list_slot=None) -> int:
        """``attr`` as a 1-D int64 operand: the tensor slot, the list slot concatenated, or a
        ``full_int_array`` of the attribute."""
        if tensor_slot and op.input(tensor_slot):
            return self.use(op, op.input(tensor_slot)[0])
        if list_slot and op.input(list_slot):
            parts = []
            for n in op.input(list_slot):
                vid = self.use(op, n)
                t = self.types[vid]
                if t.dtype != _I64:
                    vid = self.emit(
                        "pd_op.cast",
                        [vid],
                        [_tensor(_I64, t.shape)],
                        {"dtype": PirAttr(DTYPE, "int64")},
                        stop=True,
                    )[0].id
                if not t.shape:  # 0-D
                    vid = self.emit(
                        "pd_op.reshape",
                        [vid, self.int_array([1])],
                        [_tensor(_I64, [1])],
                        stop=True,
                    )[0].id
                parts.append(vid)
            vec = self.emit(
                "builtin.combine",
                parts,
                [PirType("0.t_vec", elements=[self.types[p] for p in parts])],
            )[0]
            return self.emit(
                "pd_op.concat",
                [vec.id, self.full([1], 0, _I32)],
                [_tensor(_I64, [len(parts)])],
                stop=True,
            )[0].id
        return self.int_array([int(v) for v in op.attrs.get(attr, [])])

    def scalar_operand(self, op, attr, tensor_slot, dtype: DType) -> int:
        if tensor_slot and op.input(tensor_slot):
            return self.use(op, op.input(tensor_slot)[0])
        return self.full([1], op.attrs[attr], dtype)

    # -- attributes --------------------------------------------------------------------------

    def attrs_for(self, op: OpDesc, pir: str, sig) -> dict[str, PirAttr]:
        table = PIR_ATTRS.get(pir)
        if table is None:
            extra = set(getattr(sig, "extra_attrs", ()))
            out = {}
            for k, v in op.attrs.items():
                if k in extra or k.startswith("op_") or k == "with_quant_attr":
                    continue
                kind = _FROM_ATTRTYPE.get(op.attr_types.get(k, sig.attr_types.get(k)))
                if kind is None:
                    raise self.fail(op, f"attribute {k}={v!r} has no PIR attribute kind")
                out[k] = make_attr(kind, v)
            return out
        full = sig.full_attrs({}) if hasattr(sig, "full_attrs") else dict(sig.attrs)
        full.update(op.attrs)
        out = {n: make_attr(kind, full[src]) for n, kind, src in table}
        out.update({n: make_attr(kind, v) for n, kind, v in PIR_FIXED_ATTRS.get(pir, ())})
        return out

    # -- the walk ----------------------------------------------------------------------------

    def declare_parameters(self) -> None:
        read = {n for b in self.program.blocks for o in b.ops for n in o.input_names()}
        for name in sorted(self.block.vars):
            v = self.block.vars[name]
            if not v.persistable or v.type in _IO_TYPES or name not in read:
                continue
            info = self.param_info.get(name, {})
            stop = bool(info.get("stop_gradient", v.stop_gradient or False))
            trainable = bool(info.get("trainable", not stop))
            self.add_parameter(name, self.var_type(name), True, stop, trainable)

    def add_parameter(self, name, t, persistable, stop, trainable) -> PirValue:
        res = self.value(t)
        attrs = {
            "is_distributed": PirAttr(B, False),
            "is_parameter": PirAttr(B, True),
            "need_clip": PirAttr(B, True),
            "parameter_name": PirAttr(S, name),
        }
        ra = {
            k: PirAttr("0.a_array", [PirAttr(B, f)])
            for k, f in (
                ("persistable", persistable),
                ("stop_gradient", stop),
                ("trainable", trainable),
            )
        }
        self.params.append(
            PirOp("builtin.parameter", [], [res], attrs, ra, extra={"DA": [], "QA": []})
        )
        self.env[name] = res.id
        return res

    def lower(self) -> PirModule:
        self.declare_parameters()
        feeds = sorted(
            (o for o in self.block.ops if o.type == "feed"), key=lambda o: o.attrs.get("col", 0)
        )
        ops = self.block.ops
        i = 0
        while i < len(ops):
            op = ops[i]
            if op.type == "feed":  # data ops in column order (legacy writes feeds reversed)
                for f in feeds:
                    _feed(self, f)
                feeds = []
                i += 1
                continue
            i = self.lower_op(ops, i)
        ops = self.params + self.ops
        _renumber(ops)
        block = PirBlock("block_0", [], ops)
        return PirModule(PIR_VERSION, True, [PirRegion("region_0", [block])])

    def lower_op(self, ops: list[OpDesc], i: int) -> int:
        """Lower ``ops[i]`` (a control-flow rule may take several); the index of the next op."""
        op = ops[i]
        control = CONTROL_RULES.get(op.type)
        if control is not None:
            return control(self, ops, i)
        rule = RULES.get(op.type)
        if rule is not None:
            rule(self, op)
        else:
            self.generic(op)
        return i + 1

    def lower_block(self, block, env: dict[str, int]) -> dict[str, int]:
        """Lower the ops of legacy sub-block ``block`` into ``self.ops`` starting from name
        bindings ``env``; the bindings at its end (``self.env``/``self.block`` are restored)."""
        saved = self.env, self.block
        self.env, self.block = dict(env), block
        try:
            i = 0
            while i < len(block.ops):
                if block.ops[i].type in ("feed", "fetch"):
                    raise self.fail(
                        block.ops[i],
                        f"a {block.ops[i].type} op inside block "
                        f"{block.idx}; feeds and fetches belong in block 0",
                    )
                i = self.lower_op(block.ops, i)
            return self.env
        finally:
            self.env, self.block = saved

    def sig(self, op: OpDesc):
        sig = self.lookup(op.type)
        if sig is None:
            raise self.fail(op, "paddlefish's op registry does not declare this op")
        if not sig.pir_name:
            raise self.fail(op, "its registry declaration has no PIR name (pir=...)")
        return sig

    def generic(self, op: OpDesc, pir: str | None = None, slots=None, n_results=None) -> None:
        """Inputs to operands in slot order (trailing absent ones dropped, 0 for a missing one in
        between), outputs to results in slot order (``XShape`` dropped)."""
        sig = self.sig(op)
        pir = pir or sig.pir_name
        if op.type in _FIXED:
            for k, want in _FIXED[op.type].items():
                if k in op.attrs and float(op.attrs[k]) != want:
                    raise self.fail(
                        op, f"{k}={op.attrs[k]} has no {pir} counterpart (needs {want})"
                    )
        names = slots or [s.name for s in sig.inputs]
        operands = []
        for slot in names:
            vals = op.input(slot)
            if len(vals) > 1 or (vals and _slot(sig.inputs, slot).duplicable):
                operands.append(self.combine(op, vals))
            else:
                operands.append(self.use(op, vals[0]) if vals else 0)
        while operands and operands[-1] == 0:
            operands.pop()
        outs = [s for s in sig.outputs if s.name != "XShape"]
        present = [s for s in outs if op.output(s.name)]
        if n_results is None:
            n_results = outs.index(present[-1]) + 1 if present else 0
        types, binds = [], []
        for s in outs[:n_results]:
            names_ = op.output(s.name)
            if s.duplicable:
                t = PirType("0.t_vec", elements=[self.var_type(n) for n in names_])
            elif names_:
                t = self.var_type(names_[0])
            else:
                raise self.fail(op, f"output {s.name} is absent but {pir} has a result for it")
            types.append(t)
            binds.append((s, names_))
        results = self.emit(pir, operands, types, self.attrs_for(op, pir, sig))
        for (s, names_), r in zip(binds, results):
            if s.duplicable:
                self.unpack(r, names_)
            else:
                self.bind(names_, [r])


def _slot(slots, name):
    for s in slots:
        if s.name == name:
            return s
    raise KeyError(name)


def _renumber(ops: list[PirOp]) -> None:
    """Value ids in write order from 1 (pre-order: an op's results, then its regions), block
    arguments from -1 down, operands rewritten to match (as Paddle writes them)."""
    new: dict[int, int] = {}
    counts = [0, 0, 0]  # results, block arguments, regions (and their blocks)

    def walk(ops_):
        for op in ops_:
            op.operands = [new.get(v, v) if v else 0 for v in op.operands]
            for r in op.results:
                counts[0] += 1
                new[r.id] = counts[0]
                r.id = counts[0]
            for region in op.regions:
                counts[2] += 1
                region.name = f"region_{counts[2]}"
                for k, b in enumerate(region.blocks):
                    b.name = f"block_{counts[2]}" if k == 0 else f"block_{counts[2]}_{k}"
                    for a in b.args:
                        counts[1] += 1
                        new[a.id] = -counts[1]
                        a.id = -counts[1]
                    walk(b.ops)

    walk(ops)


# -- rules ------------------------------------------------------------------------------------


def _feed(L: Lowerer, op: OpDesc) -> None:
    name = op.output("Out")[0]
    t = L.var_type(name)
    attrs = {
        "name": PirAttr(S, name),
        "shape": PirAttr("1.a_intarray", list(t.shape)),
        "dtype": PirAttr(DTYPE, t.dtype.name),
        "place": PirAttr("1.a_place", [0, 0, ""]),
    }
    L.bind([name], L.emit("pd_op.data", [], [t], attrs))


def _fetch(L: Lowerer, op: OpDesc) -> None:
    src = L.use(op, op.input("X")[0])
    col = int(op.attrs.get("col", 0))
    attrs = {"name": PirAttr(S, f"fetch_name_{col}"), "col": PirAttr(I32, col)}
    L.emit(
        "pd_op.fetch",
        [src],
        [L.types[src]],
        attrs,
        result_attrs={"persistable": PirAttr("0.a_array", [PirAttr(B, True)])},
    )


def _fill_constant(L: Lowerer, op: OpDesc) -> None:
    out = op.output("Out")[0]
    t = L.var_type(out)
    value = op.attrs.get("value", 0.0)
    if op.attrs.get("str_value"):
        value = float(op.attrs["str_value"])
    dynamic = op.input("ShapeTensor") or op.input("ShapeTensorList") or op.input("ValueTensor")
    if not dynamic:
        vid = L.full(op.attrs.get("shape", []), value, t.dtype)
        L.env[out] = vid
        L.types[vid] = t
        return
    shape = L.ints_operand(op, "shape", "ShapeTensor", "ShapeTensorList")
    val = L.scalar_operand(op, "value", "ValueTensor", t.dtype)
    r = L.emit(
        "pd_op.full_with_tensor",
        [val, shape],
        [t],
        {"dtype": PirAttr(DTYPE, t.dtype.name)},
        stop=True,
    )
    L.bind([out], r)


def _x_ints(pir, attr, tensor_slot, list_slot):
    def rule(L: Lowerer, op: OpDesc) -> None:
        x = L.use(op, op.input("X")[0])
        ints = L.ints_operand(op, attr, tensor_slot, list_slot)
        out = op.output("Out")[0]
        L.bind([out], L.emit(pir, [x, ints], [L.var_type(out)]))

    return rule


def _reduce(pir):
    def rule(L: Lowerer, op: OpDesc) -> None:
        x = L.use(op, op.input("X")[0])
        axis = [] if op.attrs.get("reduce_all") else [int(a) for a in op.attrs.get("dim", [0])]
        out = op.output("Out")[0]
        attrs = L.attrs_for(op, pir, L.sig(op))
        L.bind([out], L.emit(pir, [x, L.int_array(axis)], [L.var_type(out)], attrs))

    return rule


def _bool_reduce_axis(L: Lowerer, op: OpDesc) -> list[int]:
    """The axis list Paddle 3.3 writes: ``dim`` as given, also when ``reduce_all`` is set because
    it names every axis (``amin(x, axis=[0, 1])`` of a 2-D x); ``[]`` when ``reduce_all`` comes
    with a placeholder ``dim`` (``amax(x)``; 1.x files' ``[0]``)."""
    dim = [int(a) for a in op.attrs.get("dim", [0])]
    if not op.attrs.get("reduce_all"):
        return dim
    v = L.block.find_var(op.input("X")[0])
    rank = len(v.shape) if v is not None and v.shape is not None else -1
    full = sorted(d % rank for d in dim) == list(range(rank)) if rank > 0 else False
    return dim if full else []


def _reduce_bool(pir):
    """``pd_op.all``/``pd_op.any``/``pd_op.amax``/``pd_op.amin`` take the axis as an attribute, not an operand (observed in
    Paddle 3.3's files, unlike ``sum``/``mean``)."""

    def rule(L: Lowerer, op: OpDesc) -> None:
        x = L.use(op, op.input("X")[0])
        axis = _bool_reduce_axis(L, op)
        out = op.output("Out")[0]
        attrs = {
            "axis": make_attr(I64S, axis),
            "keepdim": PirAttr(B, bool(op.attrs.get("keep_dim", False))),
        }
        L.bind([out], L.emit(pir, [x], [L.var_type(out)], attrs))

    return rule


_VALUE_KEYS = {"b": "bool_values", "f": "fp32_values"}


def _assign_value(L: Lowerer, op: OpDesc) -> None:
    """A constant as Paddle 3.3 writes one: ``full`` of the shape, then ``assign_value_`` into
    it with ``values`` as scalars of the dtype's kind (observed: ``0.a_f64`` for float32)."""
    out = op.output("Out")[0]
    t = L.var_type(out)
    dt = from_vartype(int(op.attrs["dtype"])) if "dtype" in op.attrs else t.dtype
    key = {"int32": "int32_values", "float64": "fp64_values"}.get(
        dt.name, _VALUE_KEYS.get(dt.kind, "int64_values")
    )
    kind = {"bool_values": B, "int32_values": I32, "int64_values": I64}.get(key, F64)
    shape = [int(v) for v in op.attrs.get("shape", t.shape)]
    base = L.full(shape, 0, dt)
    attrs = {
        "shape": make_attr(I32S, shape),
        "dtype": PirAttr(DTYPE, dt.name),
        "values": PirAttr("0.a_array", [make_attr(kind, v) for v in op.attrs.get(key, [])]),
        "place": PirAttr("1.a_place", [0, 0, ""]),
    }
    L.bind([out], L.emit("pd_op.assign_value_", [base], [t], attrs, stop=True))


def _scale(L: Lowerer, op: OpDesc) -> None:
    x = L.use(op, op.input("X")[0])
    s = L.scalar_operand(op, "scale", "ScaleTensor", _F32)
    out = op.output("Out")[0]
    attrs = L.attrs_for(op, "pd_op.scale", L.sig(op))
    L.bind([out], L.emit("pd_op.scale", [x, s], [L.var_type(out)], attrs))


def _slice(L: Lowerer, op: OpDesc) -> None:
    x = L.use(op, op.input("Input")[0])
    starts = L.ints_operand(op, "starts", "StartsTensor", "StartsTensorList")
    ends = L.ints_operand(op, "ends", "EndsTensor", "EndsTensorList")
    out = op.output("Out")[0]
    attrs = L.attrs_for(op, "pd_op.slice", L.sig(op))
    L.bind([out], L.emit("pd_op.slice", [x, starts, ends], [L.var_type(out)], attrs))


def _pool2d(L: Lowerer, op: OpDesc) -> None:
    x = L.use(op, op.input("X")[0])
    k = L.int_array([int(v) for v in op.attrs.get("ksize", [])])
    out = op.output("Out")[0]
    attrs = L.attrs_for(op, "pd_op.pool2d", L.sig(op))
    L.bind([out], L.emit("pd_op.pool2d", [x, k], [L.var_type(out)], attrs))


def _pad3d(L: Lowerer, op: OpDesc) -> None:
    x = L.use(op, op.input("X")[0])
    pads = L.ints_operand(op, "paddings", "Paddings", None)
    out = op.output("Out")[0]
    attrs = L.attrs_for(op, "pd_op.pad3d", L.sig(op))
    L.bind([out], L.emit("pd_op.pad3d", [x, pads], [L.var_type(out)], attrs))


def _interp(L: Lowerer, op: OpDesc) -> None:
    """``pd_op.*_interp`` always has its four operands (x, out_size, size_tensor, scale_tensor),
    0 for an absent one, as Paddle 3.3 writes it."""
    sig = L.sig(op)
    L.generic(op, slots=[s.name for s in sig.inputs])
    last = L.ops[-1]
    last.operands.extend([0] * (len(sig.inputs) - len(last.operands)))


def _concat(L: Lowerer, op: OpDesc) -> None:
    xs = L.combine(op, op.input("X"))
    axis = L.scalar_operand(op, "axis", "AxisTensor", _I32)
    out = op.output("Out")[0]
    L.bind([out], L.emit("pd_op.concat", [xs, axis], [L.var_type(out)]))


def _split(L: Lowerer, op: OpDesc) -> None:
    x = L.use(op, op.input("X")[0])
    outs = op.output("Out")
    vec = PirType("0.t_vec", elements=[L.var_type(n) for n in outs])
    axis = L.scalar_operand(op, "axis", "AxisTensor", _I32)
    num = int(op.attrs.get("num", 0))
    if num > 0 and not op.input("SectionsTensorList"):
        r = L.emit("pd_op.split_with_num", [x, axis], [vec], {"num": PirAttr(I32, num)})[0]
    else:
        sections = L.ints_operand(op, "sections", None, "SectionsTensorList")
        r = L.emit("pd_op.split", [x, sections, axis], [vec])[0]
    L.unpack(r, outs)


def _stack(L: Lowerer, op: OpDesc) -> None:
    xs = L.combine(op, op.input("X"))
    out = op.output("Y")[0]
    attrs = {"axis": PirAttr(I32, int(op.attrs.get("axis", 0)))}
    L.bind([out], L.emit("pd_op.stack", [xs], [L.var_type(out)], attrs))


def _shape(L: Lowerer, op: OpDesc) -> None:
    x = L.use(op, op.input("Input")[0])
    out = op.output("Out")[0]
    t = L.var_type(out)
    s64 = L.emit("pd_op.shape64", [x], [_tensor(_I64, t.shape)], stop=True)[0]
    if t.dtype == _I64:
        L.bind([out], [s64])
        return
    attrs = {"dtype": PirAttr(DTYPE, t.dtype.name)}
    L.bind([out], L.emit("pd_op.cast", [s64.id], [t], attrs, stop=True))


def _cast_op(L: Lowerer, op: OpDesc) -> None:
    x = L.use(op, op.input("X")[0])
    out = op.output("Out")[0]
    attrs = {"dtype": PirAttr(DTYPE, _dtype_name(int(op.attrs["out_dtype"])))}
    L.bind([out], L.emit("pd_op.cast", [x], [L.var_type(out)], attrs))


def _elementwise(L: Lowerer, op: OpDesc) -> None:
    axis = int(op.attrs.get("axis", -1))
    if axis != -1:
        xr = len(L.var_type(op.input("X")[0]).shape)
        yr = len(L.var_type(op.input("Y")[0]).shape)
        if xr != yr and axis != xr - yr:
            raise L.fail(op, f"axis={axis} broadcasting has no PIR counterpart (needs -1)")
    L.generic(op)


def _batch_norm(L: Lowerer, op: OpDesc) -> None:
    # PIR operands x, mean, variance, scale, bias; results y, mean_out, variance_out,
    # saved_mean, saved_variance, reserve_space (legacy slot order: X, Scale, Bias, Mean, Var)
    sig = L.sig(op)
    operands = [L.use(op, op.input(s)[0]) for s in ("X", "Mean", "Variance", "Scale", "Bias")]
    ch = L.var_type(op.input("Mean")[0])
    y = op.output("Y")[0]
    types = [L.var_type(y), ch, ch, ch, ch, _tensor(_U8, [-1])]
    res = L.emit("pd_op.batch_norm_", operands, types, L.attrs_for(op, "pd_op.batch_norm_", sig))
    L.bind([y], res[:1])
    for slot, r in zip(("MeanOut", "VarianceOut", "SavedMean", "SavedVariance"), res[1:5]):
        L.bind(op.output(slot), [r])


def _dropout(L: Lowerer, op: OpDesc) -> None:
    sig = L.sig(op)
    x = L.use(op, op.input("X")[0])
    seed = L.use(op, op.input("Seed")[0]) if op.input("Seed") else 0
    p = L.full([1], op.attrs.get("dropout_prob", 0.5), _F32)
    out = op.output("Out")[0]
    t = L.var_type(out)
    res = L.emit(
        "pd_op.dropout",
        [x, seed, p],
        [t, _tensor(_U8, t.shape)],
        L.attrs_for(op, "pd_op.dropout", sig),
    )
    L.bind([out], res[:1])
    L.bind(op.output("Mask"), res[1:])


def _rnn(L: Lowerer, op: OpDesc) -> None:
    sig = L.sig(op)
    x = L.use(op, op.input("Input")[0])
    pre = L.combine(op, op.input("PreState"))
    weights = L.combine(op, op.input("WeightList"))
    seq = L.use(op, op.input("SequenceLength")[0]) if op.input("SequenceLength") else 0
    out = op.output("Out")[0]
    # Paddle 3.3 feeds the dropout state in through a non-persistable parameter (observed)
    ds_name = f"{out}.dropout_state__non_persistable"
    ds = L.add_parameter(ds_name, _tensor(_U8, []), False, True, False)
    states = op.output("State")
    vec = PirType("0.t_vec", elements=[L.var_type(n) for n in states])
    types = [L.var_type(out), _tensor(_U8, []), vec, _tensor(_U8, [])]
    res = L.emit(
        "pd_op.rnn", [x, pre, weights, seq, ds.id], types, L.attrs_for(op, "pd_op.rnn", sig)
    )
    L.bind([out], res[:1])
    L.bind(op.output("DropoutState"), res[1:2])
    L.bind(op.output("Reserve"), res[3:4])
    L.unpack(res[2], states)


def _int32_operand(L: Lowerer, op: OpDesc, tensor_slot: str, attr: str) -> int:
    """``tensor_slot``'s tensor, else ``attr`` as the ``full`` int32 ``[1]`` Paddle 3.3 writes
    (``one_hot``'s ``num_classes``, ``sequence_mask``'s ``max_len``)."""
    if op.input(tensor_slot):
        return L.use(op, op.input(tensor_slot)[0])
    return L.full([1], int(op.attrs.get(attr, -1)), _I32)


def _one_hot(L: Lowerer, op: OpDesc) -> None:
    """``pd_op.one_hot(x, num_classes)`` has no dtype attribute: it writes float32 (a legacy
    ``dtype`` other than float32 becomes a ``cast`` after it)."""
    x = L.use(op, op.input("X")[0])
    depth = _int32_operand(L, op, "depth_tensor", "depth")
    out = op.output("Out")[0]
    t = L.var_type(out)
    if t.dtype == _F32:
        L.bind([out], L.emit("pd_op.one_hot", [x, depth], [t]))
        return
    f = L.emit("pd_op.one_hot", [x, depth], [_tensor(_F32, t.shape)])[0]
    L.bind([out], L.emit("pd_op.cast", [f.id], [t], {"dtype": PirAttr(DTYPE, t.dtype.name)}))


def _sequence_mask(L: Lowerer, op: OpDesc) -> None:
    x = L.use(op, op.input("X")[0])
    n = _int32_operand(L, op, "MaxLenTensor", "maxlen")
    out = op.output("Y")[0]
    attrs = {"out_dtype": PirAttr(DTYPE, _dtype_name(int(op.attrs.get("out_dtype", 5))))}
    L.bind([out], L.emit("pd_op.sequence_mask", [x, n], [L.var_type(out)], attrs, stop=True))


# Paddle writes a 3-D transposed conv's layout in its 2-D spelling (functional/conv.py)
_CONV3D_LAYOUT = {"NCDHW": "NCHW", "NDHWC": "NHWC"}


def _conv_transpose(L: Lowerer, op: OpDesc) -> None:
    """``pd_op.conv2d_transpose``/``depthwise_conv2d_transpose(x, filter, output_size)``: the
    output size is an int64 ``full_int_array`` operand (``[]`` when not given), as Paddle 3.3
    writes it; ``pd_op.conv3d_transpose(x, filter)`` keeps it an attribute."""
    sig = L.sig(op)
    pir = sig.pir_name
    if op.input("Bias"):
        raise L.fail(op, "a Bias input has no PIR counterpart; add the bias after the conv")
    operands = [L.use(op, op.input(s)[0]) for s in ("Input", "Filter")]
    attrs = L.attrs_for(op, pir, sig)
    if pir == "pd_op.conv3d_transpose":
        fmt = attrs["data_format"].value
        attrs["data_format"] = PirAttr(S, _CONV3D_LAYOUT.get(fmt, fmt))
    else:
        operands.append(L.int_array([int(v) for v in op.attrs.get("output_size", [])]))
    out = op.output("Output")[0]
    L.bind([out], L.emit(pir, operands, [L.var_type(out)], attrs))


def _read_later(L: Lowerer, op: OpDesc, name: str) -> bool:
    """Whether an op other than those before ``op`` in its block reads ``name``."""
    before = set()
    for o in L.block.ops:
        if o is op:
            break
        before.add(id(o))
    return any(
        name in o.input_names()
        for b in L.program.blocks
        for o in b.ops
        if o is not op and id(o) not in before
    )


def _set_value(L: Lowerer, op: OpDesc) -> None:
    """Legacy ``set_value`` (out of place) as Paddle 3.3 writes ``x[index] = v``:
    ``pd_op.set_value_with_tensor_(x, v, starts, ends, steps)`` for a tensor value,
    ``pd_op.set_value_(x, starts, ends, steps) {shape, values}`` for constants (the values
    ``f64`` whatever the dtype, as Paddle writes them). The in-place op overwrites ``x``'s
    buffer, so when something reads ``x`` afterwards, or ``x`` is persistable, it writes into a
    ``pd_op.assign`` copy of ``x`` instead. (The out-of-place ``pd_op.set_value_with_tensor``
    is no way out: Paddle 3.3's oneDNN predictor overwrites its input too.)"""
    src = op.input("Input")[0]
    x = L.use(op, src)
    axes = [int(a) for a in op.attrs.get("axes", [])]
    starts = L.ints_operand(op, "starts", None, "StartsTensorList")
    ends = L.ints_operand(op, "ends", None, "EndsTensorList")
    if op.input("StepsTensorList") or op.attrs.get("steps"):
        steps = L.ints_operand(op, "steps", None, "StepsTensorList")
    else:
        steps = L.int_array([1] * len(axes))
    var = L.block.find_var(src)
    if (var is not None and var.persistable) or _read_later(L, op, src):
        x = L.emit("pd_op.assign", [x], [L.types[x]])[0].id
    attrs = {
        k: make_attr(I64S, [int(v) for v in op.attrs.get(k, [])])
        for k in ("axes", "decrease_axes", "none_axes")
    }
    out = op.output("Out")[0]
    if op.input("ValueTensor"):
        v = L.use(op, op.input("ValueTensor")[0])
        want = L.var_type(out).dtype
        if L.types[v].dtype != want:  # Paddle casts the value to x's dtype first
            t = _tensor(want, L.types[v].shape)
            v = L.emit("pd_op.cast", [v], [t], {"dtype": PirAttr(DTYPE, want.name)})[0].id
        pir, operands = "pd_op.set_value_with_tensor_", [x, v, starts, ends, steps]
    else:
        values = []
        for val in op.attrs.get("values", []):
            if isinstance(val, complex) or not isinstance(val, (bool, int, float)):
                raise L.fail(op, f"value {val!r} is not a real number; PIR set_value writes f64")
            values.append(val)
        shape = [int(d) for d in op.attrs.get("shape", [len(values)])]
        attrs["shape"] = make_attr(I64S, shape)
        attrs["values"] = make_attr(F64S, values)
        pir, operands = "pd_op.set_value_", [x, starts, ends, steps]
    L.bind([out], L.emit(pir, operands, [L.var_type(out)], attrs))


def _embedding(L: Lowerer, op: OpDesc) -> None:
    L.generic(op, slots=["Ids", "W"])


RULES: dict[str, Callable[[Lowerer, OpDesc], None]] = {
    "fetch": _fetch,
    "fill_constant": _fill_constant,
    "reshape2": _x_ints("pd_op.reshape", "shape", "Shape", "ShapeTensor"),
    "reshape": _x_ints("pd_op.reshape", "shape", "Shape", "ShapeTensor"),
    "expand_v2": _x_ints("pd_op.expand", "shape", "Shape", "expand_shapes_tensor"),
    "squeeze2": _x_ints("pd_op.squeeze", "axes", None, None),
    "unsqueeze2": _x_ints("pd_op.unsqueeze", "axes", "AxesTensor", "AxesTensorList"),
    "tile": _x_ints("pd_op.tile", "repeat_times", "RepeatTimes", "repeat_times_tensor"),
    "reduce_sum": _reduce("pd_op.sum"),
    "reduce_mean": _reduce("pd_op.mean"),
    "reduce_max": _reduce("pd_op.max"),
    "reduce_min": _reduce("pd_op.min"),
    "reduce_prod": _reduce("pd_op.prod"),
    "reduce_all": _reduce_bool("pd_op.all"),
    "reduce_any": _reduce_bool("pd_op.any"),
    "reduce_amax": _reduce_bool("pd_op.amax"),
    "reduce_amin": _reduce_bool("pd_op.amin"),
    "scale": _scale,
    "assign_value": _assign_value,
    "slice": _slice,
    "pool2d": _pool2d,
    "pad3d": _pad3d,
    **{
        f"{m}_interp_v2": _interp for m in ("nearest", "bilinear", "bicubic", "linear", "trilinear")
    },
    "concat": _concat,
    "split": _split,
    "stack": _stack,
    "shape": _shape,
    "cast": _cast_op,
    "batch_norm": _batch_norm,
    "dropout": _dropout,
    "rnn": _rnn,
    "lookup_table_v2": _embedding,
    "one_hot_v2": _one_hot,
    "sequence_mask": _sequence_mask,
    "conv2d_transpose": _conv_transpose,
    "depthwise_conv2d_transpose": _conv_transpose,
    "conv3d_transpose": _conv_transpose,
    "set_value": _set_value,
}
for _t in _ELEMENTWISE:
    RULES[_t] = _elementwise
PIR_ATTRS["pd_op.tile"] = ()


def lower_program(
    program: Program,
    lookup: Callable[[str], LoweringSignature | None],
    *,
    param_info: dict[str, dict] | None = None,
    name: str = "<program>",
) -> PirModule:
    """The PIR module equivalent to legacy ``program`` (see NOTE [PIR lowering]).

    ``lookup(type)`` returns the registry declaration of a legacy op type (``ops.lookup``);
    ``param_info`` (``.pdiparams.info``-shaped: ``stop_gradient``/``trainable`` per name) sets the
    ``p`` ops' flags, else the variables' own ``stop_gradient`` does. Unsupported constructs raise
    ``LowerError`` naming ``name`` and the op.
    """
    program.verify()
    return Lowerer(program, lookup, name, dict(param_info or {})).lower()
