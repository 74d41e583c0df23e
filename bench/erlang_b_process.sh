#!/usr/bin/env bash
# sluice as a whole process against a hand-written M/M/c/c loop, on the Erlang B system of
# issue 12 (bench/models/erlang_b.yaml: c = 20, Poisson 180/s, exponential 100 ms, 6 h). Each
# side runs `reps` times, alternately; the best wall time of each is kept (the least disturbed by
# other work on the machine). Requests per second = arrivals / wall seconds of the whole process
# (sluice: loading, the run and writing summary.json and timeseries.csv).
#
#   bench/erlang_b_process.sh [sluice binary] [reps]     (defaults: build/release/sluice, 3)
#
# Prints both sides, the ratio (sluice / hand loop) and the load average. Release preset only.
set -euo pipefail
cd "$(dirname "$0")/.."
sluice=${1:-build/release/sluice}
reps=${2:-3}
hand=build/release/bench/mmcc_handloop
model=bench/models/erlang_b.yaml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

wall() {  # wall seconds of a command, by bash's clock
  local start end
  start=$(date +%s.%N)
  "$@" >"$out/stdout" 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
best_s=999999 best_h=999999
for ((i = 0; i < reps; i++)); do
  s=$(wall "$sluice" run "$model" --quiet --out "$out/run")
  h=$(wall "$hand" 20 180 0.1 21600 1)
  printf 'run %d: sluice %.3f s, hand loop %.3f s\n' "$i" "$s" "$h"
  best_s=$(echo "if ($s < $best_s) $s else $best_s" | bc -l)
  best_h=$(echo "if ($h < $best_h) $h else $best_h" | bc -l)
done
sluice_arrivals=$(python3 -c "import json,sys; print(json.load(open('$out/run/summary.json'))['sources']['clients']['requests'])" 2>/dev/null ||
  grep -o '"requests": [0-9]*' "$out/run/summary.json" | head -1 | grep -o '[0-9]*')
"$hand" 20 180 0.1 21600 1 >"$out/hand.txt"
hand_arrivals=$(awk '{print $2}' "$out/hand.txt")
events=$(grep -o '"events": [0-9]*' "$out/run/summary.json" | head -1 | grep -o '[0-9]*')
sr=$(echo "$sluice_arrivals / $best_s" | bc -l)
hr=$(echo "$hand_arrivals / $best_h" | bc -l)
printf 'sluice:    %s arrivals, %s events, best %.3f s, %.0f req/s\n' "$sluice_arrivals" "$events" "$best_s" "$sr"
printf 'hand loop: %s arrivals (%s), best %.3f s, %.0f req/s\n' "$hand_arrivals" "$(cut -d' ' -f3- "$out/hand.txt")" "$best_h" "$hr"
printf 'ratio sluice / hand loop: %.3fx (best of %d, alternated)\n' "$(echo "$sr / $hr" | bc -l)" "$reps"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
