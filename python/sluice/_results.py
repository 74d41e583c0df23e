"""Results of one run, as Python data: the summary dict and pandas DataFrames."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from . import _checks, _core


class Results:
    """The results of one run.

    ``summary`` is the dict of ``summary.json`` (schema 1). The time series come from the
    engine's own buffers: :attr:`arrays` gives numpy views of them without copying. The wall
    clock is not in the summary (two runs of the same model, seed and options give the same
    bytes): :attr:`wall_s` has it.
    """

    __slots__ = ("_core", "_summary")

    def __init__(self, core: _core.Results) -> None:
        self._core = core
        self._summary: dict[str, Any] = json.loads(core.summary_json)

    @property
    def summary(self) -> dict[str, Any]:
        return self._summary

    @property
    def wall_s(self) -> float:
        """Wall-clock time of the simulation, in seconds (not part of the summary)."""
        return self._core.wall_s

    @property
    def warnings(self) -> list[str]:
        return list(self._core.warnings)

    @property
    def arrays(self) -> dict[str, np.ndarray]:
        """The long-form time series as numpy arrays that view the engine's memory.

        The views are read-only: writing through them would change what :meth:`to_csv` and
        :meth:`timeseries` return. Each view keeps the engine's results alive.
        """
        views = {
            "time_s": self._core.time_s,
            "component": self._core.component_codes,
            "metric": self._core.metric_codes,
            "value": self._core.values,
        }
        for view in views.values():
            view.flags.writeable = False
        return views

    def timeseries(self) -> pd.DataFrame:
        """Long form, one row per (time, component, metric): as ``timeseries.csv``."""
        components = pd.Categorical.from_codes(self._core.component_codes.astype(np.int32),
                                               categories=self._core.component_names)
        metrics = pd.Categorical.from_codes(self._core.metric_codes.astype(np.int32),
                                            categories=self._core.metric_names)
        return pd.DataFrame({"time_s": self._core.time_s, "component": components, "metric": metrics,
                             "value": self._core.values})

    def timeseries_wide(self, component: str) -> pd.DataFrame:
        """One component's series side by side, indexed by time (s)."""
        _checks.text(component, "component", "checkout")
        df = self.timeseries()
        df = df[df["component"] == component]
        if df.empty:
            raise KeyError(f"no time series for {component!r}; "
                           f"components: {list(self._core.component_names)}")
        wide = df.pivot_table(index="time_s", columns="metric", values="value", observed=True)
        wide.columns = wide.columns.astype(str)
        return wide

    def latency(self, source: str) -> pd.Series:
        """End-to-end latency percentiles of a source (ms)."""
        _checks.text(source, "source", "shoppers")
        sources = self._summary["sources"]
        if source not in sources:
            raise KeyError(f"no source {source!r}; sources: {list(sources)}")
        return pd.Series(sources[source]["latency_ms"], name=f"{source} latency (ms)", dtype=float)

    def cost(self) -> pd.DataFrame:
        """Cost (USD) by component and price dimension, for the measured window."""
        rows = []
        for name, component in self._summary["components"].items():
            for dimension, usd in component["cost_usd"].items():
                if dimension != "total":
                    rows.append({"component": name, "type": component["type"], "dimension": dimension,
                                 "usd": usd})
        return pd.DataFrame(rows, columns=["component", "type", "dimension", "usd"])

    def to_json(self) -> str:
        """summary.json text, byte for byte as the command line writes it."""
        return self._core.summary_json

    def to_csv(self) -> str:
        """timeseries.csv text, as the command line writes it."""
        return self._core.timeseries_csv()

    def __repr__(self) -> str:
        return f"<sluice.Results {self._summary['model']!r}: {self._summary['run']['events']} events>"
