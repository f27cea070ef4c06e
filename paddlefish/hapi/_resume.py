"""``Model.fit(..., resume=True)`` / ``fit(checkpoint=CheckpointManager(...))``: training state
saved through ``paddlefish.checkpoint`` during ``fit`` and restored by the next ``fit`` (a
paddlefish addition; real Paddle's ``fit`` has no resume).

NOTE [fit resume state]: a step holds the network, the optimizer (with its LR scheduler under
``LR_Scheduler``) and the random states — the manager's part — and, as JSON, the data position
(``epoch``, ``step`` within it, the ``DataLoader.state_dict()`` of an interrupted pass and the
batch sampler's ``epoch``, which seeds Paddle's per-epoch shuffle), the metrics' running sums
(so the printed running averages continue), the counters of callbacks that have
``state_dict()`` (``EarlyStopping``, ``ReduceLROnPlateau``) and a float learning rate (which
Paddle's optimizer state does not hold). A step is saved only after an optimizer update (never
in the middle of ``accumulate_grad_batches``), as the manager's interval policy allows; every
epoch end is saved (forced) after evaluation. So a run killed at any instant and started again
with the same command repeats no update and skips none: the batches and losses that follow are
those of an uninterrupted run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..checkpoint import CheckpointManager
from ._callbacks import ProgBarLogger

__all__ = ["FitCheckpoint", "FitPosition", "TrainingPreempted"]

_FORMAT = "paddlefish.Model.fit/1"
DEFAULT_INTERVAL_SECONDS = 300.0


class TrainingPreempted(SystemExit):
    """Raised by ``fit`` after a preemption signal: the step finished and was saved. Uncaught,
    the process exits with status 0; start the same command again to resume."""


@dataclass
class FitPosition:
    epoch: int = 0
    step: int = 0  # batches of ``epoch`` already trained
    global_step: int = 0  # batches trained since the run began
    callbacks: dict | None = None


def _json_value(v: Any) -> Any:
    if isinstance(v, np.ndarray):
        return {"ndarray": v.tolist(), "dtype": str(v.dtype)}
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, (list, tuple)):
        return [_json_value(x) for x in v]
    return v


def _from_json(v: Any) -> Any:
    if isinstance(v, dict) and set(v) == {"ndarray", "dtype"}:
        return np.asarray(v["ndarray"], dtype=v["dtype"])
    return v


def _plain(v: Any) -> bool:
    if isinstance(v, (bool, int, float, np.generic, np.ndarray)):
        return True
    return isinstance(v, (list, tuple)) and all(isinstance(x, (int, float, np.generic)) for x in v)


def metric_state(metric) -> dict:
    """The running sums of a metric (its numeric attributes), as JSON data."""
    return {k: _json_value(v) for k, v in vars(metric).items() if _plain(v)}


def set_metric_state(metric, state: dict) -> None:
    for k, v in state.items():
        if k in vars(metric):
            setattr(metric, k, _from_json(v))


def _callback_key(i: int, cb) -> str:
    return f"{i}:{type(cb).__name__}"


class FitCheckpoint:
    """The checkpointing side of one ``fit`` call (see NOTE [fit resume state])."""

    def __init__(self, checkpoint, resume: bool, save_dir: str | None) -> None:
        self.owned = False
        self.resume = bool(resume)
        if checkpoint is None and not resume:
            self.mgr = None
            return
        if checkpoint is None:
            if save_dir is None:
                raise ValueError(
                    "Model.fit(resume=True) needs save_dir= (checkpoints then go to "
                    "save_dir/checkpoints) or checkpoint=CheckpointManager(...)"
                )
            checkpoint = CheckpointManager(
                os.path.join(save_dir, "checkpoints"), max_to_keep=2,
                save_interval_seconds=DEFAULT_INTERVAL_SECONDS,
            )  # fmt: skip
            checkpoint.install_preemption_handler()
            self.owned = True
        elif not isinstance(checkpoint, CheckpointManager):
            raise TypeError(
                "Model.fit(checkpoint=...) takes a paddlefish.checkpoint.CheckpointManager, got "
                f"{type(checkpoint).__name__}"
            )
        if not self.resume and checkpoint.latest_step() is not None:
            raise ValueError(
                f"Model.fit: {checkpoint.directory} already holds checkpoints (steps "
                f"{checkpoint.all_steps()}) of an earlier run; pass resume=True to continue it, "
                "or give an empty directory"
            )
        self.mgr = checkpoint

    @property
    def active(self) -> bool:
        return self.mgr is not None

    # ---- restoring ---------------------------------------------------------------------------
    def restore(self, model, loader) -> FitPosition:
        if self.mgr is None or not self.resume or self.mgr.latest_step() is None:
            return FitPosition()
        r = self.mgr.restore(model=model.network, optimizer=model._optimizer)
        ds = r.data_state or {}
        if ds.get("format") != _FORMAT:
            raise ValueError(
                f"Model.fit(resume=True): checkpoint step {r.step} in {self.mgr.directory} was "
                "not saved by Model.fit (no fit data position); restore it with "
                "CheckpointManager.restore in your own loop instead"
            )
        self._restore_loader(loader, ds)
        meta = r.metadata or {}
        for metric, state in zip(model._metrics, meta.get("metrics", [])):
            set_metric_state(metric, state)
        if meta.get("lr") is not None and model._optimizer is not None:
            model._optimizer._learning_rate = float(meta["lr"])
        model.stop_training = bool(ds.get("stopped", False))
        print(
            f"Resuming from checkpoint step {r.step} in {self.mgr.directory}: epoch "
            f"{ds['epoch'] + 1}, step {ds['step']}"
        )
        return FitPosition(ds["epoch"], ds["step"], ds["global_step"], meta.get("callbacks"))

    @staticmethod
    def _restore_loader(loader, ds: dict) -> None:
        sampler = getattr(loader, "batch_sampler", None)
        if ds.get("sampler_epoch") is not None and sampler is not None:
            sampler.epoch = ds["sampler_epoch"]
        if ds.get("loader") is not None and hasattr(loader, "set_state_dict"):
            loader.set_state_dict(ds["loader"])

    @staticmethod
    def restore_callbacks(cbks, pos: FitPosition) -> None:
        """After ``on_train_begin`` (which resets the callbacks' counters)."""
        for i, cb in enumerate(cbks):
            state = (pos.callbacks or {}).get(_callback_key(i, cb))
            if state is not None and hasattr(cb, "set_state_dict"):
                cb.set_state_dict(state)

    @staticmethod
    def resume_epoch(cbks, pos: FitPosition, epoch: int) -> None:
        """After ``on_epoch_begin`` of a resumed epoch: the progress counters continue."""
        if epoch == pos.epoch and pos.step:
            for cb in cbks:
                if isinstance(cb, ProgBarLogger):
                    cb.train_step = pos.step

    # ---- saving ------------------------------------------------------------------------------
    def _state(self, model, cbks, loader, epoch: int, step: int, global_step: int) -> tuple:
        sampler = getattr(loader, "batch_sampler", None)
        epoch_of_sampler = getattr(sampler, "epoch", None)
        data = {
            "format": _FORMAT,
            "epoch": epoch,
            "step": step,
            "global_step": global_step,
            "stopped": bool(model.stop_training),
            "loader": loader.state_dict() if step and hasattr(loader, "state_dict") else None,
            "sampler_epoch": epoch_of_sampler if isinstance(epoch_of_sampler, int) else None,
        }
        lr = getattr(model._optimizer, "_learning_rate", None)
        meta = {
            "metrics": [metric_state(m) for m in model._metrics] if step else [],
            "callbacks": {_callback_key(i, cb): cb.state_dict() for i, cb in enumerate(cbks)
                          if hasattr(cb, "state_dict")},  # fmt: skip
            "lr": lr if isinstance(lr, float) else None,
        }
        return data, meta

    def after_step(self, model, cbks, loader, epoch: int, step: int, global_step: int,
                   logs: dict, updated: bool, last_in_epoch: bool) -> None:  # fmt: skip
        """After a training batch's callbacks; ``step`` batches of ``epoch`` are done."""
        if self.mgr is None or not updated:
            return
        if last_in_epoch and not self.mgr.preempted:
            return  # the epoch-end save (after evaluation) covers it
        data, meta = self._state(model, cbks, loader, epoch, step, global_step)
        loss = logs.get("loss")
        metrics = {"loss": float(loss[0])} if isinstance(loss, list) and loss else None
        self.mgr.save(global_step, model=model.network, optimizer=model._optimizer,
                      data_state=data, metrics=metrics, metadata=meta)  # fmt: skip
        self._check_preempted(global_step)

    def after_epoch(self, model, cbks, loader, epoch: int, global_step: int, eval_logs) -> None:
        """After the epoch's evaluation: the next position is the start of ``epoch + 1``."""
        if self.mgr is None:
            return
        data, meta = self._state(model, cbks, loader, epoch + 1, 0, global_step)
        metrics = {}
        for k, v in (eval_logs or {}).items():
            v = v[0] if isinstance(v, list) and v else v
            if isinstance(v, (int, float, np.generic)) and k not in ("step", "batch_size"):
                metrics[f"eval_{k}"] = float(v)
        self.mgr.save(global_step, model=model.network, optimizer=model._optimizer,
                      data_state=data, metrics=metrics, metadata=meta, force=True)  # fmt: skip
        self._check_preempted(global_step)

    def _check_preempted(self, global_step: int) -> None:
        if self.mgr.preempted:
            where = self.mgr.directory
            self.close()
            print(
                f"Training preempted: saved checkpoint step {global_step} in {where}; run the "
                "same command again to resume."
            )
            raise TrainingPreempted(0)

    def close(self) -> None:
        if self.mgr is not None:
            if self.owned:
                self.mgr.close()
            else:
                self.mgr.wait()
