"""``parameters_to_vector`` / ``vector_to_parameters`` and the gradient clippers
``clip_grad_norm_`` / ``clip_grad_value_``."""

from __future__ import annotations

import torch

from ...eager.tensor import Tensor, wrap


def parameters_to_vector(parameters, name=None) -> Tensor:
    """All parameters flattened and concatenated into one 1-D tensor.

    >>> import paddlefish as paddle
    >>> from paddlefish.nn.utils import parameters_to_vector
    >>> parameters_to_vector(paddle.nn.Linear(3, 2).parameters()).shape
    [8]
    """
    params = list(parameters)
    with torch.no_grad():
        out = torch.cat([p._t.reshape(-1) for p in params])
    t = wrap(out)
    t.stop_gradient = False
    return t


def vector_to_parameters(vec, parameters, name=None) -> None:
    """Copy consecutive slices of the 1-D ``vec`` into ``parameters`` (in place)."""
    params = list(parameters)
    total = sum(p._t.numel() for p in params)
    if vec._t.numel() != total:
        raise ValueError(
            f"vector_to_parameters: the vector has {vec._t.numel()} elements but the parameters "
            f"hold {total}"
        )
    offset = 0
    with torch.no_grad():
        for p in params:
            n = p._t.numel()
            p._t.copy_(vec._t[offset : offset + n].reshape(p._t.shape))
            offset += n


def _grads(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p._t.grad for p in parameters if p._t.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False) -> Tensor:
    """Scale all gradients so their joint ``norm_type`` norm is at most ``max_norm``; returns
    the norm before clipping."""
    grads = _grads(parameters)
    if not grads:
        return wrap(torch.tensor(0.0))
    norm_type = float(norm_type)
    total = torch.linalg.vector_norm(
        torch.stack([torch.linalg.vector_norm(g.detach(), norm_type) for g in grads]), norm_type
    )
    if error_if_nonfinite and not bool(torch.isfinite(total)):
        raise RuntimeError(
            f"The total norm of {norm_type} order of the gradients from `parameters` is "
            "non-finite, so it cannot be clipped. In any case, disable this error and scale the "
            "gradient by non-finite norm, set `error_if_nonfinite=False`"
        )
    coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    with torch.no_grad():
        for g in grads:
            g.mul_(coef.to(g.dtype))
    return wrap(total)


def clip_grad_value_(parameters, clip_value) -> None:
    """Clamp every gradient element into ``[-clip_value, clip_value]`` in place."""
    with torch.no_grad():
        for g in _grads(parameters):
            g.clamp_(-float(clip_value), float(clip_value))
