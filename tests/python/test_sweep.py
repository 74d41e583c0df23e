"""Sweeps: one row per point with means and 95% confidence intervals, swept quantities as numbers,
every metric of the summary, common random numbers across points, and bad parameters and
metrics caught before anything runs."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest

import sluice
import sluice._sweep
from conftest import MODELS, TINY_YAML
from sluice._units import as_numbers

MEMORY = {"components.checkout.memory": ["512MB", "1024MB"]}
MEMORY_MB = "components.checkout.memory_mb"  # the column of MEMORY's key: numbers, the unit in the name
METRICS = ["cost_usd.total", "sources.shoppers.latency_ms.p99", "sources.shoppers.latency_ms.mean"]


def interval_columns(metric: str) -> list[str]:
    return [metric, f"{metric}_ci95_low", f"{metric}_ci95_high"]


def test_one_row_per_point_with_mean_and_ci95(tiny):
    parameters = {"components.checkout.memory": ["256MB", "512MB", "1024MB"],
                  "sources.shoppers.arrivals.rate": ["10/s", "30/s"]}
    df = sluice.sweep(tiny, parameters, replications=3, workers=2, progress=False)
    assert len(df) == 6
    metrics = sluice._sweep.default_metrics(tiny)
    assert metrics == ["sources.shoppers.latency_ms.p99", "sources.shoppers.cost_per_million_usd",
                       "cost_usd.total"]
    columns = [MEMORY_MB, "sources.shoppers.arrivals.rate_per_s"]
    assert list(df.columns) == columns + [c for m in metrics for c in interval_columns(m)] + ["replications"]
    assert (df["replications"] == 3).all()
    # every combination once, in order
    assert list(zip(df[columns[0]], df[columns[1]])) == [(mem, rate) for mem in (256, 512, 1024)
                                                         for rate in (10, 30)]
    for m in metrics:
        assert df[m].notna().all() and (df[m] > 0).all()
        assert (df[f"{m}_ci95_low"] < df[m]).all() and (df[m] < df[f"{m}_ci95_high"]).all()
    # more memory, less latency; more traffic, more cost
    p99 = df.set_index(columns)["sources.shoppers.latency_ms.p99"]
    assert p99[(1024, 30)] < p99[(256, 30)]
    cost = df.set_index(columns)["cost_usd.total"]
    assert cost[(512, 30)] > cost[(512, 10)]


def test_mean_and_ci95_from_the_replications(tiny):
    raw = sluice.sweep(tiny, MEMORY, replications=4, metrics=METRICS, workers=2, raw=True)
    table = sluice.sweep(tiny, MEMORY, replications=4, metrics=METRICS, workers=2)
    assert list(raw.columns) == [MEMORY_MB, "replication", "seed"] + METRICS
    assert len(raw) == 8
    assert list(raw["replication"]) == [0, 1, 2, 3] * 2
    for memory, group in raw.groupby(MEMORY_MB, sort=False):
        row = table[table[MEMORY_MB] == memory].iloc[0]
        for m in METRICS:
            values = group[m].to_numpy()
            assert row[m] == pytest.approx(values.mean(), rel=1e-12)
            half = 3.1824 * values.std(ddof=1) / math.sqrt(len(values))  # t(0.975, 3)
            assert row[f"{m}_ci95_low"] == pytest.approx(values.mean() - half, rel=1e-4, abs=1e-12)
            assert row[f"{m}_ci95_high"] == pytest.approx(values.mean() + half, rel=1e-4, abs=1e-12)


def test_ci95_shrinks_with_more_replications(tiny):
    metrics = ["cost_usd.total", "sources.shoppers.latency_ms.mean"]
    few = sluice.sweep(tiny, MEMORY, replications=3, metrics=metrics, workers=2)
    many = sluice.sweep(tiny, MEMORY, replications=12, metrics=metrics, workers=2)
    for m in metrics:
        width = {name: df[f"{m}_ci95_high"] - df[f"{m}_ci95_low"]
                 for name, df in (("few", few), ("many", many))}
        assert (width["many"] < width["few"]).all(), m
        assert (width["many"] > 0).all()
    one = sluice.sweep(tiny, MEMORY, replications=1, metrics=metrics + ["end_to_end.completed"], workers=1)
    for m in metrics + ["end_to_end.completed"]:  # no interval from a single replication, count or not
        assert one[f"{m}_ci95_low"].isna().all() and one[f"{m}_ci95_high"].isna().all()


def test_common_random_numbers_reduce_the_variance_of_differences(tiny):
    """Replication r of every point uses seed + r: the difference between two points, paired by
    replication, varies much less than the difference between independently seeded runs."""
    paired_runs = sluice.sweep(tiny, MEMORY, replications=10, metrics=METRICS, seed=1, workers=2, raw=True)
    shifted_runs = sluice.sweep(tiny, MEMORY, replications=10, metrics=METRICS, seed=1001, workers=2,
                                raw=True)

    def point(df, memory):
        return df[df[MEMORY_MB] == memory].reset_index(drop=True)

    a = point(paired_runs, 512)
    b_paired = point(paired_runs, 1024)
    b_unpaired = point(shifted_runs, 1024)  # other seeds: not paired with a's replications
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
    assert list(df.columns) == [MEMORY_MB] + interval_columns("cost_usd.total") + ["replications"]


def test_sweeping_the_duration(tiny):
    df = sluice.sweep(tiny, {"run.duration": ["3m", "6m"]}, replications=1, metrics=["cost_usd.total"],
                      workers=1)
    assert list(df["run.duration_s"]) == [180, 360]
    assert df["cost_usd.total"].iloc[1] > 1.5 * df["cost_usd.total"].iloc[0]


def test_workers_and_client_together_are_refused(tiny):
    with pytest.raises(ValueError, match="not both"):
        sluice.sweep(tiny, {"run.warmup": ["1m"]}, replications=1, workers=2, client=object(), progress=False)


def leaves(node, path=""):
    """The summary's numbers by dotted path, walked here independently of the package."""
    if isinstance(node, dict):
        for key, child in node.items():
            yield from leaves(child, f"{path}.{key}" if path else key)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield path, node


