"""``Cifar10`` and ``Cifar100``: the "python version" ``.tar.gz`` a user passes, read as Paddle
reads it: every member whose name contains the split's flag (``data_batch``/``test_batch`` for
CIFAR-10, ``train``/``test`` for CIFAR-100), in sorted order, each a pickled dict with
``data`` (``N x 3072`` uint8, channel-major) and ``labels`` (or ``fine_labels``).

The batches are pickles: they are read through paddlefish's allowlist unpickler
(``formats.safe_pickle``), never ``pickle.load``. Keys written by Python 2 (the real files)
arrive as ``str``, keys written by Python 3 as ``bytes``; both are accepted.
"""

from __future__ import annotations

import tarfile
from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image

from ...errors import FormatError
from ...formats import safe_pickle
from ...io import Dataset
from ...tensor.creation import get_default_dtype
from ._common import check_backend, data_file

__all__ = ["Cifar10", "Cifar100"]

URL_PREFIX = "https://dataset.bj.bcebos.com/cifar/"
CIFAR10_URL = URL_PREFIX + "cifar-10-python.tar.gz"
CIFAR10_MD5 = "c58f30108f718f92721af3b95e74349a"
CIFAR100_URL = URL_PREFIX + "cifar-100-python.tar.gz"
CIFAR100_MD5 = "eb9058c3a382ffc7106e4002c42a8d85"
MODE_FLAG_MAP = {
    "train10": "data_batch",
    "test10": "test_batch",
    "train100": "train",
    "test100": "test",
}


def _get(batch: dict, *keys: str):
    for k in keys:
        for key in (k, k.encode()):
            if key in batch:
                return batch[key]
    return None


def read_batches(path: str, flag: str) -> tuple[np.ndarray, np.ndarray]:
    """``(data [N, 3072] uint8, labels [N] int64)`` of the members whose name contains ``flag``."""
    datas, labels = [], []
    with tarfile.open(path, mode="r") as tar:
        members = sorted((m for m in tar if m.isfile() and flag in m.name), key=lambda m: m.name)
        for m in members:
            where = f"{path}:{m.name}"
            f = tar.extractfile(m)
            batch = safe_pickle.load(f, name=where)
            if not isinstance(batch, dict):
                raise FormatError(f"{where}: expected a pickled dict, got {type(batch).__name__}")
            data = _get(batch, "data")
            lab = _get(batch, "labels", "fine_labels")
            if data is None or lab is None:
                raise FormatError(
                    f"{where}: a CIFAR batch needs 'data' and 'labels' (or 'fine_labels'); "
                    f"found keys {sorted(map(str, batch))}"
                )
            data = np.asarray(data)
            if data.ndim != 2 or data.shape[1] != 3 * 32 * 32 or len(data) != len(lab):
                raise FormatError(
                    f"{where}: 'data' must be [N, 3072] with N = {len(lab)} labels, got "
                    f"{list(data.shape)}"
                )
            datas.append(data.astype(np.uint8, copy=False))
            labels.append(np.asarray(lab, dtype=np.int64))
    if not datas:
        return np.zeros((0, 3072), np.uint8), np.zeros((0,), np.int64)
    return np.concatenate(datas), np.concatenate(labels)


class Cifar10(Dataset):
    """CIFAR-10 from ``data_file`` (``cifar-10-python.tar.gz``). An item is ``(image, label)``:
    with ``backend='pil'`` (default) an RGB ``PIL.Image`` 32x32; with ``'cv2'`` a float32
    ``32 x 32 x 3`` array; ``label`` an int64 scalar array. paddlefish never downloads: see
    NOTE [no download] in ``_common.py``.

    >>> import io, os, pickle, tarfile, tempfile, numpy as np
    >>> from paddlefish.vision.datasets import Cifar10
    >>> p = os.path.join(tempfile.mkdtemp(), "c.tar.gz")
    >>> blob = pickle.dumps({b"data": np.zeros((2, 3072), np.uint8), b"labels": [4, 9]})
    >>> with tarfile.open(p, "w:gz") as t:
    ...     info = tarfile.TarInfo("cifar-10-batches-py/test_batch"); info.size = len(blob)
    ...     t.addfile(info, io.BytesIO(blob))
    >>> ds = Cifar10(p, mode="test")
    >>> img, label = ds[1]
    >>> len(ds), img.size, img.mode, label, label.dtype
    (2, (32, 32), 'RGB', array(9), dtype('int64'))
    """

    def __init__(
        self,
        data_file: str | None = None,
        mode: str = "train",
        transform: Callable[[Any], Any] | None = None,
        download: bool = True,
        backend: str | None = None,
    ) -> None:
        if mode.lower() not in ("train", "test"):
            raise ValueError(f"mode.lower() should be 'train' or 'test', but got {mode}")
        self.mode = mode.lower()
        self.backend = check_backend(backend)
        self._init_url_md5_flag()
        self.data_file = _resolve(data_file, download, type(self).__name__, self.data_url,
                                  self.data_md5)  # fmt: skip
        self.transform = transform
        self._load_data()
        self.dtype = get_default_dtype()

    def _init_url_md5_flag(self) -> None:
        self.data_url = CIFAR10_URL
        self.data_md5 = CIFAR10_MD5
        self.flag = MODE_FLAG_MAP[self.mode + "10"]

    def _load_data(self) -> None:
        self._images, self._labels = read_batches(self.data_file, self.flag)

    @property
    def data(self) -> list[tuple[np.ndarray, int]]:
        """Paddle's ``(sample, label)`` list (built on demand)."""
        return [(s, int(lab)) for s, lab in zip(self._images, self._labels)]

    def __getitem__(self, idx: int):
        image = self._images[idx].reshape(3, 32, 32).transpose(1, 2, 0)
        label = np.array(self._labels[idx]).astype("int64")
        if self.backend == "pil":
            image = Image.fromarray(np.ascontiguousarray(image))
        if self.transform is not None:
            image = self.transform(image)
        if self.backend == "pil":
            return image, label
        return image.astype(self.dtype), label

    def __len__(self) -> int:
        return len(self._labels)


def _resolve(path, download, dataset, url, md5) -> str:
    return data_file(path, download, dataset=dataset, param="data_file", url=url, md5=md5,
                     module="cifar")  # fmt: skip


class Cifar100(Cifar10):
    """CIFAR-100 from ``data_file`` (``cifar-100-python.tar.gz``), fine labels; items as
    ``Cifar10``.

    >>> from paddlefish.vision.datasets import Cifar100
    >>> Cifar100.__mro__[1].__name__
    'Cifar10'
    """

    def _init_url_md5_flag(self) -> None:
        self.data_url = CIFAR100_URL
        self.data_md5 = CIFAR100_MD5
        self.flag = MODE_FLAG_MAP[self.mode + "100"]
