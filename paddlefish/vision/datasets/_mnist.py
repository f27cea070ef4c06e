"""``MNIST`` and ``FashionMNIST``: the idx files (gzip-compressed) a user passes, read as Paddle
reads them.

Format (big-endian): images ``magic=2051, count, rows, cols`` then ``count*rows*cols`` uint8
pixels; labels ``magic=2049, count`` then ``count`` uint8 labels.
"""

from __future__ import annotations

import gzip
import struct
from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image

from ...errors import FormatError
from ...io import Dataset
from ...tensor.creation import get_default_dtype
from ._common import check_backend, data_file

__all__ = ["MNIST", "FashionMNIST"]

_IMAGES_MAGIC, _LABELS_MAGIC = 2051, 2049


def _read_gz(path: str) -> bytes:
    with gzip.GzipFile(path, "rb") as f:
        return f.read()


def _check_header(path: str, buf: bytes, magic: int, size: int, what: str, other: str) -> None:
    got = struct.unpack_from(">I", buf, 0)[0] if len(buf) >= 4 else None
    if got != magic:
        raise FormatError(
            f"{path}: not an idx {what} file (magic {got}, expected {magic}); is it the {other} "
            f"file passed as {what}_path?"
        )
    if len(buf) < size:
        raise FormatError(f"{path}: too short for an idx {what} header ({size} bytes): {len(buf)}")


def read_idx_images(path: str) -> np.ndarray:
    """``(count, rows, cols)`` uint8 pixels of a gzipped idx3 image file."""
    buf = _read_gz(path)
    _check_header(path, buf, _IMAGES_MAGIC, 16, "image", "labels")
    _, count, rows, cols = struct.unpack_from(">IIII", buf, 0)
    need = 16 + count * rows * cols
    if len(buf) < need:
        raise FormatError(
            f"{path}: declares {count} images of {rows}x{cols} ({need} bytes) but has {len(buf)}"
        )
    return np.frombuffer(buf, np.uint8, count * rows * cols, 16).reshape(count, rows, cols)


def read_idx_labels(path: str) -> np.ndarray:
    """``(count,)`` uint8 labels of a gzipped idx1 label file."""
    buf = _read_gz(path)
    _check_header(path, buf, _LABELS_MAGIC, 8, "label", "images")
    _, count = struct.unpack_from(">II", buf, 0)
    if len(buf) < 8 + count:
        raise FormatError(f"{path}: declares {count} labels but has {len(buf) - 8}")
    return np.frombuffer(buf, np.uint8, count, 8)