@pytest.mark.parametrize("name", ["default.yaml", "compare/sqs-lambda.yaml", "compare/sns-lambda.yaml",
                                  "compare/sns-sqs-lambda.yaml", "compare/kinesis-lambda.yaml",
                                  "dynamodb/on-demand.yaml"])
def test_every_metric_of_a_real_summary_can_be_swept(name):
    """The metrics a sweep accepts are exactly the numbers of a real run's summary (end_to_end.*,
    cost_usd.by_dimension.* with dotted keys, trigger and queue metrics...), and each comes back
    with the value the run itself reports."""
    model = sluice.Model.load(MODELS / name).set("run.warmup", "1m")
    real = dict(leaves(sluice.run(model, duration="3m", seed=5).summary))
    assert any(m.startswith("end_to_end.") for m in real)
    assert set(sluice.summary_metrics(model)) == set(real)
    raw = sluice.sweep(model, {"run.warmup": ["1m"]}, metrics=list(real), replications=1, seed=5,
                       duration="3m", workers=1, raw=True, progress=False)
    assert raw.iloc[0][list(real)].to_dict() == real


@pytest.mark.parametrize(("metric", "suggestion"), [
    ("end_to_end.latency_ms.p98", "end_to_end.latency_ms.p99"),
    ("sources.shopers.latency_ms.p99", "sources.shoppers.latency_ms.p99"),
    ("components.checkout.metrics.Coldstarts", "components.checkout.metrics.ColdStarts"),
    ("cost_usd.by_dimension.lambda.request", "cost_usd.by_dimension.lambda.requests"),
])
def test_an_unknown_metric_fails_before_the_first_run_with_a_suggestion(tiny, monkeypatch, metric,
                                                                          suggestion):
    runs = []
    monkeypatch.setattr(sluice._sweep, "_run_task", lambda *args: runs.append(args) or [0.0])
    with pytest.raises(KeyError, match=f"did you mean '{re.escape(suggestion)}'"):
        sluice.sweep(tiny, MEMORY, replications=2, metrics=["cost_usd.total", metric], workers=1,
                     progress=False)
    assert runs == []


