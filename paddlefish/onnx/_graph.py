"""The ONNX graph under construction: nodes, initializers and the program's variable table.

``GraphBuilder`` is what every op rule (``_rules.py``) talks to: it names new values, emits nodes,
makes constants, and answers questions about the source program's variables (dtype, shape).
"""

from __future__ import annotations

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from .. import ir
from .._core.dtypes import to_numpy
from ..errors import ConversionError

__all__ = ["GraphBuilder", "onnx_dtype"]


def onnx_dtype(np_dtype) -> int:
    """numpy dtype -> ``TensorProto`` element type."""
    return helper.np_dtype_to_tensor_dtype(np.dtype(np_dtype))


class GraphBuilder:
    """Collects nodes for one ``ir.Block``; ``opset`` selects attribute-vs-input forms."""

    def __init__(self, block: ir.Block, opset: int):
        self.block = block
        self.opset = opset
        self.nodes: list = []
        self.initializers: dict[str, TensorProto] = {}
        self._n = 0
        self._op = None  # the OpDesc being converted, for error messages

    # ---- the source program --------------------------------------------------------------
    def var(self, name: str) -> ir.VarDesc:
        v = self.block.find_var(name)
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
        self._n += 1
        return f"_onnx_{hint}_{self._n}"

    def node(
        self, op_type: str, inputs: list[str], outputs: list[str] | int = 1, **attrs
    ) -> list[str]:
        """Append a node; ``outputs`` is a list of names or how many fresh names to make.
        Returns the output names."""
        if isinstance(outputs, int):
            outputs = [self.fresh(op_type.lower()) for _ in range(outputs)]
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
