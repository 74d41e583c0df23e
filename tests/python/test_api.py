"""The public API: building models, overriding keys, running, and reading results as Python data,
checked against what the `sluice` command writes for the same model, duration and seed."""

from __future__ import annotations

import gc
import json

import numpy as np
import pandas as pd
import pytest

import sluice
from conftest import MODELS, TINY_YAML, run_cli


def test_constructors_agree(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_YAML, encoding="utf-8")
    loaded = sluice.Model.load(path)
    from_yaml = sluice.Model.from_yaml(TINY_YAML)
    from_dict = sluice.Model.from_dict(loaded.to_dict())
    assert loaded == from_yaml == from_dict
    assert loaded.name == "tiny"
    assert loaded.sources == ["shoppers"]
    assert loaded.components == {"api": "api_gateway", "checkout": "lambda"}
    assert loaded.overrides == []
    assert "checkout" in loaded.to_dot()


def test_load_accepts_pathlike_and_str():
    assert sluice.Model.load(MODELS / "default.yaml") == sluice.Model.load(str(MODELS / "default.yaml"))


@pytest.mark.parametrize(
    ("key_path", "value", "read_back"),
    [
        ("components.checkout.memory", "1024MB", lambda d: d["components"]["checkout"]["memory"]),
        ("sources.shoppers.arrivals.rate", "30/s", lambda d: d["sources"]["shoppers"]["arrivals"]["rate"]),
        ("run.seed", 11, lambda d: d["run"]["seed"]),
        ("components.checkout.steps.0.cpu", "5ms", lambda d: d["components"]["checkout"]["steps"][0]["cpu"]),
        ("components.checkout.steps.1.io", {"distribution": "uniform", "min": "1ms", "max": "2ms"},
         lambda d: d["components"]["checkout"]["steps"][1]["io"]),
    ],
)
def test_set_returns_a_new_model_and_leaves_the_original(tiny, key_path, value, read_back):
    before = tiny.to_dict()
    changed = tiny.set(key_path, value)
    assert changed is not tiny
    assert changed != tiny
    assert tiny.to_dict() == before  # the original is unchanged
    assert tiny.overrides == []
    expected = {k: str(v) for k, v in value.items()} if isinstance(value, dict) else str(value)
    assert read_back(changed.to_dict()) == expected
    assert [k for k, _ in changed.overrides] == [key_path]
    assert changed.set(key_path, value) == changed  # setting the same value again changes nothing


def test_set_takes_the_same_paths_as_the_command_line(tmp_path, default_model):
    """A list index in a key path, as --set takes it: the same summary from Python and the CLI."""
    sets = {"components.checkout.steps.0.cpu": "5ms", "components.checkout.memory": "1024MB",
            "run.warmup": "1m"}
    cli_args = ["run", "models/default.yaml", "--duration", "3m", "--seed", "5", "--out", str(tmp_path),
                "--quiet"]
    for k, v in sets.items():
        cli_args += ["--set", f"{k}={v}"]
    run_cli(*cli_args)
    model = default_model
    for k, v in sets.items():
        model = model.set(k, v)
    results = sluice.run(model, duration="3m", seed=5)
    cli_summary = json.loads((tmp_path / "summary.json").read_text())
    assert results.summary == cli_summary
    assert results.summary["components"]["checkout"]["memory_mb"] == 1024


def test_with_overrides_validates_the_combination_once(default_model):
    """Several keys at once, like several --set options: an intermediate step may be invalid
    (a 1 ms bucket with the 1 h duration has too many buckets; a 1 s run with a 5 m warm-up)."""
    both = default_model.with_overrides({"run.bucket": "1ms", "run.duration": "1s", "run.warmup": "0s"})
    assert both.spec.duration_s == 1.0
    assert both.to_dict()["run"] == {"duration": "1s", "warmup": "0s", "seed": "42", "bucket": "1ms"}
    assert both == default_model.with_overrides({"run.duration": "1s", "run.warmup": "0s",
                                                 "run.bucket": "1ms"})
    with pytest.raises(sluice.ModelError, match="buckets"):
        default_model.set("run.bucket", "1ms")  # one at a time, the first step is invalid
    with pytest.raises(TypeError):
        default_model.with_overrides([("run.seed", 1)])


def test_run_matches_the_command_line(tmp_path, default_model):
    """`sluice run models/default.yaml --duration 5m --seed 3 --out DIR` (with a warm-up shorter
    than 5 m: the model's own 5 m warm-up would leave nothing to measure)."""
    run_cli("run", "models/default.yaml", "--duration", "5m", "--seed", "3", "--set", "run.warmup=1m",
            "--out", str(tmp_path), "--quiet")
    results = sluice.run(default_model.set("run.warmup", "1m"), duration="5m", seed=3)

    cli_summary = json.loads((tmp_path / "summary.json").read_text())
    assert results.summary == cli_summary
    assert results.summary["run"]["seed"] == 3
    assert results.summary["run"]["duration_s"] == 300.0
    assert set(results.summary["run"]) == set(cli_summary["run"])

    csv = pd.read_csv(tmp_path / "timeseries.csv")
    df = results.timeseries()
    assert list(df.columns) == list(csv.columns) == ["time_s", "component", "metric", "value"]
    assert len(df) == len(csv) > 0
    # Same content; the DataFrame's labels are categoricals and its times floats.
    as_read = df.astype({"time_s": csv["time_s"].dtype, "component": csv["component"].dtype,
                         "metric": csv["metric"].dtype})
    pd.testing.assert_frame_equal(as_read, csv, check_exact=False, rtol=1e-12)
    assert results.to_csv() == (tmp_path / "timeseries.csv").read_text()

    assert results.to_json() == (tmp_path / "summary.json").read_text()  # byte for byte


