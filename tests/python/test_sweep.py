"""Sweeps: one row per point with means and 95% confidence half-widths, common random numbers
across points, and bad parameters caught before anything runs."""

from __future__ import annotations

import math

import numpy as np
import pytest

import sluice
import sluice._sweep

MEMORY = {"components.checkout.memory": ["512MB", "1024MB"]}
METRICS = ["cost_usd.total", "sources.shoppers.latency_ms.p99", "sources.shoppers.latency_ms.mean"]


def test_one_row_per_point_with_mean_and_ci95(tiny):
    parameters = {"components.checkout.memory": ["256MB", "512MB", "1024MB"],
                  "sources.shoppers.arrivals.rate": ["10/s", "30/s"]}
    df = sluice.sweep(tiny, parameters, replications=3, workers=2, progress=False)
    assert len(df) == 6
    metrics = sluice._sweep.default_metrics(tiny)
    assert metrics == ["sources.shoppers.latency_ms.p99", "sources.shoppers.cost_per_million_usd", "cost_usd.total"]
    expected = list(parameters) + [c for m in metrics for c in (m, f"{m}_ci95")] + ["replications"]
    assert list(df.columns) == expected
    assert (df["replications"] == 3).all()
    # every combination once, in order
    assert list(zip(df["components.checkout.memory"], df["sources.shoppers.arrivals.rate"])) == [
        (mem, rate) for mem in parameters["components.checkout.memory"] for rate in parameters["sources.shoppers.arrivals.rate"]]
    for m in metrics:
        assert df[m].notna().all() and (df[m] > 0).all()
        assert (df[f"{m}_ci95"] >= 0).all()
    # more memory, less latency; more traffic, more cost
    p99 = df.set_index(list(parameters))["sources.shoppers.latency_ms.p99"]
    assert p99[("1024MB", "30/s")] < p99[("256MB", "30/s")]
    cost = df.set_index(list(parameters))["cost_usd.total"]
    assert cost[("512MB", "30/s")] > cost[("512MB", "10/s")]


def test_mean_and_ci95_from_the_replications(tiny):
    raw = sluice.sweep(tiny, MEMORY, replications=4, metrics=METRICS, workers=2, raw=True)
    table = sluice.sweep(tiny, MEMORY, replications=4, metrics=METRICS, workers=2)
    assert list(raw.columns) == ["components.checkout.memory", "replication", "seed"] + METRICS
    assert len(raw) == 8
    assert list(raw["replication"]) == [0, 1, 2, 3] * 2
    for memory, group in raw.groupby("components.checkout.memory", sort=False):
        row = table[table["components.checkout.memory"] == memory].iloc[0]
        for m in METRICS:
            values = group[m].to_numpy()
            assert row[m] == pytest.approx(values.mean(), rel=1e-12)
            half = 3.1824 * values.std(ddof=1) / math.sqrt(len(values))  # t(0.975, 3)
            assert row[f"{m}_ci95"] == pytest.approx(half, rel=1e-4, abs=1e-12)


def test_ci95_shrinks_with_more_replications(tiny):
    metrics = ["cost_usd.total", "sources.shoppers.latency_ms.mean"]
    few = sluice.sweep(tiny, MEMORY, replications=3, metrics=metrics, workers=2)
    many = sluice.sweep(tiny, MEMORY, replications=12, metrics=metrics, workers=2)
    for m in metrics:
        assert (many[f"{m}_ci95"] < few[f"{m}_ci95"]).all(), m
        assert (many[f"{m}_ci95"] > 0).all()
    one = sluice.sweep(tiny, MEMORY, replications=1, metrics=metrics, workers=1)
    assert one[f"{metrics[0]}_ci95"].isna().all()  # no interval from a single replication


