"""jit.save / jit.load interchange with real Paddle, both directions, over the zoo (tests/jit/zoo.py).

paddlefish jit.save -> real Paddle 2.6 and 3.3 (legacy) load it with paddle.jit.load and with
paddle.inference.create_predictor and get paddlefish's outputs for several batch sizes;
real Paddle 2.6 jit.save -> paddlefish jit.load gives the same outputs; paddlefish fine-tunes the
loaded model 5 steps, saves, and real Paddle loads the result and agrees.
"""

from __future__ import annotations

import json
import runpy

import numpy as np
import pytest

import paddlefish as paddle
from tests.jit.zoo import ZOO
from tests.oracle import run_paddle

pytestmark = pytest.mark.oracle
BATCHES = (1, 3, 8)
RTOL, ATOL = 1e-5, 1e-5


def as_paddlefish(src: str) -> str:
    return (src.replace("import paddle\n", "import paddlefish as paddle\n")
            .replace("import paddle.nn as nn", "import paddlefish.nn as nn")
            .replace("import paddle.nn.functional as F", "import paddlefish.nn.functional as F")
            .replace("from paddle.static import", "from paddlefish.static import"))


def build(name, workdir):
    """Run the zoo source as a real file (dy2static needs inspect.getsource to work)."""
    path = workdir / f"model_pf_{name}.py"
    path.write_text(as_paddlefish(ZOO[name]))
    return runpy.run_path(str(path))["build"]()


def _outs(result):
    if isinstance(result, (list, tuple)):
        return [r.numpy() for r in result]
    if isinstance(result, dict):
        return [result[k].numpy() for k in result]
    return [result.numpy()]


ORACLE = r'''
import json, os, sys, numpy as np, paddle
from paddle import inference
root, names, phase = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
zoo = json.load(open(os.path.join(root, "zoo.json")))
report = {}

def outs(r):
    if isinstance(r, (list, tuple)): return [x.numpy() for x in r]
    if isinstance(r, dict): return [r[k].numpy() for k in r]
    return [r.numpy()]

def predict(prefix, inputs):
    cfg = inference.Config(prefix + ".pdmodel", prefix + ".pdiparams"); cfg.disable_gpu()
    cfg.disable_glog_info()
    p = inference.create_predictor(cfg)
    for h_name, x in zip(p.get_input_names(), inputs):
        h = p.get_input_handle(h_name); h.reshape(x.shape); h.copy_from_cpu(x)
    p.run()
    return [p.get_output_handle(n).copy_to_cpu() for n in p.get_output_names()]

def one(name):
    d = os.path.join(root, name); rep = report[name] = {}
    src_path = os.path.join(d, "model_pd_" + name + ".py")
    open(src_path, "w").write(zoo[name])
    import runpy; ns = runpy.run_path(src_path)
    inputs = np.load(os.path.join(d, "inputs.npz"))
    if phase == "export":
        paddle.seed(0)
        layer, specs, _ = ns["build"]()
        w = np.load(os.path.join(d, "weights.npz"))
        missing, unexpected = layer.set_state_dict({k: w[k] for k in w.files})
        rep["missing"], rep["unexpected"] = list(missing), list(unexpected)
        layer.eval()
        loaded = paddle.jit.load(os.path.join(d, "pf", "model")); loaded.eval()
        res = {}
        for b in json.loads(open(os.path.join(d, "batches.json")).read()):
            xs = [inputs[f"b{b}_{i}"] for i in range(len([k for k in inputs.files if k.startswith(f"b{b}_")]))]
            for j, o in enumerate(outs(layer(*[paddle.to_tensor(x) for x in xs]))): res[f"dyg_b{b}_{j}"] = o
            for j, o in enumerate(outs(loaded(*[paddle.to_tensor(x) for x in xs]))): res[f"jit_b{b}_{j}"] = o
            for j, o in enumerate(predict(os.path.join(d, "pf", "model"), xs)): res[f"pred_b{b}_{j}"] = o
        np.savez(os.path.join(d, f"oracle_{paddle.__version__}.npz"), **res)
        try:
            paddle.jit.save(layer, os.path.join(d, "pd" + paddle.__version__, "model"), input_spec=specs)
            rep["saved"] = True
        except Exception as e:
            rep["saved"] = repr(e)[:300]
    else:  # "finetuned": load paddlefish's fine-tuned save and run it
        res = {}
        for b in json.loads(open(os.path.join(d, "batches.json")).read()):
            xs = [inputs[f"b{b}_{i}"] for i in range(len([k for k in inputs.files if k.startswith(f"b{b}_")]))]
            m = paddle.jit.load(os.path.join(d, "ft", "model")); m.eval()
            for j, o in enumerate(outs(m(*[paddle.to_tensor(x) for x in xs]))): res[f"jit_b{b}_{j}"] = o
            for j, o in enumerate(predict(os.path.join(d, "ft", "model"), xs)): res[f"pred_b{b}_{j}"] = o
        np.savez(os.path.join(d, f"ft_{paddle.__version__}.npz"), **res)

import traceback
for name in names:
    try:
        one(name)
    except Exception:
        report.setdefault(name, {})["error"] = traceback.format_exc()[-3000:]
print(json.dumps(report))
'''


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """paddlefish side of the export phase for every zoo model."""
    root = tmp_path_factory.mktemp("zoo")
    (root / "zoo.json").write_text(json.dumps(ZOO))
    (root / "oracle.py").write_text(ORACLE)
    ours, failed = {}, {}
    for name in ZOO:
        try:
            ours[name] = _export_one(root, name)
        except Exception as e:  # noqa: BLE001 - reported by that model's tests
            failed[name] = e
    (root / "names.json").write_text(json.dumps(list(ours)))
    return root, ours, failed


