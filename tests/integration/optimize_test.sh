#!/usr/bin/env bash
# admf optimize on configs/optimize_sma.yaml: optimize.csv is byte-identical whatever
# --jobs, every top_K.yaml reproduces its row's metrics with `admf run`, reruns skip or
# resume what is done, and bad optimization sections are one-line errors (exit 2).
# Usage: optimize_test.sh CASE   (run from the repo root, with $ADMF and $PYTHON set)
set -euo pipefail
case_name=${1:?usage: optimize_test.sh CASE}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }

cfg=configs/optimize_sma.yaml
jobs=42  # 5 x 9 combinations, of which 3 have fast >= slow

# optimize OUT [ARGS...]: runs the sweep into OUT, stdout to OUT.stdout, stderr to OUT.stderr.
optimize() {
  local out=$1; shift
  "$ADMF" optimize "$cfg" --out "$out" "$@" > "$out.stdout" 2> "$out.stderr" \
    || fail "admf optimize $* exited $?: $(cat "$out.stderr")"
}

# The ranked table of a run's stdout: what must not depend on --jobs or resuming.
table() { grep -v -e '^ran ' -e '^results: ' -e 'already done' "$1.stdout"; }

case $case_name in
  jobs_identical)
    optimize "$tmp/j1" --jobs 1
    optimize "$tmp/j2" --jobs 2
    [[ $(wc -l < "$tmp/j1/optimize.csv") -eq $((jobs + 1)) ]] || fail "expected $jobs rows"
    grep -q "skipped: 3 invalid combinations" "$tmp/j1.stdout" || fail "no skipped count"
    cmp "$tmp/j1/optimize.csv" "$tmp/j2/optimize.csv" || fail "optimize.csv differs between --jobs 1 and 2"
    for k in 1 2 3 4 5; do
      cmp "$tmp/j1/top_$k.yaml" "$tmp/j2/top_$k.yaml" || fail "top_$k.yaml differs"
    done
    [[ ! -e $tmp/j1/top_6.yaml ]] || fail "more top configs than top: 5"
    [[ "$(table "$tmp/j1")" == "$(table "$tmp/j2")" ]] || fail "ranked tables differ"
    [[ -z $(find "$tmp/j1" -name '*.partial') ]] || fail "a .partial file was left behind"
    ;;

  top_configs_match)
    optimize "$tmp/o" --top 3
    [[ -e $tmp/o/top_3.yaml && ! -e $tmp/o/top_4.yaml ]] || fail "--top 3 did not write 3 configs"
    ! grep -q optimization "$tmp/o/top_1.yaml" || fail "top_1.yaml kept the optimization section"
    for k in 1 2 3; do
      "$ADMF" run "$tmp/o/top_$k.yaml" --out "$tmp/run_$k" > /dev/null \
        || fail "admf run top_$k.yaml exited $?"
    done
    "$PYTHON" - "$tmp" <<'PY' || fail "top configs do not reproduce their rows"
import csv, json, re, sys
tmp = sys.argv[1]
with open(f"{tmp}/o/optimize.csv") as f:
    reader = csv.DictReader(f)
    header = reader.fieldnames
    rows = {r["job"]: r for r in reader}
best = max(float(r["sharpe"]) for r in rows.values() if r["sharpe"])
previous = None
for k in (1, 2, 3):
    with open(f"{tmp}/o/top_{k}.yaml") as f:
        text = f.read()
    job = re.search(r"job (\d+)", text.splitlines()[0]).group(1)
    row = rows[job]
    fast, slow = re.search(r"fast: (\d+), slow: (\d+)", text).groups()
    assert (fast, slow) == (row["sma_1.fast"], row["sma_1.slow"]), (k, fast, slow, row)
    with open(f"{tmp}/run_{k}/portfolio_sma/metrics.json") as f:
        metrics = json.load(f)
    assert header[3:] == list(metrics), ("columns are not metrics.json's keys", header)
    for key, value in metrics.items():
        cell = row[key]
        if value is None or isinstance(value, (bool, str)):  # bool before int: it is one
            same = cell == ("" if value is None else str(value).lower() if isinstance(value, bool)
                            else value)
        else:
            same = float(cell) == value
        assert same, (k, key, cell, value)
    sharpe = float(row["sharpe"])
    assert k != 1 or sharpe == best, ("top_1 is not the best sharpe", sharpe, best)
    assert previous is None or sharpe <= previous, ("not ranked by sharpe", k)
    previous = sharpe
