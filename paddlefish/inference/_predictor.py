"""``create_predictor``, ``Predictor``, its input/output ``Tensor`` handles and ``PredictorPool``."""

from __future__ import annotations

import numpy as np
import torch

from ..eager._dtype import numpy_to_torch
from ..eager.tensor import Tensor as _EagerTensor
from ..eager.tensor import wrap
from ._config import Config, DataType, PlaceType
from ._engine import Engine
from ._memory import keep_freed_memory
from ._model import load_model

__all__ = ["Predictor", "PredictorPool", "Tensor", "create_predictor"]

_TO_DATATYPE = {
    "float32": DataType.FLOAT32,
    "int64": DataType.INT64,
    "int32": DataType.INT32,
    "uint8": DataType.UINT8,
    "int8": DataType.INT8,
    "float16": DataType.FLOAT16,
    "bool": DataType.BOOL,
    "float64": DataType.FLOAT64,
    "bfloat16": DataType.BFLOAT16,
}
_TORCH_NAME = {
    v: k
    for k, v in {
        "float32": torch.float32,
        "int64": torch.int64,
        "int32": torch.int32,
        "uint8": torch.uint8,
        "int8": torch.int8,
        "float16": torch.float16,
        "bool": torch.bool,
        "float64": torch.float64,
        "bfloat16": torch.bfloat16,
    }.items()
}


class Tensor:
    """A predictor's input or output handle (``paddle.inference.Tensor``)."""

    def __init__(self, name: str, is_input: bool, dtype_name: str | None):
        self._name, self._is_input = name, is_input
        self._dtype_name = dtype_name or "float32"
        self._shape: list[int] | None = None
        self._value: torch.Tensor | None = None

    def name(self) -> str:
        return self._name

    def reshape(self, shape) -> None:
        if not self._is_input:
            raise ValueError(f"output tensor {self._name!r}: reshape applies to input handles")
        self._shape = [int(d) for d in shape]

    def copy_from_cpu(self, data) -> None:
        if not self._is_input:
            raise ValueError(f"output tensor {self._name!r}: copy_from_cpu applies to inputs")
        arr = np.asarray(data)
        if (
            self._shape is not None
            and int(np.prod(self._shape)) == arr.size
            and list(arr.shape) != self._shape
        ):
            arr = arr.reshape(self._shape)
        self._value = numpy_to_torch(np.array(arr, copy=True))
        self._shape = list(arr.shape)

    def copy_to_cpu(self) -> np.ndarray:
        if self._value is None:
            raise ValueError(
                f"tensor {self._name!r} holds no data yet: "
                + ("copy_from_cpu first" if self._is_input else "call run() first")
            )
        v = self._value
        if v.dtype == torch.bfloat16:
            return v.view(torch.int16).numpy().view(np.uint16).copy()
        return v.numpy().copy()

    def shape(self) -> list[int]:
        if self._value is not None:
            return list(self._value.shape)
        return list(self._shape or [])

    def type(self) -> DataType:
        name = _TORCH_NAME[self._value.dtype] if self._value is not None else self._dtype_name
        return _TO_DATATYPE[name]

    def place(self) -> PlaceType:
        return PlaceType.CPU

    def lod(self) -> list:
        return []

    def set_lod(self, lod) -> None:
        if lod and any(len(level) > 0 for level in lod):
            raise NotImplementedError(
                f"tensor {self._name!r}: LoD inputs are not supported by "
                "the paddlefish predictor; pass padded dense tensors"
            )


