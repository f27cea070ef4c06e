"""Typed ``**configs`` of ``paddle.save`` / ``paddle.load`` (checked at the boundary).

Paddle accepts its options as ``**configs``; we keep that signature but check the keys and
types here, so a typo is refused with the list of valid keys instead of being ignored.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable
from typing import Any

__all__ = ["LoadConfig", "SaveConfig", "parse_load_configs", "parse_save_configs"]


@dataclasses.dataclass(frozen=True)
class SaveConfig:
    """What ``paddle.save`` was asked to do."""

    protocol: int = 4
    use_binary_format: bool = False
    safetensors: bool = False


@dataclasses.dataclass(frozen=True)
class LoadConfig:
    """What ``paddle.load`` was asked to do (``mmap`` and ``trusted_globals`` are ours)."""

    model_filename: str | None = None
    params_filename: str | None = None
    keep_name_table: bool = False
    return_numpy: bool = False
    safetensors: bool = False
    mmap: bool = False
    trusted_globals: frozenset[str] = frozenset()


_SAVE_KEYS = ("use_binary_format", "pickle_protocol", "safetensors")
_LOAD_KEYS = tuple(f.name for f in dataclasses.fields(LoadConfig))


def _refuse_unknown(fn: str, configs: dict[str, Any], valid: Iterable[str]) -> None:
    unknown = sorted(set(configs) - set(valid))
    if unknown:
        raise ValueError(
            f"{fn}() got unsupported configs {unknown}; the valid ones are {sorted(valid)}"
        )


def _check_protocol(protocol: Any) -> int:
    if type(protocol) is not int or not 2 <= protocol <= 4:
        raise ValueError(
            f"paddle.save: protocol must be an int in 2..4 (pickle protocols Paddle reads), got "
            f"{protocol!r}"
        )
    return protocol


def _check_bool(fn: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{fn}: config {key!r} must be a bool, got {type(value).__name__}")
    return value


def parse_save_configs(protocol: Any, configs: dict[str, Any]) -> SaveConfig:
    """Validate ``paddle.save``'s ``protocol`` and ``**configs``.

    >>> parse_save_configs(4, {'use_binary_format': True}).use_binary_format
    True
    """
    _refuse_unknown("paddle.save", configs, _SAVE_KEYS)
    if "pickle_protocol" in configs:
        warnings.warn(
            "paddle.save: 'pickle_protocol' is deprecated; pass protocol=... instead",
            DeprecationWarning,
            stacklevel=3,
        )
        protocol = configs["pickle_protocol"]
    return SaveConfig(
        protocol=_check_protocol(protocol),
        use_binary_format=_check_bool(
            "paddle.save", "use_binary_format", configs.get("use_binary_format", False)
        ),
        safetensors=_check_bool("paddle.save", "safetensors", configs.get("safetensors", False)),
    )


def _opt_str(key: str, value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"paddle.load: config {key!r} must be a str, got {type(value).__name__}")
    return value


def parse_load_configs(configs: dict[str, Any]) -> LoadConfig:
    """Validate ``paddle.load``'s ``**configs``.

    >>> parse_load_configs({'return_numpy': True}).return_numpy
    True
    """
    _refuse_unknown("paddle.load", configs, _LOAD_KEYS)
    trusted = configs.get("trusted_globals", ())
    if isinstance(trusted, str) or not all(isinstance(g, str) for g in trusted):
        raise TypeError(
            "paddle.load: trusted_globals must be a collection of 'module.name' strings, e.g. "
            "trusted_globals={'mypkg.MyClass'}"
        )
    bools = {
        k: _check_bool("paddle.load", k, configs.get(k, False))
        for k in ("keep_name_table", "return_numpy", "safetensors", "mmap")
    }
    return LoadConfig(
        model_filename=_opt_str("model_filename", configs.get("model_filename")),
        params_filename=_opt_str("params_filename", configs.get("params_filename")),
        trusted_globals=frozenset(trusted),
        **bools,
    )
