"""Parameter sweeps with replications, on threads or on a Dask cluster.

Replication r of every point runs with seed ``seed + r``: the same random streams for every
point (common random numbers), so differences between points come from the parameters and not
from noise. Every task is deterministic, so the results do not depend on the number of workers
or on the executor.
"""

from __future__ import annotations

import itertools
import numbers
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import pandas as pd

from . import _core
from ._model import Model, as_model
from ._stats import mean_and_half_width
from ._units import Duration, seconds


def metric_value(summary: Mapping[str, Any], path: str) -> float:
    """A number from the summary by its dotted path, e.g. 'sources.api.latency_ms.p99'."""
    node: Any = summary
    walked = []
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            keys = list(node) if isinstance(node, Mapping) else []
            where = ".".join(walked) or "the summary"
            raise KeyError(f"metric {path!r}: no {part!r} under {where}; there: {keys}")
        node = node[part]
        walked.append(part)
    if isinstance(node, bool) or not isinstance(node, (int, float)):
        raise KeyError(f"metric {path!r} is not a number")
    return float(node)


_SUMMARY_SECTIONS = ("schema", "model", "run", "sources", "components", "cost_usd", "ledger")


def _check_metric_names(model: Model, metric: str) -> None:
    """Catches a misspelled section, source or component before anything runs (the rest of the
    path is checked against the first run's summary)."""
    parts = metric.split(".")
    if parts[0] not in _SUMMARY_SECTIONS:
        raise KeyError(f"metric {metric!r}: no {parts[0]!r} in the summary; sections: {list(_SUMMARY_SECTIONS)}")
    names = {"sources": model.sources, "components": list(model.components)}.get(parts[0])
    if names is not None and (len(parts) < 2 or parts[1] not in names):
        raise KeyError(f"metric {metric!r}: {parts[0]} of this model are {names}")


def default_metrics(model: Model) -> List[str]:
    metrics = []
    for source in model.sources:
        metrics += [f"sources.{source}.latency_ms.p99", f"sources.{source}.cost_per_million_usd"]
    return metrics + ["cost_usd.total"]


def _run_task(model: Model, seed: int, duration_s: Optional[float], metrics: Tuple[str, ...]) -> List[float]:
    import json

    core = _core.run(model.spec, duration_s, seed)
    summary = json.loads(core.summary_json)
    return [metric_value(summary, m) for m in metrics]


def _progress(total: int, enabled: Optional[bool]) -> Any:
    if enabled is None:
        enabled = sys.stderr.isatty() or "ipykernel" in sys.modules
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="sluice sweep", unit="run")


