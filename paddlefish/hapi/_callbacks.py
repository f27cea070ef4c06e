"""``paddle.callbacks``: the hooks ``Model.fit/evaluate/predict`` call, and Paddle's stock ones.

The call protocol (which hook, when, with which ``logs``) is Paddle's, because user callbacks
written for Paddle read those dicts: ``on_train_batch_end(step, logs)`` gets
``{'loss': [float], <metric>: value, 'step': i, 'batch_size': n}``; ``on_eval_begin`` gets
``{'steps': n, 'metrics': [...]}``; see ``Model._run_one_epoch``.
"""

from __future__ import annotations

import numbers
import os
import time
import warnings
from typing import Any

import numpy as np

from .._core.pyutils import try_import
from ..optimizer.lr import LRScheduler as _LRSchedulerBase
from ._progressbar import ProgressBar

__all__ = [
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "LRScheduler",
    "ModelCheckpoint",
    "ProgBarLogger",
    "ReduceLROnPlateau",
    "VisualDL",
    "WandbCallback",
    "config_callbacks",
]

_MODES = ("train", "eval", "predict")


def local_rank() -> int:
    """This process's rank in a Paddle-launched job (``PADDLE_TRAINER_ID``), 0 when alone."""
    return int(os.environ.get("PADDLE_TRAINER_ID", "0") or 0)


def config_callbacks(
    callbacks=None,
    model=None,
    batch_size: int | None = None,
    epochs: int | None = None,
    steps: int | None = None,
    log_freq: int = 2,
    verbose: int = 2,
    save_freq: int = 1,
    save_dir: str | None = None,
    metrics: list[str] | None = None,
    mode: str = "train",
) -> CallbackList:
    """The callback list ``fit``/``evaluate``/``predict`` run: the user's, plus a
    ``ProgBarLogger`` in front (if ``verbose``), a ``ModelCheckpoint`` and an ``LRScheduler``
    behind, unless the user gave their own — as Paddle assembles it."""
    given = callbacks or []
    cbks = list(given if isinstance(given, (list, tuple)) else [given])
    if not any(isinstance(k, ProgBarLogger) for k in cbks) and verbose:
        cbks = [ProgBarLogger(log_freq, verbose=verbose), *cbks]
    if not any(isinstance(k, ModelCheckpoint) for k in cbks):
        cbks = [*cbks, ModelCheckpoint(save_freq, save_dir)]
    for k in cbks:
        if isinstance(k, EarlyStopping):
            k.save_dir = save_dir
    if not any(isinstance(k, LRScheduler) for k in cbks):
        cbks = [*cbks, LRScheduler()]
    cbk_list = CallbackList(cbks)
    cbk_list.set_model(model)
    cbk_list.set_params(
        {
            "batch_size": batch_size,
            "epochs": epochs,
            "steps": steps,
            "verbose": verbose,
            "metrics": (metrics or []) if mode != "test" else [],
        }
    )
    return cbk_list


class CallbackList:
    """Dispatches each hook to every callback in order."""

    def __init__(self, callbacks=None) -> None:
        self.callbacks = list(callbacks or [])
        self.params: dict = {}
        self.model = None

    def append(self, callback: Callback) -> None:
        self.callbacks.append(callback)

    def __iter__(self):
        return iter(self.callbacks)

    def set_params(self, params: dict) -> None:
        for c in self.callbacks:
            c.set_params(params)

    def set_model(self, model) -> None:
        for c in self.callbacks:
            c.set_model(model)

    def _call(self, name: str, *args: Any) -> None:
        for c in self.callbacks:
            getattr(c, name)(*args)

    @staticmethod
    def _check_mode(mode: str) -> None:
        if mode not in _MODES:
            raise ValueError(f"callback mode should be train, eval or predict, got {mode!r}")

    def on_begin(self, mode: str, logs=None) -> None:
        self._check_mode(mode)
        self._call(f"on_{mode}_begin", logs)

    def on_end(self, mode: str, logs=None) -> None:
        self._check_mode(mode)
        self._call(f"on_{mode}_end", logs)

    def on_epoch_begin(self, epoch=None, logs=None) -> None:
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch=None, logs=None) -> None:
        self._call("on_epoch_end", epoch, logs)

    def on_batch_begin(self, mode: str, step=None, logs=None) -> None:
        self._check_mode(mode)
        self._call(f"on_{mode}_batch_begin", step, logs)

    def on_batch_end(self, mode: str, step=None, logs=None) -> None:
        self._check_mode(mode)
        self._call(f"on_{mode}_batch_end", step, logs)


