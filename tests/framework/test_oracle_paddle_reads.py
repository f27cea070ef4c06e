"""paddlefish writes with save(); real Paddle 2.6 / 3.3 paddle.load them (names and values)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

import paddlefish as paddle
from paddlefish.framework import save
from tests.framework.conftest import Net, named, optimizer_like_state
from tests.oracle import run_paddle

pytestmark = pytest.mark.oracle

READER = r"""
import json, sys, numpy as np, paddle

def describe(x):
    if isinstance(x, paddle.Tensor):
        v = x.astype('float32') if x.dtype == paddle.bfloat16 else x
        return {'T': x.name, 'dtype': str(x.dtype).replace('paddle.', ''),
                'sg': bool(x.stop_gradient), 'v': v.numpy().tolist()}
    if isinstance(x, dict):
        return {'D': [[k, describe(v)] for k, v in x.items()]}
    if isinstance(x, (list, tuple)):
        return {'L' if isinstance(x, list) else 'U': [describe(v) for v in x]}
    if isinstance(x, np.ndarray):
        return {'A': x.tolist(), 'dtype': str(x.dtype)}
    return {'P': x}

out = {}
for f in json.load(open('files.json')):
    out[f] = describe(paddle.load(f))
json.dump(out, open('paddle_view.json', 'w'))
print('ok')
"""


def describe(x):
    """The same JSON view READER makes, from our side."""
    if isinstance(x, paddle.Tensor):
        v = x._t.float() if x._t.dtype == torch.bfloat16 else x._t
        return {"T": x.name, "dtype": x.dtype.name, "sg": True, "v": v.tolist()}
    if isinstance(x, dict):
        return {"D": [[k, describe(v)] for k, v in x.items()]}
    if isinstance(x, (list, tuple)):
        return {"L" if isinstance(x, list) else "U": [describe(v) for v in x]}
    if isinstance(x, np.ndarray):
        return {"A": x.tolist(), "dtype": str(x.dtype)}
    return {"P": x}


def _objects():
    with paddle._name_guard():
        net = Net()
    t = named(np.array([[1, 2], [3, 4]], "f4"), "mytensor")
    nested = {"a": [t, 3, 2.5, "str", (t,)], "b": {"c": named(np.array([1], "i8"), "gt_1")}}
    bf = paddle.Tensor(torch.tensor([1.0, -2.5, 3.0], dtype=torch.bfloat16), name="bf_w")
    objs = {
        "net.pdparams": dict(net.state_dict()),
        "opt.pdopt": optimizer_like_state(net),
        "t.pdtensor": t,
        "nested.pd": nested,
        "bf.pdparams": {"w": bf},
        "master.pdopt": {"m": t, "master_weights": {"linear_0.w_0": t}},
    }
    for p in (2, 3, 4):
        objs[f"net_p{p}.pdparams"] = dict(net.state_dict())
        objs[f"nested_p{p}.pd"] = nested
    return objs


@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_paddle_loads_what_we_save(tmp_path, version):
    objs = _objects()
    for f, obj in objs.items():
        proto = int(f.split("_p")[1][0]) if "_p" in f else 4
        save(obj, tmp_path / f, protocol=proto)
    save(objs["t.pdtensor"], tmp_path / "t.bin", use_binary_format=True)
    files = [*objs, "t.bin"]
    (tmp_path / "files.json").write_text(json.dumps(files))
    assert run_paddle(READER, version, cwd=tmp_path).strip().endswith("ok")
    view = json.loads((tmp_path / "paddle_view.json").read_text())
    for f, obj in objs.items():
        want = json.loads(json.dumps(describe(obj)))
        assert view[f] == want, f"{f} as Paddle {version} sees it:\n{view[f]}\nwant\n{want}"
    tb = view["t.bin"]
    assert tb["v"] == [[1.0, 2.0], [3.0, 4.0]] and tb["dtype"] == "float32"
