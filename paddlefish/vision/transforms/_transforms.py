"""The transform classes of ``paddle.vision.transforms``: ``BaseTransform`` owns the call (the
``keys`` routing of tuple inputs); each subclass fills ``_apply_image``. Random transforms draw
from Python's ``random`` and ``np.random`` with the same calls as Paddle."""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from . import functional as F
from ._args import PAD_MODES

__all__ = [
    "BaseTransform",
    "Compose",
    "ToTensor",
    "Resize",
    "RandomResizedCrop",
    "CenterCrop",
    "RandomHorizontalFlip",
    "RandomVerticalFlip",
    "Transpose",
    "Normalize",
    "BrightnessTransform",
    "ContrastTransform",
    "SaturationTransform",
    "HueTransform",
    "ColorJitter",
    "RandomCrop",
    "Pad",
    "RandomRotation",
    "Grayscale",
    "RandomErasing",
]


def _get_image_size(img) -> tuple[int, int]:
    """``(width, height)`` of a PIL image, an ``HWC`` array or a ``CHW``/``NCHW`` Tensor."""
    if F._is_pil_image(img):
        return img.size
    if F._is_numpy_image(img):
        return img.shape[1], img.shape[0]
    if F._is_tensor_image(img):
        if img.ndim not in (3, 4):
            raise ValueError(
                f"The dim for input Tensor should be 3-D or 4-D, but received {img.ndim}"
            )
        return img.shape[-1], img.shape[-2]
    raise TypeError(f"Unexpected type {type(img)}")


def _check_input(value, name, center=1, bound=(0, float("inf")), clip_first_on_zero=True):
    if isinstance(value, numbers.Number):
        if value < 0:
            raise ValueError(f"If {name} is a single number, it must be non negative.")
        value = [center - value, center + value]
        if clip_first_on_zero:
            value[0] = max(value[0], 0)
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        if not bound[0] <= value[0] <= value[1] <= bound[1]:
            raise ValueError(f"{name} values should be between {bound}")
    else:
        raise TypeError(f"{name} should be a single number or a list/tuple with length 2.")
    if value[0] == value[1] == center:
        value = None
    return value


class Compose:
    """Apply ``transforms`` in order.

    >>> import numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> t = T.Compose([T.CenterCrop(2), T.ToTensor()])
    >>> t(np.zeros((4, 4, 3), "uint8")).shape
    [3, 2, 2]
    """

    def __init__(self, transforms: Sequence[Any]) -> None:
        self.transforms = transforms

    def __call__(self, data):
        for f in self.transforms:
            data = f(data)
        return data

    def __repr__(self) -> str:
        lines = "".join(f"\n    {t}" for t in self.transforms)
        return f"{type(self).__name__}({lines}\n)"


class BaseTransform:
    """Base of the transforms. A call with a tuple applies ``_apply_<key>`` to the i-th item
    for the i-th of ``keys`` (default ``("image",)``) and passes the rest through.

    >>> import numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> img, label = T.CenterCrop(2)((np.zeros((4, 4, 3), "uint8"), 7))
    >>> img.shape, label
    ((2, 2, 3), 7)
    """

    def __init__(self, keys: Sequence[str] | None = None) -> None:
        if keys is None:
            keys = ("image",)
        elif not isinstance(keys, Sequence):
            raise ValueError(f"keys should be a sequence, but got keys={keys}")
        for k in keys:
            if self._get_apply(k) is None:
                raise NotImplementedError(f"{k} is unsupported data structure")
        self.keys = keys
        self.params = None

    def _get_params(self, inputs):
        return None

    def __call__(self, inputs):
        if not isinstance(inputs, tuple):
            inputs = (inputs,)
        self.params = self._get_params(inputs)
        outputs = []
        for i in range(min(len(inputs), len(self.keys))):
            apply_func = self._get_apply(self.keys[i])
            outputs.append(inputs[i] if apply_func is None else apply_func(inputs[i]))
        if len(inputs) > len(self.keys):
            outputs.extend(inputs[len(self.keys) :])
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def _get_apply(self, key):
        return getattr(self, f"_apply_{key}", None)

    def _apply_image(self, image):
        raise NotImplementedError

    def _apply_boxes(self, boxes):
        raise NotImplementedError

    def _apply_mask(self, mask):
        raise NotImplementedError

    def _apply_coords(self, coords):
        raise NotImplementedError


