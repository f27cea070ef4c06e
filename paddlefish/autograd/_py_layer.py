"""``paddle.autograd.PyLayer``: a user-defined op with its own ``forward`` and ``backward``,
run as one ``torch.autograd.Function``.

Paddle's rules, kept: ``apply(*args, **kwargs)`` passes everything to ``forward(ctx, ...)``;
the Tensors among the positional arguments (also inside a list/tuple argument) and keyword
arguments are the op's inputs; ``backward(ctx, *output_grads)`` must return one gradient (or
None) per input Tensor, in order, or the call fails naming both counts. ``ctx`` offers
``save_for_backward`` / ``saved_tensor``, ``mark_not_inplace``, ``mark_non_differentiable``,
``set_materialize_grads``, and keeps any attribute the forward sets.

>>> import paddlefish as paddle
>>> class Cube(paddle.autograd.PyLayer):
...     @staticmethod
...     def forward(ctx, x):
...         ctx.save_for_backward(x)
...         return x * x * x
...     @staticmethod
...     def backward(ctx, dy):
...         (x,) = ctx.saved_tensor()
...         return dy * 3 * x * x
>>> x = paddle.to_tensor([1.0, 2.0], stop_gradient=False)
>>> Cube.apply(x).sum().backward()
>>> x.grad.numpy().tolist()
[3.0, 12.0]
"""

from __future__ import annotations

import torch

from ..eager.tensor import Tensor, wrap


class PyLayerContext:
    """The ``ctx`` a PyLayer's ``forward`` and ``backward`` share."""

    def save_for_backward(self, *tensors) -> None:
        """Keep tensors for ``backward`` (read them back with ``saved_tensor()``)."""
        self.container = tensors

    def saved_tensor(self):
        """The tensors given to ``save_for_backward``, as a tuple."""
        return self.container

    def mark_not_inplace(self, *args) -> None:
        """Declare inputs that the forward returns unchanged (they become new outputs)."""
        self.not_inplace_tensors = args

    def mark_non_differentiable(self, *args) -> None:
        """Declare outputs that carry no gradient (their grads arrive as zeros)."""
        self.non_differentiable = args

    def set_materialize_grads(self, value: bool) -> None:
        """Whether absent output gradients reach ``backward`` as zeros (True) or None."""
        self.materialize_grads = value


class _Call:
    """One ``apply``: where the input Tensors sit in the arguments, and the user's ctx."""

    def __init__(self, cls, args, kwargs):
        self.cls = cls
        self.ctx = cls._context_class()
        self.args, self.kwargs = args, kwargs
        self.slots: list = []  # (where, key, index-in-list or None)
        for i, a in enumerate(args):
            self._scan(("arg", i), a)
        for k, a in kwargs.items():
            self._scan(("kw", k), a)

    def _scan(self, where, value) -> None:
        if isinstance(value, Tensor):
            self.slots.append((where, None))
        elif isinstance(value, (list, tuple)):
            self.slots.extend((where, j) for j, v in enumerate(value) if isinstance(v, Tensor))

    def inputs(self) -> list[Tensor]:
        return [self._get(where, j) for where, j in self.slots]

    def _get(self, where, j):
        kind, key = where
        v = self.args[key] if kind == "arg" else self.kwargs[key]
        return v if j is None else v[j]

    def rebuild(self, tensors):
        """The call's arguments with each input Tensor replaced by the matching one given."""
        args, kwargs = list(self.args), dict(self.kwargs)
        lists: dict = {}
        for (where, j), t in zip(self.slots, tensors):
            kind, key = where
            if j is not None:
                lists.setdefault(where, list(self._get(where, None)))[j] = t
            elif kind == "arg":
                args[key] = t
            else:
                kwargs[key] = t
        for (kind, key), items in lists.items():
            orig = self._get((kind, key), None)
            value = type(orig)(items) if isinstance(orig, tuple) else items
            if kind == "arg":
                args[key] = value
            else:
                kwargs[key] = value
        return args, kwargs


class _Bridge(torch.autograd.Function):
    @staticmethod
    def forward(tctx, call, *flat):
        ctx = call.ctx
        tctx.call = call
        args, kwargs = call.rebuild([wrap(t) for t in flat])
        out = call.cls.forward(ctx, *args, **kwargs)
        single = not isinstance(out, (tuple, list))
        outs = [out] if single else list(out)
        call.out_single, call.out_kinds = single, [isinstance(o, Tensor) for o in outs]
        call.out_other = [None if isinstance(o, Tensor) else o for o in outs]
        result = [o._t for o in outs if isinstance(o, Tensor)]
        if not result:
            raise ValueError(
                f"{call.cls.__name__}.forward returned no Tensor; a PyLayer's forward must "
                "return a Tensor or a tuple/list holding at least one."
            )
        inputs = set(map(id, flat))
        # an input returned as it is becomes a fresh output (torch would alias it)
        result = [t.view_as(t) if id(t) in inputs else t for t in result]
        nd = getattr(ctx, "non_differentiable", ())
        if nd:
            tctx.mark_non_differentiable(*[t._t for t in nd if isinstance(t, Tensor)])
        tctx.set_materialize_grads(getattr(ctx, "materialize_grads", True))
        return tuple(result)

    @staticmethod
    def backward(tctx, *grads):
        call = tctx.call
        got = call.cls.backward(call.ctx, *[None if g is None else wrap(g) for g in grads])
        got = list(got) if isinstance(got, (tuple, list)) else [got]
        n = len(call.slots)
        if len(got) != n:
            raise ValueError(
                f"{call.cls.__name__}.backward returned {len(got)} gradient(s) but forward "
                f"took {n} Tensor input(s); return one gradient (or None) per input Tensor, "
                "in order."
            )
        for i, (g, wanted) in enumerate(zip(got, tctx.needs_input_grad[1:])):
            if g is None:
                continue
            if not isinstance(g, Tensor):
                raise TypeError(
                    f"{call.cls.__name__}.backward: gradient {i} is a {type(g).__name__}; "
                    "expected a Tensor or None."
                )
            if not wanted:  # Paddle refuses this too (py_layer_node.cc)
                raise ValueError(
                    f"GradNodePyLayer_{call.cls.__name__}_backward's backward function should "
                    f"return None at {i} position, because it's forward Tensor's stopgradient "
                    "is true."
                )
        return (None, *[None if g is None else g._t for g in got])


class PyLayer:
    """Base class of a user-defined differentiable op (see the module text)."""

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        cls._context_class = type(cls.__name__ + "_backward", (PyLayerContext,), {})

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for PyLayer.")

    @staticmethod
    def backward(ctx, *args):
        raise NotImplementedError("You must implement the backward function for PyLayer.")

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward`` and record ``backward`` for the autograd graph."""
        if cls is PyLayer:
            raise NotImplementedError("apply a subclass of PyLayer, not PyLayer itself.")
        call = _Call(cls, args, kwargs)
        flat = [t._t for t in call.inputs()]
        outs = iter(wrap(t) for t in _Bridge.apply(call, *flat))
        values = [
            next(outs) if is_t else other for is_t, other in zip(call.out_kinds, call.out_other)
        ]
        return values[0] if call.out_single else tuple(values)


PyLayer._context_class = PyLayerContext
