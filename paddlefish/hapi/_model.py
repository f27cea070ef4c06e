"""``paddle.Model``: a network with ``prepare``/``fit``/``evaluate``/``predict``/``save``/``load``.

The loops, the callback protocol, the console output and the files are Paddle's (2.6/3.3
dynamic mode), so a program written against ``paddle.Model`` prints, trains and saves the same.

NOTE [shared epoch logs]: Paddle's ``_run_one_epoch(..., logs={})`` uses a mutable default, so
one ``logs`` dict is carried from pass to pass: ``on_train_end`` sees the last evaluation's
values, ``on_train_batch_begin`` sees the previous step's. Callbacks written for Paddle can read
those; we keep one such dict per ``Model`` (Paddle's is even shared between models).
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any

import numpy as np

from .._core.nest import flatten
from ..amp import decorate as amp_decorate
from ..eager.device import get_device
from ..io import DataLoader, Dataset, DistributedBatchSampler
from ..ir import InputSpec
from ..jit import save as _jit_save
from ..metric import Metric
from ..nn import Layer
from ..static._mode import in_dynamic_mode
from ._adapter import DynamicAdapter, input_info, to_list
from ._callbacks import EarlyStopping, config_callbacks
from ._files import load_into, save_training
from ._resume import FitCheckpoint
from ._summary import summary as _summary

__all__ = ["Model"]

_AMP_KEYS = {
    "init_loss_scaling",
    "incr_ratio",
    "decr_ratio",
    "incr_every_n_steps",
    "decr_every_n_nan_or_inf",
    "use_dynamic_loss_scaling",
    "use_fp16_guard",
}


def _forward_arg_names(network) -> list[str]:
    return inspect.getfullargspec(network.forward).args


def _amp_settings(amp_configs) -> tuple[str, dict, dict]:
    """Validate ``amp_configs`` as Paddle does; return (level, scaler configs, custom lists)."""
    if not amp_configs:
        return "O0", {}, {}
    if isinstance(amp_configs, str):
        if amp_configs not in ("O0", "O1", "O2"):
            raise ValueError("The level of amp_configs should be 'O0', 'O1' or 'O2'.")
        return amp_configs, {}, {}
    level = amp_configs.get("level", "O1")
    if level not in ("O0", "O1", "O2"):
        raise ValueError("amp_configs['level'] should be 'O0', 'O1' or 'O2'.")
    keys = set(amp_configs) - {"level"}
    if level == "O0" or not keys:
        return level, {}, {}
    if "use_pure_fp16" in keys:
        raise ValueError(
            "'use_pure_fp16' is an invalid parameter, the level of mixed precision training only "
            "depends on 'O1' or 'O2'."
        )
    lists_keys = {"custom_white_list", "custom_black_list", "custom_black_varnames"}
    custom = {k: amp_configs[k] for k in keys & lists_keys}
    keys -= lists_keys
    if keys - _AMP_KEYS:
        raise ValueError(
            "Except for 'level', the keys of 'amp_configs' must be accepted by mixed precision "
            f"APIs, but {tuple(keys - _AMP_KEYS)} could not be recognized."
        )
    if "use_fp16_guard" in keys:
        raise ValueError("'use_fp16_guard' is supported in static graph mode only.")
    return level, {k: amp_configs[k] for k in keys}, custom


def _batch_sizes(batch_size) -> tuple[int, int]:
    if isinstance(batch_size, (tuple, list)) and all(isinstance(x, int) for x in batch_size):
        if len(batch_size) != 2:
            raise AssertionError(
                "batch_size length error, expected train_batch_size and eval_batch_size."
            )
        return batch_size[0], batch_size[1]
    if isinstance(batch_size, int):
        return batch_size, batch_size
    raise TypeError(
        f"Model.fit: batch_size must be an int or [train_batch_size, eval_batch_size], got "
        f"{batch_size!r}"
    )


def _len(loader) -> int | None:
    try:
        return len(loader)
    except Exception:  # noqa: BLE001 - an iterable without a length: steps unknown
        return None


class Model:
    """A network with training and inference features (Paddle's high-level API).

    ``inputs`` / ``labels``: ``InputSpec``s (each with a name) describing the network's inputs
    and the loss's labels; optional in dynamic mode (the input shapes are then taken from the
    first batch, for ``save(training=False)``).

    >>> import numpy as np, paddlefish as paddle
    >>> from paddlefish.hapi import Model
    >>> from paddlefish.static import InputSpec
    >>> net = paddle.nn.Sequential(paddle.nn.Linear(4, 3))
    >>> model = Model(net, InputSpec([None, 4], "float32", "x"), InputSpec([None, 1], "int64", "y"))
    >>> model.prepare(paddle.optimizer.SGD(0.1, parameters=model.parameters()),
    ...               paddle.nn.CrossEntropyLoss(), paddle.metric.Accuracy())
    >>> x = np.random.rand(8, 4).astype("float32"); y = np.zeros((8, 1), "int64")
    >>> loss, (acc,) = model.train_batch([x], [y])
    >>> loss[0].shape, bool(0.0 <= acc <= 1.0)
    ((), True)
    """

    def __init__(self, network: Layer, inputs=None, labels=None) -> None:
        if not in_dynamic_mode():
            raise NotImplementedError(
                "paddle.Model in static-graph mode is not implemented in paddlefish; call "
                "paddle.disable_static() before creating the Model (dynamic mode gives the same "
                "training, files and console output)."
            )
        self.mode = "train"
        self.network = network
        self._inputs = None
        self._labels = None
        self._loss = None
        self._loss_weights = None
        self._optimizer = None
        self._metrics: list = []
        self._scaler = None
        self._place = None
        self._input_info = input_info(inputs) if inputs else None
        self._is_shape_inferred = False
        self._test_dataloader = None
        self.stop_training = False
        self._logs: dict = {}  # NOTE [shared epoch logs]
        self._inputs = self._verify_spec(inputs, is_input=True)
        self._labels = self._verify_spec(labels)
        self._adapter = DynamicAdapter(self)

    # ---- one batch ----------------------------------------------------------------------------
    def train_batch(self, inputs, labels=None, update: bool = True):
        """One training step on a batch: forward, loss, backward and (if ``update``) an
        optimizer step. Returns ``[loss ndarray, ...]``, or ``([loss...], [metric...])`` with
        metrics."""
        out = self._adapter.train_batch(inputs, labels, update)
        if self._input_info is None:
            self._update_inputs()
        return out

    def eval_batch(self, inputs, labels=None):
        """One evaluation step (no gradients): losses and/or metrics, as ``train_batch``."""
        out = self._adapter.eval_batch(inputs, labels)
        if self._input_info is None:
            self._update_inputs()
        return out

    def predict_batch(self, inputs) -> list[np.ndarray]:
        """The network's outputs on a batch, as a list of ndarrays."""
        out = self._adapter.predict_batch(inputs)
        if self._input_info is None:
            self._update_inputs()
        return out

    # ---- files --------------------------------------------------------------------------------
    def save(self, path: str, training: bool = True) -> None:
        """``training=True``: ``path.pdparams`` and ``path.pdopt`` (if the optimizer has state),
        as real Paddle writes them; ``training=False``: the inference model through
        ``paddle.jit.save(network, path, input_spec=inputs)``."""
        if not training:
            self._save_inference_model(path)
        else:
            save_training(self, path)

    def load(self, path: str, skip_mismatch: bool = False, reset_optimizer: bool = False) -> None:
        """Load ``path.pdparams`` (matched by structured name) and, unless
        ``reset_optimizer``, ``path.pdopt`` — ours or real Paddle's. A missing or mis-shaped
        parameter raises ``ValueError`` unless ``skip_mismatch`` (then it warns, skips it and
        resets the optimizer)."""
        load_into(self, path, skip_mismatch, reset_optimizer)

    def _save_inference_model(self, path: str) -> None:
        if self._input_info is None:
            raise RuntimeError(
                "Saving inference model needs 'inputs' or running before saving. Please specify "
                "'inputs' in Model initialization or input training data and perform a training "
                "for shape derivation."
            )
        if self._is_shape_inferred:
            warnings.warn(
                "'inputs' was not specified when Model initialization, so the input shape to be "
                "saved will be the shape derived from the user's actual inputs. The input shape "
                f"to be saved is {self._input_info[0]}. For saving correct input shapes, please "
                "provide 'inputs' for Model initialization."
            )
        _jit_save(self.network, path, input_spec=self._inputs)

    def parameters(self, *args, **kwargs) -> list:
        """The network's parameters."""
        return self._adapter.parameters(*args, **kwargs)

    # ---- configuration ------------------------------------------------------------------------
    def prepare(self, optimizer=None, loss=None, metrics=None, amp_configs=None) -> None:
        """Set the optimizer (needed for training), the loss (a ``Layer`` or callable taking
        outputs then labels) and metrics (``paddle.metric.Metric``s)."""
        self._place = get_device()
        self._optimizer = optimizer
        if loss is not None and not isinstance(loss, Layer) and not callable(loss):
            raise TypeError(
                "'loss' must be sub classes of `paddle.nn.Layer` or any callable function."
            )
        self._loss = loss
        metrics = to_list(metrics or [])
        for metric in metrics:
            if not isinstance(metric, Metric):
                raise AssertionError(f"{metric.__class__.__name__} is not sub class of Metric")
        self._metrics = metrics
        level, configs, custom = _amp_settings(amp_configs)
        self._adapter._amp_level = level
        self._adapter._amp_configs = configs
        self._adapter._amp_custom_lists = custom
        if level == "O2" and self.mode == "train":
            self.network, self._optimizer = amp_decorate(
                models=self.network, optimizers=self._optimizer, level="O2"
            )
        self._scaler = None

    # ---- loops --------------------------------------------------------------------------------
    def _loader(self, data, batch_size: int, shuffle=False, drop_last=False, num_workers=0):
        if not isinstance(data, Dataset):
            return data
        sampler = DistributedBatchSampler(
            data, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last
        )
        return DataLoader(data, batch_sampler=sampler, places=self._place,
                          num_workers=num_workers, return_list=True)  # fmt: skip

    def fit(
        self,
        train_data=None,
        eval_data=None,
        batch_size=1,
        epochs: int = 1,
        eval_freq: int = 1,
        log_freq: int = 10,
        save_dir: str | None = None,
        save_freq: int = 1,
        verbose: int = 2,
        drop_last: bool = False,
        shuffle: bool = True,
        num_workers: int = 0,
        callbacks=None,
        accumulate_grad_batches: int = 1,
        num_iters: int | None = None,
        *,
        resume: bool = False,
        checkpoint=None,
    ) -> None:
        """Train for ``epochs`` over ``train_data`` (a ``Dataset``, batched here, or a
        ``DataLoader``), evaluating on ``eval_data`` every ``eval_freq`` epochs, printing every
        ``log_freq`` steps and saving ``save_dir/{epoch}`` every ``save_freq`` epochs and
        ``save_dir/final`` at the end (as Paddle). ``num_iters`` stops after that many steps.

        paddlefish additions (keyword-only): ``checkpoint``, a
        ``paddlefish.checkpoint.CheckpointManager`` that ``fit`` saves the full training state to
        (as its interval policy allows, and at every epoch end); ``resume=True`` first restores
        the newest checkpoint and continues exactly where it stopped — same batches, same losses
        (see NOTE [fit resume state]). ``resume=True`` without ``checkpoint`` uses
        ``save_dir/checkpoints`` (2 kept, one save per 5 minutes plus each epoch end) and turns
        SIGTERM into "finish the step, save, exit" (``TrainingPreempted``, exit status 0).
        """
        assert train_data is not None, "train_data must be given!"
        train_bs, eval_bs = _batch_sizes(batch_size)
        train_loader = self._loader(train_data, train_bs, shuffle, drop_last, num_workers)
        eval_loader = self._loader(eval_data, eval_bs, num_workers=num_workers)
        do_eval = eval_loader is not None
        self._test_dataloader = eval_loader
        self._accumulate = accumulate_grad_batches
        steps = _len(train_loader)
        self.num_iters = num_iters
        if num_iters is not None and isinstance(num_iters, int) and isinstance(steps, int):
            assert num_iters > 0, "num_iters must be greater than 0!"
            epochs = (num_iters // steps) + 1
            steps = min(num_iters, steps)
        cbks = config_callbacks(
            callbacks, model=self, epochs=epochs, steps=steps, log_freq=log_freq,
            save_freq=save_freq, save_dir=save_dir, verbose=verbose,
            metrics=self._metrics_name(),
        )  # fmt: skip
        if any(isinstance(k, EarlyStopping) for k in cbks) and not do_eval:
            warnings.warn("EarlyStopping needs validation data.")
        ckpt = FitCheckpoint(checkpoint, resume, save_dir)
        try:
            self._train_epochs(train_loader, eval_loader, cbks, ckpt, epochs, eval_freq, steps)
        finally:
            ckpt.close()
        self._test_dataloader = None

    def _train_epochs(self, train_loader, eval_loader, cbks, ckpt, epochs, eval_freq, steps):
        pos = ckpt.restore(self, train_loader)
        first = epochs if (ckpt.resume and self.stop_training) else pos.epoch
        self._global_step = pos.global_step
        logs = self._logs
        cbks.on_begin("train")
        ckpt.restore_callbacks(cbks, pos)
        for epoch in range(first, epochs):
            cbks.on_epoch_begin(epoch)
            ckpt.resume_epoch(cbks, pos, epoch)

            def on_step(step, logs, updated, epoch=epoch):
                self._global_step += 1
                ckpt.after_step(self, cbks, train_loader, epoch, step + 1, self._global_step,
                                logs, updated, steps is not None and step + 1 >= steps)  # fmt: skip

            start = pos.step if epoch == pos.epoch else 0
            logs = self._run_one_epoch(train_loader, cbks, "train", start, on_step)
            cbks.on_epoch_end(epoch, logs)
            eval_logs = None
            if eval_loader is not None and epoch % eval_freq == 0:
                eval_logs = dict(self._eval_pass(eval_loader, cbks))
            ckpt.after_epoch(self, cbks, train_loader, epoch, self._global_step, eval_logs)
            if self.stop_training:
                break
        cbks.on_end("train", logs)

    def _eval_pass(self, eval_loader, cbks) -> dict:
        cbks.on_begin("eval", {"steps": _len(eval_loader), "metrics": self._metrics_name()})
        eval_logs = self._run_one_epoch(eval_loader, cbks, "eval")
        cbks.on_end("eval", eval_logs)
        return eval_logs

    def evaluate(
        self,
        eval_data,
        batch_size: int = 1,
        log_freq: int = 10,
        verbose: int = 2,
        num_workers: int = 0,
        callbacks=None,
        num_iters: int | None = None,
    ) -> dict:
        """Loss and metrics over ``eval_data``: ``{'loss': [value], 'acc': value, ...}``."""
        eval_loader = self._loader(eval_data, batch_size, num_workers=num_workers)
        self._test_dataloader = eval_loader
        cbks = config_callbacks(callbacks, model=self, log_freq=log_freq, verbose=verbose,
                                metrics=self._metrics_name())  # fmt: skip
        eval_steps = _len(eval_loader)
        self.num_iters = num_iters
        if num_iters is not None and isinstance(num_iters, int) and isinstance(eval_steps, int):
            assert num_iters > 0, "num_iters must be greater than 0!"
            eval_steps = min(num_iters, eval_steps)
            self.num_iters = eval_steps
        cbks.on_begin("eval", {"steps": eval_steps, "metrics": self._metrics_name()})
        logs = self._run_one_epoch(eval_loader, cbks, "eval")
        cbks.on_end("eval", logs)
        self._test_dataloader = None
        return {k: logs[k] for k in self._metrics_name()}

    def predict(self, test_data, batch_size: int = 1, num_workers: int = 0,
                stack_outputs: bool = False, verbose: int = 1, callbacks=None) -> list:  # fmt: skip
        """The network's outputs over ``test_data``: one entry per output, each a list of
        per-batch arrays, or (``stack_outputs=True``) one array stacked over all samples."""
        test_loader = self._loader(test_data, batch_size, num_workers=num_workers)
        self._test_dataloader = test_loader
        cbks = config_callbacks(callbacks, model=self, verbose=verbose)
        cbks.on_begin("predict", {"steps": _len(test_loader)})
        logs, outputs = self._run_one_epoch(test_loader, cbks, "predict")
        outputs = list(zip(*outputs))
        if stack_outputs:
            outputs = [np.vstack(outs) for outs in outputs]
        self._test_dataloader = None
        cbks.on_end("predict", logs)
        return outputs

    def _split_batch(self, data: list, mode: str, step: int, loader) -> list:
        n = len(self._inputs)
        parts: list[Any] = [data[:n], data[n:]]
        if mode == "train":
            parts.append((step + 1) % self._accumulate == 0 or step + 1 == len(loader))
        return parts

    def _record(self, outs, logs: dict) -> None:
        if self._metrics and self._loss:
            values = [[float(v) for v in outs[0]]]
        elif self._loss:
            values = [[float(v) for v in outs]]
        else:
            values = []
        for metric in self._metrics:
            values.extend(to_list(metric.accumulate()))
        names = self._metrics_name()
        assert len(names) == len(values), (names, values)
        logs.update(zip(names, values))

    def _run_one_epoch(self, data_loader, callbacks, mode: str, start_step: int = 0,
                       on_step=None):  # fmt: skip
        logs = self._logs
        outputs = []
        for step, data in enumerate(data_loader, start_step):
            # a loader may yield [in..., label...] or ([in...], [label...]): flatten either
            data = flatten(data)
            batch_size = data[0].shape()[0] if callable(data[0].shape) else data[0].shape[0]
            callbacks.on_batch_begin(mode, step, logs)
            updated = False
            if mode != "predict":
                parts = self._split_batch(data, mode, step, data_loader)
                updated = mode == "train" and parts[2]
                self._record(getattr(self, mode + "_batch")(*parts), logs)
            else:
                inputs = data[: len(self._inputs)] if self._inputs is not None else data
                outputs.append(self.predict_batch(inputs))
            logs["step"] = step
            logs["batch_size"] = batch_size
            callbacks.on_batch_end(mode, step, logs)
            if on_step is not None:
                on_step(step, logs, updated)
            if getattr(self, "num_iters", None) is not None:
                self.num_iters -= 1
                if self.num_iters <= 0:
                    self.stop_training = True
                    del self.num_iters
                    break
        self._reset_metrics()
        return (logs, outputs) if mode == "predict" else logs

    # ---- inspection ---------------------------------------------------------------------------
    def summary(self, input_size=None, dtype=None) -> dict:
        """Print Paddle's layer table for the network (see ``paddle.summary``); ``input_size``
        defaults to the ``inputs`` given to the Model."""
        assert input_size is not None or self._inputs is not None, (
            "'input_size' or 'self._input' must be set"
        )
        return _summary(self.network, input_size if input_size is not None else self._inputs,
                        dtypes=dtype)  # fmt: skip

    def _verify_spec(self, specs, shapes=None, dtypes=None, is_input: bool = False):
        if specs is None:
            if not is_input:
                return None
            names = _forward_arg_names(self.network)[1:]
            if shapes is not None and dtypes is not None:
                out = [InputSpec(name=n, dtype=dtypes[i], shape=shapes[i])
                       for i, n in enumerate(names)]  # fmt: skip
            else:
                out = [InputSpec(name=n, shape=[None]) for n in names]
        elif isinstance(specs, dict):
            if is_input:
                raise AssertionError(
                    "Model(inputs=...) as a dict is not supported (as in Paddle); pass a list of "
                    "InputSpec in the order of forward's arguments."
                )
            out = [specs[n] for n in _forward_arg_names(self.network) if n != "self"]
        else:
            out = to_list(specs)
        for i, spec in enumerate(out):
            if not isinstance(spec, InputSpec):
                raise AssertionError(
                    f"Model inputs/labels must be paddle.static.InputSpec, got "
                    f"{type(spec).__name__} at position {i}"
                )
            if spec.name is None:
                raise ValueError(
                    f"Requires Input[{i}].name != None, but receive `None` with {spec}."
                )
        return out

    def _reset_metrics(self) -> None:
        for metric in self._metrics:
            metric.reset()

    def _metrics_name(self) -> list[str]:
        names = ["loss"] if self._loss else []
        for m in self._metrics:
            names.extend(to_list(m.name()))
        return names

    def _len_data_loader(self, data_loader) -> int | None:
        return _len(data_loader)

    def _update_inputs(self) -> None:
        self._input_info = self._adapter._input_info
        if self._input_info is not None and len(self._input_info) == 2:
            self._inputs = self._verify_spec(None, self._input_info[0], self._input_info[1], True)
            self._is_shape_inferred = True