class Callback:
    """Base class of callbacks: override the hooks you need; set ``self.model.stop_training =
    True`` to end ``fit`` after the current epoch.

    >>> import paddlefish as paddle
    >>> from paddlefish.hapi.callbacks import Callback
    >>> class CountSteps(Callback):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.n = 0
    ...     def on_train_batch_end(self, step, logs=None):
    ...         self.n += 1
    >>> CountSteps().n
    0
    """

    def __init__(self) -> None:
        self.model = None
        self.params: dict = {}

    def set_params(self, params: dict) -> None:
        """``params``: ``batch_size``, ``epochs``, ``steps`` (per epoch), ``verbose``,
        ``metrics``."""
        self.params = params

    def set_model(self, model) -> None:
        """``model`` is the ``paddle.Model`` being run."""
        self.model = model

    def on_train_begin(self, logs=None) -> None:
        """Called at the start of training."""

    def on_train_end(self, logs=None) -> None:
        """Called at the end of training."""

    def on_eval_begin(self, logs=None) -> None:
        """Called at the start of evaluation (``logs``: ``steps``, ``metrics``)."""

    def on_eval_end(self, logs=None) -> None:
        """Called at the end of evaluation (``logs``: loss and metrics of the pass)."""

    def on_predict_begin(self, logs=None) -> None:
        """Called at the start of prediction."""

    def on_predict_end(self, logs=None) -> None:
        """Called at the end of prediction."""

    def on_epoch_begin(self, epoch, logs=None) -> None:
        """Called at the start of each training epoch."""

    def on_epoch_end(self, epoch, logs=None) -> None:
        """Called at the end of each training epoch (``logs`` of its last batch)."""

    def on_train_batch_begin(self, step, logs=None) -> None:
        """Called before each training batch."""

    def on_train_batch_end(self, step, logs=None) -> None:
        """Called after each training batch (``logs``: loss, metrics, ``batch_size``)."""

    def on_eval_batch_begin(self, step, logs=None) -> None:
        """Called before each evaluation batch."""

    def on_eval_batch_end(self, step, logs=None) -> None:
        """Called after each evaluation batch."""

    def on_predict_batch_begin(self, step, logs=None) -> None:
        """Called before each prediction batch."""

    def on_predict_batch_end(self, step, logs=None) -> None:
        """Called after each prediction batch."""


def _new_timer() -> dict:
    return {"data_time": 0, "batch_time": 0, "count": 0, "samples": 0}


