"""``paddle.flops``: FLOPs of a network, counted per leaf layer by forward post-hooks with
Paddle's counting rules (``paddle.hapi.dynamic_flops``), printed as Paddle prints them.

NOTE [flops type names]: Paddle prints ``<class 'paddle.nn.layer.common.Linear'>'s flops has been
counted``; our classes live in ``paddlefish.nn.layer.*`` and ``Linear``/``Identity`` in
``linear`` rather than ``common``, so the printed name is Paddle's spelling of the class.
Counts live, as in Paddle, in ``total_ops``/``total_params`` buffers registered on each leaf layer
for the duration of the call, so ``custom_ops`` functions written for Paddle
(``m.total_ops += n``) work unchanged.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..eager.autograd import no_grad
from ..ir import Program
from ..nn import (
    AdaptiveAvgPool1D,
    AdaptiveAvgPool2D,
    AdaptiveAvgPool3D,
    AvgPool1D,
    AvgPool2D,
    AvgPool3D,
    BatchNorm,
    BatchNorm2D,
    Conv1D,
    Conv1DTranspose,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    Conv3DTranspose,
    Dropout,
    Layer,
    LeakyReLU,
    Linear,
    ReLU,
    ReLU6,
)
from ..tensor import randn, to_tensor, zeros

__all__ = ["Table", "dynamic_flops", "flops"]

_PADDLE_MODULE = {"paddlefish.nn.layer.linear": "paddle.nn.layer.common"}


def paddle_type_repr(cls: type) -> str:
    """``str(cls)`` as Paddle would print it (see NOTE [flops type names])."""
    module = cls.__module__
    if module in _PADDLE_MODULE:
        module = _PADDLE_MODULE[module]
    elif module == "paddlefish" or module.startswith("paddlefish."):
        module = "paddle" + module[len("paddlefish"):]
    return f"<class '{module}.{cls.__qualname__}'>"


def count_convNd(m, x, y):
    x = x[0]
    kernel_ops = np.prod(m.weight.shape[2:])
    bias_ops = 1 if m.bias is not None else 0
    total_ops = int(y.numel()) * (x.shape[1] / m._groups * kernel_ops + bias_ops)
    m.total_ops += abs(int(total_ops))


def count_leaky_relu(m, x, y):
    m.total_ops += int(x[0].numel())


def count_bn(m, x, y):
    m.total_ops += abs(int(2 * x[0].numel()))  # flops() runs the network in eval mode


def count_linear(m, x, y):
    m.total_ops += abs(int(m.weight.shape[0] * y.numel()))


def count_avgpool(m, x, y):
    m.total_ops += int(y.numel())


def count_adap_avgpool(m, x, y):
    kernel = np.array(x[0].shape[2:]) // np.array(y.shape[2:])
    m.total_ops += abs(int((np.prod(kernel) + 1) * y.numel()))


def count_zero_ops(m, x, y):
    m.total_ops += 0


def count_parameters(m, x, y):
    m.total_params[0] = abs(int(sum(p.numel() for p in m.parameters())))


def count_io_info(m, x, y):
    m.register_buffer("input_shape", to_tensor(list(x[0].shape)))
    out = y[0] if isinstance(y, (list, tuple)) else y
    m.register_buffer("output_shape", to_tensor(list(out.shape)))


register_hooks = {
    Conv1D: count_convNd,
    Conv2D: count_convNd,
    Conv3D: count_convNd,
    Conv1DTranspose: count_convNd,
    Conv2DTranspose: count_convNd,
    Conv3DTranspose: count_convNd,
    BatchNorm2D: count_bn,
    BatchNorm: count_bn,
    ReLU: count_zero_ops,
    ReLU6: count_zero_ops,
    LeakyReLU: count_leaky_relu,
    Linear: count_linear,
    Dropout: count_zero_ops,
    AvgPool1D: count_avgpool,
    AvgPool2D: count_avgpool,
    AvgPool3D: count_avgpool,
    AdaptiveAvgPool1D: count_adap_avgpool,
    AdaptiveAvgPool2D: count_adap_avgpool,
    AdaptiveAvgPool3D: count_adap_avgpool,
}


class Table:
    """Paddle's ``+----+`` text table."""

    def __init__(self, table_heads: list) -> None:
        self.table_heads = table_heads
        self.table_len = [len(h) for h in table_heads]
        self.data: list = []
        self.col_num = len(table_heads)

    def add_row(self, row: list) -> None:
        if len(row) != self.col_num:
            raise ValueError(f"row has {len(row)} cells, the table has {self.col_num} columns")
        for i in range(self.col_num):
            self.table_len[i] = max(self.table_len[i], len(str(row[i])))
        self.data.append(row)

    def print_row(self, row) -> None:
        print("".join("|" + str(row[i]).center(self.table_len[i] + 2)
                      for i in range(self.col_num)) + "|")  # fmt: skip

    def print_shelf(self) -> None:
        print("".join("+" + "-" * (n + 2) for n in self.table_len) + "+")

    def print_table(self) -> None:
        self.print_shelf()
        self.print_row(self.table_heads)
        self.print_shelf()
        for row in self.data:
            self.print_row(row)
        self.print_shelf()


