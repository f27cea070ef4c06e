"""``paddle.save`` and ``paddle.load`` (FORMATS.md section 1, 3, 7.4).

Detection is by magic bytes (``formats.sniff``), never by trying parsers; pickles are read through
the allowlist unpickler (``formats.safe_pickle``); every write to a path is atomic.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import PathNotFoundError
from ._configs import parse_load_configs, parse_save_configs
from ._inference import load_inference_dir
from ._load import load_file, load_stream
from ._save import save_to

__all__ = ["load", "save"]

_MODEL_SUFFIX = ".pdmodel"


def save(obj: Any, path: Any, protocol: int = 4, **configs: Any) -> None:
    """Save ``obj`` to ``path`` as real Paddle does, so Paddle 2.x/3.x can ``paddle.load`` it.

    ``obj``: a state dict (``layer.state_dict()``, ``opt.state_dict()``), a Tensor, nested
    dict/list/tuple of Tensors, ndarrays, numbers and strings, or a static ``Program``.
    ``path``: a file name (parent folders are created; the write is atomic) or a binary stream.
    ``protocol``: pickle protocol 2, 3 or 4. ``configs``: ``use_binary_format=True`` (a single
    Tensor as a DenseTensor stream), ``safetensors=True`` (a state dict as safetensors),
    ``pickle_protocol`` (deprecated alias of ``protocol``).

    >>> import os, tempfile, paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 3)
    >>> p = os.path.join(tempfile.mkdtemp(), 'ck', 'net.pdparams')
    >>> save(net.state_dict(), p)
    >>> sd = load(p); sd['weight'].shape, sd['weight'].name == net.weight.name
    ([2, 3], True)
    """
    save_to(obj, path, parse_save_configs(protocol, configs))


def load(path: Any, **configs: Any) -> Any:
    """Load what ``paddle.save`` (ours or real Paddle's) wrote, or a saved inference model.

    ``path``: a file, a binary stream, a model prefix (``dir/linear`` for ``linear.pdmodel``), a
    ``save_inference_model`` directory or a directory of per-variable files. ``configs``:
    ``return_numpy``, ``keep_name_table``, ``model_filename``, ``params_filename``,
    ``safetensors``; paddlefish adds ``mmap=True`` (array data is memory-mapped copy-on-write and
    read from the file only when touched; writing to a loaded tensor never changes the file) and
    ``trusted_globals`` (pickle globals beyond the allowlist that this call may import).

    >>> import io, paddlefish as paddle
    >>> buf = io.BytesIO(); save({'a': paddle.to_tensor([1.0, 2.0]), 'n': 3}, buf)
    >>> _ = buf.seek(0); d = load(buf); d['a'].tolist(), d['n']
    ([1.0, 2.0], 3)
    """
    cfg = parse_load_configs(configs)
    if not isinstance(path, (str, os.PathLike)):
        if not hasattr(path, "read"):
            raise TypeError(
                f"paddle.load: path must be a str, os.PathLike or a binary file object "
                f"(io.BytesIO), got {type(path).__name__}"
            )
        return load_stream(path, cfg)
    path = os.fspath(path)
    if os.path.isfile(path):
        return load_file(path, cfg)
    _check_exists(path)
    return load_inference_dir(path, cfg)


def _check_exists(path: str) -> None:
    """Refuse a path that is neither a file, a directory nor a model prefix.

    Paddle raises ValueError here; ours is also a FileNotFoundError (see NOTE [Paddle exception
    types] in errors.py).
    """
    if os.path.isdir(path) or os.path.isfile(path + _MODEL_SUFFIX) or \
            os.path.isfile(path + ".json"):  # a Paddle 3.x PIR export
        return
    hint = ""
    for suffix in (".pdparams", ".pdopt"):
        if os.path.isfile(path + suffix):
            hint = (
                f"; {path + suffix!r} exists: give the full file name, e.g. "
                f"paddle.load({path + suffix!r}), not the prefix"
            )
            break
    if path.endswith(_MODEL_SUFFIX):
        # never suggest 'x.pdmodel.pdmodel': a model file name was given, and it is missing
        prefix = path[: -len(_MODEL_SUFFIX)]
        raise PathNotFoundError(
            f"paddle.load: {path!r} does not exist. paddle.load takes a saved model by its "
            f"prefix ({prefix!r} for files {prefix}.pdmodel / .pdiparams); no such model there"
        )
    raise PathNotFoundError(
        f"paddle.load: {path!r} does not exist: expected a file, a model prefix with "
        f"{path + _MODEL_SUFFIX!r}, or a directory{hint}"
    )
