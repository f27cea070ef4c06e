"""``paddle.vision.transforms.functional``: image ops on PIL images, numpy ``HWC`` arrays and
paddle Tensors (``CHW``), each dispatched as Paddle dispatches it: PIL images through Pillow,
numpy arrays through OpenCV's arithmetic (see NOTE [cv2 for numpy images] in ``_numpy``),
Tensors through tensor ops.

>>> import numpy as np
>>> from paddlefish.vision.transforms import functional as F
>>> img = np.zeros((4, 6, 3), dtype="uint8")
>>> F.hflip(F.center_crop(img, 2)).shape, F.to_tensor(img).shape
((2, 2, 3), [3, 4, 6])
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image

from ...eager import Tensor
from . import _numpy as F_np
from . import _pil as F_pil
from . import _tensor as F_t
from ._args import check_gray_channels, check_hue, check_pad
from ._matrices import affine_matrix, check_points, perspective_coeffs

__all__ = [
    "adjust_brightness",
    "adjust_contrast",
    "adjust_hue",
    "adjust_saturation",
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


def _is_pil_image(img: Any) -> bool:
    return isinstance(img, Image.Image)


def _is_tensor_image(img: Any) -> bool:
    return isinstance(img, Tensor)


def _is_numpy_image(img: Any) -> bool:
    return isinstance(img, np.ndarray) and img.ndim in (2, 3)


def _kind(img: Any, what: str = "img") -> str:
    if _is_pil_image(img):
        return "pil"
    if _is_tensor_image(img):
        return "tensor"
    if _is_numpy_image(img):
        return "numpy"
    raise TypeError(
        f"{what} should be PIL Image or Tensor Image or ndarray with dim=[2 or 3]. Got {type(img)}"
    )


def to_tensor(pic, data_format: str = "CHW") -> Tensor:
    """PIL image or numpy ``HWC`` array -> Tensor; uint8 becomes float32 in [0, 1].

    >>> import numpy as np
    >>> from paddlefish.vision.transforms import functional as F
    >>> t = F.to_tensor(np.full((2, 3, 3), 255, dtype="uint8"))
    >>> t.shape, str(t.dtype), float(t.max())
    ([3, 2, 3], 'paddle.float32', 1.0)
    """
    kind = _kind(pic, "pic")
    if kind == "tensor":
        return pic if data_format.lower() == "chw" else pic.transpose((1, 2, 0))
    if data_format not in ("CHW", "HWC"):
        raise ValueError(f"data_format should be CHW or HWC. Got {data_format}")
    return (F_pil if kind == "pil" else F_np).to_tensor(pic, data_format)


def resize(img, size, interpolation: str = "bilinear"):
    """Resize to ``size`` (an int: the shorter side; a pair: ``(height, width)``).

    >>> from PIL import Image
    >>> from paddlefish.vision.transforms import functional as F
    >>> F.resize(Image.new("RGB", (300, 256)), 224).size
    (262, 224)
    """
    kind = _kind(img)
    if kind == "tensor":
        return F_t.resize(img, size, interpolation)
    return (F_pil if kind == "pil" else F_np).resize(img, size, interpolation)


def pad(img, padding, fill=0, padding_mode: str = "constant"):
    """Pad all sides: ``padding`` is an int, ``(left/right, top/bottom)`` or
    ``(left, top, right, bottom)``; mode constant, edge, reflect or symmetric.

    >>> import numpy as np
    >>> from paddlefish.vision.transforms import functional as F
    >>> F.pad(np.zeros((2, 3, 3), "uint8"), (1, 2)).shape
    (6, 5, 3)
    """
    kind = _kind(img)
    check_pad(fill, padding_mode)
    if kind == "tensor":
        return F_t.pad(img, padding, fill, padding_mode)
    return (F_pil if kind == "pil" else F_np).pad(img, padding, fill, padding_mode)


def crop(img, top: int, left: int, height: int, width: int):
    """The ``height x width`` box whose top-left corner is ``(top, left)``.

    >>> import numpy as np
    >>> from paddlefish.vision.transforms import functional as F
    >>> F.crop(np.zeros((8, 8, 3), "uint8"), 1, 2, 3, 4).shape
    (3, 4, 3)
    """
    kind = _kind(img)
    if kind == "tensor":
        return F_t.crop(img, top, left, height, width)
    return (F_pil if kind == "pil" else F_np).crop(img, top, left, height, width)


def center_crop(img, output_size):
    """The centred ``output_size`` box (an int or ``(height, width)``).

    >>> from PIL import Image
    >>> from paddlefish.vision.transforms import functional as F
    >>> F.center_crop(Image.new("RGB", (300, 256)), (150, 100)).size
    (100, 150)
    """
    kind = _kind(img)
    if kind == "tensor":
        return F_t.center_crop(img, output_size)
    return (F_pil if kind == "pil" else F_np).center_crop(img, output_size)


def hflip(img):
    """Mirror left-right.

    >>> import numpy as np
    >>> from paddlefish.vision.transforms import functional as F
    >>> F.hflip(np.array([[[1], [2]], [[3], [4]]], "uint8")).tolist()
    [[2, 1], [4, 3]]
    """
    kind = _kind(img)
    return {"pil": F_pil, "numpy": F_np, "tensor": F_t}[kind].hflip(img)


def vflip(img):
    """Mirror top-bottom.

    >>> import numpy as np
    >>> from paddlefish.vision.transforms import functional as F
    >>> F.vflip(np.array([[1, 2], [3, 4]], "uint8")).tolist()
    [[3, 4], [1, 2]]
    """
    kind = _kind(img)
    return {"pil": F_pil, "numpy": F_np, "tensor": F_t}[kind].vflip(img)


def adjust_brightness(img, brightness_factor: float):
    """Scale brightness: 0 gives black, 1 the original, 2 twice as bright.

    >>> import numpy as np
    >>> from paddlefish.vision.transforms import functional as F
    >>> F.adjust_brightness(np.full((1, 1, 3), 100, "uint8"), 1.5).ravel().tolist()
    [150, 150, 150]
    """
    kind = _kind(img)
    return {"pil": F_pil, "numpy": F_np, "tensor": F_t}[kind].adjust_brightness(
        img, brightness_factor
    )


def adjust_contrast(img, contrast_factor: float):
    """Scale contrast: 0 gives solid grey, 1 the original.

    >>> from PIL import Image
    >>> from paddlefish.vision.transforms import functional as F
    >>> F.adjust_contrast(Image.new("RGB", (2, 2), (10, 20, 30)), 0.5).size
    (2, 2)
    """
    kind = _kind(img)
    return {"pil": F_pil, "numpy": F_np, "tensor": F_t}[kind].adjust_contrast(img, contrast_factor)


def adjust_saturation(img, saturation_factor: float):
    """Scale colour saturation: 0 gives black and white, 1 the original.

    Numpy images follow Paddle's OpenCV path, which draws the blend factor at random from
    ``[max(0, 1 - f), 1 + f]`` with ``np.random``.

    >>> from PIL import Image
    >>> from paddlefish.vision.transforms import functional as F
    >>> F.adjust_saturation(Image.new("RGB", (1, 1), (200, 100, 0)), 0.0).getpixel((0, 0))
    (118, 118, 118)
    """
    kind = _kind(img)
    return {"pil": F_pil, "numpy": F_np, "tensor": F_t}[kind].adjust_saturation(
        img, saturation_factor
    )


def adjust_hue(img, hue_factor: float):
    """Shift hue by ``hue_factor`` in [-0.5, 0.5] of a full turn.

    >>> from PIL import Image
    >>> from paddlefish.vision.transforms import functional as F
    >>> F.adjust_hue(Image.new("RGB", (1, 1), (255, 0, 0)), 0.0).getpixel((0, 0))
    (255, 0, 0)
    """
    kind = _kind(img)
    check_hue(hue_factor)
    return {"pil": F_pil, "numpy": F_np, "tensor": F_t}[kind].adjust_hue(img, hue_factor)


def rotate(img, angle, interpolation: str = "nearest", expand: bool = False, center=None, fill=0):
    """Rotate counter-clockwise by ``angle`` degrees about ``center`` (default: the middle).

    >>> from PIL import Image
    >>> from paddlefish.vision.transforms import functional as F
    >>> F.rotate(Image.new("RGB", (6, 4)), 90, expand=True).size
    (4, 6)
    """
    kind = _kind(img)
    if isinstance(center, list):
        center = tuple(center)
    if isinstance(fill, list):
        fill = tuple(fill)
    mod = {"pil": F_pil, "numpy": F_np, "tensor": F_t}[kind]
    return mod.rotate(img, angle, interpolation, expand, center, fill)


def affine(img, angle, translate, scale, shear, interpolation="nearest", fill=0, center=None):
    """Rotate by ``angle`` degrees (clockwise), translate by ``translate`` pixels, scale by
    ``scale`` and shear by ``shear`` degrees (a number: x only; two numbers: x and y) about
    ``center`` (default: the middle), as Paddle 2.6 does for each image kind.

    >>> import numpy as np
    >>> from paddlefish.vision.transforms import functional as F
    >>> img = np.zeros((4, 6, 3), "uint8"); img[1, 2] = 255
    >>> out = F.affine(img, 0, translate=[1, 0], scale=1.0, shear=0)
    >>> out.shape, int(out[1, 3, 0])
    ((4, 6, 3), 255)
    """
    kind = _kind(img)
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if not isinstance(translate, (list, tuple)):
        raise TypeError("Argument translate should be a sequence")
    if len(translate) != 2:
        raise ValueError("Argument translate should be a sequence of length 2")
    if scale <= 0.0:
        raise ValueError("Argument scale should be positive")
    if not isinstance(shear, (int, float, list, tuple)):
        raise TypeError("Shear should be either a single value or a sequence of two values")
    if not isinstance(interpolation, str):
        raise TypeError("Argument interpolation should be a string")
    angle = float(angle)
    translate = list(translate)
    shear = [shear, 0.0] if isinstance(shear, (int, float)) else list(shear)
    if len(shear) == 1:
        shear = [shear[0], shear[0]]
    if len(shear) != 2:
        raise ValueError(f"Shear should be a sequence containing two values. Got {shear}")
    if center is not None and not isinstance(center, (list, tuple)):
        raise TypeError("Argument center should be a sequence")
    if kind == "pil":
        width, height = img.size
        if center is None:
            center = [width * 0.5, height * 0.5]
        return F_pil.affine(
            img, affine_matrix(center, angle, translate, scale, shear), interpolation, fill
        )
    if kind == "numpy":
        # Paddle 2.6 reads (width, height) from shape[0:2], i.e. (rows, cols): its default
        # centre of a non-square array is (rows / 2, cols / 2); kept for identical output
        width, height = img.shape[0:2]
        if center is None:
            center = (width * 0.5, height * 0.5)
        return F_np.affine(img, angle, translate, scale, shear, interpolation, fill, center)
    center_f = [0.0, 0.0]
    if center is not None:
        height, width = img.shape[-1], img.shape[-2]  # Paddle 2.6's order, kept
        center_f = [1.0 * (c - s * 0.5) for c, s in zip(center, [width, height])]
    matrix = affine_matrix(center_f, angle, [1.0 * t for t in translate], scale, shear)
    return F_t.affine(img, matrix, interpolation, fill)


def perspective(img, startpoints, endpoints, interpolation="nearest", fill=0):
    """Map the four corners ``startpoints`` (top-left, top-right, bottom-right, bottom-left)
    onto ``endpoints``; the output keeps the input's size.

    >>> import numpy as np
    >>> from paddlefish.vision.transforms import functional as F
    >>> img = np.ones((4, 4, 1), "uint8")
    >>> F.perspective(img, [[0, 0], [3, 0], [3, 3], [0, 3]], [[0, 0], [3, 0], [3, 3], [0, 3]]).shape
    (4, 4, 1)
    """
    kind = _kind(img)
    check_points(startpoints, "startpoints")
    check_points(endpoints, "endpoints")
    if kind == "numpy":
        return F_np.perspective(img, startpoints, endpoints, interpolation, fill)
    coeffs = perspective_coeffs(startpoints, endpoints)
    if kind == "pil":
        return F_pil.perspective(img, coeffs, interpolation, fill)
    return F_t.perspective(img, coeffs, interpolation, fill)


def to_grayscale(img, num_output_channels: int = 1):
    """Grey image with 1 or 3 (equal) channels.

    >>> import numpy as np
    >>> from paddlefish.vision.transforms import functional as F
    >>> F.to_grayscale(np.full((2, 2, 3), 7, "uint8")).shape
    (2, 2, 1)
    """
    kind = _kind(img)
    check_gray_channels(num_output_channels)
    return {"pil": F_pil, "numpy": F_np, "tensor": F_t}[kind].to_grayscale(img, num_output_channels)


def normalize(img, mean, std, data_format: str = "CHW", to_rgb: bool = False):
    """``(img - mean) / std`` per channel. A PIL image becomes a float32 ``HWC`` array first;
    ``to_rgb`` reverses the last axis (BGR -> RGB for ``HWC`` data), a Tensor ignores it.

    >>> import numpy as np
    >>> from paddlefish.vision.transforms import functional as F
    >>> F.normalize(np.full((3, 1, 1), 4.0, "float32"), [1, 2, 3], [1, 2, 1]).ravel().tolist()
    [3.0, 1.0, 1.0]
    """
    if _is_tensor_image(img):
        return F_t.normalize(img, mean, std, data_format)
    if _is_pil_image(img):
        img = np.array(img).astype(np.float32)
    return F_np.normalize(img, mean, std, data_format, to_rgb)


def erase(img, i: int, j: int, h: int, w: int, v, inplace: bool = False):
    """Set the ``h x w`` box at ``(i, j)`` to ``v`` (Tensors: CHW; arrays and PIL: HWC).

    >>> import numpy as np
    >>> from paddlefish.vision.transforms import functional as F
    >>> F.erase(np.ones((2, 2, 1), "uint8"), 0, 0, 1, 1, 0)[..., 0].tolist()
    [[0, 1], [1, 1]]
    """
    kind = _kind(img)
    if kind == "tensor":
        return F_t.erase(img, i, j, h, w, v, inplace)
    if kind == "pil":
        arr = np.array(img, dtype=np.uint8)
        arr[i : i + h, j : j + w, ...] = v
        return Image.fromarray(arr, "RGB")
    out = img if inplace else img.copy()
    out[i : i + h, j : j + w, ...] = v
    return out