class MNIST(Dataset):
    """The MNIST handwritten digits from the idx ``.gz`` files passed as ``image_path`` and
    ``label_path``. An item is ``(image, label)``: with ``backend='pil'`` (default) a
    grey ``PIL.Image``; with ``'cv2'`` a float32 ``28 x 28`` array; ``label`` an int64 array of
    shape ``[1]``. ``transform`` is applied to the image. paddlefish never downloads: see NOTE
    [no download] in ``_common.py``.

    >>> import gzip, os, struct, tempfile, numpy as np
    >>> from paddlefish.vision.datasets import MNIST
    >>> d = tempfile.mkdtemp()
    >>> with gzip.open(os.path.join(d, "img.gz"), "wb") as f:
    ...     _ = f.write(struct.pack(">IIII", 2051, 2, 28, 28) + bytes(2 * 784))
    >>> with gzip.open(os.path.join(d, "lab.gz"), "wb") as f:
    ...     _ = f.write(struct.pack(">II", 2049, 2) + bytes([7, 3]))
    >>> ds = MNIST(os.path.join(d, "img.gz"), os.path.join(d, "lab.gz"), mode="test")
    >>> img, label = ds[1]
    >>> len(ds), img.size, img.mode, label
    (2, (28, 28), 'L', array([3]))
    """

    NAME = "mnist"
    URL_PREFIX = "https://dataset.bj.bcebos.com/mnist/"
    TEST_IMAGE_URL = URL_PREFIX + "t10k-images-idx3-ubyte.gz"
    TEST_IMAGE_MD5 = "9fb629c4189551a2d022fa330f9573f3"
    TEST_LABEL_URL = URL_PREFIX + "t10k-labels-idx1-ubyte.gz"
    TEST_LABEL_MD5 = "ec29112dd5afa0611ce80d1b7f02629c"
    TRAIN_IMAGE_URL = URL_PREFIX + "train-images-idx3-ubyte.gz"
    TRAIN_IMAGE_MD5 = "f68b3c2dcbeaaa9fbdd348bbdeb94873"
    TRAIN_LABEL_URL = URL_PREFIX + "train-labels-idx1-ubyte.gz"
    TRAIN_LABEL_MD5 = "d53e105ee54ea40749a09fcbcd1e9432"

    def __init__(
        self,
        image_path: str | None = None,
        label_path: str | None = None,
        mode: str = "train",
        transform: Callable[[Any], Any] | None = None,
        download: bool = True,
        backend: str | None = None,
    ) -> None:
        if mode.lower() not in ("train", "test"):
            raise ValueError(f"mode should be 'train' or 'test', but got {mode}")
        self.backend = check_backend(backend)
        self.mode = mode.lower()
        train = self.mode == "train"
        cls = type(self).__name__
        self.image_path = data_file(
            image_path, download, dataset=cls, param="image_path", module=self.NAME,
            url=self.TRAIN_IMAGE_URL if train else self.TEST_IMAGE_URL,
            md5=self.TRAIN_IMAGE_MD5 if train else self.TEST_IMAGE_MD5,
        )  # fmt: skip
        self.label_path = data_file(
            label_path, download, dataset=cls, param="label_path", module=self.NAME,
            url=self.TRAIN_LABEL_URL if train else self.TEST_LABEL_URL,
            md5=self.TRAIN_LABEL_MD5 if train else self.TEST_LABEL_MD5,
        )  # fmt: skip
        self.transform = transform
        self._parse_dataset()
        self.dtype = get_default_dtype()

    def _parse_dataset(self) -> None:
        images = read_idx_images(self.image_path)
        labels = read_idx_labels(self.label_path)
        if len(images) < len(labels):
            raise FormatError(
                f"{self.image_path} has {len(images)} images but {self.label_path} has "
                f"{len(labels)} labels; pass the image and label files of the same split."
            )
        self.images = images[: len(labels)]
        self.labels = labels.astype(np.int64).reshape(-1, 1)

    def __getitem__(self, idx: int):
        image, label = self.images[idx], self.labels[idx]
        if self.backend == "pil":
            image = Image.fromarray(np.ascontiguousarray(image), mode="L")
        else:
            image = image.astype(np.float32)
        if self.transform is not None:
            image = self.transform(image)
        if self.backend == "pil":
            return image, label.copy()
        return image.astype(self.dtype), label.copy()

    def __len__(self) -> int:
        return len(self.labels)


class FashionMNIST(MNIST):
    """Fashion-MNIST: the same idx format and items as ``MNIST``.

    >>> from paddlefish.vision.datasets import FashionMNIST
    >>> FashionMNIST.NAME
    'fashion-mnist'
    """

    NAME = "fashion-mnist"
    URL_PREFIX = "https://dataset.bj.bcebos.com/fashion_mnist/"
    TEST_IMAGE_URL = URL_PREFIX + "t10k-images-idx3-ubyte.gz"
    TEST_IMAGE_MD5 = "bef4ecab320f06d8554ea6380940ec79"
    TEST_LABEL_URL = URL_PREFIX + "t10k-labels-idx1-ubyte.gz"
    TEST_LABEL_MD5 = "bb300cfdad3c16e7a12a480ee83cd310"
    TRAIN_IMAGE_URL = URL_PREFIX + "train-images-idx3-ubyte.gz"
    TRAIN_IMAGE_MD5 = "8d4fb7e6c68d591d4c3dfef9ec88bf0d"
    TRAIN_LABEL_URL = URL_PREFIX + "train-labels-idx1-ubyte.gz"
    TRAIN_LABEL_MD5 = "25c81989df183df01b3e8a0aad5dffbe"
