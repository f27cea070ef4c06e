"""The 1.x / static-graph on-disk layouts (FORMATS.md section 7): which files make up a saved
model, and reading them as ``(ir.Program, {name: ndarray})``.

Layouts (the program is a ProgramDesc protobuf in every one but the PIR ones):

* ``prefix.pdmodel`` + ``prefix.pdiparams`` (combined, sorted): 2.x ``save_inference_model``;
* ``prefix.json`` (PIR) + ``prefix.pdiparams``: Paddle 3.x ``save_inference_model`` in PIR mode
  (``FLAGS_enable_pir_api``, the 3.x default); which dialect a prefix with both files opens as is
  the caller's choice (``prefer_pir``);
* ``dir/__model__`` + one DenseTensor file per persistable variable: 1.x
  ``save_inference_model(dirname, ...)``;
* ``dir/__model__`` + ``dir/__params__`` (combined) or custom ``model_filename`` /
  ``params_filename``: 1.x ``save_inference_model(..., params_filename=...)``;
* ``dir/<var>`` per variable without a program: ``save_params`` / ``save_persistables`` /
  ``save_vars`` (read with ``pdiparams.load_vars_dir``);
* ``prefix.pdparams`` / ``.pdopt`` / ``.pdmodel``: ``static.save`` / ``fluid.save`` (Paddle 3.x
  in PIR mode writes ``prefix.json`` in place of ``.pdmodel``; ``static.load`` reads neither).

Pure path logic and codecs: nothing here runs a program.

>>> import os, tempfile, numpy as np
>>> from paddlefish import ir
>>> d = tempfile.mkdtemp(); p = ir.Program()
>>> _ = p.global_block().create_var('w', dtype='float32', shape=[2], persistable=True)
>>> from paddlefish.formats import save_program_desc, save_vars_dir
>>> save_program_desc(p, os.path.join(d, '__model__')); save_vars_dir({'w': np.ones(2, 'f4')}, d)
>>> files = resolve_inference_model(d)
>>> os.path.basename(files.model), files.params, files.vars_dir == d
('__model__', None, True)
>>> read_inference_model(files)[1]['w'].tolist()
[1.0, 1.0]
"""

from __future__ import annotations

import dataclasses
import os

import numpy as np

from .. import ir
from ..errors import FormatError
from .pdiparams import load_pdiparams, load_vars_dir, persistable_names
from .program_desc import load_program_desc

__all__ = [
    "LEGACY_MODEL_FILE",
    "LEGACY_PARAMS_FILE",
    "InferenceFiles",
    "read_inference_model",
    "read_inference_params",
    "resolve_inference_model",
    "static_save_files",
]

LEGACY_MODEL_FILE = "__model__"
LEGACY_PARAMS_FILE = "__params__"
MODEL_SUFFIX, PARAMS_SUFFIX, PIR_SUFFIX = ".pdmodel", ".pdiparams", ".json"


@dataclasses.dataclass(frozen=True)
class InferenceFiles:
    """A saved inference model: the program file and either a combined params file or a
    directory of per-variable files (both None: a model without persistables)."""

    model: str
    params: str | None
    vars_dir: str | None


def _with_suffix(path: str, suffix: str) -> str:
    return path if os.path.exists(path) or not os.path.exists(path + suffix) else path + suffix


def resolve_inference_model(path, model_filename: str | None = None,
                            params_filename: str | None = None, *,
                            prefer_pir: bool = False) -> InferenceFiles:
    """The files of the model saved at ``path`` (a prefix or a directory, see the module doc).

    With ``model_filename`` / ``params_filename`` the path is a directory; the names may omit
    ``.pdmodel`` / ``.pdiparams``. Without them a directory holds ``__model__`` and either
    per-variable files or, when none of those exists, ``__params__``. A prefix with only a
    ``.json`` (PIR) program opens as that; with both, ``prefer_pir`` picks the ``.json``."""
    path = os.fspath(path)
    if model_filename is None and params_filename is None:
        found = [path + s for s in ((PIR_SUFFIX, MODEL_SUFFIX) if prefer_pir else
                                    (MODEL_SUFFIX, PIR_SUFFIX)) if os.path.isfile(path + s)]
        if found:
            params = path + PARAMS_SUFFIX
            return InferenceFiles(found[0], params if os.path.isfile(params) else None, None)
    if not os.path.isdir(path):
        raise FileNotFoundError(
            f"no saved inference model at {path!r}: expected {path + MODEL_SUFFIX!r} (a 2.x "
            f"prefix), {path + PIR_SUFFIX!r} (a 3.x PIR prefix) or a directory holding {LEGACY_MODEL_FILE!r} (a 1.x save_inference_model "
            "directory)"
        )
    model = _with_suffix(os.path.join(path, model_filename or LEGACY_MODEL_FILE), MODEL_SUFFIX)
    if not os.path.isfile(model):
        found = sorted(f for f in os.listdir(path) if "model" in f)[:5]
        raise FileNotFoundError(
            f"no model file {model!r} in directory {path!r} (files that look like models: "
            f"{found}); pass model_filename=... naming the program file"
        )
    if params_filename is not None:
        params = _with_suffix(os.path.join(path, params_filename), PARAMS_SUFFIX)
        if not os.path.isfile(params):
            raise FileNotFoundError(f"params file {params!r} (params_filename="
                                    f"{params_filename!r}) does not exist")
        return InferenceFiles(model, params, None)
    return InferenceFiles(model, None, path)


def read_inference_params(files: InferenceFiles, names: list[str]) -> dict[str, np.ndarray]:
    """The values of ``names`` (a program's persistables, ``pdiparams.persistable_names``) from
    the model's combined file, per-variable files, or 1.x ``__params__``."""
    if files.params is not None:
        return load_pdiparams(files.params, names)
    if files.vars_dir is None or not names:
        return {}
    legacy = os.path.join(files.vars_dir, LEGACY_PARAMS_FILE)
    if os.path.isfile(legacy) and not any(
        os.path.isfile(os.path.join(files.vars_dir, *n.split("/"))) for n in names
    ):
        return load_pdiparams(legacy, names)  # 1.x params_filename='__params__'
    return load_vars_dir(files.vars_dir, names)


def read_inference_model(files: InferenceFiles, *, verify: bool = True
                         ) -> tuple[ir.Program, dict[str, np.ndarray]]:
    """The program and its persistable variables' values."""
    program = load_program_desc(files.model, verify=verify)
    names = persistable_names(program)
    if names and files.params is None and files.vars_dir is None:
        raise FormatError(f"{files.model}: the program has {len(names)} persistable variables "
                          f"(e.g. {names[:3]}) but no params file was found beside it")
    return program, read_inference_params(files, names)


def static_save_files(path) -> tuple[str, str, str]:
    """``(prefix.pdparams, prefix.pdopt, prefix.pdmodel)`` of a ``static.save`` /
    ``fluid.save`` path, which may be the prefix or any of its file names (``.json`` too)."""
    path = os.fspath(path)
    for suffix in (".pdparams", ".pdopt", ".pdmodel", PIR_SUFFIX):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    return path + ".pdparams", path + ".pdopt", path + ".pdmodel"
