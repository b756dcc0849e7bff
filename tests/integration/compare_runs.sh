# Sourced by the tests that compare one portfolio's result files across runs
# (isolation_test.sh, calendar_test.sh, plugin_v1_compat_test.sh, signal_replay_test.sh).
# Expects `fail` to be defined.

# The files of a portfolio's directory that must match byte for byte.
files=(metrics.json trades.csv equity.csv positions.csv)

run() { # run CONFIG OUT THREADS
  "$ADMF" run "$1" --out "$2" --threads "$3" >/dev/null || fail "admf run $1 exited $?"
}

# same_files DIR1 DIR2 WHAT
same_files() {
  local f
  for f in "${files[@]}"; do
    [[ -s $1/$f ]] || fail "$3: missing or empty $1/$f"
    cmp -s "$1/$f" "$2/$f" || {
      diff "$1/$f" "$2/$f" | head -20 >&2 || true
      fail "$3: $f differs"
    }
  done
}
