"""Plots of runs, sweeps and memory sizing, with titles and axis labels that carry units."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import _checks
from ._results import Results
from ._tune import PowerTuneResult
from ._units import UNIT_SUFFIXES, as_numbers


def _check_axes(ax: Any) -> None:
    if ax is not None:
        _checks.instance(ax, "ax", Axes, "a matplotlib Axes (or None for a new figure)")


def _series(results: Results, component: str, metric: str) -> pd.Series:
    df = results.timeseries()
    df = df[(df["component"] == component) & (df["metric"] == metric)]
    return pd.Series(df["value"].to_numpy(), index=df["time_s"].to_numpy() / 60.0)


def timeseries(results: Results, function: str | None = None, source: str | None = None) -> Figure:
    """Four panels over time: concurrency, throttles and cold starts, latency, and invocations."""
    _checks.instance(results, "results", Results, "the sluice.Results of a run")
    _checks.optional_text(function, "function", "checkout")
    _checks.optional_text(source, "source", "shoppers")
    summary = results.summary
    functions = [n for n, c in summary["components"].items() if c["type"] == "lambda"]
    if function is None:
        if not functions:
            raise ValueError("the model has no Lambda function to plot")
        function = functions[0]
    elif function not in functions:
        raise KeyError(f"no function {function!r}; functions: {functions}")
    sources = list(summary["sources"])
    if source is None:
        source = sources[0]
    elif source not in sources:
        raise KeyError(f"no source {source!r}; sources: {sources}")
    fig, axes = plt.subplots(4, 1, figsize=(9, 10), sharex=True, constrained_layout=True)
    concurrency = _series(results, function, "ConcurrentExecutions")
    environments = _series(results, function, "ExecutionEnvironments")
    axes[0].plot(concurrency.index, concurrency.values, label="ConcurrentExecutions (mean)")
    axes[0].plot(environments.index, environments.values, label="ExecutionEnvironments (mean)",
                 linestyle="--")
    axes[0].set_ylabel("environments")
    axes[0].set_title(f"{function}: concurrency")
    axes[0].legend(loc="best", fontsize=8)
    for metric in ("Throttles", "ColdStarts", "Errors"):
        s = _series(results, function, metric)
        axes[1].plot(s.index, s.values, label=metric)
    axes[1].set_ylabel("count per bucket")
    axes[1].set_title(f"{function}: throttles, cold starts and errors")
    axes[1].legend(loc="best", fontsize=8)
    latency = _series(results, source, "Latency_mean_ms")
    duration = _series(results, function, "Duration_mean_ms")
    axes[2].plot(latency.index, latency.values, label=f"{source}: end-to-end latency (mean)")
    p99 = _series(results, source, "Latency_p99_ms")
    axes[2].plot(p99.index, p99.values, label=f"{source}: end-to-end latency (p99, within 5%)", linestyle=":")
    axes[2].plot(duration.index, duration.values, label=f"{function}: Duration (mean)")
    axes[2].set_ylabel("ms")
    axes[2].set_title("latency")
    axes[2].legend(loc="best", fontsize=8)
    requests = _series(results, source, "Requests")
    invocations = _series(results, function, "Invocations")
    axes[3].plot(requests.index, requests.values, label=f"{source}: requests")
    axes[3].plot(invocations.index, invocations.values, label=f"{function}: Invocations")
    axes[3].set_ylabel("count per bucket")
    axes[3].set_xlabel("simulated time (min)")
    axes[3].set_title("traffic")
    axes[3].legend(loc="best", fontsize=8)
    fig.suptitle(f"{summary['model']}: time series")
    return fig


def _parameter_column(df: pd.DataFrame, parameter: str) -> str:
    """The column of a swept parameter, by its name or by its key path: a sweep names the column
    of 'components.f.memory' 'components.f.memory_mb' (the unit in the name)."""
    if parameter in df.columns:
        return parameter
    found = [parameter + suffix for suffix in UNIT_SUFFIXES if parameter + suffix in df.columns]
    if len(found) != 1:
        raise KeyError(f"no column {parameter!r} (nor one for it with a unit); have {list(df.columns)}")
    return found[0]


def _axis_label(column: str) -> str:
    """'components.f.memory_mb' -> 'components.f.memory (MB)'."""
    for suffix in sorted(UNIT_SUFFIXES, key=len, reverse=True):
        if column.endswith(suffix):
            return f"{column[:-len(suffix)]} ({UNIT_SUFFIXES[suffix]})"
    return column


def sweep_metric(df: pd.DataFrame, parameter: str, metric: str, *, ax: Axes | None = None,
                 label: str | None = None, xlabel: str | None = None,
                 ylabel: str | None = None) -> Axes:
    """A swept metric against a parameter: the mean with its 95% confidence band
    (``<metric>_ci95_low`` to ``<metric>_ci95_high``, as ``sluice.sweep`` gives them).

    ``parameter`` is the parameter's column or its key path ('components.f.memory' finds
    'components.f.memory_mb'). Numbers, and values with units such as '512MB', are spaced by
    value along the x axis; other values (text) are spaced evenly in the table's order. The
    axis labels default to the parameter's key path with its unit and the metric's path; pass
    ``xlabel``/``ylabel`` to name them otherwise, e.g. ``"memory (MB)"``.
    """
    _checks.instance(df, "df", pd.DataFrame, "the DataFrame of sluice.sweep")
    _checks.text(parameter, "parameter", "components.f.memory")
    _checks.text(metric, "metric", "cost_usd.total")
    _check_axes(ax)
    for name, value in (("label", label), ("xlabel", xlabel), ("ylabel", ylabel)):
        _checks.optional_text(value, name, "memory (MB)")
    column = _parameter_column(df, parameter)
    if metric not in df.columns:
        raise KeyError(f"no column {metric!r}; have {list(df.columns)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4), constrained_layout=True)
    named, values = as_numbers(column, df[column].tolist())
    numeric = all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in values)
    x = np.asarray(values, dtype=float) if numeric else np.arange(len(values), dtype=float)
    order = np.argsort(x, kind="stable")
    x = x[order]
    mean = df[metric].to_numpy(dtype=float)[order]
    ax.plot(x, mean, marker="o", label=label or metric)
    low_column, high_column = f"{metric}_ci95_low", f"{metric}_ci95_high"
    if low_column in df.columns and high_column in df.columns:
        low = df[low_column].to_numpy(dtype=float)[order]
        high = df[high_column].to_numpy(dtype=float)[order]
        if not (np.isnan(low).all() and np.isnan(high).all()):  # one replication: no interval
            ax.fill_between(x, np.where(np.isnan(low), mean, low), np.where(np.isnan(high), mean, high),
                            alpha=0.25, label="95% confidence")
    if not numeric:
        ax.set_xticks(x)
        ax.set_xticklabels([str(values[i]) for i in order])
    ax.set_xlabel(xlabel or _axis_label(named))
    ax.set_ylabel(ylabel or metric)
    ax.set_title(f"{metric} against {named}")
    ax.legend()
    return ax


def power_tuning(result: PowerTuneResult, *, ax: Axes | None = None) -> Any:
    """Power Tuning's chart: cost per 1M invocations and duration against memory."""
    _checks.instance(result, "result", PowerTuneResult, "the sluice.PowerTuneResult of sluice.power_tune")
    _check_axes(ax)
    t = result.table
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5), constrained_layout=True)
    ax.plot(t["memory_mb"], t["cost_per_million_usd"], marker="o", color="tab:blue",
            label="cost per 1M invocations")
    ax.set_xlabel("memory (MB)")
    ax.set_ylabel("cost per 1M invocations (USD)", color="tab:blue")
    other = ax.twinx()
    other.plot(t["memory_mb"], t["duration_p50_ms"], marker="s", color="tab:red", label="duration p50")
    other.plot(t["memory_mb"], t["duration_p99_ms"], marker="^", color="tab:red", linestyle="--",
               label="duration p99")
    other.set_ylabel("duration (ms)", color="tab:red")
    ax.axvline(1769, color="grey", linestyle=":", linewidth=1)
    ax.annotate("1 vCPU (1769 MB)", (1769, ax.get_ylim()[1]), textcoords="offset points", xytext=(4, -12),
                fontsize=8, color="grey")
    if result.recommended_memory_mb is not None:
        ax.axvline(result.recommended_memory_mb, color="tab:green", linewidth=2, alpha=0.6,
                   label=f"recommended ({result.strategy}): {result.recommended_memory_mb} MB")
    lines = ax.get_legend_handles_labels()
    more = other.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], loc="best", fontsize=8)
    ax.set_title(f"{result.function}: cost and duration against memory")
    return ax
