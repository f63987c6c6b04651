#!/usr/bin/env bash
# Installs every Debian package that building, testing and benchmarking Tributary needs.
# Idempotent: packages already present are skipped, and apt is only called when one is missing.
# Usage: .ci/install-deps.sh [build|test|all]   (default: all)
set -euo pipefail

build_packages=(
  cmake ninja-build g++ pkg-config ccache python3
  libboost-dev libboost-system-dev libssl-dev nlohmann-json3-dev libcpp-httplib-dev
  libspdlog-dev libfmt-dev libgtest-dev libgmock-dev
  zlib1g-dev libsnappy-dev liblz4-dev libzstd-dev
  clang-format clang-tidy
)
test_packages=(
  kcat librdkafka-dev python3-confluent-kafka python3-kafka python3-yaml python3-jsonschema
  nodejs npm iperf3 fio clang libclang-rt-14-dev
  golang-go rsync jq etcd-server golang-github-modern-go-reflect2-dev dpkg-dev unzip curl openssl iproute2
)

what=${1:-all}
case "$what" in
  build) wanted=("${build_packages[@]}") ;;
  test|all) wanted=("${build_packages[@]}" "${test_packages[@]}") ;;
  *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${wanted[@]}"; do
  # node/npm may come from outside Debian on some machines: accept them when on PATH.
  if [[ $p == nodejs ]] && command -v node >/dev/null; then continue; fi
  if [[ $p == npm ]] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
