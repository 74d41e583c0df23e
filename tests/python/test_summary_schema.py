"""docs/summary.schema.json (issue 11 item 1): every shipped model's summary validates against it,
through Python and through the sluice command, every section of the schema is met by a real run,
and a stray, renamed or missing key, or a count that is not a whole number, fails it."""

from __future__ import annotations

import copy
import json
import os
import subprocess
from pathlib import Path

import pytest

import sluice
from conftest import MODELS, REPO, run_cli, summary_schema_errors

GOOD = REPO / "tests" / "data" / "good"
SHIPPED = sorted(MODELS.rglob("*.yaml")) + sorted(GOOD.glob("*.yaml"))

# What no shipped model has: a table's stream and an on-demand Kinesis stream.
STREAMS_YAML = """\
sluice: 1
name: streams
run: {duration: 3m, warmup: 1m, seed: 4}
sources:
  orders: {target: store, invocation: async, arrivals: {rate: 50/s}}
  clicks: {target: clickstream, arrivals: {rate: 100/s}}
components:
  store: {type: lambda, steps: [{cpu: 2ms}, {write: table, items: 2}]}
  table: {type: dynamodb, mode: on_demand, stream: true}
  indexer: {type: lambda, steps: [{cpu: 1ms}], trigger: {source: table, batch_size: 100}}
  clickstream: {type: kinesis, mode: on_demand}
  reader: {type: lambda, steps: [{cpu: 1ms}], trigger: {source: clickstream}}
"""


def short(model: sluice.Model) -> sluice.Model:
    """The model over three minutes, one of them warm-up: every section, few events."""
    return model.set("run.warmup", "1m").set("run.bucket", "1m")


def sections(summary: dict) -> set[str]:
    """Which parts of the schema a summary exercises (component types and their optional blocks)."""
    seen = set()
    for c in summary["components"].values():
        seen.add(c["type"] + (f".{c['mode']}" if "mode" in c else ""))
        if "trigger" in c:
            seen.add(f"lambda.trigger.{c['trigger']['type']}")
        if "AsyncEventsReceived" in c.get("metrics", {}):
            seen.add("lambda.async")
        if "stream" in c:
            seen.add("dynamodb.stream")
        if "autoscaling" in c:
            seen.add("dynamodb.autoscaling")
    return seen


@pytest.fixture(scope="module")
def shipped_summaries() -> dict[str, dict]:
    summaries = {str(path.relative_to(REPO)):
                 sluice.run(short(sluice.Model.load(path)), duration="3m").summary for path in SHIPPED}
    summaries["<streams>"] = sluice.run(sluice.Model.from_yaml(STREAMS_YAML)).summary
    return summaries


def test_every_shipped_model_validates(shipped_summaries):
    assert len(shipped_summaries) >= 15
    for name, summary in shipped_summaries.items():
        assert summary_schema_errors(summary) == [], name


def test_the_shipped_models_meet_every_section_of_the_schema(shipped_summaries):
    seen = set().union(*(sections(s) for s in shipped_summaries.values()))
    assert seen >= {"lambda", "api_gateway", "sqs", "sns", "kinesis.provisioned", "kinesis.on_demand",
                    "dynamodb.provisioned", "dynamodb.on_demand", "lambda.trigger.sqs",
                    "lambda.trigger.kinesis", "lambda.async", "dynamodb.stream", "dynamodb.autoscaling"}, seen


def test_the_command_writes_summaries_that_validate(tmp_path):
    for model in ("models/default.yaml", "tests/data/good/messaging-everything.yaml"):
        out = tmp_path / model.replace("/", "_")
        run_cli("run", model, "--duration", "3m", "--set", "run.warmup=1m", "--out", str(out), "--quiet")
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert summary_schema_errors(summary) == [], model


