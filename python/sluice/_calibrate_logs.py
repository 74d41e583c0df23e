"""Calibrating a Lambda function from its REPORT log lines (CloudWatch Logs exports), by the
engine: the same study as ``sluice calibrate --logs``, returned as DataFrames."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import _checks, _core
from ._model import Model, PathLike, as_model
from ._units import Duration

_GROUP_COLUMNS = ["function", "memory_mb", "invocations", "cold_starts", "cold_start_share", "cold_start_low",
                  "cold_start_high", "handler_kind", "handler_median_ms", "handler_p99_ms", "handler_ks",
                  "handler_ks_critical", "cold_start_kind", "cold_start_median_ms", "cold_start_p99_ms",
                  "memory_used_kind", "memory_used_median_mb", "memory_used_p99_mb"]
_CHECK_COLUMNS = ["function", "memory_mb", "quantity", "measured", "measured_low", "measured_high",
                  "simulated",
                  "tolerance_low", "tolerance_high", "within"]


@dataclass(frozen=True)
class LogCalibration:
    """What ``calibrate_logs`` found, per (function, memory size) group.

    ``groups``: one row per group: invocations, cold starts and their share with its 95% Wilson
    interval, and each fit (``lognormal`` or ``empirical``, its median and p99, and for the handler
    the Kolmogorov-Smirnov D with its 1% critical value). ``check``: the calibrated model's
    simulated percentiles and cold-start share against the measured ones (empty without a
    model); ``within`` is None where one side has too few samples to judge. ``fragment``: the
    YAML to paste into the model; ``overrides``: the same as ``(key path, value)`` pairs for
    ``Model.with_overrides`` or ``--set``. ``bad_lines``: the malformed lines skipped with
    ``skip_bad_lines=True``. ``raw``: everything, as ``sluice calibrate --logs --format json``.
    """

    groups: pd.DataFrame
    check: pd.DataFrame
    fragment: str
    overrides: list[tuple[str, str]]
    bad_lines: pd.DataFrame
    files: pd.DataFrame
    notes: list[str]
    raw: dict[str, Any] = field(repr=False)

    def group_overrides(self, function: str, memory_mb: int) -> dict[str, str]:
        """The overrides of one group, as a dict for ``Model.with_overrides``."""
        for g in self.raw["groups"]:
            if g["function"] == function and g["memory_mb"] == memory_mb:
                return dict(o.split("=", 1) for o in g["overrides"])
        raise ValueError(f"no group {function!r} at {memory_mb} MB; groups: "
                         f"{[(g['function'], g['memory_mb']) for g in self.raw['groups']]}")

    def plot(self, ax: Any = None) -> Any:
        """Measured percentiles (with their 95% intervals) beside the calibrated model's."""
        import matplotlib.pyplot as plt

        if self.check.empty:
            raise ValueError("there is no check to plot: calibrate_logs(..., model=...) runs one")
        rows = self.check[self.check["quantity"] != "cold-start share"].reset_index(drop=True)
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 3.5))
        x = range(len(rows))
        ax.errorbar([i - 0.1 for i in x], rows["measured"],
                    yerr=[rows["measured"] - rows["measured_low"], rows["measured_high"] - rows["measured"]],
                    fmt="o", capsize=4, label="measured (95% interval)")
        judged = rows["within"].notna().to_numpy()
        xs = [i + 0.1 for i in x]
        ax.plot([v for v, j in zip(xs, judged) if j], rows["simulated"][judged], "s", color="C1",
                label="calibrated model")
        if not judged.all():
            ax.plot([v for v, j in zip(xs, judged) if not j], rows["simulated"][~judged], "s", color="C1",
                    markerfacecolor="none", label="calibrated model (too few samples to judge)")
        ax.set_xticks(list(x))
        ax.set_xticklabels([f"{q}\n{f}@{m}MB" if len(set(rows["function"])) > 1 else q
                            for q, f, m in zip(rows["quantity"], rows["function"], rows["memory_mb"])])
        ax.set_ylabel("ms")
        ax.set_yscale("log")
        ax.legend()
        ax.set_title("REPORT lines against the calibrated model")
        return ax


