"""The classic paddle.vision.models (VGG, AlexNet, MobileNetV1, ShuffleNetV2, SqueezeNet,
DenseNet, GoogLeNet, InceptionV3) against real Paddle 2.6.

One Paddle 2.6 subprocess (module fixture) does all the oracle work:
- for every constructor at its default config, the state_dict as ``[key, shape, dtype]`` in
  order (VGG13/16/19 and the ``batch_norm`` variants with ``num_classes=0``: their classifier is
  VGG11's, and building the 102M-parameter fc once is enough);
- for one small config per family, ``paddle.save(model.state_dict())`` after randomizing the
  batch-norm statistics and affine parameters (so eval-mode batch norm is not the identity), a
  fixed input and the eval-mode output. paddlefish loads that ``.pdparams`` with
  ``paddle.load`` + ``set_state_dict`` and must give the same output;
- ``paddle.jit.load`` of paddlefish's ``jit.save`` of VGG11-BN and ShuffleNetV2 (exported by
  the fixture before the subprocess starts) and its output on paddlefish's input.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.static import InputSpec
from paddlefish.vision import models
from tests.oracle import run_paddle

RTOL, ATOL = 1e-4, 1e-5

# every constructor: (constructor, kwargs) -> state_dict keys, shapes and dtypes
KEYS = {
    "vgg11": ("vgg11", {}),
    "vgg11_bn": ("vgg11", {"batch_norm": True, "num_classes": 0}),
    "vgg13": ("vgg13", {"num_classes": 0}),
    "vgg13_bn": ("vgg13", {"batch_norm": True, "num_classes": 0}),
    "vgg16": ("vgg16", {"num_classes": 0}),
    "vgg16_bn": ("vgg16", {"batch_norm": True, "num_classes": 0}),
    "vgg19": ("vgg19", {"num_classes": 0}),
    "vgg19_bn": ("vgg19", {"batch_norm": True, "num_classes": 0}),
    "alexnet": ("alexnet", {}),
    "mobilenet_v1": ("mobilenet_v1", {}),
    "mobilenet_v1_x0_5": ("mobilenet_v1", {"scale": 0.5}),
    **{
        n: (n, {})
        for n in [
            "shufflenet_v2_x0_25",
            "shufflenet_v2_x0_33",
            "shufflenet_v2_x0_5",
            "shufflenet_v2_x1_0",
            "shufflenet_v2_x1_5",
            "shufflenet_v2_x2_0",
            "shufflenet_v2_swish",
            "squeezenet1_0",
            "squeezenet1_1",
            "densenet121",
            "densenet161",
            "densenet169",
            "densenet201",
            "densenet264",
            "googlenet",
            "inception_v3",
        ]
    },
    "googlenet_headless": ("googlenet", {"num_classes": 0, "with_pool": False}),
    "mobilenet_v1_headless": ("mobilenet_v1", {"num_classes": 0, "with_pool": False}),
}

# one small config per family: (constructor, kwargs, input shape) -> equal eval outputs
OUTPUTS = {
    "vgg11_bn": ("vgg11", {"batch_norm": True, "num_classes": 0}, [1, 3, 32, 32]),
    "alexnet": ("alexnet", {"num_classes": 10}, [1, 3, 224, 224]),
    "mobilenet_v1": ("mobilenet_v1", {"scale": 0.25, "num_classes": 10}, [2, 3, 32, 32]),
    "shufflenet_v2_x0_25": ("shufflenet_v2_x0_25", {"num_classes": 10}, [2, 3, 64, 64]),
    "shufflenet_swish": (
        "shufflenet_v2_x0_33",
        {"act": "swish", "num_classes": 10},
        [1, 3, 32, 32],
    ),
    "squeezenet1_0": ("squeezenet1_0", {"num_classes": 10}, [1, 3, 64, 64]),
    "squeezenet1_1": ("squeezenet1_1", {"num_classes": 10}, [1, 3, 64, 64]),
    "densenet121": ("densenet121", {"num_classes": 10, "dropout": 0.2}, [1, 3, 32, 32]),
    "googlenet": ("googlenet", {"num_classes": 10}, [1, 3, 192, 192]),
    "inception_v3": ("inception_v3", {"num_classes": 10}, [1, 3, 75, 75]),
}

# paddlefish jit.save -> real Paddle 2.6 paddle.jit.load
JIT = {
    "vgg11_bn": ("vgg11", {"batch_norm": True, "num_classes": 0}, [2, 3, 32, 32]),
    "shufflenet_v2_x0_25": ("shufflenet_v2_x0_25", {"num_classes": 10}, [2, 3, 64, 64]),
}

ORACLE = r"""
import json, os, numpy as np, paddle
from paddle.vision import models
keys, outputs, jit = json.load(open("spec.json"))
paddle.seed(0)
rng = np.random.default_rng(0)
report = {}
for name, (ctor, kw) in keys.items():
    sd = getattr(models, ctor)(**kw).state_dict()
    report[name] = [[k, list(v.shape), str(v.dtype)] for k, v in sd.items()]
