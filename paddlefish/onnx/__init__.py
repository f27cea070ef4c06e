"""``paddle.onnx``: export a Layer, a saved inference model or an ``ir.Program`` to ONNX.

Requires the optional ``onnx`` package (``pip install paddlefish[onnx]``); importing this module
works without it, and each function then says how to install it.
"""

from ._api import ExportConfig as ExportConfig
from ._api import export as export
from ._api import export_model as export_model
from ._api import export_program as export_program
from ._api import save_model as save_model
from ._api import supported_ops as supported_ops

__all__ = [
    "ExportConfig",
    "export",
    "export_model",
    "export_program",
    "save_model",
    "supported_ops",
]
