"""paddle.vision.transforms without the oracle: deterministic properties of the random
transforms, keys routing, the OpenCV-free numpy paths, clear errors, docstring examples."""

from __future__ import annotations

import doctest
import importlib.util

import numpy as np
import pytest
from PIL import Image

import paddlefish as paddle
from paddlefish import vision
from paddlefish.vision import transforms as T
from paddlefish.vision.transforms import _optional, _transforms
from paddlefish.vision.transforms import functional as F

HAVE_CV2 = importlib.util.find_spec("cv2") is not None
RNG = np.random.default_rng(0)
IMG = RNG.integers(0, 256, (10, 14, 3), dtype=np.uint8)
PIL = Image.fromarray(IMG)
TEN = paddle.to_tensor(IMG.transpose(2, 0, 1).astype("float32") / 255.0)


@pytest.mark.parametrize("img", [IMG, PIL, TEN], ids=["numpy", "pil", "tensor"])
def test_flip_probabilities(img):
    flipped = np.asarray(F.hflip(img)) if not isinstance(img, paddle.Tensor) else F.hflip(img)
    for _ in range(5):
        assert T.RandomHorizontalFlip(0.0)(img) is img
        assert T.RandomVerticalFlip(0.0)(img) is img
        out = T.RandomHorizontalFlip(1.0)(img)
        got = out.numpy() if isinstance(out, paddle.Tensor) else np.asarray(out)
        want = flipped.numpy() if isinstance(flipped, paddle.Tensor) else flipped
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="between 0 and 1"):
        T.RandomHorizontalFlip(1.5)


def _hw(x):
    if isinstance(x, Image.Image):
        return x.size[1], x.size[0]
    if isinstance(x, paddle.Tensor):
        return tuple(x.shape[-2:])
    return x.shape[:2]


@pytest.mark.parametrize("img", [PIL, TEN], ids=["pil", "tensor"])
def test_random_crops_output_sizes(img):
    for seed in range(20):
        np.random.seed(seed)
        assert _hw(T.RandomResizedCrop(6)(img)) == (6, 6)
        assert _hw(T.RandomResizedCrop((5, 9), scale=(0.5, 1.0))(img)) == (5, 9)
        assert _hw(T.RandomCrop((4, 7))(img)) == (4, 7)
        assert _hw(T.RandomCrop(13, pad_if_needed=True)(img)) == (13, 13)
        assert _hw(T.RandomCrop((10, 14), padding=3)(img)) == (10, 14)


def test_random_crop_numpy_and_rotation_sizes():
    for _ in range(10):
        out = T.RandomCrop(8, padding=(1, 2))(IMG)
        assert out.shape == (8, 8, 3) and out.dtype == np.uint8
    assert T.RandomRotation((90, 90), expand=True)(PIL).size == (10, 14)
    assert T.RandomRotation(30)(PIL).size == PIL.size
    assert T.RandomRotation(30)(TEN).shape == TEN.shape
    with pytest.raises(ValueError, match="must be positive"):
        T.RandomRotation(-1)


def test_color_jitter_keeps_type_and_size():
    for img in (PIL, TEN):
        out = T.ColorJitter(0.4, 0.4, 0.4, 0.1)(img)
        assert type(out) is type(img) and _hw(out) == _hw(img)
    out = T.ColorJitter(0.4, 0.4)(IMG)  # brightness/contrast need no OpenCV on numpy
    assert out.shape == IMG.shape and out.dtype == np.uint8
    with pytest.raises(ValueError, match="hue values should be between"):
        T.HueTransform((0.2, 0.7))


def test_keys_route_items_and_pass_the_rest_through():
    label = np.array([3])
    img, lab = T.CenterCrop(4)((IMG, label))
    assert img.shape == (4, 4, 3) and lab is label
    a, b = T.Resize((3, 5), keys=("image", "image"))((PIL, PIL))
    assert a.size == b.size == (5, 3)
    with pytest.raises(NotImplementedError, match="unsupported data structure"):
        T.ToTensor(keys=("image", "segmentation"))
    with pytest.raises(ValueError, match="keys should be a sequence"):
        T.ToTensor(keys=5)


