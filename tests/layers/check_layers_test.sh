#!/usr/bin/env bash
# The layer check itself: a clean tree passes; a back-edge, a folder cycle and a
# plugin reaching past the plugin API are each reported with file and line.
set -euo pipefail
check="$(dirname "$0")/check_layers.py"
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
put() { mkdir -p "$tree/$(dirname "$1")"; printf '%s\n' "${@:2}" > "$tree/$1"; }

put runtime/core/time.hpp '#pragma once'
put runtime/bus/port.hpp '#include "runtime/core/time.hpp"'
put actors/data/data_actor.hpp '#include "runtime/bus/port.hpp"'
put apps/engine/backtest.cpp '#include "actors/data/data_actor.hpp"' '#include "events.pb.h"'
put plugins/p/p.cpp '#include "runtime/plugin/strategy_plugin.hpp"' '#include "plugins/p/p.hpp"'
python3 "$check" "$tree" > "$tree.out" || { cat "$tree.out"; echo "FAIL: a clean tree was refused"; exit 1; }

put runtime/bus/bad.hpp '// a comment' '#include "actors/data/data_actor.hpp"'
put runtime/core/cycle.hpp '#include "runtime/bus/port.hpp"'
put plugins/p/q.cpp '#include "runtime/bus/port.hpp"'
put runtime/core/angle.cpp '#include <apps/engine/backtest.cpp>' '#include <vector>'
put runtime/bus/relative.cpp '#include "../../actors/data/data_actor.hpp"'
put plugins/p/r.cpp '#include "../../actors/data/data_actor.hpp"'
if python3 "$check" "$tree" > "$tree.out"; then cat "$tree.out"; echo "FAIL: violations passed"; exit 1; fi
expect() { grep -qF -- "$1" "$tree.out" || { cat "$tree.out"; echo "FAIL: missing: $1"; exit 1; }; }
expect 'runtime/bus/bad.hpp:2: runtime/ includes actors/data/data_actor.hpp, from the higher layer actors/'
expect 'include cycle between folders: runtime/bus -> runtime/core (runtime/bus/port.hpp:1), runtime/core -> runtime/bus (runtime/core/cycle.hpp:1)'
expect 'plugins/p/q.cpp:1: a plugin includes runtime/bus/port.hpp'
expect 'runtime/core/angle.cpp:1: runtime/ includes apps/engine/backtest.cpp, from the higher layer apps/'
expect 'runtime/bus/relative.cpp:1: runtime/ includes actors/data/data_actor.hpp, from the higher layer actors/'
expect 'plugins/p/r.cpp:1: a plugin includes actors/data/data_actor.hpp'
rm -f "$tree.out"
echo "check_layers_test: passed"
