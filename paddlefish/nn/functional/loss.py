"""Loss functionals with Paddle 2.6's op compositions (NOTE [what Paddle 2.6 records] in
common.py) and reduction rules."""

from __future__ import annotations

from ... import tensor as M
from ...tensor._run import run
from ...tensor.creation import full
from .input import one_hot

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge_embedding_loss",
    "kl_div",
    "l1_loss",
    "margin_ranking_loss",
    "mse_loss",
    "nll_loss",
    "smooth_l1_loss",
    "softmax_with_cross_entropy",
]

_REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction, what, extra=()):
    if reduction not in _REDUCTIONS + tuple(extra):
        raise ValueError(
            f"{what}: reduction {reduction!r} must be one of {_REDUCTIONS + tuple(extra)}"
        )


def _reduce(out, reduction):
    if reduction == "mean":
        return M.mean(out)
    if reduction == "sum":
        return M.sum(out)
    return out


def softmax_with_cross_entropy(
    logits,
    label,
    soft_label=False,
    ignore_index=-100,
    numeric_stable_mode=True,
    return_softmax=False,
    axis=-1,
):
    sm, loss = run(
        "softmax_with_cross_entropy",
        logits,
        label,
        soft_label=soft_label,
        use_softmax=True,
        numeric_stable_mode=numeric_stable_mode,
        ignore_index=ignore_index,
        axis=axis,
    )
    return (loss, sm) if return_softmax else loss


def _ce_weights(label, weight, soft_label, ignore_index, axis, ndim):
    """Per-sample weights (shape of ``loss``) as Paddle 2.6 gathers them."""
    if soft_label:
        return M.reshape(M.matmul(label, weight), list(label.shape[:-1]) + [1])
    lab = label if label.ndim == ndim else M.unsqueeze(label, axis)
    if axis not in (-1, ndim - 1):
        lab = M.moveaxis(lab, axis, -1)
    valid = M.cast(M.not_equal(lab, full([], ignore_index, lab.dtype)), lab.dtype)
    idx = M.multiply(valid, lab)
    w = M.gather_nd(weight, idx)
    w = M.multiply(w, M.cast(M.squeeze(valid, -1), weight.dtype))
    w = M.unsqueeze(w, -1)
    if axis not in (-1, ndim - 1):
        w = M.moveaxis(w, -1, axis)
    return w


def cross_entropy(
    input,
    label,
    weight=None,
    ignore_index=-100,
    reduction="mean",
    soft_label=False,
    axis=-1,
    use_softmax=True,
    label_smoothing=0.0,
    name=None,
):
    """Paddle's cross entropy: ``softmax_with_cross_entropy`` plus weighting and reduction.

    With ``weight`` and ``reduction='mean'`` the sum is divided by the sum of the selected
    weights (Paddle's rule); without weight and with a negative ``ignore_index`` the mean is
    over all samples (ignored ones count as 0).

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 0.0]])
    >>> round(float(paddle.nn.functional.cross_entropy(x, paddle.to_tensor([[1]]))), 4)
    0.6931
    """
    _check_reduction(reduction, "cross_entropy")
    ndim = input.ndim
    axis = axis % ndim
    squeeze_out = not soft_label and label.ndim == ndim - 1
    if label_smoothing > 0.0:
        if not soft_label:
            lab = label if label.ndim < ndim else M.squeeze(label, axis)
            label = one_hot(lab, input.shape[axis])
            if axis != ndim - 1:
                label = M.moveaxis(label, -1, axis)
        label = run("label_smooth", label, None, epsilon=float(label_smoothing))
        soft_label = True
    if not soft_label and label.ndim == ndim - 1:
        label = M.unsqueeze(label, axis)
    if not soft_label and label.shape[axis] != 1:
        raise ValueError(
            f"cross_entropy: hard labels must have size 1 on axis {axis}, got "
            f"label shape {label.shape} for input shape {input.shape}"
        )
    _, out = run(
        "softmax_with_cross_entropy",
        input,
        label,
        soft_label=soft_label,
        use_softmax=use_softmax,
        numeric_stable_mode=True,
        ignore_index=ignore_index,
        axis=axis,
    )
    wg = None
    if weight is not None:
        wg = _ce_weights(label, weight, soft_label, ignore_index, axis, ndim)
        out = M.multiply(out, wg)
    if reduction == "sum":
        return M.sum(out)
    if reduction == "mean":
        if not soft_label and ignore_index >= 0:
            mask = M.cast(M.not_equal(label, full([], ignore_index, label.dtype)), out.dtype)
            denom = M.sum(mask) if wg is None else M.sum(M.multiply(wg, mask))
            return M.divide(
                M.sum(out), M.add(denom, M.cast(M.equal(denom, M.zeros_like(denom)), denom.dtype))
            )
        if wg is not None:
            total = M.sum(wg)
            return M.divide(
                M.sum(out), M.add(total, M.cast(M.equal(total, M.zeros_like(total)), total.dtype))
            )
        return M.mean(out)
    return M.squeeze(out, axis) if squeeze_out else out


