"""What the file-backed datasets share: the image backend switch, and finding the data file
(a path the user passes, or Paddle's download cache) without ever touching the network.

NOTE [no download]: Paddle downloads a missing data file into
``~/.cache/paddle/dataset/<module>/<file>`` (checking its md5). paddlefish never opens a network
connection: a file already in that cache with the right md5 is used, as Paddle would; otherwise
the constructor says which file is needed, where Paddle would fetch it from, and which
parameter to pass it through.
"""

from __future__ import annotations

import hashlib
import os

from PIL import Image

from ..transforms import _optional

__all__ = ["get_image_backend", "set_image_backend", "image_load"]

BACKENDS = ("pil", "cv2")
DATA_HOME = os.path.join(os.path.expanduser("~"), ".cache", "paddle", "dataset")
_state = {"backend": "pil"}


def set_image_backend(backend: str) -> None:
    """Choose how datasets hand out images: ``'pil'`` (PIL images, default) or ``'cv2'``
    (numpy arrays).

    >>> from paddlefish.vision import get_image_backend, set_image_backend
    >>> set_image_backend("cv2"); get_image_backend()
    'cv2'
    >>> set_image_backend("pil")
    """
    if backend not in BACKENDS:
        raise ValueError(f"Expected backend are one of ['pil', 'cv2'], but got {backend}")
    _state["backend"] = backend


def get_image_backend() -> str:
    """The current image backend (``'pil'`` unless ``set_image_backend`` changed it).

    >>> from paddlefish.vision import get_image_backend
    >>> get_image_backend()
    'pil'
    """
    return _state["backend"]


def image_load(path: str, backend: str | None = None):
    """Load an image file as a PIL image (``'pil'``) or a BGR numpy array (``'cv2'``).

    >>> import os, tempfile
    >>> from PIL import Image

from ..transforms import _optional
    >>> from paddlefish.vision import image_load
    >>> p = os.path.join(tempfile.mkdtemp(), "a.png"); Image.new("RGB", (3, 2)).save(p)
    >>> image_load(p).size
    (3, 2)
    """
    backend = check_backend(backend)
    if backend == "pil":
        return Image.open(path)
    return _optional.require("cv2", "image_load(backend='cv2') (or use backend='pil')").imread(path)


def check_backend(backend: str | None) -> str:
    if backend is None:
        backend = get_image_backend()
    if backend not in BACKENDS:
        raise ValueError(f"Expected backend are one of ['pil', 'cv2'], but got {backend}")
    return backend


def _md5(path: str) -> str:
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def data_file(
    path: str | None, download: bool, *, dataset: str, param: str, url: str, md5: str, module: str
) -> str:
    """The file to read: ``path`` when given, else Paddle's cached download (see NOTE
    [no download]); a clear error naming the file and the parameter otherwise."""
    if path:
        if not os.path.exists(path):
            raise FileNotFoundError(f"{dataset}: {param}={path!r} does not exist.")
        return path
    name = url.rsplit("/", 1)[-1]
    if not download:
        raise ValueError(
            f"{dataset}: {param} is not set and downloading automatically is disabled "
            f"(download=False); pass {param}='/path/to/{name}'."
        )
    cached = os.path.join(DATA_HOME, module, name)
    if os.path.exists(cached):
        if _md5(cached) == md5:
            return cached
        raise FileNotFoundError(
            f"{dataset}: the cached {cached} has md5 {_md5(cached)}, expected {md5} (a partial "
            f"or different file); replace it with a good copy of {url}, or pass "
            f"{param}='/path/to/{name}'."
        )
    raise FileNotFoundError(
        f"{dataset}: {param} was not given and {name} must be downloaded (from {url}), but "
        f"paddlefish does not download data. Fetch the file yourself and pass "
        f"{param}='/path/to/{name}', or put it at {cached} (md5 {md5})."
    )
