"""Ctrl-C during a long run: Python gets KeyboardInterrupt soon after, nothing is returned and
nothing is written; the command line leaves its --out directory as it was.

No test here measures time. Each starts a run that would take many minutes (366 simulated
days), sends SIGINT once the engine is running, and checks how the process ended; the timeout
is only a safety net for a run that does not stop at all."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import textwrap

import pytest

from conftest import REPO, TINY_YAML, sluice_command

SAFETY_NET_S = 30  # a run that ignores SIGINT runs for many minutes
# The tiny model for 366 days (hourly buckets: a year of minutes is more than a million).
LONG_YAML = TINY_YAML.replace("run: {duration: 5m, warmup: 1m, seed: 7, bucket: 1m}",
                              "run: {duration: 366d, warmup: 1m, seed: 7, bucket: 1h}")
assert LONG_YAML != TINY_YAML

# The child prints "started" once the engine runs, so that the signal arrives then and not while
# Python code (which would handle it without the engine's help) still runs: a profile hook sees
# the call of the engine's C++ entry point, and a helper thread prints once the calling thread
# has left the hook, that is, has gone into the engine. (The hook itself must not print: Python's
# I/O checks for signals after writing, so a quick SIGINT would be handled there.)
CHILD = textwrap.dedent('''
    import signal, sys, threading, time
    # A process started in the background may inherit SIGINT ignored: take Python's handler.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    import sluice

    model = sluice.Model.from_yaml(sys.argv[1])
    engine = (sluice._core.run, sluice._core.power_tune, sluice._core.compare, sluice._core.sweep)
    caller = []  # the thread that calls the engine

    def started(frame, event, arg):
        if event == "c_call" and any(arg is f for f in engine) and not caller:
            caller.append(threading.get_ident())

    def announce():
        while not caller or sys._current_frames()[caller[0]].f_code is started.__code__:
            time.sleep(0.001)
        print("started", flush=True)

    threading.Thread(target=announce, daemon=True).start()
    call = sys.argv[2]
    sys.setprofile(started)  # a sweep too: the main thread calls the engine, which runs it on its threads
    if call == "run":
        result = sluice.run(model, duration="366d")
    elif call == "sweep":
        result = sluice.sweep(model, {"components.checkout.memory": ["512MB", "1GB"]}, replications=2,
                              duration="366d", workers=2, progress=False)
    elif call == "power_tune":
        result = sluice.power_tune(model, "checkout", [512, 1024], duration="366d")
    elif call == "compare":
        result = sluice.compare([model, model.set("components.checkout.memory", "1GB")], duration="366d")
    with open(sys.argv[3], "w") as out:
        out.write(repr(result))
''')


def _wait_for(stream, text: str, proc: subprocess.Popen) -> str:
    """Reads the child's lines until one holds `text` (the child's own progress, not a clock)."""
    seen = ""
    for line in stream:
        seen += line
        if text in line:
            return seen
    raise AssertionError(f"the child ended before '{text}' (exit {proc.wait()}): {seen}{proc.stderr.read()}")


@pytest.mark.parametrize("call", ["run", "sweep", "power_tune", "compare"])
def test_ctrl_c_stops_a_long_run_with_keyboard_interrupt(tmp_path, call):
    out = tmp_path / "result.txt"
    with subprocess.Popen([sys.executable, "-c", CHILD, LONG_YAML, call, str(out)], cwd=REPO,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            _wait_for(proc.stdout, "started", proc)
            proc.send_signal(signal.SIGINT)
            _, stderr = proc.communicate(timeout=SAFETY_NET_S)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode != 0
    assert stderr.rstrip().endswith("KeyboardInterrupt"), stderr[-2000:]
    assert not out.exists()


def test_ctrl_c_leaves_the_out_directory_of_the_command_line_as_it_was(tmp_path):
    """`sluice run model --out DIR` writes DIR only once the run is done, by swapping in a whole
    new directory: SIGINT during the run leaves the previous results in place, byte for byte,
    and nothing beside them."""
    model = tmp_path / "tiny.yaml"
    model.write_text(LONG_YAML, encoding="utf-8")
    out = tmp_path / "results"
    subprocess.run([sluice_command(), "run", str(model), "--duration", "2h", "--out", str(out), "--quiet"],
                   check=True, timeout=120)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    beside = sorted(os.listdir(tmp_path))
    assert set(before) == {"summary.json", "timeseries.csv"}

    # The progress bar is drawn on a terminal only, from inside the run: a pseudo-terminal as
    # stderr shows when the engine is running.
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sluice_command(), "run", str(model), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=follower,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    os.close(follower)
    try:
        drawn = b""
        while b"%" not in drawn:
            ready, _, _ = select.select([leader], [], [], SAFETY_NET_S)
            assert ready, f"no progress bar: {drawn!r}"
            drawn += os.read(leader, 4096)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=SAFETY_NET_S)
    finally:
        os.close(leader)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGINT
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(os.listdir(tmp_path)) == beside
