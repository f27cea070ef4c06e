"""Trace a Layer's forward into an inference ``ir.Program`` (used by ``jit.save``)."""

from __future__ import annotations

import copy
import dataclasses
import inspect
from collections.abc import Callable

from .. import ir
from .._core import nest
from .._core.dtypes import convert_dtype
from ..eager.dispatch import recording
from ..eager.tensor import Parameter, Tensor
from ..errors import ConversionError
from ..formats.program_desc import paddle26_version_fields
from ..nn.layer.layers import Layer
from ..static.dy2static import convert_function
from .api import is_ignored
from .recorder import COMMON_ATTRS, Recorder, flatten_outputs
from .variable import Variable

__all__ = [
    "TracedProgram",
    "input_names",
    "named_specs",
    "structured_names",
    "trace_layer",
    "var_info",
]


@dataclasses.dataclass
class TracedProgram:
    program: ir.Program
    captured: dict[str, Tensor]  # persistable name -> concrete tensor
    feed_names: list[str]
    fetch_names: list[str]


def _arg_names(fn) -> list[str]:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def _name_spec(name: str, spec):
    """Paddle's ``_replace_spec_name``: an unnamed ``InputSpec`` takes the argument's name; the
    items of a list argument ``xs`` are ``xs_0``, ``xs_1``; a dict's items take their keys.
    Returns copies (the caller's specs are not changed)."""
    if isinstance(spec, Tensor):
        return ir.InputSpec(spec.shape, spec.dtype, name)
    if isinstance(spec, ir.InputSpec):
        out = copy.copy(spec)
        out.name = spec.name or name
        return out
    if isinstance(spec, (list, tuple)) and not hasattr(spec, "_fields"):
        return type(spec)(_name_spec(f"{name}_{i}", s) for i, s in enumerate(spec))
    if isinstance(spec, dict):
        return {k: _name_spec(k, v) for k, v in spec.items()}
    return spec


def named_specs(fn, specs) -> list:
    """``specs`` with every ``InputSpec`` named (FORMATS.md 4.5; Paddle's
    ``replace_spec_empty_name``); a spec beyond ``fn``'s named parameters that has no name is
    called ``feed_{i}`` by its flat position, as Paddle."""
    names = _arg_names(fn)
    out = [_name_spec(n, s) for n, s in zip(names, specs)] + list(specs[len(names):])
    flat = nest.flatten(out)
    for i, leaf in enumerate(flat):
        if isinstance(leaf, Tensor):
            flat[i] = ir.InputSpec(leaf.shape, leaf.dtype, f"feed_{i}")
        elif isinstance(leaf, ir.InputSpec) and not leaf.name:
            flat[i] = copy.copy(leaf)
            flat[i].name = f"feed_{i}"
    return nest.pack_sequence_as(out, flat)


def input_names(fn, specs) -> list[str]:
    """The feed names ``specs`` give in flat order (``InputSpec.name`` where given, else from the
    forward argument's name, FORMATS.md 4.5)."""
    return [s.name for s in nest.flatten(named_specs(fn, list(specs)))
            if isinstance(s, ir.InputSpec)]


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


def _make_inputs(rec: Recorder, specs: list) -> tuple[list, list[str]]:
    """Nested forward arguments with a feed ``Variable`` for each ``InputSpec`` leaf."""
    flat, feeds = [], []
    for leaf in nest.flatten(specs):
        if isinstance(leaf, ir.InputSpec):
            if leaf.dtype is None:
                raise ConversionError(f"InputSpec {leaf} has no dtype")
            if leaf.name in feeds:
                raise ValueError(f"two inputs are both named {leaf.name!r}; give each "
                                 "InputSpec a distinct name")
            feeds.append(leaf.name)
            leaf = rec.input_variable(leaf.name, list(leaf.shape), convert_dtype(leaf.dtype))
        flat.append(leaf)  # a Python value: baked into the program as a constant
    return nest.pack_sequence_as(specs, flat), feeds


def trace_layer(layer, fn, input_spec, output_spec=None,
                select_feeds: Callable[[list[str]], list[str]] | None = None) -> TracedProgram:
    """Record ``fn(*inputs)`` (``fn`` is ``layer.forward`` or a to_static function).

    ``input_spec`` has one entry per argument (an ``InputSpec``, a Tensor, a nested list/tuple/
    dict of them, or a Python value); ``select_feeds(feed_names)`` may keep a subset of the
    inputs (jit.save's input pruning)."""
    rec = Recorder()
    specs = named_specs(fn, list(input_spec))
    args, feed_names = _make_inputs(rec, specs)
    run = fn if is_ignored(fn) else convert_function(fn)
    with recording(rec):
        out = _run_forward(layer, run, args)
    outs = flatten_outputs(out)
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
    kept = select_feeds(feed_names) if select_feeds is not None else feed_names
    _prune(program.global_block(), fetch, kept)
    _check_pruned_feeds(program.global_block(), set(feed_names) - set(kept), fetch)
    _add_feed_fetch(program.global_block(), kept, fetch)
    program.version, program.op_version_map = paddle26_version_fields()
    captured = {k: v for k, v in rec.captured.items() if k in program.global_block().vars}
    program.verify()
    return TracedProgram(program, captured, kept, fetch)


def _check_pruned_feeds(block: ir.Block, pruned: set, fetch: list[str]) -> None:
    for op in block.ops:
        used = pruned.intersection(op.input_names())
        if used:
            raise ValueError(
                f"input {sorted(used)[0]!r} is left out by jit.save's input_spec, but the saved "
                f"outputs {fetch} still need it (op {op.type!r} reads it); pass an input_spec "
                "that includes it, or keep only the outputs that do not depend on it with "
                "output_spec=[...]"
            )


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
    """unique tensor name -> structured state-dict key, for ``.pdiparams.info``.

    NOTE [tensor attributes]: a plain tensor held as a layer attribute (``self.scale =
    paddle.to_tensor(...)``) is, in Paddle, a non-persistable buffer that ``to_static_state_dict``
    still lists, so its ``.pdiparams.info`` entry carries ``structured_name`` (``"scale"``, or
    ``"sub.scale"`` in a sublayer) and ``paddle.load(prefix)`` returns it under that key."""
    if not isinstance(layer, Layer):
        return {}
    out = {}
    for key, t in layer.state_dict().items():
        out.setdefault(t.name, key)
    for key, t in layer.named_buffers():
        out.setdefault(t.name, key)
    for prefix, sub in layer.named_sublayers(include_self=True):
        for attr, value in vars(sub).items():
            if isinstance(value, Tensor) and not isinstance(value, Parameter) and value.name:
                out.setdefault(value.name, f"{prefix}.{attr}" if prefix else attr)
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
