"""Image ops on paddle Tensors (``CHW``, or ``NCHW`` where Paddle allows it), as Paddle's
``functional_tensor`` does them: resize and pad through ``paddle.nn.functional`` (Paddle's
``*_interp_v2``/``pad3d`` ops), the colour ops and rotation with the same formulas in torch."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as TF

from ...eager import Tensor, to_torch, wrap
from ...nn import functional as NF
from ._args import center_offsets, crop_size, pad_amounts, resized_hw

__all__: list[str] = []

_GRAY_WEIGHTS = (0.2989, 0.5870, 0.1140)


def check_image(img, data_format: str = "CHW") -> None:
    if (
        not isinstance(img, Tensor)
        or img.ndim not in (3, 4)
        or (data_format.lower() not in ("chw", "hwc"))
    ):
        raise RuntimeError(
            f"not support [type={type(img)}, ndim={getattr(img, 'ndim', None)}, "
            f"data_format={data_format}] paddle image; expected a 3-D (CHW) or 4-D (NCHW) Tensor."
        )


def _axes(data_format: str) -> tuple[int, int, int]:
    """(channel, height, width) axes, counted from the end."""
    return (-3, -2, -1) if data_format.lower() == "chw" else (-1, -3, -2)


def size_wh(img: Tensor, data_format: str = "CHW") -> tuple[int, int]:
    _, h_ax, w_ax = _axes(data_format)
    return img.shape[w_ax], img.shape[h_ax]


def normalize(img: Tensor, mean, std, data_format: str) -> Tensor:
    check_image(img, data_format)
    t = to_torch(img)
    dt = t.dtype if t.is_floating_point() else torch.float32
    m = torch.as_tensor(mean, dtype=dt, device=t.device)
    s = torch.as_tensor(std, dtype=dt, device=t.device)
    if data_format.lower() == "chw":
        m, s = m.reshape(-1, 1, 1), s.reshape(-1, 1, 1)
    return wrap((t - m) / s)


def _gray(t: torch.Tensor, c_axis: int = -3) -> torch.Tensor:
    w = torch.tensor(_GRAY_WEIGHTS, dtype=torch.float32, device=t.device).to(t.dtype)
    if c_axis == -3:
        w = w.reshape(-1, 1, 1)
    return (t * w).sum(dim=c_axis, keepdim=True)


def to_grayscale(img: Tensor, num_output_channels: int, data_format: str = "CHW") -> Tensor:
    check_image(img, data_format)
    c_axis = _axes(data_format)[0]
    g = _gray(to_torch(img), c_axis)
    shape = list(g.shape)
    shape[c_axis] = num_output_channels
    return wrap(g.expand(shape))


def resize(img: Tensor, size, interpolation: str, data_format: str = "CHW") -> Tensor:
    check_image(img, data_format)
    w, h = size_wh(img, data_format)
    hw = resized_hw(h, w, size)
    if hw is None:
        return img
    out = NF.interpolate(
        img.unsqueeze(0), size=hw, mode=interpolation.lower(), data_format="N" + data_format.upper()
    )
    return out.squeeze(0)


def pad(img: Tensor, padding, fill, padding_mode: str, data_format: str = "CHW") -> Tensor:
    check_image(img, data_format)
    left, top, right, bottom = pad_amounts(padding)
    if padding_mode == "symmetric":
        raise ValueError(
            "pad: Paddle does not support padding_mode='symmetric' on Tensors; use 'reflect' or "
            "'edge', or pad the PIL/numpy image before to_tensor."
        )
    mode = "replicate" if padding_mode == "edge" else padding_mode
    out = NF.pad(
        img.unsqueeze(0),
        pad=[left, right, top, bottom],
        mode=mode,
        value=float(fill),
        data_format="N" + data_format.upper(),
    )
    return out.squeeze(0)


def crop(img: Tensor, top: int, left: int, height: int, width: int, data_format="CHW") -> Tensor:
    check_image(img, data_format)
    t = to_torch(img)
    if data_format.lower() == "chw":
        return wrap(t[..., top : top + height, left : left + width])
    return wrap(t[..., top : top + height, left : left + width, :])


def center_crop(img: Tensor, output_size, data_format: str = "CHW") -> Tensor:
    check_image(img, data_format)
    th, tw = crop_size(output_size)
    w, h = size_wh(img, data_format)
    i, j = center_offsets(h, w, th, tw)
    return crop(img, i, j, th, tw, data_format)


def hflip(img: Tensor, data_format: str = "CHW") -> Tensor:
    check_image(img, data_format)
    return wrap(to_torch(img).flip(_axes(data_format)[2]))


def vflip(img: Tensor, data_format: str = "CHW") -> Tensor:
    check_image(img, data_format)
    return wrap(to_torch(img).flip(_axes(data_format)[1]))


def _channels(img: Tensor, what: str) -> int:
    check_image(img)
    c = img.shape[-3]
    if c not in (1, 3):
        raise ValueError(f"{what}: channels of input should be either 1 or 3, got {c}.")
    return c


def _blend(img1: torch.Tensor, img2: torch.Tensor, ratio: float) -> torch.Tensor:
    """Paddle's ``lerp(img2, img1, ratio).clip(0, max).astype(img1.dtype)``."""
    floating = img1.is_floating_point()
    a = img1 if floating else img1.to(torch.float32)
    b = img2.to(a.dtype)
    out = torch.lerp(b, a, float(ratio)).clip(0, 1.0 if floating else 255.0)
    return out.to(img1.dtype)


