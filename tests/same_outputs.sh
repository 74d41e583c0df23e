#!/usr/bin/env bash
# Proves a refactoring changed no result: runs every model in models/ and tests/data/good with two
# sluice binaries (before and after) and compares summary.json and timeseries.csv byte for byte.
# Usage: tests/same_outputs.sh path/to/sluice-before path/to/sluice-after [--ignore-events]
#   --ignore-events: run.events may differ (a change that schedules fewer events for the same
#   results, e.g. one keep-alive timer per environment); every other byte must match.
# Each model runs for its own run.duration, with its own seed. Prints one line per model and
# exits non-zero if any output differs.
set -u
before=${1:?usage: $0 sluice-before sluice-after [--ignore-events]}
after=${2:?usage: $0 sluice-before sluice-after [--ignore-events]}
ignore_events=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

differ=0
for model in $(find models tests/data/good -name '*.yaml' | sort); do
  id=${model//\//_}
  for side in before after; do
    bin=$before
    [ "$side" = after ] && bin=$after
    if ! "$bin" run "$model" --quiet --out "$work/$side/$id" 2>"$work/$side-$id.err"; then
      echo "RUN FAILED ($side) $model: $(head -c 300 "$work/$side-$id.err")"
      differ=1
      continue 2
    fi
    if [ "$ignore_events" = --ignore-events ]; then
      sed -i -E 's/"events": [0-9]+/"events": 0/' "$work/$side/$id/summary.json"
    fi
  done
  if diff -q "$work/before/$id/summary.json" "$work/after/$id/summary.json" >/dev/null &&
    diff -q "$work/before/$id/timeseries.csv" "$work/after/$id/timeseries.csv" >/dev/null; then
    echo "same     $model ($(sha256sum <"$work/after/$id/summary.json" | head -c 12), $(wc -l <"$work/after/$id/timeseries.csv") series rows)"
  else
    echo "DIFFERENT $model"
    diff "$work/before/$id/summary.json" "$work/after/$id/summary.json" | head -20
    differ=1
  fi
done
exit $differ
