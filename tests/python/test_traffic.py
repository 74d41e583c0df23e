"""Traffic from CloudWatch metrics (issue 13 item 3), through sluice.traffic_from_metrics and the
sluice command, on exports written by metric_exports.py from a known sine-modulated Poisson rate."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import sluice
from conftest import run_cli
from metric_exports import SineRate, poisson_counts, write_get_metric_data, write_metric_csv

PERIOD, PERIODS, SEED = 60, 180, 20261130
RATE = SineRate(mean=20.0, amplitude=0.5, cycle_s=3600.0)
Z = 4.0  # two-sided 99.994%: with a fixed seed a correct reading never fails, a wrong one does

MODEL = """\
sluice: 1
run: {duration: 3h, bucket: 1m, seed: 5}
sources:
  shoppers:
    target: api
    arrivals: {rate: 10/s}
  workers:
    target: jobs
    arrivals: {rate: 1/s}
components:
  api: {type: api_gateway, target: checkout}
  checkout: {type: lambda, steps: [{cpu: 5ms}]}
  jobs: {type: sqs}
  worker: {type: lambda, trigger: {source: jobs}, steps: [{cpu: 5ms}]}
"""


@pytest.fixture
def counts() -> np.ndarray:
    c = poisson_counts(RATE, PERIOD, PERIODS, SEED)
    c[[10, 11, 50]] = 0  # periods without requests: CloudWatch publishes no data point for them
    return c


def test_get_metric_data_json_reads_back_the_generated_counts(tmp_path, counts):
    path = tmp_path / "count.json"
    write_get_metric_data(path, counts)
    t = sluice.traffic_from_metrics(path)
    assert t.table["requests"].tolist() == counts.tolist()
    assert (t.period_s, t.metric, t.label, t.missing_periods, t.skipped_lines) == (60, "Count", "Count", 3, 0)
    assert str(t.table["start"].iloc[0]) == "2026-11-30 10:00:00+00:00"
    assert t.duration == "3h"


def test_timestamp_value_csv_reads_back_the_generated_counts(tmp_path, counts):
    path = tmp_path / "count.csv"
    write_metric_csv(path, counts)
    t = sluice.traffic_from_metrics(path)
    assert t.table["requests"].tolist() == counts.tolist()
    assert t.metric == ""  # a CSV does not say which metric it holds


def test_the_counts_recover_the_generating_rate_within_poisson_tolerance(tmp_path):
    counts = poisson_counts(RATE, PERIOD, PERIODS, SEED)
    write_get_metric_data(tmp_path / "count.json", counts)
    requests = sluice.traffic_from_metrics(tmp_path / "count.json").table["requests"].to_numpy()
    expected = RATE.expected(PERIOD, PERIODS)
    # The mean rate: the total is Poisson, variance = mean.
    mean_rate = requests.sum() / (PERIOD * PERIODS)
    assert abs(mean_rate - RATE.mean) < Z * math.sqrt(expected.sum()) / (PERIOD * PERIODS)
    # The amplitude, by least squares on the sine: a = sum(c s) / (mean T sum(s^2)) with variance
    # sum(lambda s^2) / (mean T sum(s^2))^2.
    s = np.sin(2 * math.pi * (np.arange(PERIODS) + 0.5) * PERIOD / RATE.cycle_s)
    scale = RATE.mean * PERIOD * (s * s).sum()
    amplitude = (requests * s).sum() / scale
    assert abs(amplitude - RATE.amplitude) < Z * math.sqrt((expected * s * s).sum()) / scale


def test_a_model_driven_by_the_trace_sends_the_exported_counts_period_by_period(tmp_path, counts):
    write_get_metric_data(tmp_path / "count.json", counts)
    model = sluice.Model.from_yaml(MODEL, base_dir=tmp_path)
    t = sluice.traffic_from_metrics(tmp_path / "count.json", model=model, source="shoppers")
    trace = t.write_trace(tmp_path / "shoppers.csv")
    driven = model.set("sources.shoppers.arrivals", t.arrivals(trace.name)).set("run.duration", t.duration)
    results = sluice.run(driven)
    ts = results.timeseries()
    sent = ts[(ts.component == "shoppers") & (ts.metric == "Requests")].sort_values("time_s")["value"]
    # A counts trace replays each period's count exactly (spread uniformly within it), so the
    # per-period arrivals equal the export's, not merely within Poisson tolerance of them.
    assert sent.to_numpy().astype(int).tolist() == counts.tolist()
    assert results.summary["sources"]["shoppers"]["requests"] == counts.sum()


def test_malformed_data_points_name_file_and_line_or_are_skipped_and_counted(tmp_path, counts):
    path = tmp_path / "bad.json"
    lines = write_get_metric_data(path, counts, bad={20: None, 30: "NaN", 40: -5.0, 41: 2.5})
    with pytest.raises(sluice.ModelError,
                       match=rf"^{path}:{lines[41]}:1: Values\[\d+\]: 2.5 is not a whole number"):
        sluice.traffic_from_metrics(path)
    t = sluice.traffic_from_metrics(path, skip_bad_lines=True)
    assert t.skipped_lines == 4
    assert [s.split(": ")[0] for s in t.skipped] == [f"{path}:{lines[k]}:1" for k in (41, 40, 30, 20)]
    expected = counts.copy()
    expected[[20, 30, 40, 41]] = 0
    assert t.table["requests"].tolist() == expected.tolist()

    csv = tmp_path / "bad.csv"
    rows = write_metric_csv(csv, counts, bad={5: "2026-11-30T10:05:00Z;17", 6: "not a row at all,x"})
    with pytest.raises(sluice.ModelError, match=rf"^{csv}:{rows[5]}:1: expected two cells"):
        sluice.traffic_from_metrics(csv)
    assert sluice.traffic_from_metrics(csv, skip_bad_lines=True).skipped_lines == 2


def test_partial_data_and_next_token_are_warned_of(tmp_path, counts):
    path = tmp_path / "partial.json"
    write_get_metric_data(path, counts, status="PartialData", next_token=True)
    with pytest.warns(UserWarning, match="NextToken"):
        t = sluice.traffic_from_metrics(path)
    assert len(t.warnings) == 1


def test_a_function_fed_by_an_sqs_mapping_is_refused_and_invocations_are_warned_of(tmp_path, counts):
    path = tmp_path / "invocations.json"
    write_get_metric_data(path, counts, label="Invocations")
    model = sluice.Model.from_yaml(MODEL, base_dir=tmp_path)
    with pytest.raises(sluice.ModelError,
                       match="'worker' is fed by the sqs mapping from 'jobs'.*NumberOfMessagesSent"):
        sluice.traffic_from_metrics(path, model=model, source="workers", component="worker")
    with pytest.warns(UserWarning) as record:
        t = sluice.traffic_from_metrics(path, model=model, source="shoppers", component="checkout")
    assert [str(w.message) for w in record] == t.warnings
    assert "sends to 'api'" in t.warnings[0] and "throttled" in t.warnings[1]
    assert t.metric == "Invocations"
    with pytest.raises(sluice.ModelError, match="Invocations is not a metric of 'api', a api_gateway"):
        sluice.traffic_from_metrics(path, model=model, source="shoppers")


def test_the_header_tells_a_metric_from_measurements(tmp_path):
    measurements = tmp_path / "m.csv"
    measurements.write_text("memory,duration\n512,20\n1024,10\n2048,6\n", encoding="utf-8")
    with pytest.raises(sluice.ModelError, match="this is a measurements file"):
        sluice.traffic_from_metrics(measurements)
    metric = tmp_path / "c.csv"
    metric.write_text("timestamp,value\n2026-11-30T10:00:00Z,4\n2026-11-30T10:01:00Z,5\n", encoding="utf-8")
    with pytest.raises(ValueError, match="traffic_from_metrics"):
        sluice.calibrate(metric)
    headerless = tmp_path / "h.csv"
    headerless.write_text("512,20\n1024,10\n", encoding="utf-8")
    for call in (sluice.traffic_from_metrics, sluice.calibrate):
        with pytest.raises(sluice.ModelError,
                           match=rf"^{headerless}:1:1: .*'memory,duration'.*'timestamp,value'"):
            call(headerless)


def test_the_command_converts_a_metric_and_fits_measurements_by_header(tmp_path, counts):
    path = tmp_path / "count.json"
    lines = write_get_metric_data(path, counts, bad={7: "oops"})
    bad = run_cli("calibrate", str(path), check=False)
    assert bad.returncode == 2
    assert f"{path}:{lines[7]}:1: Values[" in bad.stderr
    out = tmp_path / "trace.csv"
    ok = run_cli("calibrate", "--metrics", str(path), "--skip-bad-lines", "--out", str(out),
                 "--format", "json")
    report = json.loads(ok.stdout)
    assert report["skipped_lines"] == 1 and report["period_s"] == 60 and report["metric"] == "Count"
    expected = counts.copy()
    expected[7] = 0
    assert report["counts"] == expected.tolist()
    assert "batch" in report["caveat"]
    text = out.read_text(encoding="utf-8").splitlines()
    assert text[0] == "requests"
    assert [int(x) for x in text if not x.startswith(("#", "r"))] == expected.tolist()
    table = run_cli("calibrate", str(path), "--skip-bad-lines")
    assert "malformed lines skipped: 1" in table.stdout
    assert "trace: {file: TRACE.csv, format: counts" in table.stdout
    measurements = tmp_path / "m.csv"
    measurements.write_text("memory,duration\n128MB,2400ms\n512MB,640ms\n1024MB,350ms\n", encoding="utf-8")
    assert "cpu:" in run_cli("calibrate", str(measurements)).stdout
    refused = run_cli("calibrate", str(measurements), "--skip-bad-lines", check=False)
    assert refused.returncode == 2 and "takes only --format" in refused.stderr
