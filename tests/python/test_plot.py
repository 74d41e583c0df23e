"""Plots: each function returns a figure or axes with a title and axis labels that carry units
(matplotlib's Agg backend, set in conftest)."""

from __future__ import annotations

import re

import matplotlib
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import sluice
import sluice.plot

UNIT = re.compile(r"\((min|s|ms|MB|USD)\)|\bms\b|_ms\b|_usd\b|count|environments")


def test_backend_is_agg():
    assert matplotlib.get_backend().lower() == "agg"


def test_timeseries(tiny, close_figures):
    results = sluice.run(tiny)
    fig = sluice.plot.timeseries(results)
    assert isinstance(fig, Figure)
    assert "tiny" in fig.get_suptitle()
    axes = fig.get_axes()
    assert len(axes) == 4
    for ax in axes:
        assert ax.get_title()
        assert UNIT.search(ax.get_ylabel()), ax.get_ylabel()
        assert ax.lines  # something was drawn
    assert axes[-1].get_xlabel() == "simulated time (min)"
    assert "ms" in axes[2].get_ylabel()
    fig.canvas.draw()  # renders without errors (or warnings: filterwarnings=error)

    with pytest.raises(KeyError):
        sluice.plot.timeseries(results, function="nobody")


def test_sweep_metric(tiny, close_figures):
    # given out of order: the x axis is spaced and ordered by value, not by the text of the values
    df = sluice.sweep(tiny, {"components.checkout.memory": ["1GB", "256MB", "512MB"]}, replications=3,
                      workers=2)
    metric = "sources.shoppers.latency_ms.p99"
    ax = sluice.plot.sweep_metric(df, "components.checkout.memory", metric)  # the key path finds memory_mb
    assert isinstance(ax, Axes)
    assert metric in ax.get_title()
    assert "_ms" in ax.get_ylabel()  # the metric's path carries its unit
    assert ax.get_xlabel() == "components.checkout.memory (MB)"
    assert list(ax.lines[0].get_xdata()) == [256.0, 512.0, 1024.0]
    by_memory = df.set_index("components.checkout.memory_mb")
    assert list(ax.lines[0].get_ydata()) == list(by_memory.loc[[256, 512, 1024], metric])
    band = ax.collections[0].get_paths()[0].vertices  # the 95% band spans the interval's bounds
    assert band[:, 1].min() == pytest.approx(by_memory[f"{metric}_ci95_low"].min())
    assert band[:, 1].max() == pytest.approx(by_memory[f"{metric}_ci95_high"].max())

    ax = sluice.plot.sweep_metric(df, "components.checkout.memory_mb", metric, xlabel="memory (MB)",
                                  ylabel="end-to-end p99 (ms)")
    assert ax.get_xlabel() == "memory (MB)"
    assert ax.get_ylabel() == "end-to-end p99 (ms)"
    ax.figure.canvas.draw()

    as_text = df.assign(memory=["1GB", "256MB", "512MB"])  # a table of its own, values with units
    ax = sluice.plot.sweep_metric(as_text, "memory", "cost_usd.total")
    assert list(ax.lines[0].get_xdata()) == [256.0, 512.0, 1024.0]
    assert "usd" in ax.get_ylabel()

    runtimes = df.assign(runtime=["python3.12", "nodejs20.x", "java21"])  # no numbers: evenly, in order
    ax = sluice.plot.sweep_metric(runtimes, "runtime", "cost_usd.total")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["python3.12", "nodejs20.x", "java21"]

    with pytest.raises(KeyError):
        sluice.plot.sweep_metric(df, "nope", metric)


def test_power_tuning(close_figures):
    from conftest import MODELS

    model = sluice.Model.load(MODELS / "undersized-cpu.yaml").set("run.warmup", "1m")
    result = sluice.power_tune(model, "thumbnail", [256, 512, 1024, 1769, 3008], duration="3m", seed=1)
    ax = sluice.plot.power_tuning(result)
    assert isinstance(ax, Axes)
    assert "thumbnail" in ax.get_title()
    assert ax.get_xlabel() == "memory (MB)"
    assert "(USD)" in ax.get_ylabel()
    twins = [other for other in ax.figure.get_axes() if other is not ax]
    assert len(twins) == 1 and "(ms)" in twins[0].get_ylabel()
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert any(f"{result.recommended_memory_mb} MB" in text for text in legend)
    ax.figure.canvas.draw()
