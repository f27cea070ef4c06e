"""An unmodified Paddle 2.6 program in the ``paddle.base`` style (Paddle's own tests use it)."""

import json
import sys

import numpy as np
import paddle
import paddle.base as base
from paddle.base import core
from paddle.utils import flatten, map_structure, pack_sequence_as, unique_name

paddle.disable_static()
out = {}
with base.dygraph.guard(base.CPUPlace()):
    with unique_name.guard():
        lin = paddle.nn.Linear(2, 3)
        out["names"] = [lin.weight.name, lin.bias.name, unique_name.generate("fc")]
    with base.unique_name.guard("blk_"):
        out["prefixed"] = base.unique_name.generate("conv2d")
    x = base.dygraph.to_variable(np.ones([1, 2], "float32"))
    out["fp32"] = bool(lin.weight.dtype == core.VarDesc.VarType.FP32)
    out["vartypes"] = {
        k: int(getattr(core.VarDesc.VarType, k))
        for k in ("FP32", "FP64", "INT64", "BOOL", "UINT8", "BF16", "LOD_TENSOR", "SELECTED_ROWS")
    }
    out["shape"] = lin(x).shape
out["dynamic"] = paddle.in_dynamic_mode()
out["in_dygraph"] = base.framework.in_dygraph_mode()
out["flags"] = paddle.get_flags(["FLAGS_check_nan_inf", "FLAGS_paddle_num_threads"])
paddle.set_flags({"FLAGS_paddle_num_threads": 2})
out["flags_after"] = paddle.get_flags("FLAGS_paddle_num_threads")
nested = {"b": [1, (2, 3)], "a": 4, "c": {"y": 5, "x": 6}}
out["flatten"] = flatten(nested)
out["packed"] = pack_sequence_as(nested, list(range(10, 16)))
out["mapped"] = map_structure(lambda v: v * 2, nested)
out["device"] = [paddle.get_device(), paddle.device.get_device(), paddle.is_compiled_with_cuda()]
json.dump(out, sys.stdout, sort_keys=True)
