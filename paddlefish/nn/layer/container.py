"""Containers: Sequential, LayerList, LayerDict, ParameterList."""

from __future__ import annotations

import collections

from ...eager.tensor import Parameter
from .layers import Layer


class Sequential(Layer):
    """Run sublayers in order; children are named ``0``, ``1``, ... (or by the given names)."""

    def __init__(self, *layers):
        super().__init__()
        if len(layers) == 1 and isinstance(layers[0], (list, tuple, dict, collections.OrderedDict)):
            items = layers[0].items() if isinstance(layers[0], dict) else layers[0]
            if isinstance(layers[0], dict):
                for name, layer in items:
                    self.add_sublayer(name, layer)
                return
            layers = tuple(items)
        for i, layer in enumerate(layers):
            if isinstance(layer, (list, tuple)) and len(layer) == 2 and isinstance(layer[0], str):
                self.add_sublayer(layer[0], layer[1])
            else:
                self.add_sublayer(str(i), layer)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return Sequential(*list(self._sub_layers.values())[idx])
        if isinstance(idx, str):
            return self._sub_layers[idx]
        n = len(self._sub_layers)
        if not -n <= idx < n:
            raise IndexError(f"index {idx} out of range for Sequential of {n} layers")
        return list(self._sub_layers.values())[idx]

    def __setitem__(self, idx, layer):
        key = list(self._sub_layers)[idx]
        self._sub_layers[key] = layer

    def __delitem__(self, idx):
        del self._sub_layers[list(self._sub_layers)[idx]]

    def __len__(self):
        return len(self._sub_layers)

    def __iter__(self):
        return iter(self._sub_layers.values())

    def forward(self, input):
        for layer in self._sub_layers.values():
            input = layer(input)
        return input


class LayerList(Layer):
    def __init__(self, sublayers=None):
        super().__init__()
        for i, layer in enumerate(sublayers or []):
            self.add_sublayer(str(i), layer)

    def _key(self, idx):
        n = len(self._sub_layers)
        if not -n <= idx < n:
            raise IndexError(f"index {idx} out of range for LayerList of {n} layers")
        return list(self._sub_layers)[idx]

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return LayerList(list(self._sub_layers.values())[idx])
        return self._sub_layers[self._key(idx)]

    def __setitem__(self, idx, layer):
        self._sub_layers[self._key(idx)] = layer

    def __delitem__(self, idx):
        del self._sub_layers[self._key(idx)]
        layers = list(self._sub_layers.values())
        self._sub_layers.clear()
        for i, layer in enumerate(layers):
            self._sub_layers[str(i)] = layer

    def __len__(self):
        return len(self._sub_layers)

    def __iter__(self):
        return iter(self._sub_layers.values())

    def append(self, sublayer):
        self.add_sublayer(str(len(self)), sublayer)
        return self

    def insert(self, index, sublayer):
        layers = list(self._sub_layers.values())
        layers.insert(index, sublayer)
        self._sub_layers.clear()
        for i, layer in enumerate(layers):
            self._sub_layers[str(i)] = layer

    def extend(self, sublayers):
        for layer in sublayers:
            self.append(layer)
        return self


class LayerDict(Layer):
    def __init__(self, sublayers=None):
        super().__init__()
        if sublayers is not None:
            self.update(sublayers)

    def __getitem__(self, key):
        return self._sub_layers[key]

    def __setitem__(self, key, layer):
        self.add_sublayer(key, layer)

    def __delitem__(self, key):
        del self._sub_layers[key]

    def __len__(self):
        return len(self._sub_layers)

    def __iter__(self):
        return iter(self._sub_layers)

    def __contains__(self, key):
        return key in self._sub_layers

    def clear(self):
        self._sub_layers.clear()

    def pop(self, key):
        return self._sub_layers.pop(key)

    def keys(self):
        return self._sub_layers.keys()

    def items(self):
        return self._sub_layers.items()

    def values(self):
        return self._sub_layers.values()

    def update(self, sublayers):
        items = sublayers.items() if isinstance(sublayers, dict) else sublayers
        for k, v in items:
            self.add_sublayer(k, v)


class ParameterList(Layer):
    def __init__(self, parameters=None):
        super().__init__()
        for i, p in enumerate(parameters or []):
            self.add_parameter(str(i), p)

    def __getitem__(self, idx):
        return list(self._parameters.values())[idx]

    def __setitem__(self, idx, param):
        if not isinstance(param, Parameter):
            raise TypeError("ParameterList items must be Parameters")
        self._parameters[str(idx)] = param

    def __len__(self):
        return len(self._parameters)

    def __iter__(self):
        return iter(self._parameters.values())

    def append(self, parameter):
        self.add_parameter(str(len(self)), parameter)
        return self

__all__ = [
    "LayerDict",
    "LayerList",
    "ParameterList",
    "Sequential",
]
