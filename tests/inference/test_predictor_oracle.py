"""paddlefish's predictor against real Paddle Inference on the same files: the zoo exported by
paddlefish and by Paddle 2.6 (legacy .pdmodel), and by Paddle 3.3 (PIR .json)."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from paddlefish import inference
from tests.inference.test_predictor import MODELS, zoo  # noqa: F401 - the fixture
from tests.jit.zoo import ZOO
from tests.oracle import run_paddle

pytestmark = pytest.mark.oracle
BATCHES = (1, 3)

ORACLE = r"""
import json, os, runpy, sys, numpy as np, paddle
from paddle import inference
root, names, pf = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
ver = paddle.__version__[:3]
report = {}

def predict(model, params, xs):
    c = inference.Config(model, params); c.disable_gpu(); c.disable_glog_info()
    p = inference.create_predictor(c)
    for n, x in zip(p.get_input_names(), xs):
        h = p.get_input_handle(n); h.reshape(x.shape); h.copy_from_cpu(x)
    p.run()
    return [p.get_output_handle(n).copy_to_cpu() for n in p.get_output_names()]

for name in names:
    try:
        d = os.path.join(root, name); os.makedirs(d, exist_ok=True)
        src = os.path.join(d, "model_pd.py"); open(src, "w").write(json.load(open(os.path.join(root, "zoo.json")))[name])
        paddle.seed(0)
        layer, specs, _ = runpy.run_path(src)["build"](); layer.eval()
        prefix = os.path.join(d, "pd" + ver, "model")
        paddle.jit.save(layer, prefix, input_spec=specs)
        model = prefix + (".json" if os.path.exists(prefix + ".json") else ".pdmodel")
        inputs = np.load(os.path.join(d, "inputs.npz"))
        res = {}
        for b in %(batches)s:
            xs = [inputs[k] for k in sorted(inputs.files) if k.startswith(f"b{b}_")]
            for j, o in enumerate(predict(model, prefix + ".pdiparams", xs)):
                res[f"pd_b{b}_{j}"] = o
            if name in pf:
                for j, o in enumerate(predict(pf[name] + ".pdmodel", pf[name] + ".pdiparams", xs)):
                    res[f"pf_b{b}_{j}"] = o
        np.savez(os.path.join(d, "oracle_" + ver + ".npz"), **res)
        report[name] = {"model": model, "params": prefix + ".pdiparams"}
    except Exception as e:
        import traceback; report[name] = {"error": traceback.format_exc()[-2000:]}
print(json.dumps(report))
""".replace("%(batches)s", repr(BATCHES))


def _inputs(root, zoo_fixture, names):
    for name in names:
        _, make = zoo_fixture[name]
        rng = np.random.default_rng(7)
        d = root / name
        d.mkdir(parents=True, exist_ok=True)
        arrs = {f"b{b}_{i}": x for b in BATCHES for i, x in enumerate(make(rng, b))}
        np.savez(d / "inputs.npz", **arrs)


def _ours(model, params, xs):
    c = inference.Config(model, params)
    c.disable_gpu()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return [t.numpy() for t in inference.create_predictor(c).run(xs)]


def _compare(root, name, version, side, model, params, failures):
    ref = np.load(root / name / f"oracle_{version}.npz")
    inputs = np.load(root / name / "inputs.npz")
    for b in BATCHES:
        xs = [inputs[k] for k in sorted(inputs.files) if k.startswith(f"b{b}_")]
        got = _ours(model, params, xs)
        want = [ref[f"{side}_b{b}_{j}"] for j in range(len(got))]
        assert len(want) == len([k for k in ref.files if k.startswith(f"{side}_b{b}_")])
        for g, w in zip(got, want):
            try:
                np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)
            except AssertionError as e:
                failures.append(f"{name} ({side} files, batch {b}): {e}")


def _check(root, report, names, version):
    failures = []
    for name in names:
        if "error" in report[name]:
            failures.append(f"{name}: Paddle {version} failed:\n{report[name]['error']}")
        else:
            _compare(
                root, name, version, "pd", report[name]["model"], report[name]["params"], failures
            )
    return failures


def test_paddle26_inference_same_outputs(zoo, tmp_path):  # noqa: F811
    names = MODELS
    _inputs(tmp_path, zoo, names)
    (tmp_path / "zoo.json").write_text(json.dumps(ZOO))
    pf = {n: zoo[n][0] for n in names}
    out = run_paddle(
        "import sys; sys.argv = ['x'] + %r\n" % [str(tmp_path), json.dumps(names), json.dumps(pf)]
        + ORACLE,
        "2.6",
        cwd=tmp_path,
    )
    report = json.loads(out.strip().splitlines()[-1])
    failures = _check(tmp_path, report, names, "2.6")
    for name in names:  # paddlefish's own files: Paddle 2.6 Inference and our predictor agree
        _compare(
            tmp_path, name, "2.6", "pf", pf[name] + ".pdmodel", pf[name] + ".pdiparams", failures
        )
    assert not failures, "\n".join(failures)


def test_paddle33_pir_export_same_outputs(zoo, tmp_path):  # noqa: F811
    names = ["mlp", "lenet", "resnet", "mobilenet", "two_in_dict"]
    _inputs(tmp_path, zoo, names)
    (tmp_path / "zoo.json").write_text(json.dumps(ZOO))
    out = run_paddle(
        "import sys; sys.argv = ['x'] + %r\n" % [str(tmp_path), json.dumps(names), "{}"] + ORACLE,
        "3.3",
        cwd=tmp_path,
    )
    report = json.loads(out.strip().splitlines()[-1])
    for name in names:
        assert report[name].get("model", "").endswith(".json"), report[name]
    failures = _check(tmp_path, report, names, "3.3")
    assert not failures, "\n".join(failures)
