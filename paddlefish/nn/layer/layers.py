"""``paddle.nn.Layer``: parameters, sublayers, buffers, hooks, modes and state dicts."""

from __future__ import annotations

import collections
import warnings
from collections.abc import Iterator

import numpy as np
import torch

from ..._core import unique_name
from ..._core.dtypes import convert_dtype
from ...eager._dtype import numpy_to_torch, to_torch_dtype
from ...eager.device import to_torch_device
from ...eager.tensor import Parameter, Tensor
from ...tensor.creation import get_default_dtype
from .. import initializer as init
from ..param_attr import ParamAttr

__all__ = ["Layer"]


class HookRemoveHelper:
    def __init__(self, hooks: dict, key: int):
        self._hooks, self._key = hooks, key

    def remove(self) -> None:
        self._hooks.pop(self._key, None)


class Layer:
    """Base class of every layer; subclass it and define ``forward``.

    >>> import paddlefish as paddle
    >>> class Net(paddle.nn.Layer):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.fc = paddle.nn.Linear(4, 2)
    ...     def forward(self, x):
    ...         return self.fc(x)
    >>> list(Net().state_dict())
    ['fc.weight', 'fc.bias']
    """

    def __init__(self, name_scope: str | None = None, dtype="float32"):
        d = self.__dict__
        d["training"] = True
        d["_parameters"] = collections.OrderedDict()
        d["_sub_layers"] = collections.OrderedDict()
        d["_buffers"] = collections.OrderedDict()
        d["_non_persistable_buffer_names_set"] = set()
        d["_forward_pre_hooks"] = collections.OrderedDict()
        d["_forward_post_hooks"] = collections.OrderedDict()
        d["_hook_id"] = 0
        d["_dtype"] = dtype if dtype is not None else get_default_dtype()
        key = name_scope if name_scope else unique_name.snake_case(self.__class__.__name__)
        d["_full_name"] = unique_name.generate(key)
        d["_helper_name"] = key

    # ---- attribute plumbing --------------------------------------------------------------
    def __setattr__(self, name, value):
        d = self.__dict__
        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise RuntimeError("call super().__init__() before assigning parameters")
            self._pf_forget_attr(name)
            params[name] = value
        elif isinstance(value, Layer):
            if params is None:
                raise RuntimeError("call super().__init__() before assigning sublayers")
            self._pf_forget_attr(name)
            d["_sub_layers"][name] = value
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(f"assigning {type(value).__name__} to parameter {name!r} "
                                "(expected a Parameter or None)")
            params[name] = None
        elif params is not None and name in d["_sub_layers"]:
            if value is not None:
                raise TypeError(f"assigning {type(value).__name__} to sublayer {name!r}")
            d["_sub_layers"][name] = None
        elif params is not None and name in d["_buffers"]:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"assigning {type(value).__name__} to buffer {name!r}")
            d["_buffers"][name] = value
        else:
            object.__setattr__(self, name, value)

    def _pf_forget_attr(self, name):
        # not `_drop`: a method here shadows a user sublayer of the same name (Paddle models
        # say `self._drop = nn.Dropout(...)`)
        d = self.__dict__
        d.pop(name, None)
        for k in ("_parameters", "_sub_layers", "_buffers"):
            d[k].pop(name, None)

    def __getattr__(self, name):
        d = self.__dict__
        for k in ("_parameters", "_sub_layers", "_buffers"):
            store = d.get(k)
            if store is not None and name in store:
                return store[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        d = self.__dict__
        for k in ("_parameters", "_sub_layers", "_buffers"):
            if name in d[k]:
                del d[k][name]
                return
        object.__delattr__(self, name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._sub_layers)
                      | set(self._buffers))

    # ---- calling ---------------------------------------------------------------------------
    def __call__(self, *inputs, **kwargs):
        if self._forward_pre_hooks:
            for hook in list(self._forward_pre_hooks.values()):
                r = hook(self, inputs)
                if r is not None:
                    inputs = r if isinstance(r, tuple) else (r,)
        out = self.forward(*inputs, **kwargs)
        if self._forward_post_hooks:
            for hook in list(self._forward_post_hooks.values()):
                r = hook(self, inputs, out)
                if r is not None:
                    out = r
        return out

    def forward(self, *inputs, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def register_forward_pre_hook(self, hook):
        self._hook_id += 1
        self._forward_pre_hooks[self._hook_id] = hook
        return HookRemoveHelper(self._forward_pre_hooks, self._hook_id)

    def register_forward_post_hook(self, hook):
        self._hook_id += 1
        self._forward_post_hooks[self._hook_id] = hook
        return HookRemoveHelper(self._forward_post_hooks, self._hook_id)

    # ---- construction ------------------------------------------------------------------------
    def full_name(self) -> str:
        return self._full_name

    def create_parameter(self, shape, attr=None, dtype=None, is_bias=False,
                         default_initializer=None) -> Parameter | None:
        """Create a Parameter named like Paddle (``<full_name>.w_N`` / ``.b_N``) unless
        ``attr`` names it; see NOTE [unique names] in _core/unique_name.py."""
        attr = ParamAttr._to_attr(attr)
        if attr is False:
            return None
        dtype = convert_dtype(dtype if dtype is not None else self._dtype)
        shape = [int(s) for s in shape]
        if any(s < 0 for s in shape):
            raise ValueError(f"create_parameter: shape {shape} has a negative dimension")
        name = attr.name or unique_name.generate(self._full_name + (".b" if is_bias else ".w"))
        initializer = attr.initializer or init.global_initializer(is_bias) or default_initializer
        if initializer is None:
            initializer = init.Constant(0.0) if is_bias else init.XavierUniform()
        t = torch.empty(shape, dtype=to_torch_dtype(dtype))
        p = Parameter(t, name=name, trainable=attr.trainable,
                      optimize_attr={"learning_rate": attr.learning_rate},
                      regularizer=attr.regularizer, need_clip=attr.need_clip)
        if dtype.kind in "fc":
            initializer(p)
        else:
            p._t.zero_()
        return p

    def create_variable(self, name=None, persistable=None, dtype=None):
        t = Tensor(torch.empty(0, dtype=to_torch_dtype(dtype or self._dtype)))
        t.name = name or unique_name.generate(self._full_name + ".var")
        t.persistable = bool(persistable)
        return t

    create_tensor = create_variable

    def add_parameter(self, name: str, parameter):
        if "." in name:
            raise KeyError(f"parameter name {name!r} cannot contain '.'")
        if parameter is not None and not isinstance(parameter, Parameter):
            raise TypeError(f"add_parameter({name!r}): expected a Parameter, got "
                            f"{type(parameter).__name__}")
        self._parameters[name] = parameter
        return parameter

    def add_sublayer(self, name: str, sublayer):
        if sublayer is not None and not isinstance(sublayer, Layer):
            raise TypeError(f"add_sublayer({name!r}): expected a Layer, got "
                            f"{type(sublayer).__name__}")
        self._sub_layers[str(name)] = sublayer
        return sublayer

    def register_buffer(self, name: str, tensor, persistable: bool = True) -> None:
        if "." in name:
            raise KeyError(f"buffer name {name!r} cannot contain '.'")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"register_buffer({name!r}): expected a Tensor, got "
                            f"{type(tensor).__name__}")
        self.__dict__.pop(name, None)
        self._parameters.pop(name, None)
        self._sub_layers.pop(name, None)
        # NOTE [buffer names]: a buffer keeps its tensor's own name; only an unnamed tensor is
        # renamed ``_buffers_<attr>_N`` (FORMATS.md section 2.2).
        if tensor is not None and tensor._name is None:
            tensor._name = unique_name.generate(f"_buffers_{name}")
        if tensor is not None:
            tensor.persistable = persistable
        self._buffers[name] = tensor
        if persistable:
            self._non_persistable_buffer_names_set.discard(name)
        else:
            self._non_persistable_buffer_names_set.add(name)

    # ---- traversal ---------------------------------------------------------------------------
    def named_sublayers(self, prefix="", include_self=False, layers_set=None):
        if layers_set is None:
            layers_set = set()
        if include_self and self not in layers_set:
            layers_set.add(self)
            yield prefix, self
        for key, layer in self._sub_layers.items():
            if layer is None:
                continue
            p = prefix + ("." if prefix else "") + key
            yield from layer.named_sublayers(p, True, layers_set)

    def sublayers(self, include_self=False) -> list:
        return [layer for _, layer in self.named_sublayers(include_self=include_self)]

    def named_children(self):
        seen = set()
        for name, layer in self._sub_layers.items():
            if layer is not None and id(layer) not in seen:
                seen.add(id(layer))
                yield name, layer

    def children(self):
        for _, layer in self.named_children():
            yield layer

    def named_parameters(self, prefix="", include_sublayers=True) -> Iterator:
        seen = set()
        layers = self.named_sublayers(prefix=prefix, include_self=True) if include_sublayers \
            else [(prefix, self)]
        for lp, layer in layers:
            for name, p in layer._parameters.items():
                if p is None or id(p) in seen:
                    continue
                seen.add(id(p))
                yield lp + ("." if lp else "") + name, p

    def parameters(self, include_sublayers=True) -> list:
        return [p for _, p in self.named_parameters(include_sublayers=include_sublayers)]

    def named_buffers(self, prefix="", include_sublayers=True):
        seen = set()
        layers = self.named_sublayers(prefix=prefix, include_self=True) if include_sublayers \
            else [(prefix, self)]
        for lp, layer in layers:
            for name, b in layer._buffers.items():
                if b is None or id(b) in seen:
                    continue
                seen.add(id(b))
                yield lp + ("." if lp else "") + name, b

    def buffers(self, include_sublayers=True) -> list:
        return [b for _, b in self.named_buffers(include_sublayers=include_sublayers)]

    # ---- modes -------------------------------------------------------------------------------
    def train(self):
        for layer in self.sublayers(include_self=True):
            layer.__dict__["training"] = True
        return self

    def eval(self):
        for layer in self.sublayers(include_self=True):
            layer.__dict__["training"] = False
        return self

    def apply(self, fn):
        for layer in self.children():
            layer.apply(fn)
        fn(self)
        return self

    def clear_gradients(self, set_to_zero=True):
        for p in self.parameters():
            if p.trainable:
                p.clear_grad(set_to_zero)

    def to(self, device=None, dtype=None, blocking=None):
        dev = to_torch_device(device) if device is not None else None
        td = to_torch_dtype(dtype) if dtype is not None else None
        for t in list(self.parameters()) + list(self.buffers()):
            new = t._t
            if dev is not None:
                new = new.to(dev)
            if td is not None and new.is_floating_point():
                new = new.to(td)
            if new is not t._t:
                rg = t._t.requires_grad
                t._t = new.detach().requires_grad_(rg) if t.is_leaf else new
        if dtype is not None:
            for layer in self.sublayers(include_self=True):
                layer.__dict__["_dtype"] = convert_dtype(dtype).name
        return self

    def astype(self, dtype):
        return self.to(dtype=dtype)

    def float(self):
        return self.to(dtype="float32")

    def double(self):
        return self.to(dtype="float64")

    def half(self):
        return self.to(dtype="float16")

    def bfloat16(self):
        return self.to(dtype="bfloat16")

    # ---- state dicts -------------------------------------------------------------------------
    def _state_items(self, prefix, include_sublayers):
        for name, p in self._parameters.items():
            if p is not None:
                yield prefix + name, p
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistable_buffer_names_set:
                yield prefix + name, b
        if include_sublayers:
            for lname, layer in self._sub_layers.items():
                if layer is not None:
                    yield from layer._state_items(prefix + lname + ".", True)

    def state_dict(self, destination=None, include_sublayers=True, structured_name_prefix="",
                   use_hook=True, keep_vars=True):
        """Structured name -> live Parameter/Tensor (FORMATS.md section 2.3)."""
        out = destination if destination is not None else collections.OrderedDict()
        for k, v in self._state_items(structured_name_prefix, include_sublayers):
            out[k] = v
        return out

    def set_state_dict(self, state_dict, use_structured_name: bool = True):
        """Load ``state_dict`` (Tensors or ndarrays) into this layer's parameters and buffers.

        Returns ``(missing_keys, unexpected_keys)`` with Paddle's rules (FORMATS.md 2.4): a missing
        key or a shape mismatch warns and skips; a dtype mismatch raises.
        """
        own = self.state_dict()
        missing, matched = [], set()
        for key, target in own.items():
            lookup = key if use_structured_name else target.name
            if lookup not in state_dict:
                missing.append(key)
                warnings.warn(f"Skip loading for {key}. {lookup} is not found in the provided "
                              "dict.", stacklevel=2)
                continue
            value = state_dict[lookup]
            arr = value._t if isinstance(value, Tensor) else value
            shape = list(arr.shape) if hasattr(arr, "shape") else list(np.shape(arr))
            if shape != target.shape:
                missing.append(key)
                warnings.warn(f"Skip loading for {key}. {key} receives a shape {shape}, but "
                              f"the expected shape is {target.shape}.", stacklevel=2)
                continue
            _assign(target, value, key)
            matched.add(lookup)
        unexpected = [k for k in state_dict if k not in matched]
        return missing, unexpected

    set_dict = set_state_dict
    load_dict = set_state_dict

    # ---- printing ----------------------------------------------------------------------------
    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        lines = []
        for name, layer in self._sub_layers.items():
            if layer is None:
                continue
            sub = repr(layer).replace("\n", "\n  ")
            lines.append(f"({name}): {sub}")
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not lines:
            return head + ")"
        return head + "\n  " + "\n  ".join(lines) + "\n)"


def _assign(target: Tensor, value, key: str) -> None:

    if isinstance(value, Tensor):
        src = value._t
    else:
        arr = np.asarray(value)
        if arr.dtype == np.uint16 and target._t.dtype == torch.bfloat16:
            src = numpy_to_torch(arr)
        else:
            src = torch.from_numpy(np.ascontiguousarray(arr))
    if src.dtype != target._t.dtype:
        raise TypeError(
            f"set_state_dict: {key} has dtype {str(src.dtype).replace('torch.', '')} in the "
            f"provided dict but the layer's tensor is {target.dtype.name}; cast it first "
            "(Paddle refuses this too)"
        )
    with torch.no_grad():
        target._t.copy_(src)
