"""Reading the model a ``Config`` names: ``(ir.Program, {persistable name: ndarray})``.

The same layouts ``jit.load`` reads (a sibling we may not import), resolved here from the
codecs in ``formats``: ``.pdmodel`` ProgramDesc or PIR ``.json`` (lifted with ``ir.lift_pir``)
plus a combined ``.pdiparams``; 1.x directories (``__model__`` + per-variable files or
``__params__``). Files are recognized by their bytes (``formats.sniff``), not by trying parsers.
"""

from __future__ import annotations

import os

import numpy as np

from .. import formats, ir
from ..errors import FormatError
from ..static._model_file import read_model_program
from ._config import Config

__all__ = ["load_model"]

_PIR = ".json"


def _read_program(path: str) -> ir.Program:
    if not os.path.isfile(path):
        raise FileNotFoundError(f"inference Config: program file {path!r} does not exist")
    try:
        return read_model_program(path)[0]
    except FormatError as e:
        raise FormatError(f"inference Config: {e}") from e


def _params(program: ir.Program, params: str | None, vars_dir: str | None, where: str) -> dict:
    names = formats.persistable_names(program)
    if not names:
        return {}
    if params is None and vars_dir is None:
        raise FormatError(
            f"inference Config: the program {where!r} has {len(names)} persistable "
            f"variables (e.g. {names[:3]}) but no params file was given; pass "
            "Config(prog_file, params_file)"
        )
    if params is not None and not os.path.isfile(params):
        raise FileNotFoundError(f"inference Config: params file {params!r} does not exist")
    return formats.read_inference_params(formats.InferenceFiles(where, params, vars_dir), names)


def _from_prefix_or_dir(path: str) -> tuple[ir.Program, dict]:
    if os.path.isfile(path + _PIR) and not os.path.isfile(path + ".pdmodel"):
        params = path + ".pdiparams"
        program = _read_program(path + _PIR)
        return program, _params(program, params if os.path.isfile(params) else None, None, path)
    if os.path.isfile(path) and not os.path.isdir(path):
        raise FormatError(
            f"inference Config({path!r}): a single argument is a model directory or a jit.save "
            "prefix; for a program file pass Config(prog_file, params_file)"
        )
    files = formats.resolve_inference_model(path)
    program = _read_program(files.model)
    return program, _params(program, files.params, files.vars_dir, files.model)


def load_model(config: Config) -> tuple[ir.Program, dict[str, np.ndarray]]:
    """The program and persistable values of the model ``config`` names."""
    if config.model_dir():
        return _from_prefix_or_dir(config.model_dir())
    prog = config.prog_file()
    if not prog:
        raise ValueError(
            "inference Config names no model: pass Config(model_dir) or "
            "Config(prog_file, params_file), or call set_model(...)"
        )
    program = _read_program(prog)
    return program, _params(program, config.params_file() or None, None, prog)
