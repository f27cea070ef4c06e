"""``paddle.jit.save``: trace a Layer and write ``.pdmodel`` + ``.pdiparams`` + ``.pdiparams.info``
atomically together (DESIGN.md, "Writes are atomic").

NOTE [jit.save method files]: a Layer's ``@to_static`` methods other than ``forward`` are saved
too, each as ``path.METHOD.pdmodel`` + ``path.METHOD.pdiparams`` beside ``path.pdmodel``, with one
``path.pdiparams.info`` covering the variables of all of them (Paddle 3.x legacy mode; Paddle 2.6
builds these names by appending to a running prefix, so its ``forward`` lands in
``path.bar.pdmodel`` and a later method in ``path.bar.infer.pdmodel`` — a bug we do not copy;
2.6's ``jit.load`` reads our layout). ``jit.load(path)`` attaches each as a method. An explicit
``input_spec`` is refused then, as Paddle: it could only describe ``forward``.

NOTE [no params file]: a program without persistable variables gets no ``.pdiparams`` and no
``.pdiparams.info`` (Paddle writes neither; Paddle 2.6 refuses a 0-byte ``.pdiparams`` with "The
number of variables to be loaded is 0").

NOTE [jit.save dialect]: with ``FLAGS_enable_pir_api`` on (environment or ``paddle.set_flags``), as
Paddle 3.x does by default, each program is lowered to PIR (``ir.lower_program``, NOTE [PIR
lowering]) and written as ``PREFIX.json`` beside the same ``PREFIX.pdiparams``; no
``.pdiparams.info`` is written (Paddle 3.3's PIR ``jit.save`` writes none: the ``p`` ops carry
the flags). Off (paddlefish's default) gives the legacy ``.pdmodel`` every Paddle reads.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
import warnings

from .. import formats, ir, ops
from .._core import flags, fs, nest
from ..eager._dtype import torch_to_numpy
from ..eager.tensor import Parameter, Tensor
from ..errors import ConversionError
from ..nn.layer.layers import Layer
from .api import StaticFunction, to_static_enabled
from .trace import TracedProgram, trace_layer, var_info
from .translated_layer import INFER_MODEL_SUFFIX, INFER_PARAMS_INFO_SUFFIX, INFER_PARAMS_SUFFIX

PIR_MODEL_SUFFIX = ".json"

__all__ = ["SaveConfig", "save"]


@dataclasses.dataclass
class SaveConfig:
    """The ``**configs`` of ``jit.save``, checked at the boundary (STYLE.md rule 9)."""

    output_spec: list | None = None
    combine_params: bool = False
    clip_extra: bool = True
    separate_params: bool = False
    skip_prune_program: bool = False
    input_names_after_prune: list | None = None
    with_hook: bool = False
    skip_forward: bool = False

    @classmethod
    def from_kwargs(cls, configs: dict) -> SaveConfig:
        valid = [f.name for f in dataclasses.fields(cls)] + ["separate_parameters"]
        unknown = sorted(set(configs) - set(valid))
        if unknown:
            raise ValueError(
                f"jit.save got unknown config(s) {unknown}; valid configs are {sorted(valid)}"
            )
        configs = dict(configs)
        if "separate_parameters" in configs:
            configs["separate_params"] = configs.pop("separate_parameters")
        return cls(**configs)


@dataclasses.dataclass
class _Plan:
    """One program to save: ``method`` (``"forward"`` or a method name), the function to trace,
    the specs to trace it with, and the specs that select (prune) its inputs, if any."""

    method: str
    fn: object
    trace_specs: list
    prune_specs: list | None = None


_NAME_NONE = ("The {}'s name is None. When using jit.save, please set InputSpec's name in "
              "to_static(input_spec=[]) and jit.save(input_spec=[]) and make sure they are "
              "consistent.")
_NAME_MISSING = ("The tensor `{}` does not exists. Please make sure the name of InputSpec or "
                 "example Tensor in input_spec is the same as the name of InputSpec in "
                 "`to_static` decorated on the Layer.forward method.")


def _check_target(layer) -> None:
    if not to_static_enabled():
        raise RuntimeError("The paddle.jit.save doesn't work when setting "
                           "'paddle.jit.enable_to_static' to False.")
    if not (isinstance(layer, (Layer, StaticFunction)) or inspect.isfunction(layer)):
        raise TypeError("The input of paddle.jit.save should be 'Layer' or 'Function', but "
                        f"received input type is {type(layer)}.")


def _user_specs(input_spec) -> list | None:
    """jit.save's ``input_spec`` with Tensors turned into ``InputSpec``s (nesting kept)."""
    if input_spec is None:
        return None
    if not isinstance(input_spec, (list, tuple)):
        raise TypeError("The input input_spec should be 'list', but received input_spec's type "
                        f"is {type(input_spec)}.")
    return nest.map_structure(
        lambda s: ir.InputSpec.from_tensor(s) if isinstance(s, Tensor) else s, list(input_spec))


