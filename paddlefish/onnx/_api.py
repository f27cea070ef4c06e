"""The public entry points: ``export`` (a Layer, Paddle's signature), ``export_model`` (saved
files), ``export_program`` (an ``ir.Program``). ``onnx`` is an optional dependency (the ``onnx``
extra): without it these raise an ``ImportError`` saying how to install it, and importing
``paddlefish.onnx`` itself still works.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os

from .._core import fs
from ._files import read_model
from ._record import record_layer

HAVE_ONNX = importlib.util.find_spec("onnx") is not None
if HAVE_ONNX:
    import onnx

    from ._program import MAX_OPSET, MIN_OPSET
    from ._program import export_program as _export_program
    from ._program import supported_ops as _supported_ops
else:
    MIN_OPSET, MAX_OPSET = 11, 17

__all__ = ["export", "export_model", "export_program", "save_model", "supported_ops"]

_MISSING = (
    "ONNX export needs the 'onnx' package, which is not installed; install it with "
    "`pip install onnx onnxruntime` (or `pip install paddlefish[onnx]`)"
)


def _require() -> None:
    if not HAVE_ONNX:
        raise ImportError(_MISSING)


@dataclasses.dataclass
class ExportConfig:
    """``paddle.onnx.export``'s ``**configs``, checked at the boundary (STYLE.md rule 9)."""

    output_spec: list | None = None
    enable_onnx_checker: bool = True

    @classmethod
    def from_kwargs(cls, configs: dict) -> ExportConfig:
        valid = sorted(f.name for f in dataclasses.fields(cls))
        unknown = sorted(set(configs) - set(valid))
        if unknown:
            raise ValueError(
                f"paddle.onnx.export got unknown config(s) {unknown}; valid configs are {valid}"
            )
        return cls(**configs)


def supported_ops() -> list[str]:
    """The Paddle op types the ONNX exporter converts.

    >>> "conv2d" in supported_ops()
    True
    """
    _require()
    return _supported_ops()


def export_program(
    program, params: dict, *, opset_version: int = 11, feed_names=None, fetch_names=None
):
    """An ``ir.Program`` and its persistable arrays as an ``onnx.ModelProto`` (see
    ``_program.export_program``)."""
    _require()
    return _export_program(
        program, params, opset_version=opset_version, feed_names=feed_names, fetch_names=fetch_names
    )


def save_model(model, path: str, check: bool = True) -> None:
    """Check ``model`` with ``onnx.checker`` and write it to ``path`` atomically."""
    _require()
    if check:
        onnx.checker.check_model(model)
    with fs.atomic_write(os.fspath(path)) as f:
        f.write(model.SerializeToString())


def export_model(
    path: str, out: str, *, params_file: str | None = None, opset_version: int = 11
) -> None:
    """Convert a saved inference model (a ``jit.save`` prefix or its ``.pdmodel``/PIR ``.json``
    file; paddlefish's or real Paddle's) to the ONNX file ``out``.

    >>> import os, tempfile, paddlefish as paddle
    >>> d = tempfile.mkdtemp()
    >>> paddle.jit.save(paddle.nn.Linear(4, 3), os.path.join(d, "lin"),
    ...                 input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
    >>> export_model(os.path.join(d, "lin"), os.path.join(d, "lin.onnx"))
    >>> os.path.exists(os.path.join(d, "lin.onnx"))
    True
    """
    _require()
    program, params = read_model(path, params_file)
    model = _export_program(program, params, opset_version=opset_version)
    save_model(model, out)


def export(layer, path: str, input_spec=None, opset_version: int = 11, **configs) -> None:
    """Paddle's ``paddle.onnx.export``: record ``layer``'s forward (eval mode) and write
    ``path + ".onnx"``; ``None`` dimensions of ``input_spec`` stay dynamic in the ONNX model.
    Tensor-dependent ``if``/``while`` in forward are converted as ``jit.save`` converts them and
    become ONNX ``If``/``Loop``; a ``@to_static`` forward declared with an ``input_spec`` needs
    none here. Opsets 11-17 are supported (Paddle's default, 9, is not: pass 11 or later).

    >>> import os, tempfile, paddlefish as paddle
    >>> d = tempfile.mkdtemp()
    >>> export(paddle.nn.Linear(4, 3), os.path.join(d, "lin"),
    ...        input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
    >>> os.listdir(d)
    ['lin.onnx']
    """
    _require()
    cfg = ExportConfig.from_kwargs(configs)
    path = os.fspath(path)
    if not os.path.basename(path):
        raise ValueError(
            f"The input path MUST be format of dirname/file_prefix [dirname\\"
            f"file_prefix in Windows system], but received file_prefix is empty "
            f"string: {path!r}"
        )
    program, params, feeds, fetches = record_layer(layer, input_spec, cfg.output_spec)
    model = _export_program(
        program, params, opset_version=opset_version, feed_names=feeds, fetch_names=fetches
    )
    save_model(model, path + ".onnx", check=cfg.enable_onnx_checker)
