"""One model file (legacy ``.pdmodel`` / ``__model__`` or Paddle 3 PIR ``.json``) -> the
``ir.Program`` the executor runs. The one place that tells the dialects apart (by their bytes,
``formats.sniff``) and lifts PIR (NOTE [PIR lifting] in ``ir/_pir_lift.py``); ``jit.load``,
``paddle.inference`` and ``paddle.onnx`` all read programs through it.

>>> import os, tempfile, paddlefish as paddle
>>> d = tempfile.mkdtemp()
>>> paddle.jit.save(paddle.nn.Linear(4, 3), os.path.join(d, "lin"),
...                 input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
>>> program, pir_info = read_model_program(os.path.join(d, "lin.pdmodel"))
>>> pir_info is None, [op.type for op in program.global_block().ops][:2]
(True, ['feed', 'matmul_v2'])
"""

from __future__ import annotations

import dataclasses

from .. import formats, ir, ops
from ..errors import FormatError

__all__ = ["ModelFile", "read_model_file", "read_model_program"]


@dataclasses.dataclass
class ModelFile:
    """What one model file holds: the executable ``program``; for a PIR file the ``p`` ops'
    flags shaped like ``.pdiparams.info`` entries (``pir_info``, persistable ones only; ``None``
    for a legacy file) and ``base_code.trainable`` (NOTE [PIR trainable] in
    ``jit/translated_layer.py``; always ``True`` for a legacy file)."""

    program: ir.Program
    pir_info: dict | None = None
    trainable: bool = True


def read_model_program(path: str) -> tuple[ir.Program, dict | None]:
    """``(program, pir_info)`` of ``read_model_file(path)``."""
    m = read_model_file(path)
    return m.program, m.pir_info


def read_model_file(path: str) -> ModelFile:
    """Read a legacy ``.pdmodel`` / ``__model__`` or a PIR ``.json`` (any schema version Paddle
    3.0-3.3 writes, NOTE [PIR schema versions]) into a ``ModelFile``."""
    with open(path, "rb") as f:
        kind = formats.sniff(f.read(formats.HEAD_SIZE))
    if kind == "unknown" and str(path).endswith(".json"):
        kind = "pir_json"  # too damaged to recognise: let the PIR reader say what is wrong
    if kind == "pir_json":
        module = formats.load_pir_json(path)
        info = {k: v for k, v in ir.pir_parameter_info(module).items() if v["persistable"]}
        return ModelFile(ir.lift_pir(module, ops.by_pir, name=path), info, module.trainable)
    if kind == "program_desc":
        return ModelFile(formats.load_program_desc(path))
    raise FormatError(
        f"{path!r} is not a model program: it looks like {formats.describe(kind)}; expected a "
        ".pdmodel / __model__ (ProgramDesc protobuf) or a PIR .json written by jit.save or "
        "save_inference_model"
    )
