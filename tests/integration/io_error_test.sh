#!/usr/bin/env bash
# A result file that cannot be written is an I/O failure, not bad input: exit 4 and
# one line "admf: FILE: what failed: OS error" on stderr, and nothing half-written
# under a final name. The writes fail for real: the file's temporary name
# (FILE.partial) leads to /dev/full, where every write fails with ENOSPC (file
# permissions would not stop root, who runs CI).
# Usage: io_error_test.sh CASE   (run from the repo root, with $ADMF set)
set -euo pipefail
case_name=${1:?usage: io_error_test.sh CASE}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }

[[ -c /dev/full ]] || { echo "SKIP: no /dev/full"; exit 77; }

# expect_io_error FILE CMD...: CMD exits 4 with exactly the line for FILE on stderr.
expect_io_error() {
  local file=$1; shift
  local status=0
  "$@" >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
  [[ $status -eq 4 ]] || fail "exit $status, expected 4; stderr: $(cat "$tmp/stderr")"
  local want="admf: $file: write failed: No space left on device"
  # Progress lines (optimize) may come first; the error is the one line of its kind.
  local errors
  errors=$(tr '\r' '\n' <"$tmp/stderr" | grep -E '^(admf|error):' || true)
  [[ $errors == "$want" ]] || fail "stderr [$(cat "$tmp/stderr")], expected [$want]"
}

no_leftovers() {
  local left
  left=$(find "$1" \( -name '.staging-*' -o -name '*.partial' \) -print)
  [[ -z $left ]] || fail "temporary files left behind: $left"
}

case $case_name in
  run_manifest)
    # The manifest is written last and marks the run complete: without it, nothing
    # claims to be a finished run.
    out=$tmp/out
    mkdir -p "$out"
    ln -s /dev/full "$out/run.json.partial"
    expect_io_error "$out/run.json" "$ADMF" run configs/default.yaml --out "$out"
    [[ ! -e $out/run.json ]] || fail "run.json published although it was not written"
    no_leftovers "$out"
    # A rerun without the trap publishes the whole run.
    "$ADMF" run configs/default.yaml --out "$out" >/dev/null || fail "rerun exited $?"
    [[ -s $out/run.json ]] || fail "rerun wrote no run.json"
    no_leftovers "$out"
    ;;
  optimize_top_config)
    out=$tmp/optimize
    mkdir -p "$out"
    ln -s /dev/full "$out/top_1.yaml.partial"
    expect_io_error "$out/top_1.yaml" \
      "$ADMF" optimize configs/optimize_sma.yaml --out "$out" --jobs 2
    [[ ! -e $out/top_1.yaml ]] || fail "top_1.yaml published although it was not written"
    no_leftovers "$out"
    ;;
  run_recorder | run_tracer)
    # A write that fails inside an actor (a recorder's equity.csv, an interceptor's
    # trace file) ends the run with exit 4 and the file's name, never a hang: a file
    # size limit makes the writes fail with EFBIG (SIGXFSZ ignored).
    out=$tmp/out
    if [[ $case_name == run_recorder ]]; then
      limit_kb=40 # under one equity.csv (~130 KB), over everything written before it
      args=()
      want='^admf: '"$out"'/\.staging-[0-9a-f]+/portfolio_(hold|sma)/equity\.csv: write failed: File too large$'
    else
      limit_kb=400 # over every result file, under the root's debug trace (~2 MB)
      args=(--trace debug)
      want='^admf: '"$out"'/\.staging-[0-9a-f]+/[a-z_0-9/]+/events\.pb: cannot write trace file: File too large$'
    fi
    status=0
    (trap '' XFSZ; ulimit -f $limit_kb; exec timeout 120 "$ADMF" run configs/default.yaml --out "$out" "${args[@]}") \
      >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
    [[ $status -eq 4 ]] || fail "exit $status, expected 4; stderr: $(cat "$tmp/stderr")"
    line=$(cat "$tmp/stderr")
    [[ $(wc -l <"$tmp/stderr") -eq 1 && $line =~ $want ]] \
      || fail "stderr [$(cat "$tmp/stderr")], expected one line matching [$want]"
    [[ -z $(ls -A "$out") ]] || fail "something was published: $(ls -A "$out")"
    ;;
  optimize_csv)
    # optimize.csv grows past a file size limit (4 KB: the hash file and the top configs
    # stay under it, the ~10 KB table does not): the failed write is reported under the
    # table's name with exit 4 and no optimize.csv appears. A rerun without the limit
    # resumes from the rows that were whole and gives the table of an undisturbed run.
    out=$tmp/optimize
    status=0
    (trap '' XFSZ; ulimit -f 4; exec timeout 120 "$ADMF" optimize configs/optimize_sma.yaml --out "$out" --jobs 2) \
      >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
    [[ $status -eq 4 ]] || fail "exit $status, expected 4; stderr: $(cat "$tmp/stderr")"
    errors=$(tr '\r' '\n' <"$tmp/stderr" | grep -E '^(admf|error):' || true)
    [[ $errors == "admf: $out/optimize.csv: write failed: File too large" ]] \
      || fail "stderr [$(cat "$tmp/stderr")], expected the optimize.csv write failure"
    [[ ! -e $out/optimize.csv ]] || fail "optimize.csv published although it was not written"
    "$ADMF" optimize configs/optimize_sma.yaml --out "$out" --jobs 2 >"$tmp/stdout" 2>&1 \
      || fail "rerun exited $?: $(cat "$tmp/stdout")"
    grep -q '^resuming: ' "$tmp/stdout" || fail "the rerun did not resume: $(cat "$tmp/stdout")"
    "$ADMF" optimize configs/optimize_sma.yaml --out "$tmp/clean" --jobs 2 >/dev/null \
      || fail "clean run exited $?"
    cmp -s "$out/optimize.csv" "$tmp/clean/optimize.csv" \
      || fail "the resumed optimize.csv differs from an undisturbed run's"
    ;;
  run_out_under_file)
    # --out below a regular file: the staging directory cannot be made.
    : >"$tmp/afile"
    status=0
    "$ADMF" run configs/default.yaml --out "$tmp/afile/sub" >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
    [[ $status -eq 4 ]] || fail "exit $status, expected 4; stderr: $(cat "$tmp/stderr")"
    want='^admf: '"$tmp"'/afile/sub/\.staging-[0-9a-f]+: creating the staging directory failed: Not a directory$'
    line=$(cat "$tmp/stderr")
    [[ $(wc -l <"$tmp/stderr") -eq 1 && $line =~ $want ]] \
      || fail "stderr [$line], expected one line matching [$want]"
    ;;
  *)
    fail "unknown case"
    ;;
esac
echo "PASS [$case_name]"
