"""Paddle 2.6's dynamic-mode ``static.nn.cond`` / ``while_loop`` semantics, which the ported
minimizers rely on.

NOTE [eager while_loop aliasing]: in dynamic mode Paddle's ``while_loop`` calls ``body`` with the
*original* loop-variable tensors every iteration and, after each iteration, copies every output
into them in place (``paddle.assign(out, var)``); ``cond`` is called with the outputs. The
minimizers (ported from Paddle) also update outer tensors in place with ``assign(x, output)``
inside nested functions, so the same aliasing is reproduced here rather than rewritten.
"""

from __future__ import annotations

from ....eager.tensor import Tensor

__all__ = ["assign_into", "cond", "while_loop"]


def assign_into(x, output) -> None:
    """``paddle.assign(x, output)`` in dynamic mode: ``output`` takes ``x``'s value *and shape*
    (Paddle's ``assign_out_``; paddlefish's ``set_value`` keeps shapes, so it cannot be used)."""
    if list(output._t.shape) == list(x._t.shape):
        output._t.copy_(x._t.detach())
    else:
        output._t = x._t.detach().clone()


def cond(pred, true_fn=None, false_fn=None):
    """Call ``true_fn`` or ``false_fn`` on the 1-element ``pred`` (either may be None)."""
    if pred.item():
        return true_fn() if true_fn is not None else None
    return false_fn() if false_fn is not None else None


def while_loop(cond_fn, body, loop_vars):
    """Run ``body`` while ``cond_fn`` holds, writing outputs back into ``loop_vars`` in place."""
    now = cond_fn(*loop_vars).item()
    while now:
        out = body(*loop_vars)
        if not isinstance(out, (list, tuple)):
            out = [out]
        if len(out) != len(loop_vars):
            raise ValueError(
                "body in while_loop should return the same arity (length and structure) and "
                "types as loop_vars"
            )
        now = cond_fn(*out).item()
        for o, v in zip(out, loop_vars):
            if isinstance(o, Tensor) and o is not v:
                assign_into(o, v)
    return loop_vars
