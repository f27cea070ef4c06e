"""``paddle.nn.BeamSearchDecoder`` and ``paddle.nn.dynamic_decode``: Paddle 2.6's decoding loop
and beam search, step for step (the same ops in the same order, so scores, ids and ties come out
as in Paddle), on paddlefish tensors in dynamic mode.

NOTE [beam search]: each step takes ``log(softmax(logits))``; a finished beam may only emit
``end_token`` (all other tokens get ``-1e9``) at no cost; beam ``k`` of a batch entry adds its
running log-probability; the ``beam_size`` best of ``beam_size * vocab`` continuations win
(``topk``: ties go to the lower flat index), and cell states, finished flags and lengths are
gathered from their parent beams. Beams start as ``[0, -1e9, ...]`` so the first step expands
only beam 0. ``finalize`` back-tracks the parent pointers with ``gather_tree``.

>>> import paddlefish as paddle
>>> from paddlefish.nn import BeamSearchDecoder, dynamic_decode, GRUCell, Linear, Embedding
>>> _ = paddle.seed(0)
>>> emb, out = Embedding(10, 8), Linear(16, 10)
>>> dec = BeamSearchDecoder(GRUCell(8, 16), start_token=0, end_token=1, beam_size=3,
...                         embedding_fn=emb, output_fn=out)
>>> ids, states = dynamic_decode(dec, inits=paddle.zeros([2, 16]), max_step_num=5)
>>> ids.shape
[2, 6, 3]
"""

from __future__ import annotations

import collections
import warnings

import numpy as np

from .. import tensor as P
from .._core.nest import flatten, map_structure
from .functional import gather_tree, softmax

__all__ = ["BeamSearchDecoder", "Decoder", "dynamic_decode"]


class Decoder:
    """The interface ``dynamic_decode`` drives: ``initialize(inits) -> (inputs, states,
    finished)``, ``step(time, inputs, states, **kwargs) -> (outputs, next_states, next_inputs,
    finished)`` and optionally ``finalize(outputs, final_states, sequence_lengths)``."""

    def initialize(self, inits):
        raise NotImplementedError

    def step(self, time, inputs, states, **kwargs):
        raise NotImplementedError

    def finalize(self, outputs, final_states, sequence_lengths):
        raise NotImplementedError

    @property
    def tracks_own_finished(self):
        return False


