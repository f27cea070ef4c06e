"""``paddle.jit.load``: read a saved inference model into a ``TranslatedLayer``."""

from __future__ import annotations

import os
import re

from .. import formats, ir
from .._core import unique_name
from ..eager._dtype import numpy_to_torch
from ..eager.tensor import Parameter, wrap
from .translated_layer import TranslatedLayer

__all__ = ["load", "resolve_model_files"]


def resolve_model_files(path: str, model_filename=None, params_filename=None):
    """(model file, params file or None, info file or None, per-variable dir or None)."""
    path = os.fspath(path)
    if os.path.isfile(path + ".pdmodel"):
        if os.path.isdir(path):
            raise ValueError(f"{path!r} is both a model prefix ({path}.pdmodel exists) and a "
                             "directory; rename one of them")
        params = path + ".pdiparams"
        info = path + ".pdiparams.info"
        return path + ".pdmodel", params if os.path.exists(params) else None, \
            info if os.path.exists(info) else None, None
    if os.path.isdir(path):
        model = os.path.join(path, model_filename or "__model__")
        if model_filename is None and not os.path.exists(model):
            cands = sorted(f for f in os.listdir(path) if f.endswith(".pdmodel"))
            if len(cands) == 1:
                model = os.path.join(path, cands[0])
        if not os.path.exists(model) and os.path.exists(model + ".pdmodel"):
            model += ".pdmodel"
        if not os.path.exists(model):
            raise ValueError(f"no model file in directory {path!r}: expected {model!r} "
                             "(pass model_filename=... for another name)")
        params = None
        if params_filename is not None:
            params = os.path.join(path, params_filename)
            if not os.path.exists(params) and os.path.exists(params + ".pdiparams"):
                params += ".pdiparams"
        info = (params + ".info") if params else os.path.join(path, "__model__.pdiparams.info")
        if not os.path.exists(info):
            alt = path.rstrip("/") + ".pdiparams.info"
            info = alt if os.path.exists(alt) else None
        return model, params, info, (None if params else path)
    raise ValueError(
        f"cannot load {path!r}: neither {path + '.pdmodel'!r} (a jit.save prefix) nor a "
        "directory with a __model__ file exists"
    )


def _strip_counter(name: str) -> str:
    return re.sub(r"_\d+$", "", name)


def read_persistables(program: ir.Program, params_file, vars_dir) -> dict:
    names = formats.persistable_names(program)
    if params_file is not None:
        return formats.load_pdiparams(params_file, names)
    if vars_dir is not None:
        return formats.load_vars_dir(vars_dir, names)
    if names:
        raise ValueError(f"the program has {len(names)} persistable variables but no params "
                         "file was found")
    return {}


def _written_by_ops(program: ir.Program) -> set:
    return {n for b in program.blocks for op in b.ops for n in op.output_names()}


def _make_tensors(program, arrays: dict, info: dict | None) -> tuple[dict, dict]:
    written = _written_by_ops(program)
    tensors, structured = {}, {}
    block = program.global_block()
    for name in sorted(arrays):
        var = block.find_var(name)
        t = numpy_to_torch(arrays[name], var.dtype if var is not None else None)
        meta = (info or {}).get(name)
        new_name = unique_name.generate(_strip_counter(name))
        if meta is not None:
            is_param = "trainable" in meta
            trainable = bool(meta.get("trainable", False))
            stop_gradient = bool(meta.get("stop_gradient", not trainable))
            if "structured_name" in meta:
                structured[name] = meta["structured_name"]
        else:
            is_param = name not in written
            trainable, stop_gradient = is_param, not is_param
        if is_param and (t.is_floating_point() or t.is_complex()):
            p = Parameter(t, name=new_name, trainable=trainable)
            p.stop_gradient = stop_gradient
            tensors[name] = p
        else:
            b = wrap(t)
            b.name = new_name
            b.persistable = True
            tensors[name] = b
    return tensors, structured


def load(path: str, **configs) -> TranslatedLayer:
    """Load a model saved by ``jit.save`` / ``save_inference_model`` (paddlefish or real Paddle).

    >>> import os, tempfile, paddlefish as paddle
    >>> p = os.path.join(tempfile.mkdtemp(), "lin")
    >>> lin = paddle.nn.Linear(4, 3)
    >>> paddle.jit.save(lin, p, input_spec=[paddle.static.InputSpec([None, 4], "float32")])
    >>> loaded = paddle.jit.load(p)
    >>> x = paddle.ones([2, 4])
    >>> bool((loaded(x) - lin(x)).abs().max() < 1e-6)
    True
    """
    valid = {"model_filename", "params_filename"}
    unknown = sorted(set(configs) - valid)
    if unknown:
        raise ValueError(f"jit.load got unknown config(s) {unknown}; valid: {sorted(valid)}")
    model, params, info_path, vars_dir = resolve_model_files(
        path, configs.get("model_filename"), configs.get("params_filename"))
    program = formats.load_program_desc(model)
    arrays = read_persistables(program, params, vars_dir)
    info = formats.load_pdiparams_info(info_path) if info_path else None
    tensors, structured = _make_tensors(program, arrays, info)
    return TranslatedLayer(program, tensors, structured)


