"""Checks of the public API's arguments, made before any work starts.

A value of the wrong type is a TypeError, a value of the right type outside what is accepted a
ValueError; every message names the argument and what it accepts. Rules the engine owns (the
duration grammar, a run's duration and warm-up) are asked of the engine through _core, so that
Python and the command line accept the same things.
"""

from __future__ import annotations

import json
import math
import numbers
import os
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from . import _core

SEED_MAX = 2**64 - 1  # seeds are the engine's unsigned 64-bit integers
# A sweep's limits are the engine's (sluice/sweep.hpp says why), the same as `sluice sweep`'s.
MAX_REPLICATIONS: int = _core.MAX_REPLICATIONS
MAX_RUNS: int = _core.MAX_SWEEP_RUNS
MAX_WORKERS: int = _core.MAX_SWEEP_WORKERS


def shown(value: Any, limit: int = 80) -> str:
    """repr() of a value, cut to `limit` characters (a message must not hold a megabyte)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _kind(value: Any) -> str:
    return type(value).__name__


def _bound(n: int) -> str:
    return "2**64 - 1" if n == SEED_MAX else f"{n:,}"


def integer(value: Any, name: str, low: int, high: int) -> int:
    """A whole number in [low, high]: ints and numpy integers; not bools, floats or text."""
    accepted = f"an int from {_bound(low)} to {_bound(high)}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {accepted}, not {_kind(value)} {shown(value)}")
    if not low <= int(value) <= high:
        raise ValueError(f"{name} must be {accepted}, got {shown(value)}")
    return int(value)


def seed(value: Any, name: str = "seed") -> int | None:
    """A run's seed, or None for the model's own run.seed."""
    return None if value is None else integer(value, name, 0, SEED_MAX)


def real(value: Any, name: str, low: float, high: float) -> float:
    """A finite number in [low, high]: ints, floats and numpy numbers; not bools or text."""
    accepted = f"a number from {low:g} to {high:g}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {accepted}, not {_kind(value)} {shown(value)}")
    number = float(value)
    if not (math.isfinite(number) and low <= number <= high):
        raise ValueError(f"{name} must be {accepted}, got {shown(value)}")
    return number


def duration_s(value: Any, name: str = "duration") -> float | None:
    """Seconds from a number of seconds or text with a unit ('250ms', '10m', '2h', read by the
    engine's own parser); None stays None. Positive and finite: whether it suits the model (a
    run's 1ms..366d, longer than the warm-up) is the engine's check (check_run)."""
    if value is None:
        return None
    accepted = f"a number of seconds or text with a unit ({_core.DURATION_UNITS}) like '250ms', '10m' or '2h'"
    if isinstance(value, str):
        seconds = _core.parse_duration_s(value)
        if seconds is None:
            raise ValueError(f"{name} must be {accepted}, got {shown(value)}")
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        try:
            seconds = float(value)
        except OverflowError:  # an int beyond any float
            seconds = math.inf
    else:
        raise TypeError(f"{name} must be {accepted}, not {_kind(value)} {shown(value)}")
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"{name} must be a finite duration above zero (a number of seconds or text like "
                         f"'10m'), got {shown(value)}")
    return seconds


def check_run(spec: _core.ModelSpec, duration_s: float | None) -> None:
    """The engine's own checks of a run's duration against a model (1ms..366d, at most a million
    time-series buckets, longer than the warm-up), without running it: ModelError."""
    _core.check_run_options(spec, duration_s)


def text(value: Any, name: str, example: str) -> str:
    """A non-empty str."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str like {example!r}, not {_kind(value)} {shown(value)}")
    if not value:
        raise ValueError(f"{name} must be a non-empty str like {example!r}")
    return value


def optional_text(value: Any, name: str, example: str) -> str | None:
    return None if value is None else text(value, name, example)


def choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """One of a few words."""
    choices = tuple(choices)
    accepted = "one of " + ", ".join(repr(c) for c in choices)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be {accepted}, not {_kind(value)} {shown(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be {accepted}, got {shown(value)}")
    return value


def flag(value: Any, name: str, *, optional: bool = False) -> bool | None:
    """True or False (numpy's bools too), or None where None means 'decide for me'."""
    if value is None and optional:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    accepted = "True, False or None" if optional else "True or False"
    raise TypeError(f"{name} must be {accepted}, not {_kind(value)} {shown(value)}")


def path(value: Any, name: str) -> str:
    """A file system path as text: str, bytes or os.PathLike (pathlib.Path)."""
    if not isinstance(value, (str, bytes, os.PathLike)):
        raise TypeError(f"{name} must be a path (str, bytes or os.PathLike), "
                        f"not {_kind(value)} {shown(value)}")
    result = os.fsdecode(os.fspath(value))
    if not result:
        raise ValueError(f"{name} must be a path, got an empty one")
    return result


def is_path(value: Any) -> bool:
    return isinstance(value, (str, bytes, os.PathLike))


def items(value: Any, name: str, what: str) -> list[Any]:
    """The elements of a list (or any iterable but text, bytes and dicts), as a list."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list of {what}, not {_kind(value)} {shown(value)}")
    return list(value)


def non_empty(values: list[Any], name: str, what: str) -> list[Any]:
    if not values:
        raise ValueError(f"{name} has no {what}; give at least one")
    return values


def _identity(value: Any) -> Any:
    """A hashable stand-in for a value: itself, or for a list or dict its canonical JSON. A bool
    is not the number it equals (True and 1 are different overrides: 'true' and '1')."""
    if isinstance(value, (bool, np.bool_)):
        return ("bool", bool(value))
    try:
        hash(value)
        return value
    except TypeError:
        return json.dumps(value, sort_keys=True, default=repr)


def distinct(values: list[Any], name: str, shown_as: list[Any] | None = None) -> None:
    """No value twice. `values` are what makes two values the same (512 for 512, '512MB' and
    '0.5GB' as memory sizes); `shown_as` the values as the user gave them, for the message."""
    shown_as = values if shown_as is None else shown_as
    first: dict[Any, int] = {}
    for i, value in enumerate(values):
        key = _identity(value)
        if key in first:
            a, b = shown_as[first[key]], shown_as[i]
            twice = f"{shown(a)} is given twice" if shown(a) == shown(b) else \
                f"{shown(a)} and {shown(b)} are the same value"
            raise ValueError(f"{name}: {twice}; each value must appear once")
        first[key] = i


def mapping(value: Any, name: str, example: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict like {example}, not {_kind(value)} {shown(value)}")
    return value


def instance(value: Any, name: str, kind: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be {what}, not {_kind(value)} {shown(value)}")
    return value
