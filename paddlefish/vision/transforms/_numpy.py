"""Image ops on numpy ``HWC`` (or ``HW``) arrays, as Paddle's ``functional_cv2`` does them.

NOTE [cv2 for numpy images]: real Paddle runs numpy images through OpenCV (``cv2``), so its
outputs are OpenCV's. Where OpenCV's result is a plain array computation we compute the same
array with numpy and need no OpenCV: ``to_tensor``, ``normalize``, ``crop``, ``center_crop``,
``hflip``, ``vflip``, ``pad`` (``cv2.copyMakeBorder``), ``adjust_brightness`` and
``adjust_contrast`` (``cv2.LUT``) and ``to_grayscale`` of uint8 images (``cv2.cvtColor``'s
fixed-point RGB->gray). Where OpenCV's arithmetic is its own (``resize``, ``rotate``,
``adjust_saturation``, ``adjust_hue``, ``to_grayscale`` of non-uint8 images) we call OpenCV
itself, from the optional ``vision`` extra (``opencv-python-headless``), and say so clearly when
it is missing. The oracle tests compare both kinds against real Paddle with OpenCV installed.

OpenCV's quirks kept on purpose (they are Paddle's outputs):
  * ``hflip`` of an ``H x W x 1`` array returns ``H x W`` (``cv2.flip`` drops the axis and
    Paddle does not add it back, unlike ``vflip``);
  * ``pad`` with a scalar ``fill`` on a colour image fills ``(fill, 0, 0)``: OpenCV turns a
    number into ``Scalar(fill, 0, 0, 0)``; the fill is saturated to the image dtype.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ...eager import Tensor, wrap
from . import _optional
from ._args import center_offsets, crop_size, pad_amounts, resized_hw

__all__: list[str] = []

_INTERP = ("nearest", "bilinear", "area", "bicubic", "lanczos")
# cv2.cvtColor(COLOR_RGB2GRAY) on 8-bit images: 15-bit fixed-point weights (0.299, 0.587,
# 0.114 scaled to sum 2**15), rounded; equal to OpenCV 4.11 and 5.0 on all 2**24 RGB triples
_GRAY_SHIFT = 15
_R2Y, _G2Y, _B2Y = 9798, 19235, 3735
# see NOTE [cv2 for numpy images]: numpy's pad modes for OpenCV's border types
_NP_PAD = {"edge": "edge", "reflect": "reflect", "symmetric": "symmetric"}


def require_cv2(what: str):
    """OpenCV (see NOTE [optional imports] in ``_optional.py``)."""
    return _optional.require(
        "cv2",
        f"paddle.vision.transforms.functional.{what} on a numpy image uses OpenCV, as real "
        "Paddle does (or pass a PIL image, PIL.Image.fromarray(img), to use Pillow instead); it",
    )


def _cv2_interp(name: str, what: str) -> int:
    if name not in _INTERP:
        raise ValueError(
            f"interpolation {name!r} is not supported for numpy images (OpenCV); use one of "
            f"{list(_INTERP)}"
        )
    c = require_cv2(what)
    return {
        "nearest": c.INTER_NEAREST,
        "bilinear": c.INTER_LINEAR,
        "area": c.INTER_AREA,
        "bicubic": c.INTER_CUBIC,
        "lanczos": c.INTER_LANCZOS4,
    }[name]


def _keep_channel_axis(src: np.ndarray, out: np.ndarray) -> np.ndarray:
    """OpenCV returns ``H x W`` for an ``H x W x 1`` input; Paddle adds the axis back."""
    if src.ndim == 3 and src.shape[2] == 1 and out.ndim == 2:
        return out[:, :, np.newaxis]
    return out


def to_tensor(pic: np.ndarray, data_format: str) -> Tensor:
    if pic.ndim == 2:
        pic = pic[:, :, None]
    if data_format == "CHW":
        pic = pic.transpose((2, 0, 1))
    t = torch.from_numpy(np.ascontiguousarray(pic).copy())
    if t.dtype == torch.uint8:
        t = t.to(torch.float32) / 255.0
    return wrap(t)


def resize(img: np.ndarray, size, interpolation: str) -> np.ndarray:
    h, w = img.shape[:2]
    hw = resized_hw(h, w, size)
    if hw is None:
        return img
    flag = _cv2_interp(interpolation, "resize")
    out = require_cv2("resize").resize(img, dsize=(hw[1], hw[0]), interpolation=flag)
    return _keep_channel_axis(img, out)


def _fill_values(fill, channels: int, dtype: np.dtype) -> list:
    """Per-channel constant of ``cv2.copyMakeBorder(value=fill)``, saturated to ``dtype``."""
    if isinstance(fill, (list, tuple)):
        vals = [float(v) for v in fill][:4]
    else:
        vals = [float(fill)]
    vals += [0.0] * (4 - len(vals))
    out = []
    for c in range(channels):
        v = vals[c] if c < 4 else 0.0
        if np.issubdtype(dtype, np.integer):
            info = np.iinfo(dtype)
            v = min(max(round(v), info.min), info.max)
        out.append(v)
    return out


def pad(img: np.ndarray, padding, fill, padding_mode: str) -> np.ndarray:
    left, top, right, bottom = pad_amounts(padding)
    widths = [(top, bottom), (left, right)] + [(0, 0)] * (img.ndim - 2)
    if padding_mode != "constant":
        return np.pad(img, widths, _NP_PAD[padding_mode])
    if isinstance(fill, str):
        raise TypeError(f"pad: a numpy image needs a numeric fill, got {fill!r}.")
    channels = img.shape[2] if img.ndim == 3 else 1
    values = _fill_values(fill, channels, img.dtype)
    out = np.empty(
        (img.shape[0] + top + bottom, img.shape[1] + left + right, *img.shape[2:]), dtype=img.dtype
    )
    if img.ndim == 3:
        out[...] = np.asarray(values, dtype=img.dtype)
    else:
        out[...] = values[0]
    out[top : top + img.shape[0], left : left + img.shape[1]] = img
    return out


def crop(img: np.ndarray, top: int, left: int, height: int, width: int) -> np.ndarray:
    return img[top : top + height, left : left + width, ...]


def center_crop(img: np.ndarray, output_size) -> np.ndarray:
    th, tw = crop_size(output_size)
    h, w = img.shape[:2]
    i, j = center_offsets(h, w, th, tw)
    return crop(img, i, j, th, tw)


def hflip(img: np.ndarray) -> np.ndarray:
    out = np.ascontiguousarray(img[:, ::-1])
    if out.ndim == 3 and out.shape[2] == 1:  # see NOTE [cv2 for numpy images]
        return out[:, :, 0]
    return out


def vflip(img: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(img[::-1])


def _lut(img: np.ndarray, table: np.ndarray, what: str) -> np.ndarray:
    if img.dtype != np.uint8:
        raise TypeError(
            f"{what}: a numpy image must be uint8 (OpenCV's lookup table), got {img.dtype}; "
            "convert with img.astype('uint8') or pass a float paddle Tensor (CHW) instead."
        )
    return table[img]


def adjust_brightness(img: np.ndarray, factor: float) -> np.ndarray:
    table = np.array([i * factor for i in range(256)]).clip(0, 255).astype("uint8")
    return _lut(img.astype(np.uint8), table, "adjust_brightness")


def adjust_contrast(img: np.ndarray, factor: float) -> np.ndarray:
    # Paddle's table pivots on 74, not the image mean (kept: these are Paddle's outputs)
    table = np.array([(i - 74) * factor + 74 for i in range(256)]).clip(0, 255).astype("uint8")
    return _lut(img, table, "adjust_contrast")


def adjust_saturation(img: np.ndarray, factor: float) -> np.ndarray:
    c = require_cv2("adjust_saturation")
    dtype = img.dtype
    img = img.astype(np.float32)
    # Paddle draws the blend factor at random here (the PIL and Tensor paths do not)
    alpha = np.random.uniform(max(0, 1 - factor), 1 + factor)
    gray = c.cvtColor(img, c.COLOR_BGR2GRAY)[..., np.newaxis]
    img = img * alpha + gray * (1 - alpha)
    return img.clip(0, 255).astype(dtype)


def adjust_hue(img: np.ndarray, hue_factor: float) -> np.ndarray:
    c = require_cv2("adjust_hue")
    dtype = img.dtype
    hsv = c.cvtColor(img.astype(np.uint8), c.COLOR_BGR2HSV_FULL)
    h, s, v = c.split(hsv)
    h = ((h.astype(np.int32) + int(hue_factor * 255)) % 256).astype(np.uint8)
    return c.cvtColor(c.merge([h, s, v]), c.COLOR_HSV2BGR_FULL).astype(dtype)


def _expanded_size(w: int, h: int, angle: float, center) -> tuple[int, int]:
    a = -math.radians(angle)
    m = [
        round(math.cos(a), 15),
        round(math.sin(a), 15),
        0.0,
        round(-math.sin(a), 15),
        round(math.cos(a), 15),
        0.0,
    ]
    m[2] = m[0] * -center[0] + m[1] * -center[1] + center[0]
    m[5] = m[3] * -center[0] + m[4] * -center[1] + center[1]
    xs, ys = [], []
    for x, y in ((0, 0), (w, 0), (w, h), (0, h)):
        xs.append(m[0] * x + m[1] * y + m[2])
        ys.append(m[3] * x + m[4] * y + m[5])
    nw = math.ceil(max(xs)) - math.floor(min(xs))
    nh = math.ceil(max(ys)) - math.floor(min(ys))
    return nw, nh


def rotate(img: np.ndarray, angle, interpolation: str, expand: bool, center, fill):
    flag = _cv2_interp(interpolation, "rotate")
    cv2 = require_cv2("rotate")
    h, w = img.shape[:2]
    if center is None:
        center = (w / 2.0, h / 2.0)
    m = cv2.getRotationMatrix2D(center, angle, 1)
    if expand:
        nw, nh = _expanded_size(w, h, angle, center)
        m[0, 2] += (nw - w) * 0.5
        m[1, 2] += (nh - h) * 0.5
        w, h = int(nw), int(nh)
    out = cv2.warpAffine(img, m, (w, h), flags=flag, borderValue=fill)
    return _keep_channel_axis(img, out)


def _gray_u8(img: np.ndarray) -> np.ndarray:
    r, g, b = (img[:, :, i].astype(np.int32) for i in range(3))
    y = (r * _R2Y + g * _G2Y + b * _B2Y + (1 << (_GRAY_SHIFT - 1))) >> _GRAY_SHIFT
    return y.astype(np.uint8)


def to_grayscale(img: np.ndarray, num_output_channels: int) -> np.ndarray:
    if img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3:
        gray = _gray_u8(img)
    else:
        c = require_cv2("to_grayscale")
        gray = c.cvtColor(img, c.COLOR_RGB2GRAY)
    gray = gray[:, :, np.newaxis]
    if num_output_channels == 1:
        return gray
    return np.broadcast_to(gray, img.shape)


def normalize(img: np.ndarray, mean, std, data_format: str, to_rgb: bool) -> np.ndarray:
    shape = (-1, 1, 1) if data_format == "CHW" else (1, 1, -1)
    mean = np.float32(np.array(mean).reshape(shape))
    std = np.float32(np.array(std).reshape(shape))
    if to_rgb:
        img = img[..., ::-1]
    return (img - mean) / std


def affine(img: np.ndarray, angle, translate, scale, shear, interpolation: str, fill, center):
    # OpenCV's rotation-scale matrix, then Paddle's shear rows and a translation that REPLACES
    # (not adds to) the rotation's offset column, as Paddle 2.6's functional_cv2.affine does
    flag = _cv2_interp(interpolation, "affine")
    cv2 = require_cv2("affine")
    h, w = img.shape[0:2]
    if isinstance(fill, int):
        fill = (fill,) * 3
    if center is None:
        center = (w / 2.0, h / 2.0)
    m = np.ones([2, 3])
    r = cv2.getRotationMatrix2D(angle=angle, center=center, scale=scale)
    sx = math.tan(shear[0] * math.pi / 180)
    sy = math.tan(shear[1] * math.pi / 180)
    m[0] = r[0] + sy * r[1]
    m[1] = r[1] + sx * r[0]
    m[0, 2], m[1, 2] = translate
    out = cv2.warpAffine(img, m, dsize=(w, h), flags=flag, borderValue=fill)
    return _keep_channel_axis(img, out)


def perspective(img: np.ndarray, startpoints, endpoints, interpolation: str, fill):
    flag = _cv2_interp(interpolation, "perspective")
    cv2 = require_cv2("perspective")
    h, w = img.shape[0:2]
    m = cv2.getPerspectiveTransform(
        np.array(startpoints, dtype="float32"), np.array(endpoints, dtype="float32")
    )
    out = cv2.warpPerspective(img, m, dsize=(w, h), flags=flag, borderValue=fill)
    return _keep_channel_axis(img, out)
