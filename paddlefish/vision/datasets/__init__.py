"""``paddle.vision.datasets``: MNIST, FashionMNIST, Cifar10, Cifar100 and Flowers read from the
standard files a user passes (never downloaded: see NOTE [no download] in ``_common.py``), and
``Digits``, which needs no file; ``DatasetFolder`` and ``ImageFolder`` over a directory of images.
``VOC2012`` is not provided yet (see ``__getattr__``).

>>> from paddlefish.vision import datasets
>>> sorted(datasets.__all__)[:3]
['Cifar10', 'Cifar100', 'DatasetFolder']
"""

from ..._core.missing import module_getattr as _module_getattr
from ._cifar import Cifar10 as Cifar10
from ._cifar import Cifar100 as Cifar100
from ._digits import Digits as Digits
from ._flowers import Flowers as Flowers
from ._folder import DatasetFolder as DatasetFolder
from ._folder import ImageFolder as ImageFolder
from ._mnist import MNIST as MNIST
from ._mnist import FashionMNIST as FashionMNIST

__all__ = [
    "MNIST",
    "Cifar10",
    "Cifar100",
    "DatasetFolder",
    "Digits",
    "FashionMNIST",
    "Flowers",
    "ImageFolder",
]

_MISSING = {"VOC2012"}


__getattr__ = _module_getattr(
    "paddle.vision.datasets",
    {
        k: "the nearest supported alternative is a paddle.io.Dataset subclass that opens files "
        "with paddle.vision.image_load"
        for k in _MISSING
    },
)
