"""Domains of transforms: whether discrete, their event rank, and the constraint on values."""

from __future__ import annotations

from .. import tensor as _T


class Constraint:
    def __call__(self, value):
        raise NotImplementedError


class RealConstraint(Constraint):
    def __call__(self, value):
        return ~_T.isnan(value)  # NaN is the only real-typed value that is not real


class Range(Constraint):
    def __init__(self, lower, upper):
        self._lower, self._upper = lower, upper

    def __call__(self, value):
        return (self._lower <= value) & (value <= self._upper)


class PositiveConstraint(Constraint):
    def __call__(self, value):
        return value >= 0.0


class Simplex(Constraint):
    def __call__(self, value):
        return _T.all(value >= 0, axis=-1) & ((value.sum(-1) - 1).abs() < 1e-6)


class Variable:
    def __init__(self, is_discrete=False, event_rank=0, constraint=None):
        self._is_discrete = is_discrete
        self._event_rank = event_rank
        self._constraint = constraint

    @property
    def is_discrete(self) -> bool:
        return self._is_discrete

    @property
    def event_rank(self) -> int:
        return self._event_rank

    def constraint(self, value):
        return self._constraint(value)


class Independent(Variable):
    def __init__(self, base, reinterpreted_batch_rank):
        self._base = base
        self._reinterpreted_batch_rank = reinterpreted_batch_rank
        super().__init__(base.is_discrete, base.event_rank + reinterpreted_batch_rank)

    def constraint(self, value):
        ret = self._base.constraint(value)
        n = self._reinterpreted_batch_rank
        return ret.reshape(ret.shape[: ret.dim() - n] + [-1]).all(-1)


class Stack(Variable):
    def __init__(self, vars, axis=0):
        self._vars = vars
        self._axis = axis

    @property
    def is_discrete(self) -> bool:
        return any(v.is_discrete for v in self._vars)

    @property
    def event_rank(self) -> int:
        rank = max(v.event_rank for v in self._vars)
        if self._axis + rank < 0:
            rank += 1
        return rank

    def constraint(self, value):
        parts = _T.unstack(value, self._axis)
        return _T.stack([v.constraint(p) for v, p in zip(self._vars, parts)], self._axis)


real = Variable(False, 0, RealConstraint())
positive = Variable(False, 0, PositiveConstraint())
simplex = Simplex()
