"""Parameter sweeps with replications, on threads or on a Dask cluster.

The engine does the work, as for `sluice sweep` (sluice/sweep.hpp): it runs the replications
(on its own threads, or one per Dask task), gives replication r of every point the seed
``seed + r`` (the same random streams for every point: common random numbers, so differences
between points come from the parameters and not from noise), reads the metrics and computes the
intervals. This module checks the arguments, builds the points and shapes the table. Every task
is deterministic, so the results do not depend on the number of workers or on the executor.
"""

from __future__ import annotations

import itertools
import math
import os
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from . import _checks, _core
from ._metrics import Number, unknown_metric
from ._model import Model, PathLike, as_model
from ._units import Duration, as_numbers


def default_metrics(model: Model) -> list[str]:
    """Each source's p99 latency and cost per million requests, and the total cost (the engine's
    default, as `sluice sweep` without --metric)."""
    return list(_core.default_sweep_metrics(model.spec))


def _run_task(model: Model, seed: int, replication: int, duration_s: float | None, metrics: tuple[str, ...],
              cancel: threading.Event | None = None) -> list[Number]:
    """One replication of one point, a Dask task: the engine runs it with seed + replication and
    reads the metrics (ints for counts)."""
    return _core.run_replication(model.spec, list(metrics), seed, replication, duration_s, cancel)


def _progress(total: int, enabled: bool | None) -> Any:
    if enabled is None:
        enabled = sys.stderr.isatty() or "ipykernel" in sys.modules
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="sluice sweep", unit="run")


def _check_metrics(variants: Sequence[Model], points: Sequence[dict[str, Any]],
                   metrics: Sequence[str]) -> None:
    """Every metric must be in the summary of every point (a swept key may add parts of the
    summary or take them away), checked on a 1 ms probe of each point before the first run."""
    for variant, point in zip(variants, points):
        problem = unknown_metric(variant, list(metrics))
        if problem is not None:
            where = f" (at {point})" if len(variants) > 1 else ""
            raise KeyError(problem + where)


