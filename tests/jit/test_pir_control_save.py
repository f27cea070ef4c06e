"""paddlefish ``jit.save`` as PIR of models with tensor ``if``/``while`` (NOTE [PIR control-flow
lowering]): the ``pd_op.if``/``pd_op.while`` structure written, paddlefish's own ``jit.load`` of
it, and real Paddle 3.3's ``paddle.jit.load`` and ``paddle.inference.create_predictor`` running
every export with paddlefish's eager outputs (one Paddle subprocess for all models).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish import formats, ir, ops
from paddlefish.static import InputSpec
from tests.jit import test_control_flow as cf
from tests.jit import test_dy2static_edges as edges
from tests.jit.test_pir_save import ORACLE
from tests.oracle import require, run_paddle

RTOL = ATOL = 1e-5

# name -> (module of the model source, class name, input specs, input cases)
MODELS = {n: (cf, n, cf.SPECS[n], cf.CASES[n]) for n in cf.SPECS}
MODELS.update(
    {
        n: (edges, edges.CLASS.get(n, n), edges.SPECS[n], edges.CASES[n])
        for n in edges.SPECS
        if n not in edges.NO_PF_EAGER
    }
)


@pytest.fixture
def pir_mode():
    paddle.set_flags({"FLAGS_enable_pir_api": True})
    yield
    paddle.set_flags({"FLAGS_enable_pir_api": False})


@pytest.fixture(scope="module")
def classes(tmp_path_factory):
    d = tmp_path_factory.mktemp("models")
    out = {}
    for src, tag in ((cf, "cf"), (edges, "edges")):
        code = src.MODELS.replace("import paddle\n", "import paddlefish as paddle\n")
        out[src] = edges._load_models(d, code, f"pf_pir_{tag}_models")
    return out


def _export(classes, name, root):
    src, cls, specs, cases = MODELS[name]
    paddle.seed(0)
    layer = getattr(classes[src], cls)()
    layer.eval()
    prefix = root / name / "model"
    paddle.jit.save(layer, str(prefix), input_spec=[InputSpec(*s) for s in specs])
    refs = [layer(*[paddle.to_tensor(a) for a in xs]).numpy() for xs in cases]
    return prefix, refs


def _ops(module):
    return [op.name for op in module.walk()]


def test_if_is_written_as_nested_pd_op_if(classes, tmp_path, pir_mode):
    prefix, _ = _export(classes, "IfElse", tmp_path)
    module = formats.load_pir_json(str(prefix) + ".json")
    names = _ops(module)
    assert names.count("pd_op.if") == 2 and "conditional_block" not in str(names)
    outer = next(op for op in module.global_block().ops if op.name == "pd_op.if")
    assert len(outer.regions) == 2 and len(outer.results) == 1
    for region in outer.regions:
        (block,) = region.blocks
        assert block.args == [] and block.ops[-1].name == "cf.yield"
        assert len(block.ops[-1].operands) == 1
    # the elif is an if nested in the false region; its result is what that region yields
    inner = [op for op in outer.regions[1].blocks[0].ops if op.name == "pd_op.if"]
    assert len(inner) == 1
    cond_type = next(
        op.results[0].type
        for op in module.walk()
        if op.results and op.results[0].id == outer.operands[0]
    )
    assert cond_type.dtype == paddle.bool


def test_while_carries_values_through_block_arguments(classes, tmp_path, pir_mode):
    prefix, _ = _export(classes, "WhileLoop", tmp_path)
    module = formats.load_pir_json(str(prefix) + ".json")
    (w,) = [op for op in module.walk() if op.name == "pd_op.while"]
    (body,) = w.regions[0].blocks
    # operands: the condition, then one initial value per result; the body takes one argument
    # per carried value and yields the next condition first
    assert len(w.operands) == len(w.results) + 1 == len(body.args) + 1
    assert all(a.id < 0 for a in body.args)
    assert body.ops[-1].name == "cf.yield" and len(body.ops[-1].operands) == len(w.operands)
    assert sorted(str(r.type) for r in w.results) == ["float32[-1, 4]", "int64[1]"]


# Paddle 3.3 writes pd_op.any/all as any(x) {axis, keepdim} (observed), and so does the lowering;
# the lift rule reads that attribute form (LogicalOps covers it).
@pytest.mark.parametrize("name", sorted(MODELS))
def test_round_trip_in_paddlefish(classes, tmp_path, pir_mode, name):
    prefix, refs = _export(classes, name, tmp_path)
    assert prefix.with_suffix(".json").exists() and not prefix.with_suffix(".pdmodel").exists()
    loaded = paddle.jit.load(str(prefix))
    for xs, ref in zip(MODELS[name][3], refs):
        got = loaded(*[paddle.to_tensor(a) for a in xs]).numpy()
        np.testing.assert_allclose(got, ref, rtol=RTOL, atol=ATOL, err_msg=name)


def test_conditional_block_output_read_outside_select_is_refused():
    prog = ir.Program()
    b = prog.global_block()
    for n, dt in (("c", paddle.bool), ("x", paddle.float32), ("y", paddle.float32)):
        b.create_var(n, dtype=dt, shape=[1])
    sub = prog.create_block(0)
    sub.append_op("assign", {"X": ["x"]}, {"Out": ["y"]})
    cb = b.append_op("conditional_block", {"Cond": ["c"], "Input": ["x"]}, {"Out": ["y"]})
    cb.set_attr("sub_block", sub.idx, ir.AttrType.BLOCK)
    b.append_op("relu", {"X": ["y"]}, {"Out": ["x"]})
    with pytest.raises(ir.LowerError, match="output of a conditional_block.*select_input"):
        ir.lower_program(prog, ops.lookup, name="t")


@pytest.mark.oracle
def test_real_paddle_33_runs_our_control_flow_exports(classes, tmp_path, pir_mode):
    require("3.3")
    refs, names = {}, []
    for name in MODELS:
        for k, xs in enumerate(MODELS[name][3]):
            case = f"{name}_{k}"
            _, ref = _export(classes, name, tmp_path / case)
            d = tmp_path / case / name
            # the oracle script reads DIR/model.json and DIR/in.npz for each entry of names.json
            np.savez(d / "in.npz", **{f"x{i}": x for i, x in enumerate(xs)})
            refs[case] = ref[k]
            names.append(f"{case}/{name}")
    (tmp_path / "names.json").write_text(json.dumps(names))
    (tmp_path / "oracle.py").write_text(ORACLE)
    out = run_paddle(
        f"import runpy, sys; sys.argv = ['o', {str(tmp_path)!r}]; "
        f"runpy.run_path({str(tmp_path / 'oracle.py')!r}, run_name='__main__')",
        "3.3",
        timeout=600,
    )
    report = json.loads(out.strip().splitlines()[-1])
    for path in names:
        case = path.split("/")[0]
        assert report[path] == {}, (path, report[path])
        for kind in ("jit", "pred"):
            got = np.load(tmp_path / path / f"{kind}.npz")
            assert len(got.files) == 1, (path, kind)
            np.testing.assert_allclose(
                got["arr_0"], refs[case], rtol=RTOL, atol=ATOL, err_msg=f"{path} {kind}"
            )
