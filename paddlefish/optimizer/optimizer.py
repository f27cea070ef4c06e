"""``paddle.optimizer.Optimizer``: the base class that owns the update loop.

A step: collect ``(param, grad)`` of trainable parameters that have a gradient, clip (the
optimizer's or the group's ``grad_clip``), add regularization terms, create accumulators lazily,
then call the subclass hook ``_update(param, grad, lr, hp)`` per parameter over torch tensors
under ``torch.no_grad()``, then ``_finish_update``. The learning rate is float32, as Paddle's
global learning-rate tensor is, and is multiplied by ``param.optimize_attr['learning_rate']``.

Accumulators are named and stored as Paddle does (see NOTE [optimizer accumulator matching] in
``_opt_state`` for loading).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from .._core import unique_name
from ..eager.dispatch import get_recorder, static_recording
from ..eager.tensor import Tensor, wrap
from ..nn.clip import GradientClipBase
from ._lr_base import LRScheduler
from ._lr_decays import LambdaDecay
from ._opt_state import OptimizerStateError, PositionMatcher, as_torch_value
from .regularizer import L2Decay, WeightDecayRegularizer

__all__ = ["Optimizer", "OptimizerStateError"]

_NOT_STATE = ("LR_Scheduler", "master_weights", "StructuredToParameterName@@")


class Optimizer:
    """Base class of all optimizers; use a subclass such as ``Adam``.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 1)
    >>> opt = paddle.optimizer.SGD(learning_rate=0.1, parameters=net.parameters())
    >>> net(paddle.ones([3, 2])).mean().backward()
    >>> opt.step(); opt.clear_grad()
    >>> opt.get_lr()
    0.1
    """

    def __init__(
        self,
        learning_rate: float | LRScheduler,
        parameters=None,
        weight_decay: float | WeightDecayRegularizer | None = None,
        grad_clip: GradientClipBase | None = None,
        name: str | None = None,
    ) -> None:
        owner = type(self).__name__
        # static mode (a recorder with ``minimize`` installed): parameters come from the program
        static = parameters is None and static_recording()
        self._parameter_list = [] if static else _check_parameters(parameters, owner)
        if not isinstance(learning_rate, (float, LRScheduler)):
            raise TypeError(
                f"{owner}: learning rate should be float or LRScheduler, got "
                f"{type(learning_rate).__name__} ({learning_rate!r}); write e.g. 0.1, not 1."
            )
        if (
            grad_clip is not None
            and not isinstance(grad_clip, GradientClipBase)
            and not callable(grad_clip)
        ):
            raise TypeError(f"{owner}: 'grad_clip' should be a ClipGradBy* instance")
        if isinstance(weight_decay, (int, float)) and not isinstance(weight_decay, bool):
            weight_decay = L2Decay(float(weight_decay))
        self.regularization = weight_decay
        self._grad_clip = grad_clip
        self._learning_rate = learning_rate
        self._name = name
        self._accumulators: dict[str, dict[str, Tensor]] = {}
        self._accumulators_holder: dict[str, Any] = {}
        self._matcher: PositionMatcher | None = None
        self._master_weights: dict[str, Tensor] = {}
        self._default_dict: dict[str, Any] = {}
        self._param_groups: list = []

    def _init_groups(self) -> None:
        """Called by subclasses once ``_default_dict`` is set (group defaults need it)."""
        plist = self._parameter_list
        if plist and isinstance(plist[0], dict):
            self._default_dict.setdefault("weight_decay", self.regularization)
            self._default_dict.setdefault("grad_clip", self._grad_clip)
            for group in plist:
                self._add_param_group(dict(group))
        else:
            self._param_groups = list(plist)

    def _add_param_group(self, group: dict) -> None:
        params = group.get("params")
        if params is None:
            raise ValueError(f"{type(self).__name__}: every parameter group needs a 'params' entry")
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters should be in ordered collections, not a set")
        group["params"] = list(params)
        for k, v in self._default_dict.items():
            group.setdefault(k, v)
        seen = {id(p) for g in self._param_groups for p in g["params"]}
        if any(id(p) in seen for p in group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        wd = group["weight_decay"]
        reg = L2Decay(float(wd)) if isinstance(wd, (int, float)) and wd is not None else wd
        for p in group["params"]:
            p.regularizer = reg
            p.optimize_attr["learning_rate"] = group.get("learning_rate", 1.0)
        self._param_groups.append(group)

    # ---- learning rate ----------------------------------------------------------------------
    def get_lr(self) -> float:
        """The current learning rate (the scheduler's value when one is used)."""
        if isinstance(self._learning_rate, float):
            return self._learning_rate
        return self._learning_rate()

    def set_lr(self, value: float) -> None:
        """Set a float learning rate; refused when the optimizer uses an LRScheduler."""
        if not isinstance(value, (int, float)):
            raise TypeError(f"set_lr: value must be a float, got {type(value).__name__}")
        if isinstance(self._learning_rate, LRScheduler):
            raise RuntimeError(  # noqa: TRY004 - Paddle raises RuntimeError here
                "optimizer's learning rate can't be LRScheduler when invoke this API, because "
                "this will lead to conflict. Use set_lr_scheduler() or step the scheduler."
            )
        self._learning_rate = float(value)

    def set_lr_scheduler(self, scheduler: LRScheduler) -> None:
        if not isinstance(scheduler, LRScheduler):
            raise TypeError(
                f"set_lr_scheduler: expected an LRScheduler, got {type(scheduler).__name__}"
            )
        self._learning_rate = scheduler

    def _param_lr(self, param, lr: np.float32) -> np.float32:
        attr = getattr(param, "optimize_attr", None)
        mult = attr.get("learning_rate", 1.0) if attr else 1.0
        return lr if mult == 1.0 else np.float32(lr * np.float32(mult))

    # ---- the step ---------------------------------------------------------------------------
    def _all_params(self) -> list:
        if self._param_groups and isinstance(self._param_groups[0], dict):
            return [p for g in self._param_groups for p in g["params"]]
        return list(self._param_groups)

    @torch.no_grad()
    def step(self) -> None:
        """Update every trainable parameter that has a gradient."""
        if self._param_groups and isinstance(self._param_groups[0], dict):
            for group in self._param_groups:
                self._step_group(group["params"], group)
        else:
            self._step_group(self._param_groups, None)

    def _collect(self, params) -> list[tuple[Any, torch.Tensor]]:
        return [(p, p._t.grad) for p in params if p._t.requires_grad and p._t.grad is not None]

    def _step_group(self, params, group: dict | None) -> list:
        pairs = self._collect(params)
        clip = self._grad_clip if group is None else group.get("grad_clip")
        if clip is not None and pairs:
            pairs = _apply_clip(clip, pairs)
        pairs = [(p, self._regularize(p, g)) for p, g in pairs]
        hp = self._hyper(group)
        self._create_accumulators([p for p, _ in pairs], hp)
        lr = np.float32(self.get_lr())
        for p, g in pairs:
            self._update(p, g, self._param_lr(p, lr), hp)
        self._finish_update(pairs, hp)
        return pairs

    def _hyper(self, group: dict | None) -> dict:
        if group is None:
            return self._default_dict
        return {k: group.get(k, v) for k, v in self._default_dict.items()}

    def _regularize(self, param, grad: torch.Tensor) -> torch.Tensor:
        reg = getattr(param, "regularizer", None) or self.regularization
        if reg is None:
            return grad
        if isinstance(reg, WeightDecayRegularizer):
            return grad + reg._term(param._t.detach())
        return grad + reg(param, wrap(grad))._t

    # ---- subclass hooks ---------------------------------------------------------------------
    def _create_accumulators(self, params: list, hp: dict) -> None:
        pass

    def _update(self, param, grad: torch.Tensor, lr: np.float32, hp: dict) -> None:
        raise NotImplementedError(
            f'Class "{type(self).__name__}" cannot be used directly as an optimizer, please use '
            'its subclasses such as "Adam"'
        )

    def _finish_update(self, pairs: list, hp: dict) -> None:
        pass

    # ---- accumulators -----------------------------------------------------------------------
    def _add_accumulator(
        self, name: str, param, dtype=None, fill_value: float = 0.0, shape=None, device=None
    ) -> torch.Tensor:
        kind = name if self._name is None else f"{self._name}_{name}"
        existing = self._accumulators.get(kind, {}).get(param.name)
        if existing is not None:
            return existing._t
        shape = list(param.shape) if shape is None else list(shape)
        var_name = unique_name.generate(param.name + "_" + kind)
        t = torch.full(
            shape,
            float(fill_value),
            dtype=dtype or param._t.dtype,
            device=device or param._t.device,
        )
        if self._accumulators_holder:
            key = self._holder_key(kind, param, var_name, shape)
            t.copy_(as_torch_value(self._accumulators_holder.pop(key), key, t))
        acc = wrap(t)
        acc.name = var_name
        acc.persistable = True
        self._accumulators.setdefault(kind, {})[param.name] = acc
        return t

    def _get_accumulator(self, name: str, param) -> torch.Tensor:
        kind = name if self._name is None else f"{self._name}_{name}"
        try:
            return self._accumulators[kind][param.name]._t
        except KeyError:
            raise KeyError(
                f"{type(self).__name__}: accumulator {kind!r} does not exist for parameter "
                f"{param.name}"
            ) from None

    def _holder_key(self, kind: str, param, var_name: str, shape) -> str:
        if var_name in self._accumulators_holder:
            return var_name
        if self._matcher is None:
            self._matcher = PositionMatcher(
                self._accumulators_holder, self._trainable(), type(self).__name__
            )
        return self._matcher.key_for(kind, param, var_name, shape)

    def _trainable(self) -> list:
        return [p for p in self._all_params() if not p.stop_gradient]

    # ---- state dict -------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Accumulators by name, grouped by kind (FORMATS.md 1.8), then ``LR_Scheduler``.

        >>> import paddlefish as paddle
        >>> opt = paddle.optimizer.Adam(parameters=paddle.nn.Linear(2, 1).parameters())
        >>> opt.state_dict()
        {}
        """
        state: dict[str, Any] = {}
        if not self._accumulators and self._accumulators_holder:
            state.update(self._accumulators_holder)
        else:
            for accs in self._accumulators.values():
                for acc in accs.values():
                    state[acc.name] = acc
        if self._master_weights:
            state["master_weights"] = self._master_weights
        if isinstance(self._learning_rate, LRScheduler):
            state["LR_Scheduler"] = self._learning_rate.state_dict()
        return state

    def set_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load ``state_dict()`` output (ours or real Paddle's ``paddle.load('x.pdopt')``).

        Accumulators are matched by name, or by parameter position when the names differ
        (see NOTE [optimizer accumulator matching]); before the first step they are kept and
        consumed when the accumulators are created.
        """
        if not isinstance(state_dict, dict):
            raise TypeError(
                f"{type(self).__name__}.set_state_dict: expected a dict such as "
                f"paddle.load('opt.pdopt'), got {type(state_dict).__name__}"
            )
        self._load_scheduler(state_dict)
        if "master_weights" in state_dict:
            self._master_weights = state_dict["master_weights"]
        rest = {k: v for k, v in state_dict.items() if k not in _NOT_STATE}
        self._accumulators_holder = rest
        self._matcher = None
        if self._accumulators:
            self._load_existing(rest)

    load_state_dict = set_state_dict
    set_dict = set_state_dict

    def _load_scheduler(self, state_dict: dict) -> None:
        sched = self._learning_rate
        if not isinstance(sched, LRScheduler):
            return
        lr_state = state_dict.get("LR_Scheduler")
        if lr_state is None and not isinstance(sched, LambdaDecay):
            raise OptimizerStateError(
                f"{type(self).__name__}.set_state_dict: LR_Scheduler state must be included in "
                f"the state dict (the optimizer uses {type(sched).__name__}); the dict has keys "
                f"{list(state_dict)[:8]}. Save it with opt.state_dict() from an optimizer with "
                "the same scheduler."
            )
        if lr_state:
            sched.set_state_dict(lr_state)

    def _load_existing(self, rest: dict) -> None:
        plan = []
        for kind, accs in self._accumulators.items():
            for pname, acc in accs.items():
                param = self._param_by_name(pname)
                key = self._holder_key(kind, param, acc.name, acc.shape)
                plan.append((acc, key, as_torch_value(rest[key], key, acc._t)))
        for acc, _key, value in plan:  # validated everything first: all or nothing
            acc._t.copy_(value)
        self._accumulators_holder = {}

    def _param_by_name(self, pname: str):
        for p in self._all_params():
            if p.name == pname:
                return p
        raise OptimizerStateError(f"parameter {pname} is no longer in the optimizer")

    # ---- gradients --------------------------------------------------------------------------
    def clear_grad(self, set_to_zero: bool = True) -> None:
        """Zero (``set_to_zero=True``) or drop the gradients of the optimized parameters."""
        for p in self._all_params():
            if not p.stop_gradient:
                p.clear_gradient(set_to_zero)

    clear_gradients = clear_grad

    def zero_grad(self, set_to_none: bool = True) -> None:
        self.clear_grad(set_to_zero=not set_to_none)

    @torch.no_grad()
    def minimize(self, loss, startup_program=None, parameters=None, no_grad_set=None):
        """Apply the gradients already computed by ``loss.backward()`` (Paddle dygraph).

        Returns ``(optimize_ops, params_grads)``: ``([], [(param, grad), ...])``.
        """
        if not isinstance(loss, Tensor):
            raise TypeError("minimize: the loss should be a Tensor")
        rec = get_recorder()
        if static_recording():  # static mode: the program trains when run (paddle.static)
            return rec.minimize(self, loss, startup_program, parameters, no_grad_set)
        params = self._all_params() if parameters is None else list(parameters)
        skip = {id(p) if not isinstance(p, str) else p for p in (no_grad_set or ())}
        params = [p for p in params if id(p) not in skip and p.name not in skip]
        if self._param_groups and isinstance(self._param_groups[0], dict) and parameters is None:
            pairs = [pg for g in self._param_groups for pg in self._step_group(g["params"], g)]
        else:
            pairs = self._step_group(params, None)
        return [], [(p, wrap(g)) for p, g in pairs]


def _check_parameters(parameters, owner: str) -> list:
    if parameters is None:
        raise AttributeError(
            f"{owner}: parameters argument given to the Optimizer should not be None in dygraph "
            "mode; pass parameters=model.parameters()."
        )
    if isinstance(parameters, Tensor):
        raise TypeError(
            f"{owner}: `parameters` should be an iterable of Tensors, got a single Tensor; "
            "wrap it in a list."
        )
    if isinstance(parameters, dict):
        raise TypeError(
            f"{owner}: `parameters` should not be a dict; for parameter groups pass a list of "
            "dicts."
        )
    return list(parameters)


def _apply_clip(clip, pairs: list) -> list:
    if isinstance(clip, GradientClipBase):
        return clip._clip(pairs)
    out = clip([(p, wrap(g)) for p, g in pairs])
    return [(p, g._t if isinstance(g, Tensor) else g) for p, g in out]
