"""Calibration from Lambda REPORT lines (`sluice calibrate --logs`, `sluice.calibrate_logs`): each
export format read back, the fit recovering the distributions that generated the exports
(tests/python/log_exports.py) within their statistical tolerance, malformed lines reported with
file and line, and the modelled calls not counted twice."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import sluice
from conftest import REPO, run_cli
from log_exports import WRITERS, Lognormal, generate, write_filter_log_events, write_text

MODEL = REPO / "tests" / "data" / "logs" / "checkout.yaml"
FORMATS = list(WRITERS)
Z99 = 2.3263478740408408


def _export(tmp_path, fmt, n=400, seed=3, **kw):
    spec = dict(duration=Lognormal(100, 300), init=Lognormal(250, 700), cold_share=0.05, memory_mb=1024,
                memory_used=Lognormal(80, 95))
    spec.update(kw)
    export = generate(n, seed=seed, **spec)
    path = tmp_path / f"export-{fmt}.log"
    bad = WRITERS[fmt](path, export)
    return path, export, bad


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_read_back_exactly(tmp_path, fmt):
    path, export, _ = _export(tmp_path, fmt)
    fit = sluice.calibrate_logs(path, function="checkout")
    g = fit.groups.iloc[0]
    assert (g["function"], g["memory_mb"], g["invocations"]) == ("checkout", 1024, 400)
    assert g["cold_starts"] == sum(inv.init_duration_ms is not None for inv in export.invocations)
    durations = np.sort([inv.duration_ms for inv in export.invocations])
    measured = fit.raw["groups"][0]["duration_ms"]
    for row, p in zip(measured, (0.5, 0.9, 0.99)):
        assert row["value"] == durations[math.ceil(p * len(durations)) - 1]  # the order statistic itself
    assert fit.files["format"].tolist() == [fmt]


def test_the_three_formats_give_the_same_calibration(tmp_path):
    fits = [sluice.calibrate_logs(_export(tmp_path, fmt)[0], function="checkout") for fmt in FORMATS]
    for other in fits[1:]:
        assert other.groups.equals(fits[0].groups)
        assert other.fragment.split("\n", 1)[1] == fits[0].fragment.split("\n", 1)[1]  # all but the file name


def test_the_fit_recovers_the_generating_distributions(tmp_path):
    n = 4000
    path, export, _ = _export(tmp_path, "text", n=n, seed=11)
    g = sluice.calibrate_logs(path, function="checkout").groups.iloc[0]
    assert g["handler_kind"] == "lognormal"
    # ln(median) has standard error sigma/sqrt(n), ln(p99) sigma*sqrt((1 + z^2/2)/n): 4 of them.
    for fitted, truth, n_fit in [((g["handler_median_ms"], g["handler_p99_ms"]), Lognormal(100, 300), n),
                                 ((g["cold_start_median_ms"], g["cold_start_p99_ms"]), Lognormal(250, 700),
                                  g["cold_starts"]),
                                 ((g["memory_used_median_mb"], g["memory_used_p99_mb"]),
                                  Lognormal(80, 95), n)]:
        se_median = truth.sigma / math.sqrt(n_fit)
        se_p99 = truth.sigma * math.sqrt((1 + Z99**2 / 2) / n_fit)
        assert abs(math.log(fitted[0] / truth.median)) < 4 * se_median, (fitted, truth)
        assert abs(math.log(fitted[1] / truth.p99)) < 4 * se_p99, (fitted, truth)
    # The cold-start share's 95% Wilson interval holds the generating 5%.
    assert g["cold_start_low"] < 0.05 < g["cold_start_high"]
    assert g["cold_starts"] == sum(inv.init_duration_ms is not None for inv in export.invocations)


def test_a_sample_the_lognormal_does_not_fit_is_kept_as_measured(tmp_path):
    # Two populations (a cache hit at 20 ms, a miss at 200 ms): no lognormal fits that.
    hits = generate(1500, duration=Lognormal(20, 30), init=Lognormal(250, 700), cold_share=0.0, memory_mb=512,
                    memory_used=Lognormal(80, 95), seed=1)
    misses = generate(1500, duration=Lognormal(200, 300), init=Lognormal(250, 700), cold_share=0.0,
                      memory_mb=512,
                      memory_used=Lognormal(80, 95), seed=2)
    hits.invocations += misses.invocations
    path = tmp_path / "bimodal.log"
    write_text(path, hits)
    fit = sluice.calibrate_logs(path, function="checkout")
    handler = fit.raw["groups"][0]["handler"]
    assert handler["kind"] == "empirical"
    assert handler["ks_statistic"] > handler["ks_critical"]
    assert "the lognormal fits badly" in handler["reason"]
    assert len(handler["values_ms"]) == 1000
    assert "{distribution: empirical, values: [" in fit.fragment


@pytest.mark.parametrize("fmt", FORMATS)
def test_malformed_lines_are_reported_with_file_and_line(tmp_path, fmt):
    path, _, bad = _export(tmp_path, fmt, malformed={5: "cut_short", 9: "not_a_number", 12: "missing_unit"})
    assert len(bad) == 3
    with pytest.raises(sluice.ModelError, match=f"^{path}:{bad[0]}:"):
        sluice.calibrate_logs(path, function="checkout")
    fit = sluice.calibrate_logs(path, function="checkout", skip_bad_lines=True)
    assert fit.bad_lines["line"].tolist() == bad
    assert set(fit.bad_lines["file"]) == {str(path)}
    assert fit.files["bad_lines"].tolist() == [3]
    assert fit.groups["invocations"].tolist() == [397]
    # The command line: exit code 2 and the same file:line, or with --skip-bad-lines the count.
    cli = run_cli("calibrate", "--logs", str(path), "--function", "checkout", check=False)
    assert cli.returncode == 2
    assert cli.stderr.startswith(f"error: {path}:{bad[0]}:")
    out = json.loads(run_cli("calibrate", "--logs", str(path), "--function", "checkout", "--skip-bad-lines",
                             "--format", "json").stdout)
    assert [b["line"] for b in out["bad_lines"]] == bad
    assert out == fit.raw  # Python and the command line give the same study


def test_bad_input_gets_one_clear_error(tmp_path):
    with pytest.raises(sluice.ModelError, match="cannot read the log file"):
        sluice.calibrate_logs(tmp_path / "missing.log", function="checkout")
    empty = tmp_path / "app.log"
    empty.write_text("START RequestId: x Version: $LATEST\nhello\n", encoding="utf-8")
    with pytest.raises(sluice.ModelError, match="no REPORT line"):
        sluice.calibrate_logs(empty, function="checkout")
    path, _, _ = _export(tmp_path, "text")
    with pytest.raises(sluice.ModelError, match="names no log group .* --function"):
        sluice.calibrate_logs(path)
    with pytest.raises(sluice.ModelError, match="function 'payments'.*not a lambda of this model.*checkout"):
        sluice.calibrate_logs(path, function="payments", model=MODEL)
    with pytest.raises(TypeError, match="function must be a str"):
        sluice.calibrate_logs(path, function=3)
    with pytest.raises(ValueError, match="logs has no log files"):
        sluice.calibrate_logs([])
    with pytest.raises(ValueError, match="needs a model"):
        sluice.calibrate_logs(path, function="checkout", seed=3)
    cli = run_cli("calibrate", "--logs", str(path), check=False)
    assert cli.returncode == 2 and "--function" in cli.stderr


def test_the_log_group_names_the_function(tmp_path):
    export = generate(50, duration=Lognormal(100, 300), init=Lognormal(250, 700), cold_share=0.1,
                      memory_mb=256,
                      memory_used=Lognormal(80, 95), seed=4)
    path = tmp_path / "events.json"
    write_filter_log_events(path, export, log_group="/aws/lambda/orders-api")
    fit = sluice.calibrate_logs(path)
    assert fit.groups["function"].tolist() == ["orders-api"]
    assert fit.overrides[0] == ("components.orders-api.memory", "256MB")


def test_calls_are_not_counted_twice(tmp_path):
    # The handler's own work is lognormal(60, 200) ms; each invocation also writes to DynamoDB,
    # whose modelled latency (lognormal 5 ms / 20 ms, tests/data/logs/checkout.yaml) is inside
    # every REPORT Duration.
    n = 3000
    export = generate(n, duration=Lognormal(60, 200), calls=Lognormal(5, 20), init=Lognormal(250, 700),
                      cold_share=0.01, memory_mb=1024, memory_used=Lognormal(80, 95), seed=5)
    path = tmp_path / "checkout.log"
    write_text(path, export)
    fit = sluice.calibrate_logs(path, function="checkout", model=MODEL)
    g = fit.groups.iloc[0]
    truth = Lognormal(60, 200)
    assert abs(math.log(g["handler_median_ms"] / truth.median)) < 4 * truth.sigma / math.sqrt(n)
    assert any("write orders-table" in note for note in fit.notes)
    # The calibrated model reproduces the measured total duration...
    durations = fit.check[fit.check["quantity"].str.startswith("duration")]
    assert durations["within"].tolist() == [True, True, True], durations
    key, steps = fit.overrides[-1]
    assert key == "components.checkout.steps"
    assert steps.startswith("[{io: {distribution: lognormal, median: ")
    assert steps.endswith("ms}}, {write: orders-table}]")  # the model's own call step, kept
    # ...where the whole Duration as the handler's part, plus the modelled write, would not.
    naive = sluice.calibrate_logs(path, function="checkout")
    naive_overrides = naive.group_overrides("checkout", 1024)
    naive_steps = naive_overrides["components.checkout.steps"]
    twice = sluice.Model.load(MODEL).with_overrides(
        {**naive_overrides, "components.checkout.steps": naive_steps[:-1] + ", {write: orders-table}]"})
    p50 = sluice.run(twice).summary["components"]["checkout"]["metrics"]["Duration_ms"]["p50"]
    row = durations.iloc[0]
    assert p50 > row["measured"] + row["tolerance_high"], (p50, row)


def test_the_check_and_the_fragment_agree_with_the_command_line(tmp_path):
    path, _, _ = _export(tmp_path, "platform.report", n=2000, seed=8, cold_share=0.01)
    fit = sluice.calibrate_logs(path, function="checkout", model=MODEL, duration="30m", seed=3)
    cli = json.loads(run_cli("calibrate", "--logs", str(path), "--function", "checkout",
                             "--model", str(MODEL),
                             "--duration", "30m", "--seed", "3", "--format", "json").stdout)
    assert cli == fit.raw
    assert fit.fragment.startswith("# sluice calibrate --logs: checkout at 1024 MB from ")
    yaml = run_cli("calibrate", "--logs", str(path), "--function", "checkout", "--format", "yaml").stdout
    assert "components:\n  checkout:\n    memory: 1024MB\n" in yaml
    sets = run_cli("calibrate", "--logs", str(path), "--function", "checkout",
                   "--format", "set").stdout.splitlines()
    assert sets[0] == "--set 'components.checkout.memory=1024MB'"
    # The fragment's overrides are a valid model change: the check ran the model with them.
    assert fit.check["simulated"].notna().all()
    assert set(fit.check["quantity"]) == {"duration p50", "duration p90", "duration p99", "init p50",
                                          "init p99", "cold-start share"}
    ax = fit.plot()
    assert ax.get_title() == "REPORT lines against the calibrated model"


def test_several_memory_sizes_fit_cpu_io_and_threads(tmp_path):
    paths = []
    for memory in (512, 1024, 1769, 3008):
        median = 20 + 400 / min(memory / 1769, 1)  # io 20 ms, cpu 400 ms at one vCPU, one thread
        export = generate(300, duration=Lognormal(median, median * 1.05), init=Lognormal(250, 700),
                          cold_share=0.02, memory_mb=memory, memory_used=Lognormal(80, 95), seed=memory)
        paths.append(tmp_path / f"{memory}.log")
        write_text(paths[-1], export)
    fit = sluice.calibrate_logs(paths, function="checkout")
    assert fit.groups["memory_mb"].tolist() == [512, 1024, 1769, 3008]
    across = fit.raw["across_memory"]["checkout"]
    assert across["threads"] == 1
    assert across["cpu_ms"] == pytest.approx(400, rel=0.02)
    assert across["io_ms"] == pytest.approx(20, abs=3)


def test_json_format_messages_in_filter_log_events(tmp_path):
    # A JSON-format log group exported with filter-log-events: every message is a JSON record.
    from log_exports import platform_report

    export = generate(30, duration=Lognormal(100, 300), init=Lognormal(250, 700), cold_share=0.2,
                      memory_mb=512, memory_used=Lognormal(80, 95), seed=9)
    events = [{"logStreamName": "s", "timestamp": inv.start_ms, "message": json.dumps(platform_report(inv)),
               "ingestionTime": inv.start_ms, "eventId": str(i)} for i, inv in enumerate(export.invocations)]
    path = tmp_path / "json-format.json"
    path.write_text(json.dumps({"events": events, "searchedLogStreams": []}, indent=4), encoding="utf-8")
    fit = sluice.calibrate_logs(path, function="checkout")
    assert fit.groups["invocations"].tolist() == [30]
    cold = sum(i.init_duration_ms is not None for i in export.invocations)
    assert fit.groups["cold_starts"].tolist() == [cold]


def test_the_same_exports_and_model_give_the_same_bytes(tmp_path):
    path, _, _ = _export(tmp_path, "text", n=500)
    args = ("calibrate", "--logs", str(path), "--function", "checkout", "--model", str(MODEL),
            "--duration", "10m", "--format", "json")
    assert run_cli(*args).stdout == run_cli(*args).stdout


def test_calibrate_takes_a_measurements_csv_or_logs(tmp_path):
    path, _, _ = _export(tmp_path, "text", n=50)
    csv = tmp_path / "m.csv"
    csv.write_text("memory,duration\n128,100\n512,40\n1024,30\n", encoding="utf-8")
    neither = run_cli("calibrate", check=False)
    assert neither.returncode == 2 and "or --logs with Lambda REPORT log exports" in neither.stderr
    both = run_cli("calibrate", str(csv), "--logs", str(path), "--function", "checkout", check=False)
    assert both.returncode == 2 and "one at a time" in both.stderr
    stray = run_cli("calibrate", str(csv), "--function", "checkout", check=False)
    assert stray.returncode == 2 and "go with --logs" in stray.stderr
