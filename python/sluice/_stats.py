"""95% confidence intervals of a mean over independent replications.

Two kinds of metric, two intervals:

- a quantity (latency, cost, a mean level): Student's t interval, ``mean ± t(0.975, n-1)·s/√n``;
- a count (invocations, cold starts, throttles: whole numbers in the summary): never below
  zero. It spans both Garwood's exact Poisson interval for the mean (from the total T of the n
  counts: the 2.5% quantile of Gamma(T) and the 97.5% quantile of Gamma(T + 1), divided by n)
  and the Student t interval, cut at zero. A count that varies like a Poisson count gets the
  exact interval, asymmetric near zero as the count's distribution is (all zeros give
  ``[0, 3.69/n]``); one that varies more (cold starts and throttles come in bursts) gets at
  least the t interval's width. A constant count still gets the Poisson interval: a few
  identical replications do not prove a count cannot vary.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from . import _core

# Two-sided 95% quantiles t(0.975, df) for df = 1..30; above 30 the Cornish-Fisher expansion
# around the normal quantile is accurate to 1e-4.
_T975 = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
         2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
         2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423]


def t_quantile_975(df: int) -> float:
    if df < 1:
        return math.nan
    if df <= len(_T975):
        return _T975[df - 1]
    z = 1.959963984540054
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def _mean_and_variance(values: Sequence[float]) -> tuple[float, float]:
    n = len(values)
    mean = math.fsum(values) / n
    variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else math.nan
    return mean, variance


def mean_and_half_width(values: Sequence[float]) -> tuple[float, float]:
    """Mean and Student's t 95% half-width over independent replications (NaN for one value)."""
    if not values:
        return math.nan, math.nan
    mean, variance = _mean_and_variance(values)
    if len(values) == 1:
        return mean, math.nan
    return mean, t_quantile_975(len(values) - 1) * math.sqrt(variance / len(values))


def mean_interval(values: Sequence[float]) -> tuple[float, float, float]:
    """Mean and Student's t 95% interval (low, high) of a quantity (NaN bounds for one value)."""
    mean, half = mean_and_half_width(values)
    return mean, mean - half, mean + half


def poisson_interval(total: float, level: float = 0.95) -> tuple[float, float]:
    """Garwood's exact interval for the mean of a Poisson count observed as ``total``: the
    quantiles of Gamma(total) and Gamma(total + 1) (a chi-square with 2·total and 2·total + 2
    degrees of freedom, halved). ``total`` may be fractional (a scaled count)."""
    tail = (1 - level) / 2
    low = _core.gamma_quantile(total, tail) if total > 0 else 0.0
    return low, _core.gamma_quantile(total + 1, 1 - tail)


def count_interval(values: Sequence[float]) -> tuple[float, float, float]:
    """Mean and 95% interval (low, high) of a count over replications: Garwood's exact Poisson
    interval and the Student t interval together, cut at zero (see the top of this module).
    NaN bounds for one value, as for any other metric."""
    mean, t_low, t_high = mean_interval(values)
    if len(values) < 2:
        return mean, math.nan, math.nan
    n = len(values)
    low, high = poisson_interval(math.fsum(values))
    return mean, max(0.0, min(low / n, t_low)), max(high / n, t_high)