def _fit_columns(prefix: str, fit: dict[str, Any] | None, unit: str) -> dict[str, Any]:
    if fit is None:
        return {f"{prefix}_kind": None, f"{prefix}_median_{unit}": None, f"{prefix}_p99_{unit}": None}
    return {f"{prefix}_kind": fit["kind"], f"{prefix}_median_{unit}": fit[f"median_{unit}"],
            f"{prefix}_p99_{unit}": fit[f"p99_{unit}"]}


def calibrate_logs(logs: PathLike | Sequence[PathLike], *, function: str | None = None,
                   model: Model | PathLike | None = None, skip_bad_lines: bool = False,
                   duration: Duration | None = None, seed: int | None = None) -> LogCalibration:
    """Fits a Lambda function from the REPORT lines of CloudWatch Logs exports, as
    ``sluice calibrate --logs`` does (docs/model-reference.md, "calibrate --logs").

    ``logs``: one export or a list of them: ``aws logs tail`` text, ``aws logs filter-log-events``
    JSON, or JSON-format logs (``platform.report`` records). ``function`` names the function
    where the export names no log group (text and filter-log-events output do not). ``model``: a
    sluice.Model or model file holding the function: the modelled latency of its calls is taken
    out of the measured Duration, and the calibrated model is run (``duration``, ``seed``) and
    compared with the measurements. A malformed REPORT line raises ModelError naming its file and
    line, unless ``skip_bad_lines``, which skips and counts it.
    """
    entries = [logs] if _checks.is_path(logs) else _checks.items(logs, "logs", "log files")
    paths = [_checks.path(p, "each of logs") for p in _checks.non_empty(entries, "logs", "log files")]
    function = _checks.optional_text(function, "function", "checkout")
    skip = _checks.flag(skip_bad_lines, "skip_bad_lines")
    duration_s = _checks.duration_s(duration)
    seed = _checks.seed(seed)
    m = as_model(model, "model") if model is not None else None
    if m is None and (duration_s is not None or seed is not None):
        raise ValueError("duration and seed apply to the check, which needs a model")
    if m is not None and (duration_s is None or m.spec.warmup_s < duration_s):
        _checks.check_run(m.spec, duration_s)
    raw = json.loads(_core.calibrate_logs(
        paths, bool(skip), function or "", m._text if m else None, m._name if m else "",
        m._base_dir if m else ".",
        list(m.overrides) if m else [], duration_s, seed))
    groups, checks, notes, overrides, fragments = [], [], [], [], []
    for g in raw["groups"]:
        c = g["cold_starts"]
        groups.append({"function": g["function"], "memory_mb": g["memory_mb"],
                       "invocations": g["invocations"],
                       "cold_starts": c["count"], "cold_start_share": c["share"], "cold_start_low": c["low"],
                       "cold_start_high": c["high"], **_fit_columns("handler", g["handler"], "ms"),
                       "handler_ks": g["handler"]["ks_statistic"],
                       "handler_ks_critical": g["handler"]["ks_critical"],
                       **_fit_columns("cold_start", g["cold_start"], "ms"),
                       **_fit_columns("memory_used", g["memory_used"], "mb")})
        if g["check"] is not None:
            for r in g["check"]["rows"]:
                checks.append({"function": g["function"], "memory_mb": g["memory_mb"], **r})
        notes += [f"{g['function']} at {g['memory_mb']} MB: {n}" for n in g["notes"]]
        overrides += [tuple(o.split("=", 1)) for o in g["overrides"]]
        fragments.append(g["fragment"])
    bad = pd.DataFrame(raw["bad_lines"], columns=["file", "line", "column", "problem"])
    files = pd.DataFrame(raw["files"], columns=["path", "format", "reports", "bad_lines"])
    return LogCalibration(pd.DataFrame(groups, columns=_GROUP_COLUMNS),
                          pd.DataFrame(checks, columns=_CHECK_COLUMNS),
                          "\n".join(fragments), overrides, bad, files, notes, raw)
