"""The ONNX graph under construction: nodes, initializers and the program's variable table.

``GraphBuilder`` is what every op rule (``_rules.py``) talks to: it names new values, emits nodes,
makes constants, and answers questions about the source program's variables (dtype, shape).

NOTE [onnx names]: ONNX wants every value named once in the whole model, subgraphs included,
while a Paddle program may write a variable again (a loop body re-assigns the loop's variables,
an if-branch assigns the variable its ``conditional_block`` outputs). ``convert`` hands each rule
a copy of the op whose inputs are the variables' current ONNX names (``env``) and whose outputs
are the Paddle names the first time and fresh ``_onnx_*`` names after (``rename``; ``alias``
maps them back so ``var``/``shape``/``np_dtype`` still describe the Paddle variable). A
sub-block's builder (``sub``) starts from its parent's ``env`` and shares the rest.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from .. import ir, ops
from .._core.dtypes import to_numpy
from ..errors import ConversionError

__all__ = ["GraphBuilder", "onnx_dtype"]


def _safe(name: str) -> str:
    return re.sub(r"[^0-9A-Za-z_]", "_", name)[:40]


def onnx_dtype(np_dtype) -> int:
    """numpy dtype -> ``TensorProto`` element type."""
    return helper.np_dtype_to_tensor_dtype(np.dtype(np_dtype))


class GraphBuilder:
    """Collects nodes for one ``ir.Block``; ``opset`` selects attribute-vs-input forms."""

    def __init__(
        self,
        block: ir.Block,
        opset: int,
        *,
        parent: GraphBuilder | None = None,
        rules: dict | None = None,
        params: dict | None = None,
    ):
        self.block = block
        self.opset = opset
        self.nodes: list = []
        self._op = None  # the OpDesc being converted, for error messages
        if parent is None:
            self.initializers: dict[str, TensorProto] = {}
            self._count = [0]
            self.defined: set[str] = set()  # every ONNX name given a value, in any (sub)graph
            self.used: set[str] = set()  # every name a node reads, in any (sub)graph
            self.alias: dict[str, str] = {}  # renamed ONNX name -> its Paddle variable
            self.env: dict[str, str] = {}  # Paddle variable -> its current ONNX name
            self.rules = rules or {}
            self.params = params or {}
        else:  # a sub-block (If branch, Loop body): shares names, sees the parent's values
            self.initializers = parent.initializers
            self._count = parent._count
            self.defined, self.used, self.alias = parent.defined, parent.used, parent.alias
            self.env = dict(parent.env)
            self.rules, self.params = parent.rules, parent.params

    def sub(self, block: ir.Block) -> GraphBuilder:
        """A builder for a sub-block's ONNX subgraph (see NOTE [onnx names])."""
        return GraphBuilder(block, self.opset, parent=self)

    def value(self, var: str) -> str:
        """The ONNX name holding Paddle variable ``var`` here."""
        return self.env.get(var, var)

    def paddle_name(self, name: str) -> str:
        return self.alias.get(name, name)

    def convert(self, op_list: list) -> None:
        """Convert ``ops`` (of ``self.block``) in order; see NOTE [onnx names]."""
        missing = sorted(
            {
                op.type
                for op in op_list
                if op.type not in self.rules and op.type not in ("feed", "fetch")
            }
        )
        if missing:
            raise ConversionError(
                f"ONNX export: no conversion rule for op(s) {missing}; supported ops are "
                f"paddlefish.onnx.supported_ops() ({len(self.rules)} types). Add a rule in "
                "paddlefish/onnx/_rules.py or export a model without these ops."
            )
        for op in op_list:
            if op.type in ("feed", "fetch"):
                continue
            ins = {k: [self.value(n) for n in v] for k, v in op.inputs.items()}
            outs = {}
            for k, names in op.outputs.items():
                outs[k] = [self.rename(n) for n in names]
            mapped = dataclasses.replace(op, inputs=ins, outputs=outs)
            self._op = mapped
            self.rules[op.type](self, mapped, self._attrs(op))
            self._op = None
            for k, names in op.outputs.items():
                for n, m in zip(names, outs[k]):
                    self.env[n] = m

    def rename(self, var: str) -> str:
        """A name no (sub)graph has used for Paddle variable ``var`` (``var`` itself the first
        time), reserved at once so sub-blocks converted meanwhile cannot take it."""
        name = var
        if name in self.defined:
            name = self.fresh(_safe(var))
            self.alias[name] = var
        self.defined.add(name)
        return name

    @staticmethod
    def _attrs(op: ir.OpDesc) -> dict:
        """The op's attributes with the registry's declared defaults filled in."""
        opdef = ops.lookup(op.type)
        out = dict(opdef.attrs) if opdef is not None else {}
        out.update(op.attrs)
        return out

    # ---- the source program --------------------------------------------------------------
    def var(self, name: str) -> ir.VarDesc:
        v = self.block.find_var(self.paddle_name(name))
        if v is None:
            raise self.fail(f"variable {name!r} is not declared in the program")
        return v

    def np_dtype(self, name: str) -> np.dtype:
        v = self.var(name)
        if v.dtype is None:
            raise self.fail(f"variable {name!r} has no dtype")
        return np.dtype(to_numpy(v.dtype))

    def shape(self, name: str) -> list[int]:
        v = self.var(name)
        if v.shape is None:
            raise self.fail(f"variable {name!r} has no shape (its rank is needed)")
        return list(v.shape)

    def rank(self, name: str) -> int:
        return len(self.shape(name))

    def fail(self, msg: str) -> ConversionError:
        where = f" (op {ir.format_op(self._op)})" if self._op is not None else ""
        return ConversionError(f"ONNX export: {msg}{where}")

    # ---- building ---------------------------------------------------------------------------
    def fresh(self, hint: str) -> str:
        self._count[0] += 1
        name = f"_onnx_{hint}_{self._count[0]}"
        self.defined.add(name)
        return name

    def node(
        self, op_type: str, inputs: list[str], outputs: list[str] | int = 1, **attrs
    ) -> list[str]:
        """Append a node; ``outputs`` is a list of names or how many fresh names to make.
        Returns the output names."""
        if isinstance(outputs, int):
            outputs = [self.fresh(op_type.lower()) for _ in range(outputs)]
        self.used.update(n for n in inputs if n)
        self.defined.update(outputs)
        self.nodes.append(helper.make_node(op_type, inputs, outputs, **attrs))
        return outputs

    def one(self, op_type: str, inputs: list[str], out: str | None = None, **attrs) -> str:
        return self.node(op_type, inputs, [out] if out else 1, **attrs)[0]

    def const(self, value, dtype=None, hint: str = "const") -> str:
        arr = np.asarray(value, dtype=dtype)
        name = self.fresh(hint)
        self.initializers[name] = numpy_helper.from_array(arr, name)
        return name

    def ints(self, values) -> str:
        """An int64 1-D constant (shapes, axes, starts)."""
        return self.const(np.asarray(list(values), dtype=np.int64), hint="ints")

    def cast(self, name: str, np_dtype, out: str | None = None) -> str:
        return self.one("Cast", [name], out, to=onnx_dtype(np_dtype))

    def as_int64_1d(self, names: list[str]) -> str:
        """Tensors holding one integer each (a shape list) -> one int64 1-D tensor."""
        parts = [self.one("Reshape", [self.cast(n, np.int64), self.ints([-1])]) for n in names]
        return parts[0] if len(parts) == 1 else self.one("Concat", parts, axis=0)

    # ---- opset-dependent forms ---------------------------------------------------------------
    def unsqueeze(self, x: str, axes, out: str | None = None) -> str:
        if self.opset >= 13:
            return self.one("Unsqueeze", [x, self.ints(axes)], out)
        return self.one("Unsqueeze", [x], out, axes=list(axes))

    def squeeze(self, x: str, axes, out: str | None = None) -> str:
        if self.opset >= 13:
            ins = [x, self.ints(axes)] if axes else [x]
            return self.one("Squeeze", ins, out)
        return self.one("Squeeze", [x], out, **({"axes": list(axes)} if axes else {}))

    def reduce(self, kind: str, x: str, axes, keepdims: bool, out: str | None = None) -> str:
        """``kind`` is ``ReduceSum``/``ReduceMean``/...; ``axes`` None reduces everything."""
        as_input = self.opset >= (13 if kind == "ReduceSum" else 18)
        attrs = {"keepdims": int(keepdims)}
        if axes is None:
            return self.one(kind, [x], out, **attrs)
        if as_input:
            return self.one(kind, [x, self.ints(axes)], out, **attrs)
        return self.one(kind, [x], out, axes=list(axes), **attrs)

    def split(self, x: str, axis: int, sizes: list[int] | None, outs: list[str]) -> list[str]:
        if sizes is None:
            return self.node("Split", [x], outs, axis=axis)
        if self.opset >= 13:
            return self.node("Split", [x, self.ints(sizes)], outs, axis=axis)
        return self.node("Split", [x], outs, axis=axis, split=list(sizes))