def sweep(model: Model | PathLike, parameters: Mapping[str, Sequence[Any]], *,
          replications: int = 5, metrics: Iterable[str] | None = None, seed: int | None = None,
          duration: Duration | None = None, workers: int | None = None, client: Any = None,
          progress: bool | None = None, raw: bool = False) -> pd.DataFrame:
    """Runs every combination of the parameters' values, ``replications`` times each.

    Returns a tidy DataFrame with one row per point: the parameters, then for each metric its
    mean over the replications and the bounds of its 95% confidence interval
    (``<metric>``, ``<metric>_ci95_low``, ``<metric>_ci95_high``), and ``replications``.
    With ``raw=True``, one row per replication instead.

    Parameters come back as numbers where their values are quantities, with the unit in the
    column's name, so the table sorts and plots by value: ``components.f.memory`` swept over
    '512MB', '1GB' is the column ``components.f.memory_mb`` with 512, 1024; durations become
    ``_s`` (seconds), rates ``_per_s`` (per second), percentages ``_pct``. Plain numbers keep
    the key as the name; other values (text, dicts) are shown as given.

    A metric is a dotted path into the run's summary: any number in it, such as
    ``sources.<name>.latency_ms.p99``, ``end_to_end.failed.throttled``,
    ``components.<name>.metrics.ColdStarts`` or ``cost_usd.total`` (``sluice.summary_metrics``
    lists them all). A metric that is not in the summary of every point is an error before the
    first run. The interval of a count (the summary's whole numbers: invocations, cold starts,
    throttles, failures) never goes below zero: it spans Garwood's exact Poisson interval and
    Student's t, cut at zero. That of any other quantity is Student's t (both described in
    ``sluice._stats``). One replication gives no interval (NaN).

    ``workers`` threads run locally (default: the CPU count); with a ``distributed.Client`` as
    ``client`` the runs go to its cluster instead. Replication r runs with seed ``seed + r``;
    ``seed`` defaults to the model's ``run.seed``.

    Accepted: each parameter's values once each (``'512MB'`` and ``'0.5GB'`` are one value),
    ``replications`` from 1 to 10,000, ``workers`` from 1 to 1024, at most 1,000,000 runs in
    all; every argument, every point's model and its run's duration are checked before the first
    run. Ctrl-C stops the sweep (the runs in flight within a fraction of a second) with
    KeyboardInterrupt.
    """
    base = as_model(model)
    parameters = _checks.mapping(parameters, "parameters", "{'components.f.memory': ['512MB', '1GB']}")
    if not parameters:
        raise ValueError("parameters must hold at least one key path -> list of values, "
                         "e.g. {'components.f.memory': ['512MB', '1GB']}")
    keys = [_checks.text(k, "a key of parameters", "components.f.memory") for k in parameters]
    # Every run gets its seed (and, when given, its duration) from the sweep, which would
    # silently override a swept run.seed or run.duration: every point would be the same run.
    if "run.seed" in keys:
        raise ValueError("parameters: the sweep sets each run's seed (seed + replication), so sweeping "
                         "'run.seed' would change nothing; use seed= and replications= instead")
    if duration is not None and "run.duration" in keys:
        raise ValueError("parameters: duration= overrides every run's duration, so sweeping "
                         "'run.duration' would change nothing; leave duration=None to sweep it")
    values = []
    for k in keys:
        what = f"values, e.g. [{_checks.shown(parameters[k])}]"
        values.append(_checks.non_empty(_checks.items(parameters[k], f"parameters[{k!r}]", what),
                                        f"parameters[{k!r}]", "values"))
    # Values as numbers where they are quantities: the table's columns, and what makes two values
    # the same ('512MB' and '0.5GB' would be one point twice).
    columns = [as_numbers(k, v) for k, v in zip(keys, values)]
    for k, v, (_, numbers_) in zip(keys, values, columns):
        _checks.distinct(numbers_, f"parameters[{k!r}]", shown_as=v)
    if len({name for name, _ in columns}) < len(columns):
        raise ValueError(f"parameters: two keys give the same column: {[name for name, _ in columns]}")
    replications = _checks.integer(replications, "replications", 1, _checks.MAX_REPLICATIONS)
    seed = _checks.seed(seed)
    if seed is None:
        seed = base.spec.seed
    if seed + replications - 1 > _checks.SEED_MAX:  # as the engine's replication_seed, in Python's words
        raise ValueError(f"seed + replications - 1 must be at most 2**64 - 1 (replication r runs with "
                         f"seed + r), "
                         f"got seed {seed} and {replications} replications")
    duration_s = _checks.duration_s(duration)
    if client is not None and workers is not None:
        raise ValueError("give workers= (local threads) or client= (a Dask cluster), not both")
    if workers is not None:
        workers = _checks.integer(workers, "workers", 1, _checks.MAX_WORKERS)
    if client is not None and not callable(getattr(client, "map", None)):
        raise TypeError(f"client must be a distributed.Client (or None for local threads), "
                        f"not {type(client).__name__}")
    if isinstance(metrics, str):  # one metric, not its characters
        metrics = [metrics]
    if metrics is None:
        metric_list = tuple(default_metrics(base))
    else:
        metric_list = tuple(_checks.non_empty(
            _checks.items(metrics, "metrics", "dotted paths into the summary like 'cost_usd.total'"),
            "metrics", "metric paths (sluice.summary_metrics lists them)"))
        for metric in metric_list:
            _checks.text(metric, "a metric", "cost_usd.total")
        _checks.distinct(list(metric_list), "metrics")
    progress = _checks.flag(progress, "progress", optional=True)
    raw = _checks.flag(raw, "raw")
    points_count = math.prod(len(v) for v in values)
    if points_count * replications > _checks.MAX_RUNS:
        raise ValueError(f"the sweep would make {points_count:,} points x {replications:,} replications = "
                         f"{points_count * replications:,} runs; at most {_checks.MAX_RUNS:,} are accepted")
    # Points as positions in each parameter's list of values, then as the values themselves.
    grid = list(itertools.product(*[range(len(v)) for v in values]))
    points = [tuple(v[j] for v, j in zip(values, at)) for at in grid]
    # Every variant is built (and validated, its run's duration too) before anything runs: a bad
    # value fails fast.
    variants = [base.with_overrides(dict(zip(keys, p))) for p in points]
    for variant in variants:
        _checks.check_run(variant.spec, duration_s)
    _check_metrics(variants, [dict(zip(keys, p)) for p in points], metric_list)

    def parameter_cells(i: int) -> dict[str, Any]:
        """Point i's parameters, each in its column, as a number where the value has a unit."""
        return {name: numbers_[j] for (name, numbers_), j in zip(columns, grid[i])}

    tasks = [(i, r) for i in range(len(points)) for r in range(replications)]
    # outcome[(point, replication)]: the metrics of one run; intervals[point]: (mean, low, high, n)
    # of each metric, from the engine.
    outcome: dict[tuple[int, int], list[Number]] = {}
    intervals: list[list[tuple[float, float, float, int]]] = []

    bar = _progress(len(tasks), progress)
    try:
        if client is not None:
            futures = client.map(_run_task, [variants[i] for i, _ in tasks], [seed] * len(tasks),
                                 [r for _, r in tasks], [duration_s] * len(tasks), [metric_list] * len(tasks),
                                 pure=False)
            from distributed import as_completed

            index = {f.key: t for f, t in zip(futures, tasks)}
            try:
                for future in as_completed(futures):
                    outcome[index[future.key]] = future.result()
                    if bar is not None:
                        bar.update(1)
            except BaseException:  # Ctrl-C, or a run that failed: the cluster stops the others
                client.cancel(futures)
                raise
            for i in range(len(points)):
                intervals.append([_core.metric_interval([outcome[(i, r)][j] for r in range(replications)])
                                  for j in range(len(metric_list))])
        else:
            n = min(workers if workers is not None else (os.cpu_count() or 1), len(tasks))

            def advance(done: int, total: int) -> None:
                bar.update(done - bar.n)

            # The engine's threads run the replications; Ctrl-C stops them (the engine polls for
            # it from this thread and stops the runs in flight).
            results = _core.sweep([v.spec for v in variants], list(metric_list), replications, seed,
                                  duration_s, n, advance if bar is not None else None)
            for i, (runs, point_intervals) in enumerate(results):
                for r, values in enumerate(runs):
                    outcome[(i, r)] = values
                intervals.append(point_intervals)
    finally:
        if bar is not None:
            bar.close()

    if raw:
        rows = []
        for i, r in tasks:
            row: dict[str, Any] = parameter_cells(i)
            row["replication"] = r
            row["seed"] = _core.replication_seed(seed, r)
            row.update(zip(metric_list, outcome[(i, r)]))
            rows.append(row)
        return pd.DataFrame(rows)
    rows = []
    for i in range(len(points)):
        row = parameter_cells(i)
        for j, metric in enumerate(metric_list):
            mean, low, high, _ = intervals[i][j]
            row[metric] = mean
            row[f"{metric}_ci95_low"] = low
            row[f"{metric}_ci95_high"] = high
        row["replications"] = replications
        rows.append(row)
    return pd.DataFrame(rows)
