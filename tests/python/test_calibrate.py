"""Calibration: cpu, threads and io recovered from (memory, duration) measurements, exact and
noisy, and the same fit as `sluice calibrate`."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import sluice
from conftest import run_cli

MEMORIES = [128, 256, 512, 1024, 1536, 1769, 2048, 3008, 3538, 4096, 5307, 7076, 10240]


def duration_ms(memory_mb, cpu_ms, threads, io_ms):
    return io_ms + cpu_ms / np.minimum(np.asarray(memory_mb, dtype=float) / 1769.0, threads)


@pytest.mark.parametrize(("cpu", "threads", "io"),
                         [(300.0, 1, 40.0), (300.0, 2, 40.0), (1200.0, 4, 5.0), (50.0, 1, 0.0)])
def test_recovers_exact_data(cpu, threads, io):
    df = pd.DataFrame({"memory_mb": MEMORIES, "duration_ms": duration_ms(MEMORIES, cpu, threads, io)})
    fit = sluice.calibrate(df)
    assert fit.threads == threads
    assert fit.cpu_ms == pytest.approx(cpu, rel=1e-9)
    assert fit.io_ms == pytest.approx(io, abs=1e-7)
    assert fit.r_squared == pytest.approx(1.0, abs=1e-12)
    assert fit.rmse_ms == pytest.approx(0.0, abs=1e-7)
    assert list(fit.table.columns) == ["memory_mb", "duration_ms", "fitted_ms", "residual_ms"]
    np.testing.assert_allclose(fit.table["fitted_ms"], df["duration_ms"], rtol=1e-9)
    assert fit.steps() == [{"cpu": f"{cpu:.3f}ms", "threads": threads}, {"io": f"{io:.3f}ms"}]


def test_recovers_noisy_data():
    rng = np.random.default_rng(20240611)
    memories = np.repeat(MEMORIES, 5)  # five measurements per size, as a Power Tuning run makes
    truth = duration_ms(memories, 400.0, 2, 60.0)
    noisy = truth * rng.lognormal(0.0, 0.05, size=truth.size)  # about 5% noise
    fit = sluice.calibrate(pd.DataFrame({"memory_mb": memories, "duration_ms": noisy}))
    assert fit.threads == 2
    assert fit.cpu_ms == pytest.approx(400.0, rel=0.05)
    assert fit.io_ms == pytest.approx(60.0, abs=10.0)
    assert 0.97 < fit.r_squared < 1.0
    assert fit.rmse_ms == pytest.approx(np.sqrt(np.mean(fit.table["residual_ms"] ** 2)), rel=1e-9)


def test_custom_column_names_and_a_csv_path(tmp_path):
    df = pd.DataFrame({"mem": MEMORIES, "ms": duration_ms(MEMORIES, 100.0, 1, 10.0)})
    fit = sluice.calibrate(df, memory="mem", duration="ms")
    assert fit.cpu_ms == pytest.approx(100.0)
    path = tmp_path / "m.csv"
    df.rename(columns={"mem": "memory_mb", "ms": "duration_ms"}).to_csv(path, index=False)
    assert sluice.calibrate(path).cpu_ms == pytest.approx(100.0)
    assert sluice.calibrate(str(path)).threads == 1


def test_agrees_with_sluice_calibrate(tmp_path):
    rng = np.random.default_rng(7)
    memories = np.repeat([128, 512, 1024, 1769, 3008, 5307], 3)
    durations = np.round(duration_ms(memories, 250.0, 3, 30.0) * rng.lognormal(0.0, 0.03, memories.size), 2)
    path = tmp_path / "measurements.csv"
    pd.DataFrame({"memory_mb": memories, "duration_ms": durations}).to_csv(path, index=False)
    cli = json.loads(run_cli("calibrate", str(path), "--format", "json").stdout)
    fit = sluice.calibrate(path)
    assert cli["threads"] == fit.threads
    assert cli["measurements"] == len(fit.table) == memories.size
    for key in ("cpu_ms", "io_ms", "r_squared", "rmse_ms"):
        assert cli[key] == pytest.approx(getattr(fit, key), rel=1e-9), key


def test_reads_the_csv_files_the_command_line_reads(tmp_path):
    path = tmp_path / "power-tuning.csv"
    path.write_text("memory,duration\n128MB,2400ms\n512MB,640ms\n1024MB,350ms\n1769MB,230ms\n",
                    encoding="utf-8")
    cli = json.loads(run_cli("calibrate", str(path), "--format", "json").stdout)
    assert sluice.calibrate(path).cpu_ms == pytest.approx(cli["cpu_ms"])
