"""Confidence intervals over replications: Student's t for quantities; for counts, one that never
goes below zero (Garwood's exact Poisson interval together with t), checked against closed forms,
chi-square tables and its coverage of Poisson counts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sluice import _core
from sluice._stats import count_interval, mean_interval, poisson_interval


@pytest.mark.parametrize("p", [0.025, 0.5, 0.975])
def test_gamma_quantile_of_shape_one_is_the_exponential_quantile(p):
    assert _core.gamma_quantile(1.0, p) == pytest.approx(-math.log(1 - p), rel=1e-12)


@pytest.mark.parametrize(("shape", "p", "chi_square"), [
    (10, 0.025, 9.591),  # chi-square tables: 20 degrees of freedom, lower 2.5%
    (11, 0.975, 36.781),  # 22 degrees of freedom, upper 2.5%
    (2.5, 0.975, 12.833),  # 5 degrees of freedom
])
def test_gamma_quantile_is_half_the_chi_square_quantile(shape, p, chi_square):
    assert 2 * _core.gamma_quantile(shape, p) == pytest.approx(chi_square, abs=6e-4)


def test_garwood_interval():
    assert poisson_interval(0) == (0.0, pytest.approx(3.6889, abs=1e-4))  # the "rule of three"
    low, high = poisson_interval(10)
    assert (low, high) == (pytest.approx(4.7954, abs=1e-4), pytest.approx(18.3904, abs=1e-4))


def test_a_quantity_gets_the_t_interval():
    values = [10.0, 12.0, 17.0]
    mean, low, high = mean_interval(values)
    half = 4.302653 * np.std(values, ddof=1) / math.sqrt(3)  # t(0.975, 2), exact to 7 digits (Boost.Math)
    assert (mean, low, high) == (13.0, pytest.approx(13 - half), pytest.approx(13 + half))


@pytest.mark.parametrize("values", [[0, 0, 1], [0, 1, 2], [2, 0, 0, 0, 0], [0, 0, 30], [1, 1, 1], [5, 0],
                                    [3, 9, 1, 0, 4, 2, 0, 0]])
def test_a_count_interval_never_goes_below_zero_and_holds_poisson_and_t(values):
    n = len(values)
    mean, low, high = count_interval(values)
    assert mean == pytest.approx(np.mean(values))
    assert 0 <= low <= mean <= high
    garwood = poisson_interval(sum(values))
    _, t_low, t_high = mean_interval(values)
    assert low <= garwood[0] / n and high >= garwood[1] / n
    assert low <= max(t_low, 0) and high >= t_high


def test_all_zero_counts_give_the_rule_of_three():
    for n in (2, 3, 10):
        assert count_interval([0] * n) == (0.0, 0.0, pytest.approx(3.6889 / n, abs=1e-4))


def test_a_large_count_that_varies_more_than_poisson_gets_the_t_interval():
    values = [1000, 1100, 1300]  # a standard deviation of 153, Poisson's would be 33
    assert count_interval(values) == pytest.approx(mean_interval(values), rel=1e-12)


def test_one_replication_gives_no_interval():
    mean, low, high = count_interval([4])
    assert mean == 4 and math.isnan(low) and math.isnan(high)


@pytest.mark.parametrize("rate", [0.5, 4.0])
def test_coverage_of_poisson_counts(rate):
    """Of 2000 intervals from 3 Poisson counts each, at least 95% hold the true mean, within three
    binomial standard errors (fixed seed); the t interval alone falls short at small counts."""
    trials, n = 2000, 3
    rng = np.random.default_rng(20240601)
    samples = rng.poisson(rate, size=(trials, n)).tolist()
    covered = sum(low <= rate <= high for _, low, high in map(count_interval, samples))
    floor = 0.95 - 3 * math.sqrt(0.95 * 0.05 / trials)
    assert covered / trials >= floor
    if rate < 1:
        t_covered = sum(low <= rate <= high for _, low, high in map(mean_interval, samples))
        assert t_covered / trials < floor