def adjust_brightness(img: Tensor, factor: float) -> Tensor:
    _channels(img, "adjust_brightness")
    if factor < 0:
        raise ValueError(f"brightness_factor should be non-negative, got {factor}.")
    t = to_torch(img)
    return wrap(_blend(t, torch.zeros_like(t), factor))


def adjust_contrast(img: Tensor, factor: float) -> Tensor:
    c = _channels(img, "adjust_contrast")
    if factor < 0:
        raise ValueError(f"contrast_factor should be non-negative, got {factor}.")
    t = to_torch(img)
    dt = t.dtype if t.is_floating_point() else torch.float32
    src = t if c == 1 else _gray(t)
    target = src.to(dt).mean(dim=(-3, -2, -1), keepdim=True)
    return wrap(_blend(t, target, factor))


def adjust_saturation(img: Tensor, factor: float) -> Tensor:
    c = _channels(img, "adjust_saturation")
    if factor < 0:
        raise ValueError(f"saturation_factor should be non-negative, got {factor}.")
    if c == 1:
        return img
    t = to_torch(img)
    return wrap(_blend(t, _gray(t), factor))


def _rgb_to_hsv(img: torch.Tensor) -> torch.Tensor:
    maxc = img.amax(dim=-3)
    minc = img.amin(dim=-3)
    eq = maxc == minc
    one = torch.ones_like(maxc)
    delta = maxc - minc
    s = delta / torch.where(eq, one, maxc)
    r, g, b = img.unbind(dim=-3)
    div = torch.where(eq, one, delta)
    rc, gc, bc = (maxc - r) / div, (maxc - g) / div, (maxc - b) / div
    hr = (maxc == r).to(maxc.dtype) * (bc - gc)
    hg = ((maxc == g) & (maxc != r)).to(maxc.dtype) * (rc - bc + 2.0)
    hb = ((maxc != r) & (maxc != g)).to(maxc.dtype) * (gc - rc + 4.0)
    h = (hr + hg + hb) / 6.0 + 1.0
    h = h - h.trunc()
    return torch.stack([h, s, maxc], dim=-3)


def _hsv_to_rgb(img: torch.Tensor) -> torch.Tensor:
    h, s, v = img.unbind(dim=-3)
    f = h * 6.0
    i = torch.floor(f)
    f = f - i
    i = i.to(torch.int32) % 6
    p = torch.clip(v * (1.0 - s), 0.0, 1.0)
    q = torch.clip(v * (1.0 - s * f), 0.0, 1.0)
    t = torch.clip(v * (1.0 - s * (1.0 - f)), 0.0, 1.0)
    mask = (i.unsqueeze(-3) == torch.arange(6, dtype=i.dtype).reshape(-1, 1, 1)).to(img.dtype)
    matrix = torch.stack(
        [
            torch.stack([v, q, p, p, t, v], dim=-3),
            torch.stack([t, v, v, q, p, p], dim=-3),
            torch.stack([p, p, t, v, v, q], dim=-3),
        ],
        dim=-4,
    )
    return torch.einsum("...ijk,...xijk->...xjk", mask, matrix)