json.dump(report, open("keys.json", "w"))
for name, (ctor, kw, shape) in outputs.items():
    model = getattr(models, ctor)(**kw)
    model.eval()
    for layer in model.sublayers():
        if hasattr(layer, "_mean") and hasattr(layer, "_variance"):  # BatchNorm2D and BatchNorm
            c = layer.weight.shape[0]
            layer.weight.set_value(rng.uniform(0.1, 0.4, c).astype("float32"))
            layer.bias.set_value(rng.normal(0, 0.1, c).astype("float32"))
            layer._mean.set_value(rng.normal(0, 0.1, c).astype("float32"))
            layer._variance.set_value(rng.uniform(0.5, 1.5, c).astype("float32"))
    paddle.save(model.state_dict(), name + ".pdparams")
    x = rng.standard_normal(shape).astype("float32")
    with paddle.no_grad():
        y = model(paddle.to_tensor(x))
    ys = y if isinstance(y, (list, tuple)) else [y]
    np.savez(name + "_io.npz", x=x, **{f"y{i}": t.numpy() for i, t in enumerate(ys)})
for name in jit:
    loaded = paddle.jit.load(os.path.join("pf_" + name, "model"))
    loaded.eval()
    x = np.load(os.path.join("pf_" + name, "x.npy"))
    np.save(os.path.join("pf_" + name, "y_paddle.npy"), loaded(paddle.to_tensor(x)).numpy())
print("ok")
"""


def _build(ctor, kw):
    return getattr(models, ctor)(**kw)


@pytest.fixture(scope="module")
def oracle_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("classic26")
    rng = np.random.default_rng(1)
    for name, (ctor, kw, shape) in JIT.items():
        model = _build(ctor, kw)
        model.eval()
        spec = [InputSpec([None, *shape[1:]], "float32", "x")]
        paddle.jit.save(model, str(d / f"pf_{name}" / "model"), input_spec=spec)
        x = rng.standard_normal(shape).astype("float32")
        np.save(d / f"pf_{name}" / "x.npy", x)
        with paddle.no_grad():
            np.save(d / f"pf_{name}" / "y_ours.npy", model(paddle.to_tensor(x)).numpy())
    (d / "spec.json").write_text(json.dumps([KEYS, OUTPUTS, JIT]))
    out = run_paddle(ORACLE, version="2.6", cwd=d)
    assert out.strip().endswith("ok")
    return d


@pytest.fixture(scope="module")
def paddle_keys(oracle_dir):
    return json.loads((oracle_dir / "keys.json").read_text())


@pytest.mark.oracle
@pytest.mark.parametrize("name", list(KEYS))
def test_state_dict_keys_shapes_dtypes_match_paddle(paddle_keys, name):
    sd = _build(*KEYS[name]).state_dict()
    got = [[k, list(v.shape), str(v.dtype)] for k, v in sd.items()]
    assert got == paddle_keys[name]


@pytest.mark.oracle
@pytest.mark.parametrize("name", list(OUTPUTS))
def test_paddle_pdparams_load_and_outputs_match(oracle_dir, name):
    ctor, kw, _ = OUTPUTS[name]
    state = paddle.load(str(oracle_dir / f"{name}.pdparams"))
    model = _build(ctor, kw)
    assert list(state) == list(model.state_dict())
    assert model.set_state_dict(state) == ([], [])
    model.eval()
    io = np.load(oracle_dir / f"{name}_io.npz")
    with paddle.no_grad():
        y = model(paddle.to_tensor(io["x"]))
    ys = y if isinstance(y, list) else [y]
    assert len(ys) == len([k for k in io.files if k.startswith("y")])
    for i, t in enumerate(ys):
        np.testing.assert_allclose(t.numpy(), io[f"y{i}"], rtol=RTOL, atol=ATOL)


@pytest.mark.oracle
@pytest.mark.parametrize("name", list(JIT))
def test_jit_save_runs_in_paddle26(oracle_dir, name):
    d = oracle_dir / f"pf_{name}"
    np.testing.assert_allclose(
        np.load(d / "y_paddle.npy"), np.load(d / "y_ours.npy"), rtol=RTOL, atol=ATOL
    )


@pytest.mark.parametrize(
    "ctor",
    [
        models.vgg11,
        models.vgg19,
        models.alexnet,
        models.mobilenet_v1,
        models.shufflenet_v2_x0_25,
        models.shufflenet_v2_swish,
        models.squeezenet1_0,
        models.squeezenet1_1,
        models.densenet121,
        models.densenet264,
        models.googlenet,
        models.inception_v3,
    ],
)
def test_pretrained_refused_with_hint(ctor):
    with pytest.raises(NotImplementedError, match=r"pretrained=True.*set_state_dict"):
        ctor(pretrained=True)


def test_bad_configs_are_refused():
    with pytest.raises(NotImplementedError, match="scale size"):
        models.ShuffleNetV2(scale=0.75)
    with pytest.raises(RuntimeError, match="not supported: gelu"):
        models.ShuffleNetV2(scale=0.25, act="gelu")
    with pytest.raises(ValueError, match="supported versions"):
        models.SqueezeNet("1.2")
    with pytest.raises(ValueError, match="supported layers"):
        models.DenseNet(layers=100)


def test_headless_options():
    x = paddle.ones([1, 3, 32, 32])
    m = models.mobilenet_v1(scale=0.25, num_classes=0, with_pool=False).eval()
    assert m(x).shape == [1, 256, 1, 1]
    m = models.shufflenet_v2_x0_25(num_classes=0).eval()
    assert m(x).shape == [1, 512, 1, 1]
    m = models.squeezenet1_1(num_classes=10, with_pool=False).eval()
    assert m(paddle.ones([1, 3, 64, 64])).shape == [1, 10, 3, 3]
