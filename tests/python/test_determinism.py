"""Determinism: the same model and seed give the same results, whatever runs them — one thread,
several threads, or a Dask cluster — and the engine runs without the GIL."""

from __future__ import annotations

import filecmp
import re
import threading
import time
import warnings

import pytest

import sluice
from conftest import MODELS, run_cli

PARAMETERS = {"components.checkout.memory": ["256MB", "512MB", "1024MB"],
              "sources.shoppers.arrivals.rate": ["10/s", "30/s"]}


def test_same_seed_same_results(tiny):
    a = sluice.run(tiny, seed=11)
    b = sluice.run(tiny, seed=11)
    assert a.summary == b.summary
    assert a.timeseries().equals(b.timeseries())
    assert a.to_csv() == b.to_csv()
    c = sluice.run(tiny, seed=12)
    assert c.summary != a.summary


def test_two_identical_runs_write_the_same_bytes(tmp_path):
    """summary.json and timeseries.csv of two runs with the same model, seed and options compare
    equal byte for byte (`cmp`), from the command line and from Python: the wall clock is not in
    them. It is kept beside them (Results.wall_s, the command line's table)."""
    args = ["run", "models/default.yaml", "--duration", "6m", "--seed", "3"]
    table = run_cli(*args, "--out", str(tmp_path / "a")).stdout
    run_cli(*args, "--out", str(tmp_path / "b"), "--quiet")
    files = ["summary.json", "timeseries.csv"]
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", files, shallow=False)
    assert (match, mismatch, errors) == (files, [], [])
    header = r"model checkout-api: 360 s simulated \(300 s warm-up\), seed 3, \d+ events in \d+\.\d\d s\n"
    assert re.match(header, table)

    model = sluice.Model.load(MODELS / "default.yaml")
    one, two = sluice.run(model, duration="6m", seed=3), sluice.run(model, duration="6m", seed=3)
    assert one.to_json() == two.to_json() == (tmp_path / "a" / "summary.json").read_text()
    assert one.to_csv() == two.to_csv() == (tmp_path / "a" / "timeseries.csv").read_text()
    assert "wall_s" not in one.summary["run"]
    assert one.wall_s > 0 and two.wall_s > 0


def test_a_model_loaded_twice_runs_the_same(tiny, tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(tiny.to_yaml(), encoding="utf-8")
    a = sluice.run(sluice.Model.load(path), seed=2)
    b = sluice.run(tiny, seed=2)
    assert a.summary == b.summary


def test_sweep_same_on_one_and_two_workers(tiny):
    one = sluice.sweep(tiny, PARAMETERS, replications=3, workers=1, progress=False)
    two = sluice.sweep(tiny, PARAMETERS, replications=3, workers=2, progress=False)
    assert one.equals(two)
    raw_one = sluice.sweep(tiny, PARAMETERS, replications=2, workers=1, progress=False, raw=True)
    raw_two = sluice.sweep(tiny, PARAMETERS, replications=2, workers=2, progress=False, raw=True)
    assert raw_one.equals(raw_two)


def test_sweep_replication_equals_a_single_run(tiny):
    """Replication r of a point is the run of that variant with seed `seed + r`."""
    raw = sluice.sweep(tiny, {"components.checkout.memory": ["1024MB"]}, replications=2, seed=40,
                       metrics=["cost_usd.total", "sources.shoppers.latency_ms.p99"], workers=1, raw=True)
    for _, row in raw.iterrows():
        run = sluice.run(tiny.set("components.checkout.memory", "1024MB"), seed=int(row["seed"]))
        assert row["cost_usd.total"] == run.summary["cost_usd"]["total"]
        p99 = run.summary["sources"]["shoppers"]["latency_ms"]["p99"]
        assert row["sources.shoppers.latency_ms.p99"] == p99
    assert list(raw["seed"]) == [40, 41]


@pytest.mark.slow
def test_sweep_same_on_a_dask_cluster(tiny):
    distributed = pytest.importorskip("distributed")
    local = sluice.sweep(tiny, PARAMETERS, replications=2, workers=2, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        on_dask = sluice.sweep(tiny, PARAMETERS, replications=2, client=client, progress=False)
        raw_on_dask = sluice.sweep(tiny, PARAMETERS, replications=2, client=client, progress=False, raw=True)
    assert on_dask.equals(local)
    raw_local = sluice.sweep(tiny, PARAMETERS, replications=2, workers=2, progress=False, raw=True)
    assert raw_on_dask.equals(raw_local)


def test_python_runs_while_the_engine_runs(default_model):
    """The engine releases the GIL: while one thread is inside a run, another thread keeps
    executing Python code. Holding the GIL, the run would freeze the other thread completely; this
    holds however busy the machine is, so it is no timing test. (How much faster runs on several
    threads are is measured by bench/sweep_efficiency.py, not asserted here.)"""
    stop = threading.Event()
    ticks = []

    def ticker() -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            sum(range(200))

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        time.sleep(0.02)
        start = time.perf_counter()
        sluice.run(default_model, duration="30m", seed=5)
        end = time.perf_counter()
    finally:
        stop.set()
        thread.join()
    margin = 0.2 * (end - start)  # only the middle of the run: surely inside the engine
    during = [t for t in ticks if start + margin < t < end - margin]
    assert len(during) > 10, f"the other thread ran {len(during)} times during {end - start:.3f} s of run"


def test_no_warnings_from_a_sweep_with_progress(tiny):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = sluice.sweep(tiny, {"components.checkout.memory": ["256MB", "512MB"]}, replications=1, workers=2,
                          progress=True)
    assert len(df) == 2