def test_a_metric_must_be_in_the_summary_of_every_point(tiny, monkeypatch):
    """Swept keys can change what the summary holds: a function's asynchronous-invocation metrics
    exist only with an on-failure destination (or asynchronous traffic)."""
    model = sluice.Model.from_yaml(TINY_YAML + "  failed-checkouts: {type: sqs}\n")
    metric = "components.checkout.metrics.AsyncEventsReceived"
    with_destination = {"components.checkout.async": [{"on_failure": "failed-checkouts"}]}
    df = sluice.sweep(model, with_destination, metrics=[metric], replications=2, workers=1, progress=False)
    assert (df[metric] == 0).all()  # synchronous traffic: no asynchronous events
    runs = []
    monkeypatch.setattr(sluice._sweep, "_run_task", lambda *args: runs.append(args) or [0.0])
    both = {"components.checkout.async": [{"on_failure": "failed-checkouts"}, {"max_retries": 1}]}
    with pytest.raises(KeyError, match="AsyncEventsReceived.*max_retries"):
        sluice.sweep(model, both, metrics=[metric], replications=2, workers=1, progress=False)
    assert runs == []


def test_swept_quantities_come_back_as_numbers_with_the_unit_in_the_name(tiny):
    parameters = {"components.checkout.memory": ["1GB", "256MB"],
                  "sources.shoppers.arrivals.rate": ["600/min"],
                  "components.checkout.timeout": ["10s", "2.5s"],
                  "components.checkout.errors": ["1%", "0.5%"],
                  "components.checkout.runtime": ["python3.12"]}
    df = sluice.sweep(tiny, parameters, metrics=["cost_usd.total"], replications=1, workers=2, progress=False)
    columns = ["components.checkout.memory_mb", "sources.shoppers.arrivals.rate_per_s",
               "components.checkout.timeout_s", "components.checkout.errors_pct",
               "components.checkout.runtime"]
    assert list(df.columns[:5]) == columns
    for column in columns[:4]:
        assert pd.api.types.is_numeric_dtype(df[column]), column
    assert list(df["components.checkout.memory_mb"]) == [1024] * 4 + [256] * 4
    assert set(df["sources.shoppers.arrivals.rate_per_s"]) == {10}
    assert list(df["components.checkout.timeout_s"]) == [10, 10, 2.5, 2.5] * 2
    assert list(df["components.checkout.errors_pct"]) == [1, 0.5] * 4
    assert set(df["components.checkout.runtime"]) == {"python3.12"}  # text stays text
    # sorts by value, not as text ('1GB' < '256MB')
    assert list(df.sort_values("components.checkout.memory_mb")["components.checkout.memory_mb"])[0] == 256
    raw = sluice.sweep(tiny, parameters, metrics=["cost_usd.total"], replications=1, workers=2, raw=True)
    assert list(raw.columns[:5]) == columns and list(raw[columns[0]]) == list(df[columns[0]])


@pytest.mark.parametrize(("values", "column", "numbers"), [
    ([0, 5, 10], "k", [0, 5, 10]),  # numbers stay as they are
    (["5", "10"], "k", [5, 10]),  # numbers written as text
    ([1.5, "2"], "k", [1.5, 2]),
    (["512MB", "1.5GB", "0"], "k_mb", [512, 1536, 0]),
    (["2KB"], "k_mb", [2 / 1024]),
    (["250ms", "1.5s", "2m", "1h"], "k_s", [0.25, 1.5, 120, 3600]),
    (["100/s", "6000/min", "1.5K/s", "1M/day"], "k_per_s", [100, 100, 1500, 1e6 / 86400]),
    (["0.5%", "70%", 0.25], "k_pct", [0.5, 70, 25]),
    (["python3.12", "nodejs20.x"], "k", ["python3.12", "nodejs20.x"]),  # text that is no quantity
    (["512MB", "10s"], "k", ["512MB", "10s"]),  # two kinds: shown as given
    ([{"cpu": "3ms"}], "k", [{"cpu": "3ms"}]),
    ([True, False], "k", [True, False]),
])
def test_parameter_values_as_numbers(values, column, numbers):
    name, converted = as_numbers("k", values)
    assert name == column
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers):
        assert converted == pytest.approx(numbers)
        assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in converted)
    else:
        assert converted == numbers


