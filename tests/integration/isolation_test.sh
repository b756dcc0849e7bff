#!/usr/bin/env bash
# Portfolios sharing a data feed must not see each other's signals or fills: each
# portfolio's files from a joint run equal those of its solo run, byte for byte.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

fx=tests/integration/fixtures
source tests/integration/compare_runs.sh

# strategy ids listed in a trades.csv (column named "strategy"), one per line, unique
strategy_ids() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "strategy") c = i; next }
           { print $c }' "$1" | sort -u
}

run "$fx/isolation_a.yaml" "$tmp/solo_a" 2
run "$fx/isolation_b.yaml" "$tmp/solo_b" 2
for threads in 1 2 4; do
  run "$fx/isolation_joint.yaml" "$tmp/joint_t$threads" "$threads"
  same_files "$tmp/joint_t$threads/portfolio_a" "$tmp/solo_a/portfolio_a" "portfolio A, joint (threads $threads) vs solo"
  same_files "$tmp/joint_t$threads/portfolio_b" "$tmp/solo_b/portfolio_b" "portfolio B, joint (threads $threads) vs solo"
done

# The solo runs must really differ, or the comparison above proves nothing.
if cmp -s "$tmp/solo_a/portfolio_a/trades.csv" "$tmp/solo_b/portfolio_b/trades.csv"; then
  fail "A and B trade identically: the fixture does not tell them apart"
fi

# Each trades.csv lists only its own strategy.
a_ids=$(strategy_ids "$tmp/joint_t2/portfolio_a/trades.csv")
b_ids=$(strategy_ids "$tmp/joint_t2/portfolio_b/trades.csv")
[[ $a_ids == strat_a ]] || fail "portfolio_a trades list strategies: $(echo $a_ids)"
[[ $b_ids == strat_b ]] || fail "portfolio_b trades list strategies: $(echo $b_ids)"

# Portfolio order in the config does not matter either.
awk '/^  - id: portfolio_a/ { a = 1 } /^  - id: portfolio_b/ { a = 0; b = 1 }
     !a && !b { print; next } a { A = A $0 "\n" } b { B = B $0 "\n" }
     END { printf "%s%s", B, A }' "$fx/isolation_joint.yaml" > "$tmp/reversed.yaml"
[[ $(grep -n 'id: portfolio_' "$tmp/reversed.yaml" | head -1) == *portfolio_b* ]] \
  || fail "could not write the reversed config"
run "$tmp/reversed.yaml" "$tmp/reversed" 2
same_files "$tmp/reversed/portfolio_a" "$tmp/solo_a/portfolio_a" "portfolio A, reversed order vs solo"
same_files "$tmp/reversed/portfolio_b" "$tmp/solo_b/portfolio_b" "portfolio B, reversed order vs solo"

# Twins: two portfolios with identical strategies (different ids) next to B. Each twin
# gets A's solo results, only the strategy id in trades.csv differing.
cat > "$tmp/twins.yaml" <<YAML
$(sed -n '/^data:/,/^portfolios:/p' "$fx/isolation_joint.yaml")
  - id: portfolio_a
    initial_capital: 100000
    strategies:
      - {id: strat_a, type: sma_crossover, params: {fast: 10, slow: 30}}
  - id: twin
    initial_capital: 100000
    strategies:
      - {id: strat_twin, type: sma_crossover, params: {fast: 10, slow: 30}}
  - id: portfolio_b
    initial_capital: 50000
    strategies:
      - {id: strat_b, type: sma_crossover, params: {fast: 20, slow: 50}}
YAML
run "$tmp/twins.yaml" "$tmp/twins" 4
same_files "$tmp/twins/portfolio_a" "$tmp/solo_a/portfolio_a" "portfolio A next to its twin vs solo"
same_files "$tmp/twins/portfolio_b" "$tmp/solo_b/portfolio_b" "portfolio B next to twins vs solo"
mkdir -p "$tmp/twin_renamed"
cp "$tmp/twins/twin/metrics.json" "$tmp/twins/twin/equity.csv" "$tmp/twin_renamed/"
for f in trades.csv positions.csv; do
  sed 's/^strat_twin,/strat_a,/; s/,strat_twin,/,strat_a,/' "$tmp/twins/twin/$f" > "$tmp/twin_renamed/$f"
done
same_files "$tmp/twin_renamed" "$tmp/solo_a/portfolio_a" "twin (ids renamed) vs A solo"
[[ $(strategy_ids "$tmp/twins/twin/trades.csv") == strat_twin ]] \
  || fail "twin trades list strategies: $(strategy_ids "$tmp/twins/twin/trades.csv" | tr '\n' ' ')"
