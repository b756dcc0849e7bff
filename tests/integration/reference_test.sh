#!/usr/bin/env bash
# The real CLI on real data must equal an independent Python backtest, number by number.
set -euo pipefail
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$ADMF" run configs/default.yaml --out "$out/default" >/dev/null
"$PYTHON" tests/reference/check_run.py --csv data/sp500_2000_daily_ohlcv.csv \
  --strategy sma_crossover --fast 10 --slow 30 --capital 100000 --results "$out/default/portfolio_sma"
"$PYTHON" tests/reference/check_run.py --csv data/sp500_2000_daily_ohlcv.csv \
  --strategy buy_and_hold --capital 100000 --results "$out/default/portfolio_hold"

# A risk-free rate for the run, and portfolio_hold counting 365 periods a year: its
# metrics: refines the top-level one key by key, so it keeps the rate.
sed -e 's/^metrics: .*/metrics: {periods_per_year: 252, risk_free_rate: 0.03}/' \
  -e '/id: portfolio_hold/,/initial_capital/ s/^\(    initial_capital: .*\)$/\1\n    metrics: {periods_per_year: 365}/' \
  configs/default.yaml >"$out/rf.yaml"
"$ADMF" run "$out/rf.yaml" --out "$out/rf" >/dev/null
"$PYTHON" tests/reference/check_run.py --csv data/sp500_2000_daily_ohlcv.csv \
  --strategy sma_crossover --fast 10 --slow 30 --capital 100000 \
  --risk-free-rate 0.03 --results "$out/rf/portfolio_sma"
"$PYTHON" tests/reference/check_run.py --csv data/sp500_2000_daily_ohlcv.csv \
  --strategy buy_and_hold --capital 100000 --periods-per-year 365 \
  --risk-free-rate 0.03 --results "$out/rf/portfolio_hold"
