#!/usr/bin/env bash
# admf optimize --workers: the sweep run by `admf worker`s on 127.0.0.1 writes the
# optimize.csv of a single-node run, byte for byte, even when a worker is killed
# mid-sweep; a worker survives garbage on its port; bad endpoints are one-line errors;
# over TLS (a self-signed certificate) the sweep writes the same optimize.csv, and a
# plain coordinator meeting a TLS worker fails in one line; a worker that joins a
# sweep mid-way (--accept / --join) gets jobs and the optimize.csv is unchanged; and
# workers in network namespaces of their own, as separate hosts, do the same.
# Usage: cluster_test.sh CASE   (run from the repo root, with $ADMF set)
set -euo pipefail
case_name=${1:?usage: cluster_test.sh CASE}
tmp=$(mktemp -d)
pids=()
namespaces=()
cleanup() {
  for pid in "${pids[@]}"; do { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true; done
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }

source "$(dirname "$0")/cluster_helpers.sh"

# sweep_under_way NAME [ARGS...]: starts `admf optimize $tmp/big.yaml --out $tmp/remote`
# in the background (output in $tmp/NAME.stdout/.stderr, pid of its `timeout` in $opt_pid)
# and returns once the first progress line (at 10% of the jobs) shows it under way.
sweep_under_way() {
  local name=$1; shift
  timeout 300 "$ADMF" optimize "$tmp/big.yaml" --out "$tmp/remote" "$@" \
    > "$tmp/$name.stdout" 2> "$tmp/$name.stderr" &
  opt_pid=$!
  pids+=("$opt_pid")
  for _ in $(seq 3000); do
    grep -q ' jobs/s' "$tmp/$name.stderr" && break
    sleep 0.01
  done
  kill -0 "$opt_pid" 2>/dev/null || fail "the sweep ended before it could be interrupted"
}

# make_cert: a self-signed certificate both sides present and trust; sets ${tls[@]}.
# Without the openssl CLI the case is skipped (ctest's SKIP_RETURN_CODE 77).
make_cert() {
  if ! command -v openssl > /dev/null; then
    echo "SKIP [$case_name]: no openssl command to make a certificate"
    exit 77
  fi
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=admf-test \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" > "$tmp/openssl.log" 2>&1 \
    || fail "openssl req failed: $(cat "$tmp/openssl.log")"
  tls=(--tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" --tls-ca "$tmp/cert.pem")
}

# A sweep long enough to kill a worker in the middle of it: 39 x 9 combinations, 330
# jobs once fast >= slow is skipped (a worker runs ~40 a second on a loaded 2-core
# machine, ~150 idle): after its first progress line at 10% the sweep still has over
# a second to run. More jobs only make the three cases that use it slower.
big_config() {
  sed -e 's/^      fast: .*/      fast: {from: 2, to: 40, step: 1}/' \
      -e 's/^      slow: .*/      slow: {from: 20, to: 220, step: 25}/' \
      configs/optimize_sma.yaml > "$tmp/big.yaml"
}

case $case_name in
  two_workers)
    start_worker w1; p1=$port
    start_worker w2; p2=$port
    optimize configs/optimize_sma.yaml "$tmp/local" --jobs 2
    optimize configs/optimize_sma.yaml "$tmp/remote" --workers "127.0.0.1:$p1,127.0.0.1:$p2"
    cmp "$tmp/local/optimize.csv" "$tmp/remote/optimize.csv" || fail "optimize.csv differs"
    for k in 1 2 3 4 5; do
      cmp "$tmp/local/top_$k.yaml" "$tmp/remote/top_$k.yaml" || fail "top_$k.yaml differs"
    done
    # Both workers served: each still runs and serves the next sweep alone.
    optimize configs/optimize_sma.yaml "$tmp/again" --workers "127.0.0.1:$p2"
    cmp "$tmp/local/optimize.csv" "$tmp/again/optimize.csv" || fail "second sweep differs"
    ;;

  worker_killed)
    big_config
    start_worker w1; p1=$port
    start_worker w2; p2=$port
    optimize "$tmp/big.yaml" "$tmp/local" --jobs 2
    sweep_under_way remote --workers "127.0.0.1:$p1,127.0.0.1:$p2"
    kill -9 "$w1_pid"
    wait "$opt_pid" || fail "admf optimize exited $?: $(tail -3 "$tmp/remote.stderr")"
    grep -q "^worker 127.0.0.1:$p1 is gone (.*); jobs requeued: [0-9]*$" "$tmp/remote.stderr" \
      || fail "the killed worker went unnoticed: $(grep gone "$tmp/remote.stderr")"
    cmp "$tmp/local/optimize.csv" "$tmp/remote/optimize.csv" || fail "optimize.csv differs"
    ;;

  coordinator_restarted)
    # The coordinator is killed mid-sweep; started again on the same output directory
    # it runs only the jobs not yet written, and the results equal a single-node run.
    big_config
    start_worker w1; p1=$port
    optimize "$tmp/big.yaml" "$tmp/local" --jobs 2
    sweep_under_way first --workers "127.0.0.1:$p1"
    # $opt_pid is `timeout`: SIGKILL the admf under it too, or it would run on.
    kill -9 $(pgrep -P "$opt_pid") "$opt_pid"
    wait "$opt_pid" 2>/dev/null || true
    [[ ! -e $tmp/remote/optimize.csv ]] || fail "a killed sweep left a complete optimize.csv"
    optimize "$tmp/big.yaml" "$tmp/remote" --workers "127.0.0.1:$p1"
    grep -qE "^resuming: [1-9][0-9]* of [0-9]+ jobs already done" "$tmp/remote.stdout" \
      || fail "no resume: $(head -3 "$tmp/remote.stdout")"
    cmp "$tmp/local/optimize.csv" "$tmp/remote/optimize.csv" || fail "optimize.csv differs"
    ;;
  separate_hosts)
    # Two workers, each alone in a network namespace linked to this one by a veth pair
    # (10.77.N.0/24): real hosts to the middleman. Skipped where namespaces cannot be made.
    if ! ip netns add "admf$$_probe" 2>/dev/null; then
      echo "SKIP [$case_name]: cannot create network namespaces here"
      exit 77
    fi
    ip netns del "admf$$_probe"
    endpoints=()
    for n in 1 2; do
      ns=admf$$_$n host=veth$$h$n peer=veth$$p$n
      ip netns add "$ns"
      namespaces+=("$ns")
      ip link add "$host" type veth peer name "$peer"
      ip link set "$peer" netns "$ns"
      ip addr add "10.77.$n.1/24" dev "$host"
      ip link set "$host" up
      ip netns exec "$ns" ip addr add "10.77.$n.2/24" dev "$peer"
      ip netns exec "$ns" ip link set "$peer" up
      ip netns exec "$ns" ip link set lo up  # BASP listens on loopback behind the guard
      out=$tmp/ns$n.out
      : > "$out"
      ip netns exec "$ns" "$ADMF" worker --listen "10.77.$n.2:0" --insecure --jobs 1 \
        > "$out" 2> "$tmp/ns$n.err" &
      pids+=($!)
      port=
      for _ in $(seq 100); do
        port=$(sed -n "s/^listening on 10\.77\.$n\.2:\([0-9]*\)$/\1/p" "$out")
        [[ -n $port ]] && break
        sleep 0.1
      done
      [[ -n $port ]] || fail "worker in $ns printed no port: $(cat "$out" "$tmp/ns$n.err")"
      endpoints+=("10.77.$n.2:$port")
    done
    optimize configs/optimize_sma.yaml "$tmp/local" --jobs 2
    optimize configs/optimize_sma.yaml "$tmp/remote" --workers "${endpoints[0]},${endpoints[1]}"
    cmp "$tmp/local/optimize.csv" "$tmp/remote/optimize.csv" || fail "optimize.csv differs"
    grep -q "jobs per worker: .*10\.77\.1\.2:[0-9]*=[1-9]" "$tmp/remote.stderr" \
      && grep -q "10\.77\.2\.2:[0-9]*=[1-9]" "$tmp/remote.stderr" \
      || fail "not every host ran jobs: $(grep 'jobs per worker' "$tmp/remote.stderr")"
    ;;
  worker_joins)
    big_config
    start_worker w1; p1=$port
    optimize "$tmp/big.yaml" "$tmp/local" --jobs 2
    : > "$tmp/remote.stderr"
    timeout 300 "$ADMF" optimize "$tmp/big.yaml" --out "$tmp/remote" \
      --workers "127.0.0.1:$p1" --accept 127.0.0.1:0 > "$tmp/remote.stdout" 2> "$tmp/remote.stderr" &
    opt_pid=$!
    pids+=("$opt_pid")
    accept_port=
    for _ in $(seq 1000); do
      accept_port=$(sed -n 's/^accepting workers on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/remote.stderr")
      [[ -n $accept_port ]] && break
      sleep 0.01
    done
    [[ -n $accept_port ]] || fail "the coordinator printed no accept port: $(cat "$tmp/remote.stderr")"
    start_worker w2 --join "127.0.0.1:$accept_port"; p2=$port
    kill -0 "$opt_pid" 2>/dev/null || fail "the sweep ended before a worker could join"
    wait "$opt_pid" || fail "admf optimize exited $?: $(tail -3 "$tmp/remote.stderr")"
    grep -q "^worker 127.0.0.1:$p2 joined$" "$tmp/remote.stderr" \
      || fail "no join seen: $(cat "$tmp/remote.stderr")"
    grep -q "^jobs per worker: 127.0.0.1:$p1=[0-9]*, 127.0.0.1:$p2=[1-9][0-9]*$" "$tmp/remote.stderr" \
      || fail "the joined worker ran no job: $(grep 'jobs per worker' "$tmp/remote.stderr")"
    cmp "$tmp/local/optimize.csv" "$tmp/remote/optimize.csv" || fail "optimize.csv differs"
    # An --accept without TLS or --insecure stays on loopback.
    set +e
    timeout 60 "$ADMF" optimize configs/optimize_sma.yaml --out "$tmp/o" \
      --accept 192.0.2.1:0 > /dev/null 2> "$tmp/err"
    rc=$?
    set -e
    [[ $rc -eq 2 && $(wc -l < "$tmp/err") -eq 1 ]] && grep -q "insecure" "$tmp/err" \
      || fail "non-loopback --accept: exit $rc: $(cat "$tmp/err")"
    ;;

  garbage_bytes)
    start_worker w1; p1=$port
    for _ in 1 2 3; do
      head -c 4096 /dev/urandom > "/dev/tcp/127.0.0.1/$p1" 2>/dev/null || true
    done
    printf 'GET / HTTP/1.0\r\n\r\n' > "/dev/tcp/127.0.0.1/$p1" 2>/dev/null || true
    sleep 0.5
    kill -0 "$w1_pid" 2>/dev/null || fail "the worker died of garbage: $(cat "$tmp/w1.err")"
    optimize configs/optimize_sma.yaml "$tmp/local" --jobs 1
    optimize configs/optimize_sma.yaml "$tmp/remote" --workers "127.0.0.1:$p1"
    cmp "$tmp/local/optimize.csv" "$tmp/remote/optimize.csv" || fail "optimize.csv differs"
    ;;

  unreachable_worker)
    # A port nobody listens on: one line naming the worker, nothing hangs.
    start_worker w1; p1=$port
    kill -9 "$w1_pid"; wait "$w1_pid" 2>/dev/null || true
    set +e
    timeout 60 "$ADMF" optimize configs/optimize_sma.yaml --out "$tmp/remote" \
      --workers "127.0.0.1:$p1" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    set -e
    [[ $rc -ne 0 && $rc -ne 124 ]] || fail "expected a failure, got exit $rc"
    [[ $(wc -l < "$tmp/err") -eq 1 ]] || fail "expected one line: $(cat "$tmp/err")"
    grep -q "^error: worker 127.0.0.1:$p1: cannot connect" "$tmp/err" || fail "$(cat "$tmp/err")"
    ;;

  bad_endpoints)
    for bad in "127.0.0.1" "127.0.0.1:x" "127.0.0.1:70000" ":80"; do
      set +e
      timeout 60 "$ADMF" optimize configs/optimize_sma.yaml --out "$tmp/o" \
        --workers "$bad" > /dev/null 2> "$tmp/err"
      rc=$?
      set -e
      [[ $rc -eq 2 ]] || fail "--workers $bad: expected exit 2, got $rc"
      grep -q "^error: --workers: '.*' is not host:port$" "$tmp/err" || fail "$(cat "$tmp/err")"
    done
    # Beyond loopback without TLS only when asked for, and said in one line.
    set +e
    timeout 60 "$ADMF" worker --listen 192.0.2.1:0 > /dev/null 2> "$tmp/err"
    rc=$?
    set -e
    [[ $rc -eq 2 ]] || fail "non-loopback --listen: expected exit 2, got $rc"
    [[ $(wc -l < "$tmp/err") -eq 1 ]] && grep -q "insecure" "$tmp/err" || fail "$(cat "$tmp/err")"
    ;;

  tls_sweep)
    make_cert
    start_worker w1 "${tls[@]}"; p1=$port
    optimize configs/optimize_sma.yaml "$tmp/local" --jobs 1
    optimize configs/optimize_sma.yaml "$tmp/remote" --workers "127.0.0.1:$p1" "${tls[@]}"
    cmp "$tmp/local/optimize.csv" "$tmp/remote/optimize.csv" || fail "optimize.csv differs"
    # TLS lifts the loopback-only rule; incomplete TLS options are one-line errors.
    set +e
    timeout 60 "$ADMF" worker --listen 192.0.2.1:0 --tls-cert "$tmp/cert.pem" > /dev/null 2> "$tmp/err"
    rc=$?
    set -e
    [[ $rc -eq 2 && $(wc -l < "$tmp/err") -eq 1 ]] && grep -q "^error: --tls-key: missing" "$tmp/err" \
      || fail "incomplete TLS options: exit $rc: $(cat "$tmp/err")"
    ;;

  tls_plain_coordinator)
    make_cert
    start_worker w1 "${tls[@]}"; p1=$port
    set +e
    timeout 60 "$ADMF" optimize configs/optimize_sma.yaml --out "$tmp/remote" \
      --workers "127.0.0.1:$p1" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    set -e
    [[ $rc -ne 0 && $rc -ne 124 ]] || fail "expected a failure, got exit $rc"
    [[ $(wc -l < "$tmp/err") -eq 1 ]] || fail "expected one line: $(cat "$tmp/err")"
    grep -q "^error: worker 127.0.0.1:$p1: cannot connect" "$tmp/err" || fail "$(cat "$tmp/err")"
    # The worker is unharmed: a TLS sweep still runs on it.
    optimize configs/optimize_sma.yaml "$tmp/after" --workers "127.0.0.1:$p1" "${tls[@]}"
    ;;

  *) fail "unknown case" ;;
esac
echo "ok [$case_name]"