def flops(net, input_size, custom_ops=None, print_detail: bool = False) -> int:
    """Count the network's FLOPs on a random input of ``input_size`` (batch 1), print the
    total (and with ``print_detail`` a per-layer table) and return it, as ``paddle.flops``.
    ``custom_ops``: ``{LayerClass: fn(layer, inputs, output)}`` for layers Paddle does not count;
    ``fn`` adds to ``layer.total_ops`` as in Paddle.

    >>> import paddlefish as paddle
    >>> from paddlefish.hapi import flops
    >>> net = paddle.nn.Sequential(paddle.nn.Linear(4, 8), paddle.nn.ReLU())
    >>> flops(net, [1, 4])  # doctest: +ELLIPSIS
    <class 'paddle.nn.layer.common.Linear'>'s flops has been counted
    ...
    Total Flops: 32     Total Params: 40
    32
    """
    if isinstance(net, Layer):
        return dynamic_flops(net, randn(input_size), custom_ops, print_detail)
    if isinstance(net, Program):
        raise NotImplementedError(
            "paddle.flops of a static Program is not implemented in paddlefish; pass the "
            "nn.Layer instead (paddle.flops(layer, input_size))."
        )
    warnings.warn("Your model must be an instance of paddle.nn.Layer or paddle.static.Program.")
    return -1


def _is_leaf(m: Layer) -> bool:
    return not list(m.children())


def _count_fn(m_type: type, custom_ops: dict, seen: set):
    fn = custom_ops.get(m_type) or register_hooks.get(m_type)
    if m_type not in seen:
        if m_type in custom_ops:
            print(f"Customize Function has been applied to {paddle_type_repr(m_type)}")
        elif fn is not None:
            print(f"{paddle_type_repr(m_type)}'s flops has been counted")
        else:
            print(
                f"Cannot find suitable count function for {paddle_type_repr(m_type)}. Treat it "
                "as zero FLOPs."
            )
    return fn


_BUFFERS = ("total_ops", "total_params", "input_shape", "output_shape")


def _counted(m: Layer) -> bool:
    return _is_leaf(m) and set(_BUFFERS).issubset(m._buffers)


def dynamic_flops(model: Layer, inputs, custom_ops=None, print_detail: bool = False) -> int:
    custom_ops = custom_ops or {}
    seen: set = set()
    handles = []

    def add_hooks(m: Layer) -> None:
        if not _is_leaf(m):
            return
        m.register_buffer("total_ops", zeros([1], dtype="int64"))
        m.register_buffer("total_params", zeros([1], dtype="int64"))
        fn = _count_fn(type(m), custom_ops, seen)
        if fn is not None:
            handles.append(m.register_forward_post_hook(fn))
        handles.append(m.register_forward_post_hook(count_parameters))
        handles.append(m.register_forward_post_hook(count_io_info))
        seen.add(type(m))

    training = model.training
    model.eval()
    model.apply(add_hooks)
    try:
        with no_grad():
            model(inputs)
        total_ops = total_params = 0
        for m in model.sublayers():
            if _counted(m):
                total_ops += int(m.total_ops.numpy().sum())
                total_params += int(m.total_params.numpy().sum())
    finally:
        if training:
            model.train()
        for h in handles:
            h.remove()
    table = Table(["Layer Name", "Input Shape", "Output Shape", "Params", "Flops"])
    for _, m in model.named_sublayers():
        if _counted(m):
            table.add_row([m.full_name(), m.input_shape.numpy().tolist(),
                           m.output_shape.numpy().tolist(), int(m.total_params.numpy().sum()),
                           int(m.total_ops.numpy().sum())])  # fmt: skip
    for m in model.sublayers(include_self=True):
        for name in _BUFFERS:
            m._buffers.pop(name, None)
    if print_detail:
        table.print_table()
    print(f"Total Flops: {int(total_ops)}     Total Params: {int(total_params)}")
    return int(total_ops)
