"""``CheckpointManager``: numbered step directories, committed atomically, kept by policy,
saved in the background if asked, restored with a fallback past damaged steps."""

from __future__ import annotations

import signal
import threading
import time
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..io import _rng
from . import _fork, _state
from ._errors import (
    CheckpointError,
    CheckpointSaveError,
    DamagedCheckpointError,
    NotACheckpointError,
)
from ._policy import KeepPolicy, SavePolicy, resolve_async_mode
from ._storage import MANIFEST, LocalStorage, open_storage, step_dirname, step_of

__all__ = ["CheckpointManager", "CheckpointWarning", "RestoredState"]

FORMAT = "paddlefish.checkpoint/1"


class CheckpointWarning(UserWarning):
    """A damaged step was skipped, or a save was forced by preemption."""


@dataclass(frozen=True)
class RestoredState:
    """What ``restore`` brought back besides the objects it filled in."""

    step: int
    data_state: Any = None
    metrics: dict[str, Any] = field(default_factory=dict)
    metadata: Any = None


class CheckpointManager:
    """Training checkpoints in ``directory``: one ``step_<n>`` folder per save, each committed
    atomically (see NOTE [step commit] in ``_storage.py``) and holding ``model.pdparams``,
    ``optimizer.pdopt``, ``lr_scheduler.pdopt``, ``scaler.pdopt`` (real Paddle's ``paddle.load``
    opens each), the random states, the data position and user metadata (JSON).

    ``directory``: a local folder or an fsspec URL (``memory://run``, ``s3://bucket/run`` with
    ``storage_options`` such as ``{"endpoint_url": ...}``). ``max_to_keep``: keep the newest N
    steps. ``keep_best=(metric, mode, k)``: also keep the best k by ``metrics[metric]``.
    ``save_interval_steps`` / ``save_interval_seconds``: ``save`` skips (returns False) a step
    that is not a multiple of the first and comes sooner than the second after the last save.
    ``async_save``: ``save`` snapshots the state and returns; it is written in the background
    (one save at a time), and a failure is raised by the next ``save`` or ``wait``.
    ``async_mode``: how that snapshot is taken. ``"fork"``: a forked child process writes the
    copy-on-write image of the state, so ``save`` blocks only for the fork (local directories on
    POSIX; see NOTE [fork snapshot] in ``_fork.py``). ``"copy"``: the state is copied into host
    buffers and a thread writes it (any storage). ``"auto"`` (default): fork for a local
    directory where ``os.fork`` exists, copy otherwise; a save made once CUDA is initialised
    always copies.

    >>> import tempfile, paddlefish as paddle
    >>> from paddlefish.checkpoint import CheckpointManager
    >>> net = paddle.nn.Linear(2, 2)
    >>> opt = paddle.optimizer.Adam(parameters=net.parameters())
    >>> mgr = CheckpointManager(tempfile.mkdtemp(), max_to_keep=2)
    >>> for step in (1, 2, 3):
    ...     _ = mgr.save(step, model=net, optimizer=opt, data_state={"epoch": 0, "batch": step})
    >>> mgr.all_steps()
    [2, 3]
    >>> r = mgr.restore(model=net, optimizer=opt); r.step, r.data_state
    (3, {'batch': 3, 'epoch': 0})
    """

    def __init__(
        self,
        directory: Any,
        max_to_keep: int | None = None,
        keep_best: tuple[str, str, int] | None = None,
        save_interval_steps: int | None = None,
        save_interval_seconds: float | None = None,
        async_save: bool = False,
        storage_options: dict[str, Any] | None = None,
        async_mode: str = "auto",
    ) -> None:
        if not isinstance(async_save, bool):
            raise TypeError(f"CheckpointManager: async_save must be a bool, got {async_save!r}")
        self._storage = open_storage(directory, storage_options)
        local = isinstance(self._storage, LocalStorage)
        self._async_mode = resolve_async_mode(async_mode, local, _fork.fork_supported())
        self._save_policy = SavePolicy(save_interval_steps, save_interval_seconds)
        self._keep_policy = KeepPolicy(max_to_keep, keep_best)
        self._async = async_save
        self._lock = threading.Lock()
        self._metrics: dict[int, dict[str, Any]] = {}  # committed step -> metrics (cache)
        self._thread: threading.Thread | None = None
        self._error: tuple[int, BaseException] | None = None
        self._preempted_by: int | None = None
        self._old_handlers: dict[int, Any] = {}
        self._stager = _state.Stager()  # see NOTE [staging buffers]
        self._closed = False

    # ---- listing ---------------------------------------------------------------------------
    @property
    def directory(self) -> str:
        return self._storage.url()

    def all_steps(self) -> list[int]:
        """Every committed step, ascending (a step whose save did not finish is not one)."""
        steps = []
        for name in self._storage.list_names():
            s = step_of(name)
            if s is not None and self._storage.exists(f"{name}/{MANIFEST}"):
                steps.append(s)
        return sorted(steps)

    def latest_step(self) -> int | None:
        """The newest committed step, or None. ``restore()`` may fall back to an older one if
        this one turns out damaged; ``RestoredState.step`` says which it used."""
        steps = self.all_steps()
        return steps[-1] if steps else None

    # ---- saving ----------------------------------------------------------------------------
    @property
    def preempted(self) -> bool:
        """True once a signal given to ``install_preemption_handler`` arrived: finish the step,
        ``save`` (it then always saves, synchronously), ``close`` and exit."""
        return self._preempted_by is not None

    def save(
        self,
        step: int,
        *,
        model: Any = None,
        optimizer: Any = None,
        lr_scheduler: Any = None,
        scaler: Any = None,
        data_state: Any = None,
        metrics: dict[str, Any] | None = None,
        metadata: Any = None,
        force: bool = False,
    ) -> bool:
        """Save a step; False when the interval policy skips it (or it is already saved).

        ``force=True`` (and a preemption) saves regardless. With ``async_save`` the state is
        copied now and written in the background, after the previous background save finished;
        a failure of that previous save is raised here (as ``CheckpointSaveError``) and nothing
        new is saved.
        """
        self._check_open("save")
        _check_step(step)
        self._join_and_raise()
        forced = force or self.preempted
        if not forced and (not self._save_policy.should_save(step) or step in self._committed()):
            return False
        parts = {
            name: _state.state_of(arg, obj)
            for arg, obj, name in (
                ("model", model, _state.MODEL),
                ("optimizer", optimizer, _state.OPTIMIZER),
                ("lr_scheduler", lr_scheduler, _state.LR),
                ("scaler", scaler, _state.SCALER),
            )
            if obj is not None
        }
        json_files = {_state.RNG: _state.rng_bytes()}
        if data_state is not None:
            json_files[_state.DATA] = _state.encode_json("data_state", data_state)
        if metadata is not None:
            json_files[_state.META] = _state.encode_json("metadata", metadata)
        metrics = _state.json_metrics(metrics)
        _state.encode_json("metrics", metrics)
        self._save_policy.saved()
        if self._async and not self.preempted:
            self._thread = self._start_background(step, parts, json_files, metrics)
        else:
            self._write(step, _writers(parts, json_files), metrics)
        return True

    def _start_background(
        self, step: int, parts: dict, json_files: dict, metrics: dict[str, Any]
    ) -> threading.Thread:
        """Snapshot the state (see ``async_mode``) and start the thread that finishes the save."""
        child = None
        if self._async_mode == "fork" and _fork.fork_blocker() is None:
            writers = _writers(parts, json_files)
            child = _fork.start(lambda: self._commit(step, writers, metrics))
        if child is not None:
            target, args = self._await_child, (step, child, metrics)
        else:
            parts = {k: self._stager.snapshot(v, (k,)) for k, v in parts.items()}
            target, args = self._background, (step, _writers(parts, json_files), metrics)
        thread = threading.Thread(
            target=target, args=args, name=f"CheckpointManager save step {step}"
        )
        thread.start()
        return thread

    def _commit(self, step: int, writers: dict, metrics: dict[str, Any]) -> None:
        def manifest(entries: dict) -> bytes:
            return _state.encode_json(
                "the manifest",
                {"format": FORMAT, "step": step, "time": time.time(), "metrics": metrics,
                 "files": entries},
            )  # fmt: skip

        self._storage.write_step(step, writers, manifest)

    def _write(self, step: int, writers: dict, metrics: dict[str, Any]) -> None:
        self._commit(step, writers, metrics)
        self._committed_now(step, metrics)

    def _committed_now(self, step: int, metrics: dict[str, Any]) -> None:
        with self._lock:
            self._metrics[step] = metrics
        self._apply_keep_policy(step)

    def _background(self, step: int, writers: dict, metrics: dict[str, Any]) -> None:
        try:
            self._write(step, writers, metrics)
        except BaseException as e:  # noqa: BLE001 - raised by the next save() or wait()
            self._error = (step, e)

    def _await_child(self, step: int, child: _fork.ForkedWrite, metrics: dict[str, Any]) -> None:
        try:
            child.wait()  # the child committed the step; retention runs here, in the parent
            self._committed_now(step, metrics)
        except BaseException as e:  # noqa: BLE001 - raised by the next save() or wait()
            self._error = (step, e)

    def _committed(self) -> dict[int, dict[str, Any]]:
        """Committed steps -> metrics, reading manifests not seen yet."""
        steps = self.all_steps()
        with self._lock:
            known = dict(self._metrics)
        out = {}
        for s in steps:
            if s not in known:
                try:
                    m = _state.decode_json(s, self._storage.read(_manifest(s)))
                    known[s] = m.get("metrics", {}) if isinstance(m, dict) else {}
                except (OSError, CheckpointError):
                    known[s] = {}
            out[s] = known[s]
        with self._lock:
            self._metrics = dict(out)
        return out

    def _apply_keep_policy(self, newest: int) -> None:
        steps = self._committed()
        keep = self._keep_policy.to_keep(steps) | {newest}
        for s in sorted(set(steps) - keep):
            self._storage.remove_step(s)
            with self._lock:
                self._metrics.pop(s, None)
        self._storage.cleanup(newest)

    def wait(self) -> None:
        """Wait for the background save in flight, if any; raise its failure."""
        self._join_and_raise()

    def _join_and_raise(self) -> None:
        t = self._thread
        if t is not None:
            t.join()
            self._thread = None
        if self._error is not None:
            step, e = self._error
            self._error = None
            raise CheckpointSaveError(
                f"CheckpointManager: the background save of step {step} to {self.directory} "
                f"failed ({type(e).__name__}: {e}); that step was not committed and the "
                f"checkpoints before it are intact (latest: {self.latest_step()})"
            ) from e

    # ---- restoring -------------------------------------------------------------------------
    def restore(
        self,
        step: int | None = None,
        *,
        model: Any = None,
        optimizer: Any = None,
        lr_scheduler: Any = None,
        scaler: Any = None,
    ) -> RestoredState:
        """Load a step (default: the newest good one) into the given objects and restore the
        random states (Python, numpy, torch) saved with it.

        A damaged step (a file missing, truncated or changed since it was committed) is skipped
        with a ``CheckpointWarning`` naming the problem, and the next older step is tried; an
        explicitly requested ``step`` is never replaced by another one.
        """
        self._check_open("restore")
        self._thread_join_quietly()
        if step is not None:
            _check_step(step)
        steps = self.all_steps()
        if not steps:
            raise NotACheckpointError(self._why_not_a_checkpoint())
        if step is not None and step not in steps:
            raise CheckpointError(
                f"CheckpointManager.restore: no committed step {step} in {self.directory}; its "
                f"committed steps are {steps}. Give one of those, or step=None for the newest"
            )
        objs = {"model": model, "optimizer": optimizer, "lr_scheduler": lr_scheduler,
                "scaler": scaler}  # fmt: skip
        problems = []
        for s in [step] if step is not None else reversed(steps):
            try:
                files, manifest = self._read_verified(s)
            except DamagedCheckpointError as e:
                if step is not None:
                    raise
                problems.append(str(e))
                warnings.warn(f"{e}; trying an older step", CheckpointWarning, stacklevel=2)
                continue
            return self._apply(s, files, manifest, objs)
        raise DamagedCheckpointError(
            f"CheckpointManager.restore: every step in {self.directory} is damaged:\n  "
            + "\n  ".join(problems)
        )

    def _thread_join_quietly(self) -> None:
        if self._thread is not None:
            self._thread.join()  # its error stays for the next save()/wait()
            self._thread = None

    def _read_verified(self, step: int) -> tuple[dict[str, bytes], dict]:
        where = self._storage.url(step_dirname(step))

        def damaged(problem: str) -> DamagedCheckpointError:
            return DamagedCheckpointError(
                f"checkpoint step {step} at {where} is damaged: {problem}"
            )

        try:
            manifest = _state.decode_json(MANIFEST, self._storage.read(_manifest(step)))
        except (OSError, CheckpointError) as e:
            raise damaged(f"its manifest {MANIFEST} cannot be read ({e})") from e
        entries = manifest.get("files") if isinstance(manifest, dict) else None
        if manifest.get("format") != FORMAT or not isinstance(entries, dict):
            raise damaged(f"{MANIFEST} is not a paddlefish checkpoint manifest ({FORMAT})")
        files = {}
        for name, e in entries.items():
            rel = f"{step_dirname(step)}/{name}"
            try:
                data = self._storage.read(rel)
            except (FileNotFoundError, OSError):
                raise damaged(f"{name} is missing") from None
            if len(data) != e.get("size"):
                raise damaged(
                    f"{name} has {len(data)} bytes, the manifest records {e.get('size')} "
                    f"({'truncated' if len(data) < e.get('size', 0) else 'changed'})"
                )
            if zlib.crc32(data) != e.get("crc32"):
                raise damaged(f"{name} has changed since it was saved (CRC-32 mismatch)")
            files[name] = data
        return files, manifest

    def _apply(self, step: int, files: dict, manifest: dict, objs: dict) -> RestoredState:
        where = self._storage.url(step_dirname(step))
        decoded = {}
        for arg, obj in objs.items():
            if obj is None:
                continue
            name = _state.PARTS[arg]
            if name not in files:
                raise CheckpointError(
                    f"CheckpointManager.restore: step {step} at {where} holds no {arg} state (it "
                    f"was saved without {arg}=); restore without {arg}=, or from a step saved "
                    "with it"
                )
            decoded[arg] = _state.decode_pickle(f"{where}/{name}", files[name])
        if "model" in decoded:
            _state.check_model_state(f"{where}/{_state.MODEL}", objs["model"], decoded["model"])
        rng = None
        if _state.RNG in files:
            rng = _rng.from_json(_state.decode_json(_state.RNG, files[_state.RNG]))

        def js(name: str) -> Any:
            return _state.decode_json(f"{where}/{name}", files[name]) if name in files else None

        data_state, metadata = js(_state.DATA), js(_state.META)
        for arg, value in decoded.items():  # everything is decoded and checked: now apply
            _set_state(objs[arg], value)
        if rng is not None:
            _rng.restore(rng)
        return RestoredState(step, data_state, dict(manifest.get("metrics") or {}), metadata)

    def _why_not_a_checkpoint(self) -> str:
        names = sorted(self._storage.list_names())
        url = self.directory
        if not names:
            return (
                f"{url} is not a checkpoint directory: it is empty or does not exist. Save "
                "with CheckpointManager.save first, or check the path"
            )
        unfinished = [n for n in names if step_of(n) is not None]
        if unfinished:
            return (
                f"{url} holds no committed checkpoint: {', '.join(unfinished)} have no "
                f"{MANIFEST} (their saves never finished)"
            )
        shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
        hint = ""
        if any(n.endswith((".pdparams", ".pdopt")) for n in names):
            hint = "; for .pdparams/.pdopt files use paddle.load(path) and set_state_dict"
        return (
            f"{url} is not a checkpoint directory: it has no step_<n>/{MANIFEST} folders "
            f"written by CheckpointManager (it holds {shown}){hint}"
        )

    # ---- preemption and lifetime -----------------------------------------------------------
    def install_preemption_handler(self, signals: Iterable[int] = (signal.SIGTERM,)) -> None:
        """On any of ``signals``, set ``preempted`` instead of dying: the loop then finishes its
        step, calls ``save`` (forced and synchronous), ``close`` and exits. ``close`` puts the
        previous handlers back. Call from the main thread.

        >>> import signal, tempfile
        >>> mgr = CheckpointManager(tempfile.mkdtemp())
        >>> mgr.install_preemption_handler((signal.SIGUSR1,))
        >>> signal.raise_signal(signal.SIGUSR1); mgr.preempted
        True
        >>> mgr.close()
        """
        self._check_open("install_preemption_handler")
        if threading.current_thread() is not threading.main_thread():
            raise CheckpointError(
                "CheckpointManager.install_preemption_handler: signal handlers can only be "
                "installed from the main thread; call it there"
            )
        for sig in signals:
            previous = signal.signal(sig, self._on_signal)
            self._old_handlers.setdefault(sig, previous)

    def _on_signal(self, signum: int, frame: Any) -> None:
        self._preempted_by = signum

    def close(self) -> None:
        """Wait for the save in flight (raising its failure) and put signal handlers back."""
        if self._closed:
            return
        try:
            self._join_and_raise()
        finally:
            self._closed = True
            self._stager = _state.Stager()
            for sig, h in self._old_handlers.items():
                signal.signal(sig, h)
            self._old_handlers.clear()

    def __enter__(self) -> CheckpointManager:  # noqa: PYI034 - Python 3.10 has no Self
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_open(self, what: str) -> None:
        if self._closed:
            raise CheckpointError(
                f"CheckpointManager.{what}: this manager is closed; make a new CheckpointManager"
            )

    def __repr__(self) -> str:
        return f"CheckpointManager({self.directory!r}, steps={self.all_steps()})"


def _manifest(step: int) -> str:
    return f"{step_dirname(step)}/{MANIFEST}"


def _check_step(step: Any) -> None:
    if not isinstance(step, int) or isinstance(step, bool) or step < 0:
        raise ValueError(f"CheckpointManager: step must be a non-negative int, got {step!r}")


def _bytes_writer(data: bytes):
    return lambda f: f.write(data)


def _writers(parts: dict, json_files: dict) -> dict:
    writers = {k: _state.pickle_writer(v) for k, v in parts.items()}
    writers.update({k: _bytes_writer(v) for k, v in json_files.items()})
    return writers


def _set_state(obj: Any, state: Any) -> None:
    fn = getattr(obj, "set_state_dict", None) or getattr(obj, "load_state_dict", None)
    if fn is None:
        raise TypeError(f"CheckpointManager.restore: {type(obj).__name__} has no set_state_dict()")
    fn(state)
