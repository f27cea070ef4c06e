"""Record a ``Layer``'s forward into an ``ir.Program`` + parameter arrays for ONNX export.

This is the static recorder (``static.recorder``) driven as ``jit.save`` drives it: the forward,
converted by dy2static (``static.dy2static``: tensor-dependent ``if``/``while``/``for ... in
range(tensor)`` become ``conditional_block``/``while`` ops with sub-blocks, which the exporter
writes as ONNX ``If``/``Loop``, NOTE [onnx control flow]), runs with feed ``Variable``s in
recording mode and every op call becomes an ``OpDesc``. A forward marked ``@to_static`` is
recorded from its original function, and its own ``input_spec`` is used when ``export`` is given
none (as Paddle's ``paddle.onnx.export``).
"""

from __future__ import annotations

import inspect

import numpy as np

from .. import ir
from .._core.dtypes import convert_dtype
from ..eager._dtype import torch_to_numpy
from ..eager.dispatch import recording
from ..eager.tensor import Tensor
from ..errors import ConversionError
from ..nn.layer.layers import Layer
from ..static.dy2static import convert_function
from ..static.recorder import Recorder, flatten_outputs
from ..static.variable import Variable

__all__ = ["record_layer"]


def _arg_names(fn) -> list[str]:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def _specs(fn, input_spec) -> list[ir.InputSpec]:
    if not isinstance(input_spec, (list, tuple)) or not input_spec:
        raise ValueError(
            "paddle.onnx.export needs input_spec: a list with one "
            "paddle.static.InputSpec (or example Tensor) per forward argument, e.g. "
            "input_spec=[InputSpec([None, 784], 'float32', 'x')]"
        )
    names = _arg_names(fn)
    out = []
    for i, s in enumerate(input_spec):
        if isinstance(s, Tensor):
            s = ir.InputSpec.from_tensor(s)
        if not isinstance(s, ir.InputSpec):
            raise TypeError(
                f"input_spec[{i}] is a {type(s).__name__}; paddle.onnx.export takes "
                "a flat list of InputSpec or Tensor, one per forward argument"
            )
        name = s.name or (names[i] if i < len(names) else f"feed_{i}")
        out.append(ir.InputSpec(list(s.shape), s.dtype, name))
    if len({s.name for s in out}) != len(out):
        raise ValueError(
            f"two inputs share a name in {[s.name for s in out]}; give each "
            "InputSpec a distinct name"
        )
    return out


def _select(fetch: list[str], output_spec) -> list[str]:
    if output_spec is None:
        return fetch
    chosen = []
    for o in output_spec:
        if isinstance(o, int) and not isinstance(o, bool):
            chosen.append(fetch[o])
        else:
            name = getattr(o, "name", o)
            if name not in fetch:
                raise ValueError(
                    f"output_spec names {name!r}, which is not an output of "
                    f"forward (outputs: {fetch})"
                )
            chosen.append(name)
    return chosen


def _forward(layer: Layer, input_spec):
    """The function to record and the input specs: a ``@to_static`` forward (a jit
    ``StaticFunction``, known here by its ``_paddlefish_static`` attribute) is recorded from
    its original function, with its own ``input_spec`` when ``export`` was given none."""
    fn = layer.forward
    static = getattr(fn, "_paddlefish_static", None)
    if static is None:
        return fn, input_spec
    if input_spec is None and static.input_spec is not None:
        input_spec = list(static.input_spec)
    return static.function, input_spec


def record_layer(layer: Layer, input_spec, output_spec=None):
    """(program, params, feed names, fetch names) of ``layer``'s forward in eval mode (called
    directly, as ``jit.save`` does: forward hooks do not run)."""
    if not isinstance(layer, Layer):
        raise TypeError(f"paddle.onnx.export takes a paddle.nn.Layer, got {type(layer).__name__}")
    fn, input_spec = _forward(layer, input_spec)
    specs = _specs(fn, input_spec)
    rec = Recorder()
    args = [rec.input_variable(s.name, list(s.shape), convert_dtype(s.dtype)) for s in specs]
    try:
        run = convert_function(fn)
    except ConversionError:
        # no source to rewrite (a class from exec or an interactive session): record plain
        # Python, which is exact without tensor control flow and refuses it (a Variable has
        # no truth value) with it
        run = fn
    modes = [(sub, sub.training) for sub in layer.sublayers(include_self=True)]
    layer.eval()
    try:
        with recording(rec):
            out = run(*args)
    except RuntimeError as e:
        if "meta tensors" not in str(e):
            raise
        # int()/range()/.item() of a recorded Variable outside a converted if/while/for
        raise ConversionError(
            f"forward reads a tensor computed from the inputs as a Python number (int(), "
            f"range(tensor), .item(): {e}); a recorded tensor has no value. Only forward's own "
            "if/while/for-range statements are converted: move the loop into forward, or use "
            "paddle ops (paddle.arange, paddle.where) instead of Python numbers"
        ) from None
    finally:
        for sub, mode in modes:
            sub.__dict__["training"] = mode
    fetch = []
    for i, o in enumerate(flatten_outputs(out, allow_none=False)):
        if not isinstance(o, Variable):
            raise ConversionError(
                f"output {i} of forward does not depend on the inputs; ONNX "
                "export needs every output computed from the inputs"
            )
        fetch.append(o.name)
    params = {k: np.asarray(torch_to_numpy(t._t)) for k, t in rec.captured.items()}
    return rec.program, params, [s.name for s in specs], _select(fetch, output_spec)
