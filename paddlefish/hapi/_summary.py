"""``paddle.summary``: Paddle's layer table (``Layer (type)  Input Shape  Output Shape  Param #``)
built by running the network once on random input with forward post-hooks."""

from __future__ import annotations

import numbers
import warnings
from collections import OrderedDict

import numpy as np

from ..eager.autograd import no_grad
from ..eager.tensor import Tensor
from ..ir import InputSpec
from ..nn import LayerList, Sequential
from ..static._mode import in_dynamic_mode
from ..tensor import cast, rand

__all__ = ["summary", "summary_string"]


def _sizes_from_input(input) -> object:
    if isinstance(input, Tensor):
        return tuple(input.shape)
    if isinstance(input, (list, tuple)):
        return [tuple(x.shape) for x in input]
    if isinstance(input, dict):
        return [tuple(v.shape) for v in input.values()]
    raise ValueError(
        "Input is not tensor, list, tuple and dict, unable to determine input_size, please "
        "input input_size."
    )


def _normalize_sizes(input_size):
    if isinstance(input_size, InputSpec):
        return tuple(input_size.shape)
    if isinstance(input_size, list):
        out = []
        for item in input_size:
            if isinstance(item, int):
                item = (item,)
            if not isinstance(item, (tuple, InputSpec)):
                raise AssertionError(
                    "When input_size is list, expect item in input_size is a tuple or "
                    f"InputSpec, but got {type(item)}"
                )
            out.append(tuple(item.shape) if isinstance(item, InputSpec) else item)
        return out
    if isinstance(input_size, int):
        return (input_size,)
    return input_size


def _is_shape(shape) -> bool:
    return not any(isinstance(item, (list, tuple)) for item in shape)


def _check_shape(shape) -> tuple:
    num_unknown = 0
    out = []
    for item in shape:
        if item is None or item == -1:
            num_unknown += 1
            if num_unknown > 1:
                raise ValueError("Option input_size only the dim of batch_size can be None or -1.")
            item = 1
        elif isinstance(item, numbers.Number) and item <= 0:
            raise ValueError(f"Expected element in input size greater than zero, but got {item}")
        out.append(item)
    return tuple(out)


def _check_input(input_size):
    if isinstance(input_size, (list, tuple)) and _is_shape(input_size):
        return _check_shape(input_size)
    return [_check_input(i) for i in input_size]


def summary(net, input_size=None, dtypes=None, input=None) -> dict:
    """Print a table of the network's layers (input/output shapes, parameter counts) and
    return ``{'total_params': n, 'trainable_params': m}``, exactly as ``paddle.summary``.

    ``input_size``: a shape tuple (batch dim may be None/-1), an ``InputSpec``, or a list of
    them for several inputs; or give ``input`` (Tensors) instead. ``dtypes`` default float32.

    >>> import paddlefish as paddle
    >>> from paddlefish.hapi import summary
    >>> net = paddle.nn.Sequential(paddle.nn.Linear(4, 8), paddle.nn.ReLU(), paddle.nn.Linear(8, 2))
    >>> info = summary(net, (1, 4))  # doctest: +ELLIPSIS
    -----...
    >>> {k: int(v) for k, v in info.items()}
    {'total_params': 58, 'trainable_params': 58}
    """
    if input_size is None and input is None:
        raise ValueError("input_size and input cannot be None at the same time")
    if input_size is None:
        input_size = _sizes_from_input(input)
    sizes = _normalize_sizes(input_size)
    if not in_dynamic_mode():
        warnings.warn(
            "Your model was created in static graph mode, this may not get correct summary "
            "information!"
        )
        in_train_mode = False
    else:
        in_train_mode = net.training
    if in_train_mode:
        net.eval()
    result, params_info = summary_string(net, _check_input(sizes), dtypes, input)
    print(result)
    if in_train_mode:
        net.train()
    return params_info


def _all_numbers(items) -> bool:
    return all(isinstance(i, numbers.Number) for i in items)


def _build_dtypes(input_size, dtype):
    dtype = "float32" if dtype is None else dtype
    if isinstance(input_size, (list, tuple)) and _all_numbers(input_size):
        return [dtype]
    return [_build_dtypes(i, dtype) for i in input_size]


def _shape_of(x):
    if isinstance(x, Tensor) or hasattr(x, "shape") and not isinstance(x, (list, tuple)):
        return list(x.shape)
    if isinstance(x, (list, tuple)):
        return [_shape_of(xx) for xx in x]
    return None


def _output_shape(output):
    if isinstance(output, (list, tuple)):
        return [_output_shape(o) for o in output]
    if hasattr(output, "shape"):
        return list(output.shape)
    return []


