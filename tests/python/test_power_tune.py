"""Memory sizing: one row per memory size, the recommendation of each strategy checked against
the table, the SLO, and agreement with `sluice tune`."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

import sluice
from conftest import MODELS, run_cli

COLUMNS = ["memory_mb", "invocations", "duration_mean_ms", "duration_p50_ms", "duration_p99_ms",
           "end_to_end_p99_ms", "cold_start_share", "throttles", "errors", "crashes", "cost_per_million_usd",
           "meets_slo"]
DURATION, SEED = "5m", 3


@pytest.fixture(scope="module")
def undersized() -> sluice.Model:
    # a 1 m warm-up: the model's own 5 m warm-up would cover the whole 5 m run
    return sluice.Model.load(MODELS / "undersized-cpu.yaml").set("run.warmup", "1m")


@pytest.fixture(scope="module")
def tuned(undersized):
    return {s: sluice.power_tune(undersized, "thumbnail", strategy=s, duration=DURATION, seed=SEED)
            for s in sluice._tune.STRATEGIES}


def eligible(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["meets_slo"] & (table["crashes"] == 0) & (table["invocations"] > 0)]


def test_table(tuned):
    result = tuned["cost"]
    assert isinstance(result, sluice.PowerTuneResult)
    assert result.function == "thumbnail"
    assert list(result.table.columns) == COLUMNS
    assert list(result.table["memory_mb"]) == list(sluice._tune.DEFAULT_MEMORIES)
    assert result.table["memory_mb"].is_unique
    t = result.table
    assert (t["invocations"] > 0).all()
    assert t["meets_slo"].all()  # no SLO given
    assert result.slo_p99_ms is None
    # CPU-bound: faster with memory up to one vCPU (1769 MB), then no faster for one thread
    assert t["duration_mean_ms"].is_monotonic_decreasing
    at_one_vcpu = t.loc[t["memory_mb"] == 1769, "duration_mean_ms"].item()
    assert t.loc[t["memory_mb"] > 1769, "duration_mean_ms"].eq(at_one_vcpu).all()
    assert t["crashes"].iloc[0] > 0  # 128 MB times out
    # the same traffic at every size and every strategy: the tables agree
    for other in tuned.values():
        pd.testing.assert_frame_equal(other.table, t)


def test_cost_recommends_the_cheapest_eligible(tuned):
    result = tuned["cost"]
    candidates = eligible(result.table).sort_values(["cost_per_million_usd", "duration_mean_ms"])
    assert result.recommended_memory_mb == candidates["memory_mb"].iloc[0]
    # a size that crashes is never recommended, even when it is the cheapest
    cheapest_overall = result.table.sort_values("cost_per_million_usd")["memory_mb"].iloc[0]
    assert result.table.loc[result.table["memory_mb"] == cheapest_overall, "crashes"].item() > 0
    assert result.recommended_memory_mb != cheapest_overall
    assert str(result.recommended_memory_mb) in result.explanation and "cheapest" in result.explanation


def test_speed_recommends_the_fastest_eligible(tuned):
    result = tuned["speed"]
    candidates = eligible(result.table).sort_values(["duration_mean_ms", "cost_per_million_usd"])
    assert result.recommended_memory_mb == candidates["memory_mb"].iloc[0]
    assert result.recommended_memory_mb == 1769  # ties above one vCPU go to the cheaper size
    assert "fastest" in result.explanation


@pytest.mark.parametrize("weight", [0.0, 0.3, 0.5, 0.9, 1.0])
def test_balanced_formula(undersized, weight):
    result = sluice.power_tune(undersized, "thumbnail", strategy="balanced", balanced_weight=weight,
                               duration=DURATION, seed=SEED)
    c = eligible(result.table)
    score = (weight * c["cost_per_million_usd"] / c["cost_per_million_usd"].max()
             + (1 - weight) * c["duration_mean_ms"] / c["duration_mean_ms"].max())
    assert result.recommended_memory_mb == c.loc[score.idxmin(), "memory_mb"]
    if weight == 1.0:
        cheapest = eligible(result.table).sort_values("cost_per_million_usd")["memory_mb"].iloc[0]
        assert result.recommended_memory_mb == cheapest


def test_slo_excludes_slow_sizes(undersized):
    result = sluice.power_tune(undersized, "thumbnail", slo_p99="1s", duration=DURATION, seed=SEED)
    t = result.table
    assert result.slo_p99_ms == 1000.0
    assert (t["meets_slo"] == (t["end_to_end_p99_ms"] <= 1000.0)).all()
    assert (~t["meets_slo"]).sum() >= 2 and t["meets_slo"].sum() >= 2
    slow = set(t.loc[~t["meets_slo"], "memory_mb"])
    assert result.recommended_memory_mb not in slow
    cheapest = eligible(t).sort_values("cost_per_million_usd")["memory_mb"].iloc[0]
    assert result.recommended_memory_mb == cheapest
    without_slo = sluice.power_tune(undersized, "thumbnail", duration=DURATION, seed=SEED)
    assert without_slo.recommended_memory_mb in slow  # the SLO changed the answer
    assert "1000 ms" in result.explanation

    impossible = sluice.power_tune(undersized, "thumbnail", slo_p99="1ms", duration=DURATION, seed=SEED)
    assert impossible.recommended_memory_mb is None
    assert not impossible.table["meets_slo"].any()
    assert "no memory size" in impossible.explanation


def test_memories_subset_and_order(undersized):
    result = sluice.power_tune(undersized, "thumbnail", [2048, 512, 1024], duration=DURATION, seed=SEED)
    assert list(result.table["memory_mb"]) == [2048, 512, 1024]
    full = sluice.power_tune(undersized, "thumbnail", duration=DURATION, seed=SEED).table
    full = full.set_index("memory_mb")
    pd.testing.assert_frame_equal(result.table.set_index("memory_mb"), full.loc[[2048, 512, 1024]])


@pytest.mark.parametrize(("strategy", "slo"), [("cost", None), ("speed", None), ("balanced", "1s")])
def test_agrees_with_sluice_tune(undersized, strategy, slo):
    args = ["tune", "models/undersized-cpu.yaml", "--function", "thumbnail", "--format", "json",
            "--duration", DURATION, "--seed", str(SEED), "--set", "run.warmup=1m", "--strategy", strategy]
    if slo:
        args += ["--slo-p99", slo]
    cli = json.loads(run_cli(*args).stdout)
    result = sluice.power_tune(undersized, "thumbnail", strategy=strategy, slo_p99=slo, duration=DURATION,
                               seed=SEED)
    assert cli["function"] == result.function
    assert cli["strategy"] == result.strategy
    assert cli["recommended_memory_mb"] == result.recommended_memory_mb
    assert cli["explanation"] == result.explanation
    cli_table = pd.DataFrame(cli["points"])
    assert sorted(cli_table.columns) == sorted(COLUMNS)
    pd.testing.assert_frame_equal(cli_table[COLUMNS], result.table, check_dtype=False, rtol=1e-12)


def test_memories_with_units(undersized):
    result = sluice.power_tune(undersized, "thumbnail", ["512MB", "1GB", 2048, "2.5GB"], duration=DURATION,
                               seed=SEED)
    assert list(result.table["memory_mb"]) == [512, 1024, 2048, 2560]
    in_mb = sluice.power_tune(undersized, "thumbnail", [512, 1024, 2048, 2560], duration=DURATION, seed=SEED)
    pd.testing.assert_frame_equal(result.table, in_mb.table)


@pytest.mark.parametrize("strategy", sluice._tune.STRATEGIES)
def test_a_size_where_every_request_crashes_has_no_percentile(undersized, strategy):
    """At 128 MB every invocation needs 200 MB and runs out of memory: no request succeeds, so there
    is no end-to-end percentile to show (NaN, not 0 ms), no latency target is met, and the size is
    never recommended, however cheap or fast its crashes are."""
    model = undersized.set("components.thumbnail.memory_used", "200MB")
    result = sluice.power_tune(model, "thumbnail", [128, 256, 512, 1024], strategy=strategy,
                               duration=DURATION, seed=SEED)
    t = result.table.set_index("memory_mb")
    at_128 = sluice.run(model.set("components.thumbnail.memory", "128MB"), duration=DURATION,
                        seed=SEED).summary
    assert at_128["end_to_end"]["requests"] > 0 and at_128["end_to_end"]["completed"] == 0  # the case
    assert t.loc[128, "crashes"] > 0
    assert math.isnan(t.loc[128, "end_to_end_p99_ms"])
    assert not t.loc[128, "meets_slo"]
    assert t.loc[[256, 512, 1024], "end_to_end_p99_ms"].notna().all()
    assert t.loc[[256, 512, 1024], "meets_slo"].all()  # no SLO given
    assert result.recommended_memory_mb in (256, 512, 1024)


def test_an_unknown_strategy_is_an_error_in_the_engine_binding(undersized):
    """The binding itself refuses a strategy it does not know (it used to run it as 'cost'), and
    the package's names are the engine's."""
    with pytest.raises(ValueError, match="strategy must be one of 'cost', 'speed', 'balanced', got 'fast'"):
        sluice._core.power_tune(undersized.spec, "thumbnail", [512], None, "fast", 0.5, 61.0, None)
    assert sluice._tune.STRATEGIES == tuple(sluice._core.tune_strategies()) == ("cost", "speed", "balanced")
    assert sluice._tune.DEFAULT_MEMORIES == tuple(sluice._core.default_memories_mb())


@pytest.mark.parametrize(("text", "mb"), [("512MB", 512), ("1.5GB", 1536), ("10GB", 10240)])
def test_memory_sizes_as_text_follow_the_engines_rule(text, mb):
    assert sluice._tune._memory_mb(text) == mb == sluice._core.parse_memory_mb(text, "memories")
    with pytest.raises(sluice.ModelError,
                       match="memories: 10241 MB is outside Lambda's range of 128 MB to 10240 MB"):
        sluice._tune._memory_mb("10241MB")
