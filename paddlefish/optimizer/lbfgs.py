"""``paddle.optimizer.LBFGS``: limited-memory BFGS with an optional strong-Wolfe line search.

Paddle's LBFGS is a port of PyTorch's, and so is this one, step for step: ``step(closure)``
re-evaluates the loss through ``closure`` (which clears gradients, computes the loss and calls
``backward``), the state holds the same fields under Paddle's names (``func_evals``,
``n_iter``, ``d``, ``alpha``, ``old_yk``, ``old_sk``, ``ro``, ``H_diag``, ``prev_flat_grad``,
``prev_loss``, ``al``) and ``state_dict()`` is ``{'state': {...}}`` as in Paddle. As in Paddle,
``weight_decay`` and ``grad_clip`` are accepted but the step does not apply them, and
``minimize`` is refused.

>>> import paddlefish as paddle
>>> w = paddle.create_parameter([2], "float32", default_initializer=paddle.nn.initializer.Constant(3.0))
>>> opt = paddle.optimizer.LBFGS(learning_rate=1.0, max_iter=10, parameters=[w],
...                              line_search_fn="strong_wolfe")
>>> def closure():
...     opt.clear_grad()
...     loss = ((w - 1.0) ** 2).sum()
...     loss.backward()
...     return loss
>>> _ = opt.step(closure)
>>> [round(float(v), 4) for v in w.numpy()]
[1.0, 1.0]
"""

from __future__ import annotations

import torch

from ..eager.tensor import Tensor, wrap
from .optimizer import Optimizer

try:  # PyTorch's strong-Wolfe search, the very routine Paddle's port copies
    from torch.optim.lbfgs import _strong_wolfe
except ImportError:  # pragma: no cover - only if a future torch moves it
    _strong_wolfe = None

__all__ = ["LBFGS"]