class ProgBarLogger(Callback):
    """Prints progress as Paddle does: ``Epoch 1/5`` then ``step 10/938 - loss: ... - acc: ...
    - 12ms/step`` every ``log_freq`` steps (see NOTE [progress line format]). ``verbose``: 0
    silent, 1 live bar, 2 one line per log, 3 like 2 plus reader cost and samples/sec.

    >>> from paddlefish.hapi.callbacks import ProgBarLogger
    >>> ProgBarLogger(log_freq=10, verbose=2).log_freq
    10
    """

    def __init__(self, log_freq: int = 1, verbose: int = 2) -> None:
        self.epochs = None
        self.steps = None
        self.progbar = None
        self.verbose = verbose
        self.log_freq = log_freq
        self.model = None
        self.params = {}

    def _is_print(self) -> bool:
        return bool(self.verbose) and local_rank() == 0

    def on_train_begin(self, logs=None) -> None:
        self.epochs = self.params["epochs"]
        assert self.epochs, "ProgBarLogger needs params['epochs'] (set by Model.fit)"
        self.train_metrics = self.params["metrics"]
        assert self.train_metrics, "ProgBarLogger needs params['metrics'] (set by Model.fit)"
        self._train_timer = _new_timer()
        if self._is_print():
            print(
                "The loss value printed in the log is the current step, and the metric is the "
                "average value of previous steps."
            )

    def on_epoch_begin(self, epoch=None, logs=None) -> None:
        self.steps = self.params["steps"]
        self.epoch = epoch
        self.train_step = 0
        if self.epochs and self._is_print():
            print("Epoch %d/%d" % (epoch + 1, self.epochs))
        self.train_progbar = ProgressBar(num=self.steps, verbose=self.verbose)
        self._train_timer["batch_start_time"] = time.time()

    def _updates(self, logs, mode: str) -> None:
        metrics = getattr(self, f"{mode}_metrics")
        progbar = getattr(self, f"{mode}_progbar")
        steps = getattr(self, f"{mode}_step")
        values = [(k, logs[k]) for k in metrics if k in logs]
        timer = getattr(self, f"_{mode}_timer", None)
        if self.verbose == 3 and timer is not None:
            cnt = timer["count"] if timer["count"] > 0 else 1.0
            samples = timer["samples"] if timer["samples"] > 0 else 1.0
            values.append(("avg_reader_cost", "%.5f sec" % (timer["data_time"] / cnt)))
            values.append(("avg_batch_cost", "%.5f sec" % (timer["batch_time"] / cnt)))
            total = timer["data_time"] + timer["batch_time"]
            values.append(("ips", "%.5f samples/sec" % (samples / total)))
            timer.update(count=0, samples=0, data_time=0.0, batch_time=0.0)
        progbar.update(steps, values)

    def _batch_begin(self, timer: dict) -> None:
        timer["batch_data_end_time"] = time.time()
        timer["data_time"] += timer["batch_data_end_time"] - timer["batch_start_time"]

    def _batch_end(self, timer: dict, logs) -> None:
        timer["batch_time"] += time.time() - timer["batch_data_end_time"]
        timer["count"] += 1
        timer["samples"] += logs.get("batch_size", 1)

    def on_train_batch_begin(self, step, logs=None) -> None:
        self._batch_begin(self._train_timer)

    def on_train_batch_end(self, step, logs=None) -> None:
        logs = logs or {}
        self.train_step += 1
        self._batch_end(self._train_timer, logs)
        if self._is_print() and self.train_step % self.log_freq == 0:
            if self.steps is None or self.train_step < self.steps:
                self._updates(logs, "train")
        self._train_timer["batch_start_time"] = time.time()

    def on_epoch_end(self, epoch, logs=None) -> None:
        logs = logs or {}
        if self._is_print() and self.steps is not None:
            self._updates(logs, "train")

    def on_eval_begin(self, logs=None) -> None:
        self.eval_steps = logs.get("steps", None)
        self.eval_metrics = logs.get("metrics", [])
        self.eval_step = 0
        self.evaled_samples = 0
        self._eval_timer = _new_timer()
        self.eval_progbar = ProgressBar(num=self.eval_steps, verbose=self.verbose)
        if self._is_print():
            print("Eval begin...")
        self._eval_timer["batch_start_time"] = time.time()

    def on_eval_batch_begin(self, step, logs=None) -> None:
        self._batch_begin(self._eval_timer)

    def on_eval_batch_end(self, step, logs=None) -> None:
        logs = logs or {}
        self.eval_step += 1
        self.evaled_samples += logs.get("batch_size", 1)
        self._batch_end(self._eval_timer, logs)
        if self._is_print() and self.eval_step % self.log_freq == 0:
            if self.eval_steps is None or self.eval_step < self.eval_steps:
                self._updates(logs, "eval")
        self._eval_timer["batch_start_time"] = time.time()

    def on_predict_begin(self, logs=None) -> None:
        self.test_steps = logs.get("steps", None)
        self.test_metrics = logs.get("metrics", [])
        self.test_step = 0
        self.tested_samples = 0
        self._test_timer = _new_timer()
        self.test_progbar = ProgressBar(num=self.test_steps, verbose=self.verbose)
        if self._is_print():
            print("Predict begin...")
        self._test_timer["batch_start_time"] = time.time()

    def on_predict_batch_begin(self, step, logs=None) -> None:
        self._batch_begin(self._test_timer)

    def on_predict_batch_end(self, step, logs=None) -> None:
        logs = logs or {}
        self.test_step += 1
        self.tested_samples += logs.get("batch_size", 1)
        self._batch_end(self._test_timer, logs)
        if self.test_step % self.log_freq == 0 and self._is_print():
            if self.test_steps is None or self.test_step < self.test_steps:
                self._updates(logs, "test")
        self._test_timer["batch_start_time"] = time.time()

    def on_eval_end(self, logs=None) -> None:
        logs = logs or {}
        if self._is_print() and self.eval_steps is not None:
            self._updates(logs, "eval")
            print("Eval samples: %d" % self.evaled_samples)

    def on_predict_end(self, logs=None) -> None:
        logs = logs or {}
        if self._is_print():
            if self.test_step % self.log_freq != 0 or self.verbose == 1:
                self._updates(logs, "test")
            print("Predict samples: %d" % self.tested_samples)


