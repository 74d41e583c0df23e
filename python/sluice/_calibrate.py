"""Fitting a function's work (cpu, threads, io) from measured (memory, duration) pairs, such
as the output of an AWS Lambda Power Tuning run, by least squares in the engine (Eigen)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _checks, _core
from ._model import PathLike


@dataclass(frozen=True)
class Calibration:
    """duration(memory) = io_ms + cpu_ms / min(memory / 1769 MB, threads), and how well it fits."""

    cpu_ms: float
    threads: int
    io_ms: float
    r_squared: float
    rmse_ms: float
    table: pd.DataFrame  # the measurements with the fitted durations and residuals

    def steps(self) -> list:
        """The fitted work as model steps."""
        return [{"cpu": f"{self.cpu_ms:.3f}ms", "threads": self.threads}, {"io": f"{self.io_ms:.3f}ms"}]


def _numbers(measurements: pd.DataFrame, column: str) -> np.ndarray:
    """A column as floats; text that is not a number is an error naming the column and row."""
    values = pd.to_numeric(measurements[column], errors="coerce")
    bad = values.isna() & measurements[column].notna()
    if bad.any():
        row = bad.idxmax()
        raise ValueError(f"measurements[{column!r}]: {_checks.shown(measurements[column][row])} "
                         f"at row {row!r} is not a number")
    return values.to_numpy(dtype=float)


def calibrate(measurements: pd.DataFrame | PathLike, *, memory: str = "memory_mb",
              duration: str = "duration_ms") -> Calibration:
    """Fits the model of a Lambda function's duration to measurements.

    ``measurements`` is a DataFrame with a memory column (MB) and a duration column (ms), or
    the path of a CSV file read exactly as ``sluice calibrate`` reads it (two columns, memory
    then duration, plain numbers or with units like 512MB and 120ms, a header row allowed).
    """
    memory = _checks.text(memory, "memory", "memory_mb")
    duration = _checks.text(duration, "duration", "duration_ms")
    if _checks.is_path(measurements):
        file = _checks.path(measurements, "measurements")
        if _core.classify_calibration_file(file) != "measurements":  # the header rule of `sluice calibrate`
            raise ValueError(f"{file}: a metric export (timestamp,value or get-metric-data JSON), not "
                             "measurements: read it with sluice.traffic_from_metrics")
        mem_list, dur_list = _core.read_measurements_csv(_checks.path(measurements, "measurements"))
        measurements = pd.DataFrame({memory: mem_list, duration: dur_list})
    _checks.instance(measurements, "measurements", pd.DataFrame,
                     "a pandas DataFrame or the path of a CSV file")
    for column in (memory, duration):
        if column not in measurements.columns:
            raise ValueError(f"measurements have no {column!r} column; columns: {list(measurements.columns)}")
    mem, dur = _numbers(measurements, memory), _numbers(measurements, duration)
    if np.isnan(mem).any() or np.isnan(dur).any():
        raise ValueError("measurements contain missing values")
    fit = _core.calibrate(mem.tolist(), dur.tolist())
    table = pd.DataFrame({"memory_mb": mem, "duration_ms": dur, "fitted_ms": fit.fitted_ms})
    table["residual_ms"] = table["duration_ms"] - table["fitted_ms"]
    return Calibration(fit.cpu_ms, fit.threads, fit.io_ms, fit.r_squared, fit.rmse_ms, table)
