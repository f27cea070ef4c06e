"""``paddle.static.gradients`` / ``append_backward``: gradient variables a static program can fetch.

NOTE [static gradients]: as for training (NOTE [static training] in _executor.py), gradients come
from torch autograd, not from Paddle's ``*_grad`` ops. ``gradients(targets, inputs)`` declares a
variable ``<input>@GRAD`` (Paddle's name) per input and records the request on the program
(``Program._grads``: grad name -> ``GradRequest``); the ops are unchanged. A run that fetches one
of them computes the forward with the float feeds and persistables as autograd leaves, then
``torch.autograd.grad`` of ``sum(target * target_gradient)`` (target_gradient defaults to ones, as
Paddle's ``fill_constant`` 1.0 seed) with respect to the inputs; an input the targets do not
depend on gets zeros. A training program (``minimize``) run fetching ``param@GRAD`` returns the
gradient of that step.

>>> import numpy as np, paddlefish as paddle
>>> paddle.enable_static()
>>> main, startup = paddle.static.Program(), paddle.static.Program()
>>> with paddle.static.program_guard(main, startup):
...     x = paddle.static.data('x', [None, 2], 'float32')
...     x.stop_gradient = False
...     y = paddle.sum(x * x)
...     gx, = paddle.static.gradients([y], [x])
>>> exe = paddle.static.Executor()
>>> _ = exe.run(startup)
>>> gx.name, exe.run(main, feed={'x': np.array([[1., 2.]], 'float32')}, fetch_list=[gx])[0].tolist()
('x@GRAD', [[2.0, 4.0]])
>>> paddle.disable_static()
"""

from __future__ import annotations

import dataclasses

from ..eager.tensor import Parameter, Tensor
from ._program import Program, default_main_program

__all__ = ["GradRequest", "append_backward", "gradients"]

GRAD_SUFFIX = "@GRAD"


@dataclasses.dataclass(frozen=True)
class GradRequest:
    """One ``gradients`` call: the targets, their seed gradients (None: ones) and the input."""

    targets: tuple[str, ...]
    target_grads: tuple[str, ...] | None
    input: str


def _name(v, what: str) -> str:
    name = v if isinstance(v, str) else getattr(v, "name", None)
    if not isinstance(name, str):
        raise TypeError(f"{what}: expected Variables (or names), got {type(v).__name__}")
    return name


def _as_list(x) -> list:
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _grad_var(program: Program, name: str):
    """The Variable ``name@GRAD`` (declared once, shaped like ``name``)."""
    block = program.global_block()
    var = block.find_var(name)
    if var is None:
        raise ValueError(f"gradients: {name!r} is not a variable of the program")
    gname = name + GRAD_SUFFIX
    rec = program._recorder()
    if gname in block.vars:
        del block.vars[gname]  # declared again by input_variable below, same shape
    g = rec.input_variable(gname, list(var.shape or []), var.dtype)
    block.vars[gname].stop_gradient = True
    return g


def gradients(targets, inputs, target_gradients=None, no_grad_set=None) -> list:
    """Gradient Variables of ``sum(targets * target_gradients)`` with respect to ``inputs``
    (feeds, intermediates or parameters), fetchable with ``Executor.run`` (NOTE [static
    gradients]). The entry of an input in ``no_grad_set`` or with ``stop_gradient`` (a
    ``static.data`` unless set ``x.stop_gradient = False``, as in Paddle) is None."""
    program = default_main_program()
    t_names = tuple(_name(t, "gradients targets") for t in _as_list(targets))
    tg = None
    if target_gradients is not None:
        tg_list = _as_list(target_gradients)
        if len(tg_list) != len(t_names):
            raise ValueError(f"gradients: {len(tg_list)} target_gradients for {len(t_names)} "
                             "targets; give one per target (None entries are not supported)")
        tg = tuple(_name(t, "gradients target_gradients") for t in tg_list)
    skip = {_name(n, "no_grad_set") for n in (no_grad_set or ())}
    out = []
    for x in _as_list(inputs):
        name = _name(x, "gradients inputs")
        var = program.global_block().find_var(name)
        if name in skip or (var is not None and var.stop_gradient and not var.is_parameter):
            out.append(None)  # Paddle: no gradient for a stop_gradient input (static.data)
            continue
        g = _grad_var(program, name)
        program._grads[g.name] = GradRequest(t_names, tg, name)
        program._compiled = None
        out.append(g)
    return out


def append_backward(loss, parameter_list=None, no_grad_set=None, callbacks=None,
                    checkpoints=None, distop_context=None) -> list[tuple]:
    """``[(parameter, parameter@GRAD)]`` for the trainable parameters ``loss`` is built from
    (or ``parameter_list``), the gradient Variables fetchable with ``Executor.run``."""
    program = default_main_program()
    skip = {_name(n, "no_grad_set") for n in (no_grad_set or ())}
    captured = program._recorder().captured
    if parameter_list is not None:
        names = [_name(p, "parameter_list") for p in parameter_list]
    else:
        names = [n for n, t in captured.items() if isinstance(t, Parameter) and t.trainable
                 and not t.stop_gradient]
    names = [n for n in names if n not in skip]
    grads = gradients([loss], names)
    return [(captured.get(n, n) if isinstance(captured.get(n), Tensor) else n, g)
            for n, g in zip(names, grads)]