class ModelCheckpoint(Callback):
    """Saves ``save_dir/{epoch}`` every ``save_freq`` epochs and ``save_dir/final`` at the end of
    training, each as ``.pdparams`` + ``.pdopt`` through ``Model.save``.

    >>> from paddlefish.hapi.callbacks import ModelCheckpoint
    >>> ModelCheckpoint(save_freq=2, save_dir="ckpt").save_dir
    'ckpt'
    """

    def __init__(self, save_freq: int = 1, save_dir: str | None = None) -> None:
        self.save_freq = save_freq
        self.save_dir = save_dir
        self.model = None
        self.params = {}

    def on_epoch_begin(self, epoch=None, logs=None) -> None:
        self.epoch = epoch

    def _is_save(self) -> bool:
        return bool(self.model and self.save_dir and local_rank() == 0)

    def on_epoch_end(self, epoch, logs=None) -> None:
        if self._is_save() and self.epoch % self.save_freq == 0:
            path = f"{self.save_dir}/{epoch}"
            print(f"save checkpoint at {os.path.abspath(path)}")
            self.model.save(path)

    def on_train_end(self, logs=None) -> None:
        if self._is_save():
            path = f"{self.save_dir}/final"
            print(f"save checkpoint at {os.path.abspath(path)}")
            self.model.save(path)


def _scheduler_of(model):
    opt = getattr(model, "_optimizer", None)
    lr = getattr(opt, "_learning_rate", None) if opt else None
    return lr if isinstance(lr, _LRSchedulerBase) else None


class LRScheduler(Callback):
    """Steps the optimizer's LR scheduler after every training batch (``by_step``, the default)
    or after every epoch (``by_epoch``).

    >>> from paddlefish.hapi.callbacks import LRScheduler
    >>> LRScheduler(by_step=False, by_epoch=True).by_epoch
    True
    """

    def __init__(self, by_step: bool = True, by_epoch: bool = False) -> None:
        if by_step and by_epoch:
            raise ValueError("by_step option is mutually exclusive with by_epoch")
        self.by_step = by_step
        self.by_epoch = by_epoch
        self.model = None
        self.params = {}

    def on_epoch_end(self, epoch, logs=None) -> None:
        sched = _scheduler_of(self.model) if self.by_epoch else None
        if sched is not None:
            sched.step()

    def on_train_batch_end(self, step, logs=None) -> None:
        sched = _scheduler_of(self.model) if self.by_step else None
        if sched is not None:
            sched.step()


def _monitor_mode(mode: str, monitor: str, who: str) -> bool:
    """True when larger is better; Paddle's ``auto``: ``'acc' in monitor`` means larger."""
    if mode not in ("auto", "min", "max"):
        warnings.warn(f"{who} mode {mode} is unknown, fallback to auto mode.")
        mode = "auto"
    if mode == "auto":
        return "acc" in monitor
    return mode == "max"


