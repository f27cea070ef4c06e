"""Models and helpers shared by tests/jit/test_save_semantics.py and the real-Paddle oracle.

Written against ``import paddle``; the paddlefish side runs it with the import swapped (see
``as_paddlefish`` in the test). ``export(root)`` saves every model and the eager outputs on fixed
inputs; ``inspect(root, load_info)`` loads every model back (jit.load, paddle.load(prefix)) and
reports what it sees as JSON-able data, so either framework can inspect either one's files.
"""

import json
import os

import numpy as np
import paddle
from paddle.static import InputSpec


class Called(paddle.nn.Layer):  # @to_static forward without input_spec, called once
    def __init__(self):
        super().__init__()
        self.fc = paddle.nn.Linear(4, 3)

    @paddle.jit.to_static(full_graph=True)
    def forward(self, x):
        return self.fc(x)


class WithLabel(paddle.nn.Layer):  # saved with an input_spec for x only
    def __init__(self):
        super().__init__()
        self.fc = paddle.nn.Linear(4, 3)

    def forward(self, x, label=None):
        y = self.fc(x)
        if label is not None:
            return y + label
        return y


class Methods(paddle.nn.Layer):  # two @to_static methods
    def __init__(self):
        super().__init__()
        self.fc = paddle.nn.Linear(4, 3)
        self.fc2 = paddle.nn.Linear(4, 2)

    @paddle.jit.to_static(input_spec=[InputSpec([None, 4], "float32", "x")], full_graph=True)
    def forward(self, x):
        return self.fc(x)

    @paddle.jit.to_static(input_spec=[InputSpec([None, 4], "float32", "x")], full_graph=True)
    def infer(self, x):
        return self.fc2(x) * 2.0


class Nested(paddle.nn.Layer):  # list and dict arguments, unnamed specs
    def __init__(self):
        super().__init__()
        self.fc = paddle.nn.Linear(3, 3)

    def forward(self, xs, d, y):
        return self.fc(xs[0]) + xs[1] * d["b"] + d["a"] - y


class NoParams(paddle.nn.Layer):
    def forward(self, x):
        return paddle.nn.functional.relu(x) * 2.0


def no_params_fn(x):
    return x * 3.0 + 1.0


class TensorAttr(paddle.nn.Layer):  # a plain tensor attribute used by forward
    def __init__(self):
        super().__init__()
        self.fc = paddle.nn.Linear(3, 3)
        self.scale = paddle.to_tensor(np.array([1.5, 2.0, 3.0], "float32"))

    def forward(self, x):
        return self.fc(x) * self.scale


def _x(*shape):
    return np.linspace(-1, 1, int(np.prod(shape)), dtype="float32").reshape(shape)


# name -> (inputs as nested numpy, jit.save input_spec or None)
CASES = {
    "called": ([_x(2, 4)], None),
    "with_label": ([_x(3, 4)], [InputSpec([None, 4], "float32", "x")]),
    "methods": ([_x(3, 4)], None),
    "nested": ([[_x(2, 3), _x(2, 3) + 1], {"b": _x(2, 3) + 2, "a": _x(2, 3) + 3}, _x(2, 3) - 1],
               [[InputSpec([None, 3]), InputSpec([None, 3])],
                {"b": InputSpec([None, 3]), "a": InputSpec([None, 3])}, InputSpec([None, 3])]),
    "no_params": ([_x(2, 3)], [InputSpec([None, 3], "float32", "x")]),
    "no_params_fn": ([_x(2, 3)], [InputSpec([None, 3], "float32", "x")]),
    "tensor_attr": ([_x(2, 3)], [InputSpec([None, 3], "float32", "x")]),
}
BUILD = {"called": Called, "with_label": WithLabel, "methods": Methods, "nested": Nested,
         "no_params": NoParams, "no_params_fn": lambda: no_params_fn, "tensor_attr": TensorAttr}


def _tensors(nest):
    if isinstance(nest, list):
        return [_tensors(v) for v in nest]
    if isinstance(nest, dict):
        return {k: _tensors(v) for k, v in nest.items()}
    return paddle.to_tensor(nest)


def _flat(nest):
    if isinstance(nest, list):
        return [x for v in nest for x in _flat(v)]
    if isinstance(nest, dict):
        return [x for k in sorted(nest) for x in _flat(nest[k])]
    return [nest]


def export(root, names):
    with paddle.utils.unique_name.guard():  # keeps paddle.load(prefix) in this process sane
        _export(root, names)


def _export(root, names):
    expected = {}
    for name in names:
        inputs, spec = CASES[name]
        model = BUILD[name]()
        out = model(*_tensors(inputs))
        expected[name] = out.numpy()
        if name == "methods":
            expected[name + ".infer"] = model.infer(*_tensors(inputs)).numpy()
        paddle.jit.save(model, os.path.join(root, name, "m"), input_spec=spec)
    np.savez(os.path.join(root, "expected.npz"), **expected)


def _specs(specs):
    return [[s.name, list(s.shape), str(s.dtype).replace("paddle.", "")] for s in specs]


def inspect(root, names, load_info):
    report = {}
    for name in names:
        prefix = os.path.join(root, name, "m")
        inputs = [paddle.to_tensor(x) for x in _flat(CASES[name][0])]
        rep = report[name] = {"files": sorted(os.listdir(os.path.dirname(prefix)))}
        try:
            with paddle.utils.unique_name.guard():  # Paddle renames by process history
                state = paddle.load(prefix)
            rep["paddle_load"] = {k: np.asarray(v).tolist() for k, v in sorted(state.items())}
        except KeyError as e:  # Paddle 2.6 cannot paddle.load a prefix saved with methods
            rep["paddle_load"] = f"KeyError {e}"
        info = prefix + ".pdiparams.info"
        if os.path.exists(info):
            rep["info"] = sorted([v.get("structured_name"), v["stop_gradient"], v.get("trainable")]
                                 for v in load_info(info).values())
        with paddle.utils.unique_name.guard():
            layer = paddle.jit.load(prefix)
        rep["input_spec"] = _specs(layer._input_spec())
        rep["output_spec"] = _specs(layer._output_spec())
        rep["out"] = layer(*inputs).numpy().tolist()
        if name == "methods":
            rep["infer"] = layer.infer(*inputs).numpy().tolist()
            rep["infer_input_spec"] = _specs(layer._input_spec("infer"))
    return json.loads(json.dumps(report))
