# Helpers shared by the cluster test scripts (sourced; they set $tmp, $pids and fail()).

# start_worker NAME [ARGS...]: starts `admf worker` on a free loopback port; sets $port
# and $NAME_pid.
start_worker() {
  local out=$tmp/$1.out
  : > "$out"  # exists before the background job opens it: the first sed must not fail
  "$ADMF" worker --listen 127.0.0.1:0 --jobs 1 "${@:2}" > "$out" 2> "$tmp/$1.err" &
  pids+=($!)
  eval "$1_pid=$!"
  for _ in $(seq 1000); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$out")
    [[ -n $port ]] && return 0
    sleep 0.01
  done
  fail "worker $1 printed no port: $(cat "$out" "$tmp/$1.err")"
}

# optimize CONFIG OUT [ARGS...]: the sweep into OUT, bounded in time; must exit 0.
optimize() {
  local cfg=$1 out=$2; shift 2
  timeout 300 "$ADMF" optimize "$cfg" --out "$out" "$@" > "$out.stdout" 2> "$out.stderr" \
    || fail "admf optimize $* exited $?: $(tail -3 "$out.stderr")"
}
