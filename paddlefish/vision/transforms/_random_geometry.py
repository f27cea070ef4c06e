"""``RandomAffine`` and ``RandomPerspective``: parameters drawn from Python's ``random`` with the
same calls, in the same order, as Paddle 2.6 (so a seeded run draws the same transform)."""

from __future__ import annotations

import numbers
import random
from collections.abc import Sequence

from . import functional as F
from ._transforms import BaseTransform, _get_image_size

_INTERPOLATIONS = ("nearest", "bilinear", "bicubic")


def _check_sequence_input(x, name, req_sizes):
    msg = req_sizes[0] if len(req_sizes) < 2 else " or ".join(str(s) for s in req_sizes)
    if not isinstance(x, Sequence):
        raise TypeError(f"{name} should be a sequence of length {msg}.")
    if len(x) not in req_sizes:
        raise ValueError(f"{name} should be sequence of length {msg}.")


def _setup_angle(x, name, req_sizes=(2,)):
    if isinstance(x, numbers.Number):
        if x < 0:
            raise ValueError(f"If {name} is a single number, it must be positive.")
        x = [-x, x]
    else:
        _check_sequence_input(x, name, req_sizes)
    return [float(d) for d in x]


def _check_interpolation(interpolation):
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(
            f"interpolation must be one of {list(_INTERPOLATIONS)}, got {interpolation!r}"
        )


class RandomAffine(BaseTransform):
    """Random rotation (``degrees``), translation (fractions ``translate`` of the size), scale
    (range ``scale``) and shear (``shear``: a number, 2 values for x, or 4 for x and y).

    >>> import random, numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> random.seed(0)
    >>> T.RandomAffine(15, translate=(0.1, 0.1), scale=(0.9, 1.1))(np.zeros((8, 8, 3), "uint8")).shape
    (8, 8, 3)
    """

    def __init__(
        self,
        degrees,
        translate=None,
        scale=None,
        shear=None,
        interpolation="nearest",
        fill=0,
        center=None,
        keys=None,
    ):
        self.degrees = _setup_angle(degrees, name="degrees", req_sizes=(2,))
        super().__init__(keys)
        _check_interpolation(interpolation)
        self.interpolation = interpolation
        if translate is not None:
            _check_sequence_input(translate, "translate", req_sizes=(2,))
            for t in translate:
                if not 0.0 <= t <= 1.0:
                    raise ValueError("translation values should be between 0 and 1")
        self.translate = translate
        if scale is not None:
            _check_sequence_input(scale, "scale", req_sizes=(2,))
            for s in scale:
                if s <= 0:
                    raise ValueError("scale values should be positive")
        self.scale = scale
        self.shear = None if shear is None else _setup_angle(shear, "shear", req_sizes=(2, 4))
        if fill is None:
            fill = 0
        elif not isinstance(fill, (Sequence, numbers.Number)):
            raise TypeError("Fill should be either a sequence or a number.")
        self.fill = fill
        if center is not None:
            _check_sequence_input(center, "center", req_sizes=(2,))
        self.center = center

    def _get_param(self, img_size, degrees, translate=None, scale_ranges=None, shears=None):
        angle = random.uniform(degrees[0], degrees[1])
        if translate is not None:
            max_dx = float(translate[0] * img_size[0])
            max_dy = float(translate[1] * img_size[1])
            translations = (
                int(random.uniform(-max_dx, max_dx)),
                int(random.uniform(-max_dy, max_dy)),
            )
        else:
            translations = (0, 0)
        scale = 1.0 if scale_ranges is None else random.uniform(scale_ranges[0], scale_ranges[1])
        shear_x, shear_y = 0.0, 0.0
        if shears is not None:
            shear_x = random.uniform(shears[0], shears[1])
            if len(shears) == 4:
                shear_y = random.uniform(shears[2], shears[3])
        return angle, translations, scale, (shear_x, shear_y)

    def _apply_image(self, img):
        w, h = _get_image_size(img)
        ret = self._get_param([w, h], self.degrees, self.translate, self.scale, self.shear)
        return F.affine(
            img, *ret, interpolation=self.interpolation, fill=self.fill, center=self.center
        )


class RandomPerspective(BaseTransform):
    """With probability ``prob``, move each corner inwards by up to ``distortion_scale`` of half
    the size and warp the image accordingly.

    >>> import random, numpy as np
    >>> from paddlefish.vision import transforms as T
    >>> random.seed(0)
    >>> T.RandomPerspective(prob=1.0)(np.zeros((8, 8, 3), "uint8")).shape
    (8, 8, 3)
    """

    def __init__(self, prob=0.5, distortion_scale=0.5, interpolation="nearest", fill=0, keys=None):
        super().__init__(keys)
        if not 0 <= prob <= 1:
            raise ValueError(f"RandomPerspective: prob must be between 0 and 1, got {prob}")
        if not 0 <= distortion_scale <= 1:
            raise ValueError(
                f"RandomPerspective: distortion_scale must be between 0 and 1, got {distortion_scale}"
            )
        _check_interpolation(interpolation)
        if not isinstance(fill, (numbers.Number, str, list, tuple)):
            raise TypeError("Fill should be either a sequence or a number.")
        self.prob = prob
        self.distortion_scale = distortion_scale
        self.interpolation = interpolation
        self.fill = fill

    def get_params(self, width, height, distortion_scale):
        half_h, half_w = height // 2, width // 2
        dw, dh = int(distortion_scale * half_w), int(distortion_scale * half_h)
        topleft = [int(random.uniform(0, dw + 1)), int(random.uniform(0, dh + 1))]
        topright = [int(random.uniform(width - dw - 1, width)), int(random.uniform(0, dh + 1))]
        botright = [
            int(random.uniform(width - dw - 1, width)),
            int(random.uniform(height - dh - 1, height)),
        ]
        botleft = [int(random.uniform(0, dw + 1)), int(random.uniform(height - dh - 1, height))]
        startpoints = [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]]
        return startpoints, [topleft, topright, botright, botleft]

    def _apply_image(self, img):
        width, height = _get_image_size(img)
        if random.random() < self.prob:
            startpoints, endpoints = self.get_params(width, height, self.distortion_scale)
            return F.perspective(img, startpoints, endpoints, self.interpolation, self.fill)
        return img