def adjust_hue(img: Tensor, hue_factor: float) -> Tensor:
    c = _channels(img, "adjust_hue")
    if c == 1:
        return img
    t = to_torch(img)
    dtype = t.dtype
    if dtype == torch.uint8:
        t = t.to(torch.float32) / 255.0
    h, s, v = _rgb_to_hsv(t).unbind(dim=-3)
    h = h + hue_factor
    h = h - h.floor()
    out = _hsv_to_rgb(torch.stack([h, s, v], dim=-3))
    if dtype == torch.uint8:
        out = (out * 255.0).to(dtype)
    return wrap(out)


def _affine_grid(theta: torch.Tensor, w: int, h: int, ow: int, oh: int) -> torch.Tensor:
    d = 0.5
    base = torch.ones((1, oh, ow, 3), dtype=theta.dtype)
    base[..., 0] = torch.linspace(-ow * 0.5 + d, ow * 0.5 + d - 1, ow)
    base[..., 1] = torch.linspace(-oh * 0.5 + d, oh * 0.5 + d - 1, oh).unsqueeze(-1)
    scaled = theta.transpose(1, 2) / torch.tensor([0.5 * w, 0.5 * h])
    return base.reshape(1, oh * ow, 3).bmm(scaled).reshape(1, oh, ow, 2)


def _grid_transform(img: torch.Tensor, grid: torch.Tensor, mode: str, fill) -> torch.Tensor:
    if img.shape[0] > 1:
        grid = grid.expand(img.shape[0], *grid.shape[1:])
    if fill is not None:
        dummy = torch.ones((img.shape[0], 1, img.shape[2], img.shape[3]), dtype=img.dtype)
        img = torch.cat((img, dummy), dim=1)
    img = TF.grid_sample(img, grid, mode=mode, padding_mode="zeros", align_corners=False)
    if fill is None:
        return img
    mask = img[:, -1:, :, :].expand(-1, img.shape[1] - 1, -1, -1)
    img = img[:, :-1, :, :]
    n_fill = len(fill) if isinstance(fill, (tuple, list)) else 1
    fill_img = torch.tensor(fill).reshape(1, n_fill, 1, 1).to(img.dtype).expand_as(img)
    if mode == "nearest":
        mask = (mask < 0.5).to(img.dtype)
        return img * (1.0 - mask) + mask * fill_img
    return img * mask + (1.0 - mask) * fill_img


def rotate(img: Tensor, angle, interpolation: str, expand: bool, center, fill, data_format="CHW"):
    check_image(img, data_format)
    t = to_torch(img).unsqueeze(0)
    w, h = t.shape[-1], t.shape[-2]
    if data_format.lower() != "chw":
        w, h = t.shape[-2], t.shape[-3]
        t = t.permute(0, 3, 1, 2)
    dtype = t.dtype
    if not t.is_floating_point():
        t = t.to(torch.float32)
    angle = math.radians(-angle % 360)
    rc = [0.0, 0.0] if center is None else [(p - s * 0.5) for p, s in zip(center, [w, h])]
    m = torch.tensor(
        [math.cos(angle), math.sin(angle), 0.0, -math.sin(angle), math.cos(angle), 0.0],
        dtype=torch.float32,
    )
    m[2] += m[0] * (-rc[0]) + m[1] * (-rc[1]) + rc[0]
    m[5] += m[3] * (-rc[0]) + m[4] * (-rc[1]) + rc[1]
    m = m.reshape(1, 2, 3)
    ow, oh = w, h
    if expand:
        corners = torch.tensor(
            [
                [-0.5 * w, -0.5 * h, 1.0],
                [-0.5 * w, 0.5 * h, 1.0],
                [0.5 * w, 0.5 * h, 1.0],
                [0.5 * w, -0.5 * h, 1.0],
            ],
            dtype=m.dtype,
        )
        pos = corners.reshape(1, -1, 3).bmm(m.transpose(1, 2)).reshape(1, -1, 2)
        npos = pos.amax(dim=-2).ceil() - pos.amin(dim=-2).floor()
        ow, oh = int(npos[0][0]), int(npos[0][1])
    grid = _affine_grid(m, w, h, ow, oh).to(t.dtype)
    out = _grid_transform(t, grid, interpolation, fill)
    if data_format.lower() != "chw":
        out = out.permute(0, 2, 3, 1)
    return wrap(out.squeeze(0).to(dtype))