class LBFGS(Optimizer):
    """L-BFGS (see the module text); ``step(closure)`` only."""

    def __init__(
        self,
        learning_rate=1.0,
        max_iter=20,
        max_eval=None,
        tolerance_grad=1e-7,
        tolerance_change=1e-9,
        history_size=100,
        line_search_fn=None,
        parameters=None,
        weight_decay=None,
        grad_clip=None,
        name=None,
    ):
        if isinstance(parameters, Tensor):
            raise TypeError(
                "parameters argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {type(parameters).__name__}"
            )
        if line_search_fn not in (None, "strong_wolfe"):
            raise RuntimeError("only 'strong_wolfe' is supported")
        self.learning_rate = float(learning_rate)
        self.max_iter = max_iter
        self.max_eval = max_iter * 5 // 4 if max_eval is None else max_eval
        self.tolerance_grad, self.tolerance_change = tolerance_grad, tolerance_change
        self.history_size, self.line_search_fn = history_size, line_search_fn
        self.state: dict = {}
        super().__init__(1.0, parameters, weight_decay, grad_clip, name)
        self._init_groups()
        plist = self._parameter_list
        self._params = plist[-1]["params"] if plist and isinstance(plist[0], dict) else plist

    # ---- flat views -------------------------------------------------------------------------
    def _flat_grad(self) -> torch.Tensor:
        return torch.cat(
            [
                torch.zeros(p._t.numel(), dtype=p._t.dtype)
                if p._t.grad is None
                else p._t.grad.reshape(-1)
                for p in self._params
            ]
        )

    def _add_grad(self, alpha, direction: torch.Tensor) -> None:
        offset = 0
        with torch.no_grad():
            for p in self._params:
                n = p._t.numel()
                p._t.add_(direction[offset : offset + n].view_as(p._t), alpha=alpha)
                offset += n

    def _clone_param(self):
        return [p._t.detach().clone() for p in self._params]

    def _set_param(self, data) -> None:
        with torch.no_grad():
            for p, d in zip(self._params, data):
                p._t.copy_(d)

    def _directional_evaluate(self, closure, x, alpha, d):
        self._add_grad(alpha, d)
        loss = float(self._eval(closure))
        flat_grad = self._flat_grad()
        self._set_param(x)
        return loss, flat_grad

    @staticmethod
    def _eval(closure):
        with torch.enable_grad():
            return closure()

    # ---- the step (Paddle's/PyTorch's algorithm) --------------------------------------------
    def step(self, closure):
        """One L-BFGS step of up to ``max_iter`` iterations; returns the first loss."""
        if closure is None:
            raise ValueError(
                "LBFGS.step needs a closure that clears grads, computes the loss, "
                "calls backward() and returns the loss"
            )
        lr, state = self.learning_rate, self.state
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        orig_loss = self._eval(closure)
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        if flat_grad.abs().max() <= self.tolerance_grad:
            return orig_loss
        d, alpha = state.get("d"), state.get("alpha")
        old_yk, old_sk, ro = state.get("old_yk"), state.get("old_sk"), state.get("ro")
        h_diag, prev_flat_grad = state.get("H_diag"), state.get("prev_flat_grad")
        prev_loss = state.get("prev_loss")
        n_iter = 0
        while n_iter < self.max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = flat_grad.neg()
                old_yk, old_sk, ro = [], [], []
                h_diag = torch.tensor(1.0, dtype=flat_grad.dtype)
            else:
                y = flat_grad.sub(prev_flat_grad)
                s = d.mul(alpha)
                ys = y.dot(s)
                if ys > 1e-10:
                    if len(old_yk) == self.history_size:
                        old_yk.pop(0)
                        old_sk.pop(0)
                        ro.pop(0)
                    old_yk.append(y)
                    old_sk.append(s)
                    ro.append(1.0 / ys)
                    h_diag = ys / y.dot(y)
                num_old = len(old_yk)
                if "al" not in state:
                    state["al"] = [None] * self.history_size
                al = state["al"]
                q = flat_grad.neg()
                for i in range(num_old - 1, -1, -1):
                    al[i] = old_sk[i].dot(q) * ro[i]
                    q.add_(old_yk[i], alpha=-al[i])
                d = r = torch.mul(q, h_diag)
                for i in range(num_old):
                    be_i = old_yk[i].dot(r) * ro[i]
                    r.add_(old_sk[i], alpha=al[i] - be_i)
            prev_flat_grad = (
                flat_grad.clone() if prev_flat_grad is None else prev_flat_grad.copy_(flat_grad)
            )
            prev_loss = loss
            if state["n_iter"] == 1:
                alpha = min(1.0, 1.0 / float(flat_grad.abs().sum())) * lr
            else:
                alpha = lr
            gtd = flat_grad.dot(d)
            if gtd > -self.tolerance_change:
                break
            ls_func_evals = 0
            if self.line_search_fn is not None:
                if _strong_wolfe is None:
                    raise RuntimeError("strong_wolfe line search needs torch.optim.lbfgs")
                x_init = self._clone_param()

                def obj_func(x, a, dd):
                    return self._directional_evaluate(closure, x, a, dd)

                loss, flat_grad, alpha, ls_func_evals = _strong_wolfe(
                    obj_func, x_init, alpha, d, loss, flat_grad, gtd
                )
                self._add_grad(alpha, d)
                opt_cond = flat_grad.abs().max() <= self.tolerance_grad
            else:
                self._add_grad(alpha, d)
                opt_cond = False
                if n_iter != self.max_iter:
                    loss = float(self._eval(closure))
                    flat_grad = self._flat_grad()
                    opt_cond = flat_grad.abs().max() <= self.tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals
            if opt_cond or (d * alpha).abs().max() <= self.tolerance_change:
                break
            if abs(loss - prev_loss) < self.tolerance_change or current_evals >= self.max_eval:
                break
        state.update(
            {
                "d": d,
                "alpha": alpha,
                "old_yk": old_yk,
                "old_sk": old_sk,
                "ro": ro,
                "H_diag": h_diag,
                "prev_flat_grad": prev_flat_grad,
                "prev_loss": prev_loss,
            }
        )
        return orig_loss

    def minimize(self, loss, startup_program=None, parameters=None, no_grad_set=None):
        raise NotImplementedError(
            "LBFGS optimizer does not use this way to minimize loss. Please refer 'Examples' of "
            "LBFGS() for usage."
        )

    # ---- state ------------------------------------------------------------------------------
    def state_dict(self) -> dict:
        """``{'state': {...}}`` with Paddle's field names; tensors as paddle Tensors."""

        def conv(v):
            if isinstance(v, torch.Tensor):
                return wrap(v.detach().clone())
            if isinstance(v, list):
                return [conv(x) for x in v]
            return v

        return {"state": {k: conv(v) for k, v in self.state.items()}}

    def set_state_dict(self, state_dict: dict) -> None:
        """Restore ``state_dict()``'s output (ours or real Paddle's)."""
        if not isinstance(state_dict, dict) or "state" not in state_dict:
            raise TypeError("LBFGS.set_state_dict: expected {'state': {...}} from state_dict()")

        def conv(v):
            if isinstance(v, Tensor):
                return v._t.detach().clone()
            if isinstance(v, list):
                return [conv(x) for x in v]
            return v

        self.state = {k: conv(v) for k, v in state_dict["state"].items()}

    load_state_dict = set_dict = set_state_dict
