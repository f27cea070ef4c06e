"""Convert a saved inference model between Paddle's two program dialects, which no Paddle release
offers: a Paddle 3.x PIR export (``PREFIX.json`` + ``PREFIX.pdiparams``) to a legacy one
(``PREFIX.pdmodel`` + ``.pdiparams`` + ``.pdiparams.info``) that Paddle 2.x runs, and back.

The program goes through ``ir``: PIR is lifted (NOTE [PIR lifting]) or a legacy program lowered
(NOTE [PIR lowering]). Parameter names are the same in both dialects and ``.pdiparams`` stores the
persistable variables sorted by name in both (FORMATS.md 3.2), so the parameters file is copied
byte for byte after checking that it holds exactly the program's persistable variables. The
destination files are written together atomically.
"""

from __future__ import annotations

import io
import os

from .. import formats, ir, ops
from .._core import fs
from .load import resolve_model_files
from .translated_layer import INFER_MODEL_SUFFIX, INFER_PARAMS_INFO_SUFFIX, INFER_PARAMS_SUFFIX

__all__ = ["DIALECTS", "convert_program"]

PIR_MODEL_SUFFIX = ".json"
DIALECTS = {"pir": PIR_MODEL_SUFFIX, "legacy": INFER_MODEL_SUFFIX}


def _strip(path: str) -> str:
    for suffix in (PIR_MODEL_SUFFIX, INFER_MODEL_SUFFIX):
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


def _read(src: str):
    """(legacy program, PIR module or None, params file or None, param info) of prefix ``src``."""
    model, params, info_file, vars_dir = resolve_model_files(src)
    if vars_dir is not None:
        raise ValueError(
            f"{src!r} is a per-variable model directory; convert_program takes a "
            "combined export (PREFIX.pdmodel/.json + PREFIX.pdiparams)"
        )
    if model.endswith(PIR_MODEL_SUFFIX):
        module = formats.load_pir_json(model)
        program = ir.lift_pir(module, ops.by_pir, name=model)
        return program, module, params, ir.pir_parameter_info(module)
    program = formats.load_program_desc(model)
    info = formats.load_pdiparams_info(info_file) if info_file else {}
    return program, None, params, info


def _checked_params(params: str | None, program, src: str) -> bytes | None:
    want = formats.persistable_names(program)
    if params is None:
        if want:
            raise ValueError(
                f"{src}: the program has {len(want)} persistable variables but there is no "
                f"{src}{INFER_PARAMS_SUFFIX} beside it"
            )
        return None
    with open(params, "rb") as f:
        data = f.read()
    formats.read_pdiparams(io.BytesIO(data), want, name=params)  # exactly the program's vars
    return data


def _legacy_info(info: dict) -> dict:
    """``pir_parameter_info`` entries as ``.pdiparams.info`` entries (FORMATS.md section 5)."""
    out = {}
    for name, e in sorted(info.items()):
        if not e.get("persistable", True):
            continue
        entry = {"stop_gradient": bool(e["stop_gradient"])}
        if e.get("is_parameter", True) and e.get("trainable") is not None:
            entry["trainable"] = bool(e["trainable"])
        out[name] = entry
    return out


def _legacy_feed_order(program) -> None:
    """Feed ops in descending ``col`` order, as legacy writers insert them (each at the front):
    Paddle 2.x's ``TranslatedLayer`` reverses the feed ops it finds to get the input order."""
    ops_ = program.global_block().ops
    feeds = sorted((o for o in ops_ if o.type == "feed"), key=lambda o: -o.attrs.get("col", 0))
    ops_[:] = feeds + [o for o in ops_ if o.type != "feed"]


def convert_program(src_prefix: str, dst_prefix: str, to: str) -> list[str]:
    """Convert the inference model at ``src_prefix`` to dialect ``to`` (``"pir"`` or
    ``"legacy"``) at ``dst_prefix``; returns the files written. ``src_prefix`` may name the model
    file itself (``model.json``); ``jit.load`` finds the result on its own.

    >>> import os, tempfile, paddlefish as paddle
    >>> d = tempfile.mkdtemp(); src = os.path.join(d, "lin")
    >>> paddle.jit.save(paddle.nn.Linear(4, 3), src,
    ...                 input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
    >>> [os.path.basename(f) for f in convert_program(src, os.path.join(d, "pir", "lin"), "pir")]
    ['lin.json', 'lin.pdiparams']
    """
    if to not in DIALECTS:
        raise ValueError(f"convert_program: to={to!r}; expected one of {sorted(DIALECTS)}")
    src, dst = _strip(os.fspath(src_prefix)), _strip(os.fspath(dst_prefix))
    if os.path.abspath(src) == os.path.abspath(dst):
        raise ValueError(f"convert_program: source and destination are both {src!r}")
    program, module, params, info = _read(src)
    data = _checked_params(params, program, src)
    written = []
    with fs.atomic_files() as stage:
        model = dst + DIALECTS[to]
        with stage.open(model) as f:
            if to == "pir":
                if module is None:
                    module = ir.lower_program(program, ops.lookup, param_info=info, name=src)
                formats.write_pir_json(module, f)
            else:
                _legacy_feed_order(program)
                formats.write_program_desc(program, f)
        written.append(model)
        if data is not None:
            with stage.open(dst + INFER_PARAMS_SUFFIX) as f:
                f.write(data)
            written.append(dst + INFER_PARAMS_SUFFIX)
        if to == "legacy" and info:
            with stage.open(dst + INFER_PARAMS_INFO_SUFFIX) as f:
                formats.write_pdiparams_info(_legacy_info(info) if module is not None else info, f)
            written.append(dst + INFER_PARAMS_INFO_SUFFIX)
    return written