def erase(img: Tensor, i: int, j: int, h: int, w: int, v, inplace: bool) -> Tensor:
    check_image(img)
    t = to_torch(img) if inplace else to_torch(img).clone()
    t[..., i : i + h, j : j + w] = (
        to_torch(v).to(t.dtype) if isinstance(v, Tensor) else (torch.as_tensor(v, dtype=t.dtype))
    )
    return img if inplace else wrap(t)


def _batched(img: Tensor, data_format: str):
    """``img`` as a float ``NCHW`` torch tensor, with what ``_unbatched`` needs to undo it."""
    t = to_torch(img)
    ndim = t.dim()
    if ndim == 3:
        t = t.unsqueeze(0)
    if data_format.lower() != "chw":
        t = t.permute(0, 3, 1, 2)
    dtype = t.dtype
    if not t.is_floating_point():  # Paddle's grid_sample refuses integer images; we sample in fp32
        t = t.to(torch.float32)
    return t, (ndim, dtype, data_format)


def _unbatched(out: torch.Tensor, how) -> Tensor:
    ndim, dtype, data_format = how
    if data_format.lower() != "chw":
        out = out.permute(0, 2, 3, 1)
    if ndim == 3:
        out = out.squeeze(0)
    if not dtype.is_floating_point:
        out = out.round().clamp(torch.iinfo(dtype).min, torch.iinfo(dtype).max)
    return wrap(out.to(dtype))


def affine(img: Tensor, matrix, interpolation: str, fill, data_format="CHW") -> Tensor:
    t, how = _batched(img, data_format)
    theta = torch.tensor(matrix, dtype=torch.float32).reshape(1, 2, 3)
    h, w = t.shape[-2], t.shape[-1]
    grid = _affine_grid(theta, w, h, w, h).to(t.dtype)
    if isinstance(fill, int):
        fill = (fill,) * 3
    return _unbatched(_grid_transform(t, grid, interpolation, fill), how)


def _perspective_grid(coeffs: torch.Tensor, ow: int, oh: int, dtype) -> torch.Tensor:
    theta1 = coeffs[:6].reshape(1, 2, 3)
    tmp = coeffs[6:].reshape(1, 2).repeat(2, 1)
    theta2 = torch.cat((tmp, torch.ones((2, 1), dtype=dtype)), dim=1).unsqueeze(0)
    d = 0.5
    base = torch.ones((1, oh, ow, 3), dtype=dtype)
    base[..., 0] = torch.linspace(d, ow * 1.0 + d - 1.0, ow)
    base[..., 1] = torch.linspace(d, oh * 1.0 + d - 1.0, oh).unsqueeze(-1)
    scaled = theta1.transpose(1, 2) / torch.tensor([0.5 * ow, 0.5 * oh], dtype=dtype)
    g1 = base.reshape(1, oh * ow, 3).bmm(scaled)
    g2 = base.reshape(1, oh * ow, 3).bmm(theta2.transpose(1, 2))
    return (g1 / g2 - 1.0).reshape(1, oh, ow, 2)


def perspective(img: Tensor, coeffs, interpolation: str, fill, data_format="CHW") -> Tensor:
    t, how = _batched(img, data_format)
    oh, ow = t.shape[-2], t.shape[-1]
    c = torch.tensor([float(v) for v in coeffs], dtype=t.dtype)
    grid = _perspective_grid(c, ow, oh, t.dtype)
    return _unbatched(_grid_transform(t, grid, interpolation, fill), how)