def sweep(model: "Model | str | os.PathLike[str]", parameters: Mapping[str, Sequence[Any]], *,
          replications: int = 5, metrics: Optional[Iterable[str]] = None, seed: Optional[int] = None,
          duration: Optional[Duration] = None, workers: Optional[int] = None, client: Any = None,
          progress: Optional[bool] = None, raw: bool = False) -> pd.DataFrame:
    """Runs every combination of the parameters' values, ``replications`` times each.

    Returns a tidy DataFrame with one row per point: the parameters, then for each metric its
    mean over the replications and the half-width of its 95% confidence interval
    (``<metric>`` and ``<metric>_ci95``), and ``replications``. With ``raw=True``, one row per
    replication instead. ``workers`` threads run locally (default: the CPU count); with a
    ``distributed.Client`` as ``client`` the runs go to its cluster instead. Replication r
    runs with seed ``seed + r``; ``seed`` defaults to the model's ``run.seed``.
    """
    base = as_model(model)
    if seed is None:
        seed = base.spec.seed
    if not isinstance(parameters, Mapping) or not parameters:
        raise ValueError("parameters: a dict of key path -> list of values, e.g. {'components.f.memory': ['512MB']}")
    if not isinstance(replications, numbers.Integral) or isinstance(replications, bool) or replications < 1:
        raise ValueError(f"replications must be a positive int, got {replications!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    replications, seed = int(replications), int(seed)  # numpy integers too
    if seed + replications - 1 >= 2**64:
        raise ValueError(f"seed + replications - 1 must be below 2^64, got seed {seed!r}")
    keys = list(parameters)
    # Every run gets its seed (and, when given, its duration) from the sweep, which would
    # silently override a swept run.seed or run.duration: every point would be the same run.
    if "run.seed" in keys:
        raise ValueError("parameters: the sweep sets each run's seed (seed + replication), so sweeping 'run.seed' "
                         "would change nothing; use seed= and replications= instead")
    if duration is not None and "run.duration" in keys:
        raise ValueError("parameters: duration= overrides every run's duration, so sweeping 'run.duration' would "
                         "change nothing; leave duration=None to sweep it")
    for k in keys:
        if isinstance(parameters[k], (str, bytes)) or not isinstance(parameters[k], Iterable):
            raise TypeError(f"parameters[{k!r}] must be a list of values, e.g. [{parameters[k]!r}], "
                            f"not {type(parameters[k]).__name__}")
    values = [list(parameters[k]) for k in keys]
    for k, v in zip(keys, values):
        if not v:
            raise ValueError(f"parameters[{k!r}] has no values")
    points = list(itertools.product(*values))
    # Every variant is built (and validated) before anything runs: a bad value fails fast.
    variants = [base.with_overrides(dict(zip(keys, p))) for p in points]
    if isinstance(metrics, str):  # one metric, not its characters
        metrics = [metrics]
    metric_list = tuple(metrics) if metrics is not None else tuple(default_metrics(base))
    for metric in metric_list:
        if not isinstance(metric, str) or not metric:
            raise TypeError(f"a metric is a dotted path into the summary like 'cost_usd.total', not {metric!r}")
        _check_metric_names(base, metric)
    if client is not None and workers is not None:
        raise ValueError("give workers= (local threads) or client= (a Dask cluster), not both")
    duration_s = seconds(duration)
    tasks = [(i, r) for i in range(len(points)) for r in range(replications)]
    outcome: Dict[Tuple[int, int], List[float]] = {}

    bar = _progress(len(tasks), progress)
    try:
        if client is not None:
            futures = client.map(_run_task, [variants[i] for i, _ in tasks], [seed + r for _, r in tasks],
                                 [duration_s] * len(tasks), [metric_list] * len(tasks), pure=False)
            from distributed import as_completed

            index = {f.key: t for f, t in zip(futures, tasks)}
            for future in as_completed(futures):
                outcome[index[future.key]] = future.result()
                if bar is not None:
                    bar.update(1)
        else:
            n = workers if workers is not None else (os.cpu_count() or 1)
            if n < 1:
                raise ValueError(f"workers must be at least 1, got {n}")
            run_one: Callable[[Tuple[int, int]], List[float]] = lambda t: _run_task(
                variants[t[0]], seed + t[1], duration_s, metric_list)
            with ThreadPoolExecutor(max_workers=n) as pool:
                for task, result in zip(tasks, pool.map(run_one, tasks)):
                    outcome[task] = result
                    if bar is not None:
                        bar.update(1)
    finally:
        if bar is not None:
            bar.close()

    if raw:
        rows = []
        for i, r in tasks:
            row: Dict[str, Any] = dict(zip(keys, points[i]))
            row["replication"] = r
            row["seed"] = seed + r
            row.update(zip(metric_list, outcome[(i, r)]))
            rows.append(row)
        return pd.DataFrame(rows)
    rows = []
    for i, point in enumerate(points):
        row = dict(zip(keys, point))
        for j, metric in enumerate(metric_list):
            mean, half = mean_and_half_width([outcome[(i, r)][j] for r in range(replications)])
            row[metric] = mean
            row[f"{metric}_ci95"] = half
        row["replications"] = replications
        rows.append(row)
    return pd.DataFrame(rows)