class ToTensor(BaseTransform):
    """PIL image or ``HWC`` array -> Tensor (``CHW`` by default); uint8 scaled to [0, 1].

    >>> import numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> T.ToTensor()(np.zeros((4, 5, 3), "uint8")).shape
    [3, 4, 5]
    """

    def __init__(self, data_format: str = "CHW", keys=None) -> None:
        super().__init__(keys)
        self.data_format = data_format

    def _apply_image(self, img):
        return F.to_tensor(img, self.data_format)


class Resize(BaseTransform):
    """Resize to ``size`` (int: shorter side; pair: ``(height, width)``).

    >>> import numpy as np
    >>> from PIL import Image
    >>> from paddlefish.vision import transforms as T
    >>> T.Resize((3, 5))(Image.new("RGB", (8, 8))).size
    (5, 3)
    """

    def __init__(self, size, interpolation: str = "bilinear", keys=None) -> None:
        super().__init__(keys)
        if not (isinstance(size, int) or (isinstance(size, Iterable) and len(size) == 2)):
            raise TypeError(f"Resize: size must be an int or a (height, width) pair, got {size!r}")
        self.size = size
        self.interpolation = interpolation

    def _apply_image(self, img):
        return F.resize(img, self.size, self.interpolation)


class RandomResizedCrop(BaseTransform):
    """Crop a random area (``scale`` of the image) with random aspect ratio, resize to ``size``.

    >>> from PIL import Image
    >>> from paddlefish.vision import transforms as T
    >>> T.RandomResizedCrop(4)(Image.new("RGB", (10, 8))).size
    (4, 4)
    """

    def __init__(
        self,
        size,
        scale=(0.08, 1.0),
        ratio=(3.0 / 4, 4.0 / 3),
        interpolation: str = "bilinear",
        keys=None,
    ) -> None:
        super().__init__(keys)
        self.size = (size, size) if isinstance(size, int) else size
        if scale[0] > scale[1]:
            raise ValueError(f"scale should be of kind (min, max), got {scale}")
        if ratio[0] > ratio[1]:
            raise ValueError(f"ratio should be of kind (min, max), got {ratio}")
        self.scale = scale
        self.ratio = ratio
        self.interpolation = interpolation

    def _get_param(self, image, attempts: int = 10):
        width, height = _get_image_size(image)
        area = height * width
        for _ in range(attempts):
            target_area = np.random.uniform(*self.scale) * area
            log_ratio = tuple(math.log(x) for x in self.ratio)
            aspect_ratio = math.exp(np.random.uniform(*log_ratio))
            w = int(round(math.sqrt(target_area * aspect_ratio)))
            h = int(round(math.sqrt(target_area / aspect_ratio)))
            if 0 < w <= width and 0 < h <= height:
                i = random.randint(0, height - h)
                j = random.randint(0, width - w)
                return i, j, h, w
        in_ratio = float(width) / float(height)
        if in_ratio < min(self.ratio):
            w = width
            h = int(round(w / min(self.ratio)))
        elif in_ratio > max(self.ratio):
            h = height
            w = int(round(h * max(self.ratio)))
        else:
            w, h = width, height
        return (height - h) // 2, (width - w) // 2, h, w

    def _apply_image(self, img):
        i, j, h, w = self._get_param(img)
        return F.resize(F.crop(img, i, j, h, w), self.size, self.interpolation)


class CenterCrop(BaseTransform):
    """Crop the centre ``size`` (int or ``(height, width)``).

    >>> import numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> T.CenterCrop((2, 3))(np.zeros((5, 5, 3), "uint8")).shape
    (2, 3, 3)
    """

    def __init__(self, size, keys=None) -> None:
        super().__init__(keys)
        self.size = (int(size), int(size)) if isinstance(size, numbers.Number) else size

    def _apply_image(self, img):
        return F.center_crop(img, self.size)


class RandomHorizontalFlip(BaseTransform):
    """Mirror left-right with probability ``prob``.

    >>> import numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> T.RandomHorizontalFlip(1.0)(np.array([[1, 2]], "uint8")).tolist()
    [[2, 1]]
    """

    def __init__(self, prob: float = 0.5, keys=None) -> None:
        super().__init__(keys)
        if not 0 <= prob <= 1:
            raise ValueError(f"probability must be between 0 and 1, got {prob}")
        self.prob = prob

    def _apply_image(self, img):
        return F.hflip(img) if random.random() < self.prob else img