def _layer_entry(layer, inputs, output, index_fallback: int) -> tuple[str, dict]:
    class_name = type(layer).__name__
    try:
        layer_idx = int(layer._full_name.split("_")[-1])
    except (AttributeError, ValueError):
        layer_idx = index_fallback
    entry: dict = OrderedDict()
    entry["input_shape"] = _shape_of(inputs)
    entry["output_shape"] = _output_shape(output)
    params = 0
    entry["trainable_params"] = 0
    trainable_flag = False
    for k, v in layer._parameters.items():
        if v is None:
            continue
        params += np.prod(v.shape)
        if v.trainable and not v.stop_gradient:
            entry["trainable_params"] += np.prod(v.shape)
            entry["trainable"] = True
            trainable_flag = True
        elif not trainable_flag:
            entry["trainable"] = False
    entry["nb_params"] = params
    return "%s-%i" % (class_name, layer_idx + 1), entry


def _build_input(input_size, dtypes):
    if isinstance(input_size, (list, tuple)) and _all_numbers(input_size):
        dtype = dtypes[0] if isinstance(dtypes, (list, tuple)) else dtypes
        return cast(rand(list(input_size)), dtype)
    return [_build_input(i, d) for i, d in zip(input_size, dtypes)]


def _widths(table: dict) -> dict:
    w = {"layer_width": 15, "input_shape_width": 20, "output_shape_width": 20,
         "params_width": 15, "table_width": 75}  # fmt: skip
    for name, e in table.items():
        w["output_shape_width"] = max(w["output_shape_width"], len(str(e["output_shape"])))
        w["input_shape_width"] = max(w["input_shape_width"], len(str(e["input_shape"])))
        w["layer_width"] = max(w["layer_width"], len(str(name)))
        w["params_width"] = max(w["params_width"], len(str(e["nb_params"])))
    total = sum(v for k, v in w.items() if k != "table_width")
    w["table_width"] = max(w["table_width"], total + 5)
    return w


def _row(cells, w) -> str:
    return "{:^{}} {:^{}} {:^{}} {:^{}}".format(
        cells[0], w["layer_width"], cells[1], w["input_shape_width"],
        cells[2], w["output_shape_width"], cells[3], w["params_width"],
    )  # fmt: skip


def _input_mb(input_size) -> float:
    if isinstance(input_size, (list, tuple)) and _all_numbers(input_size):
        return abs(np.prod(input_size) * 4.0 / (1024**2.0))
    return sum(_input_mb(i) for i in input_size)


def _collect(model, input_size, dtypes, input) -> dict:
    table: dict = OrderedDict()
    hooks = []
    depth = len(list(model.sublayers()))

    def hook(layer, inputs, output):
        name, entry = _layer_entry(layer, inputs, output, len(table))
        table[name] = entry

    def register(layer):
        if (
            not isinstance(layer, (Sequential, LayerList))
            and (layer is not model or depth < 1)
        ) or getattr(layer, "could_use_cudnn", False):
            hooks.append(layer.register_forward_post_hook(hook))

    model.apply(register)
    try:
        if input is not None:
            model(input)
        else:
            model(*_build_input(input_size, dtypes))
    finally:
        for h in hooks:
            h.remove()
    return table


@no_grad()
def summary_string(model, input_size=None, dtypes=None, input=None) -> tuple[str, dict]:
    """The text ``summary`` prints, and its totals."""
    if not isinstance(dtypes, (list, tuple)):
        dtypes = _build_dtypes(input_size, dtypes)
    if isinstance(input_size, tuple):
        input_size = [input_size]
    table = _collect(model, input_size, dtypes, input)
    w = _widths(table)
    lines = ["-" * w["table_width"], _row(["Layer (type)", "Input Shape", "Output Shape",
                                          "Param #"], w), "=" * w["table_width"]]  # fmt: skip
    total_params = total_output = trainable_params = 0
    for name, e in table.items():
        lines.append(_row([name, str(e["input_shape"]), str(e["output_shape"]),
                           "{:,}".format(e["nb_params"])], w))  # fmt: skip
        total_params += e["nb_params"]
        try:
            total_output += np.sum(np.prod(e["output_shape"], axis=-1))
        except ValueError:  # ragged: several outputs of different ranks
            for shape in e["output_shape"]:
                total_output += np.sum(np.prod(shape, axis=-1))
        if e.get("trainable"):
            trainable_params += e["trainable_params"]
    total_input = _input_mb(input_size)
    total_output_mb = abs(2.0 * total_output * 4.0 / (1024**2.0))  # x2 for gradients
    total_params_mb = abs(total_params * 4.0 / (1024**2.0))
    total_mb = total_params_mb + total_output_mb + total_input
    lines += [
        "=" * w["table_width"],
        f"Total params: {total_params:,}",
        f"Trainable params: {trainable_params:,}",
        f"Non-trainable params: {total_params - trainable_params:,}",
        "-" * w["table_width"],
        "Input size (MB): %0.2f" % total_input,
        "Forward/backward pass size (MB): %0.2f" % total_output_mb,
        "Params size (MB): %0.2f" % total_params_mb,
        "Estimated Total Size (MB): %0.2f" % total_mb,
        "-" * w["table_width"],
    ]
    return "\n".join(lines) + "\n", {
        "total_params": total_params,
        "trainable_params": trainable_params,
    }
