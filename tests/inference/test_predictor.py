"""paddle.inference over paddlefish's exports: the handle API, switches, folding/compiling against
the uncompiled program, layouts (prefix, file pair, 1.x directory) and bad input."""

from __future__ import annotations

import runpy
import warnings

import numpy as np
import pytest
import torch

import paddlefish as paddle
from paddlefish import formats, inference
from tests.jit.zoo import ZOO

RTOL = 1e-4
MODELS = ["mlp", "ops", "lenet", "resnet", "mobilenet", "lstm", "two_in_dict", "dynbatch"]


def as_paddlefish(src: str) -> str:
    return (
        src.replace("import paddle\n", "import paddlefish as paddle\n")
        .replace("import paddle.nn as nn", "import paddlefish.nn as nn")
        .replace("import paddle.nn.functional as F", "import paddlefish.nn.functional as F")
        .replace("from paddle.static import", "from paddlefish.static import")
    )


@pytest.fixture(scope="module")
def zoo(tmp_path_factory):
    root = tmp_path_factory.mktemp("pred_zoo")
    out = {}
    for name in MODELS:
        src = root / f"m_{name}.py"
        src.write_text(as_paddlefish(ZOO[name]))
        paddle.seed(0)
        layer, specs, make = runpy.run_path(str(src))["build"]()
        layer.eval()
        prefix = str(root / name / "model")
        paddle.jit.save(layer, prefix, input_spec=specs)
        out[name] = (prefix, make)
    return out


def _config(prefix, **switches):
    c = inference.Config(prefix + ".pdmodel", prefix + ".pdiparams")
    c.disable_gpu()
    for k, v in switches.items():
        getattr(c, k)(*v)
    return c


def _reference(prefix, xs):
    m = paddle.jit.load(prefix)
    m.eval()
    with paddle.no_grad():
        r = m(*[paddle.to_tensor(x) for x in xs])
    r = r if isinstance(r, (list, tuple)) else list(r.values()) if isinstance(r, dict) else [r]
    return [t.numpy() for t in r]


@pytest.mark.parametrize("name", MODELS)
def test_predictor_matches_translated_layer(zoo, name):
    prefix, make = zoo[name]
    rng = np.random.default_rng(1)
    compiled = inference.create_predictor(_config(prefix))
    plain = inference.create_predictor(_config(prefix, switch_ir_optim=(False,)))
    for batch in (2, 5, 2):  # dynamic batch; the second 2 hits the compile cache
        xs = make(rng, batch)
        want = _reference(prefix, xs)
        for pred in (compiled, plain):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # fallback notes
                got = pred.run(xs)
            assert len(got) == len(want)
            for g, w in zip(got, want):
                assert g.shape == list(w.shape)
                np.testing.assert_allclose(g.numpy(), w, rtol=RTOL, atol=1e-5)
    if name in ("resnet", "mobilenet"):
        assert compiled._engine.folds > 0 and plain._engine.folds == 0
        eng = compiled._engine
        assert eng.compile and not eng.notes  # really compiled
        if eng.path == "onednn-graph":  # oneDNN Graph present: one compiled module per batch
            assert len(eng._graph_cache) == 2 and eng.lowered.fused > 0
        elif eng.path == "onednn-lowered":  # oneDNN present: fused convs, weights packed per shape
            assert eng.lowered.fused > 0 and eng.lowered.packed_shapes() == 3  # +1: the check
        else:
            assert eng.path == "torchscript" and len(eng._cache) == 2  # one graph per batch size


