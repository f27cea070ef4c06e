"""``weight_norm`` / ``remove_weight_norm`` and ``spectral_norm``: re-parametrise a layer's
weight through a forward pre-hook, with Paddle's parameter names (``weight_g``/``weight_v``;
``weight_orig`` + buffers ``weight_u``/``weight_v``), shapes and formulas."""

from __future__ import annotations

import torch
import torch.nn.functional as _F

from ...eager.tensor import Parameter, Tensor, wrap
from ..layer.conv import Conv1DTranspose, Conv2DTranspose, Conv3DTranspose
from ..layer.linear import Linear


def _norm_except_dim(p: torch.Tensor, dim: int) -> torch.Tensor:
    if dim == -1:
        return torch.sqrt((p * p).sum() + 1e-12)
    moved = p.movedim(dim, 0).reshape(p.shape[dim], -1)
    return torch.linalg.vector_norm(moved, dim=1)


def _weight_from(v: torch.Tensor, g: torch.Tensor, dim: int) -> torch.Tensor:
    if dim == -1:
        return v / (torch.sqrt((v * v).sum()) + 1e-12) * g
    moved = v.movedim(dim, 0)
    flat = _F.normalize(moved.reshape(moved.shape[0], -1), dim=1, eps=1e-12)
    normed = flat.reshape(moved.shape).movedim(0, dim)
    shape = [1] * v.dim()
    shape[dim] = -1
    return normed * g.reshape(shape)


def _new_param(layer, value: torch.Tensor) -> Parameter:
    p = layer.create_parameter(list(value.shape), dtype=str(value.dtype).removeprefix("torch."))
    with torch.no_grad():
        p._t.copy_(value)
    return p


class WeightNorm:
    """The forward pre-hook of ``weight_norm``: ``weight = g * v / ||v||`` (norm over every dim
    except ``dim``; over all of them when ``dim`` is -1/None)."""

    def __init__(self, name: str, dim: int):
        self.name, self.dim = name, dim

    def compute_weight(self, layer) -> Tensor:
        g, v = getattr(layer, self.name + "_g"), getattr(layer, self.name + "_v")
        return wrap(_weight_from(v._t, g._t, self.dim))

    @staticmethod
    def apply(layer, name: str, dim):
        for hook in layer._forward_pre_hooks.values():
            if isinstance(hook, WeightNorm) and hook.name == name:
                raise RuntimeError(
                    f"Cannot register two weight_norm hooks on the same parameter {name}"
                )
        if name not in layer._parameters:
            raise ValueError(f"weight_norm: {type(layer).__name__} has no parameter {name!r}")
        dim = -1 if dim is None else dim
        w = layer._parameters[name]
        rank = len(w.shape)
        if not -rank <= dim < rank:
            raise AssertionError("dim must set between [-R, R), R means the dimension of weight.")
        if dim != -1:
            dim = (dim + rank) % rank
        fn = WeightNorm(name, dim)
        del layer._parameters[name]
        with torch.no_grad():
            g_value = _norm_except_dim(w._t, dim)
        layer.add_parameter(name + "_v", _new_param(layer, w._t.detach()))
        layer.add_parameter(name + "_g", _new_param(layer, g_value))
        setattr(layer, name, fn.compute_weight(layer))
        layer.register_forward_pre_hook(fn)
        return fn

    def remove(self, layer) -> None:
        w = self.compute_weight(layer)._t.detach()
        delattr(layer, self.name)
        del layer._parameters[self.name + "_g"]
        del layer._parameters[self.name + "_v"]
        layer.add_parameter(self.name, _new_param(layer, w))

    def __call__(self, layer, inputs):
        setattr(layer, self.name, self.compute_weight(layer))


def weight_norm(layer, name="weight", dim=0):
    """Re-parametrise ``layer.<name>`` as ``<name>_g * <name>_v / ||<name>_v||``.

    >>> import paddlefish as paddle
    >>> from paddlefish.nn.utils import weight_norm
    >>> lin = weight_norm(paddle.nn.Linear(3, 4))
    >>> sorted(lin.state_dict())
    ['bias', 'weight_g', 'weight_v']
    """
    WeightNorm.apply(layer, name, dim)
    return layer


