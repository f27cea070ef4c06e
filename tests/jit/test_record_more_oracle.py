"""jit.save records ops whose output shape depends on the data (NOTE [data-dependent shapes]:
``masked_select``, ``where_index``, ``equal_all``, ``sequence_mask``) and the API functions that
used to be eager-only or unrecordable (``F.one_hot``, ``F.sequence_mask``, ``paddle.norm`` as
``p_norm``) into legacy ``.pdmodel`` files, checked against real Paddle 2.6 both ways:

* our export runs in paddlefish (``jit.load``, ``paddle.inference``) and in Paddle 2.6
  (``jit.load``, predictor) with Paddle's eager outputs, on batch sizes and data that change the
  data-dependent result sizes;
* Paddle 2.6's own export runs in paddlefish with the same outputs;
* our programs declare the ops as Paddle's do: op types, attributes with their types, and the
  output variables' dtypes and shapes (``-1`` for a data-dependent size).
"""

from __future__ import annotations

import json
import runpy

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish import formats, inference
from paddlefish.static import InputSpec
from tests.jit.record_more_models import ORACLE, RECORD_MODELS, SOURCE, SPECS
from tests.jit.test_jit_interop import as_paddlefish
from tests.oracle import run_paddle

RTOL = ATOL = 1e-5
# ops around the ones under test that are not compared (feeds, fetches, Paddle's output scales)
_FRAME = {"feed", "fetch", "scale"}
_NOISE_ATTRS = {"op_callstack", "with_quant_attr"}


def _outs(r):
    return [t.numpy() for t in (r if isinstance(r, (list, tuple)) else [r])]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Our exports in ``ours/``, Paddle 2.6's in ``theirs/``, Paddle's results in ``ref_*.npz``."""
    root = tmp_path_factory.mktemp("record_more")
    (root / "models_more.py").write_text(SOURCE)
    (root / "models_more_pf.py").write_text(as_paddlefish(SOURCE))
    ns = runpy.run_path(str(root / "models_more_pf.py"))
    for name in RECORD_MODELS:
        specs = [InputSpec(*s) for s in SPECS[name]]
        paddle.jit.save(ns[name](), str(root / "ours" / name), input_spec=specs)
    args = {"names": RECORD_MODELS, "specs": SPECS, "ext": ".pdmodel"}
    (root / "oracle_args.json").write_text(json.dumps(args))
    out = run_paddle(ORACLE, "2.6", cwd=root)
    return root, json.loads(out.strip().splitlines()[-1])


def _ref(root, name):
    with np.load(root / f"ref_{name}.npz") as z:
        return {k: z[k] for k in z.files}


def _cases(ref):
    n = 1 + max(int(k.split("_")[1]) for k in ref if k.startswith("in_"))
    for i in range(n):
        xs = [ref[f"in_{i}_{j}"] for j in range(sum(k.startswith(f"in_{i}_") for k in ref))]
        want = [ref[f"eager_{i}_{j}"] for j in range(sum(k.startswith(f"eager_{i}_") for k in ref))]
        yield i, xs, want


def _same(got, want, what):
    assert len(got) == len(want), f"{what}: {len(got)} outputs, Paddle's eager gives {len(want)}"
    for j, (g, w) in enumerate(zip(got, want)):
        g = np.asarray(g)
        assert g.shape == w.shape and g.dtype == w.dtype, (
            f"{what} output {j}: {g.dtype}{list(g.shape)} vs Paddle's {w.dtype}{list(w.shape)}"
        )
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL, err_msg=f"{what} output {j}")


@pytest.mark.parametrize("name", RECORD_MODELS)
def test_paddle26_runs_our_export(exported, name):
    root, report = exported
    rep, ref = report[name], _ref(root, name)
    assert "jit_error" not in rep, rep["jit_error"]
    assert "pred_error" not in rep, rep["pred_error"]
    for i, _, want in _cases(ref):
        _same(
            [ref[f"jit_{i}_{j}"] for j in range(len(want))], want, f"Paddle 2.6 jit.load case {i}"
        )
        _same([ref[f"pred_{i}_{j}"] for j in range(len(want))], want, f"Paddle 2.6 predictor {i}")


@pytest.mark.parametrize("name", RECORD_MODELS)
@pytest.mark.parametrize("side", ["ours", "theirs"])
def test_paddlefish_runs_export(exported, name, side):
    root, _ = exported
    loaded = paddle.jit.load(str(root / side / name))
    for i, xs, want in _cases(_ref(root, name)):
        _same(_outs(loaded(*[paddle.to_tensor(x) for x in xs])), want, f"jit.load {side} {i}")


@pytest.mark.parametrize("name", RECORD_MODELS)
def test_paddlefish_predictor_runs_our_export(exported, name):
    root, _ = exported
    prefix = str(root / "ours" / name)
    cfg = inference.Config(prefix + ".pdmodel", prefix + ".pdiparams")
    cfg.disable_gpu()
    pred = inference.create_predictor(cfg)
    for i, xs, want in _cases(_ref(root, name)):
        for n, x in zip(pred.get_input_names(), xs):
            pred.get_input_handle(n).copy_from_cpu(x)
        pred.run()
        got = [pred.get_output_handle(n).copy_to_cpu() for n in pred.get_output_names()]
        _same(got, want, f"predictor case {i}")


def _signature(path):
    """The compared part of a program: per op (frame ops left out) its type, attributes with
    attribute types, and each output's dtype and shape."""
    block = formats.load_program_desc(path).global_block()
    sig = []
    for op in block.ops:
        if op.type in _FRAME:
            continue
        attrs = {k: (op.attr_types.get(k), v) for k, v in op.attrs.items() if k not in _NOISE_ATTRS}
        outs = {
            slot: [(str(block.vars[n].dtype), list(block.vars[n].shape)) for n in op.output(slot)]
            for slot in sorted(op.outputs)
        }
        ins = sorted(slot for slot in op.inputs if op.input(slot))
        sig.append((op.type, ins, attrs, outs))
    return sig


@pytest.mark.parametrize("name", RECORD_MODELS)
def test_program_is_declared_as_paddle26_declares_it(exported, name):
    root, _ = exported
    ours = _signature(root / "ours" / f"{name}.pdmodel")
    theirs = _signature(root / "theirs" / f"{name}.pdmodel")
    assert ours == theirs
