"""paddlefish ``jit.save`` with ``FLAGS_enable_pir_api`` on writes PIR ``.json`` (NOTE [jit.save
dialect], NOTE [PIR lowering]): the files, the round trip through paddlefish, the refusals, and
real Paddle 3.3 running every zoo export through ``paddle.jit.load`` and
``paddle.inference.create_predictor`` with paddlefish's dygraph outputs (one Paddle subprocess).
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish import formats, ir, ops
from paddlefish.static import InputSpec
from tests.jit.test_jit_interop import build
from tests.jit.zoo import ZOO
from tests.oracle import require, run_paddle

RTOL = ATOL = 1e-5
BATCH = 3


@pytest.fixture
def pir_mode():
    paddle.set_flags({"FLAGS_enable_pir_api": True})
    yield
    paddle.set_flags({"FLAGS_enable_pir_api": False})


def _outs(result):
    if isinstance(result, (list, tuple)):
        return [r.numpy() for r in result]
    if isinstance(result, dict):
        return [result[k].numpy() for k in result]
    return [result.numpy()]


def _export(name, root):
    layer, specs, make = build(name, root)
    layer.eval()
    xs = make(np.random.default_rng(0), BATCH)[: len(specs)]
    prefix = root / name / "model"
    paddle.jit.save(layer, str(prefix), input_spec=specs)
    ref = _outs(layer(*[paddle.to_tensor(x) for x in xs]))
    return prefix, xs, ref


def test_flag_selects_the_dialect(tmp_path, pir_mode):
    lin = paddle.nn.Linear(4, 3)
    spec = [InputSpec([None, 4], "float32", "x")]
    paddle.jit.save(lin, str(tmp_path / "pir" / "lin"), input_spec=spec)
    assert sorted(os.listdir(tmp_path / "pir")) == ["lin.json", "lin.pdiparams"]
    module = formats.load_pir_json(tmp_path / "pir" / "lin.json")
    assert [op.name for op in module.walk()] == [
        "builtin.parameter",
        "builtin.parameter",
        "pd_op.data",
        "pd_op.matmul",
        "pd_op.add",
        "pd_op.fetch",
    ]
    paddle.set_flags({"FLAGS_enable_pir_api": False})
    paddle.jit.save(lin, str(tmp_path / "legacy" / "lin"), input_spec=spec)
    assert sorted(os.listdir(tmp_path / "legacy")) == [
        "lin.pdiparams",
        "lin.pdiparams.info",
        "lin.pdmodel",
    ]
    # the parameters file is the same in both dialects
    assert (tmp_path / "pir" / "lin.pdiparams").read_bytes() == (
        tmp_path / "legacy" / "lin.pdiparams"
    ).read_bytes()


@pytest.mark.parametrize("name", ["mlp", "resnet", "lstm", "two_in_dict", "dynbatch"])
def test_round_trip_in_paddlefish(tmp_path, pir_mode, name):
    prefix, xs, ref = _export(name, tmp_path)
    assert prefix.with_suffix(".json").exists() and not prefix.with_suffix(".pdmodel").exists()
    loaded = paddle.jit.load(str(prefix))
    got = _outs(loaded(*[paddle.to_tensor(x) for x in xs]))
    assert len(got) == len(ref)
    for g, r in zip(got, ref):
        np.testing.assert_allclose(g, r, rtol=RTOL, atol=ATOL)


def test_batch_norm_statistics_are_not_trainable(tmp_path, pir_mode):
    prefix, _, _ = _export("resnet", tmp_path)
    info = ir.pir_parameter_info(formats.load_pir_json(str(prefix) + ".json"))
    means = {k: v for k, v in info.items() if k.endswith(("w_1", "w_2")) and "batch_norm" in k}
    assert means and all(v["stop_gradient"] and not v["trainable"] for v in means.values())
    weights = {k: v for k, v in info.items() if "conv2d" in k}
    assert weights and all(v["trainable"] and not v["stop_gradient"] for v in weights.values())


def test_control_flow_is_written_as_pd_op_if(tmp_path, pir_mode):
    """Tensor control flow lowers to pd_op.if (tests/jit/test_pir_control_save.py runs it in
    real Paddle 3.3); it used to be refused here."""

    class Cond(paddle.nn.Layer):
        def forward(self, x):
            if x.mean() > 0:
                return x + 1
            return x - 1

    paddle.jit.save(Cond(), str(tmp_path / "c"), input_spec=[InputSpec([None, 2], "float32", "x")])
    text = (tmp_path / "c.json").read_text()
    # op names are written as "<dialect id>.<name>": 1 = pd_op, 2 = cf (FORMATS.md 6.2)
    assert '"#":"1.if"' in text and '"#":"2.yield"' in text
    loaded = paddle.jit.load(str(tmp_path / "c"))
    for v in (1.0, -1.0):
        x = paddle.full([3, 2], v)
        np.testing.assert_array_equal(loaded(x).numpy(), Cond()(x).numpy())


def test_op_without_pir_name_is_refused():
    prog = ir.Program()
    b = prog.global_block()
    b.create_var("x", dtype=paddle.float32, shape=[2])
    b.create_var("y", dtype=paddle.float32, shape=[2])
    b.append_op("no_such_op_xyz", {"X": ["x"]}, {"Out": ["y"]})
    with pytest.raises(ir.LowerError, match="no_such_op_xyz.*registry does not declare"):
        ir.lower_program(prog, ops.lookup, name="t")


ORACLE = r"""
import json, os, sys, numpy as np, paddle
from paddle import inference
root = sys.argv[1]
rep = {}
for name in json.load(open(os.path.join(root, "names.json"))):
    d = os.path.join(root, name); ins = np.load(os.path.join(d, "in.npz"))
    xs = [ins[f"x{i}"] for i in range(len(ins.files))]
    r = rep[name] = {}
    try:
        l = paddle.jit.load(os.path.join(d, "model")); l.eval()
        o = l(*[paddle.to_tensor(x) for x in xs])
        o = list(o.values()) if isinstance(o, dict) else (o if isinstance(o, (list, tuple)) else [o])
        np.savez(os.path.join(d, "jit.npz"), *[t.numpy() for t in o])
    except Exception as e:
        r["jit_error"] = repr(e)[-800:]
    try:
        cfg = inference.Config(os.path.join(d, "model.json"), os.path.join(d, "model.pdiparams"))
        cfg.disable_gpu(); cfg.disable_glog_info()
        p = inference.create_predictor(cfg)
        for n, x in zip(p.get_input_names(), xs): p.get_input_handle(n).copy_from_cpu(x)
        p.run()
        np.savez(os.path.join(d, "pred.npz"),
                 *[p.get_output_handle(n).copy_to_cpu() for n in p.get_output_names()])
    except Exception as e:
        r["pred_error"] = repr(e)[-800:]
