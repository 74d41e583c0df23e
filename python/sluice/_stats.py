"""95% confidence intervals of a mean over independent replications, computed by the engine
(sluice/sweep.hpp), so that sluice.sweep and `sluice sweep` give the same intervals.

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

from collections.abc import Sequence

from . import _core


def mean_interval(values: Sequence[float]) -> tuple[float, float, float]:
    """Mean and Student's t 95% interval (low, high) of a quantity (NaN bounds for one value)."""
    mean, low, high, _ = _core.mean_interval([float(v) for v in values])
    return mean, low, high


def poisson_interval(total: float) -> tuple[float, float]:
    """Garwood's exact 95% interval for the mean of a Poisson count observed as ``total``: the
    quantiles of Gamma(total) and Gamma(total + 1). ``total`` may be fractional (a scaled count)."""
    return _core.poisson_interval(float(total))


def count_interval(values: Sequence[float]) -> tuple[float, float, float]:
    """Mean and 95% interval (low, high) of a count over replications: Garwood's exact Poisson
    interval and the Student t interval together, cut at zero (see the top of this module).
    NaN bounds for one value, as for any other metric."""
    mean, low, high, _ = _core.count_interval([float(v) for v in values])
    return mean, low, high