def test_a_count_interval_never_goes_below_zero(tiny):
    """Cold starts are few: the t interval of some points goes below zero, the sweep's never does."""
    metric = "components.checkout.metrics.ColdStarts"
    parameters = {"components.checkout.memory": ["256MB", "512MB", "1024MB", "2GB"]}
    raw = sluice.sweep(tiny, parameters, metrics=[metric], replications=3, seed=2, workers=2, raw=True)
    table = sluice.sweep(tiny, parameters, metrics=[metric], replications=3, seed=2, workers=2)
    assert raw[metric].dtype.kind == "i"  # a count
    t_low = raw.groupby(MEMORY_MB, sort=False)[metric].agg(
        lambda v: v.mean() - 4.3027 * v.std(ddof=1) / math.sqrt(len(v)))
    assert (t_low < 0).any()  # the case this test is about
    assert (table[f"{metric}_ci95_low"] >= 0).all()
    assert (table[f"{metric}_ci95_low"] <= table[metric]).all()
    assert (table[metric] <= table[f"{metric}_ci95_high"]).all()


def test_the_python_sweep_and_the_command_line_give_the_same_numbers(tiny, tmp_path):
    """One implementation: `sluice sweep` and sluice.sweep run the same replications with the same
    seeds and compute the same intervals, to the last bit."""
    from conftest import run_cli

    path = tmp_path / "tiny.yaml"
    path.write_text(tiny.to_yaml(), encoding="utf-8")
    metrics = ["sources.shoppers.latency_ms.p99", "components.checkout.metrics.ColdStarts"]
    df = sluice.sweep(tiny, {"components.checkout.memory": ["512MB", "1GB"]}, metrics=metrics, replications=3,
                      seed=21, duration="3m", workers=2, progress=False)
    proc = run_cli("sweep", str(path), "--set", "components.checkout.memory=512MB,1GB",
                   "--metric", metrics[0], "--metric", metrics[1], "--replications", "3", "--seed", "21",
                   "--duration", "3m", "--workers", "1", "--format", "json")
    points = json.loads(proc.stdout)["points"]
    assert [p["parameters"]["components.checkout.memory"] for p in points] == ["512MB", "1GB"]
    for (_, row), point in zip(df.iterrows(), points):
        for m in metrics:
            cli = point["metrics"][m]
            assert (row[m], row[f"{m}_ci95_low"], row[f"{m}_ci95_high"]) == (cli["mean"], cli["ci95_low"],
                                                                              cli["ci95_high"])
            assert cli["n"] == 3
    assert points[0]["metrics"][metrics[1]]["count"] and not points[0]["metrics"][metrics[0]]["count"]


def test_the_grid_runs_in_one_call_of_the_engine(tiny, monkeypatch):
    """Without a Dask client, the whole grid is one call of the engine's sweep (its threads, its
    seeds, its intervals): no run goes through Python."""
    calls = []
    original = sluice._core.sweep
    monkeypatch.setattr(sluice._core, "sweep", lambda *args: calls.append(args) or original(*args))
    monkeypatch.setattr(sluice._core, "run", lambda *args: pytest.fail("a run through Python"))
    df = sluice.sweep(tiny, MEMORY, replications=2, metrics=["cost_usd.total"], seed=3, workers=2,
                      progress=False)
    assert len(calls) == 1
    points, metrics, replications, seed, _, workers, _ = calls[0]
    assert (len(points), metrics, replications, seed, workers) == (2, ["cost_usd.total"], 2, 3, 2)
    assert len(df) == 2


def test_the_command_line_draws_a_progress_bar_on_a_terminal_only(tiny, tmp_path):
    """`sluice sweep` draws its bar (runs done of all) on stderr when stderr is a terminal; the
    output on stdout is the same either way."""
    import os
    import pty
    import subprocess

    from conftest import run_cli, sluice_command

    path = tmp_path / "tiny.yaml"
    path.write_text(tiny.to_yaml(), encoding="utf-8")
    args = ["sweep", str(path), "--set", "components.checkout.memory=512MB,1GB", "--replications", "2",
            "--duration", "2m", "--format", "csv"]
    leader, follower = pty.openpty()
    proc = subprocess.run([sluice_command(), *args], stdout=subprocess.PIPE, stderr=follower, timeout=300)
    os.close(follower)
    drawn = b""
    try:
        while True:
            chunk = os.read(leader, 4096)
            if not chunk:
                break
            drawn += chunk
    except OSError:  # the terminal's other end is closed: everything has been read
        pass
    finally:
        os.close(leader)
    assert proc.returncode == 0
    assert b"4 / 4 runs" in drawn
    plain = run_cli(*args)
    assert plain.stderr == ""
    assert plain.stdout.encode() == proc.stdout
