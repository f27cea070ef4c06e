"""``paddlefish bench MODEL --batch 1,16 --threads N``: rows, random inputs from feed specs, errors.

No timing asserts (the numbers are the tool's output, not the test's subject): the rows exist for
every (threads, batch), percentiles are ordered, throughput is batch / p50, and inputs with
dynamic non-batch dims need ``--shape``.
"""

from __future__ import annotations

import json
import runpy

import pytest

import paddlefish as paddle
from paddlefish.cli import _bench, main
from paddlefish.static import InputSpec
from tests.inference.test_predictor import as_paddlefish
from tests.jit.zoo import ZOO


def _save_zoo(tmp_path, name):
    src = tmp_path / f"m_{name}.py"
    src.write_text(as_paddlefish(ZOO[name]))
    layer, specs, _ = runpy.run_path(str(src))["build"]()
    layer.eval()
    prefix = str(tmp_path / name)
    paddle.jit.save(layer, prefix, input_spec=specs)
    return prefix


def test_rows_per_threads_and_batch_with_ordered_percentiles(tmp_path, capsys):
    prefix = _save_zoo(tmp_path, "textcls")  # int64 ids feed an Embedding(100, ...)
    assert main(["bench", prefix, "--batch", "1,3", "--threads", "1,2", "--iters", "4",
                 "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["threads"], r["batch"]) for r in rows] == [(1, 1), (1, 3), (2, 1), (2, 3)]
    for r in rows:
        assert r["iters"] == 4 and 0 < r["p50_ms"] <= r["p90_ms"] <= r["p99_ms"]
        assert r["throughput"] == pytest.approx(r["batch"] / r["p50_ms"] * 1e3, rel=1e-3)
        assert r["create_ms"] > 0 and r["first_ms"] > 0
        assert r["path"] in ("onednn-graph", "onednn-lowered", "torchscript", "interpreter")
    assert main(["bench", prefix + ".pdmodel", "--iters", "2"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:2] == ["batch", "threads"] and "p99" in table[0]
    assert table[0].split()[-1] == "path" and table[1].split()[-1] == rows[0]["path"]
    assert table[1].split()[:2] == ["1", "1"]


def test_random_inputs_follow_the_feed_specs(tmp_path):
    prefix = _save_zoo(tmp_path, "two_in_dict")
    specs = _bench.feed_specs(prefix + ".pdmodel")
    declared = {s.name: (list(s.shape), s.dtype) for s in runpy.run_path(
        str(tmp_path / "m_two_in_dict.py"))["build"]()[1]}
    assert {n: (shape, str(dt)) for n, shape, dt in specs} == {
        n: ([-1 if d is None else d for d in shape], str(dt).replace("paddle.", ""))
        for n, (shape, dt) in declared.items()}
    rows = _bench.bench(prefix, [2], [1], iters=1, warmup=0)
    assert rows[0].batch == 2


def test_dynamic_non_batch_dims_need_shape(tmp_path, capsys):
    prefix = str(tmp_path / "seq")
    paddle.jit.save(paddle.nn.Linear(8, 2), prefix,
                    input_spec=[InputSpec([None, None, 8], "float32", "x")])
    assert main(["bench", prefix, "--iters", "1"]) == 1
    err = capsys.readouterr().err
    assert "input 'x'" in err and "[-1, -1, 8]" in err and "--shape x=1xNx8" in err
    assert main(["bench", prefix, "--batch", "2", "--iters", "1", "--shape", "x=1x5x8",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["batch"] == 2
    assert main(["bench", prefix, "--iters", "1", "--shape", "x=1x5x9"]) == 1
    assert "must be [8]" in capsys.readouterr().err
    assert main(["bench", prefix, "--iters", "1", "--shape", "y=1x5x8"]) == 1
    assert "['x']" in capsys.readouterr().err
    assert main(["bench", prefix, "--shape", "x=1by5"]) == 1
    assert "NAME=D1xD2" in capsys.readouterr().err
    assert main(["bench", prefix, "--batch", "0,2", "--shape", "x=1x5x8"]) == 1
    assert "--batch '0,2'" in capsys.readouterr().err