def test_handles_api(zoo):
    prefix, make = zoo["two_in_dict"]
    pred = inference.create_predictor(_config(prefix))
    assert pred.get_input_names() == ["x", "y"]
    assert len(pred.get_output_names()) == 2
    xs = make(np.random.default_rng(0), 3)
    for n, x in zip(pred.get_input_names(), xs):
        h = pred.get_input_handle(n)
        h.reshape(x.shape)
        assert h.name() == n and h.shape() == [3, x.shape[1]]
        assert h.type() == inference.DataType.FLOAT32
        h.copy_from_cpu(x)
    assert pred.run() is True
    want = _reference(prefix, xs)
    outs = [pred.get_output_handle(n) for n in pred.get_output_names()]
    for h, w in zip(outs, want):
        assert h.shape() == list(w.shape) and h.type() == inference.DataType.FLOAT32
        np.testing.assert_allclose(h.copy_to_cpu(), w, rtol=RTOL, atol=1e-6)
    # clone: own handles, same weights; a pool of 2
    twin = pred.clone()
    twin.run([paddle.to_tensor(x) for x in make(np.random.default_rng(5), 1)])
    np.testing.assert_allclose(outs[0].copy_to_cpu(), want[0], rtol=RTOL, atol=1e-6)
    pool = inference.PredictorPool(_config(prefix), 2)
    got = pool.retrive(1).run(xs)
    np.testing.assert_allclose(got[1].numpy(), want[1], rtol=RTOL, atol=1e-6)
    with pytest.raises(IndexError):
        pool.retrive(2)
    with pytest.raises(KeyError, match="inputs are \\['x', 'y'\\]"):
        pred.get_input_handle("z")
    assert "paddlefish" in inference.get_version()
    assert inference.PlaceType.CPU == pred.get_input_handle("x").place()


def test_switches(zoo):
    prefix, make = zoo["lenet"]
    c = _config(prefix)
    c.enable_mkldnn()
    assert c.mkldnn_enabled()
    c.disable_mkldnn()
    assert not c.mkldnn_enabled()
    c.switch_ir_optim(False)
    assert not c.ir_optim()
    c.enable_memory_optim()
    c.disable_glog_info()
    c.switch_use_feed_fetch_ops(False)
    with pytest.warns(RuntimeWarning, match="CPU only"):
        c.enable_use_gpu(100, 0)
    assert not c.use_gpu()
    c.set_cpu_math_library_num_threads(1)
    assert c.cpu_math_library_num_threads() == 1
    old = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        pred = inference.create_predictor(c)
        pred.run(make(np.random.default_rng(0), 1))
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(old)
    with pytest.raises(ValueError, match="at least 1"):
        c.set_cpu_math_library_num_threads(0)


def test_layouts_prefix_and_1x_directory(zoo, tmp_path):
    prefix, make = zoo["resnet"]
    xs = make(np.random.default_rng(2), 2)
    want = _reference(prefix, xs)
    # Config(prefix): a jit.save prefix
    got = inference.create_predictor(inference.Config(prefix)).run(xs)
    np.testing.assert_allclose(got[0].numpy(), want[0], rtol=RTOL, atol=1e-5)
    # a 1.x directory: __model__ + one file per persistable
    program = formats.load_program_desc(prefix + ".pdmodel")
    names = formats.persistable_names(program)
    arrays = formats.load_pdiparams(prefix + ".pdiparams", names)
    d = tmp_path / "legacy"
    d.mkdir()
    formats.save_program_desc(program, str(d / "__model__"))
    formats.save_vars_dir(arrays, str(d))
    got = inference.create_predictor(inference.Config(str(d))).run(xs)
    np.testing.assert_allclose(got[0].numpy(), want[0], rtol=RTOL, atol=1e-5)


def test_bad_input(zoo, tmp_path):
    prefix, _ = zoo["lenet"]
    bogus = tmp_path / "bogus.pdmodel"
    paddle.save({"w": paddle.ones([2])}, str(bogus))
    with pytest.raises(Exception, match="not a model program: it looks like a pickle"):
        inference.create_predictor(inference.Config(str(bogus), prefix + ".pdiparams"))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        inference.create_predictor(inference.Config(str(tmp_path / "no.pdmodel"), "x"))
    with pytest.raises(ValueError, match="names no model"):
        inference.create_predictor(inference.Config())
    pred = inference.create_predictor(_config(prefix))
    h = pred.get_input_handle("image")
    with pytest.raises(ValueError, match="'image' has no data"):
        pred.run()
    h.copy_from_cpu(np.zeros((2, 1, 27, 28), "float32"))
    with pytest.raises(ValueError, match=r"'image': wrong shape: expected shape \[-1, 1, 28, 28\]"):
        pred.run()
    h.copy_from_cpu(np.zeros((2, 1, 28, 28), "float64"))
    with pytest.raises(ValueError, match="'image': wrong dtype.*float32.*float64"):
        pred.run()
    with pytest.raises(ValueError, match="takes 1 inputs"):
        pred.run([np.zeros((1, 1, 28, 28), "float32")] * 2)
