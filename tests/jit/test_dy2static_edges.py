"""Dynamic-to-static edges that Paddle 2.6 converts: mixed int32/int64 operands, dynamic dims in
conditions (``x.shape[0] > 2``, ``len(x)``, ``range(x.shape[0])``), ``for i in range(n)`` over a
tensor, loops whose carried tensors change shape, break/continue, ``and``/``or``/``not`` and
logical ops in conditions, ``paddle.where``.

Each model is checked in both directions against real Paddle 2.6 in ONE subprocess: its eager
result is the reference; it loads paddlefish's exports (``paddle.jit.load`` and the inference
predictor) and exports the same source for paddlefish to load.
"""

from __future__ import annotations

import importlib.util
import json
import textwrap

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish._core.dtypes import convert_dtype
from paddlefish.eager.dispatch import recording
from paddlefish.errors import ConversionError
from paddlefish.jit.recorder import Recorder
from paddlefish.static import InputSpec
from tests.oracle import run_paddle

MODELS = textwrap.dedent('''
    import numpy as np
    import paddle


    class MixedInt(paddle.nn.Layer):
        def forward(self, x, n):
            i = paddle.zeros([1], "int32")
            while i < n:
                x = x * 2.0
                i = i + 1
            return x


    class PyCounter(paddle.nn.Layer):
        def forward(self, x, n):
            i = 0
            while i < n:
                x = x + 1.0
                i += 1
            return x


    class Grow(paddle.nn.Layer):
        def forward(self, x, n):
            i = paddle.zeros([1], "int64")
            y = x * 0.5
            while i < n:
                x = paddle.concat([x, y])
                i += 1
            return x


    class GrowCols(paddle.nn.Layer):
        def forward(self, x, n):
            i = paddle.zeros([1], "int64")
            while i < n:
                x = paddle.concat([x, x + 1.0], axis=1)
                i += 1
            return x


    class ShapeIf(paddle.nn.Layer):
        def forward(self, x):
            if x.shape[0] > 2:
                x = x * 2.0
            else:
                x = x - 1.0
            return x


    class ShapeEq(paddle.nn.Layer):
        def forward(self, x):
            if x.shape[0] == 1:
                x = x + 10.0
            return x


    class LenIf(paddle.nn.Layer):
        def forward(self, x):
            if len(x) >= 3:
                x = x * 3.0
            return x


    class ShapeArith(paddle.nn.Layer):
        def forward(self, x):
            if x.shape[0] * 2 > 5:
                x = x + 100.0
            return x


    class ShapeAug(paddle.nn.Layer):
        def forward(self, x):
            n = x.shape[0]
            n += 1
            if n > 3:
                x = x - 5.0
            return x


    class ReshapeDyn(paddle.nn.Layer):
        def forward(self, x):
            y = x.reshape([x.shape[0] * 2, 2])
            return y * 3.0


    class ForTensor(paddle.nn.Layer):
        def forward(self, x, n):
            for i in range(n):
                x = x + i
            return x


    class ForShape(paddle.nn.Layer):
        def forward(self, x):
            y = paddle.zeros([1], "float32")
            for i in range(x.shape[0]):
                y = y + 1.0
            return x * y


    class BreakContinue(paddle.nn.Layer):
        def forward(self, x, n):
            i = paddle.zeros([1], "int64")
            while i < n:
                i = i + 1
                if x.sum() > 50.0:
                    break
                if i == 2:
                    continue
                x = x + 1.0
            return x


    class Where(paddle.nn.Layer):
        def __init__(self):
            super().__init__()
            w = (np.arange(16).reshape(4, 4) * 0.1 - 0.7).astype("float32")
            self.fc = paddle.nn.Linear(
                4, 4, weight_attr=paddle.ParamAttr(initializer=paddle.nn.initializer.Assign(w)),
                bias_attr=paddle.ParamAttr(initializer=paddle.nn.initializer.Constant(0.1)))

        def forward(self, x):
            y = self.fc(x)
            return paddle.where(y > 0, y, y * 0.1)


    class AndOrNot(paddle.nn.Layer):
        def forward(self, x):
            if x.mean() > 0 and x.sum() < 100:
                x = x + 1.0
            if x.mean() > 10 or x.min() < -0.5:
                x = x - 1.0
            if not x.max() > 2.0:
                x = x * 0.5
            return x


    class LogicalOps(paddle.nn.Layer):
        def forward(self, x):
            if paddle.logical_and(x.mean() > 0, x.max() < 5.0):
                x = x * 2.0
            if (x > 1.5).any():
                x = x - 0.25
            return x


    class Ternary(paddle.nn.Layer):
        def forward(self, x):
            return x * 2.0 if x.mean() > 0.6 else x - 1.0


    class GrowUntil(paddle.nn.Layer):
        def forward(self, x):
            while x.shape[0] < 10:
                x = paddle.concat([x, x * 0.5])
            return x


    class Numel(paddle.nn.Layer):
        def forward(self, x):
            if x.numel() > 8:
                x = x + 1.0
            return x


    class NestedLoopIf(paddle.nn.Layer):
        def forward(self, x, n):
            i = 0
            while i < n:
                if x.mean() > 1.0:
                    x = x * 0.5
                else:
                    x = x + 1.0
                i += 1
            return x


    class WhileAnd(paddle.nn.Layer):
        def forward(self, x, n):
            i = paddle.zeros([1], "int64")
            while i < n and x.sum() < 50.0:
                x = x + 1.0
                i = i + 1
            return x
''')

