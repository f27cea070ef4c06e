"""Argument checks and size arithmetic shared by the PIL, numpy and Tensor backends, with
Paddle's rules (one copy, so the three backends cannot drift apart)."""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence

__all__: list[str] = []

PAD_MODES = ("constant", "edge", "reflect", "symmetric")


def resized_hw(h: int, w: int, size) -> tuple[int, int] | None:
    """Output ``(height, width)`` of ``resize(img, size)``; None when Paddle returns the input.

    An int resizes the shorter side to ``size`` keeping the aspect ratio (the longer side is
    truncated, ``int(size * long / short)``); a pair is ``(height, width)``.
    """
    if isinstance(size, bool) or not (
        isinstance(size, int) or (isinstance(size, Iterable) and len(size) == 2)
    ):
        raise TypeError(
            f"resize: size must be an int or a (height, width) pair, got {size!r}; "
            "e.g. resize(img, 224) or resize(img, (224, 160))."
        )
    if isinstance(size, int):
        if (w <= h and w == size) or (h <= w and h == size):
            return None
        if w < h:
            return int(size * h / w), size
        return size, int(size * w / h)
    oh, ow = size
    return int(oh), int(ow)


def pad_amounts(padding) -> tuple[int, int, int, int]:
    """``(left, top, right, bottom)`` from an int, a (left/right, top/bottom) pair or a 4-tuple."""
    if not isinstance(padding, (numbers.Number, list, tuple)):
        raise TypeError(
            f"pad: padding must be an int or a list/tuple of 2 or 4 ints, got "
            f"{type(padding).__name__}."
        )
    if isinstance(padding, numbers.Number):
        p = int(padding)
        return p, p, p, p
    if len(padding) == 2:
        return padding[0], padding[1], padding[0], padding[1]
    if len(padding) == 4:
        return padding[0], padding[1], padding[2], padding[3]
    raise ValueError(
        f"pad: padding must be an int or a 2, or 4 element tuple, not a {len(padding)} "
        "element tuple."
    )


def check_pad(fill, padding_mode) -> None:
    if not isinstance(fill, (numbers.Number, str, list, tuple)):
        raise TypeError(f"pad: fill must be a number, str or tuple, got {type(fill).__name__}.")
    if padding_mode not in PAD_MODES:
        raise ValueError(f"pad: padding_mode must be one of {PAD_MODES}, got {padding_mode!r}.")


def crop_size(output_size) -> tuple[int, int]:
    if isinstance(output_size, numbers.Number):
        return int(output_size), int(output_size)
    th, tw = output_size
    return th, tw


def center_offsets(h: int, w: int, th: int, tw: int) -> tuple[int, int]:
    """Top-left corner of a centred ``th x tw`` crop (Python's round: halves go to even)."""
    return int(round((h - th) / 2.0)), int(round((w - tw) / 2.0))


def check_hue(hue_factor: float) -> None:
    if not (-0.5 <= hue_factor <= 0.5):
        raise ValueError(f"hue_factor:{hue_factor} is not in [-0.5, 0.5].")


def check_gray_channels(num_output_channels: int) -> None:
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")


def is_sequence(x) -> bool:
    return isinstance(x, Sequence) and not isinstance(x, str)
