"""Small Python helpers Paddle exposes in ``paddle.utils``: ``try_import``, ``deprecated``,
``require_version`` (pure Python, no torch).

>>> try_import("json").__name__
'json'
>>> require_version("2.0.0")
"""

from __future__ import annotations

import functools
import importlib
import types
import warnings
from collections.abc import Callable

__all__ = ["PADDLE_API_VERSION", "deprecated", "require_version", "try_import"]

# The Paddle release whose Python API paddlefish follows; version checks in user code
# (``paddle.utils.require_version``) are answered against it.
PADDLE_API_VERSION = "2.6.2"

_INSTALL_NAMES = {"cv2": "opencv-python", "PIL": "Pillow", "sklearn": "scikit-learn"}


def try_import(module_name: str, err_msg: str | None = None) -> types.ModuleType:
    """Import ``module_name`` or raise ``ImportError`` saying which package to ``pip install``."""
    top = module_name.split(".")[0]
    install = _INSTALL_NAMES.get(top, top)
    try:
        return importlib.import_module(module_name)
    except ImportError:
        if err_msg is None:
            err_msg = (
                f"Failed importing {module_name}. This likely means that some paddle modules "
                "require additional dependencies that have to be manually installed (usually "
                f"with `pip install {install}`). "
            )
        raise ImportError(err_msg) from None


def deprecated(update_to: str = "", since: str = "", reason: str = "", level: int = 0):
    """Decorator marking an API deprecated, with Paddle's documented levels: 0 notes it in the
    docstring only (Paddle 2.6 is silent then too), 1 also warns with ``DeprecationWarning`` on
    each call, 2 makes each call raise ``RuntimeError``."""
    if not isinstance(level, int) or level not in (0, 1, 2):
        raise ValueError(f"deprecated(level={level!r}): level must be 0, 1 or 2")

    def decorator(func: Callable) -> Callable:
        msg = f'API "{func.__module__}.{func.__name__}" is deprecated'
        if since.strip():
            msg += f" since {since.strip()}"
        msg += ", and will be removed in future versions."
        if update_to.strip():
            msg += f' Please use "{update_to.strip()}" instead.'
        if reason.strip():
            msg += f"\nreason: {reason.strip()}"
        if func.__doc__:
            func.__doc__ = "\n\nWarning: " + msg + "\n" + func.__doc__
        if level == 0:
            return func

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if level == 2:
                raise RuntimeError(
                    f'API "{func.__module__}.{func.__name__}" has been deprecated. {msg}'
                )
            warnings.warn(msg, category=DeprecationWarning, stacklevel=2)
            return func(*args, **kwargs)

        return wrapper

    return decorator


def _parts(version: str) -> list[int]:
    if not isinstance(version, str):
        raise TypeError(f"version must be a str like '2.0.0', got {type(version).__name__}")
    out = []
    for p in version.split("."):
        if not p.isdigit():
            raise ValueError(f"version {version!r} must be dot-separated numbers like '2.0.0'")
        out.append(int(p))
    return (out + [0, 0, 0, 0])[:4]


def require_version(min_version: str, max_version: str | None = None) -> None:
    """Raise if the Paddle API level paddlefish follows is outside ``[min_version, max_version]``."""
    have = _parts(PADDLE_API_VERSION)
    if have < _parts(min_version) or (max_version is not None and have > _parts(max_version)):
        rng = f">= {min_version}" + (f" and <= {max_version}" if max_version else "")
        raise Exception(  # Paddle raises a plain Exception here; code catches that
            f"VersionError: paddlefish follows the Paddle {PADDLE_API_VERSION} API, but the "
            f"program requires a Paddle version {rng}"
        )
