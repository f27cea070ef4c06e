"""PIR ``.json`` files written by every Paddle 3.x release (schema versions 1-4) load and run.

tests/fixtures/pir/<release>/ holds small models that real Paddle 3.0.0, 3.1.1, 3.2.2 and 3.3.1
exported with ``tools/make_pir_fixtures.py`` (an MLP, a CNN with batch norm, a tensor ``if``, a
``while``, an int64 embedding model, two inputs with a dict output, the ops whose attributes
changed between schema versions, and a layer with a second ``@to_static`` method), each with the
inputs and what that Paddle's own ``jit.load`` returned (``ref.npz``). paddlefish must load every
one with ``jit.load`` and with ``paddle.inference``, agree with the reference, and keep agreeing
after converting it to a legacy ``.pdmodel`` and to a version-4 ``.json``. The fixtures need no
Paddle installed; the oracle test at the end checks that real Paddle 3.3 agrees with them too.
"""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish import formats, inference
from paddlefish.jit.convert import convert_program
from tests.oracle import run_paddle

ROOT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "pir"
RELEASES = sorted(p.name for p in ROOT.iterdir() if p.is_dir())
MODELS = sorted(json.loads((ROOT / "3.0" / "manifest.json").read_text())["models"])
CASES = [(r, m) for r in RELEASES for m in MODELS]
RTOL, ATOL = 1e-5, 1e-6


def _ref(release, model):
    return np.load(ROOT / release / model / "ref.npz")


def _n_cases(ref):
    return len({k.split("_")[1] for k in ref.files if k.startswith("in_")})


def _inputs(ref, i):
    return [ref[f"in_{i}_{j}"] for j in range(9) if f"in_{i}_{j}" in ref]


def _outs(result):
    if isinstance(result, dict):
        return [result[k].numpy() for k in result]
    if isinstance(result, (list, tuple)):
        return [r.numpy() for r in result]
    return [result.numpy()]


def _check_layer(prefix, ref, model):
    loaded = paddle.jit.load(str(prefix))
    for i in range(_n_cases(ref)):
        xs = [paddle.to_tensor(x) for x in _inputs(ref, i)]
        got = _outs(loaded(*xs))
        assert len(got) == len([k for k in ref.files if k.startswith(f"out_{i}_")])
        for j, g in enumerate(got):
            np.testing.assert_allclose(g, ref[f"out_{i}_{j}"], rtol=RTOL, atol=ATOL)
        if model == "methods":
            np.testing.assert_allclose(
                _outs(loaded.infer(*xs))[0], ref[f"infer_{i}_0"], rtol=RTOL, atol=ATOL
            )
    return loaded


def test_fixtures_cover_every_schema_version():
    versions = {
        r: json.loads((ROOT / r / "manifest.json").read_text())["schema_versions"] for r in RELEASES
    }
    assert versions == {"3.0": [1], "3.1": [2], "3.2": [3], "3.3": [4]}
    for r in RELEASES:
        for m in MODELS:
            raw = formats.load_pir_json(ROOT / r / m / "model.json", upgrade=False)
            assert raw.version == versions[r][0]


@pytest.mark.parametrize("release, model", CASES)
def test_jit_load_matches_the_writing_paddle(release, model):
    loaded = _check_layer(ROOT / release / model / "model", _ref(release, model), model)
    assert len(loaded.state_dict()) > 0 or model == "while_loop"


