#!/usr/bin/env bash
# Installs the pinned kafkajs into a per-user cache (never into the repository). Idempotent: a
# no-op when the pinned version is already there. Run by the CTest fixture `node_clients`.
set -euo pipefail

version=2.2.4
prefix=${TRIBUTARY_NODE_CLIENTS:-$HOME/.cache/tributary/node-clients}
installed=$prefix/node_modules/kafkajs/package.json

have_pinned() {
  [ -f "$installed" ] && node -e "process.exit(require('$installed').version === '$version' ? 0 : 1)"
}

mkdir -p "$prefix"
# Several build directories may run this fixture at once: one installer at a time.
exec 9>"$prefix/.install.lock"
flock 9
if have_pinned; then
  echo "kafkajs $version present in $prefix"
  exit 0
fi
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "kafkajs@$version"
have_pinned || { echo "kafkajs $version not found after npm install" >&2; exit 1; }
echo "kafkajs $version installed in $prefix"
