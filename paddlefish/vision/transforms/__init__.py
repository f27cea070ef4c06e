"""``paddle.vision.transforms``: data augmentation on PIL images, numpy ``HWC`` arrays and
paddle Tensors (``CHW``), with Paddle's names, defaults and outputs. Functional forms live in
``paddle.vision.transforms.functional``.

Numpy images follow Paddle's OpenCV arithmetic (see NOTE [cv2 for numpy images] in
``_numpy.py``): most ops are exact numpy equivalents; ``resize``, ``rotate``,
``adjust_saturation`` and ``adjust_hue`` of numpy arrays need OpenCV
(``pip install 'paddlefish[vision]'``), as in Paddle (so do ``affine`` and ``perspective``).

>>> import numpy as np
>>> from paddlefish.vision import transforms as T
>>> t = T.Compose([T.CenterCrop(4), T.ToTensor(), T.Normalize(0.5, 0.5)])
>>> out = t(np.full((6, 6, 3), 255, dtype="uint8"))
>>> out.shape, float(out.max())
([3, 4, 4], 1.0)
"""

from ..._core.missing import module_getattr as _module_getattr
from . import functional as functional
from ._random_geometry import RandomAffine as RandomAffine
from ._random_geometry import RandomPerspective as RandomPerspective
from ._transforms import BaseTransform as BaseTransform
from ._transforms import BrightnessTransform as BrightnessTransform
from ._transforms import CenterCrop as CenterCrop
from ._transforms import ColorJitter as ColorJitter
from ._transforms import Compose as Compose
from ._transforms import ContrastTransform as ContrastTransform
from ._transforms import Grayscale as Grayscale
from ._transforms import HueTransform as HueTransform
from ._transforms import Normalize as Normalize
from ._transforms import Pad as Pad
from ._transforms import RandomCrop as RandomCrop
from ._transforms import RandomErasing as RandomErasing
from ._transforms import RandomHorizontalFlip as RandomHorizontalFlip
from ._transforms import RandomResizedCrop as RandomResizedCrop
from ._transforms import RandomRotation as RandomRotation
from ._transforms import RandomVerticalFlip as RandomVerticalFlip
from ._transforms import Resize as Resize
from ._transforms import SaturationTransform as SaturationTransform
from ._transforms import ToTensor as ToTensor
from ._transforms import Transpose as Transpose
from .functional import adjust_brightness as adjust_brightness
from .functional import adjust_contrast as adjust_contrast
from .functional import adjust_hue as adjust_hue
from .functional import affine as affine
from .functional import center_crop as center_crop
from .functional import crop as crop
from .functional import erase as erase
from .functional import hflip as hflip
from .functional import normalize as normalize
from .functional import pad as pad
from .functional import perspective as perspective
from .functional import resize as resize
from .functional import rotate as rotate
from .functional import to_grayscale as to_grayscale
from .functional import to_tensor as to_tensor
from .functional import vflip as vflip

# Paddle's own __all__ of paddle.vision.transforms
__all__ = [
    "BaseTransform",
    "BrightnessTransform",
    "CenterCrop",
    "ColorJitter",
    "Compose",
    "ContrastTransform",
    "Grayscale",
    "HueTransform",
    "Normalize",
    "Pad",
    "RandomAffine",
    "RandomCrop",
    "RandomErasing",
    "RandomHorizontalFlip",
    "RandomPerspective",
    "RandomResizedCrop",
    "RandomRotation",
    "RandomVerticalFlip",
    "Resize",
    "SaturationTransform",
    "ToTensor",
    "Transpose",
    "adjust_brightness",
    "adjust_contrast",
    "adjust_hue",
    "affine",
    "center_crop",
    "crop",
    "erase",
    "hflip",
    "normalize",
    "pad",
    "perspective",
    "resize",
    "rotate",
    "to_grayscale",
    "to_tensor",
    "vflip",
]

__getattr__ = _module_getattr("paddle.vision.transforms", {})
