#!/usr/bin/env bash
# One command from a fresh Debian 12 clone to the whole test suite: installs what is
# missing, builds (Release, with tests) and runs everything through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build-tests -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON >/dev/null
cmake --build build-tests -j"$(nproc)"
cd build-tests && ctest --output-on-failure -j"$(nproc)" --timeout 600
