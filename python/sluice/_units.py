"""Durations given to the Python API: a number of seconds, or text with a unit ("10m")."""

from __future__ import annotations

import numbers
import re
from typing import Optional, Union

Duration = Union[float, int, str]

_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_PATTERN = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(us|ms|s|m|h|d)\s*$")


def seconds(value: Optional[Duration], what: str = "duration") -> Optional[float]:
    """Seconds from a number of seconds or a duration with a unit; None stays None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a number of seconds or a duration like '10m', not {value!r}")
    if isinstance(value, numbers.Real):  # also numpy's integers and floats
        if not value > 0:
            raise ValueError(f"{what} must be above zero, got {value!r}")
        try:
            return float(value)
        except OverflowError:  # an int beyond any float
            raise ValueError(f"{what}: {value!r} seconds is out of range") from None
    if isinstance(value, str):
        match = _PATTERN.match(value)
        if not match:
            raise ValueError(f"{what}: expected a duration with a unit like 250ms, 10m or 2h, got {value!r}")
        result = float(match.group(1)) * _UNITS[match.group(2)]
        if not result > 0:
            raise ValueError(f"{what} must be above zero, got {value!r}")
        return result
    raise TypeError(f"{what} must be a number of seconds or a duration like '10m', not {type(value).__name__}")


def milliseconds(value: Optional[Duration], what: str) -> Optional[float]:
    s = seconds(value, what)
    return None if s is None else s * 1000.0