class Predictor:
    """Runs a saved inference program (``paddle.inference.Predictor``).

    >>> import os, tempfile, numpy as np, paddlefish as paddle
    >>> from paddlefish import inference
    >>> p = os.path.join(tempfile.mkdtemp(), "lin")
    >>> paddle.jit.save(paddle.nn.Linear(4, 3), p,
    ...                 input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
    >>> pred = inference.create_predictor(inference.Config(p + ".pdmodel", p + ".pdiparams"))
    >>> h = pred.get_input_handle(pred.get_input_names()[0])
    >>> h.reshape([2, 4]); h.copy_from_cpu(np.ones([2, 4], "float32")); pred.run()
    True
    >>> pred.get_output_handle(pred.get_output_names()[0]).copy_to_cpu().shape
    (2, 3)
    """

    def __init__(self, engine: Engine):
        self._engine = engine
        specs = engine.specs
        self._inputs = {
            n: Tensor(
                n,
                True,
                specs[n].dtype.name
                if specs[n] is not None and specs[n].dtype is not None
                else None,
            )
            for n in engine.feeds
        }
        block = engine.program.global_block()
        self._outputs = {}
        for n in engine.fetches:
            var = block.find_var(n)
            self._outputs[n] = Tensor(
                n, False, var.dtype.name if var is not None and var.dtype is not None else None
            )

    def get_input_names(self) -> list[str]:
        return list(self._inputs)

    def get_output_names(self) -> list[str]:
        return list(self._outputs)

    def get_input_handle(self, name: str) -> Tensor:
        return self._handle(self._inputs, name, "input")

    def get_output_handle(self, name: str) -> Tensor:
        return self._handle(self._outputs, name, "output")

    @staticmethod
    def _handle(table: dict, name: str, what: str) -> Tensor:
        if name not in table:
            raise KeyError(f"the model has no {what} named {name!r}; its {what}s are {list(table)}")
        return table[name]

    def run(self, inputs=None):
        """Run on the data copied into the input handles (returns True), or on ``inputs`` (a list
        of Tensors / arrays in ``get_input_names()`` order; returns the output Tensors)."""
        if inputs is not None:
            if len(inputs) != len(self._inputs):
                raise ValueError(
                    f"run(inputs): the model takes {len(self._inputs)} inputs "
                    f"{list(self._inputs)}, got {len(inputs)}"
                )
            for h, x in zip(self._inputs.values(), inputs):
                h.copy_from_cpu(x.numpy() if isinstance(x, _EagerTensor) else x)
        xs = [self._checked(h) for h in self._inputs.values()]
        outs = self._engine.run(xs)
        for h, v in zip(self._outputs.values(), outs):
            h._value = v
        if inputs is not None:
            return [wrap(v) for v in outs]
        return True

    def _checked(self, h: Tensor) -> torch.Tensor:
        var = self._engine.specs[h.name()]
        if h._value is None:
            raise ValueError(
                f"input {h.name()!r} has no data: call "
                f"get_input_handle({h.name()!r}).copy_from_cpu(array) before run()"
            )
        x = h._value
        if var is None or var.shape is None:
            return x
        want = list(var.shape)
        expect = f"expected shape {want} (-1: any size) and dtype {var.dtype.name}"
        got = f"got shape {list(x.shape)} and dtype {_TORCH_NAME.get(x.dtype, x.dtype)}"
        if var.dtype is not None and _TORCH_NAME.get(x.dtype) != var.dtype.name:
            raise ValueError(
                f"input {h.name()!r}: wrong dtype: {expect}, {got}; convert it "
                f"with array.astype({var.dtype.name!r})"
            )
        if len(want) != x.dim() or any(w not in (-1, d) for w, d in zip(want, x.shape)):
            raise ValueError(f"input {h.name()!r}: wrong shape: {expect}, {got}")
        return x

    def clone(self) -> Predictor:
        """A new predictor over the same loaded weights and compiled graphs, with its own
        input/output handles (for another thread)."""
        return Predictor(self._engine)

    def engine_path(self) -> str:
        """paddlefish only: how the predictor runs now (NOTE [inference paths]):
        ``'onednn-graph'``, ``'onednn-lowered'``, ``'torchscript'`` or ``'interpreter'``."""
        return self._engine.path

    def clear_intermediate_tensor(self) -> None:
        """Accepted; intermediates are already freed after their last use."""

    def try_shrink_memory(self) -> int:
        return 0


def create_predictor(config: Config) -> Predictor:
    """Load the model ``config`` names and prepare it for inference (see ``Predictor``)."""
    if not isinstance(config, Config):
        raise TypeError(
            f"create_predictor takes a paddle.inference.Config, got {type(config).__name__}"
        )
    if config.keep_freed_memory_enabled():
        keep_freed_memory()  # NOTE [inference memory]
    program, arrays = load_model(config)
    return Predictor(Engine(program, dict(arrays), config))


class PredictorPool:
    """``size`` predictors over one model (``paddle.inference.PredictorPool``); ``retrive(i)``
    (Paddle's spelling) returns the i-th."""

    def __init__(self, config: Config, size: int = 1):
        if size < 1:
            raise ValueError(f"PredictorPool: size must be at least 1, got {size}")
        first = create_predictor(config)
        self._preds = [first] + [first.clone() for _ in range(size - 1)]

    def retrive(self, idx: int) -> Predictor:
        if not 0 <= idx < len(self._preds):
            raise IndexError(
                f"PredictorPool.retrive({idx}): the pool holds {len(self._preds)} predictors"
            )
        return self._preds[idx]

    retrieve = retrive
