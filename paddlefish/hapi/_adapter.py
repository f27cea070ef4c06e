"""One batch of training, evaluation or prediction in dynamic mode (Paddle's
``DynamicGraphAdapter``): inputs and labels to Tensors, forward, loss, backward, optimizer step,
metrics — with Paddle's return shapes (``([loss ndarray], [metric])``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..amp import GradScaler, auto_cast
from ..eager.autograd import no_grad
from ..eager.tensor import Tensor
from ..ir import InputSpec
from ..tensor import add_n, to_tensor

__all__ = ["DynamicAdapter", "input_info", "to_list", "to_numpy"]


def to_list(value: Any) -> list | None:
    if value is None:
        return value
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def to_numpy(value: Any) -> np.ndarray:
    return value.numpy() if isinstance(value, Tensor) else np.asarray(value)


def _as_tensor(value: Any) -> Tensor:
    return value if isinstance(value, Tensor) else to_tensor(value)


def input_info(inputs: Any) -> tuple[list, list] | None:
    """(shapes, dtypes) of the given inputs (InputSpecs, Tensors or arrays), as Paddle's
    ``_update_input_info``; None for anything else."""
    if isinstance(inputs, InputSpec):
        return [list(inputs.shape)], [inputs.dtype]
    if isinstance(inputs, (list, tuple)):
        return [list(i.shape) for i in inputs], [i.dtype for i in inputs]
    if isinstance(inputs, dict):
        return [list(v.shape) for v in inputs.values()], [v.dtype for v in inputs.values()]
    return None


class DynamicAdapter:
    """Runs batches for ``model`` (a ``paddle.Model``) on its network, loss, optimizer and
    metrics. Single process: Paddle's multi-rank merging of evaluation outputs does not apply."""

    def __init__(self, model) -> None:
        self.model = model
        self._input_info = None
        self._merge_count = {"eval_total": 0, "test_total": 0, "eval_batch": 0, "test_batch": 0}
        self._amp_level = "O0"
        self._amp_configs: dict = {}
        self._amp_custom_lists: dict = {}
        self._use_fp16_guard = True

    def _update_metrics(self, outputs: list, labels: list) -> list:
        results = []
        for metric in self.model._metrics:
            stats = metric.compute(*(outputs + labels))
            results.append(metric.update(*[to_numpy(m) for m in to_list(stats)]))
        return results

    def train_batch(self, inputs, labels=None, update: bool = True):
        model = self.model
        assert model._optimizer, "model not ready, please call `model.prepare()` first"
        model.network.train()
        model.mode = "train"
        inputs = to_list(inputs)
        self._input_info = input_info(inputs)
        labels = [_as_tensor(lab) for lab in to_list(labels or [])]
        amp_on = self._amp_level != "O0"
        if amp_on and model._scaler is None:  # one scaler per prepare(), as Paddle
            model._scaler = GradScaler(**self._amp_configs)
        with auto_cast(enable=amp_on, **self._amp_custom_lists, level=self._amp_level):
            outputs = to_list(model.network(*[_as_tensor(x) for x in inputs]))
        losses = to_list(model._loss(*(outputs + labels)))
        final_loss = add_n(losses)
        if amp_on:
            scaled = model._scaler.scale(final_loss)
            scaled.backward()
            if update:
                model._scaler.minimize(model._optimizer, scaled)
                model.network.clear_gradients()
        else:
            final_loss.backward()
            if update:
                model._optimizer.minimize(final_loss)
                model.network.clear_gradients()
        metrics = self._update_metrics(outputs, labels)
        loss_values = [to_numpy(v) for v in losses]
        return (loss_values, metrics) if metrics else loss_values

    @no_grad()
    def eval_batch(self, inputs, labels=None):
        model = self.model
        model.network.eval()
        model.mode = "eval"
        inputs = to_list(inputs)
        self._input_info = input_info(inputs)
        labels = [_as_tensor(lab) for lab in to_list(labels or [])]
        outputs = to_list(model.network(*[_as_tensor(x) for x in inputs]))
        losses = to_list(model._loss(*(outputs + labels))) if model._loss else None
        metrics = self._update_metrics(outputs, labels)
        if model._loss and metrics:
            return [to_numpy(v) for v in losses], metrics
        if model._loss:
            return [to_numpy(v) for v in losses]
        return metrics

    @no_grad()
    def predict_batch(self, inputs):
        model = self.model
        model.network.eval()
        model.mode = "test"
        inputs = [_as_tensor(x) for x in to_list(inputs)]
        self._input_info = input_info(inputs)
        outputs = model.network(*inputs)
        return [to_numpy(o) for o in to_list(outputs)]

    def parameters(self, *args, **kwargs):
        return self.model.network.parameters(*args, **kwargs)
