#!/usr/bin/env bash
# The SDK end to end, as a user would do it (examples/custom_strategy/README.md):
#   1. install this build into a temporary prefix;
#   2. copy examples/custom_strategy/ out of the tree, configure it with
#      -DCMAKE_PREFIX_PATH=<prefix> and build the plugin my_strategy.so;
#   3. run its config with the installed bin/admf: the plugin is found through the
#      config's plugin_path, buy_and_hold from <prefix>/lib/admf/plugins;
#   4. run configs/default.yaml with the installed admf alone (shipped plugins only);
#   5. build examples/cpp_api_backtest.cpp against admf::core (COMPONENTS core) and run it.
#
# usage: custom_strategy_test.sh <cmake> <admf build dir> <admf source dir> [c++ compiler]
set -euo pipefail
cmake=$1 build=$2 src=$3 cxx=${4:-}
unset ADMF_PLUGIN_PATH  # only the install and the configs may say where plugins are

tmp=$(mktemp -d "${TMPDIR:-/tmp}/admf_sdk_test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }
# Runs a command quietly; on failure shows its output and fails the test.
quiet() {
  local log=$tmp/last.log rc=0
  "$@" >"$log" 2>&1 || rc=$?
  ((rc == 0)) || { cat "$log"; fail "exit $rc: $*"; }
}
compiler=()
[[ -n $cxx ]] && compiler=(-DCMAKE_CXX_COMPILER="$cxx")  # same ABI as admf

step "install into $prefix"
quiet "$cmake" --install "$build" --prefix "$prefix"
for f in bin/admf lib/admf/plugins/sma_crossover.so lib/admf/plugins/buy_and_hold.so \
         include/admf/runtime/plugin/strategy_plugin.hpp lib/cmake/admf/admfConfig.cmake \
         lib/cmake/admf/admfConfigVersion.cmake lib/cmake/admf/admf_plugin.cmake \
         lib/libadmf_runtime.a lib/libadmf_actors.a lib/libadmf_apps.a include/admf/events.pb.h \
         include/admf/apps/engine/backtest.hpp; do
  [[ -e $prefix/$f ]] || fail "not installed: $f"
done

step "build examples/custom_strategy out of tree"
# Same layout as the checkout (examples/custom_strategy beside data/), so the config's
# relative csv path holds; only the example's own files, never a stale build/.
ex=$tmp/examples/custom_strategy
mkdir -p "$ex"
find "$src/examples/custom_strategy" -maxdepth 1 -type f -exec cp {} "$ex" \;
ln -s "$src/data" "$tmp/data"
quiet "$cmake" -S "$ex" -B "$ex/build" -DCMAKE_PREFIX_PATH="$prefix" "${compiler[@]}"
quiet "$cmake" --build "$ex/build" -j2
[[ -f $ex/build/my_strategy.so ]] || fail "no build/my_strategy.so"

step "run the custom strategy with the installed admf"
out=$tmp/out
(cd "$tmp" && "$prefix/bin/admf" run "$ex/config.yaml" --out "$out") || fail "admf run exit $?"
for p in portfolio_breakout portfolio_hold; do
  [[ -f $out/$p/metrics.json ]] || fail "no $p/metrics.json"
done
trades=$(awk -F, 'NR > 1 && $2 == "breakout_1"' "$out/portfolio_breakout/trades.csv" | wc -l)
echo "breakout_1 trades: $trades"
((trades >= 1)) || fail "trades.csv has no breakout_1 trade"

step "a bad parameter is refused by the plugin"
sed 's/lookback: 20,/lookback: 0,/' "$ex/config.yaml" >"$ex/bad.yaml"
if "$prefix/bin/admf" validate "$ex/bad.yaml" >"$tmp/bad.log" 2>&1; then
  fail "lookback 0 accepted"
fi
grep -q "params.lookback: must be a whole number" "$tmp/bad.log" || { cat "$tmp/bad.log"; fail "no lookback error"; }

step "run configs/default.yaml with the installed admf alone"
out=$tmp/out_default
(cd "$src" && "$prefix/bin/admf" run configs/default.yaml --out "$out") || fail "admf run exit $?"
portfolios=0
for dir in "$out"/*/; do
  [[ -f $dir/metrics.json ]] || fail "no metrics.json in $dir"
  portfolios=$((portfolios + 1))
done
((portfolios >= 1)) || fail "default.yaml wrote no portfolio results"

step "build and run a C++ API program against admf::core"
api=$tmp/cpp_api
mkdir -p "$api"
cp "$src/examples/cpp_api_backtest.cpp" "$api"
cat >"$api/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.18)
project(cpp_api LANGUAGES CXX)
find_package(admf REQUIRED COMPONENTS core)
add_executable(cpp_api cpp_api_backtest.cpp)
target_link_libraries(cpp_api PRIVATE admf::core)
EOF
quiet "$cmake" -S "$api" -B "$api/build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  "${compiler[@]}"
quiet "$cmake" --build "$api/build" -j2
# A program of one's own is not beside lib/admf/plugins: it names the directory.
ADMF_PLUGIN_PATH=$prefix/lib/admf/plugins \
  quiet "$api/build/cpp_api" "$src/data/sp500_2000_daily_ohlcv.csv" "$tmp/out_api"
grep -q "final equity" "$tmp/last.log" || { cat "$tmp/last.log"; fail "no final equity"; }

echo "PASS"
