#!/usr/bin/env bash
# Runs the bench programs of a build (it builds nothing) and prints every figure as one
# JSON object: each program's own JSON under its name, plus `derived`, the issue 13
# targets computed from them. Programs not built are null (and named on stderr); one
# that fails is null too, and the script exits 1 after printing the rest.
#   bench/run_all.sh [--build DIR] [--quick] [--only NAME,NAME]
# --build: the build directory (default build); --quick: small inputs, seconds in all
# (the regression gate's); --only: some of pipeline, scaling, data_load, data_cache,
# trace_memory, sweep.
set -euo pipefail

build=build quick=0 only=pipeline,scaling,data_load,data_cache,trace_memory,sweep
while [[ $# -gt 0 ]]; do
  case $1 in
    --build) build=${2:?--build needs a directory}; shift 2 ;;
    --quick) quick=1; shift ;;
    --only) only=${2:?--only needs names}; shift 2 ;;
    *) echo "run_all.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# name, program, arguments in full and in --quick runs.
declare -A program=([pipeline]=admf_bench [scaling]=admf_scaling_bench
                    [data_load]=admf_data_load_bench [data_cache]=admf_data_cache_bench
                    [trace_memory]=admf_trace_memory_bench [sweep]=admf_sweep_bench)
declare -A full=([pipeline]="" [scaling]="" [data_load]="" [data_cache]="" [trace_memory]=""
                 [sweep]="--jobs 2")
declare -A small=([pipeline]="--bars 100000 --repeats 5 --threads 1 --gate 1"
                  [scaling]="--portfolios-only --units 300000 --repeats 3"
                  [data_load]="--rows 200000 --repeats 3"
                  [data_cache]="--bars 200000 --repeats 3"
                  [trace_memory]="--bars 100000"
                  [sweep]="--jobs 2 --jobs-total 40 --bars 20000")

status=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
IFS=, read -ra names <<<"$only"
for name in "${names[@]}"; do
  [[ -n ${program[$name]+x} ]] || { echo "run_all.sh: unknown bench $name" >&2; exit 2; }
  exe=$build/bench/${program[$name]}
  if [[ ! -x $exe ]]; then
    echo "run_all.sh: $exe not built: $name is null" >&2
    echo null >"$out/$name.json"
    continue
  fi
  if [[ $quick == 1 ]]; then args=${small[$name]}; else args=${full[$name]}; fi
  # shellcheck disable=SC2086  # the arguments are words
  if ! "$exe" $args >"$out/$name.json"; then
    echo "run_all.sh: $exe${args:+ $args} failed: $name is null" >&2
    echo null >"$out/$name.json"
    status=1
  fi
done

python3 - "$out" "$only" <<'PY'
import json, os, sys
out, names = sys.argv[1], sys.argv[2].split(",")
figures = {n: json.load(open(os.path.join(out, n + ".json"))) for n in names}
derived = {}
pipeline, sweep, scaling = (figures.get(n) for n in ("pipeline", "sweep", "scaling"))
if pipeline:
    derived["pipeline_over_plain"] = pipeline["ratio_pipeline_over_plain"]
    derived["pipeline_cpu_over_plain"] = pipeline["cpu_ratio_pipeline_over_plain"]
if pipeline and sweep:
    # The sweep's limit: the plain loop's bars/s on every worker.
    limit = pipeline["plain_loop"]["bars_per_sec_median"] * sweep["workers"]
    derived["sweep_over_plain_limit"] = sweep["bar_events_per_sec"] / limit
    # The same in CPU time, which other programs on the machine do not inflate.
    derived["sweep_cpu_over_plain_cpu"] = (sweep["bars_per_cpu_second"]
                                           / pipeline["plain_loop"]["cpu_bars_per_sec_median"])
if sweep:
    # Issue 13's sweep target, 1,000 jobs x 100,000 bars, at this run's bar-events/s.
    derived["sweep_seconds_1000x100k"] = 1000 * 100000 / sweep["bar_events_per_sec"]
if scaling:
    per_unit = {row["n"]: row["per_unit"] for row in scaling["portfolios"]["rows"]}
    if 10 in per_unit and 300 in per_unit:
        derived["portfolio_bar_ratio_300_over_10"] = per_unit[300] / per_unit[10]
        derived["portfolio_bar_measure"] = scaling["measure"]
figures["derived"] = derived
print(json.dumps(figures, indent=2))
PY
exit $status