def _scalar(value):
    """The monitored number from a logs value (``[loss]`` or a number), or None."""
    if isinstance(value, (list, tuple)):
        return value[0]
    if isinstance(value, numbers.Number):
        return value
    return None


class EarlyStopping(Callback):
    """Stops ``fit`` when the monitored evaluation value stops improving for ``patience``
    evaluations; with ``save_best_model`` the best weights go to ``save_dir/best_model``.

    >>> from paddlefish.hapi.callbacks import EarlyStopping
    >>> EarlyStopping(monitor="acc", patience=2).monitor_op.__name__
    'greater'
    """

    def __init__(
        self,
        monitor: str = "loss",
        mode: str = "auto",
        patience: int = 0,
        verbose: int = 1,
        min_delta: float = 0,
        baseline: float | None = None,
        save_best_model: bool = True,
    ) -> None:
        super().__init__()
        self.monitor = monitor
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.min_delta = abs(min_delta)
        self.wait_epoch = 0
        self.best_weights = None
        self.stopped_epoch = 0
        self.save_best_model = save_best_model
        self.save_dir = None  # set by config_callbacks from fit(save_dir=...)
        larger = _monitor_mode(mode, monitor, "EarlyStopping")
        self.monitor_op = np.greater if larger else np.less
        if not larger:
            self.min_delta *= -1

    def on_train_begin(self, logs=None) -> None:
        self.wait_epoch = 0
        if self.baseline is not None:
            self.best_value = self.baseline
        else:
            self.best_value = np.inf if self.monitor_op == np.less else -np.inf
            self.best_weights = None

    def on_eval_end(self, logs=None) -> None:
        if logs is None or self.monitor not in logs:
            warnings.warn("Monitor of EarlyStopping should be loss or metric name.")
            return
        current = _scalar(logs[self.monitor])
        if current is None:
            return
        if self.monitor_op(current - self.min_delta, self.best_value):
            self.best_value = current
            self.wait_epoch = 0
            if self.save_best_model and self.save_dir is not None:
                self.model.save(os.path.join(self.save_dir, "best_model"))
        else:
            self.wait_epoch += 1
        if self.wait_epoch >= self.patience:
            self.model.stop_training = True
            if self.verbose > 0:
                print("Epoch %d: Early stopping." % (self.stopped_epoch + 1))
                if self.save_best_model and self.save_dir is not None:
                    best = os.path.abspath(os.path.join(self.save_dir, "best_model"))
                    print(f"Best checkpoint has been saved at {best}")
        self.stopped_epoch += 1

    def state_dict(self) -> dict:
        """The counters, for ``Model.fit(resume=True)`` (paddlefish addition)."""
        best = self.best_value
        best = float(best) if isinstance(best, (int, float, np.generic)) else None
        return {"wait_epoch": self.wait_epoch, "stopped_epoch": self.stopped_epoch,
                "best_value": best}  # fmt: skip

    def set_state_dict(self, state: dict) -> None:
        self.wait_epoch = int(state["wait_epoch"])
        self.stopped_epoch = int(state["stopped_epoch"])
        if state.get("best_value") is not None:
            self.best_value = state["best_value"]


_VISUALDL_MISSING = (
    "paddle.callbacks.VisualDL writes VisualDL logs and needs the `visualdl` package, which is "
    "not installed. Install it with `pip install 'paddlefish[visualdl]'` (or `pip install "
    "visualdl`), or drop the VisualDL callback."
)


