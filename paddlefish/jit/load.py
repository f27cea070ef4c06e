"""``paddle.jit.load``: read a saved inference model into a ``TranslatedLayer``."""

from __future__ import annotations

import os
import re

import numpy as np

from .. import formats, ir
from .._core import unique_name
from ..eager._dtype import numpy_to_torch
from ..eager.tensor import Parameter, wrap
from ..errors import FormatError
from ..static._model_file import read_model_file, read_model_program
from .translated_layer import INFER_MODEL_SUFFIX, INFER_PARAMS_SUFFIX, TranslatedLayer

__all__ = ["PIR_MODEL_SUFFIX", "load", "method_files", "read_program", "resolve_model_files"]

PIR_MODEL_SUFFIX = ".json"
_METHOD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def resolve_model_files(path: str, model_filename=None, params_filename=None):
    """(model file, params file or None, info file or None, per-variable dir or None)."""
    path = os.fspath(path)
    if os.path.isfile(path + ".pdmodel"):
        if os.path.isdir(path):
            raise ValueError(
                f"{path!r} is both a model prefix ({path}.pdmodel exists) and a "
                "directory; rename one of them"
            )
        params = path + ".pdiparams"
        info = path + ".pdiparams.info"
        return (
            path + ".pdmodel",
            params if os.path.exists(params) else None,
            info if os.path.exists(info) else None,
            None,
        )
    if os.path.isfile(path + PIR_MODEL_SUFFIX) and not os.path.isdir(path):
        params = path + ".pdiparams"  # a Paddle 3.x PIR export: no .pdiparams.info
        return path + PIR_MODEL_SUFFIX, params if os.path.exists(params) else None, None, None
    if os.path.isdir(path):
        model = os.path.join(path, model_filename or "__model__")
        if model_filename is None and not os.path.exists(model):
            cands = sorted(f for f in os.listdir(path) if f.endswith(".pdmodel"))
            if len(cands) == 1:
                model = os.path.join(path, cands[0])
        if not os.path.exists(model) and os.path.exists(model + ".pdmodel"):
            model += ".pdmodel"
        if not os.path.exists(model):
            raise ValueError(
                f"no model file in directory {path!r}: expected {model!r} "
                "(pass model_filename=... for another name)"
            )
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
    raise ValueError(_missing_message(path))


def _missing_message(path: str) -> str:
    if path.endswith(INFER_MODEL_SUFFIX):
        prefix = path[: -len(INFER_MODEL_SUFFIX)]
        what = "is a model file" if os.path.isfile(path) else "does not exist"
        return (
            f"cannot load {path!r}: it {what}, and jit.load / paddle.load take the path "
            f"prefix without the {INFER_MODEL_SUFFIX!r} suffix; pass {prefix!r}"
        )
    return (
        f"cannot load {path!r}: neither {path + INFER_MODEL_SUFFIX!r} nor "
        f"{path + PIR_MODEL_SUFFIX!r} (a jit.save prefix) nor a directory with a __model__ "
        "file exists"
    )


def method_files(path: str, suffix: str = INFER_MODEL_SUFFIX) -> dict[str, tuple[str, str | None]]:
    """The extra ``@to_static`` methods saved beside prefix ``path``: ``{name: (model file,
    params file or None)}`` for each ``path.NAME.pdmodel`` (``path.NAME.json`` with
    ``suffix=".json"``, a PIR save; see NOTE [jit.save method files] in ``save.py``; NAME is an
    identifier, so ``path.a.b.pdmodel`` is not a method)."""
    dirname, base = os.path.split(os.fspath(path))
    dirname = dirname or "."
    out = {}
    for fname in sorted(os.listdir(dirname)):
        if not (fname.startswith(base + ".") and fname.endswith(suffix)):
            continue
        name = fname[len(base) + 1 : -len(suffix)]
        if not _METHOD_NAME.fullmatch(name):
            continue
        params = os.path.join(dirname, f"{base}.{name}{INFER_PARAMS_SUFFIX}")
        out[name] = (os.path.join(dirname, fname), params if os.path.exists(params) else None)
    return out


# the program of a model file (and, for PIR, the p ops' flags): one reader for every room
read_program = read_model_program


def _strip_counter(name: str) -> str:
    return re.sub(r"_\d+$", "", name)


def read_persistables(program: ir.Program, params_file, vars_dir) -> dict:
    names = formats.persistable_names(program)
    if params_file is not None:
        return _check_shapes(program, formats.load_pdiparams(params_file, names), params_file)
    if vars_dir is not None:  # per-variable files, or a 1.x directory's __params__
        return formats.read_inference_params(formats.InferenceFiles("", None, vars_dir), names)
    if names:
        raise ValueError(
            f"the program has {len(names)} persistable variables "
            f"({sorted(names)[:3]}...) but no params file was found; a model "
            "with parameters is saved with its .pdiparams beside the .pdmodel"
        )
    return {}


def _check_shapes(program: ir.Program, arrays: dict, params_file) -> dict:
    """Refuse a stored tensor whose shape differs from the program's fully known declaration:
    the parameters file belongs to another model (or the program was edited)."""
    block = program.global_block()
    for name, arr in arrays.items():
        var = block.find_var(name)
        shape = None if var is None else var.shape
        if shape is None or any(d < 0 for d in shape):
            continue
        if list(arr.shape) != list(shape) and arr.size != int(np.prod(shape, dtype=np.int64)):
            raise FormatError(
                f"{params_file}: variable {name!r} is stored with shape {list(arr.shape)} but the "
                f"program declares {list(shape)}; the parameters file belongs to a different "
                "model (save the program and its .pdiparams together)"
            )
    return arrays


def _written_by_ops(programs) -> set:
    return {n for p in programs for b in p.blocks for op in b.ops for n in op.output_names()}


def _find_var(programs, name: str):
    for p in programs:
        var = p.global_block().find_var(name)
        if var is not None:
            return var
    return None


def _make_tensors(program, arrays: dict, info: dict | None, more=()) -> tuple[dict, dict]:
    programs = [program, *more]
    written = _written_by_ops(programs)
    tensors, structured = {}, {}
    for name in sorted(arrays):
        var = _find_var(programs, name)
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
    path = os.fspath(path)
    model, params, info_path, vars_dir = resolve_model_files(
        path, configs.get("model_filename"), configs.get("params_filename")
    )
    main = read_model_file(model)
    program, pir_info = main.program, main.pir_info
    arrays = read_persistables(program, params, vars_dir)
    methods = {}
    suffix = next((s for s in (INFER_MODEL_SUFFIX, PIR_MODEL_SUFFIX) if model == path + s), None)
    if vars_dir is None and suffix is not None:
        for name, (m_model, m_params) in method_files(path, suffix).items():
            methods[name], m_info = read_program(m_model)
            for k, v in read_persistables(methods[name], m_params, None).items():
                arrays.setdefault(k, v)  # the same variable in two programs: one tensor
            if pir_info is not None and m_info:
                pir_info = {**m_info, **pir_info}
    info = formats.load_pdiparams_info(info_path) if info_path else pir_info
    tensors, structured = _make_tensors(program, arrays, info, list(methods.values()))
    return TranslatedLayer(program, tensors, structured, methods, trainable=main.trainable)
