"""Image ops on ``PIL.Image`` inputs, as Paddle's ``functional_pil`` does them (Pillow itself
computes every pixel, so outputs are Pillow's, bit for bit)."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image, ImageEnhance, ImageOps

from ...eager import Tensor, wrap
from ._args import center_offsets, crop_size, pad_amounts, resized_hw

__all__: list[str] = []

INTERP = {
    "nearest": Image.Resampling.NEAREST,
    "bilinear": Image.Resampling.BILINEAR,
    "bicubic": Image.Resampling.BICUBIC,
    "box": Image.Resampling.BOX,
    "lanczos": Image.Resampling.LANCZOS,
    "hamming": Image.Resampling.HAMMING,
}


def interp(name: str) -> Image.Resampling:
    if name not in INTERP:
        raise ValueError(
            f"interpolation {name!r} is not supported for PIL images; use one of {sorted(INTERP)}"
        )
    return INTERP[name]


def to_tensor(pic: Image.Image, data_format: str) -> Tensor:
    if pic.mode in ("I", "I;16"):
        arr = np.asarray(pic, np.int32)
    elif pic.mode == "F":
        arr = np.asarray(pic, np.float32)
    elif pic.mode == "1":
        arr = 255 * np.asarray(pic, np.uint8)
    else:
        arr = np.asarray(pic)
    nchannel = 3 if pic.mode == "YCbCr" else 1 if pic.mode == "I;16" else len(pic.mode)
    t = torch.from_numpy(np.array(arr, copy=True, order="C"))
    if t.dtype == torch.uint8:
        t = t.to(torch.float32) / 255.0
    t = t.reshape(pic.size[1], pic.size[0], nchannel)
    if data_format == "CHW":
        t = t.permute(2, 0, 1)
    return wrap(t.contiguous())


def resize(img: Image.Image, size, interpolation: str) -> Image.Image:
    w, h = img.size
    hw = resized_hw(h, w, size)
    if hw is None:
        return img
    return img.resize((hw[1], hw[0]), interp(interpolation))


def pad(img: Image.Image, padding, fill, padding_mode: str) -> Image.Image:
    left, top, right, bottom = pad_amounts(padding)
    if padding_mode == "constant":
        out = ImageOps.expand(img, border=padding, fill=fill)
        if img.mode == "P":
            out.putpalette(img.getpalette())
        return out
    arr = np.asarray(img)
    widths = ((top, bottom), (left, right)) + (((0, 0),) if arr.ndim == 3 else ())
    out = Image.fromarray(np.pad(arr, widths, padding_mode))
    if img.mode == "P":
        out.putpalette(img.getpalette())
    return out


def crop(img: Image.Image, top: int, left: int, height: int, width: int) -> Image.Image:
    return img.crop((left, top, left + width, top + height))


def center_crop(img: Image.Image, output_size) -> Image.Image:
    th, tw = crop_size(output_size)
    w, h = img.size
    i, j = center_offsets(h, w, th, tw)
    return crop(img, i, j, th, tw)


def hflip(img: Image.Image) -> Image.Image:
    return img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)


def vflip(img: Image.Image) -> Image.Image:
    return img.transpose(Image.Transpose.FLIP_TOP_BOTTOM)


def adjust_brightness(img: Image.Image, factor: float) -> Image.Image:
    return ImageEnhance.Brightness(img).enhance(factor)


def adjust_contrast(img: Image.Image, factor: float) -> Image.Image:
    return ImageEnhance.Contrast(img).enhance(factor)


def adjust_saturation(img: Image.Image, factor: float) -> Image.Image:
    return ImageEnhance.Color(img).enhance(factor)


def adjust_hue(img: Image.Image, hue_factor: float) -> Image.Image:
    if img.mode in {"L", "1", "I", "F"}:
        return img
    h, s, v = img.convert("HSV").split()
    np_h = (np.array(h, dtype=np.uint8).astype(np.int16) + int(hue_factor * 255)) % 256
    h = Image.fromarray(np_h.astype(np.uint8), "L")
    return Image.merge("HSV", (h, s, v)).convert(img.mode)


def rotate(img: Image.Image, angle, interpolation: str, expand: bool, center, fill):
    if isinstance(fill, int):
        fill = (fill,) * 3
    return img.rotate(angle, interp(interpolation), expand, center, fillcolor=fill)


def to_grayscale(img: Image.Image, num_output_channels: int) -> Image.Image:
    gray = img.convert("L")
    if num_output_channels == 1:
        return gray
    a = np.array(gray, dtype=np.uint8)
    return Image.fromarray(np.dstack([a, a, a]), "RGB")


def affine(img: Image.Image, matrix, interpolation: str, fill):
    if isinstance(fill, int):
        fill = (fill,) * 3
    return img.transform(img.size, Image.AFFINE, matrix, interp(interpolation), fill)


def perspective(img: Image.Image, coeffs, interpolation: str, fill):
    if isinstance(fill, int):
        fill = (fill,) * 3
    return img.transform(img.size, Image.PERSPECTIVE, coeffs, interp(interpolation), fill)
