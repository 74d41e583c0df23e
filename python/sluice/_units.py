"""Quantities in the Python API: durations as a number of seconds or text with a unit ("10m",
read by sluice._checks.duration_s), and swept values with units turned into numbers for tables."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, Union

from . import _core

Duration = Union[float, int, str]

# Swept values as numbers in the unit their column names: sizes in MB, durations in seconds,
# rates per second (read by the engine's own parsers, so exactly as a model reads them).
_QUANTITIES = (("_mb", "MB", _core.parse_size_mb), ("_s", "s", _core.parse_duration_s),
               ("_per_s", "per s", _core.parse_rate_per_s))
_PERCENT = ("_pct", "%")
UNIT_SUFFIXES = {suffix: unit for suffix, unit, _ in _QUANTITIES} | {_PERCENT[0]: _PERCENT[1]}


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _plain_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _whole_if_possible(values: list[float]) -> list[int | float]:
    if all(math.isfinite(v) and float(v).is_integer() for v in values):
        return [int(v) for v in values]
    return values


def as_numbers(key: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """The column a swept parameter gets in a table, and its values as numbers where the values
    are quantities: ``components.f.memory`` with '512MB', '1GB' becomes ``components.f.memory_mb``
    with 512, 1024; rates become ``_per_s``, durations ``_s``, percentages ``_pct``; plain
    numbers (also as text) keep the key as the name. Anything else (text such as a runtime name,
    mixed kinds, dicts) is returned as given."""
    if all(_is_number(v) for v in values):
        return key, list(values)
    if not all(isinstance(v, str) or _is_number(v) for v in values):
        return key, list(values)
    texts = [v if isinstance(v, str) else str(v) for v in values]
    with_unit = [t for t in texts if _plain_number(t) is None]
    if not with_unit:  # numbers written as text: '5', '10'
        return key, _whole_if_possible([float(t) for t in texts])
    for suffix, _, parse in _QUANTITIES:
        parsed = [parse(t) for t in texts]
        if all(p is not None for p in parsed):
            return key + suffix, _whole_if_possible([float(p) for p in parsed])
    if any("%" in t for t in with_unit):
        fractions = [_core.parse_fraction(t) for t in texts]
        if all(f is not None for f in fractions):
            return key + _PERCENT[0], _whole_if_possible([round(100 * f, 12) for f in fractions])
    return key, list(values)