def test_a_stray_renamed_or_missing_key_fails(shipped_summaries):
    base = shipped_summaries["tests/data/good/messaging-everything.yaml"]
    streams = shipped_summaries["<streams>"]
    assert summary_schema_errors(base) == []
    function = next(n for n, c in base["components"].items() if c["type"] == "lambda" and "trigger" in c)

    def broken(change) -> list[str]:
        s = copy.deepcopy(base)
        change(s)
        return summary_schema_errors(s)

    cases = {
        "a stray top-level key": lambda s: s.update(wall_clock=1.0),
        "a stray run key": lambda s: s["run"].update(threads=2),
        "run.events missing": lambda s: s["run"].pop("events"),
        "a renamed metric": lambda s: s["components"][function]["metrics"].update(
            invocations=s["components"][function]["metrics"].pop("Invocations")),
        "a stray trigger key": lambda s: s["components"][function]["trigger"].update(lag=0),
        "a failure reason missing": lambda s: s["end_to_end"]["failed"].pop("expired"),
        "a count that is not whole": lambda s: s["ledger"].update(created=s["ledger"]["created"] + 0.5),
        "a negative cost": lambda s: s["cost_usd"].update(total=-1.0),
        "a latency without p99": lambda s: next(iter(s["sources"].values()))["latency_ms"].pop("p99"),
        "an unknown component type": lambda s: s["components"][function].update(type="step_functions"),
        "half of the async metrics": lambda s: s["components"][function]["metrics"].update(
            AsyncEventsReceived=1) if "AsyncEventsDropped" not in s["components"][function]["metrics"]
        else s["components"][function]["metrics"].pop("AsyncEventsDropped"),
        "an unknown cost dimension": lambda s: s["cost_usd"]["by_dimension"].update({"lambda.egress": 0.0}),
        "schema 2": lambda s: s.update(schema=2),
    }
    for what, change in cases.items():
        assert broken(change) != [], what
    for what, change in {
        "a stray key in a table's stream": lambda s: s["components"]["table"]["stream"].update(shards_x=1),
        "a table's stream typed kinesis": lambda s: s["components"]["table"]["stream"].update(type="kinesis"),
        "on-demand stream with shard-hour costs": lambda s: s["components"]["clickstream"].update(
            cost_usd={"shard_hours": 0.0, "put_units": 0.0, "total": 0.0}),
        "an on-demand table with provisioned metrics": lambda s: s["components"]["table"]["metrics"].update(
            ProvisionedReadCapacityUnits={"mean": 1.0, "max": 1.0}),
    }.items():
        s = copy.deepcopy(streams)
        change(s)
        assert summary_schema_errors(s) != [], what
    # The message names where the summary went wrong.
    assert any(e.startswith(f"components.{function}.trigger") and "lag" in e
               for e in broken(cases["a stray trigger key"]))


def test_the_schema_itself_is_valid_draft_2020_12():
    schema = json.loads((REPO / "docs" / "summary.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.slow
def test_every_summary_the_cpp_tests_make_validates(tmp_path):
    """The C++ suite (built by cmake, not by pip) writes each summary it makes to
    $SLUICE_TEST_SUMMARY_DIR (tests/cpp/summary_dump.cpp); each must match the schema."""
    binary = Path(os.environ.get("SLUICE_CPP_TESTS", REPO / "build" / "default" / "tests" / "sluice_tests"))
    if not binary.exists():
        pytest.skip(f"no C++ test binary at {binary} (build it with cmake, or set SLUICE_CPP_TESTS)")
    env = {**os.environ, "SLUICE_TEST_SUMMARY_DIR": str(tmp_path)}
    done = subprocess.run([str(binary)], cwd=REPO, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-2000:]
    dumped = sorted(tmp_path.glob("summary-*.json"))
    assert len(dumped) >= 200, "the C++ tests' summaries were not written: is sluice::run wrapped?"
    for file in dumped:
        assert summary_schema_errors(json.loads(file.read_text(encoding="utf-8"))) == [], file.name