def test_to_tensor_and_normalize_formats():
    t = T.ToTensor()(IMG)
    assert t.shape == [3, 10, 14] and str(t.dtype) == "paddle.float32"
    np.testing.assert_allclose(t.numpy(), IMG.transpose(2, 0, 1) / np.float32(255), atol=1e-7)
    assert T.ToTensor("HWC")(PIL).shape == [10, 14, 3]
    n = T.Normalize([1.0, 2.0, 3.0], [2.0, 2.0, 2.0])(t)
    np.testing.assert_allclose(n.numpy()[1], (t.numpy()[1] - 2) / 2, rtol=1e-6)
    with pytest.raises(ValueError, match="CHW or HWC"):
        F.to_tensor(IMG, "NCHW")
    with pytest.raises(TypeError, match="PIL Image or Tensor Image or ndarray"):
        F.hflip([1, 2, 3])


def test_numpy_paths_without_opencv(monkeypatch):
    monkeypatch.setitem(_optional._loaded, "cv2", None)
    # exact numpy equivalents of OpenCV's results need no OpenCV ...
    assert F.pad(IMG, 2, padding_mode="symmetric").shape == (14, 18, 3)
    assert F.hflip(IMG[:, :, :1]).shape == (10, 14)  # cv2.flip drops the axis, as in Paddle
    assert F.to_grayscale(IMG).shape == (10, 14, 1)
    assert F.adjust_contrast(IMG, 1.5).dtype == np.uint8
    # ... and OpenCV's own arithmetic says how to get it
    for call in (
        lambda: F.resize(IMG, 5),
        lambda: F.rotate(IMG, 10),
        lambda: F.adjust_hue(IMG, 0.1),
        lambda: F.affine(IMG, 10, [0, 0], 1.0, 0),
        lambda: F.perspective(
            IMG, [[0, 0], [1, 0], [1, 1], [0, 1]], [[0, 0], [1, 0], [1, 1], [0, 1]]
        ),
    ):
        with pytest.raises(ImportError, match=r"PIL.*paddlefish\[vision\]"):
            call()
    assert F.resize(PIL, 5).size == (7, 5)  # PIL images never need OpenCV


@pytest.mark.skipif(not HAVE_CV2, reason="compares with OpenCV itself")
def test_numpy_equivalents_equal_opencv():
    import cv2

    img = RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    np.testing.assert_array_equal(
        F.to_grayscale(img)[:, :, 0], cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    )
    for mode, border in [
        ("edge", cv2.BORDER_REPLICATE),
        ("reflect", cv2.BORDER_REFLECT_101),
        ("symmetric", cv2.BORDER_REFLECT),
    ]:
        np.testing.assert_array_equal(
            F.pad(img[:5, :6], (7, 8, 9, 10), padding_mode=mode),
            cv2.copyMakeBorder(img[:5, :6], 8, 10, 7, 9, border),
        )
    for fill in (5, (1, 2, 3), 300, 2.6):
        np.testing.assert_array_equal(
            F.pad(img, 2, fill=fill),
            cv2.copyMakeBorder(img, 2, 2, 2, 2, cv2.BORDER_CONSTANT, value=fill),
        )
    np.testing.assert_array_equal(F.hflip(img), cv2.flip(img, 1))


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="2, or 4 element tuple"):
        T.Pad((1, 2, 3))
    with pytest.raises(ValueError, match="padding_mode"):
        F.pad(IMG, 1, padding_mode="wrap")
    with pytest.raises(ValueError, match="symmetric"):
        F.pad(TEN, 1, padding_mode="symmetric")
    with pytest.raises(ValueError, match="hue_factor"):
        F.adjust_hue(PIL, 0.7)
    with pytest.raises(ValueError, match="1 or 3"):
        F.to_grayscale(PIL, 2)
    with pytest.raises(TypeError, match="size"):
        F.resize(PIL, (1, 2, 3))
    with pytest.raises(TypeError, match="uint8"):
        F.adjust_contrast(IMG.astype(np.float32), 1.2)


def test_public_names():
    for name in T.__all__:
        assert getattr(T, name) is not None, name
    for name in F.__all__:
        assert callable(getattr(F, name)), name
    assert {"RandomAffine", "RandomPerspective", "affine", "perspective"} <= set(T.__all__)
    with pytest.raises(AttributeError):
        T.NoSuchTransform  # noqa: B018
    assert {"datasets", "models", "transforms", "get_image_backend"} <= set(vision.__all__)
    for name in vision.__all__:
        assert getattr(vision, name) is not None, name
    assert T.RandomErasing is _transforms.RandomErasing


@pytest.mark.parametrize("module", [T, F, _transforms, vision], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