def _export_one(root, name):
    d = root / name
    d.mkdir()
    if True:
        paddle.seed(0)
        layer, specs, make_inputs = build(name, d)
        layer.eval()
        np.savez(d / "weights.npz", **{k: v.numpy() for k, v in layer.state_dict().items()})
        rng = np.random.default_rng(0)
        inputs, outs = {}, {}
        for b in BATCHES:
            xs = make_inputs(rng, b)
            for i, x in enumerate(xs):
                inputs[f"b{b}_{i}"] = x
            outs[b] = _outs(layer(*[paddle.to_tensor(x) for x in xs]))
        np.savez(d / "inputs.npz", **inputs)
        (d / "batches.json").write_text(json.dumps(list(BATCHES)))
        paddle.jit.save(layer, str(d / "pf" / "model"), input_spec=specs)
    return outs


def _ours(exported, name):
    root, ours, failed = exported
    if name in failed:
        raise failed[name]
    return root, ours


def _run_oracle(root, version, phase):
    names = json.loads((root / "names.json").read_text())
    out = run_paddle(
        f"import runpy, sys; sys.argv = ['oracle', {str(root)!r}, {json.dumps(json.dumps(names))}, "
        f"{phase!r}]; runpy.run_path({str(root / 'oracle.py')!r}, run_name='__main__')",
        version, legacy=True, timeout=900,
    )
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def oracle26(exported):
    return _run_oracle(exported[0], "2.6", "export")


@pytest.fixture(scope="module")
def oracle33(exported):
    return _run_oracle(exported[0], "3.3", "export")


def _load_npz(root, name, prefix):
    files = sorted((root / name).glob(f"{prefix}*.npz"))
    assert files, f"oracle wrote no {prefix} results for {name}"
    return np.load(files[0])


