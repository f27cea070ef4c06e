"""Metric ops of static programs: ``auc`` (``paddle.static.auc``; ``accuracy`` and ``top_k_v2``
are in ``legacy.py`` / ``manipulation.py``).

NOTE [auc op]: ``auc`` keeps histograms of the positive-class probability in persistable int64
state (``StatPos``/``StatNeg``, the same variables as ``StatPosOut``/``StatNegOut``, so they
accumulate across ``Executor.run`` calls). A row's bucket is
``int(p * num_thresholds)`` computed in the input's float type (Paddle's kernel multiplies a
float by an int), ``p`` the row's last column; label > 0 counts as positive, 0 as negative, and
other labels are skipped. ``slide_steps == 0`` (the global AUC): one histogram of
``num_thresholds + 1`` buckets. ``slide_steps == k > 0`` (the batch AUC): ``k`` ring buckets of
the last batches, then their sum, then a step counter (the state has ``(k + 1) * (T + 1) + 1``
entries): each run replaces the oldest ring bucket with this batch. The AUC (float64, 0-D) is
the trapezoid area under the ROC curve of the summed histogram, walked from the top bucket
down, divided by (positives * negatives) when both are non-zero; ``curve`` is recorded but,
as in Paddle's kernel, only ROC is computed. An ``InsTagWeight`` whose first value is 0 marks
the batch as fake: the global AUC skips it, the batch AUC leaves it out of the sum.
"""

from __future__ import annotations

import torch

from ._registry import op

__all__: list[str] = []


def _hist(bins: torch.Tensor, mask: torch.Tensor, length: int) -> torch.Tensor:
    return torch.bincount(bins[mask], minlength=length)[:length]


def _roc_area(pos: torch.Tensor, neg: torch.Tensor) -> torch.Tensor:
    """Paddle's ``calcAuc`` (NOTE [auc op]); every partial sum is exact in float64."""
    p, n = pos.flip(0).double(), neg.flip(0).double()
    cum_p = torch.cumsum(p, 0)
    area = (n * (cum_p + (cum_p - p)) / 2.0).sum()
    tot_p, tot_n = cum_p[-1], n.sum()
    if tot_p > 0 and tot_n > 0:
        area = area / tot_p / tot_n
    return area


@op("auc", pir=None, outputs=("AUC", "StatPosOut", "StatNegOut"))
def auc(Predict, Label, StatPos, StatNeg, InsTagWeight=None, *, curve="ROC",
        num_thresholds=8191, slide_steps=1):
    """NOTE [auc op]. The outputs are new tensors (the executor writes them back into the state
    variables): a value fetched from an earlier run must not change with later runs."""
    if Predict.is_meta:
        return torch.empty([], dtype=torch.float64, device="meta"), StatPos, StatNeg
    length = num_thresholds + 1
    need = (1 + slide_steps) * length + (1 if slide_steps > 0 else 0)
    pos, neg = StatPos.detach().reshape(-1).clone(), StatNeg.detach().reshape(-1).clone()
    if pos.numel() < need or neg.numel() < need:
        raise ValueError(f"auc: StatPos/StatNeg hold {pos.numel()}/{neg.numel()} values; "
                         f"num_thresholds={num_thresholds} with slide_steps={slide_steps} "
                         f"needs {need}")
    fake = InsTagWeight is not None and float(InsTagWeight.reshape(-1)[0]) == 0.0
    if slide_steps == 0 and fake:
        return torch.zeros([], dtype=torch.float64), pos.view(StatPos.shape), neg.view(
            StatNeg.shape)
    prob = Predict.reshape(Predict.shape[0], -1)[:, -1].detach()
    if prob.numel() and (float(prob.max()) > 1 or float(prob.min()) < 0):
        raise ValueError("auc: the predicted probabilities (Predict's last column) must lie in "
                         f"[0, 1], got values in [{float(prob.min())}, {float(prob.max())}]")
    bins = (prob * torch.tensor(num_thresholds, dtype=prob.dtype)).to(torch.int64)
    label = Label.reshape(-1).to(torch.int64)
    with torch.no_grad():
        if slide_steps == 0:
            pos[:length] += _hist(bins, label > 0, length)
            neg[:length] += _hist(bins, label == 0, length)
            sum_at = 0
        else:
            step_at = (slide_steps + 1) * length
            cur = (int(pos[step_at]) % slide_steps) * length
            sum_at = slide_steps * length
            for s in (pos, neg):
                s[sum_at:sum_at + length] -= s[cur:cur + length]
                s[cur:cur + length] = 0
            pos[cur:cur + length] += _hist(bins, label > 0, length)
            neg[cur:cur + length] += _hist(bins, label == 0, length)
            if not fake:
                for s in (pos, neg):
                    s[sum_at:sum_at + length] += s[cur:cur + length]
        area = _roc_area(pos[sum_at:sum_at + length], neg[sum_at:sum_at + length])
        if slide_steps > 0:
            pos[(slide_steps + 1) * length] += 1
            neg[(slide_steps + 1) * length] += 1
    return area, pos.view(StatPos.shape), neg.view(StatNeg.shape)
