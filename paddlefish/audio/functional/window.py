"""``get_window``: Paddle 2.6's window functions (scipy.signal's definitions), periodic when
``fftbins`` (the default) and symmetric otherwise.

>>> from paddlefish.audio.functional import get_window
>>> [round(v, 4) for v in get_window("hann", 4).tolist()]
[0.0, 0.5, 1.0, 0.5]
"""

from __future__ import annotations

import math

import torch

from ...eager._dtype import to_torch_dtype
from ...eager.tensor import wrap

__all__ = ["get_window"]


def _guard(m) -> bool:
    if int(m) != m or m < 0:
        raise ValueError("Window length M must be a non-negative integer")
    return m <= 1


def _extend(m: int, sym: bool):
    return (m, False) if sym else (m + 1, True)


def _windowed(fn):
    """Length guard, periodic extension and truncation around a symmetric window ``fn(M, t)``."""

    def make(m, *args, sym=True, dtype=torch.float64):
        if _guard(m):
            return torch.ones(m, dtype=dtype)
        n, trunc = _extend(m, sym)
        w = fn(n, dtype, *args)
        return w[:-1] if trunc else w

    return make


def _general_cosine_fn(m, dtype, a):
    fac = torch.linspace(-math.pi, math.pi, m, dtype=dtype)
    w = torch.zeros(m, dtype=dtype)
    for k, ak in enumerate(a):
        w = w + ak * torch.cos(k * fac)
    return w


_general_cosine = _windowed(_general_cosine_fn)


def _hamming(m, sym=True, dtype=torch.float64):
    return _general_cosine(m, [0.54, 0.46], sym=sym, dtype=dtype)


def _hann(m, sym=True, dtype=torch.float64):
    return _general_cosine(m, [0.5, 0.5], sym=sym, dtype=dtype)


def _blackman(m, sym=True, dtype=torch.float64):
    return _general_cosine(m, [0.42, 0.50, 0.08], sym=sym, dtype=dtype)


@_windowed
def _gaussian(m, dtype, std):
    n = torch.arange(0, m, dtype=dtype) - (m - 1.0) / 2.0
    return torch.exp(-(n**2) / (2 * std * std))


@_windowed
def _general_gaussian(m, dtype, p, sig):
    n = torch.arange(0, m, dtype=dtype) - (m - 1.0) / 2.0
    return torch.exp(-0.5 * torch.abs(n / sig) ** (2 * p))


def _exponential(m, center=None, tau=1.0, sym=True, dtype=torch.float64):
    if sym and center is not None:
        raise ValueError("If sym==True, center must be None.")

    def fn(n_, dt):
        c = (n_ - 1) / 2 if center is None else center
        return torch.exp(-torch.abs(torch.arange(0, n_, dtype=dt) - c) / tau)

    return _windowed(fn)(m, sym=sym, dtype=dtype)


@_windowed
def _triang(m, dtype):
    n = torch.arange(1, (m + 1) // 2 + 1, dtype=dtype)
    if m % 2 == 0:
        w = (2 * n - 1.0) / m
        return torch.cat([w, w.flip(0)])
    w = 2 * n / (m + 1.0)
    return torch.cat([w, w[:-1].flip(0)])


@_windowed
def _bohman(m, dtype):
    fac = torch.abs(torch.linspace(-1, 1, m, dtype=dtype)[1:-1])
    w = (1 - fac) * torch.cos(math.pi * fac) + 1.0 / math.pi * torch.sin(math.pi * fac)
    zero = torch.zeros(1, dtype=dtype)
    return torch.cat([zero, w, zero])


@_windowed
def _cosine(m, dtype):
    return torch.sin(math.pi / m * (torch.arange(0, m, dtype=dtype) + 0.5))


def _tukey(m, alpha=0.5, sym=True, dtype=torch.float64):
    if _guard(m) or alpha <= 0:
        return torch.ones(m, dtype=dtype)
    if alpha >= 1.0:
        return _hann(m, sym=sym)  # Paddle passes no dtype here: float64

    def fn(n_, dt):
        n = torch.arange(0, n_, dtype=dt)
        width = int(alpha * (n_ - 1) / 2.0)
        n1, n2, n3 = n[: width + 1], n[width + 1 : n_ - width - 1], n[n_ - width - 1 :]
        w1 = 0.5 * (1 + torch.cos(math.pi * (-1 + 2.0 * n1 / alpha / (n_ - 1))))
        w3 = 0.5 * (1 + torch.cos(math.pi * (-2.0 / alpha + 1 + 2.0 * n3 / alpha / (n_ - 1))))
        return torch.cat([w1, torch.ones(n2.shape, dtype=dt), w3])

    return _windowed(fn)(m, sym=sym, dtype=dtype)


def _taylor(m, nbar=4, sll=30, norm=True, sym=True, dtype=torch.float64):
    def fn(n_, dt):
        b = 10 ** (sll / 20)
        a = math.log(b + math.sqrt(b**2 - 1)) / math.pi
        s2 = nbar**2 / (a**2 + (nbar - 0.5) ** 2)
        ma = torch.arange(1, nbar, dtype=dt)
        signs = torch.ones_like(ma)
        signs[1::2] = -1
        m2 = ma * ma
        fm = torch.empty(nbar - 1, dtype=dt)
        for mi in range(len(ma)):
            numer = signs[mi] * torch.prod(1 - m2[mi] / s2 / (a**2 + (ma - 0.5) ** 2))
            denom = 2 * torch.prod(1 - m2[mi] / m2[:mi]) * torch.prod(1 - m2[mi] / m2[mi + 1 :])
            fm[mi] = numer / denom

        def w_of(n):
            return 1 + 2 * (
                fm[None, :] @ torch.cos(2 * math.pi * ma[:, None] * (n - n_ / 2.0 + 0.5) / n_)
            )

        w = w_of(torch.arange(0, n_, dtype=dt))
        if norm:
            w = w * (1.0 / w_of(torch.tensor((n_ - 1) / 2, dtype=dt)))
        return w.squeeze()

    return _windowed(fn)(m, sym=sym, dtype=dtype)


_WINDOWS = {
    "hamming": _hamming,
    "hann": _hann,
    "blackman": _blackman,
    "gaussian": _gaussian,
    "general_gaussian": _general_gaussian,
    "exponential": _exponential,
    "triang": _triang,
    "bohman": _bohman,
    "cosine": _cosine,
    "tukey": _tukey,
    "taylor": _taylor,
}


def get_window(window, win_length, fftbins=True, dtype="float64"):
    """The window ``window`` (a name, or ``(name, *params)`` for gaussian/exponential/...) of
    ``win_length`` samples."""
    args = ()
    if isinstance(window, tuple):
        name, args = window[0], window[1:]
    elif isinstance(window, str):
        if window in ("gaussian", "exponential"):
            raise ValueError(f"The '{window}' window needs one or more parameters -- pass a tuple.")
        name = window
    else:
        raise ValueError(f"{type(window)} as window type is not supported.")  # noqa: TRY004
    fn = _WINDOWS.get(name)
    if fn is None:
        raise ValueError("Unknown window type.")
    return wrap(fn(win_length, *args, sym=not fftbins, dtype=to_torch_dtype(dtype)))
