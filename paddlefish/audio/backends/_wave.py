"""The ``wave_backend``: PCM16 WAV through the standard library's ``wave``, as Paddle 2.6's
default backend (its quirks kept: ``frame_offset`` applies only with ``num_frames`` given;
float32 input is scaled by 2**15 and cast to int16 without clipping). ``save`` writes atomically.
"""

from __future__ import annotations

import io
import os
import wave

import numpy as np
import torch

from ..._core.fs import atomic_write
from ...eager.tensor import wrap
from ...tensor.math import _eager

__all__ = ["AudioInfo", "info", "load", "save"]


class AudioInfo:
    """What ``info`` reports about an audio file."""

    def __init__(self, sample_rate, num_samples, num_channels, bits_per_sample, encoding):
        self.sample_rate = sample_rate
        self.num_samples = num_samples
        self.num_channels = num_channels
        self.bits_per_sample = bits_per_sample
        self.encoding = encoding


def _unsupported(path) -> NotImplementedError:
    return NotImplementedError(
        f"{path}: only PCM16 WAV is supported by the wave backend (the file is not a PCM WAV "
        "file); convert it first, e.g. with ffmpeg -i IN -acodec pcm_s16le OUT.wav"
    )


def _open(filepath):
    if hasattr(filepath, "read"):
        return filepath, False
    return open(os.fspath(filepath), "rb"), True


def info(filepath) -> AudioInfo:
    """Sample rate, frames, channels, bits per sample and encoding of a WAV file."""
    f, own = _open(filepath)
    try:
        try:
            w = wave.open(f)  # noqa: SIM115 - the caller's file object is closed below
        except (wave.Error, EOFError):
            raise _unsupported(filepath) from None
        return AudioInfo(
            w.getframerate(), w.getnframes(), w.getnchannels(), w.getsampwidth() * 8, "PCM_S"
        )
    finally:
        if own:
            f.close()


def load(filepath, frame_offset=0, num_frames=-1, normalize=True, channels_first=True):
    """``(waveform, sample_rate)``: float32 ``[channels, frames]`` (``[frames, channels]``
    unless ``channels_first``), divided by 2**15 when ``normalize``."""
    f, own = _open(filepath)
    try:
        try:
            w = wave.open(f)  # noqa: SIM115 - the caller's file object is closed below
        except (wave.Error, EOFError):
            raise _unsupported(filepath) from None
        if w.getsampwidth() != 2:
            raise _unsupported(filepath)
        channels, rate, frames = w.getnchannels(), w.getframerate(), w.getnframes()
        data = w.readframes(frames)
    finally:
        if own:
            f.close()
    audio = np.frombuffer(data, dtype="<i2").astype(np.float32)
    if normalize:
        audio = audio / (2**15)
    audio = audio.reshape(frames, channels)
    if num_frames != -1:
        audio = audio[frame_offset : frame_offset + num_frames, :]
    t = torch.from_numpy(np.ascontiguousarray(audio))
    return wrap(t.t().contiguous() if channels_first else t), rate


def save(filepath, src, sample_rate, channels_first=True, encoding=None, bits_per_sample=16):
    """Write a 2-D waveform as PCM16 WAV (float32 input in [-1, 1) is scaled by 2**15)."""
    (t,) = _eager("save", src)
    if t.dim() != 2:
        raise ValueError(f"Expected 2D tensor, got shape {list(t.shape)}")
    if bits_per_sample not in (None, 16):
        raise ValueError("Invalid bits_per_sample, only support 16 bit")
    a = t.detach().cpu().numpy()
    if channels_first:
        a = a.T
    if t.dtype == torch.float32:
        a = (a * (2**15)).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(a.shape[1])
        w.setsampwidth(2)
        w.setframerate(int(sample_rate))
        w.writeframes(np.ascontiguousarray(a).astype("<i2").tobytes())
    with atomic_write(os.fspath(filepath)) as out:
        out.write(buf.getvalue())
