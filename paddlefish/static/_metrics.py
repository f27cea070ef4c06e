"""``paddle.static.accuracy`` and ``paddle.static.auc``: metric ops appended to a static program,
as Paddle 2.6 builds them.

NOTE [static metrics]: ``accuracy`` is ``top_k_v2(sorted=False)`` + ``accuracy``; ``auc`` is a
(dead, as in Paddle) ``fill_constant`` of the ``ins_tag_weight`` default and two ``auc`` ops,
the batch AUC (``slide_steps``) first, then the global one (``slide_steps=0``), each updating
its own pair of persistable int64 histograms in place (NOTE [auc op] in ops/metrics_ops.py).
The four state variables get Paddle's names, ``_generated_var_N`` from the process's unique-name
generator, so ``static.save`` / ``save_inference_model`` files cross between paddlefish and
Paddle with them (they are not parameters: ``.pdopt``); the startup program sets them to zeros.
"""

from __future__ import annotations

import torch

from .._core import unique_name
from ..eager.tensor import wrap
from ..tensor._run import run
from ._program import default_main_program, static_mode_on
from ._scope import assign_value
from .variable import Variable

__all__ = ["accuracy", "auc"]


def accuracy(input, label, k=1, correct=None, total=None):
    """Top-``k`` accuracy of ``input`` (scores ``[N, C]``) against ``label`` (``[N, 1]`` ints):
    a float32 0-D Variable; ``correct`` / ``total`` (int32 Variables), when given, receive the
    counts (NOTE [static metrics]).

    >>> import numpy as np, paddlefish as paddle
    >>> paddle.enable_static()
    >>> main = paddle.static.Program()
    >>> with paddle.static.program_guard(main, paddle.static.Program()):
    ...     x = paddle.static.data('x', [None, 3], 'float32')
    ...     y = paddle.static.data('y', [None, 1], 'int64')
    ...     acc = paddle.static.accuracy(x, y, k=2)
    >>> [op.type for op in main.global_block().ops]
    ['top_k_v2', 'accuracy']
    >>> out = paddle.static.Executor().run(main, feed={
    ...     'x': np.array([[0.1, 0.5, 0.4], [0.7, 0.2, 0.1]], 'float32'),
    ...     'y': np.array([[0], [0]], 'int64')}, fetch_list=[acc])
    >>> float(out[0])
    0.5
    >>> paddle.disable_static()
    """
    unique_name.generate("accuracy")  # Paddle's LayerHelper name, keeps the counters aligned
    if isinstance(k, Variable):
        values, indices = run("top_k_v2", input, k, sorted=False)
    else:
        values, indices = run("top_k_v2", input, k=int(k), sorted=False)
    acc, n_correct, n_total = run("accuracy", values, indices, label)
    pairs = [(s, g, t) for s, g, t in (("Correct", correct, n_correct), ("Total", total, n_total))
             if g is not None]
    if pairs and not static_mode_on():  # dygraph: fill the given tensors
        for _, given, got in pairs:
            assign_value(given, got)
    elif pairs:  # the op writes the given variables, as Paddle's does
        block = default_main_program()._recorder().block
        op = block.ops[-1]
        for slot, given, got in pairs:
            op.outputs[slot] = [given.name]
            block.vars.pop(got.name, None)
    return acc


def _state(shape: list[int]):
    t = wrap(torch.zeros(shape, dtype=torch.int64))
    t.name = unique_name.generate("_generated_var")
    t.persistable = True
    t.stop_gradient = True
    return t


def auc(input, label, curve="ROC", num_thresholds=2**12 - 1, topk=1, slide_steps=1,
        ins_tag_weight=None):
    """Area under the ROC curve of ``input``'s last column (probabilities in ``[0, 1]``) against
    ``label`` (int64, 1 positive, 0 negative), accumulated over every ``Executor.run`` of the
    program. Returns ``(auc_out, batch_auc_out, [batch_stat_pos, batch_stat_neg, stat_pos,
    stat_neg])``: the global AUC, the AUC of the last ``slide_steps`` batches (float64 0-D) and
    the persistable histograms (NOTE [static metrics]). ``topk`` and ``ins_tag_weight`` are
    accepted and, as in Paddle 2.6, unused.

    >>> import numpy as np, paddlefish as paddle
    >>> paddle.enable_static()
    >>> main, startup = paddle.static.Program(), paddle.static.Program()
    >>> with paddle.static.program_guard(main, startup):
    ...     p = paddle.static.data('p', [None, 2], 'float32')
    ...     y = paddle.static.data('y', [None, 1], 'int64')
    ...     auc_out, batch_auc, states = paddle.static.auc(p, y, num_thresholds=100)
    >>> exe = paddle.static.Executor()
    >>> _ = exe.run(startup)
    >>> b1 = {'p': np.array([[0.8, 0.2], [0.3, 0.7]], 'float32'), 'y': np.array([[0], [1]])}
    >>> b2 = {'p': np.array([[0.4, 0.6], [0.9, 0.1]], 'float32'), 'y': np.array([[0], [1]])}
    >>> [float(v) for v in exe.run(main, feed=b1, fetch_list=[auc_out, batch_auc])]
    [1.0, 1.0]
    >>> [float(v) for v in exe.run(main, feed=b2, fetch_list=[auc_out, batch_auc])]
    [0.5, 0.0]
    >>> paddle.disable_static()
    """
    if str(curve) not in ("ROC", "PR"):
        raise ValueError(f"static.auc: curve must be 'ROC' or 'PR', got {curve!r}")
    if int(slide_steps) < 0 or int(num_thresholds) < 1:
        raise ValueError(f"static.auc: num_thresholds must be >= 1 and slide_steps >= 0, got "
                         f"{num_thresholds} and {slide_steps}")
    unique_name.generate("auc")  # Paddle's LayerHelper name, keeps the counters aligned
    if ins_tag_weight is None:
        run("fill_constant", shape=[1, 1], dtype=5, value=1.0, str_value="1.0")
    n = int(num_thresholds) + 1
    batch_pos = _state([(1 + int(slide_steps)) * n + 1])
    batch_neg = _state([(1 + int(slide_steps)) * n + 1])
    pos, neg = _state([1, n]), _state([1, n])
    attrs = {"curve": str(curve), "num_thresholds": int(num_thresholds)}
    batch_auc = run("auc", input, label, batch_pos, batch_neg, slide_steps=int(slide_steps),
                    **attrs)[0]
    auc_out = run("auc", input, label, pos, neg, slide_steps=0, **attrs)[0]
    return auc_out, batch_auc, [batch_pos, batch_neg, pos, neg]
