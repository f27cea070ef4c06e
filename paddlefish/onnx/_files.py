"""Saved inference programs on disk -> (``ir.Program``, parameter arrays).

A model is named by its ``jit.save`` prefix (``PREFIX.pdmodel`` or PIR ``PREFIX.json``, with
``PREFIX.pdiparams``) or by the model file itself. PIR programs are lifted into the legacy
dialect (``static._model_file.read_model_program``) so one set of rules converts both.
"""

from __future__ import annotations

import os

from .. import formats, ir
from ..static._model_file import read_model_program

__all__ = ["read_model"]

_MODEL_SUFFIXES = (".pdmodel", ".json")


def _resolve(path: str, params_file: str | None) -> tuple[str, str | None]:
    path = os.fspath(path)
    if path.endswith(_MODEL_SUFFIXES) and os.path.isfile(path):
        model = path
        prefix = path.rsplit(".", 1)[0]
    else:
        prefix = path
        model = next((path + s for s in _MODEL_SUFFIXES if os.path.isfile(path + s)), None)
        if model is None:
            raise FileNotFoundError(
                f"cannot export {path!r} to ONNX: neither {path + '.pdmodel'!r} nor "
                f"{path + '.json'!r} exists; pass a jit.save prefix or the model file"
            )
    if params_file is None and os.path.isfile(prefix + ".pdiparams"):
        params_file = prefix + ".pdiparams"
    return model, params_file


def read_model(path: str, params_file: str | None = None) -> tuple[ir.Program, dict]:
    """The program and persistable arrays of a saved model (legacy ``.pdmodel`` or PIR)."""
    model, params_file = _resolve(path, params_file)
    program, _ = read_model_program(model)
    names = formats.persistable_names(program)
    if not names:
        return program, {}
    if params_file is None:
        raise FileNotFoundError(
            f"{model!r} has {len(names)} persistable variables but no "
            ".pdiparams file was found beside it; pass params_file=..."
        )
    return program, formats.load_pdiparams(params_file, names)
