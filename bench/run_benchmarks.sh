#!/usr/bin/env bash
# Builds the benchmarks with the release preset and runs every one of them, each as its own
# process (so each peak RSS belongs to one run), printing the machine first. BENCHMARKS.md says
# what each one measures and quotes the figures.
#
#   bench/run_benchmarks.sh [--no-build] [MODEL]     (MODEL defaults to models/default.yaml)
#
# To keep the output: bench/run_benchmarks.sh 2>&1 | tee bench-$(date +%F).txt
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
if [[ "${1:-}" == "--no-build" ]]; then
  build=0
  shift
fi
model="${1:-models/default.yaml}"
bin=build/release/bench

section() { printf '\n=== %s\n' "$*"; }

cpu_model() {
  if command -v lscpu >/dev/null 2>&1 && lscpu | grep -q '^Model name'; then
    lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1
  else
    sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -1
  fi
}

section "machine"
echo "date:         $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "uname -m:     $(uname -m)"
echo "kernel:       $(uname -sr)"
echo "CPU model:    $(cpu_model)"
echo "cores:        $(nproc) online"
if command -v lscpu >/dev/null 2>&1; then
  echo "caches:       $(lscpu | sed -n 's/^\(L[123][di]*\) cache:[[:space:]]*/\1 /p' | paste -sd, - | sed 's/,/, /g')"
  echo "hypervisor:   $(lscpu | sed -n 's/^Hypervisor vendor:[[:space:]]*//p' | head -1)"
fi
echo "compiler:     $(${CXX:-c++} --version 2>/dev/null | head -1 || echo unknown)"
echo "commit:       $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)   (other work on the machine slows every figure)"

if [[ $build == 1 ]]; then
  section "build (release preset)"
  cmake --preset release >/dev/null
  cmake --build --preset release --target calendar_hold mmcc_vs_handloop default_model queued_message_memory
fi

# /usr/bin/time -v, when installed, cross-checks the peak RSS the program reports itself.
timed() {
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f '  /usr/bin/time: max RSS %M KB, elapsed %e s, user %U s, sys %S s' "$@"
  else
    "$@"
  fi
}

section "calendar_hold (event calendar vs std::priority_queue, hold model)"
timed "$bin/calendar_hold"

section "mmcc_vs_handloop (sluice vs a hand-written M/M/c/c loop)"
timed "$bin/mmcc_vs_handloop"

section "default_model $model, 1h"
timed "$bin/default_model" "$model" 1h

section "default_model $model, 24h"
timed "$bin/default_model" "$model" 24h

section "default_model models/compare/sqs-lambda.yaml, 1h (messaging)"
timed "$bin/default_model" models/compare/sqs-lambda.yaml 1h

section "default_model models/compare/kinesis-lambda.yaml, 1h (messaging)"
timed "$bin/default_model" models/compare/kinesis-lambda.yaml 1h

section "default_model models/compare/sns-lambda.yaml, 1h (messaging)"
timed "$bin/default_model" models/compare/sns-lambda.yaml 1h

section "queued_message_memory (10 million messages waiting in one queue)"
timed "$bin/queued_message_memory" 10000000
