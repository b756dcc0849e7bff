#!/usr/bin/env bash
# A version-1 plugin still loads and gives the shipped plugin's results byte for byte:
# the same config runs the shipped (version-2) build of STRATEGY, then its version-1
# build (tests/plugins/CMakeLists.txt: the same sources against the frozen v1 header).
# Usage: plugin_v1_compat_test.sh STRATEGY   (repo root; $ADMF and $TEST_PLUGINS set)
set -euo pipefail
strategy=${1:?usage: plugin_v1_compat_test.sh STRATEGY}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL [$strategy]: $*" >&2; exit 1; }
source tests/integration/compare_runs.sh

case $strategy in  # a shipped config running it, the portfolio, how it names the plugin
  sma_crossover) config=configs/default.yaml portfolio=portfolio_sma named="type: sma_crossover" ;;
  pairs) config=configs/pairs.yaml portfolio=portfolio_pairs named="plugin: pairs" ;;
  *) fail "unknown strategy" ;;
esac
sed "s#$named#plugin: $TEST_PLUGINS/v1_$strategy.so#" "$config" > "$tmp/v1.yaml"
grep -q "v1_$strategy.so" "$tmp/v1.yaml" || fail "$config has no '$named' to replace"
run "$config" "$tmp/v2" 1
run "$tmp/v1.yaml" "$tmp/v1" 1
# Identical empty results would prove nothing about the signals crossing the ABI.
[[ $(wc -l < "$tmp/v2/$portfolio/trades.csv") -gt 1 ]] || fail "no trades to compare"
same_files "$tmp/v2/$portfolio" "$tmp/v1/$portfolio" "version 1 against version 2"
