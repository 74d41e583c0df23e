"""Metrics: the numbers of a run's summary, named by their dotted paths
('sources.shoppers.latency_ms.p99', 'end_to_end.failed.throttled', 'cost_usd.total').

Which metrics a model has is read from the engine, not from a list kept here: a run of the
model lasting 1 ms, without warm-up, has the summary of every run of that model, only with
other numbers. That probe takes about a millisecond, so a misspelled metric is caught before
the first real run. One exception today: the engine writes a function's AsyncEvent* metrics
once it has an on-failure destination or has received an asynchronous event, so a function
invoked asynchronously without a destination lacks them in the probe.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Mapping
from typing import Any, Union

from . import _core
from ._model import Model, as_model

Number = Union[int, float]

_PROBE_S = 0.001  # the shortest run the engine accepts


def flatten(summary: Mapping[str, Any]) -> dict[str, Any]:
    """Every leaf of a summary by its dotted path. Some keys hold dots themselves
    ('cost_usd.by_dimension.lambda.requests'); they join the path as they are."""
    leaves: dict[str, Any] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, Mapping):
            for key, child in node.items():
                walk(child, f"{path}.{key}" if path else str(key))
        else:
            leaves[path] = node

    walk(summary, "")
    return leaves


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def metrics_of(summary: Mapping[str, Any]) -> dict[str, Number]:
    """The metrics of a summary: its numbers by path, in the summary's order. Counts are ints
    (the engine writes counters as integers), everything else floats."""
    return {path: value for path, value in flatten(summary).items() if is_number(value)}


def metric_value(summary: Mapping[str, Any], path: str) -> Number:
    """A number from the summary by its dotted path, e.g. 'sources.api.latency_ms.p99'."""
    metrics = metrics_of(summary)
    if path not in metrics:
        raise KeyError(unknown_metric(path, metrics))
    return metrics[path]


def summary_metrics(model: Model | str | os.PathLike[str]) -> list[str]:
    """Every metric of the model's summary, by its dotted path: what ``sweep(metrics=...)``
    accepts. Read from a 1 ms run of the model (see the module's docstring)."""
    return list(probe_metrics(as_model(model)))


def probe_metrics(model: Model) -> dict[str, Number]:
    probe = model.set("run.warmup", "0")
    return metrics_of(json.loads(_core.run(probe.spec, _PROBE_S, 0).summary_json))


def unknown_metric(metric: str, known: Mapping[str, Any] | set[str]) -> str:
    """The message for a metric that is not there: the closest names, and what the deepest
    existing part of the path holds."""
    names = list(known)
    message = f"metric {metric!r} is not in this model's summary"
    close = difflib.get_close_matches(metric, names, n=3, cutoff=0.8)
    if close:
        message += f"; did you mean {' or '.join(repr(c) for c in close)}?"
    parts = metric.split(".")
    for depth in range(len(parts) - 1, -1, -1):
        prefix = ".".join(parts[:depth])
        below = [n[len(prefix) + 1:] if prefix else n
                 for n in names if not prefix or n.startswith(prefix + ".")]
        children = list(dict.fromkeys(b.split(".")[0] for b in below))
        if children:
            message += f" ({repr(prefix) if prefix else 'the summary'} holds: {', '.join(children)})"
            break
    return message