@pytest.mark.parametrize("version", ["2.6", "3.3"])
@pytest.mark.parametrize("name", list(ZOO))
def test_real_paddle_runs_paddlefish_export(exported, oracle26, oracle33, name, version):
    root, ours = _ours(exported, name)
    report = (oracle26 if version == "2.6" else oracle33)[name]
    assert "error" not in report, report["error"]
    assert report["missing"] == [] and report["unexpected"] == [], report
    res = _load_npz(root, name, "oracle_" + version + ".")
    for b, outs in ours[name].items():
        for j, o in enumerate(outs):
            # same weights: paddlefish's dygraph forward equals real Paddle's
            np.testing.assert_allclose(o, res[f"dyg_b{b}_{j}"], RTOL, ATOL)
            # real Paddle's jit.load and Paddle Inference run paddlefish's files
            np.testing.assert_allclose(res[f"jit_b{b}_{j}"], o, RTOL, ATOL)
            np.testing.assert_allclose(res[f"pred_b{b}_{j}"], o, RTOL, ATOL)


@pytest.mark.parametrize("name", list(ZOO))
def test_paddlefish_loads_paddle26_export_and_finetunes(exported, oracle26, name):
    root, ours = _ours(exported, name)
    assert "error" not in oracle26[name], oracle26[name]["error"]
    assert oracle26[name]["saved"] is True, oracle26[name]["saved"]
    prefix = str(next((root / name).glob("pd2.6*")) / "model")
    loaded = paddle.jit.load(prefix)
    inputs = np.load(root / name / "inputs.npz")
    for b, outs in ours[name].items():
        xs = [paddle.to_tensor(inputs[k]) for k in sorted(inputs.files) if k.startswith(f"b{b}_")]
        for o, got in zip(outs, _outs(loaded(*xs))):
            np.testing.assert_allclose(got, o, RTOL, ATOL)
    # fine-tune 5 steps: gradients reach the loaded parameters
    loaded.train()
    opt = paddle.optimizer.SGD(1e-3, parameters=loaded.parameters())
    before = [p.numpy().copy() for p in loaded.parameters()]
    xs = [paddle.to_tensor(inputs[k]) for k in sorted(inputs.files) if k.startswith("b8_")]
    for _ in range(5):
        out = loaded(*xs)
        out = out[0] if isinstance(out, list) else out
        loss = (out.astype("float32") ** 2).mean()
        assert np.isfinite(float(loss)), f"fine-tuning diverged: loss {float(loss)}"
        loss.backward()
        opt.step()
        opt.clear_grad()
    after = [p.numpy() for p in loaded.parameters()]
    assert any(not np.allclose(a, b) for a, b in zip(after, before)), "fine-tuning changed nothing"
    loaded.eval()
    ft = {b: _outs(loaded(*[paddle.to_tensor(inputs[k]) for k in sorted(inputs.files)
                            if k.startswith(f"b{b}_")])) for b in BATCHES}
    paddle.jit.save(loaded, str(root / name / "ft" / "model"),
                    input_spec=[paddle.static.InputSpec.from_tensor(x) for x in xs])
    _run_ft_once(root)
    assert "error" not in _ft_done[name], _ft_done[name]["error"]
    res = _load_npz(root, name, "ft_2.6")
    for b, outs in ft.items():
        for j, o in enumerate(outs):
            np.testing.assert_allclose(res[f"jit_b{b}_{j}"], o, RTOL, ATOL)
            np.testing.assert_allclose(res[f"pred_b{b}_{j}"], o, RTOL, ATOL)


_ft_done: dict = {}


def _run_ft_once(root):
    # the fine-tuned saves appear one model at a time; run the oracle per model on demand
    names = [n for n in ZOO if (root / n / "ft" / "model.pdmodel").exists() and n not in _ft_done]
    if names:
        out = run_paddle(
            f"import runpy, sys; sys.argv = ['oracle', {str(root)!r}, {json.dumps(json.dumps(names))}, "
            f"'finetuned']; runpy.run_path({str(root / 'oracle.py')!r}, run_name='__main__')",
            "2.6", legacy=True, timeout=900,
        )
        report = json.loads(out.strip().splitlines()[-1])
        for n in names:
            _ft_done[n] = report.get(n, {})
    return _ft_done.get(names[0] if names else "", {})
