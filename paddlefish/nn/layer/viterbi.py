"""``ViterbiDecoder`` (``paddle.text.ViterbiDecoder``): a Layer holding the transitions.

>>> import paddlefish as paddle
>>> from paddlefish.nn.layer.viterbi import ViterbiDecoder
>>> dec = ViterbiDecoder(paddle.zeros([3, 3]), include_bos_eos_tag=False)
>>> dec(paddle.to_tensor([[[0.0, 1.0, 0.0]]]), paddle.to_tensor([1]))[1].tolist()
[[1]]
"""

from __future__ import annotations

from ..functional.viterbi import viterbi_decode
from .layers import Layer

__all__ = ["ViterbiDecoder"]


class ViterbiDecoder(Layer):
    """``forward(potentials, lengths)`` -> ``(scores, path)`` with the ``transitions`` given
    here (see ``viterbi_decode``)."""

    def __init__(self, transitions, include_bos_eos_tag=True, name=None):
        super().__init__()
        self.transitions = transitions
        self.include_bos_eos_tag = include_bos_eos_tag
        self.name = name

    def forward(self, potentials, lengths):
        return viterbi_decode(
            potentials, self.transitions, lengths, self.include_bos_eos_tag, self.name
        )
