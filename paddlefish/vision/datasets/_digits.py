"""``Digits``: the UCI 8x8 handwritten digits (1797 images), read from the copy that
scikit-learn ships inside its wheel, so the demo needs no download.

NOTE [digits source]: the file is ``sklearn/datasets/data/digits.csv.gz`` (65 comma-separated
columns per row: 64 pixel values 0..16, then the label). We locate the installed ``sklearn``
package with ``importlib.util.find_spec`` and read that file with numpy, without importing
scikit-learn itself (which takes about a second); the values are those of
``sklearn.datasets.load_digits()``.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from typing import Any

import numpy as np

from ...io import Dataset

__all__ = ["Digits"]

TRAIN_SIZE = 1500
_INSTALL = "pip install 'scikit-learn>=1.0'  (or: pip install 'paddlefish[demo]')"
_cache: dict[str, np.ndarray] = {}


def digits_file() -> str:
    """Path of the digits CSV inside the installed scikit-learn; a clear error if absent."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            f"paddlefish.vision.datasets.Digits reads the digits data shipped with scikit-learn, "
            f"which is not installed; install it with: {_INSTALL}"
        )
    path = os.path.join(spec.submodule_search_locations[0], "datasets", "data", "digits.csv.gz")
    if not os.path.exists(path):
        raise FileNotFoundError(
            f"Digits: scikit-learn is installed but has no {path}; reinstall it with: {_INSTALL}"
        )
    return path


def _load_all() -> np.ndarray:
    if "all" not in _cache:
        table = np.loadtxt(digits_file(), delimiter=",", dtype=np.float64)
        if table.shape != (1797, 65):
            raise ValueError(
                f"Digits: {digits_file()} has shape {table.shape}, expected (1797, 65)."
            )
        _cache["all"] = table
    return _cache["all"]


class Digits(Dataset):
    """8x8 grey digits, ``mode='train'`` (first 1500 samples) or ``'test'`` (last 297).

    A sample is ``(image, label)``: image float32 ``[1, 8, 8]`` in [0, 1] (pixel / 16), label
    int64 ``[1]``, as Paddle's ``MNIST`` gives labels. ``transform`` is applied to the image.

    >>> from paddlefish.vision.datasets import Digits
    >>> ds = Digits(mode="test")
    >>> img, label = ds[0]
    >>> len(ds), img.shape, img.dtype, label.dtype, label.shape
    (297, (1, 8, 8), dtype('float32'), dtype('int64'), (1,))
    """

    def __init__(
        self, mode: str = "train", transform: Callable[[np.ndarray], Any] | None = None
    ) -> None:
        mode = mode.lower()
        if mode not in ("train", "test"):
            raise ValueError(f"Digits: mode should be 'train' or 'test', got {mode!r}.")
        table = _load_all()
        part = table[:TRAIN_SIZE] if mode == "train" else table[TRAIN_SIZE:]
        self.mode = mode
        self.transform = transform
        self.images = (part[:, :64] / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
        self.labels = part[:, 64:].astype(np.int64)

    def __getitem__(self, idx: int) -> tuple[Any, np.ndarray]:
        image, label = self.images[idx], self.labels[idx]
        if self.transform is not None:
            image = self.transform(image)
        return image, label

    def __len__(self) -> int:
        return len(self.labels)
