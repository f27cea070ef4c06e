"""``paddle.reader`` (see ``paddlefish/io/_readers.py``).

>>> import paddlefish as paddle
>>> list(paddle.reader.firstn(lambda: iter(range(10)), 3)())
[0, 1, 2]
"""

from .._core.missing import module_getattr
from ..io._readers import ComposeNotAligned as ComposeNotAligned
from ..io._readers import buffered as buffered
from ..io._readers import cache as cache
from ..io._readers import chain as chain
from ..io._readers import compose as compose
from ..io._readers import firstn as firstn
from ..io._readers import map_readers as map_readers
from ..io._readers import multiprocess_reader as multiprocess_reader
from ..io._readers import shuffle as shuffle
from ..io._readers import xmap_readers as xmap_readers

__all__: list[str] = []  # as Paddle's: every name is reached as paddle.reader.<name>

__getattr__ = module_getattr("paddle.reader")