print(json.dumps(rep))
"""


@pytest.mark.oracle
def test_real_paddle_33_runs_our_pir_exports(tmp_path, pir_mode):
    require("3.3")
    refs = {}
    for name in ZOO:
        prefix, xs, ref = _export(name, tmp_path)
        np.savez(prefix.parent / "in.npz", **{f"x{i}": x for i, x in enumerate(xs)})
        refs[name] = ref
    (tmp_path / "names.json").write_text(json.dumps(list(ZOO)))
    (tmp_path / "oracle.py").write_text(ORACLE)
    out = run_paddle(
        f"import runpy, sys; sys.argv = ['o', {str(tmp_path)!r}]; "
        f"runpy.run_path({str(tmp_path / 'oracle.py')!r}, run_name='__main__')",
        "3.3",
        timeout=600,
    )
    report = json.loads(out.strip().splitlines()[-1])
    for name, ref in refs.items():
        assert report[name] == {}, (name, report[name])
        for kind in ("jit", "pred"):
            got = np.load(tmp_path / name / f"{kind}.npz")
            assert len(got.files) == len(ref), (name, kind)
            for i, r in enumerate(ref):
                np.testing.assert_allclose(
                    got[f"arr_{i}"], r, rtol=RTOL, atol=ATOL, err_msg=f"{name} {kind} out {i}"
                )
