"""``DatasetFolder`` and ``ImageFolder``: images read from a directory tree, as
``paddle.vision.datasets.folder``.

NOTE [folder is_valid_file]: Paddle 2.6 and 3.3 replace ``extensions=None`` by
``IMG_EXTENSIONS`` *before* looking at ``is_valid_file``, so a user's ``is_valid_file`` is never
called and the extension filter always applies. paddlefish does the same (same samples for the
same arguments); pass ``extensions`` to choose the files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from PIL import Image

from ...io import Dataset
from ...tensor.creation import get_default_dtype
from ..transforms import _optional
from ._common import get_image_backend

__all__ = [
    "IMG_EXTENSIONS",
    "DatasetFolder",
    "ExtensionsTypeError",
    "ImageFolder",
    "cv2_loader",
    "default_loader",
    "has_valid_extension",
    "make_dataset",
    "pil_loader",
]

IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")


class ExtensionsTypeError(TypeError, AssertionError):
    """``extensions`` is not a list or tuple. Also an ``AssertionError``: Paddle asserts this."""


def has_valid_extension(filename: str, extensions: Sequence[str]) -> bool:
    """Whether ``filename`` ends with one of ``extensions`` (case-insensitive).

    >>> has_valid_extension("a/B.PNG", (".png",))
    True
    """
    if not isinstance(extensions, (list, tuple)):
        raise ExtensionsTypeError(
            f"`extensions` must be list or tuple. Got {type(extensions).__name__} "
            f"{extensions!r}; pass e.g. extensions=('.png', '.jpg')"
        )
    return filename.lower().endswith(tuple(x.lower() for x in extensions))


def _extension_filter(extensions: Sequence[str]) -> Callable[[str], bool]:
    return lambda path: has_valid_extension(path, extensions)


def make_dataset(
    dir: str, class_to_idx: dict[str, int], extensions: Sequence[str] | None, is_valid_file=None
) -> list[tuple[str, int]]:
    """``(path, class index)`` for every accepted file under ``dir/<class>/`` (walked in
    sorted order, following links), classes in sorted order."""
    images = []
    dir = os.path.expanduser(dir)
    if extensions is not None:
        is_valid_file = _extension_filter(extensions)
    for target in sorted(class_to_idx):
        d = os.path.join(dir, target)
        if not os.path.isdir(d):
            continue
        for root, _, fnames in sorted(os.walk(d, followlinks=True)):
            for fname in sorted(fnames):
                path = os.path.join(root, fname)
                if is_valid_file(path):
                    images.append((path, class_to_idx[target]))
    return images


def pil_loader(path: str) -> Image.Image:
    """Open ``path`` with PIL as an RGB image."""
    with open(path, "rb") as f:
        return Image.open(f).convert("RGB")


def cv2_loader(path: str):
    """Read ``path`` with OpenCV as an RGB ``uint8`` HWC array."""
    cv2 = _optional.require("cv2", "the 'cv2' image backend (or set_image_backend('pil'))")
    return cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)


def default_loader(path: str):
    """``cv2_loader`` when the image backend is ``'cv2'``, else ``pil_loader``."""
    if get_image_backend() == "cv2":
        return cv2_loader(path)
    return pil_loader(path)


def _empty_error(what: str, root: str, extensions: Sequence[str]) -> RuntimeError:
    # Paddle's message, plus what to do about it
    return RuntimeError(
        f"Found 0 {what} in subfolders of: {root}\nSupported extensions are: "
        + ",".join(extensions)
        + "\n(put files with one of these extensions under it, or pass `extensions=`)"
    )


class DatasetFolder(Dataset):
    """Samples ``(loader(path), class index)`` from ``root/<class>/**/<file>``; classes are the
    sorted sub-directory names. Attributes as Paddle: ``classes``, ``class_to_idx``,
    ``samples`` (``(path, index)`` pairs), ``targets``, ``extensions``, ``loader``. See NOTE
    [folder is_valid_file].

    >>> import os, tempfile
    >>> from PIL import Image
    >>> from paddlefish.vision.datasets import DatasetFolder
    >>> root = tempfile.mkdtemp()
    >>> for c in ("cat", "dog"):
    ...     os.makedirs(os.path.join(root, c))
    ...     Image.new("RGB", (4, 3)).save(os.path.join(root, c, "0.png"))
    >>> ds = DatasetFolder(root)
    >>> ds.classes, len(ds), ds[1][0].size, ds[1][1]
    (['cat', 'dog'], 2, (4, 3), 1)
    """

    def __init__(
        self,
        root: str,
        loader: Callable[[str], Any] | None = None,
        extensions: Sequence[str] | None = None,
        transform: Callable | None = None,
        is_valid_file: Callable[[str], bool] | None = None,
    ):
        self.root = root
        self.transform = transform
        if extensions is None:
            extensions = IMG_EXTENSIONS
        classes, class_to_idx = self._find_classes(self.root)
        samples = make_dataset(self.root, class_to_idx, extensions, is_valid_file)
        if not samples:
            raise _empty_error("directories", self.root, extensions)
        self.loader = default_loader if loader is None else loader
        self.extensions = extensions
        self.classes = classes
        self.class_to_idx = class_to_idx
        self.samples = samples
        self.targets = [s[1] for s in samples]
        self.dtype = get_default_dtype()

    def _find_classes(self, dir: str) -> tuple[list[str], dict[str, int]]:
        classes = sorted(d.name for d in os.scandir(dir) if d.is_dir())
        return classes, {c: i for i, c in enumerate(classes)}

    def __getitem__(self, index: int):
        path, target = self.samples[index]
        sample = self.loader(path)
        if self.transform is not None:
            sample = self.transform(sample)
        return sample, target

    def __len__(self) -> int:
        return len(self.samples)


class ImageFolder(Dataset):
    """Every accepted file under ``root`` (any depth, sorted walk), without labels: an item is
    ``[loader(path)]`` (a one-element list, as Paddle). See NOTE [folder is_valid_file].

    >>> import os, tempfile
    >>> from PIL import Image
    >>> from paddlefish.vision.datasets import ImageFolder
    >>> root = tempfile.mkdtemp()
    >>> Image.new("RGB", (4, 3)).save(os.path.join(root, "a.jpg"))
    >>> ds = ImageFolder(root)
    >>> len(ds), ds[0][0].size
    (1, (4, 3))
    """

    def __init__(
        self,
        root: str,
        loader: Callable[[str], Any] | None = None,
        extensions: Sequence[str] | None = None,
        transform: Callable | None = None,
        is_valid_file: Callable[[str], bool] | None = None,
    ):
        self.root = root
        if extensions is None:
            extensions = IMG_EXTENSIONS
        is_valid_file = _extension_filter(extensions)
        samples = []
        for dirpath, _, fnames in sorted(os.walk(os.path.expanduser(root), followlinks=True)):
            for fname in sorted(fnames):
                f = os.path.join(dirpath, fname)
                if is_valid_file(f):
                    samples.append(f)
        if not samples:
            raise _empty_error("files", self.root, extensions)
        self.loader = default_loader if loader is None else loader
        self.extensions = extensions
        self.samples = samples
        self.transform = transform

    def __getitem__(self, index: int):
        sample = self.loader(self.samples[index])
        if self.transform is not None:
            sample = self.transform(sample)
        return [sample]

    def __len__(self) -> int:
        return len(self.samples)
