"""``paddle.text``: ``viterbi_decode`` and ``ViterbiDecoder`` (``paddlefish/nn/functional/
viterbi.py``). Paddle's text datasets (Imdb, WMT16, ...) download their data at run time and
are not provided: their names raise with that explanation.

>>> import paddlefish as paddle
>>> paddle.text.viterbi_decode(paddle.ones([1, 2, 3]), paddle.zeros([3, 3]),
...                            paddle.to_tensor([2]), False)[1].shape
[1, 2]
"""

from .._core.missing import module_getattr
from ..nn.functional.viterbi import viterbi_decode as viterbi_decode
from ..nn.layer.viterbi import ViterbiDecoder as ViterbiDecoder

__all__ = ["ViterbiDecoder", "viterbi_decode"]

_DATASETS = ("Conll05st", "Imdb", "Imikolov", "Movielens", "UCIHousing", "WMT14", "WMT16")

__getattr__ = module_getattr(
    "paddle.text",
    {
        name: "Paddle's text datasets download their corpora at run time; paddlefish ships no "
        "downloader — read the files with paddle.io.Dataset instead"
        for name in _DATASETS
    },
)
