"""``paddle.version``: which paddlefish this is, in the fields Paddle's module has.

paddlefish reports its own version (``paddle.__version__`` too), never a Paddle release;
``cuda()`` / ``cudnn()`` describe the PyTorch build underneath (False without CUDA).

>>> import paddlefish as paddle
>>> paddle.version.full_version == paddle.__version__
True
"""

from __future__ import annotations

import torch

from . import __version__ as full_version

major, minor, patch = (full_version.split(".") + ["0", "0"])[:3]
rc = "0"
istaged = False
commit = "unknown"
with_mkl = "ON" if torch.backends.mkl.is_available() else "OFF"
with_pip_cuda_libraries = "OFF"

__all__ = ["cuda", "cudnn", "full_version", "show"]


def cuda():
    """The CUDA version torch was built with, or False."""
    return torch.version.cuda or False


def cudnn():
    """The cuDNN version torch was built with, or False."""
    v = torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None
    return str(v) if v else False


def show() -> None:
    """Print the version fields, as ``paddle.version.show()`` does."""
    print(f"full_version: {full_version}")
    print(f"major: {major}\nminor: {minor}\npatch: {patch}\nrc: {rc}")
    print(f"cuda: {cuda()}\ncudnn: {cudnn()}")
