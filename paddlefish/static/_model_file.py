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

from .. import formats, ir, ops
from ..errors import FormatError

__all__ = ["read_model_program"]


def read_model_program(path: str) -> tuple[ir.Program, dict | None]:
    """``(program, pir_info)``: for a PIR file, ``pir_info`` holds the ``p`` ops' flags shaped
    like ``.pdiparams.info`` entries (persistable ones only); ``None`` for a legacy file."""
    with open(path, "rb") as f:
        kind = formats.sniff(f.read(formats.HEAD_SIZE))
    if kind == "pir_json":
        module = formats.load_pir_json(path)
        info = {k: v for k, v in ir.pir_parameter_info(module).items() if v["persistable"]}
        return ir.lift_pir(module, ops.by_pir, name=path), info
    if kind == "program_desc":
        return formats.load_program_desc(path), None
    raise FormatError(
        f"{path!r} is not a model program: it looks like {formats.describe(kind)}; expected a "
        ".pdmodel / __model__ (ProgramDesc protobuf) or a PIR .json written by jit.save or "
        "save_inference_model"
    )