class RandomVerticalFlip(BaseTransform):
    """Mirror top-bottom with probability ``prob``.

    >>> import numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> T.RandomVerticalFlip(1.0)(np.array([[1], [2]], "uint8")).tolist()
    [[2], [1]]
    """

    def __init__(self, prob: float = 0.5, keys=None) -> None:
        super().__init__(keys)
        if not 0 <= prob <= 1:
            raise ValueError(f"probability must be between 0 and 1, got {prob}")
        self.prob = prob

    def _apply_image(self, img):
        return F.vflip(img) if random.random() < self.prob else img


class Normalize(BaseTransform):
    """``(img - mean) / std`` per channel (a number is used for all three channels).

    >>> import numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> T.Normalize(127.5, 127.5, data_format="HWC")(np.full((1, 1, 3), 255, "uint8")).ravel()
    array([1., 1., 1.], dtype=float32)
    """

    def __init__(
        self, mean=0.0, std=1.0, data_format: str = "CHW", to_rgb: bool = False, keys=None
    ) -> None:
        super().__init__(keys)
        if isinstance(mean, numbers.Number):
            mean = [mean, mean, mean]
        if isinstance(std, numbers.Number):
            std = [std, std, std]
        self.mean = mean
        self.std = std
        self.data_format = data_format
        self.to_rgb = to_rgb

    def _apply_image(self, img):
        return F.normalize(img, self.mean, self.std, self.data_format, self.to_rgb)


class Transpose(BaseTransform):
    """Permute the axes of an image (default ``HWC`` -> ``CHW``); PIL becomes an array.

    >>> import numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> T.Transpose()(np.zeros((4, 5, 3), "uint8")).shape
    (3, 4, 5)
    """

    def __init__(self, order=(2, 0, 1), keys=None) -> None:
        super().__init__(keys)
        self.order = order

    def _apply_image(self, img):
        if F._is_tensor_image(img):
            return img.transpose(self.order)
        if F._is_pil_image(img):
            img = np.asarray(img)
        if img.ndim == 2:
            img = img[..., np.newaxis]
        return img.transpose(self.order)


class BrightnessTransform(BaseTransform):
    """Random brightness factor from ``[max(0, 1 - value), 1 + value]``.

    >>> import numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> T.BrightnessTransform(0.4)(np.zeros((2, 2, 3), "uint8")).shape
    (2, 2, 3)
    """

    def __init__(self, value, keys=None) -> None:
        super().__init__(keys)
        self.value = _check_input(value, "brightness")

    def _apply_image(self, img):
        if self.value is None:
            return img
        return F.adjust_brightness(img, random.uniform(self.value[0], self.value[1]))


class ContrastTransform(BaseTransform):
    """Random contrast factor from ``[max(0, 1 - value), 1 + value]``.

    >>> import numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> T.ContrastTransform(0.4)(np.zeros((2, 2, 3), "uint8")).shape
    (2, 2, 3)
    """

    def __init__(self, value, keys=None) -> None:
        super().__init__(keys)
        if value < 0:
            raise ValueError("contrast value should be non-negative")
        self.value = _check_input(value, "contrast")

    def _apply_image(self, img):
        if self.value is None:
            return img
        return F.adjust_contrast(img, random.uniform(self.value[0], self.value[1]))


class SaturationTransform(BaseTransform):
    """Random saturation factor from ``[max(0, 1 - value), 1 + value]``.

    >>> from PIL import Image
    >>> from paddlefish.vision import transforms as T
    >>> T.SaturationTransform(0.4)(Image.new("RGB", (2, 2))).size
    (2, 2)
    """

    def __init__(self, value, keys=None) -> None:
        super().__init__(keys)
        self.value = _check_input(value, "saturation")

    def _apply_image(self, img):
        if self.value is None:
            return img
        return F.adjust_saturation(img, random.uniform(self.value[0], self.value[1]))


class HueTransform(BaseTransform):
    """Random hue shift from ``[-value, value]`` (``value`` in [0, 0.5]).

    >>> from PIL import Image
    >>> from paddlefish.vision import transforms as T
    >>> T.HueTransform(0.4)(Image.new("RGB", (2, 2))).size
    (2, 2)
    """

    def __init__(self, value, keys=None) -> None:
        super().__init__(keys)
        self.value = _check_input(
            value, "hue", center=0, bound=(-0.5, 0.5), clip_first_on_zero=False
        )

    def _apply_image(self, img):
        if self.value is None:
            return img
        return F.adjust_hue(img, random.uniform(self.value[0], self.value[1]))


