"""Memory sizing: the question AWS Lambda Power Tuning answers with real invocations, answered
here with the whole system around the function (its callers, concurrency and limits)."""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _checks, _core
from ._model import Model, PathLike, as_model
from ._units import Duration

# The engine's: `sluice tune` and power_tune() try the same sizes and know the same strategies.
DEFAULT_MEMORIES = tuple(_core.default_memories_mb())
STRATEGIES = tuple(_core.tune_strategies())


def _memory_mb(value: object) -> int:
    """A memory size in whole MB: an int, a float with no fraction (never silently rounded), or
    text with a unit as a model writes it ('512MB', '1GB'). The text's grammar and Lambda's range
    are the engine's (the rules of `sluice tune --memories`)."""
    if isinstance(value, bool):
        raise TypeError(f"memories: a memory size must be a whole number of MB, not {value!r}")
    if isinstance(value, str):
        return _core.parse_memory_mb(value, "memories")
    try:
        mb = operator.index(value)  # int, numpy integers
    except TypeError:
        if not isinstance(value, (float, np.floating)):
            raise TypeError(f"memories: a memory size must be a whole number of MB or text like '512MB', "
                            f"not {type(value).__name__} {_checks.shown(value)}") from None
        if not (math.isfinite(value) and float(value).is_integer()):
            raise ValueError(f"memories: a memory size must be a whole number of MB, got {value!r}") from None
        mb = int(value)
    # Also keeps the value within the engine's int (an int past any float is past the range too).
    _core.check_memory_mb(float(mb) if abs(mb) < 2**63 else math.inf, "--memories")
    return mb


def _number(value: float | None) -> float:
    """A statistic of the engine's, NaN where it has none (None or NaN: no samples)."""
    return math.nan if value is None else float(value)


@dataclass(frozen=True)
class PowerTuneResult:
    """One row per memory size, and the recommendation of the chosen strategy."""

    function: str
    strategy: str
    table: pd.DataFrame
    recommended_memory_mb: int | None
    explanation: str
    slo_p99_ms: float | None


def power_tune(model: Model | PathLike, function: str,
               memories: Sequence[int | str] = DEFAULT_MEMORIES, *, slo_p99: Duration | None = None,
               strategy: str = "cost", balanced_weight: float = 0.5, duration: Duration | None = None,
               seed: int | None = None) -> PowerTuneResult:
    """Runs the model once per memory size of ``function`` (same seed: same traffic).

    ``memories`` are sizes in MB (ints) or text with a unit as in a model ('512MB', '1GB').
    The table has, per memory size (``memory_mb``): duration p50/p99 and mean, end-to-end p99
    of the sources that reach the function, cold-start share, throttles, crashes (timeouts and
    out of memory), and the function's cost per 1M invocations, request charge included. A size
    at which no request succeeded has no percentiles: NaN in the table, and ``meets_slo`` is
    False. The recommendation follows Power Tuning's definitions: ``cost`` the cheapest,
    ``speed`` the fastest, ``balanced`` the least ``w·cost/max cost + (1-w)·duration/max
    duration``; a size that crashes, has no percentile or misses ``slo_p99`` is never
    recommended.

    Accepted: each memory size once, from 128 MB to 10240 MB; ``balanced_weight`` from 0 to 1;
    ``slo_p99`` and ``duration`` positive durations (a number of seconds or text like '300ms');
    ``seed`` an int from 0 to 2**64 - 1. Ctrl-C stops the runs with KeyboardInterrupt.
    """
    m = as_model(model)
    function = _checks.text(function, "function", "checkout")
    memory_values = _checks.items(memories, "memories", "memory sizes (512 or '512MB')")
    memories_mb = [_memory_mb(x) for x in memory_values]
    _checks.distinct(memories_mb, "memories", shown_as=memory_values)
    strategy = _checks.choice(strategy, "strategy", STRATEGIES)  # the engine refuses any other too
    balanced_weight = _checks.real(balanced_weight, "balanced_weight", 0.0, 1.0)
    slo_s = _checks.duration_s(slo_p99, "slo_p99")
    slo_ms = None if slo_s is None else slo_s * 1000.0
    duration_s = _checks.duration_s(duration)
    seed = _checks.seed(seed)
    result = _core.power_tune(m.spec, function, memories_mb, slo_ms, strategy, balanced_weight, duration_s,
                              seed)
    table = pd.DataFrame([{
        "memory_mb": p.memory_mb,
        "invocations": p.invocations,
        "duration_mean_ms": _number(p.duration_mean_ms),
        "duration_p50_ms": _number(p.duration_p50_ms),
        "duration_p99_ms": _number(p.duration_p99_ms),
        "end_to_end_p99_ms": _number(p.end_to_end_p99_ms),
        "cold_start_share": _number(p.cold_start_share),
        "throttles": p.throttles,
        "errors": p.errors,
        "crashes": p.crashes,
        "cost_per_million_usd": _number(p.cost_per_million_usd),
        # No end-to-end percentile (no request succeeded): no latency target is met.
        "meets_slo": bool(p.meets_slo) and not math.isnan(_number(p.end_to_end_p99_ms)),
    } for p in result.points])
    return PowerTuneResult(function, strategy, table, result.recommended_memory_mb, result.explanation,
                           slo_ms)
