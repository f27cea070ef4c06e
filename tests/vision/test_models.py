"""paddle.vision.models against real Paddle 2.6 and 3.3: same state_dict keys, order and shapes,
and the same eval-mode outputs once real Paddle's weights are loaded (see NOTE [vision model
structure] in paddlefish/vision/models/_utils.py).

One oracle subprocess per version builds every model, randomizes batch-norm statistics and
affine parameters (so eval-mode batch norm is not the identity), and writes each model's
state_dict (``<name>.npz`` plus the key order in ``<name>.json``), a fixed input and its output.
Batch-norm scales are drawn small (0.1-0.4) so deep ResNets keep O(1) activations: with Paddle's
default init the logits reach 1e3 and float32 summation order alone exceeds atol.
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
MODELS = {
    "LeNet": (1, 1, 28, 28),
    "resnet18": (2, 3, 64, 64),
    "resnet34": (1, 3, 64, 64),
    "resnet50": (1, 3, 64, 64),
    "mobilenet_v2": (2, 3, 64, 64),
    "mobilenet_v3_small": (2, 3, 64, 64),
}

ORACLE = r"""
import json, numpy as np, paddle
from paddle.vision import models
paddle.seed(0)
rng = np.random.default_rng(0)
MODELS = json.loads(%r)
for name, shape in MODELS.items():
    model = getattr(models, name)()
    model.eval()
    for layer in model.sublayers():
        if isinstance(layer, paddle.nn.BatchNorm2D):
            c = layer.weight.shape[0]
            layer.weight.set_value(rng.uniform(0.1, 0.4, c).astype("float32"))
            layer.bias.set_value(rng.normal(0, 0.1, c).astype("float32"))
            layer._mean.set_value(rng.normal(0, 0.1, c).astype("float32"))
            layer._variance.set_value(rng.uniform(0.5, 1.5, c).astype("float32"))
    sd = model.state_dict()
    np.savez(name + ".npz", **{k: v.numpy() for k, v in sd.items()})
    json.dump([[k, list(v.shape)] for k, v in sd.items()], open(name + ".json", "w"))
    x = rng.standard_normal(shape).astype("float32")
    np.save(name + "_x.npy", x)
    with paddle.no_grad():
        np.save(name + "_y.npy", model(paddle.to_tensor(x)).numpy())
print("ok")
"""


@pytest.fixture(scope="module", params=["2.6", "3.3"])
def oracle_dir(request, tmp_path_factory):
    d = tmp_path_factory.mktemp(f"paddle{request.param.replace('.', '')}")
    out = run_paddle(ORACLE % json.dumps(MODELS), version=request.param, cwd=d)
    assert out.strip().endswith("ok")
    return d


@pytest.mark.oracle
@pytest.mark.parametrize("name", list(MODELS))
def test_state_dict_matches_paddle(oracle_dir, name):
    expected = [(k, s) for k, s in json.loads((oracle_dir / f"{name}.json").read_text())]
    got = [(k, list(v.shape)) for k, v in getattr(models, name)().state_dict().items()]
    assert got == expected


@pytest.mark.oracle
@pytest.mark.parametrize("name", list(MODELS))
def test_forward_matches_paddle_with_its_weights(oracle_dir, name):
    with np.load(oracle_dir / f"{name}.npz") as z:
        weights = {k: z[k] for k in z.files}
    model = getattr(models, name)()
    missing, unexpected = model.set_state_dict(weights)
    assert (missing, unexpected) == ([], [])
    model.eval()
    x = np.load(oracle_dir / f"{name}_x.npy")
    with paddle.no_grad():
        y = model(paddle.to_tensor(x)).numpy()
    np.testing.assert_allclose(y, np.load(oracle_dir / f"{name}_y.npy"), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", ["resnet18", "mobilenet_v3_small"])
def test_jit_save_load_roundtrip(tmp_path, name):
    shape = MODELS[name]
    model = getattr(models, name)(num_classes=7)
    model.eval()
    prefix = str(tmp_path / name)
    paddle.jit.save(model, prefix, input_spec=[InputSpec([None, *shape[1:]], "float32", "x")])
    loaded = paddle.jit.load(prefix)
    loaded.eval()
    x = paddle.to_tensor(np.random.default_rng(1).standard_normal(shape).astype("float32"))
    with paddle.no_grad():
        np.testing.assert_allclose(loaded(x).numpy(), model(x).numpy(), rtol=RTOL, atol=ATOL)
    assert loaded(x).shape == [shape[0], 7]


@pytest.mark.parametrize(
    "ctor",
    [
        models.resnet18,
        models.resnet50,
        models.resnext50_32x4d,
        models.mobilenet_v2,
        models.mobilenet_v3_small,
        models.mobilenet_v3_large,
    ],
)
def test_pretrained_refused_with_hint(ctor):
    with pytest.raises(NotImplementedError, match=r"pretrained=True.*set_state_dict"):
        ctor(pretrained=True)


def test_variants_and_options():
    assert models.wide_resnet50_2().layer1[0].conv1.weight.shape == [128, 64, 1, 1]
    assert models.resnext50_32x4d().layer1[0].conv2.weight.shape == [128, 4, 3, 3]
    headless = models.resnet18(num_classes=0, with_pool=False)
    headless.eval()
    assert headless(paddle.ones([1, 3, 64, 64])).shape == [1, 512, 2, 2]
    assert models.mobilenet_v2(scale=0.5).features[0][0].weight.shape == [16, 3, 3, 3]


def test_unknown_model_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'vgg17'"):
        models.vgg17  # noqa: B018 - the attribute access is the test
