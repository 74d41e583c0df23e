"""Writes CloudWatch Logs exports of a Lambda function, as users export them, from known
distributions: the tests of `sluice calibrate --logs` and notebook 06 read these files back and
check that the fit recovers what generated them.

Three formats (docs/aws-facts.md §1.6):

- ``text``: what ``aws logs tail GROUP`` prints (a timestamp and the log stream before each
  event), START, the function's own line, END and the tab-separated REPORT line per invocation;
- ``filter-log-events``: the JSON of ``aws logs filter-log-events`` (``events`` with
  ``logStreamName``, ``timestamp``, ``message``, ``ingestionTime``, ``eventId``, then
  ``searchedLogStreams``), indented as the AWS CLI prints it;
- ``platform.report``: the JSON log format, one record per line (``platform.start``, the
  function's JSON line, ``platform.runtimeDone``, ``platform.report``).

``malformed`` puts broken REPORT lines at chosen invocations (cut short, a value that is not a
number, a missing unit, a JSON record cut in half); the writers return the 1-based line numbers
they put them on, so tests can check each one is reported with its file and line.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

Z99 = 2.3263478740408408  # the model's lognormal: sigma = ln(p99 / median) / z(0.99)


@dataclass(frozen=True)
class Lognormal:
    median: float
    p99: float

    @property
    def sigma(self) -> float:
        return math.log(self.p99 / self.median) / Z99

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.median * np.exp(self.sigma * rng.standard_normal(n))


@dataclass
class Invocation:
    request_id: str
    start_ms: int  # epoch milliseconds
    duration_ms: float
    billed_duration_ms: int
    memory_size_mb: int
    max_memory_used_mb: int
    init_duration_ms: float | None = None
    malformed: str | None = None  # one of MALFORMED, or None


@dataclass
class Export:
    invocations: list[Invocation] = field(default_factory=list)


MALFORMED = ("cut_short", "not_a_number", "missing_unit", "cut_json")


def generate(n: int, *, duration: Lognormal, init: Lognormal, cold_share: float, memory_mb: int,
             memory_used: Lognormal, calls: Lognormal | None = None, seed: int = 1,
             malformed: dict[int, str] | None = None, start_ms: int = 1_767_225_600_000) -> Export:
    """n invocations: Duration is a draw of `duration` (plus a draw of `calls`, the latency of the
    handler's calls, when given), a cold start with probability `cold_share` adds an Init Duration
    drawn from `init`, Max Memory Used a draw of `memory_used` (whole MB, at most the memory
    size). Billed Duration is Duration plus any Init Duration rounded up to 1 ms (aws-facts §1.1).
    `malformed` maps invocation indices to one of MALFORMED."""
    rng = np.random.default_rng(seed)
    handler = duration.draw(rng, n)
    extra = calls.draw(rng, n) if calls else np.zeros(n)
    cold = rng.random(n) < cold_share
    inits = init.draw(rng, n)
    used = np.minimum(np.maximum(np.rint(memory_used.draw(rng, n)), 1), memory_mb).astype(int)
    gaps = rng.exponential(500.0, n).astype(int) + 1
    ids = rng.integers(0, 2**63, size=(n, 2))
    export = Export()
    t = start_ms
    for i in range(n):
        t += int(gaps[i])
        d = round(float(handler[i] + extra[i]), 2)
        init_ms = round(float(inits[i]), 2) if cold[i] else None
        request_id = (f"{ids[i, 0] & 0xFFFFFFFF:08x}-{(ids[i, 0] >> 32) & 0xFFFF:04x}-"
                      f"{(ids[i, 0] >> 48) & 0xFFF | 0x4000:04x}-{ids[i, 1] & 0x3FFF | 0x8000:04x}-"
                      f"{(ids[i, 1] >> 16) & 0xFFFFFFFFFFFF:012x}")
        export.invocations.append(Invocation(
            request_id=request_id, start_ms=t, duration_ms=d,
            billed_duration_ms=math.ceil(d + (init_ms or 0.0)), memory_size_mb=memory_mb,
            max_memory_used_mb=int(used[i]), init_duration_ms=init_ms,
            malformed=(malformed or {}).get(i)))
    return export


def report_line(inv: Invocation) -> str:
    """The REPORT line as Lambda writes it: tab-separated fields, a trailing tab."""
    if inv.malformed in ("cut_short", "cut_json"):
        return f"REPORT RequestId: {inv.request_id}\tDuration: {inv.duration_ms:.2f} ms\tBilled Dur"
    duration = "abc" if inv.malformed == "not_a_number" else f"{inv.duration_ms:.2f}"
    memory_unit = "" if inv.malformed == "missing_unit" else " MB"
    line = (f"REPORT RequestId: {inv.request_id}\tDuration: {duration} ms\t"
            f"Billed Duration: {inv.billed_duration_ms} ms\tMemory Size: {inv.memory_size_mb}{memory_unit}\t"
            f"Max Memory Used: {inv.max_memory_used_mb} MB\t")
    if inv.init_duration_ms is not None:
        line += f"Init Duration: {inv.init_duration_ms:.2f} ms\t"
    return line


def _iso(ms: int) -> str:
    return np.datetime_as_string(np.datetime64(ms, "ms"), unit="ms") + "Z"


def _stream(inv: Invocation) -> str:
    return "2026/01/01/[$LATEST]" + inv.request_id.replace("-", "")[:32]


def _events(inv: Invocation) -> list[tuple[int, str]]:
    """(timestamp ms, message) of one invocation, in the text log format."""
    end = inv.start_ms + math.ceil(inv.duration_ms)
    events = []
    if inv.init_duration_ms is not None:
        events.append((inv.start_ms - math.ceil(inv.init_duration_ms),
                       "INIT_START Runtime Version: python:3.12.v40\tRuntime Version ARN: "
                       "arn:aws:lambda:us-east-1::runtime:0123456789abcdef\n"))
    events += [(inv.start_ms, f"START RequestId: {inv.request_id} Version: $LATEST\n"),
               (inv.start_ms + 1, f"{_iso(inv.start_ms + 1)}\t{inv.request_id}\t[INFO]\torder accepted\n"),
               (end, f"END RequestId: {inv.request_id}\n"),
               (end, report_line(inv) + "\n")]
    return events


def write_text(path: Path, export: Export) -> list[int]:
    """`aws logs tail` output: "<timestamp> <log stream> <message>" per event. Returns the line
    numbers of the malformed REPORT lines."""
    lines, bad = [], []
    for inv in export.invocations:
        for ts, message in _events(inv):
            text = message.rstrip("\n")
            # A message of several lines (none here but the function's) stays as it was printed.
            lines.append(f"{_iso(ts)[:-1]}000+00:00 {_stream(inv)} {text}")
            if message.startswith("REPORT") and inv.malformed:
                bad.append(len(lines))
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bad


def write_filter_log_events(path: Path, export: Export, *, log_group: str | None = None) -> list[int]:
    """`aws logs filter-log-events --log-group-name GROUP` output (indent 4, as the CLI prints
    JSON). The CLI's output names no log group; `log_group` adds `logGroupName` to every event,
    as an export that merged several groups would. Returns the lines of the malformed REPORTs."""
    events, streams = [], []
    for inv in export.invocations:
        for k, (ts, message) in enumerate(_events(inv)):
            event = {"logStreamName": _stream(inv), "timestamp": ts, "message": message,
                     "ingestionTime": ts + 57, "eventId": f"{ts:d}{k:04d}{inv.start_ms % 10**8:08d}"}
            if log_group:
                event = {"logGroupName": log_group, **event}
            events.append((event, message.startswith("REPORT") and inv.malformed is not None))
        if _stream(inv) not in streams:
            streams.append(_stream(inv))
    doc = {"events": [e for e, _ in events],
           "searchedLogStreams": [{"logStreamName": s, "searchedCompletely": True} for s in streams]}
    text = json.dumps(doc, indent=4)
    Path(path).write_text(text + "\n", encoding="utf-8")
    # The line of each event's "message" key, in order.
    message_lines = [i + 1 for i, line in enumerate(text.split("\n"))
                     if line.lstrip().startswith('"message": ')]
    return [line for line, (_, is_bad) in zip(message_lines, events) if is_bad]


def platform_report(inv: Invocation) -> dict:
    metrics = {"durationMs": inv.duration_ms, "billedDurationMs": inv.billed_duration_ms,
               "memorySizeMB": inv.memory_size_mb, "maxMemoryUsedMB": inv.max_memory_used_mb}
    if inv.init_duration_ms is not None:
        metrics["initDurationMs"] = inv.init_duration_ms
    if inv.malformed == "not_a_number":
        metrics["durationMs"] = "abc"
    if inv.malformed == "missing_unit":
        del metrics["memorySizeMB"]
    end = inv.start_ms + math.ceil(inv.duration_ms)
    return {"time": _iso(end), "type": "platform.report",
            "record": {"requestId": inv.request_id, "metrics": metrics, "status": "success"}}


def write_platform_report(path: Path, export: Export) -> list[int]:
    """The JSON log format, one JSON record per line (a console download of a JSON-format log
    group). Returns the lines of the malformed platform.report records."""
    lines, bad = [], []
    for inv in export.invocations:
        end = inv.start_ms + math.ceil(inv.duration_ms)
        if inv.init_duration_ms is not None:
            lines.append(json.dumps({"time": _iso(inv.start_ms - 1), "type": "platform.initStart",
                                     "record": {"initializationType": "on-demand", "phase": "init",
                                                "runtimeVersion": "python:3.12.v40"}}))
        lines.append(json.dumps({"time": _iso(inv.start_ms), "type": "platform.start",
                                 "record": {"requestId": inv.request_id, "version": "$LATEST"}}))
        lines.append(json.dumps({"timestamp": _iso(inv.start_ms + 1), "level": "INFO",
                                 "message": "order accepted", "requestId": inv.request_id}))
        lines.append(json.dumps({"time": _iso(end), "type": "platform.runtimeDone",
                                 "record": {"requestId": inv.request_id, "status": "success",
                                            "metrics": {"durationMs": inv.duration_ms, "producedBytes": 0}}}))
        record = json.dumps(platform_report(inv), separators=(",", ":"))
        if inv.malformed in ("cut_short", "cut_json"):
            record = record[: len(record) // 2]
        lines.append(record)
        if inv.malformed:
            bad.append(len(lines))
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bad


WRITERS = {"text": write_text, "filter-log-events": write_filter_log_events,
           "platform.report": write_platform_report}
