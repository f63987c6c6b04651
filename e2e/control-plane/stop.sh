#!/usr/bin/env bash
# Stops what start.sh started in DIR, by the PIDs it recorded (TERM, then KILL after 10 s).
# Usage: e2e/control-plane/stop.sh DIR
set -uo pipefail
dir=${1:?usage: stop.sh DIR}
[[ -f "$dir/pids" ]] || exit 0
pids=$(tac "$dir/pids")
rm -f "$dir/pids"
for pid in $pids; do kill -TERM "$pid" 2>/dev/null; done
for _ in $(seq 1 100); do
    alive=0
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && exit 0
    sleep 0.1
done
for pid in $pids; do kill -KILL "$pid" 2>/dev/null; done
exit 0