def remove_weight_norm(layer, name="weight"):
    """Undo ``weight_norm``: ``<name>`` becomes a plain Parameter again."""
    for k, hook in list(layer._forward_pre_hooks.items()):
        if isinstance(hook, WeightNorm) and hook.name == name:
            hook.remove(layer)
            del layer._forward_pre_hooks[k]
            return layer
    raise ValueError(f"weight_norm of '{name}' not found in {layer}")


class SpectralNorm:
    """The forward pre-hook of ``spectral_norm``: ``weight = weight_orig / sigma`` with sigma
    from power iteration (run, updating ``weight_u``/``weight_v``, only in training mode)."""

    def __init__(self, name="weight", n_power_iterations=1, dim=0, eps=1e-12):
        if n_power_iterations <= 0:
            raise ValueError(
                "Expected n_power_iterations to be positive, but got "
                f"n_power_iterations={n_power_iterations}"
            )
        self.name, self.dim = name, dim
        self.n_power_iterations, self.eps = n_power_iterations, eps

    def matrix(self, weight: torch.Tensor) -> torch.Tensor:
        if self.dim != 0:
            weight = weight.permute([self.dim] + [d for d in range(weight.dim()) if d != self.dim])
        return weight.reshape(weight.shape[0], -1)

    def compute_weight(self, layer, do_power_iteration: bool) -> Tensor:
        weight = getattr(layer, self.name + "_orig")._t
        u_t, v_t = getattr(layer, self.name + "_u"), getattr(layer, self.name + "_v")
        mat = self.matrix(weight)
        u, v = u_t._t, v_t._t
        if do_power_iteration:
            with torch.no_grad():
                for _ in range(self.n_power_iterations):
                    v.copy_(_F.normalize(mat.t() @ u, dim=0, eps=self.eps))
                    u.copy_(_F.normalize(mat @ v, dim=0, eps=self.eps))
                u, v = u.clone(), v.clone()
        sigma = torch.dot(u, mat @ v)
        return wrap(weight / sigma)

    def __call__(self, layer, inputs):
        setattr(layer, self.name, self.compute_weight(layer, layer.training))

    @staticmethod
    def apply(layer, name, n_power_iterations, dim, eps):
        for hook in layer._forward_pre_hooks.values():
            if isinstance(hook, SpectralNorm) and hook.name == name:
                raise RuntimeError(
                    f"Cannot register two spectral_norm hooks on the same parameter {name}"
                )
        fn = SpectralNorm(name, n_power_iterations, dim, eps)
        weight = layer._parameters[name]
        with torch.no_grad():
            h, w = fn.matrix(weight._t).shape
            u = _F.normalize(torch.randn(h, dtype=weight._t.dtype), dim=0, eps=eps)
            v = _F.normalize(torch.randn(w, dtype=weight._t.dtype), dim=0, eps=eps)
        del layer._parameters[name]
        layer.add_parameter(name + "_orig", weight)
        setattr(layer, name, wrap(weight._t * 1.0))
        layer.register_buffer(name + "_u", wrap(u))
        layer.register_buffer(name + "_v", wrap(v))
        layer.register_forward_pre_hook(fn)
        return fn


def spectral_norm(layer, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    """Divide ``layer.<name>`` by its spectral norm (largest singular value), estimated by
    power iteration; ``dim`` defaults to 1 for Linear and transposed convs, else 0.

    >>> import paddlefish as paddle
    >>> from paddlefish.nn.utils import spectral_norm
    >>> sorted(spectral_norm(paddle.nn.Linear(3, 4)).state_dict())
    ['bias', 'weight_orig', 'weight_u', 'weight_v']
    """
    if dim is None:
        transposed = (Conv1DTranspose, Conv2DTranspose, Conv3DTranspose, Linear)
        dim = 1 if isinstance(layer, transposed) else 0
    SpectralNorm.apply(layer, name, n_power_iterations, dim, eps)
    return layer
