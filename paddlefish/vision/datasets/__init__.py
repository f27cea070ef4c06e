"""``paddle.vision.datasets``: MNIST, FashionMNIST, Cifar10, Cifar100 and Flowers read from the
standard files a user passes (never downloaded: see NOTE [no download] in ``_common.py``), and
``Digits``, which needs no file; VOC2012 from its tar; ``DatasetFolder`` and ``ImageFolder`` over a
directory of images.

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
from ._voc2012 import VOC2012 as VOC2012

__all__ = [
    "MNIST",
    "VOC2012",
    "Cifar10",
    "Cifar100",
    "DatasetFolder",
    "Digits",
    "FashionMNIST",
    "Flowers",
    "ImageFolder",
]

__getattr__ = _module_getattr("paddle.vision.datasets")
