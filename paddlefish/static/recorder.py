"""Recording mode (dynamic -> static): op calls become ``OpDesc``s in an ``ir.Block``.

Installed through the eager dispatch hook (``eager.dispatch.recording``): ``jit`` records a
forward this way and static mode (``paddle.enable_static``) records layer calls into the current
``paddle.static.Program`` the same way. For each op call the
recorder names its inputs (a ``Variable``'s own name, or a captured concrete tensor — parameter,
buffer, constant — which becomes a persistable variable under its unique name), runs the op's
kernel on shape-only tensors to learn output dtypes and shapes (see NOTE [dynamic dims] in
variable.py), declares the outputs and appends the op with every declared attribute.

NOTE [recorded op layout]: Paddle writes an op's input and output slots sorted by slot name,
absent optional inputs as empty slots, attributes sorted by name, plus the common attributes that
survive ``clip_extra`` (``op_device``, ``op_namescope``, ``op_role``, ``op_role_var``). We never
write ``op_callstack``: it would leak the saving machine's paths (FORMATS.md section 10 item 8).
"""

from __future__ import annotations

import re

import torch

from .. import ir
from .._core.dtypes import DType
from ..eager._dtype import from_torch_dtype, to_torch_dtype
from ..eager.tensor import Tensor
from ..errors import ConversionError
from ..ops._registry import AttrType, OpDef
from ..ops._registry import get as get_opdef
from ..ops.data_dependent import SHAPE_FNS
from .variable import Variable, user_line

__all__ = ["COMMON_ATTRS", "Recorder"]

COMMON_ATTRS = {
    "op_device": ("", AttrType.STRING),
    "op_namescope": ("/", AttrType.STRING),
    "op_role": (0, AttrType.INT),
    "op_role_var": ([], AttrType.STRINGS),
}

# NOTE [op context]: ``static.name_scope`` / ``static.device_guard`` (_globals.py) set the current
# ``op_namescope`` / ``op_device`` here; every op recorded meanwhile carries them, as in Paddle.
OP_CONTEXT: dict[str, str] = {}

_VALUE_SLOT = re.compile(
    r"(Tensor|TensorList|_tensor)$"
    r"|^(Shape|Axis|K|RepeatTimes|Start|End|Step|Stop|Num|Min|Max|OutSize)$"
)


def flatten_outputs(out, allow_none: bool = True) -> list:
    """The Tensors of a recorded forward's result (a Tensor, or lists/tuples/dicts of them; None
    adds nothing when ``allow_none``), in Paddle's output order. Shared by jit.save and the ONNX
    exporter."""
    if isinstance(out, Tensor):
        return [out]
    if isinstance(out, (list, tuple)):
        return [t for o in out for t in flatten_outputs(o, allow_none)]
    if isinstance(out, dict):
        return [t for k in out for t in flatten_outputs(out[k], allow_none)]
    if out is None and allow_none:
        return []
    raise ConversionError(f"forward returned a {type(out).__name__}; expected Tensors in a "
                          "tensor, list, tuple or dict")


def _is_shape_like(t: torch.Tensor) -> bool:
    return not (t.is_floating_point() or t.is_complex()) and t.numel() <= 64


def _is_value_slot(slot: str) -> bool:
    return bool(_VALUE_SLOT.search(slot))


# stand-in sizes of a dynamic dimension in the two shape-only runs (NOTE [dynamic dims]);
# multiples of 32 so that strided pyramids (FPN: stride 16/32, upsample, add) stay consistent
DYN_A, DYN_B = 64, 128


def coerce_attr(value, atype: int):
    """Python value -> the type its ``AttrType`` field stores."""
    if atype in (AttrType.INT, AttrType.LONG):
        return int(value)
    if atype in (AttrType.FLOAT, AttrType.FLOAT64):
        return float(value)
    if atype == AttrType.BOOLEAN:
        return bool(value)
    if atype == AttrType.STRING:
        return str(value)
    if atype in (AttrType.INTS, AttrType.LONGS):
        return [int(v) for v in value]
    if atype in (AttrType.FLOATS, AttrType.FLOAT64S):
        return [float(v) for v in value]
    if atype == AttrType.STRINGS:
        return [str(v) for v in value]
    if atype == AttrType.BOOLEANS:
        return [bool(v) for v in value]
    return value


