"""Digits dataset (scikit-learn's bundled 8x8 digits) and its use with DataLoader."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.io import DataLoader
from paddlefish.vision.datasets import Digits

sklearn_datasets = pytest.importorskip("sklearn.datasets")


def test_train_test_split_and_sample_format():
    train, test = Digits(mode="train"), Digits(mode="test")
    assert (len(train), len(test)) == (1500, 297)
    img, label = train[0]
    assert img.shape == (1, 8, 8) and img.dtype == np.float32
    assert label.shape == (1,) and label.dtype == np.int64
    assert 0.0 <= img.min() and img.max() <= 1.0


def test_values_equal_sklearn_load_digits():
    ref = sklearn_datasets.load_digits()
    train, test = Digits("train"), Digits("test")
    np.testing.assert_allclose(train.images.reshape(1500, 64), ref.data[:1500] / 16.0, rtol=1e-6)
    np.testing.assert_array_equal(test.labels.reshape(-1), ref.target[1500:])


def test_transform_and_loader():
    ds = Digits("test", transform=lambda im: im * 2.0)
    assert ds[3][0].max() == pytest.approx(2 * Digits("test")[3][0].max())
    x, y = next(iter(DataLoader(Digits("test"), batch_size=32, shuffle=True)))
    assert x.shape == [32, 1, 8, 8] and x.dtype == paddle.float32
    assert y.shape == [32, 1] and y.dtype == paddle.int64


def test_bad_mode():
    with pytest.raises(ValueError, match="'train' or 'test'"):
        Digits(mode="val")
