"""``rnnt_loss`` (RNN-Transducer loss, Paddle's ``warprnnt`` on CPU) on torch.

NOTE [rnnt_loss]: measured against Paddle 2.6's CPU kernel: the input ``[B, T, U + 1, V]`` is
taken as log-probabilities as given (no log_softmax inside — Paddle's own comment says the CPU
path expects it done by the caller; unnormalised input gives unnormalised, even negative,
losses, as in Paddle). The loss of a sample is ``-log`` of the lattice sum (forward variables
``alpha``, backward ``beta``, blank moves in time, label ``y_u`` moves in ``u``, the path ends
with a blank at ``(T_b - 1, U_b)``). FastEmit changes only the gradient: the label transitions'
gradient is scaled by ``1 + fastemit_lambda``; the loss value is unchanged. The gradient is the
kernel's closed form (with respect to the given log-probabilities), applied through autograd.
The lattice runs along anti-diagonals (``T + U`` vectorised steps over the batch), in float64.

>>> import paddlefish as paddle
>>> import paddlefish.nn.functional as F
>>> lp = F.log_softmax(paddle.zeros([1, 2, 2, 3]), -1)
>>> loss = F.rnnt_loss(lp, paddle.to_tensor([[1]], dtype="int32"),
...                    paddle.to_tensor([2], dtype="int32"), paddle.to_tensor([1], dtype="int32"),
...                    reduction="none")
>>> round(float(loss), 4)  # -log(2 / 27): 2 paths of 3 tokens, each token 1/3
2.6027
"""

from __future__ import annotations

import torch

from ...eager.tensor import wrap
from ...tensor.math import _eager

__all__ = ["rnnt_loss"]

_NEG = float("-inf")


