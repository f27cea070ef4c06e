"""``paddle.signal``: ``frame``, ``overlap_add``, ``stft`` and ``istft`` with Paddle 2.6's
arguments, shapes, checks and arithmetic (its own steps: reflect/constant centring, framing,
windowing, an r2c/c2c FFT, and for the inverse overlap-add divided by the window envelope with
the NOLA check). Eager only (NOTE [eager-only functions]).

>>> import paddlefish as paddle
>>> x = paddle.arange(8, dtype="float32")
>>> paddle.signal.frame(x, frame_length=4, hop_length=2).shape
[4, 3]
>>> s = paddle.signal.stft(x, n_fft=4)
>>> s.shape, str(s.dtype)
([3, 9], 'paddle.complex64')
>>> paddle.signal.istft(s, n_fft=4, length=8).numpy().round(4).tolist()
[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ..eager.tensor import wrap
from .math import _eager

__all__ = ["frame", "istft", "overlap_add", "stft"]


def _check_axis_hop(axis, hop_length):
    if axis not in (0, -1):
        raise ValueError(f"Unexpected axis: {axis}. It should be 0 or -1.")
    if not isinstance(hop_length, int) or hop_length <= 0:
        raise ValueError(f"Unexpected hop_length: {hop_length}. It should be an positive integer.")


def _frame(t: torch.Tensor, frame_length: int, hop_length: int, axis: int) -> torch.Tensor:
    if axis == -1:  # [..., seq] -> [..., frame_length, num_frames]
        return t.unfold(-1, frame_length, hop_length).transpose(-1, -2)
    return t.unfold(0, frame_length, hop_length).movedim(-1, 1)  # -> [num_frames, fl, ...]


def _overlap_add(t: torch.Tensor, hop_length: int, axis: int) -> torch.Tensor:
    if axis == 0:  # [num_frames, frame_length, ...] -> [seq, ...]
        t = t.movedim((0, 1), (-1, -2))
    lead = t.shape[:-2]
    fl, n = t.shape[-2], t.shape[-1]
    seq = (n - 1) * hop_length + fl
    flat = t.reshape(-1, fl, n)
    dtype = flat.dtype
    if not (dtype.is_floating_point or dtype.is_complex):
        flat = flat.to(torch.float64)
    if flat.is_complex():
        real = F.fold(flat.real, (1, seq), (1, fl), stride=(1, hop_length))
        imag = F.fold(flat.imag, (1, seq), (1, fl), stride=(1, hop_length))
        out = torch.complex(real, imag)
    else:
        out = F.fold(flat, (1, seq), (1, fl), stride=(1, hop_length))
    out = out.reshape(*lead, seq).to(dtype)
    return out.movedim(-1, 0) if axis == 0 else out


def frame(x, frame_length, hop_length, axis=-1, name=None):
    """Slice ``x`` into overlapping frames of ``frame_length`` every ``hop_length`` along
    ``axis`` (0: ``[seq, ...] -> [num_frames, frame_length, ...]``; -1: ``[..., seq] ->
    [..., frame_length, num_frames]``)."""
    _check_axis_hop(axis, hop_length)
    if not isinstance(frame_length, int) or frame_length <= 0:
        raise ValueError(
            f"Unexpected frame_length: {frame_length}. It should be an positive integer."
        )
    (t,) = _eager("frame", x)
    if frame_length > t.shape[axis]:
        raise ValueError(
            f"Attribute frame_length should be less equal than sequence length, "
            f"but got ({frame_length}) > ({t.shape[axis]})."
        )
    return wrap(_frame(t, frame_length, hop_length, axis).contiguous())


def overlap_add(x, hop_length, axis=-1, name=None):
    """Sum overlapping frames back into a signal: the inverse layout of ``frame``."""
    _check_axis_hop(axis, hop_length)
    (t,) = _eager("overlap_add", x)
    if t.dim() < 2:
        raise ValueError(
            f"overlap_add: x must have at least 2 dimensions, got shape {list(t.shape)}"
        )
    return wrap(_overlap_add(t, hop_length, axis))


def _window(window, win_length: int, n_fft: int, dtype) -> torch.Tensor:
    if window is not None:
        (w,) = _eager("stft", window)
        if w.dim() != 1 or w.shape[0] != win_length:
            raise ValueError(
                f"expected a 1D window tensor of size equal to win_length({win_length}), but "
                f"got window with shape {list(w.shape)}."
            )
    else:
        w = torch.ones(win_length, dtype=dtype)
    if win_length < n_fft:
        left = (n_fft - win_length) // 2
        w = F.pad(w, (left, n_fft - win_length - left))
    return w


def stft(
    x,
    n_fft,
    hop_length=None,
    win_length=None,
    window=None,
    center=True,
    pad_mode="reflect",
    normalized=False,
    onesided=True,
    name=None,
):
    """Short-time Fourier transform of a 1-D ``[seq]`` or 2-D ``[batch, seq]`` signal ->
    ``[(batch,) n_fft // 2 + 1 (onesided) or n_fft, num_frames]`` complex."""
    (t,) = _eager("stft", x)
    rank = t.dim()
    if rank not in (1, 2):
        raise ValueError(f"x should be a 1D or 2D real tensor, but got rank of x is {rank}")
    if rank == 1:
        t = t.unsqueeze(0)
    hop_length = int(n_fft // 4) if hop_length is None else hop_length
    if hop_length <= 0:
        raise ValueError(f"hop_length should be > 0, but got {hop_length}.")
    win_length = n_fft if win_length is None else win_length
    if not 0 < n_fft <= t.shape[-1]:
        raise ValueError(f"n_fft should be in (0, seq_length({t.shape[-1]})], but got {n_fft}.")
    if not 0 < win_length <= n_fft:
        raise ValueError(f"win_length should be in (0, n_fft({n_fft})], but got {win_length}.")
    w = _window(window, win_length, n_fft, t.dtype)
    if center:
        if pad_mode not in ("constant", "reflect"):
            raise ValueError(f'pad_mode should be "reflect" or "constant", but got "{pad_mode}".')
        p = n_fft // 2
        if t.is_complex():
            t = torch.complex(
                F.pad(t.real.unsqueeze(1), (p, p), mode=pad_mode),
                F.pad(t.imag.unsqueeze(1), (p, p), mode=pad_mode),
            ).squeeze(1)
        else:
            t = F.pad(t.unsqueeze(1), (p, p), mode=pad_mode).squeeze(1)
    frames = _frame(t, n_fft, hop_length, -1).transpose(1, 2) * w  # [batch, num_frames, n_fft]
    norm = "ortho" if normalized else "backward"
    if frames.is_complex() and onesided:
        raise ValueError("onesided should be False when input or window is a complex Tensor.")
    if not t.is_complex() and onesided:
        out = torch.fft.rfft(frames, dim=-1, norm=norm)
    else:
        out = torch.fft.fft(frames, dim=-1, norm=norm)
    out = out.transpose(1, 2)
    return wrap(out.squeeze(0) if rank == 1 else out)


def istft(
    x,
    n_fft,
    hop_length=None,
    win_length=None,
    window=None,
    center=True,
    normalized=False,
    onesided=True,
    length=None,
    return_complex=False,
    name=None,
):
    """Inverse of ``stft``: ``[(batch,) fft_size, num_frames]`` complex -> ``[(batch,) seq]``
    (real unless ``return_complex``); refuses windows that break the NOLA condition."""
    (t,) = _eager("istft", x)
    if not t.is_complex():
        raise TypeError(
            f"The data type of 'x' in istft must be complex64 or complex128, but received "
            f"{str(t.dtype).replace('torch.', '')}."
        )
    rank = t.dim()
    if rank not in (2, 3):
        raise ValueError(f"x should be a 2D or 3D complex tensor, but got rank of x is {rank}")
    if rank == 2:
        t = t.unsqueeze(0)
    hop_length = int(n_fft // 4) if hop_length is None else hop_length
    win_length = n_fft if win_length is None else win_length
    if not 0 < hop_length <= win_length:
        raise ValueError(
            f"hop_length should be in (0, win_length({win_length})], but got {hop_length}."
        )
    if not 0 < win_length <= n_fft:
        raise ValueError(f"win_length should be in (0, n_fft({n_fft})], but got {win_length}.")
    n_frames, fft_size = t.shape[-1], t.shape[-2]
    want = n_fft // 2 + 1 if onesided else n_fft
    if fft_size != want:
        raise ValueError(
            f"fft_size should be equal to {'n_fft // 2 + 1' if onesided else 'n_fft'}({want}) "
            f"when onesided is {onesided}, but got {fft_size}."
        )
    wdtype = torch.float32 if t.dtype == torch.complex64 else torch.float64
    w = _window(window, win_length, n_fft, wdtype)
    t = t.transpose(1, 2)  # [batch, num_frames, fft_size]
    norm = "ortho" if normalized else "backward"
    if return_complex:
        if onesided:
            raise ValueError(
                "onesided should be False when input(output of istft) or window is a complex "
                "Tensor."
            )
        out = torch.fft.ifft(t, dim=-1, norm=norm)
    else:
        if w.is_complex():
            raise ValueError(
                "Data type of window should not be complex when return_complex is False."
            )
        if not onesided:
            t = t[:, :, : n_fft // 2 + 1]
        out = torch.fft.irfft(t, dim=-1, norm=norm)
    out = _overlap_add((out * w).transpose(1, 2), hop_length, -1)  # [batch, seq]
    env = _overlap_add((w * w).unsqueeze(0).repeat(n_frames, 1).transpose(0, 1), hop_length, -1)
    start = n_fft // 2 if center else 0
    if length is None:
        if center:
            out = out[:, start:-start]
            env = env[start:-start]
    else:
        out = out[:, start : start + length]
        env = env[start : start + length]
    if env.abs().min().item() < 1e-11:
        raise ValueError(
            "Abort istft because Nonzero Overlap Add (NOLA) condition failed. For more "
            "information about NOLA constraint please see `scipy.signal.check_NOLA`"
            "(https://docs.scipy.org/doc/scipy/reference/generated/scipy.signal.check_NOLA.html)."
        )
    out = out / env
    return wrap(out.squeeze(0) if rank == 2 else out)