@pytest.mark.parametrize("release, model", CASES)
def test_inference_predictor_matches(release, model):
    d = ROOT / release / model
    ref = _ref(release, model)
    config = inference.Config(str(d / "model.json"), str(d / "model.pdiparams"))
    if model == "while_loop":  # no parameters: the jit.save prefix
        config = inference.Config(str(d / "model"))
    config.disable_gpu()
    pred = inference.create_predictor(config)
    for i in range(_n_cases(ref)):
        for name, x in zip(pred.get_input_names(), _inputs(ref, i)):
            h = pred.get_input_handle(name)
            h.reshape(list(x.shape))
            h.copy_from_cpu(x)
        pred.run()
        outs = [pred.get_output_handle(n).copy_to_cpu() for n in pred.get_output_names()]
        for j, o in enumerate(outs):
            np.testing.assert_allclose(o, ref[f"out_{i}_{j}"], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("release", [r for r in RELEASES if r != "3.3"])
@pytest.mark.parametrize("model", [m for m in MODELS if m != "methods"])
def test_converted_to_legacy_and_to_pir_v4_still_match(release, model, tmp_path):
    src = ROOT / release / model / "model"
    ref = _ref(release, model)
    convert_program(str(src), str(tmp_path / "legacy" / "model"), "legacy")
    _check_layer(tmp_path / "legacy" / "model", ref, model)
    convert_program(str(src), str(tmp_path / "v4" / "model"), "pir")
    assert json.loads((tmp_path / "v4" / "model.json").read_text())["base_code"]["version"] == 4
    _check_layer(tmp_path / "v4" / "model", ref, model)
    # and back: the legacy copy lowered to PIR again
    convert_program(str(tmp_path / "legacy" / "model"), str(tmp_path / "pir2" / "model"), "pir")
    _check_layer(tmp_path / "pir2" / "model", ref, model)


# real Paddle loads each listed prefix with jit.load (and, for PIR, create_predictor), runs the
# reference inputs and writes what it got to out.npz under key "<index>:<case>_<j>"
_ORACLE = r"""
import json, sys, numpy as np, paddle
todo = json.load(open("todo.json"))
got = {}
for k, (prefix, ref_file, predictor) in enumerate(todo):
    ref = np.load(ref_file)
    n = len({f.split("_")[1] for f in ref.files if f.startswith("in_")})
    layer = paddle.jit.load(prefix)
    for i in range(n):
        xs = [ref[f"in_{i}_{j}"] for j in range(9) if f"in_{i}_{j}" in ref]
        r = layer(*[paddle.to_tensor(x) for x in xs])
        r = list(r.values()) if isinstance(r, dict) else r if isinstance(r, (list, tuple)) else [r]
        for j, o in enumerate(r):
            got[f"{k}:{i}_{j}"] = o.numpy()
        if predictor:
            from paddle import inference
            c = inference.Config(prefix + ".json", prefix + ".pdiparams")
            c.disable_gpu()
            # Paddle 3.3's oneDNN path cannot run even its own interp ops ("ConvertPirAttribute2
            # RuntimeAttribute not support [pir::ArrayAttribute<pir::DoubleAttribute>]")
            c.disable_mkldnn()
            p = inference.create_predictor(c)
            for name, x in zip(p.get_input_names(), xs):
                h = p.get_input_handle(name); h.reshape(list(x.shape)); h.copy_from_cpu(x)
            p.run()
            for j, name in enumerate(p.get_output_names()):
                got[f"{k}:p{i}_{j}"] = p.get_output_handle(name).copy_to_cpu()
np.savez("out.npz", **got)
"""


def _oracle_agrees(version, todo, tmp_path, legacy=False):
    """Run ``todo`` = [(prefix, ref.npz, with predictor)] in real Paddle and compare."""
    (tmp_path / "todo.json").write_text(json.dumps([[str(p), str(r), q] for p, r, q in todo]))
    run_paddle(_ORACLE, version, cwd=tmp_path, legacy=legacy)
    got = np.load(tmp_path / "out.npz")
    for k, (_, ref_file, predictor) in enumerate(todo):
        ref = np.load(ref_file)
        outs = [f for f in ref.files if f.startswith("out_")]
        for f in outs:
            case = f[len("out_") :]
            np.testing.assert_allclose(got[f"{k}:{case}"], ref[f], rtol=RTOL, atol=ATOL)
            if predictor:
                np.testing.assert_allclose(got[f"{k}:p{case}"], ref[f], rtol=RTOL, atol=ATOL)


@pytest.mark.oracle
def test_real_paddle_33_agrees_with_old_fixtures_and_our_conversions(tmp_path):
    """Real Paddle 3.3 (which upgrades old files itself) gives the reference outputs for every
    older fixture, for our upgraded (``convert`` to PIR) copies (also through
    ``create_predictor``), and for our lowering of the legacy conversion back to PIR; Paddle 2.6
    runs the legacy conversions. (One subprocess per Paddle for 54 + 18 loads.)"""
    todo33, todo26 = [], []
    for release in [r for r in RELEASES if r != "3.3"]:
        for model in [m for m in MODELS if m != "methods"]:
            src = ROOT / release / model / "model"
            ref = ROOT / release / model / "ref.npz"
            out = tmp_path / release / model
            convert_program(str(src), str(out / "v4" / "model"), "pir")
            convert_program(str(src), str(out / "legacy" / "model"), "legacy")
            convert_program(str(out / "legacy" / "model"), str(out / "pir2" / "model"), "pir")
            has_params = model != "while_loop"
            # create_predictor (slow in Paddle) on our upgraded copies; jit.load on the rest
            todo33 += [(src, ref, False), (out / "v4" / "model", ref, has_params)]
            todo33.append((out / "pir2" / "model", ref, False))
            todo26.append((out / "legacy" / "model", ref, False))
    (tmp_path / "o33").mkdir()
    _oracle_agrees("3.3", todo33, tmp_path / "o33")
    (tmp_path / "o26").mkdir()
    _oracle_agrees("2.6", todo26, tmp_path / "o26", legacy=True)
