"""The design comparison: sluice.compare() and `sluice compare` over models/compare/."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import sluice
from conftest import MODELS, run_cli

DESIGNS = sorted(str(p) for p in (MODELS / "compare").glob("*.yaml"))
POISON = "[{at: 6m, kind: poison_message, target: orders-in, count: 1}]"


def test_the_four_designs_are_there():
    names = [sluice.Model.load(p).name for p in DESIGNS]
    assert sorted(names) == ["kinesis-lambda", "sns-lambda", "sns-sqs-lambda", "sqs-lambda"]


def test_every_design_sees_the_same_workload():
    table = sluice.compare(DESIGNS, duration="10m")
    assert isinstance(table, pd.DataFrame)
    assert list(table.index) == [sluice.Model.load(p).name for p in DESIGNS]
    # One seed for all: the source draws the same arrivals in every design.
    assert table["requests"].nunique() == 1
    assert table["requests"].iloc[0] > 0
    assert table["ledger_balanced"].all()
    for column in ("p50_ms", "p99_ms", "peak_backlog", "oldest_message_age_s", "throttles", "dead_lettered",
                   "duplicates", "cost_per_month_usd", "cost_per_million_usd"):
        assert column in table.columns
    assert (table["cost_per_month_usd"] > 0).all()


def test_a_different_seed_changes_the_workload_for_every_design_alike():
    a = sluice.compare(DESIGNS[:2], duration="7m", seed=1)
    b = sluice.compare(DESIGNS[:2], duration="7m", seed=2)
    assert a["requests"].nunique() == 1 and b["requests"].nunique() == 1
    assert a["requests"].iloc[0] != b["requests"].iloc[0]


def test_overrides_apply_to_every_design():
    table = sluice.compare(DESIGNS, duration="10m", set={"faults": POISON})
    # The poison message fails its consumer: lost or parked, but never silently gone.
    assert table["ledger_balanced"].all()
    lost = table.filter(like="lost_").sum(axis=1)
    assert ((lost > 0) | (table["dead_lettered"] > 0) | (table["oldest_message_age_s"] > 60)).all()


def test_compare_rejects_a_single_path_string():
    with pytest.raises(TypeError, match="list of designs"):
        sluice.compare(DESIGNS[0])


def test_the_command_prints_the_same_rows():
    out = run_cli("compare", *DESIGNS, "--duration", "7m", "--format", "json").stdout
    rows = json.loads(out)
    table = sluice.compare(DESIGNS, duration="7m")
    assert [r["design"] for r in rows] == list(table.index)
    assert [r["requests"] for r in rows] == list(table["requests"])
    assert [r["p99_ms"] for r in rows] == pytest.approx(list(table["p99_ms"]))


def test_the_command_prints_a_table():
    out = run_cli("compare", *DESIGNS, "--duration", "6m").stdout
    for name in ("sns-lambda", "sqs-lambda", "kinesis-lambda", "sns-sqs-lambda", "$/month", "p99 ms"):
        assert name in out


def test_a_design_that_cannot_keep_up_shows_its_open_requests_and_is_flagged():
    table = sluice.compare(DESIGNS, duration="10m", set={"sources.orders.arrivals.rate": "1500/s"})
    assert table["falling_behind"].all()
    assert (table["in_flight"] > table["requests"] / 4).all()
    calm = sluice.compare(DESIGNS, duration="10m")
    assert not calm["falling_behind"].any()
    assert (calm["completed"] + calm["in_flight"] <= calm["requests"]).all()


def test_an_override_for_one_design_goes_to_that_design_only():
    base = sluice.compare(DESIGNS, duration="7m")
    one = sluice.compare(DESIGNS, duration="7m",
                         set={"kinesis-lambda:components.orders-in.shards": 8})
    changed = [d for d in base.index if base.loc[d, "cost_per_month_usd"] != one.loc[d, "cost_per_month_usd"]]
    assert changed == ["kinesis-lambda"]  # more shards: more shard-hours, for that design alone
    with pytest.raises(sluice.ModelError,
                       match="no design is named 'kinesis-lamda'.*did you mean 'kinesis-lambda'"):
        sluice.compare(DESIGNS, duration="7m", set={"kinesis-lamda:components.orders-in.shards": 8})


def test_the_command_takes_per_design_overrides_and_names_the_design_file_in_errors():
    proc = run_cli("compare", *DESIGNS, "--duration", "2m", check=False)
    assert proc.returncode == 2
    assert "compare/" in proc.stderr and "run.warmup=" in proc.stderr
    out = run_cli("compare", *DESIGNS, "--duration", "7m", "--format", "json",
                  "--set", "kinesis-lambda:components.orders-in.shards=8").stdout
    assert [r["design"] for r in json.loads(out)] == [sluice.Model.load(p).name for p in DESIGNS]
