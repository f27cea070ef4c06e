"""``viterbi_decode`` (``paddle.text.viterbi_decode``): Paddle 2.6's CPU kernel step for step on
torch, so ties, masks of short sequences and the BOS/EOS transition rows come out the same.

NOTE [viterbi_decode]: ``transition_params [n, n]`` is read as ``trans[from, to]``; with
``include_bos_eos_tag`` its row ``n - 1`` is the start transition (added at step 0) and row
``n - 2`` the stop transition (added at each sequence's last step). The recursion runs to the
longest length; a sequence whose length is used up keeps its scores, and back-tracking pads
the path past its length with Paddle's values (the last tag for the first padded position
after a zero-length run, else 0) — the exact mask arithmetic of the kernel.

>>> import paddlefish as paddle
>>> from paddlefish.nn.functional.viterbi import viterbi_decode
>>> pot = paddle.to_tensor([[[1.0, 0.0, 0.0, 0.0], [0.0, 2.0, 0.0, 0.0]]])
>>> scores, path = viterbi_decode(pot, paddle.zeros([4, 4]), paddle.to_tensor([2]), False)
>>> path.tolist(), scores.tolist()
([[0, 1]], [3.0])
"""

from __future__ import annotations

import torch

from ...eager.tensor import wrap
from ...tensor.math import _eager

__all__ = ["viterbi_decode"]


def viterbi_decode(potentials, transition_params, lengths, include_bos_eos_tag=True, name=None):
    """Best tag path of each sequence: ``potentials [batch, seq, n]`` (emission scores),
    ``transition_params [n, n]``, ``lengths [batch]`` int64 -> ``(scores [batch],
    path [batch, max(lengths)])`` (NOTE [viterbi_decode])."""
    x, trans, length = _eager("viterbi_decode", potentials, transition_params, lengths)
    if x.dim() != 3:
        raise ValueError(
            f"viterbi_decode: potentials must be [batch_size, seq_len, num_tags], got shape "
            f"{list(x.shape)}"
        )
    b, seq_len, n = x.shape
    if list(trans.shape) != [n, n]:
        raise ValueError(
            f"viterbi_decode: transition_params must be [{n}, {n}] for {n} tags, got shape "
            f"{list(trans.shape)}"
        )
    if length.dtype != torch.int64 or list(length.shape) != [b]:
        raise ValueError(
            f"viterbi_decode: lengths must be an int64 tensor of shape [{b}], got "
            f"{str(length.dtype).replace('torch.', '')} {list(length.shape)}"
        )
    if include_bos_eos_tag and n < 2:
        raise ValueError("viterbi_decode: include_bos_eos_tag needs at least 2 tags (BOS, EOS)")
    x = x.detach()
    trans = trans.detach().to(x.dtype)
    left = length.clone()
    max_len = int(left.max()) if b else 0
    path = torch.zeros((max_len, b), dtype=torch.int64)
    if max_len == 0:
        return wrap(torch.zeros(b, dtype=x.dtype)), wrap(path.t().contiguous())
    stop, start = trans[n - 2], trans[n - 1]
    xt = x.transpose(0, 1)  # [seq, batch, n]
    alpha = xt[0].clone()
    if include_bos_eos_tag:
        alpha = alpha + start
        alpha = alpha + stop * (left == 1).to(x.dtype)[:, None]
    left = left - 1
    history = []
    for i in range(1, max_len):
        total = alpha[:, :, None] + trans[None]  # [batch, from, to]
        best, arg = total.max(dim=1)
        history.append(arg)
        nxt = best + xt[i]
        mask = (left > 0).to(x.dtype)[:, None]
        alpha = alpha * (1 - mask) + nxt * mask
        if include_bos_eos_tag:
            alpha = alpha + stop * (left == 1).to(x.dtype)[:, None]
        left = left - 1
    scores, last = alpha.max(dim=1)
    actual = min(seq_len, max_len)
    path[actual - 1] = last * (left >= 0)
    offset = torch.arange(b) * n
    k = 1
    for hist in reversed(history):
        k += 1
        left = left + 1
        upd = hist.reshape(-1)[offset + last]
        upd = upd * (left > 0)
        zero_len = (left == 0).long()
        upd = upd * (1 - zero_len) + last * zero_len
        last = upd + last * (left < 0)
        path[actual - k] = upd
    return wrap(scores), wrap(path.t().contiguous())
