#!/usr/bin/env bash
# One command from a fresh Debian 12 clone to a backtest: installs what is missing,
# builds (Release) and runs configs/default.yaml (or the config given).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j"$(nproc)"   # admf, the shipped plugins, examples and benchmarks
./build/admf run "${1:-configs/default.yaml}" "${@:2}"
