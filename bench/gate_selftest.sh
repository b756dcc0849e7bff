#!/usr/bin/env bash
# bench/gate.py on hand-made run_all.sh output: a figure at its bound passes, one past
# it fails with exit 1, a missing figure or input exits 2 and says which. Then
# bench/run_all.sh on stand-in bench programs: its derived figures, worked by hand.
set -uo pipefail
failures=0
# One Python process for every case (the gate's main() on each): a process per case
# cost seconds of the suite on a loaded machine.
python3 - "$(dirname "$0")/gate.py" <<'PY' || failures=$((failures + 1))
import contextlib, importlib.util, io, sys
spec = importlib.util.spec_from_file_location("gate", sys.argv[1])
gate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gate)
both = '"pipeline_cpu_over_plain": %s, "portfolio_bar_ratio_300_over_10": %s, "portfolio_bar_measure": "%s"'
cases = [  # (exit code, a line of the output, stdin, arguments)
    (0, "pipeline_cpu_over_plain = 0.05 (>= 0.05 wanted): ok", both % (0.05, 2.0, "instructions_user"), []),
    (0, "portfolio_bar_ratio_300_over_10 = 2 (<= 2.0 wanted): ok", both % (0.05, 2.0, "instructions_user"), []),
    (1, "pipeline_cpu_over_plain = 0.049 (>= 0.05 wanted): REGRESSED", both % (0.049, 1.1, "instructions_user"), []),
    (1, "portfolio_bar_ratio_300_over_10 = 3.5 (<= 2.0 wanted): REGRESSED", both % (0.3, 3.5, "instructions_user"), []),
    (1, "portfolio_bar_ratio_300_over_10 = 2.6 (<= 2.5 wanted): REGRESSED", both % (0.3, 2.6, "cpu_ns"), []),
    (0, "portfolio_bar_ratio_300_over_10 = 2.5 (<= 2.5 wanted): ok", both % (0.3, 2.5, "cpu_ns"), []),
    (0, "portfolio_bar_ratio_300_over_10 not gated: measured in wall_ns", both % (0.3, 3.5, "wall_ns"), []),
    (2, "portfolio_bar_ratio_300_over_10 missing", '"pipeline_cpu_over_plain": 0.3', []),
    (0, "pipeline_cpu_over_plain = 0.3", '"pipeline_cpu_over_plain": 0.3', ["--gate", "pipeline"]),
    (2, "unknown check 'speed'", "", ["--gate", "speed"]),
    (2, "no run_all.sh JSON on stdin", None, []),
]
failed = 0
for code, line, derived, args in cases:
    sys.argv = ["gate.py"] + args
    sys.stdin = io.StringIO("not json" if derived is None else '{"derived": {%s}}' % derived)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        actual = gate.main()
    if actual != code or line not in out.getvalue():
        print(f"FAIL: {derived} {args}: exit {actual} (wanted {code}), output: {out.getvalue()}"
              f"(wanted: {line})")
        failed += 1
sys.exit(failed > 0)
PY

# Stand-ins print fixed JSON; admf_data_load_bench is missing (null, named on stderr)
# and admf_data_cache_bench fails (null, named, and run_all.sh exits 1).
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
mkdir "$build/bench"
stand_in() { printf '#!/bin/sh\necho '"'%s'"'\n' "$2" >"$build/bench/$1"; chmod +x "$build/bench/$1"; }
stand_in admf_bench '{"ratio_pipeline_over_plain": 0.1, "cpu_ratio_pipeline_over_plain": 0.08,
  "plain_loop": {"bars_per_sec_median": 2e7, "cpu_bars_per_sec_median": 2e7}}'
stand_in admf_scaling_bench '{"measure": "instructions_user", "portfolios": {"rows":
  [{"n": 1, "per_unit": 9000}, {"n": 10, "per_unit": 4000}, {"n": 300, "per_unit": 6000}]}}'
stand_in admf_sweep_bench '{"workers": 2, "bar_events_per_sec": 4e6, "bars_per_cpu_second": 2.5e6}'
printf '#!/bin/sh\nexit 3\n' >"$build/bench/admf_data_cache_bench"
chmod +x "$build/bench/admf_data_cache_bench"
all=$("$(dirname "$0")/run_all.sh" --build "$build" 2>"$build/stderr")
[[ $? == 1 ]] || { echo "FAIL: run_all.sh with a failing program did not exit 1"; failures=$((failures + 1)); }
python3 - "$all" <<'PY' || failures=$((failures + 1))
import json, sys
got = json.loads(sys.argv[1])
want = {"pipeline_over_plain": 0.1, "pipeline_cpu_over_plain": 0.08,
        "sweep_over_plain_limit": 4e6 / (2e7 * 2), "sweep_cpu_over_plain_cpu": 2.5e6 / 2e7,
        "sweep_seconds_1000x100k": 1e8 / 4e6, "portfolio_bar_ratio_300_over_10": 1.5,
        "portfolio_bar_measure": "instructions_user"}
if (got["derived"] != want or got["data_load"] is not None or got["data_cache"] is not None
        or got["sweep"]["workers"] != 2):
    print(f"FAIL: run_all.sh on stand-ins: {got}")
    sys.exit(1)
PY
for line in "admf_data_load_bench not built: data_load is null" \
            "admf_data_cache_bench failed: data_cache is null"; do
  grep -qF "$line" "$build/stderr" \
    || { echo "FAIL: run_all.sh did not say '$line': $(cat "$build/stderr")"; failures=$((failures + 1)); }
done
exit $((failures > 0))
