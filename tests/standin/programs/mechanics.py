"""Checks of the stand-in's identity guarantees, printed as JSON (run under the stand-in)."""

import json
import sys

import paddle
import paddle.nn.functional as F
import paddle.vision.models
from paddle.nn import Linear
from paddle.static import InputSpec

import paddlefish

out = {"argv": sys.argv[1:], "name": __name__}
same = {}
for name, module in sorted(sys.modules.items()):
    if name.startswith("paddlefish.") and type(module).__name__ == "module":
        alias = "paddle" + name[len("paddlefish"):]
        __import__(alias)
        same[alias] = sys.modules[alias] is module
out["all_same"] = all(same.values())
out["n_modules"] = len(same)
out["identity"] = [
    paddle is paddlefish,
    F is paddlefish.nn.functional,
    Linear is paddlefish.nn.Linear,
    InputSpec is paddlefish.static.InputSpec,
    paddle.vision.models is paddlefish.vision.models,
    paddle.fluid is paddle.base,
]
layer = Linear(2, 2)
out["isinstance"] = [
    isinstance(layer, paddlefish.nn.Layer),
    isinstance(paddlefish.nn.Linear(2, 2), paddle.nn.Layer),
    isinstance(paddle.to_tensor([1.0]), paddlefish.Tensor),
]
try:
    import paddle.distributed.rpc  # noqa: F401
except ModuleNotFoundError as e:
    out["missing_module"] = [type(e).__name__, e.name, str(e)]
try:
    paddle.nn.NoSuchLayerAnywhere
except AttributeError as e:
    out["not_paddle"] = [type(e).__name__, str(e)]
out["hasattr"] = [hasattr(paddle, "quantization"), hasattr(paddle, "no_such_thing")]
try:
    paddle.quantization
except AttributeError as e:
    out["paddle_name"] = [type(e).__name__, isinstance(e, NotImplementedError), str(e)]
print(json.dumps(out))