_X = [([-1, 4], "float32", "x")]
_XN = _X + [([1], "int64", "n")]
_XN32 = _X + [([1], "int32", "n")]
SPECS = {
    "MixedInt": _XN, "PyCounter": _XN32, "Grow": _XN, "GrowStatic": [([2, 4], "float32", "x"),
                                                                   ([1], "int64", "n")],
    "GrowCols": [([-1, 2], "float32", "x"), ([1], "int64", "n")],
    "ShapeIf": _X, "ShapeEq": _X, "LenIf": _X, "ShapeArith": _X, "ShapeAug": _X,
    "ReshapeDyn": _X, "ForTensor": _XN32,
    "ForShape": _X, "BreakContinue": _XN, "Where": _X, "AndOrNot": _X, "LogicalOps": _X,
    "WhileAnd": _XN, "Ternary": _X, "GrowUntil": _X, "Numel": _X, "NestedLoopIf": _XN,
}
CLASS = {"GrowStatic": "Grow"}  # same layer code, another input spec

# NOTE [paddle 2.6 loop shapes]: Paddle 2.6 keeps a loop variable's first shape in its var desc
# (only a warning) and writes the loop result into the fed variable itself, so its own export of
# Grow with a static [2, 4] input declares the feed as [4, 4] (GrowCols: [-1, 2] as [-1, 4]).
# paddlefish's loader runs them anyway, as Paddle does (NOTE [feed shapes are advisory] in
# jit/translated_layer.py), so no export is skipped; the set stays for exports that must be.
PADDLE_EXPORT_SKIP: set = set()
# under the Paddle 3 eager rule paddlefish's eager `int32 < int64` raises; Paddle 2.6's is the
# reference for it (its static program casts, see NOTE [static operand dtypes])
NO_PF_EAGER = {"MixedInt"}


def _x(rows, cols=4):
    return np.linspace(-1, 2, rows * cols, dtype="float32").reshape(rows, cols)


def _cases(name):
    shape = SPECS[name][0][0]
    rows_list = [shape[0]] if shape[0] > 0 else [1, 3]
    ns = [0, 3] if len(SPECS[name]) > 1 else [None]
    return [[_x(r, shape[1])] + ([np.array([n], SPECS[name][1][1])] if n is not None else [])
            for r in rows_list for n in ns]


CASES = {name: _cases(name) for name in SPECS}


