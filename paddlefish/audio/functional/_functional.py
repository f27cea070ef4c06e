"""Mel scale, filter banks, dB conversion and the DCT matrix, with Paddle 2.6's arithmetic."""

from __future__ import annotations

import math

import torch

from ...eager._dtype import to_torch_dtype
from ...eager.tensor import Tensor, wrap
from ...tensor.math import _eager

__all__ = [
    "compute_fbank_matrix",
    "create_dct",
    "fft_frequencies",
    "hz_to_mel",
    "mel_frequencies",
    "mel_to_hz",
    "power_to_db",
]

_F_SP = 200.0 / 3  # Slaney's linear region: 3 mels per 200 Hz
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP
_LOGSTEP = math.log(6.4) / 27.0


def hz_to_mel(freq, htk=False):
    """Hz -> mels (Slaney's scale, or HTK's ``2595 log10(1 + f / 700)``); a float or a Tensor."""
    if isinstance(freq, Tensor):
        (f,) = _eager("hz_to_mel", freq)
        if htk:
            return wrap(2595.0 * torch.log10(1.0 + f / 700.0))
        lin = f / _F_SP
        log = _MIN_LOG_MEL + torch.log(f / _MIN_LOG_HZ + 1e-10) / _LOGSTEP
        mask = (f > _MIN_LOG_HZ).to(f.dtype)
        return wrap(log * mask + lin * (1 - mask))
    if htk:
        return 2595.0 * math.log10(1.0 + freq / 700.0)
    if freq >= _MIN_LOG_HZ:
        return _MIN_LOG_MEL + math.log(freq / _MIN_LOG_HZ + 1e-10) / _LOGSTEP
    return freq / _F_SP


def mel_to_hz(mel, htk=False):
    """Mels -> Hz, the inverse of ``hz_to_mel``; a float or a Tensor."""
    if isinstance(mel, Tensor):
        (m,) = _eager("mel_to_hz", mel)
        if htk:
            return wrap(700.0 * (10.0 ** (m / 2595.0) - 1.0))
        lin = _F_SP * m
        log = _MIN_LOG_HZ * torch.exp(_LOGSTEP * (m - _MIN_LOG_MEL))
        mask = (m > _MIN_LOG_MEL).to(m.dtype)
        return wrap(log * mask + lin * (1 - mask))
    if htk:
        return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)
    if mel >= _MIN_LOG_MEL:
        return _MIN_LOG_HZ * math.exp(_LOGSTEP * (mel - _MIN_LOG_MEL))
    return _F_SP * mel


def mel_frequencies(n_mels=64, f_min=0.0, f_max=11025.0, htk=False, dtype="float32"):
    """``n_mels`` frequencies evenly spaced on the mel scale from ``f_min`` to ``f_max``."""
    lo, hi = hz_to_mel(f_min, htk=htk), hz_to_mel(f_max, htk=htk)
    mels = torch.linspace(lo, hi, n_mels, dtype=to_torch_dtype(dtype))
    return mel_to_hz(wrap(mels), htk=htk)


def fft_frequencies(sr, n_fft, dtype="float32"):
    """The ``1 + n_fft // 2`` bin centre frequencies of an ``n_fft`` FFT at rate ``sr``."""
    return wrap(torch.linspace(0, float(sr) / 2, int(1 + n_fft // 2), dtype=to_torch_dtype(dtype)))


def compute_fbank_matrix(
    sr, n_fft, n_mels=64, f_min=0.0, f_max=None, htk=False, norm="slaney", dtype="float32"
):
    """``[n_mels, 1 + n_fft // 2]`` triangular mel filters (``norm``: 'slaney' area
    normalisation, a number p: L-p normalised rows, else none)."""
    if f_max is None:
        f_max = float(sr) / 2
    fft_f = fft_frequencies(sr, n_fft, dtype)._t
    mel_f = mel_frequencies(n_mels + 2, f_min=f_min, f_max=f_max, htk=htk, dtype=dtype)._t
    fdiff = mel_f[1:] - mel_f[:-1]
    ramps = mel_f[:, None] - fft_f[None, :]
    lower = -ramps[:n_mels] / fdiff[:n_mels, None]
    upper = ramps[2 : n_mels + 2] / fdiff[1 : n_mels + 1, None]
    weights = torch.clamp(torch.minimum(lower, upper), min=0.0)
    if norm == "slaney":
        weights = weights * (2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels]))[:, None]
    elif isinstance(norm, (int, float)):
        weights = torch.nn.functional.normalize(weights, p=norm, dim=-1, eps=1e-12)
    return wrap(weights)


def power_to_db(spect, ref_value=1.0, amin=1e-10, top_db=80.0):
    """``10 log10(max(spect, amin) / ref_value)``, floored at ``max - top_db``."""
    if amin <= 0:
        raise Exception("amin must be strictly positive")  # noqa: TRY002 - Paddle's type
    if ref_value <= 0:
        raise Exception("ref_value must be strictly positive")  # noqa: TRY002
    (s,) = _eager("power_to_db", spect)
    log = 10.0 * torch.log10(torch.clamp(s, min=amin))
    log = log - 10.0 * math.log10(max(ref_value, amin))
    if top_db is not None:
        if top_db < 0:
            raise Exception("top_db must be non-negative")  # noqa: TRY002
        log = torch.maximum(log, log.max() - top_db)
    return wrap(log)


def create_dct(n_mfcc, n_mels, norm="ortho", dtype="float32"):
    """The ``[n_mels, n_mfcc]`` DCT-II matrix (orthonormal with ``norm='ortho'``)."""
    t = to_torch_dtype(dtype)
    n = torch.arange(n_mels, dtype=t)
    k = torch.arange(n_mfcc, dtype=t)[:, None]
    dct = torch.cos(math.pi / float(n_mels) * (n + 0.5) * k)
    if norm is None:
        dct = dct * 2.0
    else:
        if norm != "ortho":
            raise ValueError(f"create_dct: norm must be 'ortho' or None, got {norm!r}")
        dct[0] = dct[0] * (1.0 / math.sqrt(2.0))
        dct = dct * math.sqrt(2.0 / float(n_mels))
    return wrap(dct.t().contiguous())