def mse_loss(input, label, reduction="mean", name=None):
    _check_reduction(reduction, "mse_loss")
    return _reduce(run("square", M.subtract(input, label)), reduction)


def l1_loss(input, label, reduction="mean", name=None):
    _check_reduction(reduction, "l1_loss")
    return _reduce(run("abs", M.subtract(input, label)), reduction)


def smooth_l1_loss(input, label, reduction="mean", delta=1.0, name=None):
    """Huber loss: ``0.5 d^2`` if ``|d| <= delta`` else ``delta (|d| - delta / 2)``."""
    _check_reduction(reduction, "smooth_l1_loss")
    out, _ = run("huber_loss", input, label, delta=float(delta))
    return _reduce(out, reduction)


def binary_cross_entropy(input, label, weight=None, reduction="mean", name=None):
    _check_reduction(reduction, "binary_cross_entropy")
    out = run("bce_loss", input, label)
    if weight is not None:
        out = M.multiply(out, weight)
    return _reduce(out, reduction)


def binary_cross_entropy_with_logits(
    logit, label, weight=None, reduction="mean", pos_weight=None, name=None
):
    _check_reduction(reduction, "binary_cross_entropy_with_logits")
    lw = None
    if pos_weight is not None:
        one = full([1], 1.0, dtype=logit.dtype)
        lw = M.add(M.multiply(label, M.subtract(pos_weight, one)), one)
    out = run(
        "sigmoid_cross_entropy_with_logits", logit, label, lw, normalize=False, ignore_index=-100
    )
    if weight is not None:
        out = M.multiply(out, weight)
    return _reduce(out, reduction)


def nll_loss(
    input,
    label,
    weight=None,
    ignore_index=-100,
    reduction="mean",
    name=None,
):
    _check_reduction(reduction, "nll_loss")
    if input.ndim < 2:
        raise ValueError(f"nll_loss: input must be [N, C] or [N, C, d1, ...], got {input.shape}")
    out, _ = run("nll_loss", input, label, weight, ignore_index=ignore_index, reduction=reduction)
    return out


def kl_div(input, label, reduction="mean", name=None):
    _check_reduction(reduction, "kl_div", ("batchmean",))
    out = run("kldiv_loss", input, label, reduction="none")
    if reduction == "batchmean":
        return (
            M.divide(M.sum(out), full([], float(input.shape[0]), dtype=out.dtype))
            if input.ndim > 0
            else M.sum(out)
        )
    return _reduce(out, reduction)


def margin_ranking_loss(
    input,
    other,
    label,
    margin=0.0,
    reduction="mean",
    name=None,
):
    _check_reduction(reduction, "margin_ranking_loss")
    out = M.multiply(M.scale(label, -1.0), M.subtract(input, other))
    if margin != 0.0:
        out = M.scale(out, 1.0, bias=float(margin))
    return _reduce(M.relu(out), reduction)


def hinge_embedding_loss(input, label, margin=1.0, reduction="mean", name=None):
    _check_reduction(reduction, "hinge_embedding_loss")
    zero = M.zeros_like(input)
    pos = M.where(M.equal(label, M.ones_like(label)), input, zero)
    neg = M.where(
        M.equal(label, M.scale(M.ones_like(label), -1.0)),
        M.relu(M.scale(input, -1.0, bias=float(margin))),
        zero,
    )
    return _reduce(M.add(pos, neg), reduction)
