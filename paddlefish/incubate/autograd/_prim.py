"""``enable_prim`` / ``disable_prim`` / ``prim_enabled`` and the static-only ``grad`` /
``forward_grad`` of ``paddle.incubate.autograd``.

NOTE [incubate prim switch]: in Paddle 2.6 the switch lowers static programs to primitive ops so
that ``incubate.autograd.grad``/``forward_grad`` can differentiate them (and the CINN compiler
fuse them); every function here is static-only and raises Paddle's ``AssertionError`` in dynamic
mode. paddlefish's static gradients come from torch autograd (never from ``*_grad`` or primitive
ops), so the switch is accepted and remembered (``prim_enabled()`` reports it) but changes no
program and no number. ``grad``/``forward_grad`` (static-program transforms on primitive ops) are
not built: use ``paddle.static.gradients``.
"""

from __future__ import annotations

from ...static._mode import in_dynamic_mode

__all__ = ["disable_prim", "enable_prim", "forward_grad", "grad", "prim_enabled"]

_state = {"enable_prim": False}


def _static_only(name: str) -> None:
    if in_dynamic_mode():
        raise AssertionError(
            f"In PaddlePaddle 2.x, we turn on dynamic graph mode by default, and '{name}()' is "
            "only supported in static graph mode. So if you want to use this api, please call "
            "'paddle.enable_static()' before this api to enter static graph mode."
        )


def prim_enabled() -> bool:
    """Whether ``enable_prim()`` is on (static mode only; see NOTE [incubate prim switch]).

    >>> import paddlefish as paddle
    >>> paddle.enable_static()
    >>> paddle.incubate.autograd.enable_prim(); paddle.incubate.autograd.prim_enabled()
    True
    >>> paddle.incubate.autograd.disable_prim(); paddle.disable_static()
    """
    _static_only("prim_enabled")
    return _state["enable_prim"]


def enable_prim() -> None:
    """Turn the primitive-op switch on (static mode only; accepted, changes nothing)."""
    _static_only("enable_prim")
    _state["enable_prim"] = True


def disable_prim() -> None:
    """Turn the primitive-op switch off (static mode only)."""
    _static_only("disable_prim")
    _state["enable_prim"] = False


def grad(outputs, inputs, grad_outputs=None):
    """Static-only in Paddle; not built in paddlefish (use ``paddle.static.gradients``)."""
    _static_only("grad")
    raise NotImplementedError(
        "paddle.incubate.autograd.grad differentiates primitive-op programs, which paddlefish "
        "does not build; use paddle.static.gradients(outputs, inputs, target_gradients)."
    )


def forward_grad(outputs, inputs, grad_inputs=None):
    """Static-only in Paddle; not built in paddlefish (no forward-mode program transform)."""
    _static_only("forward_grad")
    raise NotImplementedError(
        "paddle.incubate.autograd.forward_grad (forward-mode program transform) is not built in "
        "paddlefish; use paddle.incubate.autograd.jvp in dynamic mode."
    )
