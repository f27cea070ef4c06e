"""``Flowers``: Oxford 102 flowers from ``102flowers.tgz`` (``jpg/image_00001.jpg`` ...),
``imagelabels.mat`` (``labels``: 1 x 8189) and ``setid.mat`` (``trnid``, ``valid``,
``tstid``: 1 x n, 1-based image numbers), read as Paddle reads them.

As Paddle does, the archive's ``jpg/`` directory is extracted once next to the archive, into
``<data_file without .tgz>/jpg`` (a directory real Paddle made is reused, and the other way
round). Extraction goes to a temporary sibling that is renamed into place, so an interrupted
run never leaves a partial ``jpg`` behind, and uses tarfile's ``data`` filter (no absolute
paths, no ``..``, no links out of the directory).

NOTE [flowers splits]: Paddle maps ``mode='train'`` to the ``tstid`` list (6149 images) and
``mode='test'`` to ``trnid`` (1020): the official test split is larger, so Paddle trains on it.
Kept, so the same ``mode`` gives the same images in both.
"""

from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image

from ...io import Dataset
from ...tensor.creation import get_default_dtype
from ..transforms import _optional
from ._common import check_backend, data_file

__all__ = ["Flowers"]

DATA_URL = "http://paddlemodels.bj.bcebos.com/flowers/102flowers.tgz"
LABEL_URL = "http://paddlemodels.bj.bcebos.com/flowers/imagelabels.mat"
SETID_URL = "http://paddlemodels.bj.bcebos.com/flowers/setid.mat"
DATA_MD5 = "52808999861908f626f3c1f4e79d11fa"
LABEL_MD5 = "e0620be6f572b9609742df49c70aed4d"
SETID_MD5 = "a5357ecc9cb78c4bef273ce3793fc85c"
MODE_FLAG_MAP = {"train": "tstid", "test": "trnid", "valid": "valid"}  # NOTE [flowers splits]


def _extract_jpgs(data_file: str, data_path: str) -> None:
    """Extract the archive's ``jpg/`` into ``data_path/jpg`` (temporary sibling, then rename)."""
    os.makedirs(data_path, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".jpg.", dir=data_path)
    try:
        with tarfile.open(data_file) as tar:
            members = [m for m in tar if m.name.startswith("jpg/")]
            tar.extractall(tmp, members=members, filter="data")
        os.replace(os.path.join(tmp, "jpg"), os.path.join(data_path, "jpg"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _mat_vector(path: str, key: str) -> np.ndarray:
    scio = _optional.require("scipy.io", f"Flowers (to read the MATLAB file {path})")
    mat = scio.loadmat(path)
    if key not in mat:
        names = sorted(k for k in mat if not k.startswith("__"))
        raise KeyError(f"Flowers: {path} has no {key!r} (it has {names}).")
    return mat[key][0]


class Flowers(Dataset):
    """Oxford 102 flowers. An item is ``(image, label)``: with ``backend='pil'`` (default) the
    decoded JPEG as a ``PIL.Image``; with ``'cv2'`` a float ``H x W x 3`` array (RGB);
    ``label`` an int64 array of shape ``[1]`` (1..102). ``mode`` is ``'train'``, ``'valid'`` or
    ``'test'`` (see NOTE [flowers splits]). Reading the ``.mat`` files needs scipy.

    >>> from paddlefish.vision.datasets import Flowers
    >>> Flowers(download=False)
    Traceback (most recent call last):
    ...
    ValueError: Flowers: data_file is not set and downloading automatically is disabled (download=False); pass data_file='/path/to/102flowers.tgz'.
    """

    def __init__(
        self,
        data_file: str | None = None,
        label_file: str | None = None,
        setid_file: str | None = None,
        mode: str = "train",
        transform: Callable[[Any], Any] | None = None,
        download: bool = True,
        backend: str | None = None,
    ) -> None:
        if mode.lower() not in MODE_FLAG_MAP:
            raise ValueError(f"mode should be 'train', 'valid' or 'test', but got {mode}")
        self.backend = check_backend(backend)
        flag = MODE_FLAG_MAP[mode.lower()]
        data_file = _resolve(data_file, download, "data_file", DATA_URL, DATA_MD5)
        label_file = _resolve(label_file, download, "label_file", LABEL_URL, LABEL_MD5)
        setid_file = _resolve(setid_file, download, "setid_file", SETID_URL, SETID_MD5)
        self.transform = transform
        # Paddle's data_file.replace(".tgz", "/"); a name without .tgz (where Paddle fails on
        # mkdir over the archive) gets a "<name>_extracted/" directory
        self.data_path = (
            data_file.replace(".tgz", "/") if ".tgz" in data_file else data_file + "_extracted/"
        )
        if not os.path.exists(os.path.join(self.data_path, "jpg")):
            _extract_jpgs(data_file, self.data_path)
        self.labels = _mat_vector(label_file, "labels")
        self.indexes = _mat_vector(setid_file, flag)

    def __getitem__(self, idx: int):
        index = self.indexes[idx]
        label = np.array([self.labels[index - 1]])
        path = os.path.join(self.data_path, f"jpg/image_{index:05}.jpg")
        image = Image.open(path)
        if self.backend == "cv2":
            image = np.array(image)
        if self.transform is not None:
            image = self.transform(image)
        if self.backend == "pil":
            return image, label.astype("int64")
        return image.astype(get_default_dtype()), label.astype("int64")

    def __len__(self) -> int:
        return len(self.indexes)


def _resolve(path, download, param, url, md5) -> str:
    return data_file(path, download, dataset="Flowers", param=param, url=url, md5=md5,
                     module="flowers")  # fmt: skip
