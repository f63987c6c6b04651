#!/usr/bin/env bash
# `make bench` entry point: bench/run.sh <build_dir>. Prints throughput, latency and broker CPU
# cost beside this machine's limits; never fails on speed. See docs/benchmarks.md.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 <build_dir>" >&2
  exit 2
fi
exec /usr/bin/python3 "$(dirname "$0")/run.py" "$1"
