"""``paddle.load`` of a saved inference model or a per-variable directory (FORMATS.md 1.7 B, 7.4).

These branches return ``{name: ndarray}`` (never Tensors, as in Paddle). Variables keep the names
stored in the program; Paddle's load-time renaming (``fc_0.b_1`` after an earlier load in the same
process, FORMATS.md 10 item 5) is a process-history bug we do not reproduce.
"""

from __future__ import annotations

import os
import re
import warnings

import numpy as np

from .. import formats, ir
from ..errors import FormatError
from ._configs import LoadConfig

__all__ = ["load_inference_dir"]

_MODEL_SUFFIX = ".pdmodel"
_PARAMS_SUFFIX = ".pdiparams"
_PIR_SUFFIX = ".json"


def _resolve(path: str, cfg: LoadConfig) -> tuple[str, str, str | None]:
    """``(model_dir, model_filename, params_filename)`` for a prefix or a directory."""
    prefix_file = path + _MODEL_SUFFIX
    is_prefix, is_dir = os.path.isfile(prefix_file), os.path.isdir(path)
    if is_prefix and is_dir:
        raise ValueError(
            f"paddle.load: {path!r} is ambiguous: both the directory {path!r} and the model file "
            f"{prefix_file!r} exist; rename one of them"
        )
    if is_prefix:
        if cfg.model_filename is not None or cfg.params_filename is not None:
            warnings.warn(
                f"paddle.load: {path!r} is a model prefix, so model_filename/params_filename are "
                "ignored",
                stacklevel=4,
            )
        base = os.path.basename(path)
        return os.path.dirname(path) or ".", base + _MODEL_SUFFIX, base + _PARAMS_SUFFIX
    if is_dir:
        return path, cfg.model_filename or "__model__", cfg.params_filename
    raise FileNotFoundError(
        f"paddle.load: {path!r} does not exist: expected a file, a model prefix with "
        f"{prefix_file!r} or {path + _PIR_SUFFIX!r}, or a directory"
    )


def _params_from_model(model_path: str, model_dir: str, params: str | None) -> dict:
    program = formats.load_program_desc(model_path)
    names = formats.persistable_names(program)
    if params is None:  # per-variable files, or a 1.x directory's __params__
        files = formats.InferenceFiles(model_path, None, model_dir)
        return formats.read_inference_params(files, names)
    params_path = os.path.join(model_dir, params)
    if not os.path.isfile(params_path):
        if not names:
            return {}  # a model without persistables has no params file (Paddle writes none)
        raise FileNotFoundError(
            f"paddle.load: the params file {params_path!r} of model {model_path!r} does not "
            f"exist, but the model has {len(names)} persistable variables to read from it; "
            "copy the .pdiparams file saved with the model beside it"
        )
    return formats.load_pdiparams(params_path, names)


def _apply_info(arrays: dict, info_path: str) -> dict:
    """Rename to structured names where ``.pdiparams.info`` gives them."""
    info = formats.load_pdiparams_info(info_path)
    return {info.get(k, {}).get("structured_name", k): v for k, v in arrays.items()}


_METHOD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _method_params(model_dir: str, base: str) -> dict:
    """The variables of the ``@to_static`` methods saved beside prefix ``base``
    (``base.METHOD.pdmodel`` + ``.pdiparams``, see NOTE [jit.save method files] in
    ``jit/save.py``): Paddle 3.x's ``paddle.load(prefix)`` returns them too."""
    out = {}
    for fname in sorted(os.listdir(model_dir)):
        method = fname[len(base) + 1: -len(_MODEL_SUFFIX)]
        if fname.startswith(base + ".") and fname.endswith(_MODEL_SUFFIX) and \
                _METHOD_NAME.fullmatch(method):
            arrays = _params_from_model(os.path.join(model_dir, fname), model_dir,
                                        f"{base}.{method}{_PARAMS_SUFFIX}")
            for k, v in arrays.items():
                out.setdefault(k, v)
    return out


def _params_from_pir(path: str) -> dict[str, np.ndarray]:
    """The persistables of a Paddle 3.x PIR export ``path.json`` + ``path.pdiparams``, keyed by
    their ``p`` names (a PIR export has no ``.pdiparams.info``, so no structured names). Paddle
    3.3's own ``paddle.load(prefix)`` fails here (FORMATS.md 10 item 6); we read it."""
    module = formats.load_pir_json(path + _PIR_SUFFIX)
    info = ir.pir_parameter_info(module)
    names = sorted(n for n, v in info.items() if v["persistable"])
    if not names:
        return {}
    params = path + _PARAMS_SUFFIX
    if not os.path.isfile(params):
        raise FileNotFoundError(
            f"paddle.load: the params file {params!r} of PIR model {path + _PIR_SUFFIX!r} does "
            f"not exist, but the model has {len(names)} persistable variables to read from it; "
            "copy the .pdiparams file saved with the model beside it"
        )
    return formats.load_pdiparams(params, names)


def load_inference_dir(path: str, cfg: LoadConfig) -> dict[str, np.ndarray]:
    """1.7 B: the persistable arrays of a model prefix / directory, or of a per-variable dir."""
    if (os.path.isfile(path + _PIR_SUFFIX) and not os.path.isfile(path + _MODEL_SUFFIX)
            and not os.path.isdir(path)):
        return _params_from_pir(path)
    model_dir, model_file, params = _resolve(path, cfg)
    model_path = os.path.join(model_dir, model_file)
    if os.path.isfile(model_path):
        arrays = _params_from_model(model_path, model_dir, params)
        if os.path.isfile(path + _MODEL_SUFFIX):
            for k, v in _method_params(model_dir, os.path.basename(path)).items():
                arrays.setdefault(k, v)
        info_path = os.path.join(model_dir, f"{params}.info")
        return _apply_info(arrays, info_path) if os.path.isfile(info_path) else arrays
    arrays = formats.load_vars_dir(model_dir)
    if not arrays:
        raise FormatError(
            f"paddle.load: {path!r} is a directory without a model file ({model_file!r}) and "
            "without any DenseTensor files; expected a save_inference_model / jit.save directory "
            "or a directory of per-variable files"
        )
    return arrays
