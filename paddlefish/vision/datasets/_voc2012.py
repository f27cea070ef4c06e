"""``VOC2012``: the Pascal VOC 2012 segmentation split read from ``VOCtrainval_11-May-2012.tar``
as Paddle reads it: members are read straight from the (uncompressed) tar, nothing is extracted.

NOTE [voc2012 splits]: Paddle maps ``mode='train'`` to ``ImageSets/Segmentation/trainval.txt``,
``'test'`` to ``train.txt`` and ``'valid'`` to ``val.txt``. Kept, so the same ``mode`` gives the
same images in both.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image

from ...io import Dataset
from ...tensor.creation import get_default_dtype
from ._common import check_backend, data_file

__all__ = ["VOC2012"]

VOC_URL = "https://dataset.bj.bcebos.com/voc/VOCtrainval_11-May-2012.tar"
VOC_MD5 = "6cd6e144f989b92b3379bac3b3de84fd"
SET_FILE = "VOCdevkit/VOC2012/ImageSets/Segmentation/{}.txt"
DATA_FILE = "VOCdevkit/VOC2012/JPEGImages/{}.jpg"
LABEL_FILE = "VOCdevkit/VOC2012/SegmentationClass/{}.png"
MODE_FLAG_MAP = {"train": "trainval", "test": "train", "valid": "val"}  # NOTE [voc2012 splits]


class VOC2012(Dataset):
    """Pascal VOC 2012 segmentation. An item is ``(image, label)``: with ``backend='pil'``
    (default) the JPEG and the class-index PNG as ``PIL.Image``\\ s; with ``'cv2'`` both as
    float arrays of the default dtype (the image RGB ``H x W x 3``, the label ``H x W``).
    ``transform`` applies to the image only. ``mode`` is ``'train'``, ``'valid'`` or ``'test'``
    (see NOTE [voc2012 splits]).

    >>> from paddlefish.vision.datasets import VOC2012
    >>> VOC2012(download=False)
    Traceback (most recent call last):
    ...
    ValueError: VOC2012: data_file is not set and downloading automatically is disabled (download=False); pass data_file='/path/to/VOCtrainval_11-May-2012.tar'.
    """

    def __init__(
        self,
        data_file: str | None = None,
        mode: str = "train",
        transform: Callable[[Any], Any] | None = None,
        download: bool = True,
        backend: str | None = None,
    ) -> None:
        if mode.lower() not in MODE_FLAG_MAP:
            raise ValueError(f"mode should be 'train', 'valid' or 'test', but got {mode}")
        self.data_tar = None
        self.backend = check_backend(backend)
        self.flag = MODE_FLAG_MAP[mode.lower()]
        self.data_file = _resolve(data_file, download)
        self.transform = transform
        self._load_anno()
        self.dtype = get_default_dtype()

    def _load_anno(self) -> None:
        # kept open for __getitem__ (as Paddle), closed in __del__
        self.data_tar = tarfile.open(self.data_file)  # noqa: SIM115
        self.name2mem = {m.name: m for m in self.data_tar.getmembers()}
        set_file = SET_FILE.format(self.flag)
        if set_file not in self.name2mem:
            raise FileNotFoundError(
                f"VOC2012: {self.data_file} has no {set_file} (mode {self.flag!r}); expected "
                "the VOCtrainval_11-May-2012.tar layout (VOCdevkit/VOC2012/...)."
            )
        self.data, self.labels = [], []
        for line in self.data_tar.extractfile(self.name2mem[set_file]):
            name = line.strip().decode("utf-8")
            self.data.append(DATA_FILE.format(name))
            self.labels.append(LABEL_FILE.format(name))

    def _read(self, name: str) -> Image.Image:
        if name not in self.name2mem:
            raise KeyError(f"VOC2012: {self.data_file} has no member {name!r}")
        return Image.open(io.BytesIO(self.data_tar.extractfile(self.name2mem[name]).read()))

    def __getitem__(self, idx: int):
        data = self._read(self.data[idx])
        label = self._read(self.labels[idx])
        if self.backend == "cv2":
            data, label = np.array(data), np.array(label)
        if self.transform is not None:
            data = self.transform(data)
        if self.backend == "cv2":
            return data.astype(self.dtype), label.astype(self.dtype)
        return data, label

    def __len__(self) -> int:
        return len(self.data)

    def __del__(self):
        if getattr(self, "data_tar", None) is not None:
            self.data_tar.close()


def _resolve(path, download) -> str:
    return data_file(path, download, dataset="VOC2012", param="data_file", url=VOC_URL,
                     md5=VOC_MD5, module="voc2012")  # fmt: skip
