#!/usr/bin/env bash
# How sluice's speed and memory scale (BENCHMARKS.md, "Scaling"): events per second and peak RSS
# of whole `sluice run` processes against the simulated duration, the arrival rate (10 to
# 10,000/s) and the number of components. Best of `reps` runs by wall time (the peak RSS is the
# same run's). Release preset only.
#
#   bench/scaling.sh [sluice binary] [reps] [sections]
#   (defaults: build/release/sluice, 3, "duration rate components")
set -euo pipefail
cd "$(dirname "$0")/.."
sluice=${1:-build/release/sluice}
reps=${2:-3}
sections=${3:-duration rate components}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One line: the case, events, best wall s, events/s, ns/event, peak RSS of that run.
measure() {
  local label=$1
  shift
  local best=999999 rss=0 events=0
  for ((i = 0; i < reps; i++)); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$sluice" run "$@" --quiet --out "$work/out" >/dev/null
    read -r t m <"$work/time"
    if (($(echo "$t < $best" | bc -l))); then best=$t rss=$m; fi
  done
  events=$(grep -o '"events": [0-9]*' "$work/out/summary.json" | head -1 | grep -o '[0-9]*')
  awk -v l="$label" -v e="$events" -v t="$best" -v m="$rss" 'BEGIN {
    printf "%-34s %12d events %8.2f s %7.2f M events/s %6.0f ns/event %8.1f MB\n", l, e, t, e / t / 1e6, t * 1e9 / e, m / 1024 }'
}

# n/2 sources, each driving its own function, which sends to its own SQS queue (BENCHMARKS.md).
components_model() {
  local n=$1
  python3 - "$n" "$work/big$n.yaml" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
lines = ["sluice: 1", "name: big", "run: {duration: 2m, warmup: 10s}", "sources:"]
lines += [f"  s{i}: {{target: f{i}, arrivals: {{rate: 1/s}}}}" for i in range(n // 2)]
lines.append("components:")
for i in range(n // 2):
    lines += [f"  f{i}: {{type: lambda, memory: 128MB, steps: [{{io: 10ms}}, {{send: q{i}}}]}}", f"  q{i}: {{type: sqs}}"]
open(path, "w").write("\n".join(lines) + "\n")
PY
  echo "$work/big$n.yaml"
}

if [[ $sections == *duration* ]]; then
  echo "== simulated duration (models/default.yaml, 50/s)"
  for d in 1h 6h 24h; do measure "duration $d" models/default.yaml --duration "$d"; done
fi
if [[ $sections == *rate* ]]; then
  echo "== arrival rate (models/default.yaml, 1 h)"
  for r in 10 100 1000 10000; do measure "rate $r/s" models/default.yaml --set "sources.shoppers.arrivals.rate=$r/s"; done
fi
if [[ $sections == *components* ]]; then
  echo "== components (n/2 sources at 1/s -> function -> SQS queue, 2 min)"
  for n in 20 200 2000 8000; do measure "components $n" "$(components_model "$n")"; done
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