class Recorder:
    """Collects one block's ops; ``captured`` maps persistable names to their concrete Tensors."""

    def __init__(self, program: ir.Program | None = None):
        self.program = program or ir.Program()
        self.block = self.program.global_block()
        self.captured: dict[str, Tensor] = {}
        self._captured_ids: dict[int, str] = {}
        self._meta: dict[int, torch.Tensor] = {}
        self._captured_meta_ids: dict[int, str] = {}
        self._n = 0
        self._stack: list[ir.Block] = []

    # ---- sub-blocks (control flow, see static/dy2static) ------------------------------------
    def enter_block(self, block: ir.Block | None = None) -> ir.Block:
        """Record into ``block`` (a new sub-block of the current one when None) until
        ``exit_block``; captured persistables still go to the global block."""
        if block is None:
            block = self.program.create_block(self.block.idx)
        self._stack.append(self.block)
        self.block = block
        return block

    def exit_block(self) -> None:
        self.block = self._stack.pop()

    def checkpoint(self) -> tuple[int, int]:
        """A mark to ``rollback`` to: the number of blocks and of the current block's ops."""
        return self.program.num_blocks, len(self.block.ops)

    def rollback(self, mark: tuple[int, int]) -> None:
        """Forget the blocks created and the current block's ops appended since ``mark`` (a
        loop body recorded again with widened loop variables, see NOTE [loop shapes])."""
        n_blocks, n_ops = mark
        del self.program.blocks[n_blocks:]
        del self.block.ops[n_ops:]

    def new_name(self, prefix: str) -> str:
        name = f"{prefix}_{self._n}"
        self._n += 1
        return name

    def var_of(self, x) -> Variable:
        """``x`` as a Variable: a captured concrete Tensor is copied by an ``assign`` op."""
        if isinstance(x, Variable):
            return x
        return self(get_opdef("assign"), (x,), {})

    def assign_to(self, src, dst: Variable) -> None:
        """Append ``assign(X=src) -> Out=dst`` (writes an existing variable, e.g. a loop var)."""
        opdef = get_opdef("assign")
        src_name = src.name if isinstance(src, Variable) else self._capture(src)
        self._append(opdef, {"X": [src_name]}, {"Out": [dst.name]},
                     opdef.full_attrs({}))

    def append_raw(self, type_: str, ins: dict, outs: dict, attrs: dict, types: dict) -> None:
        """Append an op that is not an eager kernel call (conditional_block, while)."""
        for k, (v, t) in COMMON_ATTRS.items():
            attrs[k], types[k] = (list(v) if isinstance(v, list) else OP_CONTEXT.get(k, v)), t
        attrs = dict(sorted(attrs.items()))
        self.block.append_op(type_, dict(sorted(ins.items())), dict(sorted(outs.items())), attrs,
                             {k: types[k] for k in attrs})

    # ---- values ----------------------------------------------------------------------------
    def input_variable(self, name: str, shape, dtype: DType) -> Variable:
        td = to_torch_dtype(dtype)
        a = [DYN_A if d < 0 else d for d in shape]
        b = [DYN_B if d < 0 else d for d in shape]
        self.block.create_var(name, dtype=dtype, shape=list(shape))
        return Variable(name, torch.empty(a, dtype=td, device="meta"),
                        torch.empty(b, dtype=td, device="meta"))

    def _capture(self, t: Tensor) -> str:
        key = id(t)
        if key in self._captured_ids:
            return self._captured_ids[key]
        if t._t.is_meta:
            raise ConversionError(
                f"{user_line()}: a tensor computed from the inputs while converting forward is "
                "not a recorded Variable (some function computed it outside the op registry, "
                "e.g. indexing with a tensor index); it has no value to save. Use an "
                "equivalent op such as paddle.gather / paddle.slice, or index with Python ints."
            )
        name = t.name
        if name in self.captured and self.captured[name] is not t:
            base, i = name, 1
            while f"{base}_{i}" in self.captured:
                i += 1
            name = f"{base}_{i}"
        self.captured[name] = t
        self._captured_ids[key] = name
        self._captured_meta_ids[id(self._to_meta(t._t))] = name
        self.program.global_block().create_var(name, dtype=t.dtype, shape=list(t._t.shape),
                                               persistable=True)
        return name

    def _name_and_values(self, x):
        """(names, value in run A, value in run B) of one input; values may be real tensors
        (captured constants, shape arithmetic) or shape-only (meta) ones."""
        if x is None:
            return [], None, None
        if isinstance(x, Variable):
            return [x.name], x._t, x._t2
        if isinstance(x, Tensor):
            name = self._capture(x)
            return [name], x._t, x._t
        raise ConversionError(f"op input of type {type(x).__name__} is not a Tensor")

    def _to_meta(self, t: torch.Tensor) -> torch.Tensor:
        if t.is_meta:
            return t
        m = self._meta.get(id(t))
        if m is None or m.shape != t.shape:
            m = self._meta[id(t)] = torch.empty_like(t, device="meta")
        return m

    def _prepare(self, opdef, values):
        """NOTE [value slots]: when any data input is shape-only, every data input becomes
        shape-only too (torch cannot mix devices), but slots that carry *values* a kernel reads
        (``ShapeTensor``, ``AxisTensor``, ...) keep their real tensors: shape arithmetic on a
        dynamic batch (``paddle.shape(x)`` -> ``slice`` -> ``fill_constant``) then runs for real
        with the stand-in sizes, and dynamic dims are still detected by comparing the two runs."""
        flat = [v for slot, v in zip(opdef.inputs, values) if not _is_value_slot(slot.name)
                for v in (v if isinstance(v, list) else [v]) if v is not None]
        if not any(t.is_meta for t in flat):
            return values
        out = []
        for slot, v in zip(opdef.inputs, values):
            if v is None or _is_value_slot(slot.name):
                out.append(v)
            elif isinstance(v, list):
                out.append([self._to_meta(t) for t in v])
            else:
                out.append(self._to_meta(v))
        return out

    # ---- the hook --------------------------------------------------------------------------
    def __call__(self, opdef: OpDef, inputs: tuple, attrs: dict):
        ins, vals_a, vals_b = {}, [], []
        for slot, x in zip(opdef.inputs, inputs):
            if slot.duplicable and isinstance(x, (list, tuple)):
                parts = [self._name_and_values(v) for v in x]
                ins[slot.name] = [n for p in parts for n in p[0]]
                vals_a.append([p[1] for p in parts])
                vals_b.append([p[2] for p in parts])
            else:
                names, a, b = self._name_and_values(x)
                ins[slot.name] = names
                vals_a.append(a)
                vals_b.append(b)
        for slot in opdef.inputs[len(inputs):]:
            ins[slot.name] = []
            vals_a.append(None)
            vals_b.append(None)
        for name in opdef.quiet_inputs:
            if not ins.get(name):
                ins.pop(name, None)
        full = opdef.full_attrs(attrs)
        vals_a, vals_b = self._prepare(opdef, vals_a), self._prepare(opdef, vals_b)
        out_a = self._run_meta(opdef, vals_a, full, DYN_A)
        out_b = self._run_meta(opdef, vals_b, full, DYN_B)
        outs, result = self._declare_outputs(opdef, vals_a, out_a, out_b)
        self._append(opdef, ins, outs, full)
        return result

    def _run_meta(self, opdef, metas, attrs, dyn):
        # a kernel whose output size depends on values: NOTE [data-dependent shapes]
        shape_fn = SHAPE_FNS.get(opdef.type)
        flat = [t for v in metas for t in (v if isinstance(v, list) else [v]) if t is not None]
        if shape_fn is not None and any(t.is_meta for t in flat):
            out = shape_fn(dyn, *metas, **attrs)
            return out if isinstance(out, tuple) else (out,)
        try:
            with torch.no_grad():
                out = opdef.kernel(*metas, **attrs)
        except Exception as e:
            raise ConversionError(
                f"cannot convert op {opdef.type!r} with attributes {attrs} to a static program: "
                f"its kernel needs concrete values ({type(e).__name__}: {e}). Inputs that depend "
                "on the model's inputs have no value while converting; pass shapes/axes as "
                "Python ints."
            ) from e
        return out if isinstance(out, tuple) or len(opdef.outputs) > 1 else (out,)

    def _new_var(self, opdef, a: torch.Tensor, b: torch.Tensor) -> Variable:
        name = f"{opdef.type}_{self._n}.tmp_0"
        self._n += 1
        shape = [x if x == y else -1 for x, y in zip(a.shape, b.shape)]
        if not a.is_meta and not _is_shape_like(a):
            # a real value computed from constants only (fill_constant of data): keep shapes only;
            # small integer tensors stay real, see NOTE [value slots]
            a, b = torch.empty_like(a, device="meta"), torch.empty_like(b, device="meta")
        self.block.create_var(name, dtype=from_torch_dtype(a.dtype), shape=shape,
                              persistable=False, lod_level=0)
        return Variable(name, a, b)

    def _declare_outputs(self, opdef, metas_a, out_a, out_b):
        flat_in = {}
        for slot, m in zip(opdef.inputs, metas_a):
            for t in m if isinstance(m, list) else [m]:
                if t is not None:
                    flat_in[id(t)] = slot
        outs, result = {}, []
        for slot, a, b in zip(opdef.outputs, out_a, out_b):
            if a is None:
                result.append(None)
                continue
            if isinstance(a, (list, tuple)):
                vs = [self._new_var(opdef, x, y) for x, y in zip(a, b)]
                outs[slot.name] = [v.name for v in vs]
                result.append(vs)
                continue
            name = self._input_name_of(a) if id(a) in flat_in else None
            if name is not None:  # in place into a captured tensor (batch_norm MeanOut is Mean)
                outs[slot.name] = [name]
                result.append(None)
                continue
            v = self._new_var(opdef, a, b)
            outs[slot.name] = [v.name]
            result.append(v)
        return outs, (tuple(result) if len(opdef.outputs) > 1 else result[0])

    def _input_name_of(self, value: torch.Tensor) -> str | None:
        """The captured persistable whose (shape-only or real) tensor is ``value``; None for a
        Variable (a kernel that returns its input unchanged still gets a new output variable)."""
        for t_id, name in self._captured_meta_ids.items():
            if t_id == id(value):
                return name
        for name, t in self.captured.items():
            if t._t is value:
                return name
        return None

    def _append(self, opdef, ins, outs, full):
        attrs, types = {}, {}
        for k in sorted(full):
            types[k] = opdef.attr_types[k]
            attrs[k] = coerce_attr(full[k], types[k])
        for k, (v, t) in COMMON_ATTRS.items():
            attrs[k], types[k] = (list(v) if isinstance(v, list) else OP_CONTEXT.get(k, v)), t
        attrs = dict(sorted(attrs.items()))
        self.block.append_op(
            opdef.type,
            dict(sorted(ins.items())),
            dict(sorted(outs.items())),
            attrs,
            {k: types[k] for k in attrs},
        )