class VisualDL(Callback):
    """Writes the training loss/metrics per step and the evaluation results per epoch as VisualDL
    scalars (``train/loss``, ``eval/acc``, ...) under ``log_dir``. Needs the optional
    ``visualdl`` package (``pip install 'paddlefish[visualdl]'``); without it, constructing the
    callback raises ``ImportError`` saying so.

    >>> from paddlefish.hapi.callbacks import VisualDL
    >>> try:
    ...     cb = VisualDL(log_dir="vdl_logs")
    ... except ImportError as e:
    ...     print("visualdl" in str(e))
    ... else:
    ...     print(True)
    True
    """

    def __init__(self, log_dir: str) -> None:
        self._visualdl = try_import("visualdl", _VISUALDL_MISSING)
        self.log_dir = log_dir
        self.epochs = None
        self.steps = None
        self.epoch = 0
        self.model = None
        self.params = {}

    def _is_write(self) -> bool:
        return local_rank() == 0

    def on_train_begin(self, logs=None) -> None:
        self.epochs = self.params["epochs"]
        assert self.epochs, "VisualDL needs params['epochs'] (set by Model.fit)"
        self.train_metrics = self.params["metrics"]
        assert self.train_metrics, "VisualDL needs params['metrics'] (set by Model.fit)"
        self._is_fit = True
        self.train_step = 0

    def on_epoch_begin(self, epoch=None, logs=None) -> None:
        self.steps = self.params["steps"]
        self.epoch = epoch

    def _updates(self, logs, mode: str) -> None:
        if not self._is_write():
            return
        if not hasattr(self, "writer"):
            self.writer = self._visualdl.LogWriter(self.log_dir)
        metrics = getattr(self, f"{mode}_metrics")
        total_step = getattr(self, f"{mode}_step") if mode == "train" else self.epoch
        for k in metrics:
            if k in logs:
                value = _scalar(logs[k])
                if value is not None:
                    self.writer.add_scalar(tag=f"{mode}/{k}", step=total_step, value=value)

    def on_train_batch_end(self, step, logs=None) -> None:
        self.train_step += 1
        if self._is_write():
            self._updates(logs or {}, "train")

    def on_eval_begin(self, logs=None) -> None:
        self.eval_steps = logs.get("steps", None)
        self.eval_metrics = logs.get("metrics", [])
        self.eval_step = 0
        self.evaled_samples = 0

    def on_train_end(self, logs=None) -> None:
        if hasattr(self, "writer"):
            self.writer.close()
            delattr(self, "writer")

    def on_eval_end(self, logs=None) -> None:
        if self._is_write():
            self._updates(logs, "eval")
            if not hasattr(self, "_is_fit") and hasattr(self, "writer"):
                self.writer.close()
                delattr(self, "writer")


class WandbCallback(Callback):
    """Logs training/evaluation scalars to Weights & Biases (needs ``pip install wandb``)."""

    def __init__(self, project=None, entity=None, name=None, dir=None, mode=None,
                 job_type=None, **kwargs) -> None:  # fmt: skip
        self.wandb = try_import(
            "wandb",
            "You want to use `wandb` which is not installed yet install it with "
            "`pip install wandb`",
        )
        self.wandb_args = {"project": project, "name": name, "entity": entity, "dir": dir,
                           "mode": mode, "job_type": job_type, **kwargs}  # fmt: skip
        self._run = None
        self.model = None
        self.params = {}
        _ = self.run

    def _is_write(self) -> bool:
        return local_rank() == 0

    @property
    def run(self):
        if self._is_write() and self._run is None:
            if self.wandb.run is not None:
                warnings.warn(
                    "There is a wandb run already in progress and newly created instances of "
                    "`WandbCallback` will reuse this run. If this is not desired , call "
                    "`wandb.finish()` before instantiating `WandbCallback`."
                )
                self._run = self.wandb.run
            else:
                self._run = self.wandb.init(**self.wandb_args)
        return self._run

    def on_train_begin(self, logs=None) -> None:
        self.epochs = self.params["epochs"]
        self.train_metrics = self.params["metrics"]
        self._is_fit = True
        self.train_step = 0
        if self._is_write():
            self.run.define_metric("train/step")
            self.run.define_metric("train/*", step_metric="train/step")
            self.run.define_metric("epoch")
            self.run.define_metric("eval/*", step_metric="epoch")

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self.steps = self.params["steps"]
        self.epoch = epoch

    def _updates(self, logs, mode: str) -> None:
        if not self._is_write():
            return
        metrics = getattr(self, f"{mode}_metrics")
        out = {"train/step": self.train_step} if mode == "train" else {"epoch": self.epoch}
        for k in metrics:
            if k in logs and _scalar(logs[k]) is not None:
                out[f"{mode}/{k}"] = _scalar(logs[k])
        self.run.log(out)

    def on_train_batch_end(self, step, logs=None) -> None:
        self.train_step += 1
        if self._is_write():
            self._updates(logs or {}, "train")

    def on_eval_begin(self, logs=None) -> None:
        self.eval_steps = logs.get("steps", None)
        self.eval_metrics = logs.get("metrics", [])
        self.eval_step = 0
        self.evaled_samples = 0

    def on_train_end(self, logs=None) -> None:
        if self._is_write():
            self.run.finish()

    def on_eval_end(self, logs=None) -> None:
        if self._is_write():
            self._updates(logs, "eval")
            if not hasattr(self, "_is_fit"):
                self.run.finish()


