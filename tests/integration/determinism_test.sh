#!/usr/bin/env bash
# Results must not depend on scheduling: every result file is byte-identical across
# --threads 1, 2 and 4, run twice each, and across engine batch sizes.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Writes a manifest "relative/path  sha256" of every file under a results directory.
manifest() {
  # run.json names the run id, which differs between configs by design.
  (cd "$1" && find . -type f ! -name run.json | LC_ALL=C sort | xargs -r sha256sum)
}

# run_all LABEL CONFIG PORTFOLIO...: runs CONFIG with each thread count twice, checks
# that every run wrote the full file set and that all runs agree; leaves the first
# run's manifest in $tmp/LABEL.manifest.
run_all() {
  local label=$1 cfg=$2; shift 2
  local first="" threads rep out
  mkdir -p "$tmp/$label"
  for threads in 1 2 4; do
    for rep in 1 2; do
      out=$tmp/$label/t${threads}_r$rep
      "$ADMF" run "$cfg" --out "$out" --threads "$threads" > "$out.stdout" \
        || fail "$label: run with --threads $threads exited $?"
      for p in "$@"; do
        for f in metrics.json trades.csv equity.csv positions.csv; do
          [[ -s $out/$p/$f ]] || fail "$label: missing or empty $p/$f (threads $threads)"
        done
      done
      manifest "$out" > "$out.manifest"
      if [[ -z $first ]]; then
        first=$out
        [[ $(wc -l < "$out.manifest") -eq $(( 4 * $# )) ]] \
          || fail "$label: unexpected result files: $(cut -c67- "$out.manifest" | tr '\n' ' ')"
      elif ! cmp -s "$first.manifest" "$out.manifest"; then
        diff "$first.manifest" "$out.manifest" >&2 || true
        fail "$label: results of --threads $threads (run $rep) differ from --threads 1 (run 1)"
      fi
      # The summary table rows (not the header line with the run id, nor the path)
      # must agree too.
      sed '1d;$d' "$out.stdout" > "$out.rows"
      cmp -s "$first.rows" "$out.rows" || fail "$label: summary rows differ (threads $threads)"
    done
  done
  cp "$first.manifest" "$tmp/$label.manifest"
}

# Same config with an engine section inserted after the name line.
with_engine() {
  awk -v e="$2" '{ print } /^name:/ { print e }' "$1"
}

fixtures=tests/integration/fixtures
mkdir -p "$tmp/cfg"
with_engine configs/default.yaml "engine: {batch_size: 7}" > "$tmp/cfg/default_b7.yaml"
with_engine configs/default.yaml "engine: {batch_size: 1, max_batches_in_flight: 2}" \
  > "$tmp/cfg/default_b1.yaml"
with_engine configs/default.yaml "engine: {batch_size: 100000}" > "$tmp/cfg/default_big.yaml"
grep -q 'batch_size: 7' "$tmp/cfg/default_b7.yaml" || fail "could not write the batch_size config"
grep -q 'batch_size: 7' "$fixtures/multi_symbol_batch7.yaml" || fail "fixture lost its batch size"

run_all default configs/default.yaml portfolio_sma portfolio_hold
run_all default_b7 "$tmp/cfg/default_b7.yaml" portfolio_sma portfolio_hold
run_all default_b1 "$tmp/cfg/default_b1.yaml" portfolio_sma portfolio_hold
run_all default_big "$tmp/cfg/default_big.yaml" portfolio_sma portfolio_hold
run_all multi "$fixtures/multi_symbol.yaml" portfolio_sma portfolio_hold
run_all multi_b7 "$fixtures/multi_symbol_batch7.yaml" portfolio_sma portfolio_hold

for variant in default_b7 default_b1 default_big; do
  cmp -s "$tmp/default.manifest" "$tmp/$variant.manifest" || {
    diff "$tmp/default.manifest" "$tmp/$variant.manifest" >&2 || true
    fail "$variant: batch size changed the results of configs/default.yaml"
  }
done
cmp -s "$tmp/multi.manifest" "$tmp/multi_b7.manifest" || {
  diff "$tmp/multi.manifest" "$tmp/multi_b7.manifest" >&2 || true
  fail "batch_size 7 changed the results of the multi-symbol config"
}

# The multi-symbol run really used both symbols (else it tests nothing more).
grep -q ',MSFT,' "$tmp/multi/t1_r1/portfolio_sma/trades.csv" || fail "no MSFT trades in the multi-symbol run"
grep -q ',SPX,' "$tmp/multi/t1_r1/portfolio_sma/trades.csv" || fail "no SPX trades in the multi-symbol run"
