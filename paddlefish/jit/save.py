"""``paddle.jit.save``: trace a Layer and write ``.pdmodel`` + ``.pdiparams`` + ``.pdiparams.info``
atomically together (DESIGN.md, "Writes are atomic")."""

from __future__ import annotations

import dataclasses
import os

from .. import formats
from .._core import fs
from ..eager._dtype import torch_to_numpy
from ..errors import ConversionError
from .trace import trace_layer, var_info

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


def _forward_and_specs(layer, input_spec):
    fn = getattr(layer, "forward", layer)
    static = getattr(fn, "_paddlefish_static", None) or getattr(layer, "_paddlefish_static", None)
    if input_spec is None and static is not None:
        input_spec = static.input_spec
    if input_spec is None:
        raise ValueError(
            "jit.save needs input_spec: pass input_spec=[paddle.static.InputSpec([None, ...], "
            "'float32', 'x')] or decorate forward with @paddle.jit.to_static(input_spec=[...])"
        )
    if static is not None:
        fn = static.function.__get__(layer) if hasattr(static.function, "__get__") and \
            static.bound else static.function
    return fn, input_spec


def save(layer, path: str, input_spec=None, **configs) -> None:
    """Convert ``layer`` to a static program and save it for inference.

    >>> import os, tempfile, paddlefish as paddle
    >>> d = tempfile.mkdtemp()
    >>> paddle.jit.save(paddle.nn.Linear(4, 3), os.path.join(d, "lin"),
    ...                 input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
    >>> sorted(os.listdir(d))
    ['lin.pdiparams', 'lin.pdiparams.info', 'lin.pdmodel']
    """
    cfg = SaveConfig.from_kwargs(configs)
    path = os.fspath(path)
    if os.path.isdir(path) and not cfg.separate_params:
        raise ValueError(f"jit.save path {path!r} is a directory; give a file prefix such as "
                         f"{os.path.join(path, 'model')!r}")
    fn, specs = _forward_and_specs(layer, input_spec)
    traced = trace_layer(layer, fn, specs, cfg.output_spec)
    if not traced.fetch_names:
        raise ConversionError("forward returned no tensor outputs; nothing to save")
    arrays = {k: torch_to_numpy(t._t) for k, t in traced.captured.items()}
    dtypes = {k: t.dtype for k, t in traced.captured.items()}
    info = var_info(traced, layer)
    if cfg.separate_params:
        _save_separate(path, traced, arrays, dtypes, info)
        return
    with fs.atomic_files() as stage:
        with stage.open(path + ".pdmodel") as f:
            formats.write_program_desc(traced.program, f)
        with stage.open(path + ".pdiparams") as f:
            formats.write_pdiparams(arrays, f, dtypes)
        with stage.open(path + ".pdiparams.info") as f:
            formats.write_pdiparams_info(info, f)
        if cfg.combine_params:
            # only ``forward`` is saved, so the merged params file is path.pdiparams itself;
            # path.meta holds exported properties: none (0 bytes), FORMATS.md section 9.1
            with stage.open(path + ".meta") as f:
                pass


def _save_separate(path, traced, arrays, dtypes, info) -> None:
    dirname = path
    with fs.atomic_files() as stage:
        with stage.open(os.path.join(dirname, "__model__")) as f:
            formats.write_program_desc(traced.program, f)
        for name, arr in arrays.items():
            with stage.open(os.path.join(dirname, name)) as f:
                formats.write_lod_tensor(arr, f, dtype=dtypes[name])
        with stage.open(path + ".pdiparams.info") as f:
            formats.write_pdiparams_info(info, f)