PY
    ;;

  rerun_resumes)
    optimize "$tmp/o" --jobs 2
    cp "$tmp/o/optimize.csv" "$tmp/full.csv"
    optimize "$tmp/o" --jobs 2
    grep -q "all $jobs jobs already done" "$tmp/o.stdout" || fail "the rerun did not say it skipped all jobs"
    ! grep -q '^ran ' "$tmp/o.stdout" || fail "the rerun ran jobs"
    cmp "$tmp/full.csv" "$tmp/o/optimize.csv" || fail "the rerun changed optimize.csv"

    # An interrupted run: 10 rows and a torn 11th line in the .partial file.
    { head -n 11 "$tmp/full.csv"; sed -n 12p "$tmp/full.csv" | head -c 15; } > "$tmp/o/optimize.csv.partial"
    rm "$tmp/o/optimize.csv"
    optimize "$tmp/o" --jobs 2
    grep -q "resuming: 10 of $jobs jobs already done" "$tmp/o.stdout" || fail "did not resume: $(cat "$tmp/o.stdout")"
    grep -q "^ran $((jobs - 10)) jobs" "$tmp/o.stdout" || fail "did not run the remaining jobs"
    cmp "$tmp/full.csv" "$tmp/o/optimize.csv" || fail "the resumed optimize.csv differs"

    # Another grid in the same directory starts over.
    sed 's/fast: \[5, 10, 15, 20, 30\]/fast: [5, 10]/' "$cfg" > "$tmp/other.yaml"
    "$ADMF" optimize "$tmp/other.yaml" --out "$tmp/o" > "$tmp/other.stdout" 2> /dev/null \
      || fail "the other grid exited $?"
    grep -q '^ran 18 jobs' "$tmp/other.stdout" || fail "another grid reused rows: $(cat "$tmp/other.stdout")"
    [[ $(wc -l < "$tmp/o/optimize.csv") -eq 19 ]] || fail "another grid kept old rows"
    ;;

  bad_*)
    # Each case replaces the config's optimization section (line 25 on) with its own.
    case $case_name in
      bad_metric) section=$'  metric: sharp\n  parameters: {sma_1: {fast: [5]}}'
        where=":25: optimization.metric: unknown metric 'sharp'" ;;
      bad_unknown_strategy) section=$'  metric: sharpe\n  parameters:\n    sma_9: {fast: [5]}'
        where=":27: optimization.parameters.sma_9: unknown strategy id" ;;
      bad_unknown_param) section=$'  metric: sharpe\n  parameters:\n    sma_1:\n      fsat: [5]'
        where=":28: optimization.parameters.sma_1.fsat: strategy 'sma_1' sets no parameter 'fsat'" ;;
      bad_range) section=$'  metric: sharpe\n  parameters:\n    sma_1:\n      slow: {from: 50, to: 20, step: 10}'
        where=":28: optimization.parameters.sma_1.slow: 'to' must be >= 'from'" ;;
      bad_too_many_samples) section=$'  metric: sharpe\n  samples: 10\n  parameters: {sma_1: {fast: [5, 6]}}'
        where=":26: optimization.samples: asks for 10 combinations, the grid has 2" ;;
      bad_all_invalid) section=$'  metric: sharpe\n  parameters: {sma_1: {fast: [40, 50]}}'
        where=":25: optimization: every combination is invalid" ;;
      bad_no_section) section=""
        where=": optimization: missing section" ;;
      *) fail "unknown case" ;;
    esac
    { sed '/^optimization:/,$d' "$cfg"; [[ -z $section ]] || printf 'optimization:\n%s\n' "$section"; } \
      > "$tmp/bad.yaml"
    [[ -z $section ]] || [[ $(grep -n '^optimization:' "$tmp/bad.yaml" | cut -d: -f1) == 24 ]] \
      || fail "the optimization section moved: fix the line numbers"
    set +e
    "$ADMF" optimize "$tmp/bad.yaml" --out "$tmp/out" > "$tmp/stdout" 2> "$tmp/stderr"
    rc=$?
    set -e
    [[ $rc -eq 2 ]] || fail "exit $rc, expected 2"
    [[ $(wc -l < "$tmp/stderr") -eq 1 ]] || fail "expected one line on stderr, got: $(cat "$tmp/stderr")"
    grep -qF "error: $tmp/bad.yaml$where" "$tmp/stderr" || fail "expected '$where', got: $(cat "$tmp/stderr")"
    [[ ! -e $tmp/out ]] || fail "results were written"
    ;;

  *) fail "unknown case" ;;
esac