class BeamSearchDecoder(Decoder):
    """Beam search over an RNN ``cell`` (NOTE [beam search]). ``embedding_fn`` maps token ids
    to the cell's inputs, ``output_fn`` maps the cell's outputs to vocabulary logits."""

    OutputWrapper = collections.namedtuple(
        "OutputWrapper", ("scores", "predicted_ids", "parent_ids")
    )
    StateWrapper = collections.namedtuple(
        "StateWrapper", ("cell_states", "log_probs", "finished", "lengths")
    )

    def __init__(self, cell, start_token, end_token, beam_size, embedding_fn=None, output_fn=None):
        if int(beam_size) < 1:
            raise ValueError(f"BeamSearchDecoder: beam_size must be at least 1, got {beam_size}")
        self.cell = cell
        self.embedding_fn = embedding_fn
        self.output_fn = output_fn
        self.start_token = start_token
        self.end_token = end_token
        self.beam_size = int(beam_size)

    @staticmethod
    def tile_beam_merge_with_batch(x, beam_size):
        """``[batch, ...] -> [batch * beam_size, ...]``, each entry repeated ``beam_size``
        times in a row (to tile encoder outputs for the cell)."""
        x = P.unsqueeze(x, [1])
        times = [1] * len(x.shape)
        times[1] = beam_size
        x = P.tile(x, times)
        return P.reshape(x, [-1] + list(x.shape[2:]))

    def _split_batch_beams(self, x):
        return P.reshape(x, [-1, self.beam_size] + list(x.shape[1:]))

    def _merge_batch_beams(self, x):
        return P.reshape(x, [-1] + list(x.shape[2:]))

    def _expand_to_beam_size(self, x):
        x = P.unsqueeze(x, [1])
        times = [1] * len(x.shape)
        times[1] = self.beam_size
        return P.tile(x, times)

    def _mask_probs(self, probs, finished):
        finished = P.cast(finished, probs.dtype)
        ended = P.multiply(
            P.tile(P.unsqueeze(finished, [2]), [1, 1, self.vocab_size]), self.noend_mask_tensor
        )
        return ended - P.multiply(probs, P.unsqueeze(finished - 1, [2]))

    def _gather(self, x, indices, batch_size):
        pos = P.tile(
            P.unsqueeze(P.arange(0, batch_size, 1, dtype=indices.dtype), [1]), [1, self.beam_size]
        )
        coords = P.stack([pos, indices], axis=2)
        coords.stop_gradient = True
        return P.gather_nd(x, coords)

    def initialize(self, initial_cell_states):
        self.kinf = 1e9
        state = flatten(initial_cell_states)[0]
        self.batch_size = int(state.shape[0])
        self.start_token_tensor = P.full([1], self.start_token, "int64")
        self.end_token_tensor = P.full([1], self.end_token, "int64")
        init_cell_states = map_structure(self._expand_to_beam_size, initial_cell_states)
        init_inputs = P.full([self.batch_size, self.beam_size], self.start_token, "int64")
        first = np.array([[0.0] + [-self.kinf] * (self.beam_size - 1)], dtype="float32")
        log_probs = P.tile(P.to_tensor(first), [self.batch_size, 1])
        if state.dtype.name == "float64":
            log_probs = P.cast(log_probs, "float64")
        init_finished = P.full([self.batch_size, self.beam_size], False, "bool")
        init_lengths = P.zeros_like(init_inputs)
        if self.embedding_fn:
            init_inputs = self.embedding_fn(init_inputs)
        state_ = self.StateWrapper(init_cell_states, log_probs, init_finished, init_lengths)
        return init_inputs, state_, init_finished

    def _beam_search_step(self, time, logits, next_cell_states, beam_state):
        self.vocab_size = int(logits.shape[-1])
        if not 0 <= int(self.end_token) < self.vocab_size:
            raise ValueError(
                f"BeamSearchDecoder: end_token {self.end_token} is outside the vocabulary of "
                f"{self.vocab_size} logits the output_fn produced"
            )
        vocab = P.full([1], self.vocab_size, "int64")
        noend = [-self.kinf] * self.vocab_size
        noend[self.end_token] = 0
        self.noend_mask_tensor = P.to_tensor(np.array(noend, logits.dtype.name))
        step_log_probs = P.log(softmax(logits))
        step_log_probs = self._mask_probs(step_log_probs, beam_state.finished)
        log_probs = P.add(step_log_probs, P.unsqueeze(beam_state.log_probs, [2]))
        scores = P.reshape(log_probs, [-1, self.beam_size * self.vocab_size])
        topk_scores, topk_indices = P.topk(scores, k=self.beam_size)
        beam_indices = P.floor_divide(topk_indices, vocab)
        token_indices = P.remainder(topk_indices, vocab)
        next_log_probs = self._gather(scores, topk_indices, self.batch_size)
        next_cell_states = map_structure(
            lambda x: self._gather(x, beam_indices, self.batch_size), next_cell_states
        )
        next_finished = self._gather(beam_state.finished, beam_indices, self.batch_size)
        next_lengths = self._gather(beam_state.lengths, beam_indices, self.batch_size)
        next_lengths = next_lengths + P.cast(P.logical_not(next_finished), next_lengths.dtype)
        next_finished = P.logical_or(next_finished, P.equal(token_indices, self.end_token_tensor))
        out = self.OutputWrapper(topk_scores, token_indices, beam_indices)
        state = self.StateWrapper(next_cell_states, next_log_probs, next_finished, next_lengths)
        return out, state

    def step(self, time, inputs, states, **kwargs):
        inputs = map_structure(self._merge_batch_beams, inputs)
        cell_states = map_structure(self._merge_batch_beams, states.cell_states)
        cell_outputs, next_cell_states = self.cell(inputs, cell_states, **kwargs)
        cell_outputs = map_structure(self._split_batch_beams, cell_outputs)
        next_cell_states = map_structure(self._split_batch_beams, next_cell_states)
        if self.output_fn is not None:
            cell_outputs = self.output_fn(cell_outputs)
        out, state = self._beam_search_step(time, cell_outputs, next_cell_states, states)
        sample_ids = out.predicted_ids
        sample_ids.stop_gradient = True
        next_inputs = self.embedding_fn(sample_ids) if self.embedding_fn else sample_ids
        return out, state, next_inputs, state.finished

    def finalize(self, outputs, final_states, sequence_lengths):
        return gather_tree(outputs.predicted_ids, outputs.parent_ids), final_states

    @property
    def tracks_own_finished(self):
        return True