def _load_models(tmp_path, src, modname):
    path = tmp_path / f"{modname}.py"
    path.write_text(src)
    spec = importlib.util.spec_from_file_location(modname, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def models(tmp_path):
    src = MODELS.replace("import paddle\n", "import paddlefish as paddle\n")
    return _load_models(tmp_path, src, "pf_edge_models")


def _save(models, name, prefix):
    paddle.seed(0)
    layer = getattr(models, CLASS.get(name, name))()
    paddle.jit.save(layer, str(prefix), input_spec=[InputSpec(*s) for s in SPECS[name]])
    return layer


def _run(layer, inputs):
    return layer(*[paddle.to_tensor(a) for a in inputs]).numpy()


def _op_types(program):
    return [[op.type for op in b.ops] for b in program.blocks]


@pytest.mark.parametrize("name", sorted(set(SPECS) - NO_PF_EAGER))
def test_export_matches_eager(models, name, tmp_path):
    layer = _save(models, name, tmp_path / name)
    loaded = paddle.jit.load(str(tmp_path / name))
    outs = []
    for inputs in CASES[name]:
        got = _run(loaded, inputs)
        np.testing.assert_allclose(got, _run(layer, inputs), rtol=1e-6, atol=1e-6)
        outs.append(got)
    # the cases are chosen to take different paths: a baked-in branch would give equal results
    if name not in ("Where", "PyCounter", "ForTensor"):
        assert any(o.shape != outs[0].shape or not np.allclose(o, outs[0]) for o in outs[1:]) or \
            len(outs) == 1


def test_mixed_int_condition_casts_right_operand(models, tmp_path):
    _save(models, "MixedInt", tmp_path / "m")
    prog = paddle.jit.load(str(tmp_path / "m")).program()
    ops = prog.global_block().ops
    lt = next(op for op in ops if op.type == "less_than")
    cast = next(op for op in ops if op.type == "cast")
    assert cast.input("X") == ["n"] and cast.attrs["out_dtype"] == 2  # int64 n -> int32
    assert lt.input("Y") == cast.output("Out")
    loaded = paddle.jit.load(str(tmp_path / "m"))
    np.testing.assert_allclose(_run(loaded, [_x(2), np.array([3])]), _x(2) * 8)


@pytest.mark.parametrize("name", ["ShapeIf", "ShapeEq", "LenIf", "ShapeArith", "ShapeAug",
                                  "Ternary", "Numel"])
def test_dynamic_dim_condition_is_recorded(models, name, tmp_path):
    _save(models, name, tmp_path / name)
    types = _op_types(paddle.jit.load(str(tmp_path / name)).program())
    assert "conditional_block" in types[0]
    if name not in ("Ternary", "Numel"):
        assert "shape" in types[0] and "slice" in types[0]
    if name == "Numel":
        assert "size" in types[0]


def test_static_dim_condition_stays_python(models, tmp_path):
    paddle.jit.save(models.ShapeIf(), str(tmp_path / "s"), input_spec=[InputSpec([3, 4])])
    loaded = paddle.jit.load(str(tmp_path / "s"))
    assert loaded.program().num_blocks == 1
    assert "conditional_block" not in _op_types(loaded.program())[0]
    np.testing.assert_allclose(_run(loaded, [_x(3)]), _x(3) * 2.0)


@pytest.mark.parametrize("name,want", [("GrowStatic", [-1, 4]), ("Grow", [-1, 4]),
                                       ("GrowCols", [-1, -1])])
def test_shape_changing_loop_var_is_declared_dynamic(models, name, want, tmp_path):
    layer = _save(models, name, tmp_path / name)
    loaded = paddle.jit.load(str(tmp_path / name))
    prog = loaded.program()
    block = prog.global_block()
    loop = next(op for op in block.ops if op.type == "while")
    fetched = next(op for op in block.ops if op.type == "fetch").input("X")[0]
    assert fetched in loop.output("Out") and block.var(fetched).shape == want
    concat = next(op for op in prog.block(1).ops if op.type == "concat")
    assert prog.block(1).var(concat.output("Out")[0]).shape == want
    for inputs in CASES[name]:
        np.testing.assert_allclose(_run(loaded, inputs), _run(layer, inputs))


BAD = textwrap.dedent('''
    import paddlefish as paddle

    class DtypeChange(paddle.nn.Layer):
        def forward(self, x, n):
            i = paddle.zeros([1], "int64")
            while i < n:
                x = x.astype("float64")
                i += 1
            return x

    class TensorIndex(paddle.nn.Layer):
        def forward(self, x, n):
            acc = paddle.zeros([4], "float32")
            for i in range(n):
                acc = acc + x[i]
            return acc

    class RankChange(paddle.nn.Layer):
        def forward(self, x, n):
            i = paddle.zeros([1], "int64")
            while i < n:
                x = x.unsqueeze(0)
                i += 1
            return x
''')


@pytest.mark.parametrize("name,line,words", [("DtypeChange", 7, "float64"),
                                             ("RankChange", 22, "rank"),
                                             ("TensorIndex", 16, "tensor index")])
def test_unconvertible_loops_are_refused_at_their_line(tmp_path, name, line, words):
    mod = _load_models(tmp_path, BAD, "bad_loop_models")
    with pytest.raises(ConversionError) as e:
        paddle.jit.save(getattr(mod, name)(), str(tmp_path / name),
                        input_spec=[InputSpec([-1, 4]), InputSpec([1], "int64")])
    assert f"bad_loop_models.py:{line}" in str(e.value) and words in str(e.value)


# Paddle 2.6's static operators on two Variables of different dtypes (NOTE [static operand
# dtypes]): the result dtype of each (left, right, operator)
PAIRS = [("int32", "int64"), ("int64", "int32"), ("float32", "int64"), ("int64", "float32"),
         ("float32", "float64"), ("float64", "float32"), ("int32", "bool")]
OPS = {"lt": lambda a, b: a < b, "ge": lambda a, b: a >= b, "eq": lambda a, b: a == b,
       "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
       "div": lambda a, b: a / b, "floordiv": lambda a, b: a // b, "mod": lambda a, b: a % b}
OPS_SRC = "{" + ", ".join(f"{k!r}: lambda a, b: a {s} b" for k, s in (
    ("lt", "<"), ("ge", ">="), ("eq", "=="), ("add", "+"), ("sub", "-"), ("mul", "*"),
    ("div", "/"), ("floordiv", "//"), ("mod", "%"))) + "}"


def _pf_static_dtypes() -> dict:
    out = {}
    for da, db in PAIRS:
        for k, f in OPS.items():
            rec = Recorder()
            with recording(rec):
                a = rec.input_variable("a", [1], convert_dtype(da))
                b = rec.input_variable("b", [1], convert_dtype(db))
                out[f"{da}-{db}-{k}"] = f(a, b).dtype.name
    return out


ORACLE = r'''
import importlib.util, json, os, warnings, numpy as np, paddle
from paddle import inference
from paddle.static import InputSpec
warnings.simplefilter("ignore")
root = ROOT
spec = importlib.util.spec_from_file_location("pd_models", root + "/pd_models.py")
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
specs, cases = json.load(open(root + "/specs.json")), json.load(open(root + "/cases.json"))
classes = json.load(open(root + "/classes.json"))
out = {"eager": {}, "pf_jit": {}, "pf_infer": {}, "pf_shapes": {}, "dtypes": {}}
def arrs(case): return [np.array(a, dtype=d) for a, d in case]
def tensors(case): return [paddle.to_tensor(a) for a in arrs(case)]
for name, sp in specs.items():
    paddle.seed(0)
    layer = getattr(mod, classes.get(name, name))()
    out["eager"][name] = [layer(*tensors(c)).numpy().tolist() for c in cases[name]]
    paddle.jit.save(layer, f"{root}/pd_{name}", input_spec=[InputSpec(*s) for s in sp])
    pf = paddle.jit.load(f"{root}/pf_{name}")
    out["pf_jit"][name] = [pf(*tensors(c)).numpy().tolist() for c in cases[name]]
    out["pf_shapes"][name] = {v.name: list(v.shape) for b in pf.program().blocks
                              for v in b.vars.values()
                              if v.type == paddle.base.core.VarDesc.VarType.LOD_TENSOR}
    cfg = inference.Config()
    cfg.set_prog_file(f"{root}/pf_{name}.pdmodel")
    if os.path.exists(f"{root}/pf_{name}.pdiparams"):  # none when nothing is persistable
        cfg.set_params_file(f"{root}/pf_{name}.pdiparams")
    cfg.disable_gpu(); cfg.disable_glog_info()
    pred = inference.create_predictor(cfg)
    res = []
    for c in cases[name]:
        for h, a in zip(pred.get_input_names(), arrs(c)):
            pred.get_input_handle(h).copy_from_cpu(a)
        pred.run()
        res.append(pred.get_output_handle(pred.get_output_names()[0]).copy_to_cpu().tolist())
    out["pf_infer"][name] = res
paddle.enable_static()
for da, db in PAIRS:
    for k, f in OPS.items():
        with paddle.static.program_guard(paddle.static.Program()):
            a = paddle.static.data("a", [1], da); b = paddle.static.data("b", [1], db)
            out["dtypes"][f"{da}-{db}-{k}"] = str(f(a, b).dtype).replace("paddle.", "")
print(json.dumps(out))
'''


@pytest.mark.oracle
def test_paddle26_both_directions(models, tmp_path):
    want_pf = {}
    for name in SPECS:
        layer = _save(models, name, tmp_path / f"pf_{name}")
        if name not in NO_PF_EAGER:
            want_pf[name] = [_run(layer, c) for c in CASES[name]]
    (tmp_path / "pd_models.py").write_text(MODELS)
    (tmp_path / "specs.json").write_text(json.dumps(SPECS))
    (tmp_path / "classes.json").write_text(json.dumps(CLASS))
    (tmp_path / "cases.json").write_text(json.dumps(
        {n: [[(a.tolist(), str(a.dtype)) for a in c] for c in CASES[n]] for n in SPECS}))
    code = ORACLE.replace("ROOT", repr(str(tmp_path))).replace(
        "for da, db in PAIRS", f"for da, db in {PAIRS!r}").replace("OPS.items()",
                                                                  f"{OPS_SRC}.items()")
    got = json.loads(run_paddle(code, version="2.6", cwd=tmp_path).strip().splitlines()[-1])
    for name in SPECS:
        mine = paddle.jit.load(str(tmp_path / f"pf_{name}"))
        theirs = None if name in PADDLE_EXPORT_SKIP else \
            paddle.jit.load(str(tmp_path / f"pd_{name}"))
        for k, case in enumerate(CASES[name]):
            ref = np.array(got["eager"][name][k], dtype="float32")
            results = {"paddlefish jit.load": _run(mine, case),
                       "paddle 2.6 jit.load of paddlefish": np.array(got["pf_jit"][name][k]),
                       "paddle 2.6 predictor of paddlefish": np.array(got["pf_infer"][name][k])}
            if theirs is not None:
                results["paddlefish jit.load of paddle 2.6"] = _run(theirs, case)
            if name in want_pf:
                results["paddlefish eager"] = want_pf[name][k]
            for what, r in results.items():
                assert r.shape == ref.shape, (name, k, what, r.shape, ref.shape)
                np.testing.assert_allclose(r, ref, rtol=1e-5, atol=1e-5,
                                           err_msg=f"{name} case {k}: {what}")
    # real Paddle reads the widened loop variable of paddlefish's export as dynamic
    shapes = got["pf_shapes"]["GrowStatic"]
    assert shapes["x"] == [2, 4] and [-1, 4] in shapes.values()
    assert got["dtypes"] == _pf_static_dtypes()
