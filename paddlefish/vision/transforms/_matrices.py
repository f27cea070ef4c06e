"""The matrices behind ``affine`` and ``perspective``, computed exactly as Paddle 2.6 does."""

from __future__ import annotations

import math

import numpy as np


def affine_matrix(center, angle: float, translate, scale: float, shear) -> list[float]:
    """The inverse affine map ``[a, b, c, d, e, f]`` (output pixel -> input pixel) that PIL's
    ``Image.AFFINE`` and the tensor backend sample with: ``M = T * C * RSS * C^-1``, inverted."""
    rot = math.radians(angle)
    sx, sy = math.radians(shear[0]), math.radians(shear[1])
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    cx, cy = center
    tx, ty = translate
    m = [x / scale for x in (d, -b, 0.0, -c, a, 0.0)]
    m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty)
    m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty)
    m[2] += cx
    m[5] += cy
    return m


def perspective_coeffs(startpoints, endpoints) -> list[float]:
    """``(a, b, c, d, e, f, g, h)`` with ``(x, y) -> ((ax + by + c) / (gx + hy + 1),
    (dx + ey + f) / (gx + hy + 1))`` mapping ``endpoints`` onto ``startpoints`` (least squares)."""
    rows = np.zeros((2 * len(startpoints), 8))
    for i, (p1, p2) in enumerate(zip(endpoints, startpoints)):
        rows[2 * i, :] = [p1[0], p1[1], 1, 0, 0, 0, -p2[0] * p1[0], -p2[0] * p1[1]]
        rows[2 * i + 1, :] = [0, 0, 0, p1[0], p1[1], 1, -p2[1] * p1[0], -p2[1] * p1[1]]
    rhs = np.array(startpoints).reshape([8])
    return list(np.linalg.lstsq(rows, rhs, rcond=None)[0])


def check_points(points, name: str) -> None:
    if (
        not isinstance(points, (list, tuple))
        or len(points) != 4
        or not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in points)
    ):
        raise ValueError(
            f"perspective: {name} must be four [x, y] corners (top-left, top-right, "
            f"bottom-right, bottom-left), got {points!r}"
        )
