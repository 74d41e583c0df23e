#!/usr/bin/env bash
# Runs the real sluice command over the model corpora. Usage: tests/bad_models.sh path/to/sluice
# (run from the repository root; ctest does that).
#
# bad models (tests/data/bad/*.yaml): `sluice validate` must exit with exactly 2, print nothing on
#   stdout, and print on stderr the fragment from the file's first line ("# expect: ...") with no
#   sign of a crash (internal error, std::terminate, a sanitizer report). Lines "# set: k=v"
#   right after the first are passed as --set overrides.
# good models (models/*.yaml): `sluice validate` must exit with 0.
#
# Prints one line per failure and exits non-zero if any check failed.
set -u

sluice=${1:?usage: $0 path/to/sluice}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2

failures=0
fail() {
  echo "FAIL $1: $2"
  failures=$((failures + 1))
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- bad models --------------------------------------------------------------
bad_count=0
for model in tests/data/bad/*.yaml; do
  bad_count=$((bad_count + 1))
  first=$(head -n 1 "$model")
  if [[ $first != "# expect: "* ]]; then
    fail "$model" "first line is not '# expect: <fragment>'"
    continue
  fi
  expect=${first#"# expect: "}
  args=(validate "$model")
  while IFS= read -r line; do
    [[ $line == "# set: "* ]] || break
    args+=(--set "${line#"# set: "}")
  done < <(tail -n +2 "$model")

  "$sluice" "${args[@]}" >"$work/out" 2>"$work/err"
  code=$?
  err=$(cat "$work/err")
  if [[ $code -ne 2 ]]; then
    fail "$model" "exit code $code, expected 2 (stderr: ${err:0:300})"
    continue
  fi
  [[ -s $work/out ]] && fail "$model" "printed on stdout: $(head -c 200 "$work/out")"
  [[ $err == *"$expect"* ]] || fail "$model" "stderr lacks '$expect'; got: ${err:0:400}"
  [[ $err == "error: "* ]] || fail "$model" "stderr does not start with 'error: ': ${err:0:200}"
  for sign in "internal error" "terminate called" "Sanitizer" "runtime error:" "Segmentation fault" "Aborted"; do
    [[ $err == *"$sign"* ]] && fail "$model" "stderr shows '$sign': ${err:0:300}"
  done
done
if [[ $bad_count -lt 40 ]]; then
  fail tests/data/bad "only $bad_count malformed models; the corpus must have at least 40"
fi

# --- good models -------------------------------------------------------------
good_count=0
for model in models/*.yaml; do
  [[ -e $model ]] || continue
  good_count=$((good_count + 1))
  "$sluice" validate "$model" >"$work/out" 2>"$work/err"
  code=$?
  [[ $code -eq 0 ]] || fail "$model" "good model: exit code $code, expected 0 (stderr: $(head -c 300 "$work/err"))"
done

echo "bad models: $bad_count checked; good models: $good_count checked; failures: $failures"
[[ $failures -eq 0 ]]
