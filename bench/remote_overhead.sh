#!/usr/bin/env bash
# Per-job overhead of remote dispatch for short jobs: the same sweep of N tiny
# backtests (sma_crossover on the first 100 rows of the S&P 500 file) run by
# `admf optimize --jobs 1` here and by `admf optimize --workers` on one loopback
# `admf worker --jobs 1`. Prints one JSON object; the times are the sweeps' own
# "ran N jobs in X s" (process start-up and planning excluded), medians of --repeats.
#
# Usage: bench/remote_overhead.sh [--admf PATH] [--jobs-total N] [--repeats R]
#   (run from the repo root; PATH defaults to $ADMF, else build/admf)
set -euo pipefail
admf=${ADMF:-build/admf}
jobs=400
repeats=3
while [[ $# -gt 0 ]]; do
  case $1 in
    --admf) admf=$2; shift 2 ;;
    --jobs-total) jobs=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    *) echo "usage: $0 [--admf PATH] [--jobs-total N] [--repeats R]" >&2; exit 2 ;;
  esac
done
[[ -x $admf ]] || { echo "error: $admf: not an executable (pass --admf PATH)" >&2; exit 2; }
[[ $jobs =~ ^[0-9]+$ && $jobs -ge 20 && $repeats =~ ^[0-9]+$ && $repeats -ge 1 ]] \
  || { echo "error: --jobs-total must be >= 20, --repeats >= 1" >&2; exit 2; }

tmp=$(mktemp -d)
worker_pid=
cleanup() {
  if [[ -n $worker_pid ]]; then kill "$worker_pid" 2>/dev/null; wait "$worker_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# 20 fast values x ceil(N / 20) slow values, every fast < slow: no combination is skipped.
head -n 101 data/sp500_2000_daily_ohlcv.csv > "$tmp/data.csv"
slow_to=$((30 + (jobs + 19) / 20 - 1))
cat > "$tmp/bench.yaml" <<EOF
name: remote_bench
data: {csv: $tmp/data.csv, symbol: SPX}
supervision: {on_failure: stop_portfolio}
metrics: {periods_per_year: 252}
portfolios:
  - id: portfolio_sma
    initial_capital: 100000
    strategies:
      - {id: sma_1, type: sma_crossover, params: {fast: 10, slow: 30}}
optimization:
  metric: sharpe
  parameters:
    sma_1:
      fast: {from: 2, to: 21, step: 1}
      slow: {from: 30, to: $slow_to, step: 1}
EOF

"$admf" worker --listen 127.0.0.1:0 --jobs 1 > "$tmp/worker.out" 2> "$tmp/worker.err" &
worker_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/worker.out")
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || { echo "error: the worker printed no port: $(cat "$tmp/worker.err")" >&2; exit 1; }

# sweep NAME ARGS...: one sweep into a fresh directory; prints "JOBS SECONDS".
sweep() {
  local out=$tmp/$1; shift
  timeout 600 "$admf" optimize "$tmp/bench.yaml" --out "$out" "$@" > "$out.stdout" 2> "$out.stderr" \
    || { echo "error: admf optimize $* exited $?: $(tail -3 "$out.stderr")" >&2; exit 1; }
  sed -n 's/^ran \([0-9]*\) jobs in \([0-9.]*\) s on .*/\1 \2/p' "$out.stdout"
}

local_runs=() remote_runs=() ran=
for r in $(seq "$repeats"); do
  read -r ran t < <(sweep "local$r" --jobs 1); local_runs+=("$t")
  read -r n t < <(sweep "remote$r" --workers "127.0.0.1:$port"); remote_runs+=("$t")
  [[ $n == "$ran" ]] || { echo "error: $ran jobs here, $n remotely" >&2; exit 1; }
  cmp -s "$tmp/local$r/optimize.csv" "$tmp/remote$r/optimize.csv" \
    || { echo "error: optimize.csv differs between here and the worker" >&2; exit 1; }
done

python3 - "$ran" "${local_runs[*]}" "${remote_runs[*]}" <<'EOF'
import json, statistics, sys
jobs = int(sys.argv[1])
local = [float(x) for x in sys.argv[2].split()]
remote = [float(x) for x in sys.argv[3].split()]
lm, rm = statistics.median(local), statistics.median(remote)
print(json.dumps({
    "jobs": jobs,
    "repeats": len(local),
    "local_seconds": lm,
    "remote_seconds": rm,
    "local_ms_per_job": round(lm / jobs * 1000, 4),
    "remote_ms_per_job": round(rm / jobs * 1000, 4),
    "overhead_ms_per_job": round((rm - lm) / jobs * 1000, 4),
    "local_seconds_runs": local,
    "remote_seconds_runs": remote,
}, indent=2))
EOF