def _tensor_specs_compatible(a: ir.InputSpec, b: ir.InputSpec) -> bool:
    if len(a.shape) != len(b.shape):
        return False
    for x, y in zip(a.shape, b.shape):
        if x is not None and x >= 0 and y is not None and y >= 0 and x != y:
            return False
    return a.dtype == b.dtype


def _specs_compatible(src: list, desired: list) -> bool:
    """Paddle's ``input_specs_compatible`` over flattened specs: the same length with each pair
    compatible (sizes equal where both are fixed, same dtype; names may differ), or — jit.save
    giving fewer specs — every given spec equal (name included) to one of to_static's."""
    if len(src) != len(desired):
        return all(s in desired for s in src)
    for s, d in zip(src, desired):
        if isinstance(s, ir.InputSpec) or isinstance(d, ir.InputSpec):
            if not (isinstance(s, ir.InputSpec) and isinstance(d, ir.InputSpec)
                    and _tensor_specs_compatible(s, d)):
                return False
        elif s != d:
            return False
    return True


def _static_plan(method: str, static: StaticFunction, user: list | None) -> _Plan:
    """Which specs a ``@to_static`` function is traced with (Paddle's
    ``concrete_program_specify_input_spec``): its own ``input_spec`` wins (a compatible jit.save
    ``input_spec`` then only selects inputs); else jit.save's; else its last call's."""
    if static.input_spec is not None:
        if user is not None and not _specs_compatible(nest.flatten(user),
                                                      nest.flatten(list(static.input_spec))):
            raise ValueError(
                f"The `input_spec`: {user} used to construct concrete_program is conflict with "
                f"the `input_spec`: {static.input_spec} in `@paddle.jit.to_static`"
            )
        return _Plan(method, static.function, list(static.input_spec), user)
    if user is not None:
        return _Plan(method, static.function, user)
    if static.last_call_input_spec is not None:
        return _Plan(method, static.function, static.last_call_input_spec)
    raise ValueError(
        f"No valid transformed program for {static!r}.\n\t    Please specific `input_spec` in "
        "`@paddle.jit.to_static` or feed input tensor to call the decorated function at once.\n"
    )


def _static_methods(layer: Layer) -> dict[str, StaticFunction]:
    """The layer's ``@to_static`` functions by attribute name (``forward`` included when it is
    one), looked up without running properties."""
    out = {}
    for name in sorted(set(dir(layer))):
        raw = inspect.getattr_static(layer, name, None)
        if isinstance(raw, StaticFunction) and not raw.is_property:
            out[name] = getattr(layer, name)
    return out


def _plans(layer, user: list | None, cfg: SaveConfig) -> list[_Plan]:
    if not isinstance(layer, Layer):
        if isinstance(layer, StaticFunction):
            return [_static_plan("forward", layer, user)]
        if user is None:
            raise ValueError(_NEEDS_SPEC)
        return [_Plan("forward", layer, user)]
    statics = _static_methods(layer)
    extra = [n for n in statics if n != "forward"]
    if user is not None and extra:
        raise ValueError(
            "If there are static functions other than 'forward' that need to be saved, the "
            f"input 'input_spec' should be None, but received the type of 'input_spec' is "
            f"{type(user)}. (the static functions: {extra})"
        )
    plans = []
    if not cfg.skip_forward:
        if "forward" in statics:
            plans.append(_static_plan("forward", statics["forward"], user))
        elif user is None:
            raise ValueError(_NEEDS_SPEC)
        else:
            plans.append(_Plan("forward", layer.forward, user))
    plans += [_static_plan(n, statics[n], None) for n in extra]
    return plans


_NEEDS_SPEC = ("jit.save needs input_spec: pass input_spec=[paddle.static.InputSpec([None, ...], "
               "'float32', 'x')], decorate forward with @paddle.jit.to_static(input_spec=[...]), "
               "or call the @paddle.jit.to_static forward once before saving")


def _feed_selector(prune_specs, after_prune):
    """Paddle's ``_get_input_var_names``: as many specs as inputs keeps every input (a name that
    matches none only warns); fewer specs keep exactly the inputs they name."""
    if prune_specs is None:
        return None
    specs = [s for s in nest.flatten(prune_specs) if isinstance(s, ir.InputSpec)]
    if after_prune is not None:
        specs = [s for s in specs if s.name in after_prune]

    def select(feeds: list[str]) -> list[str]:
        if len(specs) == len(feeds):
            for s in specs:
                if s.name is None:
                    warnings.warn(_NAME_NONE.format(s), stacklevel=4)
                elif s.name not in feeds:
                    warnings.warn(_NAME_MISSING.format(s.name), stacklevel=4)
            return feeds
        for s in specs:
            if s.name is None:
                raise ValueError(_NAME_NONE.format(s))
            if s.name not in feeds:
                raise ValueError(_NAME_MISSING.format(s.name))
        return [s.name for s in specs]

    return select


def _trace(layer, plan: _Plan, cfg: SaveConfig) -> TracedProgram:
    traced = trace_layer(layer, plan.fn, plan.trace_specs, cfg.output_spec,
                         _feed_selector(plan.prune_specs, cfg.input_names_after_prune))
    if not traced.fetch_names:
        raise ConversionError(f"{plan.method} returned no tensor outputs; nothing to save")
    return traced


