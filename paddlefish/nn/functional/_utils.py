"""Argument normalisation shared by conv and pooling functionals (Paddle's rules)."""

from __future__ import annotations

_CHANNEL_LAST = ("NLC", "NHWC", "NDHWC")


def ntuple(v, n: int, what: str) -> list[int]:
    """``3`` -> ``[3, 3]``; a list/tuple of length ``n`` is kept; anything else is refused."""
    if isinstance(v, int):
        return [v] * n
    v = [int(i) for i in v]
    if len(v) == 1:
        return v * n
    if len(v) != n:
        raise ValueError(f"{what} must be an int or a list of {n} ints, got {v}")
    return v


def padding(pad, nd: int, data_format: str, what: str) -> tuple[list[int], str]:
    """Paddle's ``_update_padding_nd``: returns ``(paddings attr, padding_algorithm)``.

    Accepts an int, ``'SAME'``/``'VALID'``, ``nd`` ints, ``2*nd`` ints (before/after per
    axis; collapsed to ``nd`` when symmetric) or ``nd+2`` pairs including batch and channel.
    """
    if isinstance(pad, str):
        algo = pad.upper()
        if algo not in ("SAME", "VALID"):
            raise ValueError(f"{what}: padding {pad!r} must be 'SAME', 'VALID' or numbers")
        return [0] * nd, algo
    if isinstance(pad, int):
        return [pad] * nd, "EXPLICIT"
    pad = list(pad)
    if pad and isinstance(pad[0], (list, tuple)):
        if len(pad) != nd + 2:
            raise ValueError(f"{what}: padding pairs {pad} must cover {nd + 2} axes")
        spatial = pad[1:-1] if data_format in _CHANNEL_LAST else pad[2:]
        pad = [int(v) for pair in spatial for v in pair]
    pad = [int(v) for v in pad]
    if len(pad) == 2 * nd:
        if pad[0::2] == pad[1::2]:
            return pad[0::2], "EXPLICIT"
        return pad, "EXPLICIT"
    if len(pad) == 1:
        return pad * nd, "EXPLICIT"
    if len(pad) != nd:
        raise ValueError(f"{what}: padding {pad} must have 1, {nd} or {2 * nd} entries")
    return pad, "EXPLICIT"


def channel_last(data_format: str) -> bool:
    return data_format in _CHANNEL_LAST


def check_rank(x, rank: int, what: str, layout: str) -> None:
    if x.ndim != rank:
        raise ValueError(
            f"{what}: expected a {rank}-D input ({layout}), got a {x.ndim}-D "
            f"tensor of shape {x.shape}; reshape the input or use the "
            f"{x.ndim - 2}-D variant"
        )