class ReduceLROnPlateau(Callback):
    """Multiplies a float learning rate by ``factor`` when the monitored evaluation value has not
    improved for ``patience`` evaluations (not for LR schedulers — Paddle warns and skips then).

    >>> from paddlefish.hapi.callbacks import ReduceLROnPlateau
    >>> ReduceLROnPlateau(factor=0.5, patience=2).factor
    0.5
    """

    def __init__(
        self,
        monitor: str = "loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 1,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0,
    ) -> None:
        super().__init__()
        self.monitor = monitor
        if factor >= 1.0:
            raise ValueError("ReduceLROnPlateau does not support a factor >= 1.0.")
        self.factor = factor
        self.min_lr = min_lr
        self.min_delta = min_delta
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0
        self.best = 0
        self.mode = mode
        self.monitor_op = None
        self.epoch = 0
        self._reset()

    def _reset(self) -> None:
        if self.mode not in ("auto", "min", "max"):
            warnings.warn(
                f"Learning rate reduction mode {self.mode} is unknown, fallback to auto mode."
            )
            self.mode = "auto"
        if self.mode == "min" or (self.mode == "auto" and "acc" not in self.monitor):
            self.monitor_op = lambda a, b: np.less(a, b - self.min_delta)
            self.best = np.inf
        else:
            self.monitor_op = lambda a, b: np.greater(a, b + self.min_delta)
            self.best = -np.inf
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None) -> None:
        self._reset()

    def _float_lr(self) -> bool:
        try:
            lr = self.model._optimizer._learning_rate
        except Exception as e:  # noqa: BLE001 - Paddle warns and carries on here
            warnings.warn(f"There are something wrong when get learning_rate from optimizer: {e}.")
            return False
        if not isinstance(lr, float):
            warnings.warn(f"Expected learning_rate be float, bug got {type(lr)}.")
            return False
        return True

    def on_eval_end(self, logs=None) -> None:
        if logs is None or self.monitor not in logs:
            warnings.warn("Monitor of ReduceLROnPlateau should be loss or metric name.")
            return
        if not self._float_lr():
            return
        current = _scalar(logs[self.monitor])
        if current is None:
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.monitor_op(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                self._reduce()
        self.epoch += 1

    def _reduce(self) -> None:
        old_lr = self.model._optimizer.get_lr()
        if old_lr > np.float32(self.min_lr):
            new_lr = max(old_lr * self.factor, self.min_lr)
            self.model._optimizer._learning_rate = new_lr
            if self.verbose > 0 and local_rank() == 0:
                print(
                    "\nEpoch %d: ReduceLROnPlateau reducing learning rate to %s."
                    % (self.epoch + 1, new_lr)
                )
            self.cooldown_counter = self.cooldown
            self.wait = 0

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def state_dict(self) -> dict:
        """The counters, for ``Model.fit(resume=True)`` (paddlefish addition)."""
        return {"best": float(self.best), "wait": self.wait, "epoch": self.epoch,
                "cooldown_counter": self.cooldown_counter}  # fmt: skip

    def set_state_dict(self, state: dict) -> None:
        self.best = state["best"]
        self.wait = int(state["wait"])
        self.epoch = int(state["epoch"])
        self.cooldown_counter = int(state["cooldown_counter"])