class _Steps:
    """The per-step values of one output leaf (opaque to map_structure)."""

    def __init__(self, x):
        self.items = [x]

    def append(self, x):
        self.items.append(x)
        return self


def _maybe_copy(state, new_state, step_mask):
    """Keep ``state`` where ``step_mask`` (finished) is set, take ``new_state`` elsewhere."""
    dtype = state.dtype
    if dtype.name == "bool":
        state, new_state = P.cast(state, "float32"), P.cast(new_state, "float32")
    if step_mask.dtype != state.dtype:
        step_mask = P.cast(step_mask, state.dtype)
    step_mask = P.unsqueeze(step_mask, [1])
    step_mask.stop_gradient = True
    out = P.multiply(state, step_mask) - P.multiply(new_state, step_mask - 1)
    return P.cast(out, dtype) if dtype.name == "bool" else out


def dynamic_decode(
    decoder,
    inits=None,
    max_step_num=None,
    output_time_major=False,
    impute_finished=False,
    is_test=False,
    return_length=False,
    **kwargs,
):
    """Run ``decoder`` from ``decoder.initialize(inits)`` until every sequence has finished
    (or after ``max_step_num + 1`` steps); returns ``(final_outputs, final_states)`` plus the
    sequence lengths when ``return_length``. Outputs are batch-major unless
    ``output_time_major``; ``impute_finished`` keeps finished entries' states unchanged."""
    if max_step_num is not None and int(max_step_num) < 0:
        raise ValueError(f"dynamic_decode: max_step_num must be >= 0, got {max_step_num}")
    inputs, states, finished = decoder.initialize(inits)
    sequence_lengths = P.cast(P.zeros_like(finished), "int64")
    outputs = None
    step = 0
    step_tensor = P.full([1], 0, "int64")
    while not bool(P.all(finished).item()):
        step_outputs, next_states, next_inputs, next_finished = decoder.step(
            step_tensor, inputs, states, **kwargs
        )
        if not decoder.tracks_own_finished:
            next_finished = P.logical_or(next_finished, finished)
            # Paddle assigns next_finished into `finished` in place here, so the lengths and
            # the imputation below already see this step's endings (a sequence that ends now
            # does not count this step, and keeps its previous state)
            finished = next_finished
            next_lengths = P.add(
                sequence_lengths, P.cast(P.logical_not(finished), sequence_lengths.dtype)
            )
            if impute_finished:
                next_states = map_structure(
                    lambda x, y, done=finished: _maybe_copy(x, y, done), states, next_states
                )
        else:
            if not hasattr(next_states, "lengths"):
                warnings.warn(
                    "`next_states` has no `lengths` attribute, the returned `sequence_lengths` "
                    "would be all zeros.",
                    stacklevel=2,
                )
            next_lengths = getattr(next_states, "lengths", sequence_lengths)
        if outputs is None:  # one _Steps per leaf: a list would read as more structure
            outputs = map_structure(_Steps, step_outputs)
        else:
            outputs = map_structure(lambda x, acc: acc.append(x), step_outputs, outputs)
        inputs, states, finished, sequence_lengths = (
            next_inputs,
            next_states,
            next_finished,
            next_lengths,
        )
        step_tensor = P.increment(step_tensor, 1.0)
        step += 1
        if max_step_num is not None and step > max_step_num:
            break
    if outputs is None:
        raise ValueError("dynamic_decode: every sequence was finished before the first step")
    final_outputs = map_structure(lambda acc: P.stack(acc.items, axis=0), outputs)
    final_states = states
    try:
        final_outputs, final_states = decoder.finalize(
            final_outputs, final_states, sequence_lengths
        )
    except NotImplementedError:
        pass
    if not output_time_major:
        final_outputs = map_structure(
            lambda x: P.transpose(x, [1, 0] + list(range(2, len(x.shape)))), final_outputs
        )
    if return_length:
        return final_outputs, final_states, sequence_lengths
    return final_outputs, final_states
