"""DataLoader batches vs real Paddle 3.3: the same dataset code runs under both, and the
structure, types, dtypes, shapes and values of every batch are compared as JSON."""

from __future__ import annotations

import json

import pytest

import paddlefish
from tests.oracle import run_paddle

# Runs verbatim under real Paddle (``paddle``) and under paddlefish (bound to the same name).
SCENARIOS = r"""
import json
import numpy as np
from paddle.io import DataLoader, Dataset

def desc(x):
    if isinstance(x, paddle.Tensor):
        return {"T": str(x.dtype), "shape": list(x.shape), "v": x.numpy().tolist()}
    if isinstance(x, dict):
        return {"dict": {k: desc(v) for k, v in x.items()}}
    if isinstance(x, (list, tuple)):
        return {type(x).__name__: [desc(v) for v in x]}
    return {type(x).__name__: repr(x)}

class Mixed(Dataset):
    def __len__(self):
        return 5
    def __getitem__(self, i):
        return (np.full([2], i, np.float32), i, float(i) / 2, np.float64(i), np.int32(i),
                {"a": np.array([i]), "b": (i, 2.5)}, paddle.to_tensor([i], dtype="float32"),
                True, "s%d" % i, np.uint8(i))

class One(Dataset):
    def __len__(self):
        return 5
    def __getitem__(self, i):
        return np.array([i, -i], np.int64)

class Dict(One):
    def __getitem__(self, i):
        return {"x": np.array([i], np.float32), "y": i}

def tuple_collate(batch):
    return (np.stack([b[0] for b in batch]), len(batch))

def run_all(num_workers):
    out = {}
    loaders = {
        "mixed": DataLoader(Mixed(), batch_size=2, num_workers=num_workers),
        "one": DataLoader(One(), batch_size=2, drop_last=True, num_workers=num_workers),
        "dict": DataLoader(Dict(), batch_size=3, num_workers=num_workers),
        "nobatch": DataLoader(Mixed(), batch_size=None, num_workers=num_workers),
        "collate": DataLoader(Mixed(), batch_size=2, collate_fn=tuple_collate),
    }
    for name, loader in loaders.items():
        out[name] = {"len": len(loader), "batches": [desc(b) for b in loader]}
    np.random.seed(0)
    shuffled = DataLoader(One(), batch_size=2, shuffle=True, num_workers=num_workers)
    out["shuffle"] = [desc(b) for b in shuffled]
    return out
"""


@pytest.fixture(scope="module", params=[0, 2], ids=["workers0", "workers2"])
def our_batches(request) -> dict:
    ns = {"paddle": paddlefish}
    src = SCENARIOS.replace("from paddle.io import", "from paddlefish.io import")
    exec(compile(src, "<scenarios>", "exec"), ns)  # noqa: S102 - constant source, shared with the oracle
    return json.loads(json.dumps(ns["run_all"](request.param)))


@pytest.fixture(scope="module")
def paddle_batches(tmp_path_factory):
    code = f"import paddle\n{SCENARIOS}\nprint(json.dumps(run_all(0)))\n"
    out = run_paddle(code, "3.3", cwd=tmp_path_factory.mktemp("dl"), timeout=180)
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.oracle
@pytest.mark.parametrize("scenario", ["mixed", "one", "dict", "nobatch", "collate", "shuffle"])
def test_dataloader_batches_match_paddle(paddle_batches, our_batches, scenario):
    assert our_batches[scenario] == paddle_batches[scenario]


@pytest.mark.oracle
def test_shuffle_scenario_is_really_shuffled(paddle_batches):
    # guards the comparison above against a vacuous pass: real Paddle did shuffle
    batches = paddle_batches["shuffle"]
    assert all(b["T"] == "paddle.int64" for b in batches)
    first_column = [row[0] for b in batches for row in b["v"]]
    assert sorted(first_column) == list(range(5)) and first_column != list(range(5))