class ColorJitter(BaseTransform):
    """Brightness, contrast, saturation and hue transforms in random order.

    >>> from PIL import Image
    >>> from paddlefish.vision import transforms as T
    >>> T.ColorJitter(0.4, 0.4, 0.4, 0.1)(Image.new("RGB", (2, 2))).size
    (2, 2)
    """

    def __init__(self, brightness=0, contrast=0, saturation=0, hue=0, keys=None) -> None:
        super().__init__(keys)
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue

    def _get_param(self, brightness, contrast, saturation, hue) -> Compose:
        transforms: list[BaseTransform] = []
        if brightness is not None:
            transforms.append(BrightnessTransform(brightness, self.keys))
        if contrast is not None:
            transforms.append(ContrastTransform(contrast, self.keys))
        if saturation is not None:
            transforms.append(SaturationTransform(saturation, self.keys))
        if hue is not None:
            transforms.append(HueTransform(hue, self.keys))
        random.shuffle(transforms)
        return Compose(transforms)

    def _apply_image(self, img):
        return self._get_param(self.brightness, self.contrast, self.saturation, self.hue)(img)


class RandomCrop(BaseTransform):
    """Crop ``size`` at a random place, after optional ``padding`` (and ``pad_if_needed``).

    >>> import numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> T.RandomCrop(4, padding=2)(np.zeros((4, 4, 3), "uint8")).shape
    (4, 4, 3)
    """

    def __init__(
        self,
        size,
        padding=None,
        pad_if_needed: bool = False,
        fill=0,
        padding_mode: str = "constant",
        keys=None,
    ) -> None:
        super().__init__(keys)
        self.size = (int(size), int(size)) if isinstance(size, numbers.Number) else size
        self.padding = padding
        self.pad_if_needed = pad_if_needed
        self.fill = fill
        self.padding_mode = padding_mode

    def _get_param(self, img, output_size):
        w, h = _get_image_size(img)
        th, tw = output_size
        if w == tw and h == th:
            return 0, 0, h, w
        return random.randint(0, h - th), random.randint(0, w - tw), th, tw

    def _apply_image(self, img):
        if self.padding is not None:
            img = F.pad(img, self.padding, self.fill, self.padding_mode)
        w, h = _get_image_size(img)
        if self.pad_if_needed and w < self.size[1]:
            img = F.pad(img, (self.size[1] - w, 0), self.fill, self.padding_mode)
        if self.pad_if_needed and h < self.size[0]:
            img = F.pad(img, (0, self.size[0] - h), self.fill, self.padding_mode)
        i, j, h, w = self._get_param(img, self.size)
        return F.crop(img, i, j, h, w)


class Pad(BaseTransform):
    """Pad all sides (see ``functional.pad``).

    >>> import numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> T.Pad((1, 2, 3, 4))(np.zeros((2, 2, 3), "uint8")).shape
    (8, 6, 3)
    """

    def __init__(self, padding, fill=0, padding_mode: str = "constant", keys=None) -> None:
        if not isinstance(padding, (numbers.Number, list, tuple)):
            raise TypeError(f"Pad: padding must be an int or a tuple, got {padding!r}")
        if not isinstance(fill, (numbers.Number, str, list, tuple)):
            raise TypeError(f"Pad: fill must be a number, str or tuple, got {fill!r}")
        if padding_mode not in PAD_MODES:
            raise ValueError(f"Pad: padding_mode must be one of {PAD_MODES}, got {padding_mode!r}")
        if isinstance(padding, list):
            padding = tuple(padding)
        if isinstance(fill, list):
            fill = tuple(fill)
        if isinstance(padding, Sequence) and len(padding) not in (2, 4):
            raise ValueError(
                "Padding must be an int or a 2, or 4 element tuple, not a "
                f"{len(padding)} element tuple"
            )
        super().__init__(keys)
        self.padding = padding
        self.fill = fill
        self.padding_mode = padding_mode

    def _apply_image(self, img):
        return F.pad(img, self.padding, self.fill, self.padding_mode)


