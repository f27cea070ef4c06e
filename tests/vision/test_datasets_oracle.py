"""paddle.vision.datasets against real Paddle: small synthetic files in the standard formats
(MNIST idx .gz, CIFAR python tar.gz, Flowers tgz + .mat, the VOC2012 tar) are loaded by real
Paddle (3.3, and 2.6 for MNIST/CIFAR/VOC2012) in a subprocess and by paddlefish; lengths, item
types, dtypes, shapes and values must agree."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import pickle
import struct
import tarfile

import numpy as np
import pytest
from PIL import Image

import paddlefish as paddle
from paddlefish.vision import datasets
from paddlefish.vision import transforms as T
from tests.oracle import run_paddle

HAVE_SCIPY = importlib.util.find_spec("scipy") is not None


def _write_mnist(d, n=200):
    rng = np.random.default_rng(7)
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, n, dtype=np.uint8)
    with gzip.open(d / "images.gz", "wb") as f:
        f.write(struct.pack(">IIII", 2051, n, 28, 28) + images.tobytes())
    with gzip.open(d / "labels.gz", "wb") as f:
        f.write(struct.pack(">II", 2049, n) + labels.tobytes())


def _add(tar, name, obj, protocol):
    blob = pickle.dumps(obj, protocol=protocol)
    info = tarfile.TarInfo(name)
    info.size = len(blob)
    tar.addfile(info, io.BytesIO(blob))


def _write_cifar(d):
    rng = np.random.default_rng(8)

    def batch(n, key=b"labels", hi=10):
        return {b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
                key: [int(v) for v in rng.integers(0, hi, n)], b"batch_label": b"x"}

    with tarfile.open(d / "cifar-10-python.tar.gz", "w:gz") as t:
        _add(t, "cifar-10-batches-py/data_batch_2", batch(3), 2)
        _add(t, "cifar-10-batches-py/data_batch_1", batch(4), 4)
        _add(t, "cifar-10-batches-py/test_batch", batch(5), 2)
        _add(t, "cifar-10-batches-py/batches.meta", {b"label_names": [b"a"]}, 2)
    with tarfile.open(d / "cifar-100-python.tar.gz", "w:gz") as t:
        _add(t, "cifar-100-python/train", batch(6, b"fine_labels", 100), 2)
        _add(t, "cifar-100-python/test", batch(2, b"fine_labels", 100), 2)


def _write_flowers(d, n=7):
    import scipy.io

    rng = np.random.default_rng(9)
    with tarfile.open(d / "102flowers.tgz", "w:gz") as t:
        for i in range(1, n + 1):
            buf = io.BytesIO()
            Image.fromarray(rng.integers(0, 256, (5 + i, 9, 3), dtype=np.uint8)).save(buf, "JPEG")
            info = tarfile.TarInfo(f"jpg/image_{i:05}.jpg")
            info.size = buf.tell()
            buf.seek(0)
            t.addfile(info, buf)
    scipy.io.savemat(d / "imagelabels.mat", {"labels": rng.integers(1, 103, (1, n)).astype(np.uint8)})
    scipy.io.savemat(d / "setid.mat", {"trnid": np.array([[2, 5]], np.uint16),
                                       "valid": np.array([[7]], np.uint16),
                                       "tstid": np.array([[1, 3, 4, 6]], np.uint16)})


def _write_voc(d):
    rng = np.random.default_rng(10)
    root = "VOCdevkit/VOC2012/"
    files = {}
    for split, names in (("trainval", "abc"), ("train", "ab"), ("val", "c")):
        lines = "".join(n + "\n" for n in names).encode()
        files[f"{root}ImageSets/Segmentation/{split}.txt"] = lines
    for i, n in enumerate("abc"):
        img, lab = io.BytesIO(), io.BytesIO()
        Image.fromarray(rng.integers(0, 256, (4 + i, 6, 3), dtype=np.uint8)).save(img, "JPEG")
        seg = Image.fromarray(rng.choice([0, 1, 15, 255], (4 + i, 6)).astype(np.uint8), "P")
        seg.putpalette([v for k in range(256) for v in (k, 255 - k, k // 2)])
        seg.save(lab, "PNG")
        files[f"{root}JPEGImages/{n}.jpg"] = img.getvalue()
        files[f"{root}SegmentationClass/{n}.png"] = lab.getvalue()
    with tarfile.open(d / "VOCtrainval_11-May-2012.tar", "w") as t:
        for name, blob in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            t.addfile(info, io.BytesIO(blob))


# Run with `paddle`, `T` and `D` bound (real Paddle or paddlefish) and `d` the data directory;
# `make()` yields (name, dataset) and `record` describes items.
SOURCE = r'''
import numpy as np
from PIL import Image

def make(d, flowers):
    mn = dict(image_path=f"{d}/images.gz", label_path=f"{d}/labels.gz")
    yield "mnist_pil", D.MNIST(**mn, mode="test")
    yield "mnist_cv2", D.MNIST(**mn, backend="cv2")
    yield "mnist_tensor", D.MNIST(**mn, transform=T.ToTensor())
    yield "mnist_norm_cv2", D.MNIST(**mn, backend="cv2",
        transform=T.Normalize(mean=[127.5], std=[127.5], data_format="CHW"))
    yield "fashion_pil", D.FashionMNIST(**mn)
    c10 = f"{d}/cifar-10-python.tar.gz"
    yield "c10_train_pil", D.Cifar10(c10)
    yield "c10_test_cv2", D.Cifar10(c10, mode="test", backend="cv2")
    yield "c10_tensor", D.Cifar10(c10, transform=T.ToTensor())
    c100 = f"{d}/cifar-100-python.tar.gz"
    yield "c100_train", D.Cifar100(c100)
    yield "c100_test_cv2", D.Cifar100(c100, mode="TEST", backend="cv2")
    voc = f"{d}/VOCtrainval_11-May-2012.tar"
    yield "voc_train_pil", D.VOC2012(voc)
    yield "voc_valid_cv2", D.VOC2012(voc, mode="valid", backend="cv2")
    yield "voc_test_tensor", D.VOC2012(voc, mode="test", transform=T.ToTensor())
    if flowers:
        fl = dict(data_file=f"{d}/102flowers.tgz", label_file=f"{d}/imagelabels.mat",
                  setid_file=f"{d}/setid.mat")
        yield "flowers_train", D.Flowers(**fl)
        yield "flowers_test_cv2", D.Flowers(**fl, mode="test", backend="cv2")
        yield "flowers_valid", D.Flowers(**fl, mode="valid", transform=T.ToTensor())

def describe(x):
    if isinstance(x, Image.Image):
        return "pil:" + x.mode, np.asarray(x)
    if isinstance(x, np.ndarray):
        return "ndarray:" + str(x.dtype), x
    return "tensor:" + str(x.dtype), x.numpy()

def run(d, flowers):
    meta, arrays = {}, {}
    for name, ds in make(d, flowers):
        n = len(ds)
        meta[name] = {"len": n, "items": []}
        for i in sorted({0, n // 2, n - 1}):
            img, label = ds[i]
            kind, arr = describe(img)
            lkind, larr = describe(label)
            meta[name]["items"].append([kind, lkind])
            arrays[f"{name}/{i}/img"] = arr
            arrays[f"{name}/{i}/label"] = larr
    return meta, arrays
'''

RUNNER = r'''
import json, numpy as np, paddle
import paddle.vision.transforms as T
import paddle.vision.datasets as D
ns = {"paddle": paddle, "T": T, "D": D}
exec(open("cases.py").read(), ns)
meta, arrays = ns["run"]("theirs", FLOWERS)
np.savez("theirs.npz", **arrays)
print(json.dumps(meta))
'''


def _compare(version, tmp_path, flowers):
    for side in ("theirs", "ours"):
        d = tmp_path / side
        d.mkdir()
        _write_mnist(d)
        _write_cifar(d)
        _write_voc(d)
        if flowers:
            _write_flowers(d)
    (tmp_path / "cases.py").write_text(SOURCE)
    out = run_paddle(RUNNER.replace("FLOWERS", str(flowers)), version, cwd=tmp_path)
    want = json.loads(out.strip().splitlines()[-1])
    want_arrays = np.load(tmp_path / "theirs.npz")
    ns = {"paddle": paddle, "T": T, "D": datasets}
    exec(SOURCE, ns)
    got, got_arrays = ns["run"](str(tmp_path / "ours"), flowers)
    assert got == want
    assert sorted(got_arrays) == sorted(want_arrays.files)
    for key, a in got_arrays.items():
        b = want_arrays[key]
        assert a.shape == b.shape and a.dtype == b.dtype, key
        if a.dtype.kind == "f":  # Paddle 2.6 scales by 1/255 where 3.3 divides: 1 ulp apart
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-6, err_msg=key)
        else:
            np.testing.assert_array_equal(a, b, err_msg=key)
    return got


@pytest.mark.oracle
@pytest.mark.skipif(not HAVE_SCIPY, reason="Flowers' .mat files are written with scipy")
def test_datasets_match_paddle_3_3(tmp_path):
    got = _compare("3.3", tmp_path, flowers=True)
    assert got["mnist_pil"]["len"] == 200 and got["c10_train_pil"]["len"] == 7
    assert got["flowers_train"]["len"] == 4  # tstid: NOTE [flowers splits]
    assert (tmp_path / "ours" / "102flowers" / "jpg" / "image_00007.jpg").exists()


@pytest.mark.oracle
def test_datasets_match_paddle_2_6(tmp_path):
    got = _compare("2.6", tmp_path, flowers=False)
    assert got["c100_test_cv2"]["items"][0] == ["ndarray:float32", "ndarray:int64"]
    assert got["voc_train_pil"]["len"] == 3 and got["voc_test_tensor"]["len"] == 2
    assert got["voc_valid_cv2"]["items"][0] == ["ndarray:float32", "ndarray:float32"]