def test_run_with_a_path_and_default_duration_and_seed():
    results = sluice.run(str(MODELS / "default.yaml"), duration="6m")
    assert results.summary["run"]["seed"] == 42  # the model's own seed
    assert results.summary["model"] == "checkout-api"


def test_run_uses_the_models_duration_and_seed_by_default(tiny):
    results = sluice.run(tiny)
    assert results.summary["run"]["duration_s"] == 300.0
    assert results.summary["run"]["seed"] == 7
    again = sluice.run(tiny, duration=300, seed=7)
    assert results.summary == again.summary


def test_latency_and_cost(tiny):
    results = sluice.run(tiny)
    latency = results.latency("shoppers")
    assert isinstance(latency, pd.Series)
    assert latency.to_dict() == results.summary["sources"]["shoppers"]["latency_ms"]
    assert latency["p50"] <= latency["p99"] <= latency["max"]
    assert "ms" in latency.name
    with pytest.raises(KeyError, match="shoppers"):
        results.latency("nobody")

    cost = results.cost()
    assert list(cost.columns) == ["component", "type", "dimension", "usd"]
    assert set(cost["component"]) == {"api", "checkout"}
    assert cost["usd"].sum() == pytest.approx(results.summary["cost_usd"]["total"], rel=1e-9)
    for name, component in results.summary["components"].items():
        charged = cost.loc[cost["component"] == name, "usd"].sum()
        assert charged == pytest.approx(component["cost_usd"]["total"])


def test_timeseries_wide(tiny):
    results = sluice.run(tiny)
    wide = results.timeseries_wide("checkout")
    assert "Invocations" in wide.columns
    assert list(wide.index) == [60.0, 120.0, 180.0, 240.0]  # bucket starts after the 1 m warm-up
    assert wide["Invocations"].sum() == results.summary["components"]["checkout"]["metrics"]["Invocations"]
    with pytest.raises(KeyError):
        results.timeseries_wide("nobody")


def test_arrays_are_views_without_copies(tiny):
    results = sluice.run(tiny.set("run.bucket", "1s"))
    arrays = results.arrays
    assert set(arrays) == {"time_s", "component", "metric", "value"}
    n = len(arrays["value"])
    assert n > 1000
    again = results.arrays
    for name, array in arrays.items():
        assert len(array) == n
        assert not array.flags.owndata, name  # a view of the engine's buffer
        assert array.base is not None
        assert np.shares_memory(array, again[name]), name  # the same memory on every access
        assert array.ctypes.data == again[name].ctypes.data
        assert not array.flags.writeable, name  # read-only: the results cannot be corrupted through them
    df = results.timeseries()
    np.testing.assert_array_equal(arrays["time_s"], df["time_s"].to_numpy())
    np.testing.assert_array_equal(arrays["value"], df["value"].to_numpy())


def test_arrays_outlive_their_results(tiny):
    results = sluice.run(tiny.set("run.bucket", "1s"))
    values = results.arrays["value"]
    times = results.arrays["time_s"]
    expected_values, expected_times = values.copy(), times.copy()
    del results
    gc.collect()
    # Other allocations must not reuse the engine's buffer while a view is alive.
    for _ in range(3):
        sluice.run(tiny.set("run.bucket", "1s"), seed=99)
    np.testing.assert_array_equal(values, expected_values)
    np.testing.assert_array_equal(times, expected_times)
    assert values.sum() == expected_values.sum()


def test_results_repr_and_warnings(tiny):
    results = sluice.run(tiny)
    assert "tiny" in repr(results)
    assert results.warnings == []
    assert "tiny" in repr(tiny)


def test_numpy_scalars_are_numbers(tiny):
    """Seeds, durations and replications often come from numpy arrays."""
    a = sluice.run(tiny, duration=np.int64(240), seed=np.uint32(3))
    b = sluice.run(tiny, duration=240.0, seed=3)
    assert a.summary == b.summary
    assert sluice.run(tiny, duration=np.float32(240)).summary["run"]["duration_s"] == 240.0
    df = sluice.sweep(tiny, {"components.checkout.memory": np.array(["512MB", "1024MB"])},
                      replications=np.int64(2), seed=np.int64(5), workers=1)
    assert list(df["replications"]) == [2, 2]
    result = sluice.power_tune(tiny, "checkout", np.array([512, 1024]), seed=np.int64(1))
    assert list(result.table["memory_mb"]) == [512, 1024]
