"""Traffic from CloudWatch metrics: an API's Count or a function's Invocations per period, exported
with `aws cloudwatch get-metric-data` (JSON) or as a `timestamp,value` CSV, becomes an arrival trace
a source replays. Read and checked by the engine, exactly as `sluice calibrate --metrics` does."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import _checks, _core
from ._model import Model, PathLike

#: Why a metric's counts are not always arrivals (batches, retries, throttles).
CAVEAT = _core.METRIC_COUNTS_CAVEAT


def _duration_text(seconds: int) -> str:
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    if seconds % 60 == 0:
        return f"{seconds // 60}m"
    return f"{seconds}s"


@dataclass(frozen=True)
class MetricTraffic:
    """Requests per period, oldest first; periods the export left out (no requests) are 0."""

    table: pd.DataFrame  # start (UTC) and requests, one row per period
    period_s: int
    metric: str  # Count, Invocations, NumberOfMessagesSent, or "" when the export does not say
    label: str
    missing_periods: int  # periods without a data point, read as 0 requests
    skipped_lines: int  # malformed data points skipped (skip_bad_lines=True)
    skipped: list[str]  # "file:line:column: what is wrong" of the first ones
    warnings: list[str]  # why these counts may not be the arrivals
    _core_traffic: _core.MetricTraffic

    @property
    def duration(self) -> str:
        """The time the trace covers (a trace is not repeated), e.g. "3h": a run.duration."""
        return _duration_text(len(self.table) * self.period_s)

    def trace_csv(self) -> str:
        """The trace file's text (format: counts), as `sluice calibrate --metrics --out` writes it."""
        return _core.metric_trace_csv(self._core_traffic)

    def write_trace(self, path: PathLike) -> Path:
        """Writes the trace file and returns its path."""
        out = Path(os.fsdecode(_checks.path(path, "path")))
        out.write_text(self.trace_csv(), encoding="utf-8")
        return out

    def arrivals(self, trace_file: PathLike) -> dict[str, Any]:
        """A source's `arrivals` that replays this trace from `trace_file` (relative to the model's
        folder, or absolute): ``model.set("sources.shoppers.arrivals", traffic.arrivals(path))``."""
        return {"trace": {"file": os.fsdecode(_checks.path(trace_file, "trace_file")), "format": "counts",
                          "interval": _duration_text(self.period_s)}}


def traffic_from_metrics(path: PathLike, *, model: Model | None = None, source: str | None = None,
                         component: str | None = None, metric: str | None = None,
                         period: str | None = None, id: str | None = None,
                         skip_bad_lines: bool = False) -> MetricTraffic:
    """Reads a metric export and returns its requests per period.

    ``path`` is the output of ``aws cloudwatch get-metric-data`` (JSON; ``id`` chooses among several
    results) or a CSV with the header ``timestamp,value``. The period is the spacing of the data
    points unless ``period`` (e.g. ``"5m"``) says it. With ``model`` and ``source`` the metric is
    checked as that source's arrivals: a function fed by an event source mapping is refused (its
    Invocations count batches); retries and throttles that make counts differ from arrivals are
    warned of (``UserWarning``, and in ``.warnings``). Malformed data points raise
    ``sluice.ModelError`` naming the file and line, unless ``skip_bad_lines`` (then counted).
    """
    file = _checks.path(path, "path")
    skip = _checks.flag(skip_bad_lines, "skip_bad_lines")
    period_s = None
    if period is not None:
        seconds = _checks.duration_s(period, "period")
        if seconds is None or seconds != int(seconds) or not 1 <= seconds <= 366 * 86400:
            raise ValueError(f"period: {_checks.shown(period)} is not a whole number of seconds "
                             "from 1s to 366d")
        period_s = int(seconds)
    chosen_id = _checks.optional_text(id, "id", "m1") or ""
    if (model is None) != (source is None):
        raise ValueError("model and source go together: the source of the model whose arrivals the metric is")
    if model is None and (component is not None or metric is not None):
        raise ValueError("component and metric apply with model and source only")
    core = _core.read_metric_traffic(file, bool(skip), period_s, chosen_id)
    if model is not None:
        _checks.instance(model, "model", Model, "a sluice.Model")
        core = _core.check_metric_source(core, model.spec, _checks.text(source, "source", "shoppers"),
                                         _checks.optional_text(component, "component", "api") or "",
                                         _checks.optional_text(metric, "metric", "Count") or "")
    for w in core.warnings:
        warnings.warn(w, UserWarning, stacklevel=2)
    start = pd.Timestamp(core.start_epoch_s, unit="s", tz="UTC")
    table = pd.DataFrame({
        "start": pd.date_range(start, periods=len(core.counts), freq=pd.Timedelta(seconds=core.period_s)),
        "requests": pd.Series(core.counts, dtype="int64"),
    })
    return MetricTraffic(table, core.period_s, core.metric, core.label, core.missing_periods,
                         core.skipped_lines, list(core.skipped), list(core.warnings), core)
