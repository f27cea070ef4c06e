"""``paddle.fft``: discrete Fourier transforms with Paddle's signatures (``axis``/``axes``,
``norm`` in 'backward'/'ortho'/'forward'), computed by ``torch.fft`` (eager only; NOTE
[eager-only functions]). Real inputs give complex64/complex128 outputs as in Paddle.

>>> import paddlefish as paddle
>>> paddle.fft.rfft(paddle.to_tensor([1.0, 2.0, 3.0, 4.0])).numpy().tolist()
[(10+0j), (-2+2j), (-2+0j)]
"""

from __future__ import annotations

import torch

from ..eager._dtype import to_torch_dtype
from ..eager.tensor import wrap
from .math import _eager

__all__ = [
    "fft", "fft2", "fftfreq", "fftn", "fftshift", "hfft", "hfft2", "hfftn", "ifft", "ifft2",
    "ifftn", "ifftshift", "ihfft", "ihfft2", "ihfftn", "irfft", "irfft2", "irfftn", "rfft",
    "rfft2", "rfftfreq", "rfftn",
]  # fmt: skip

_NORMS = ("backward", "ortho", "forward")


def _check(norm: str, api: str) -> None:
    if norm not in _NORMS:
        raise ValueError(
            f"Unexpected norm: {norm}. Norm should be forward, backward or ortho (paddle.fft.{api})"
        )


def _one_d(api):
    fn = getattr(torch.fft, api)

    def f(x, n=None, axis=-1, norm="backward", name=None):
        _check(norm, api)
        (t,) = _eager("fft." + api, x)
        if n is not None and n <= 0:
            raise ValueError(f"Invalid FFT argument n({n}), it should be positive.")
        return wrap(fn(t, n=n, dim=axis, norm=norm))

    f.__name__ = f.__qualname__ = api
    f.__doc__ = f"``torch.fft.{api}`` with Paddle's arguments (``n``, ``axis``, ``norm``)."
    return f


def _n_d(api, default_axes):
    fn = getattr(torch.fft, api)

    def f(x, s=None, axes=default_axes, norm="backward", name=None):
        _check(norm, api)
        (t,) = _eager("fft." + api, x)
        dims = None if axes is None else list(axes)
        return wrap(fn(t, s=None if s is None else list(s), dim=dims, norm=norm))

    f.__name__ = f.__qualname__ = api
    f.__doc__ = f"``torch.fft.{api}`` with Paddle's arguments (``s``, ``axes``, ``norm``)."
    return f


fft, ifft, rfft, irfft, hfft, ihfft = (
    _one_d(n) for n in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft")
)
fft2, ifft2, rfft2, irfft2, hfft2, ihfft2 = (
    _n_d(n, (-2, -1)) for n in ("fft2", "ifft2", "rfft2", "irfft2", "hfft2", "ihfft2")
)
fftn, ifftn, rfftn, irfftn, hfftn, ihfftn = (
    _n_d(n, None) for n in ("fftn", "ifftn", "rfftn", "irfftn", "hfftn", "ihfftn")
)


def fftfreq(n, d=1.0, dtype=None, name=None):
    """Sample frequencies of an ``n``-point FFT with spacing ``d``."""
    return wrap(torch.fft.fftfreq(n, d, dtype=to_torch_dtype(dtype or "float32")))


def rfftfreq(n, d=1.0, dtype=None, name=None):
    """Sample frequencies of an ``n``-point ``rfft``."""
    return wrap(torch.fft.rfftfreq(n, d, dtype=to_torch_dtype(dtype or "float32")))


def fftshift(x, axes=None, name=None):
    """Move the zero-frequency term to the centre."""
    (t,) = _eager("fft.fftshift", x)
    return wrap(torch.fft.fftshift(t, dim=None if axes is None else axes))


def ifftshift(x, axes=None, name=None):
    """Inverse of ``fftshift``."""
    (t,) = _eager("fft.ifftshift", x)
    return wrap(torch.fft.ifftshift(t, dim=None if axes is None else axes))
