"""``ir.Program`` + parameter arrays -> ``onnx.ModelProto``, op by op through ``_rules.RULES``.

NOTE [onnx dynamic dims]: a ``-1`` dimension of a feed or fetch variable becomes a symbolic ONNX
dimension named ``{variable}_d{axis}`` (``x_d0`` for a dynamic batch), so onnxruntime accepts any
size there; fixed dimensions stay fixed. Shapes inside the graph are never frozen: rules build
shape tensors with ``Shape``/``Slice``/``Concat`` where Paddle read them at run time.
"""

from __future__ import annotations

import numpy as np
from onnx import ModelProto, helper, numpy_helper

from .. import ir
from .._core.dtypes import to_numpy
from ..errors import ConversionError
from . import (  # noqa: F401  (they add to RULES)
    _rules_control,
    _rules_index,
    _rules_math,
    _rules_nn,
    _rules_rnn,
)
from ._graph import GraphBuilder, onnx_dtype
from ._rules import RULES

__all__ = ["MAX_OPSET", "MIN_OPSET", "export_program", "supported_ops"]

MIN_OPSET, MAX_OPSET = 11, 17


def supported_ops() -> list[str]:
    """The Paddle op types the exporter converts."""
    return sorted(RULES)


def _feeds_fetches(block: ir.Block) -> tuple[list[str], list[str]]:
    feeds, fetches = {}, {}
    for op in block.ops:
        if op.type == "feed":
            feeds[op.attrs.get("col", len(feeds))] = op.output("Out")[0]
        elif op.type == "fetch":
            fetches[op.attrs.get("col", len(fetches))] = op.input("X")[0]
    return [feeds[k] for k in sorted(feeds)], [fetches[k] for k in sorted(fetches)]


def _value_info(g: GraphBuilder, var: str, name: str):
    dims = [f"{var}_d{i}" if d < 0 else int(d) for i, d in enumerate(g.shape(var))]
    return helper.make_tensor_value_info(name, onnx_dtype(g.np_dtype(var)), dims)


def _check_opset(opset_version: int) -> int:
    if not isinstance(opset_version, int) or not MIN_OPSET <= opset_version <= MAX_OPSET:
        raise ValueError(
            f"opset_version must be an int in [{MIN_OPSET}, {MAX_OPSET}], got {opset_version!r}"
        )
    return opset_version


def _initializers(g: GraphBuilder, params: dict, used: set) -> None:
    for name in sorted(used):
        var = g.block.find_var(name)
        if var is None or not var.persistable:
            continue
        if name not in params:
            raise ConversionError(
                f"ONNX export: persistable variable {name!r} is used by the "
                "program but has no value in the parameters given"
            )
        arr = np.asarray(params[name])
        if var.dtype is not None:
            arr = arr.astype(to_numpy(var.dtype), copy=False)
        g.initializers[name] = numpy_helper.from_array(arr, name)


def export_program(
    program: ir.Program,
    params: dict,
    *,
    opset_version: int = 11,
    feed_names: list[str] | None = None,
    fetch_names: list[str] | None = None,
    graph_name: str = "paddlefish",
) -> ModelProto:
    """Convert an inference program and its persistable arrays (``{name: ndarray}``) to ONNX.

    Feeds and fetches come from the program's ``feed``/``fetch`` ops unless given. Raises
    ``ConversionError`` naming any op without a rule.

    >>> import numpy as np
    >>> from paddlefish import ir
    >>> p = ir.Program()
    >>> b = p.global_block()
    >>> _ = b.create_var("x", dtype="float32", shape=[-1, 3])
    >>> _ = b.create_var("y", dtype="float32", shape=[-1, 3])
    >>> _ = b.append_op("relu", {"X": ["x"]}, {"Out": ["y"]}, {}, {})
    >>> m = export_program(p, {}, feed_names=["x"], fetch_names=["y"])
    >>> [n.op_type for n in m.graph.node]
    ['Relu']
    """
    opset = _check_opset(opset_version)
    block = program.global_block()
    feeds, fetches = _feeds_fetches(block)
    feeds = list(feed_names) if feed_names is not None else feeds
    fetches = list(fetch_names) if fetch_names is not None else fetches
    if not fetches:
        raise ConversionError(
            "ONNX export: the program has no fetch targets (no fetch ops and no fetch_names given)"
        )
    g = GraphBuilder(block, opset, rules=RULES, params=params)
    for n in feeds:
        g.defined.add(n)
        g.env[n] = n
    g.defined.update(n for n, v in block.vars.items() if v.persistable)
    g.convert(block.ops)
    inputs = [_value_info(g, n, n) for n in feeds]
    outputs = []
    taken = set(feeds)
    for i, name in enumerate(fetches):
        value = g.value(name)
        if value not in g.defined:
            raise ConversionError(
                f"ONNX export: fetch target {name!r} is not computed by the exported graph "
                "(no op writes it, or its op's rule does not produce that output)"
            )
        out = value
        if value in taken or value != name:
            # a fetch that is a feed, fetched twice, or written twice (NOTE [onnx names]):
            # ONNX output names must differ
            out = name if name not in g.defined else f"{name}_fetch{i}"
            g.one("Identity", [value], out)
        taken.add(out)
        outputs.append(_value_info(g, name, out))
    _initializers(g, params, g.used)
    graph = helper.make_graph(
        g.nodes, graph_name, inputs, outputs, initializer=list(g.initializers.values())
    )
    model = helper.make_model(
        graph, producer_name="paddlefish", opset_imports=[helper.make_opsetid("", opset)]
    )
    model.ir_version = min(model.ir_version, 8)  # readable by onnxruntime >= 1.14
    return model