def test_common_random_numbers_reduce_the_variance_of_differences(tiny):
    """Replication r of every point uses seed + r: the difference between two points, paired by
    replication, varies much less than the difference between independently seeded runs."""
    paired_runs = sluice.sweep(tiny, MEMORY, replications=10, metrics=METRICS, seed=1, workers=2, raw=True)
    shifted_runs = sluice.sweep(tiny, MEMORY, replications=10, metrics=METRICS, seed=1001, workers=2, raw=True)

    def point(df, memory):
        return df[df["components.checkout.memory"] == memory].reset_index(drop=True)

    a = point(paired_runs, "512MB")
    b_paired = point(paired_runs, "1024MB")
    b_unpaired = point(shifted_runs, "1024MB")  # other seeds: not paired with a's replications
    assert list(a["seed"]) == list(b_paired["seed"])
    assert set(a["seed"]).isdisjoint(b_unpaired["seed"])
    for m in METRICS:
        paired = np.var(b_paired[m] - a[m], ddof=1)
        unpaired = np.var(b_unpaired[m] - a[m], ddof=1)
        assert paired < 0.5 * unpaired, (m, paired, unpaired)
        # the estimate of the difference itself agrees
        assert (b_paired[m] - a[m]).mean() == pytest.approx((b_unpaired[m] - a[m]).mean(),
                                                            abs=3 * math.sqrt(unpaired / 10))


@pytest.mark.parametrize(
    "parameters",
    [
        {"components.chekout.memory": ["512MB"]},  # a misspelled component
        {"components.checkout.memroy": ["512MB"]},  # a misspelled key
        {"components.checkout.memory": ["512MB", "12MB"]},  # the second value is out of range
        {"components.checkout.memory": ["512MB"], "components.checkout.steps.7.cpu": ["1ms"]},
    ],
)
def test_bad_parameters_fail_before_any_run(tiny, monkeypatch, parameters):
    calls = []
    monkeypatch.setattr(sluice._sweep, "_run_task", lambda *args: calls.append(args) or [0.0])
    monkeypatch.setattr(sluice._sweep._core, "run", lambda *args: calls.append(args))
    with pytest.raises(sluice.ModelError):
        sluice.sweep(tiny, parameters, replications=2, workers=2)
    assert calls == []


def test_bad_arguments(tiny):
    with pytest.raises(ValueError):
        sluice.sweep(tiny, {}, replications=1)
    with pytest.raises(ValueError, match="no values"):
        sluice.sweep(tiny, {"components.checkout.memory": []})
    with pytest.raises(TypeError, match="list of values"):
        sluice.sweep(tiny, {"components.checkout.memory": "512MB"})  # not its characters
    with pytest.raises(ValueError, match="replications"):
        sluice.sweep(tiny, MEMORY, replications=0)
    with pytest.raises(ValueError, match="seed"):
        sluice.sweep(tiny, MEMORY, seed=-1)
    with pytest.raises(ValueError, match="workers"):
        sluice.sweep(tiny, MEMORY, replications=1, workers=0)
    with pytest.raises(ValueError, match="run.seed"):  # would be overridden by the sweep's own seeds
        sluice.sweep(tiny, {"run.seed": [1, 2]}, replications=1)
    with pytest.raises(ValueError, match="run.duration"):  # would be overridden by duration=
        sluice.sweep(tiny, {"run.duration": ["5m", "10m"]}, replications=1, duration="5m")
    with pytest.raises(KeyError, match="nope"):
        sluice.sweep(tiny, MEMORY, replications=1, metrics=["nope"], workers=1)
    with pytest.raises(TypeError):
        sluice.sweep(tiny, MEMORY, replications=1, metrics=[None], workers=1)


def test_one_metric_as_a_string(tiny):
    df = sluice.sweep(tiny, MEMORY, replications=2, metrics="cost_usd.total", workers=1)
    assert list(df.columns) == ["components.checkout.memory", "cost_usd.total", "cost_usd.total_ci95", "replications"]


def test_sweeping_the_duration(tiny):
    df = sluice.sweep(tiny, {"run.duration": ["3m", "6m"]}, replications=1, metrics=["cost_usd.total"], workers=1)
    assert df["cost_usd.total"].iloc[1] > 1.5 * df["cost_usd.total"].iloc[0]


def test_misspelled_metric_names_fail_before_any_run(tiny):
    for metric in ("source.clients.latency_ms.p99", "sources.client.latency_ms.p99", "components.fn2.metrics.Errors"):
        with pytest.raises(KeyError):
            sluice.sweep(tiny, {"run.warmup": ["1m"]}, replications=1, metrics=[metric], progress=False)


def test_workers_and_client_together_are_refused(tiny):
    with pytest.raises(ValueError, match="not both"):
        sluice.sweep(tiny, {"run.warmup": ["1m"]}, replications=1, workers=2, client=object(), progress=False)
