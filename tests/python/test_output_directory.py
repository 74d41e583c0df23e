"""`sluice run --out DIR`: checked before the run (bad input, exit 2), and replaced whole, so a
reader sees one run's files or the previous run's, never a mix."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, run_cli

MODEL = str(REPO / "models" / "default.yaml")


def _run(out: Path, *extra: str, check: bool = True):
    return run_cli("run", MODEL, "--duration", "6m", "--quiet", "--out", str(out), *extra, check=check)


def test_out_is_written_then_replaced_whole_with_nothing_left_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "results"
    _run(out, "--seed", "1")
    first = json.loads((out / "summary.json").read_text())
    _run(out, "--seed", "2")
    second = json.loads((out / "summary.json").read_text())
    assert first["run"]["seed"] == 1 and second["run"]["seed"] == 2
    assert sorted(p.name for p in out.iterdir()) == ["summary.json", "timeseries.csv"]
    # No staging or previous directory is left beside it.
    assert [p.name for p in tmp_path.iterdir()] == ["results"]


def test_out_at_a_file_or_dev_null_is_bad_input_before_the_run(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("keep me")
    for out in (target, Path("/dev/null")):
        proc = _run(out, check=False)
        assert proc.returncode == 2, proc.stderr
        assert f"--out {out}: exists and is not a directory" in proc.stderr
        assert "internal error" not in proc.stderr
        assert proc.stdout == ""  # refused before the simulation: no summary
    assert target.read_text() == "keep me"


def test_out_refuses_a_directory_holding_files_sluice_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("precious")
    proc = _run(out, check=False)
    assert proc.returncode == 2
    assert "holds 'notes.txt', which sluice did not write" in proc.stderr
    assert (out / "notes.txt").read_text() == "precious"


def test_out_where_no_directory_can_be_made_is_bad_input(tmp_path: Path) -> None:
    proc = _run(Path("/proc/sluice-cannot/results"), check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: --out /proc/sluice-cannot/results: cannot create")