def _prefix_for(path: str, method: str) -> str:
    return path if method == "forward" else f"{path}.{method}"


def save(layer, path: str, input_spec=None, **configs) -> None:
    """Convert ``layer`` to a static program and save it for inference.

    >>> import os, tempfile, paddlefish as paddle
    >>> d = tempfile.mkdtemp()
    >>> paddle.jit.save(paddle.nn.Linear(4, 3), os.path.join(d, "lin"),
    ...                 input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
    >>> sorted(os.listdir(d))
    ['lin.pdiparams', 'lin.pdiparams.info', 'lin.pdmodel']
    """
    _check_target(layer)
    cfg = SaveConfig.from_kwargs(configs)
    path = os.fspath(path)
    if not os.path.basename(path):
        raise ValueError(f"jit.save path {path!r} ends with a separator: give a directory and a "
                         f"file prefix, such as {os.path.join(path, 'model')!r}")
    if os.path.isdir(path) and not cfg.separate_params:
        raise ValueError(f"jit.save path {path!r} is a directory; give a file prefix such as "
                         f"{os.path.join(path, 'model')!r}")
    plans = _plans(layer, _user_specs(input_spec), cfg)
    traced = {p.method: _trace(layer, p, cfg) for p in plans}
    info = {}
    for t in traced.values():
        info.update(var_info(t, layer))
    has_param = any(isinstance(v, Parameter) for t in traced.values()
                    for v in t.captured.values())
    write_info = bool(info) and (isinstance(layer, Layer) or has_param)
    if cfg.separate_params:
        if list(traced) != ["forward"]:
            raise ValueError("separate_params saves only forward; this layer also has "
                             f"@to_static methods {sorted(set(traced) - {'forward'})}")
        _save_separate(path, traced["forward"], info)
        return
    pir = _pir_mode()
    with fs.atomic_files() as stage:
        for method, t in traced.items():
            _write_program(stage, _prefix_for(path, method), t, not cfg.combine_params,
                           info if pir else None)
        if cfg.combine_params:
            _write_combined(stage, path, traced.values())
        if write_info and not pir:
            with stage.open(path + INFER_PARAMS_INFO_SUFFIX) as f:
                formats.write_pdiparams_info(info, f)


def _arrays(traced: TracedProgram) -> tuple[dict, dict]:
    arrays = {k: torch_to_numpy(t._t) for k, t in traced.captured.items()}
    return arrays, {k: t.dtype for k, t in traced.captured.items()}


def _pir_mode() -> bool:
    """See NOTE [jit.save dialect]."""
    return bool(flags.get("FLAGS_enable_pir_api"))


def _write_model(f, program, pir_info: dict | None, where: str) -> None:
    """The program as a ``.pdmodel``, or as PIR JSON when ``pir_info`` (the ``p`` flags) is given."""
    if pir_info is None:
        formats.write_program_desc(program, f)
    else:
        module = ir.lower_program(program, ops.lookup, param_info=pir_info, name=where)
        formats.write_pir_json(module, f)


def _write_program(stage, prefix: str, traced: TracedProgram, with_params: bool,
                   pir_info: dict | None = None) -> None:
    suffix = INFER_MODEL_SUFFIX if pir_info is None else PIR_MODEL_SUFFIX
    with stage.open(prefix + suffix) as f:
        _write_model(f, traced.program, pir_info, prefix + suffix)
    arrays, dtypes = _arrays(traced)
    if with_params and arrays:  # see NOTE [no params file]
        with stage.open(prefix + INFER_PARAMS_SUFFIX) as f:
            formats.write_pdiparams(arrays, f, dtypes)


def _write_combined(stage, path: str, traced) -> None:
    """``combine_params``: one ``path.pdiparams`` with the variables of every saved program;
    ``path.meta`` holds exported properties: none (0 bytes), FORMATS.md section 9.1."""
    arrays, dtypes = {}, {}
    for t in traced:
        a, d = _arrays(t)
        arrays.update(a)
        dtypes.update(d)
    if arrays:
        with stage.open(path + INFER_PARAMS_SUFFIX) as f:
            formats.write_pdiparams(arrays, f, dtypes)
    with stage.open(path + ".meta"):
        pass


def _save_separate(path, traced, info) -> None:
    arrays, dtypes = _arrays(traced)
    pir = _pir_mode()
    model = os.path.join(path, "__model__" + (".json" if pir else ""))
    with fs.atomic_files() as stage:
        with stage.open(model) as f:
            _write_model(f, traced.program, info if pir else None, model)
        for name, arr in arrays.items():
            with stage.open(os.path.join(path, name)) as f:
                formats.write_lod_tensor(arr, f, dtype=dtypes[name])
        if info and not pir:
            with stage.open(path + INFER_PARAMS_INFO_SUFFIX) as f:
                formats.write_pdiparams_info(info, f)
