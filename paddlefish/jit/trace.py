"""Trace a Layer's forward into an inference ``ir.Program`` (used by ``jit.save``)."""

from __future__ import annotations

import dataclasses
import inspect

from .. import ir
from .._core.dtypes import convert_dtype
from ..eager.dispatch import recording
from ..eager.tensor import Parameter, Tensor
from ..errors import ConversionError
from ..formats.program_desc import paddle26_version_fields
from ..nn.layer.layers import Layer
from .dy2static import convert_function
from .recorder import COMMON_ATTRS, Recorder
from .variable import Variable

__all__ = ["TracedProgram", "input_names", "trace_layer"]


@dataclasses.dataclass
class TracedProgram:
    program: ir.Program
    captured: dict[str, Tensor]  # persistable name -> concrete tensor
    feed_names: list[str]
    fetch_names: list[str]


def input_names(fn, specs) -> list[str]:
    """``InputSpec.name`` where given, else the forward argument's name (FORMATS.md 4.5)."""
    params = [p for p in inspect.signature(fn).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    names = []
    for i, spec in enumerate(specs):
        given = getattr(spec, "name", None)
        if given:
            names.append(given)
        elif i < len(params):
            names.append(params[i].name)
        else:
            names.append(f"input_{i}")
    return names


def _as_spec(x):
    if isinstance(x, ir.InputSpec):
        return x
    if isinstance(x, Tensor):
        return ir.InputSpec(x.shape, x.dtype, None)
    return None  # a Python value: baked into the program as a constant


def _flatten_outputs(out) -> list:
    if isinstance(out, Tensor):
        return [out]
    if isinstance(out, (list, tuple)):
        return [t for o in out for t in _flatten_outputs(o)]
    if isinstance(out, dict):
        return [t for k in out for t in _flatten_outputs(out[k])]
    if out is None:
        return []
    raise ConversionError(f"forward returned a {type(out).__name__}; expected Tensors in a "
                          "tensor, list, tuple or dict")


def _run_forward(layer, fn, args):
    modes = [(sub, sub.training) for sub in layer.sublayers(include_self=True)] \
        if isinstance(layer, Layer) else []
    if isinstance(layer, Layer):
        layer.eval()  # the saved program is always the inference program (is_test=True)
    try:
        return fn(*args)
    finally:
        for sub, mode in modes:
            sub.__dict__["training"] = mode


def _select_outputs(fetch: list[str], output_spec) -> list[str]:
    """``output_spec``: output positions (ints, as PIR-era Paddle) or output variable names /
    objects with ``.name`` (legacy); the program keeps only those outputs, in that order."""
    if output_spec is None:
        return fetch
    chosen = []
    for o in output_spec:
        if isinstance(o, int) and not isinstance(o, bool):
            if not -len(fetch) <= o < len(fetch):
                raise ValueError(f"output_spec position {o} is out of range: forward has "
                                 f"{len(fetch)} outputs")
            chosen.append(fetch[o])
        else:
            name = getattr(o, "name", o)
            if name not in fetch:
                raise ValueError(f"output_spec names {name!r}, which is not an output of "
                                 f"forward (outputs: {fetch})")
            chosen.append(name)
    return chosen


def trace_layer(layer, fn, input_spec, output_spec=None) -> TracedProgram:
    """Record ``fn(*inputs)`` (``fn`` is ``layer.forward`` or a to_static function)."""
    rec = Recorder()
    specs = list(input_spec)
    names = input_names(fn, specs)
    args, feed_names = [], []
    for spec, name in zip(specs, names):
        s = _as_spec(spec)
        if s is None:
            args.append(spec)
            continue
        if s.dtype is None:
            raise ConversionError(f"InputSpec {s} has no dtype")
        args.append(rec.input_variable(name, list(s.shape), convert_dtype(s.dtype)))
        feed_names.append(name)
    with recording(rec):
        out = _run_forward(layer, convert_function(fn), args)
    outs = _flatten_outputs(out)
    fetch = []
    for i, o in enumerate(outs):
        if not isinstance(o, Variable):
            raise ConversionError(
                f"output {i} of forward does not depend on the inputs (it is a constant "
                f"tensor {o.name}); jit.save needs every output computed from the inputs"
            )
        fetch.append(o.name)
    fetch = _select_outputs(fetch, output_spec)
    program = rec.program
    _prune(program.global_block(), fetch, feed_names)
    _add_feed_fetch(program.global_block(), feed_names, fetch)
    program.version, program.op_version_map = paddle26_version_fields()
    captured = {k: v for k, v in rec.captured.items() if k in program.global_block().vars}
    program.verify()
    return TracedProgram(program, captured, feed_names, fetch)


def _prune(block: ir.Block, fetch: list[str], feeds: list[str]) -> None:
    """Drop ops whose results no fetch needs, then variables no op mentions."""
    needed = set(fetch)
    kept = []
    for op in reversed(block.ops):
        if any(n in needed for n in op.output_names()):
            kept.append(op)
            needed.update(op.input_names())
    block.ops[:] = list(reversed(kept))
    used = set(feeds) | {n for op in block.ops for n in op.input_names() + op.output_names()}
    block.vars = {k: v for k, v in sorted(block.vars.items()) if k in used}


def _common():
    return {k: (list(v) if isinstance(v, list) else v) for k, (v, _) in COMMON_ATTRS.items()}


def _common_types():
    return {k: t for k, (_, t) in COMMON_ATTRS.items()}


def _add_feed_fetch(block: ir.Block, feeds: list[str], fetch: list[str]) -> None:
    types = dict(_common_types(), col=ir.AttrType.INT, with_quant_attr=ir.AttrType.BOOLEAN)
    for i, name in enumerate(feeds):
        attrs = dict(sorted(dict(_common(), col=i, with_quant_attr=False).items()))
        block.prepend_op("feed", {"X": ["feed"]}, {"Out": [name]}, attrs, types)
    for i, name in enumerate(fetch):
        attrs = dict(sorted(dict(_common(), col=i, with_quant_attr=False).items()))
        block.append_op("fetch", {"X": [name]}, {"Out": ["fetch"]}, attrs, types)
    block.create_var("feed", type=ir.VarType.FEED_MINIBATCH, persistable=True)
    block.create_var("fetch", type=ir.VarType.FETCH_LIST, persistable=True)


def structured_names(layer) -> dict[str, str]:
    """unique tensor name -> structured state-dict key, for ``.pdiparams.info``."""
    if not isinstance(layer, Layer):
        return {}
    out = {}
    for key, t in layer.state_dict().items():
        out.setdefault(t.name, key)
    for key, t in layer.named_buffers():
        out.setdefault(t.name, key)
    return out


def var_info(traced: TracedProgram, layer) -> dict[str, dict]:
    """The ``.pdiparams.info`` content (FORMATS.md section 5)."""
    snames = structured_names(layer)
    info = {}
    for name in sorted(traced.captured):
        t = traced.captured[name]
        entry = {}
        if name in snames:
            entry["structured_name"] = snames[name]
        entry["stop_gradient"] = bool(t.stop_gradient)
        if isinstance(t, Parameter):
            entry["trainable"] = bool(t.trainable)
        info[name] = entry
    return info
