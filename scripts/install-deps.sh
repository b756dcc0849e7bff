#!/usr/bin/env bash
# Installs admf's build and test dependencies from Debian 12's packages.
# Idempotent: packages already present are skipped, so a second run does nothing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libcaf-dev
  libprotobuf-dev protobuf-compiler
  libspdlog-dev
  catch2
  libyaml-cpp-dev
  libcli11-dev
  nlohmann-json3-dev
  libcsv-dev
  libzstd-dev
  libxxhash-dev
  libhowardhinnant-date-dev tzdata
  libssl-dev openssl
  python3 procps
  clang libclang-rt-14-dev  # scripts/fuzz.sh: libFuzzer and the sanitizer runtimes
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
