"""paddle.vision.datasets without the oracle: the no-download errors, Paddle's download cache,
hostile and malformed files, optional scipy, DataLoader batches."""

from __future__ import annotations

import doctest
import gzip
import hashlib
import importlib
import importlib.util
import io
import pickle
import struct
import tarfile

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.errors import FormatError, UnsafePickleError
from paddlefish.vision import datasets as D
from paddlefish.vision import transforms as T
from paddlefish.vision.datasets import _common
from paddlefish.vision.transforms import _optional

from .test_datasets_oracle import _write_cifar, _write_flowers, _write_mnist

HAVE_SCIPY = importlib.util.find_spec("scipy") is not None


@pytest.fixture(autouse=True)
def _empty_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(_common, "DATA_HOME", str(tmp_path / "cache"))


def test_missing_files_say_what_to_pass_and_never_download():
    with pytest.raises(FileNotFoundError, match=r"image_path=.*train-images-idx3-ubyte\.gz"):
        D.MNIST()
    with pytest.raises(FileNotFoundError, match=r"label_path=.*t10k-labels-idx1-ubyte\.gz"):
        D.FashionMNIST(image_path=__file__, mode="test")
    with pytest.raises(FileNotFoundError, match=r"data_file=.*cifar-100-python\.tar\.gz"):
        D.Cifar100()
    with pytest.raises(ValueError, match="download=False.*data_file="):
        D.Cifar10(download=False)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        D.Cifar10("/nonexistent/cifar.tar.gz")
    with pytest.raises(ValueError, match="mode should be"):
        D.Flowers(mode="val")
    with pytest.raises(ValueError, match="backend"):
        D.MNIST(backend="opencv")


def test_files_in_paddles_download_cache_are_used(tmp_path):
    _write_mnist(tmp_path, n=3)
    cache = tmp_path / "cache" / "mnist"
    cache.mkdir(parents=True)
    img = cache / "t10k-images-idx3-ubyte.gz"
    img.write_bytes((tmp_path / "images.gz").read_bytes())
    with pytest.raises(FileNotFoundError, match="md5"):  # not the real file: md5 differs
        D.MNIST(label_path=str(tmp_path / "labels.gz"), mode="test")
    md5 = hashlib.md5(img.read_bytes()).hexdigest()

    class Mine(D.MNIST):
        TEST_IMAGE_MD5 = md5

    ds = Mine(label_path=str(tmp_path / "labels.gz"), mode="test")
    assert len(ds) == 3 and ds.image_path == str(img)


def test_malformed_mnist_files_are_refused(tmp_path):
    _write_mnist(tmp_path, n=3)
    im, lab = str(tmp_path / "images.gz"), str(tmp_path / "labels.gz")
    with pytest.raises(FormatError, match="labels file passed as image_path"):
        D.MNIST(lab, im)
    with gzip.open(tmp_path / "short.gz", "wb") as f:
        f.write(struct.pack(">IIII", 2051, 10**6, 28, 28) + bytes(100))
    with pytest.raises(FormatError, match="declares 1000000 images"):
        D.MNIST(str(tmp_path / "short.gz"), lab)


def test_cifar_pickles_go_through_the_allowlist(tmp_path):
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    blob = pickle.dumps({b"data": Evil(), b"labels": [1]})
    path = tmp_path / "evil.tar.gz"
    with tarfile.open(path, "w:gz") as t:
        info = tarfile.TarInfo("cifar-10-batches-py/data_batch_1")
        info.size = len(blob)
        t.addfile(info, io.BytesIO(blob))
    with pytest.raises(UnsafePickleError, match="print"):
        D.Cifar10(str(path))
    blob = pickle.dumps({b"data": np.zeros((2, 10), np.uint8), b"labels": [1, 2]})
    with tarfile.open(path, "w:gz") as t:
        info = tarfile.TarInfo("cifar-10-batches-py/data_batch_1")
        info.size = len(blob)
        t.addfile(info, io.BytesIO(blob))
    with pytest.raises(FormatError, match=r"\[N, 3072\]"):
        D.Cifar10(str(path))


def test_cifar_in_a_dataloader(tmp_path):
    _write_cifar(tmp_path)
    ds = D.Cifar10(str(tmp_path / "cifar-10-python.tar.gz"), transform=T.ToTensor())
    x, y = next(iter(paddle.io.DataLoader(ds, batch_size=4)))
    assert x.shape == [4, 3, 32, 32] and str(x.dtype) == "paddle.float32"
    assert y.shape == [4] and str(y.dtype) == "paddle.int64"


@pytest.mark.skipif(not HAVE_SCIPY, reason="writes .mat files with scipy")
def test_flowers_extraction_is_contained_and_scipy_optional(tmp_path, monkeypatch):
    _write_flowers(tmp_path)
    evil = tmp_path / "evil.tgz"
    with tarfile.open(evil, "w:gz") as t:
        info = tarfile.TarInfo("jpg/../../escaped.jpg")
        info.size = 1
        t.addfile(info, io.BytesIO(b"x"))
    files = dict(label_file=str(tmp_path / "imagelabels.mat"), setid_file=str(tmp_path / "setid.mat"))
    with pytest.raises(tarfile.TarError):
        D.Flowers(str(evil), **files)
    assert not (tmp_path / "escaped.jpg").exists() and not (tmp_path / "evil" / "jpg").exists()
    monkeypatch.setitem(_optional._loaded, "scipy.io", None)
    with pytest.raises(ImportError, match=r"Flowers.*scipy.*paddlefish\[vision\]"):
        D.Flowers(str(tmp_path / "102flowers.tgz"), **files)


def test_public_names():
    for name in D.__all__:
        assert getattr(D, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'VOC2007'"):
        D.VOC2007  # noqa: B018


@pytest.mark.parametrize(
    "module", ["_mnist", "_cifar", "_flowers", "_common", "_folder", "_voc2012", "__init__"], ids=str
)
def test_docstring_examples(module):
    name = "paddlefish.vision.datasets" + ("" if module == "__init__" else f".{module}")
    mod = importlib.import_module(name)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
