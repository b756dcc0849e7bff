#!/usr/bin/env python3
"""The regression gate: reads bench/run_all.sh's JSON on stdin and exits 1 when a ratio
measured in that one run is past its bound, 2 when a figure it gates is missing.
Ratios of two figures from one run move much less than either figure when other work
shares the machine; the bounds still leave a wide margin (bench/README.md says why).
The portfolio ratio's bound depends on what admf_scaling_bench counted: instructions, or
CPU time where the CPU has no counter for the process (a VM without a PMU), which other
work moves more; anything else (wall time) is not gated, since a shared machine would
fail the gate at random."""
import argparse
import json
import sys

# (figure in `derived`, bound, "min" or "max", what it is); a bound is a number, or a
# number per unit of the figure's `measure` (derived[MEASURES[key]]).
CHECKS = {
    "pipeline": ("pipeline_cpu_over_plain", 0.05, "min",
                 "pipeline bars per CPU second over the plain loop's (admf_bench)"),
    "scaling": ("portfolio_bar_ratio_300_over_10", {"instructions_user": 2.0, "cpu_ns": 2.5},
                "max", "work per portfolio-bar at 300 over 10 portfolios (admf_scaling_bench)"),
}
MEASURES = {"portfolio_bar_ratio_300_over_10": "portfolio_bar_measure"}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gate", default="pipeline,scaling",
                        help="checks to apply, of: " + ", ".join(CHECKS))
    args = parser.parse_args()
    try:
        derived = json.load(sys.stdin)["derived"]
    except (ValueError, KeyError) as e:
        print(f"bench gate: no run_all.sh JSON on stdin ({e})")
        return 2
    status = 0
    for name in args.gate.split(","):
        if name not in CHECKS:
            print(f"bench gate: unknown check '{name}' (known: {', '.join(CHECKS)})")
            return 2
        key, bound, kind, what = CHECKS[name]
        if derived.get(key) is None:
            print(f"bench gate: {key} missing: {what} was not measured")
            status = max(status, 2)
            continue
        if isinstance(bound, dict):
            measure = derived.get(MEASURES[key])
            if measure not in bound:
                print(f"bench gate: {key} not gated: measured in {measure}"
                      f" (gated in: {', '.join(bound)})")
                continue
            bound, what = bound[measure], f"{what}, in {measure}"
        value = derived[key]
        ok = value >= bound if kind == "min" else value <= bound
        print(f"bench gate: {key} = {value:.4g} ({'>=' if kind == 'min' else '<='} {bound}"
              f" wanted): {'ok' if ok else 'REGRESSED'}  [{what}]")
        if not ok:
            status = max(status, 1)
    return status


if __name__ == "__main__":
    sys.exit(main())
