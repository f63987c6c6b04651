#!/usr/bin/env bash
# Builds every libFuzzer target (tests/fuzz/*_fuzz.cc) with clang, ASan and UBSan in a separate
# build directory and runs each for the given number of seconds, keeping its corpus between runs.
#
# Usage: tests/fuzz/run.sh [seconds-per-target]   (default 60)
# Env:   FUZZ_BUILD_DIR (default ${BUILD_DIR:-build}/fuzz), JOBS (default 2)
# Exit status is non-zero when a target finds a crash; the reproducer is left in the corpus dir's
# parent as crash-*.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
dir=${FUZZ_BUILD_DIR:-${BUILD_DIR:-build}/fuzz}

cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DTRIBUTARY_FUZZ=ON -DTRIBUTARY_SANITIZE=address,undefined \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined" >/dev/null

known=$(cmake --build "$dir" --target help | sed -n 's/^\([a-z0-9_]*_fuzz\):.*/\1/p')
targets=()
for src in tests/fuzz/*_fuzz.cc; do
  t=$(basename "${src%.cc}")
  if grep -qx "$t" <<<"$known"; then
    targets+=("$t")
  else
    echo "warning: $src has no target in tests/fuzz/CMakeLists.txt (tributary_add_fuzzer)" >&2
  fi
done
extra=()
[ -f tests/fuzz/request_fuzz_seeds.cc ] && extra+=(request_fuzz_seeds)
cmake --build "$dir" -j "${JOBS:-2}" --target "${targets[@]}" "${extra[@]}"

status=0
for t in "${targets[@]}"; do
  corpus="$dir/corpus/$t"
  mkdir -p "$corpus"
  if [ "$t" = request_fuzz ]; then
    "$dir/tests/fuzz/request_fuzz_seeds" "$corpus" >/dev/null
  fi
  echo "== $t: ${seconds}s"
  if ! (cd "$dir" && "tests/fuzz/$t" -max_total_time="$seconds" -print_final_stats=1 \
          -timeout=10 -rss_limit_mb=2048 "corpus/$t" 2>&1 | tee "$dir/$t.log" | \
          grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)'); then
    :
  fi
  if grep -qE '==[0-9]+==ERROR|deadly signal|SUMMARY: .*Sanitizer' "$dir/$t.log"; then
    echo "!! $t found a crash: see $dir/$t.log"
    status=1
  fi
done
exit $status