def _lse(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return torch.logaddexp(a, b)


def _lattice(lp, labels, t_len, u_len, blank):
    """alpha, beta [B, T, U+1] and the log-likelihood [B] (float64)."""
    bsz, tmax, umax1, _ = lp.shape
    umax = umax1 - 1
    blank_lp = lp[..., blank]  # [B, T, U+1]
    lab = labels[:, :umax].long().clamp(min=0)
    emit = torch.full((bsz, tmax, umax1), _NEG, dtype=lp.dtype)
    if umax:
        emit[:, :, :umax] = torch.gather(
            lp[:, :, :umax, :], 3, lab[:, None, :, None].expand(bsz, tmax, umax, 1)
        ).squeeze(3)
    alpha = torch.full((bsz, tmax, umax1), _NEG, dtype=lp.dtype)
    alpha[:, 0, 0] = 0.0
    for d in range(1, tmax + umax):
        t = torch.arange(max(0, d - umax), min(tmax - 1, d) + 1)
        u = d - t
        from_t = torch.where(
            t > 0, alpha[:, (t - 1).clamp(min=0), u] + blank_lp[:, (t - 1).clamp(min=0), u], _NEG
        )
        from_u = torch.where(
            u > 0, alpha[:, t, (u - 1).clamp(min=0)] + emit[:, t, (u - 1).clamp(min=0)], _NEG
        )
        alpha[:, t, u] = _lse(from_t, from_u)
    rows = torch.arange(bsz)
    tl, ul = t_len.long(), u_len.long()
    ll = alpha[rows, tl - 1, ul] + blank_lp[rows, tl - 1, ul]
    # beta: per-sample ends at (T_b - 1, U_b); cells outside a sample's lattice stay -inf
    tt = torch.arange(tmax)[None, :, None]
    uu = torch.arange(umax1)[None, None, :]
    inside = (tt < tl[:, None, None]) & (uu <= ul[:, None, None])
    is_end = (tt == tl[:, None, None] - 1) & (uu == ul[:, None, None])
    full = (bsz, tmax, umax1)
    inside, is_end = inside.expand(full), is_end.expand(full)
    can_t = (tt < tl[:, None, None] - 1).expand(full) & inside
    can_u = (uu < ul[:, None, None]).expand(full) & inside
    beta = torch.full((bsz, tmax, umax1), _NEG, dtype=lp.dtype)
    for d in range(tmax + umax - 1, -1, -1):
        t = torch.arange(max(0, d - umax), min(tmax - 1, d) + 1)
        u = d - t
        nxt_t = torch.where(
            can_t[:, t, u],
            beta[:, (t + 1).clamp(max=tmax - 1), u] + blank_lp[:, t, u],
            _NEG,
        )
        nxt_u = torch.where(
            can_u[:, t, u],
            beta[:, t, (u + 1).clamp(max=umax)] + emit[:, t, u],
            _NEG,
        )
        val = torch.where(is_end[:, t, u], blank_lp[:, t, u], _lse(nxt_t, nxt_u))
        beta[:, t, u] = torch.where(inside[:, t, u], val, _NEG)
    return alpha, beta, ll, emit, blank_lp, lab, (can_t, can_u, is_end, inside)


class _RNNT(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, labels, t_len, u_len, blank, lam):
        lp = x.detach().to(torch.float64)
        alpha, beta, ll, emit, blank_lp, lab, masks = _lattice(lp, labels, t_len, u_len, blank)
        can_t, can_u, is_end, _ = masks
        bsz, tmax, umax1, _ = lp.shape
        ll_ = ll[:, None, None]
        beta_t = torch.cat([beta[:, 1:], torch.full_like(beta[:, :1], _NEG)], 1)
        beta_u = torch.cat([beta[:, :, 1:], torch.full_like(beta[:, :, :1], _NEG)], 2)
        g_blank = torch.where(can_t, -torch.exp(alpha + blank_lp + beta_t - ll_), 0.0)
        g_blank = torch.where(is_end, -torch.exp(alpha + blank_lp - ll_), g_blank)
        g_emit = torch.where(can_u, -(1.0 + lam) * torch.exp(alpha + emit + beta_u - ll_), 0.0)
        grad = torch.zeros_like(lp)
        grad[..., blank] += g_blank
        umax = umax1 - 1
        if umax:
            grad[:, :, :umax, :].scatter_add_(
                3, lab[:, None, :, None].expand(bsz, tmax, umax, 1), g_emit[:, :, :umax, None]
            )
        ctx.save_for_backward(grad.to(x.dtype))
        return (-ll).to(x.dtype)

    @staticmethod
    def backward(ctx, g):
        (grad,) = ctx.saved_tensors
        return g[:, None, None, None] * grad, None, None, None, None, None


def rnnt_loss(
    input,
    label,
    input_lengths,
    label_lengths,
    blank=0,
    fastemit_lambda=0.001,
    reduction="mean",
    name=None,
):
    """RNN-T loss of log-probabilities ``input [B, T, U + 1, V]`` for ``label [B, U]`` with the
    given lengths (NOTE [rnnt_loss]); ``reduction``: 'mean' (sum / B), 'sum' or 'none' ([B])."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"rnnt_loss: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    x, lab, tl, ul = _eager("rnnt_loss", input, label, input_lengths, label_lengths)
    if x.dim() != 4:
        raise ValueError(f"rnnt_loss: input must be [B, T, U + 1, V], got shape {list(x.shape)}")
    bsz, tmax, umax1, vocab = x.shape
    if lab.dim() != 2 or lab.shape[0] != bsz:
        raise ValueError(f"rnnt_loss: label must be [B, U] with B={bsz}, got {list(lab.shape)}")
    if list(tl.shape) != [bsz] or list(ul.shape) != [bsz]:
        raise ValueError(
            f"rnnt_loss: input_lengths and label_lengths must be [{bsz}], got "
            f"{list(tl.shape)} and {list(ul.shape)}"
        )
    if not 0 <= blank < vocab:
        raise ValueError(f"rnnt_loss: blank {blank} is outside the vocabulary of {vocab}")
    if bool((tl < 1).any()) or bool((tl > tmax).any()):
        raise ValueError(f"rnnt_loss: input_lengths must be in [1, {tmax}], got {tl.tolist()}")
    if bool((ul < 0).any()) or bool((ul > umax1 - 1).any()) or bool((ul > lab.shape[1]).any()):
        raise ValueError(
            f"rnnt_loss: label_lengths must be in [0, {min(umax1 - 1, lab.shape[1])}] (input "
            f"has U + 1 = {umax1}, label {lab.shape[1]} columns), got {ul.tolist()}"
        )
    loss = _RNNT.apply(x, lab, tl, ul, int(blank), float(fastemit_lambda))
    if reduction == "mean":
        loss = loss.sum() / bsz
    elif reduction == "sum":
        loss = loss.sum()
    return wrap(loss)