class RandomRotation(BaseTransform):
    """Rotate by a random angle from ``degrees`` (a number d means ``(-d, d)``).

    >>> from PIL import Image
    >>> from paddlefish.vision import transforms as T
    >>> T.RandomRotation((90, 90), expand=True)(Image.new("RGB", (6, 4))).size
    (4, 6)
    """

    def __init__(
        self,
        degrees,
        interpolation: str = "nearest",
        expand: bool = False,
        center=None,
        fill=0,
        keys=None,
    ) -> None:
        if isinstance(degrees, numbers.Number):
            if degrees < 0:
                raise ValueError("If degrees is a single number, it must be positive.")
            self.degrees = (-degrees, degrees)
        else:
            if len(degrees) != 2:
                raise ValueError("If degrees is a sequence, it must be of len 2.")
            self.degrees = degrees
        super().__init__(keys)
        self.interpolation = interpolation
        self.expand = expand
        self.center = center
        self.fill = fill

    def _get_param(self, degrees) -> float:
        return random.uniform(degrees[0], degrees[1])

    def _apply_image(self, img):
        angle = self._get_param(self.degrees)
        return F.rotate(img, angle, self.interpolation, self.expand, self.center, self.fill)


class Grayscale(BaseTransform):
    """Convert to grey with 1 or 3 channels.

    >>> from PIL import Image
    >>> from paddlefish.vision import transforms as T
    >>> T.Grayscale()(Image.new("RGB", (2, 2))).mode
    'L'
    """

    def __init__(self, num_output_channels: int = 1, keys=None) -> None:
        super().__init__(keys)
        self.num_output_channels = num_output_channels

    def _apply_image(self, img):
        return F.to_grayscale(img, self.num_output_channels)


class RandomErasing(BaseTransform):
    """With probability ``prob`` erase a random box (area ``scale``, aspect ``ratio``) to
    ``value`` (a number, a per-channel sequence, or ``'random'`` for normal noise).

    >>> import numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> T.RandomErasing(prob=1.0)(np.ones((8, 8, 3), "uint8")).min()
    np.uint8(0)
    """

    def __init__(
        self,
        prob: float = 0.5,
        scale=(0.02, 0.33),
        ratio=(0.3, 3.3),
        value=0,
        inplace: bool = False,
        keys=None,
    ) -> None:
        super().__init__(keys)
        if not (isinstance(scale, (tuple, list)) and 0 <= scale[0] <= scale[1] <= 1):
            raise ValueError(f"scale should be of kind (min, max) and in range [0, 1], got {scale}")
        if not (isinstance(ratio, (tuple, list)) and 0 <= ratio[0] <= ratio[1]):
            raise ValueError(f"ratio should be of kind (min, max), got {ratio}")
        if not 0 <= prob <= 1:
            raise ValueError(f"The probability should be in range [0, 1], got {prob}")
        if not isinstance(value, (numbers.Number, str, tuple, list)):
            raise TypeError("value should be a number, tuple, list or str")
        if isinstance(value, str) and value != "random":
            raise ValueError("value must be 'random' when type is str")
        self.prob = prob
        self.scale = scale
        self.ratio = ratio
        self.value = value
        self.inplace = inplace

    def _get_param(self, img, scale, ratio, value):
        if F._is_pil_image(img):
            h, w, c = np.asarray(img).astype(np.uint8).shape[-3:]
        elif F._is_numpy_image(img):
            h, w, c = img.shape[-3], img.shape[-2], img.shape[-1]
        else:
            c, h, w = img.shape[-3], img.shape[-2], img.shape[-1]
        img_area = h * w
        log_ratio = np.log(ratio)
        for _ in range(10):
            erase_area = np.random.uniform(*scale) * img_area
            aspect_ratio = np.exp(np.random.uniform(*log_ratio))
            erase_h = int(round(np.sqrt(erase_area * aspect_ratio)))
            erase_w = int(round(np.sqrt(erase_area / aspect_ratio)))
            if erase_h >= h or erase_w >= w:
                continue
            if F._is_tensor_image(img):
                v = (
                    np.random.normal(size=[c, erase_h, erase_w])
                    if value is None
                    else np.array(value)[:, None, None]
                )
            else:
                v = (
                    np.random.normal(size=[erase_h, erase_w, c]) * 255
                    if value is None
                    else np.array(value)[None, None, :]
                )
            top = np.random.randint(0, h - erase_h + 1)
            left = np.random.randint(0, w - erase_w + 1)
            return top, left, erase_h, erase_w, v
        return 0, 0, h, w, img

    def _apply_image(self, img):
        if random.random() >= self.prob:
            return img
        if isinstance(self.value, numbers.Number):
            value = [self.value]
        elif isinstance(self.value, str):
            value = None
        else:
            value = self.value
        if value is not None and len(value) not in (1, 3):
            raise ValueError(
                "Value should be a single number or a sequence with length equals to image's "
                "channel."
            )
        top, left, eh, ew, v = self._get_param(img, self.scale, self.ratio, value)
        return F.erase(img, top, left, eh, ew, v, self.inplace)
