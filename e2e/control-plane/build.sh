#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager and kube-scheduler v1.20.2 from Debian's
# `kubernetes` source package, offline, with Debian's Go. Idempotent: the binaries are cached
# under $HOME/.cache/tributary/kube-<package version>/bin and a second run only prints that path.
# Usage: e2e/control-plane/build.sh        (prints the bin directory on its last line)
set -euo pipefail

cache_root=${TRIBUTARY_CACHE:-$HOME/.cache/tributary}
pkg_version=1.20.5+really1.20.2
dir="$cache_root/kube-$pkg_version"
bin="$dir/bin"
targets=(kube-apiserver kube-controller-manager kube-scheduler)

have_all() {
    for t in "${targets[@]}"; do [[ -x "$bin/$t" ]] || return 1; done
}
if have_all; then echo "$bin"; exit 0; fi

mkdir -p "$dir"
# One build at a time per machine (parallel CTest fixtures, two checkouts).
exec 9>"$dir/.lock"
flock 9
if have_all; then echo "$bin"; exit 0; fi

# Source packages: one deb-src entry for bookworm main, same archive as the binary lines.
src_list=/etc/apt/sources.list.d/tributary-deb-src.sources
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ /etc/apt/sources.list 2>/dev/null; then
    cat >"$src_list" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt-get update -qq
fi

src=$(find "$dir" -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)
if [[ -z "$src" ]]; then
    (cd "$dir" && apt-get source -qq kubernetes >/dev/null)
    src=$(find "$dir" -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)
fi
[[ -n "$src" ]] || { echo "build.sh: no kubernetes source tree under $dir" >&2; exit 1; }

# The vendored reflect2 1.0.1 crashes on Go >= 1.18; Debian's 1.0.2 works.
reflect2=/usr/share/gocode/src/github.com/modern-go/reflect2
if [[ ! -f "$src/vendor/github.com/modern-go/reflect2/.tributary-swapped" ]]; then
    rm -rf "$src/vendor/github.com/modern-go/reflect2"
    cp -r "$reflect2" "$src/vendor/github.com/modern-go/reflect2"
    touch "$src/vendor/github.com/modern-go/reflect2/.tributary-swapped"
fi

gopath="$dir/gopath"
mkdir -p "$gopath/src/k8s.io"
ln -sfn "$src" "$gopath/src/k8s.io/kubernetes"

what=""
for t in "${targets[@]}"; do what+="cmd/$t "; done
(
    cd "$gopath/src/k8s.io/kubernetes"
    export GOPATH="$gopath" GOPROXY=off GOFLAGS=-mod=vendor CGO_ENABLED=0 GO111MODULE=on
    export GOCACHE="$dir/gocache" KUBE_GIT_VERSION=v1.20.2 KUBE_GIT_TREE_STATE=clean
    make WHAT="$what" >"$dir/build.log" 2>&1
) || { echo "build.sh: make failed, see $dir/build.log" >&2; tail -n 30 "$dir/build.log" >&2; exit 1; }

mkdir -p "$bin"
for t in "${targets[@]}"; do
    out=$(find "$src/_output" -type f -name "$t" -perm -u+x | head -n1)
    [[ -n "$out" ]] || { echo "build.sh: $t was not built" >&2; exit 1; }
    cp "$out" "$bin/$t.tmp" && mv "$bin/$t.tmp" "$bin/$t"
done
echo "$bin"
