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

import pytest

import paddlefish as paddle
from tests.jit.record_more_models import RECORD_MODELS, SOURCE, SPECS
from tests.jit.record_oracle import cases as _cases
from tests.jit.record_oracle import export_both, predictor, run_handles, signature
from tests.jit.record_oracle import outs as _outs
from tests.jit.record_oracle import ref as _ref
from tests.jit.record_oracle import same as _same

# ops around the ones under test that are not compared (feeds, fetches, Paddle's output scales)
_FRAME = {"feed", "fetch", "scale"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Our exports in ``ours/``, Paddle 2.6's in ``theirs/``, Paddle's results in ``ref_*.npz``."""
    return export_both(tmp_path_factory, "more", SOURCE, RECORD_MODELS, SPECS)


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
    pred = predictor(prefix, prefix + ".pdiparams")
    for i, xs, want in _cases(_ref(root, name)):
        got = run_handles(pred, xs)
        _same(got, want, f"predictor case {i}")


def _signature(path):
    """The compared part of a program (frame ops left out), see ``record_oracle.signature``."""
    return signature(path, lambda op: op.type in _FRAME)


@pytest.mark.parametrize("name", RECORD_MODELS)
def test_program_is_declared_as_paddle26_declares_it(exported, name):
    root, _ = exported
    ours = _signature(root / "ours" / f"{name}.pdmodel")
    theirs = _signature(root / "theirs" / f"{name}.pdmodel")
    assert ours == theirs
