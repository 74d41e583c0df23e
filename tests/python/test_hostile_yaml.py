"""Hostile and extreme model files through the Python API: each is refused at once, with the
command line's file:line:column message, before anything expands it, walks it or reads it whole
(docs/model-reference.md, "Limits of model files")."""

from __future__ import annotations

from pathlib import Path

import pytest

import sluice
from conftest import TINY_YAML, run_cli

HEAD = "sluice: 1\nsources:\n  s: {target: f, arrivals: {rate: 1/s}}\ncomponents:\n"
MODEL = HEAD + "  f: {type: lambda, steps: [{cpu: 1ms}]}\n"


def billion_laughs() -> str:
    """Ten anchors, each a list of ten aliases of the one before: the last stands for 10^9
    scalars. `description` is read by nobody, so the model used to load, and to_dict(), == and
    hash then expanded it through the effective model's JSON (gigabytes within seconds)."""
    lines = [MODEL + "description:", "  - &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"  - &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 10)]
    return "\n".join(lines) + "\n"


def cli_message(path: Path) -> str:
    """What `sluice validate` prints for the file, without 'error: ' and the line break."""
    proc = run_cli("validate", str(path), check=False)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: ")
    return proc.stderr[len("error: "):].rstrip("\n")


def refusal(load) -> str:
    with pytest.raises(sluice.ModelError) as info:
        load()
    return str(info.value)


def test_billion_laughs_is_refused_at_its_first_alias(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(billion_laughs(), encoding="utf-8")
    expected = f"{path}:8:10: '*a0' is a YAML alias; a model may not use aliases: write the value out in full"
    assert cli_message(path) == expected
    # The three ways a Model used to expand it: each now stops at loading.
    assert refusal(lambda: sluice.Model.load(path).to_dict()) == expected
    assert refusal(lambda: sluice.Model.load(path) == sluice.Model.load(path)) == expected
    assert refusal(lambda: hash(sluice.Model.load(path))) == expected
    from_text = refusal(lambda: sluice.Model.from_yaml(billion_laughs()))
    assert from_text.startswith("<yaml>:8:10: '*a0' is a YAML alias")


def test_an_alias_in_a_set_value_is_refused(tiny):
    message = refusal(lambda: tiny.set("description", "[&a [x, x], [*a, *a]]"))
    assert message.endswith(
        "description: '*a' is a YAML alias; a value may not use aliases: write the value out in full")


def test_a_file_above_4_mb_is_refused_by_its_size(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(MODEL.encode() + b"# " + b"x" * (4 * 1024 * 1024) + b"\n")
    expected = f"{path}: the model file is 4194419 bytes; a model file may hold at most 4194304 bytes (4 MB)"
    assert path.stat().st_size == 4194419
    assert cli_message(path) == expected
    assert refusal(lambda: sluice.Model.load(path)) == expected
    # At the limit, Python and the engine read it alike.
    path.write_bytes(MODEL.encode() + b"# " + b"x" * (4 * 1024 * 1024 - len(MODEL) - 3) + b"\n")
    assert path.stat().st_size == 4 * 1024 * 1024
    assert sluice.Model.load(path) == sluice.Model.from_yaml(MODEL)


def test_a_device_that_never_ends_is_read_no_further_than_the_limit():
    # Before the limit, Model.load("/dev/zero") read until memory ran out.
    assert refusal(lambda: sluice.Model.load("/dev/zero")) == (
        "/dev/zero: the model file holds more than 4194304 bytes (4 MB), the most a model file may hold")


@pytest.mark.parametrize("where, line, column", [("name", 5, 4), ("value", 6, 16)])
def test_invalid_utf8_is_a_model_error_at_its_line_and_column(tmp_path, where, line, column):
    if where == "name":
        data = HEAD.encode() + b"  f\xff: {type: lambda, steps: [{cpu: 1ms}]}\n"
    else:
        data = MODEL.encode() + b"description: ab\xffcd\n"
    path = tmp_path / "latin1.yaml"
    path.write_bytes(data)
    expected = f"{path}:{line}:{column}: invalid UTF-8 byte 0xff: the model must be UTF-8 text"
    assert cli_message(path) == expected
    # It used to be a UnicodeDecodeError from open(), without a line.
    assert refusal(lambda: sluice.Model.load(path)) == expected


@pytest.mark.parametrize("line_break", [b"\r", b"\r\n"], ids=["CR", "CRLF"])
def test_cr_and_crlf_line_endings_read_like_lf(tmp_path, line_break):
    path = tmp_path / "model.yaml"
    path.write_bytes(TINY_YAML.encode().replace(b"\n", line_break))
    model = sluice.Model.load(path)
    assert model == sluice.Model.from_yaml(TINY_YAML)
    assert model.to_dict() == sluice.Model.from_yaml(TINY_YAML).to_dict()
    # An error on line 5 says line 5, in Python as on the command line.
    bad = HEAD + "  f: {type: lambdaa, steps: [{cpu: 1ms}]}\n"
    path.write_bytes(bad.encode().replace(b"\n", line_break))
    message = refusal(lambda: sluice.Model.load(path))
    assert message.startswith(f"{path}:5:13: components.f.type: unknown component type 'lambdaa'")
    assert cli_message(path) == message


def test_nesting_deeper_than_100_levels_is_refused_where_it_goes_over(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text(MODEL + "description: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    # It used to be "YAML syntax error: bad file", at the end of the line.
    expected = f"{path}:6:113: the model nests deeper than 100 levels (lists and mappings inside each other)"
    assert cli_message(path) == expected
    assert refusal(lambda: sluice.Model.load(path)) == expected


def test_a_trace_cell_that_is_not_utf8_is_a_model_error(tmp_path):
    # The message used to quote the byte, and Python failed to decode the message itself
    # (UnicodeDecodeError instead of ModelError).
    (tmp_path / "trace.csv").write_bytes(b"time_s\n0.5\ncaf\xe9\n")
    path = tmp_path / "model.yaml"
    path.write_text(HEAD.replace("{rate: 1/s}", "{trace: {file: trace.csv}}")
                    + "  f: {type: lambda, steps: [{cpu: 1ms}]}\n", encoding="utf-8")
    expected = (f"{tmp_path / 'trace.csv'}:3:4: sources.s.arrivals.trace.file: invalid UTF-8 byte 0xe9: "
                "a trace file must be UTF-8 text")
    assert refusal(lambda: sluice.Model.load(path)) == expected
    assert cli_message(path) == expected
