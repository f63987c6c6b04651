#!/usr/bin/env bash
# Starts a private Kubernetes control plane: etcd + kube-apiserver + kube-controller-manager on
# 127.0.0.1 with free ports, a self-made CA and serving cert, a static system:masters token, a
# service-account key pair and RBAC. Everything lives under DIR; PIDs go to DIR/pids.
# Usage: e2e/control-plane/start.sh DIR [OWNER_PID]
#   Writes DIR/kubeconfig and DIR/env (KUBECONFIG, APISERVER, ETCD, TOKEN) and returns once the
#   apiserver is ready. With OWNER_PID a watchdog stops everything when that process exits, so
#   a crashed test never leaves servers behind. Stop with e2e/control-plane/stop.sh DIR.
# Env: KUBE_BIN (default: the output of build.sh), EXTRA_APISERVER_FLAGS.
set -euo pipefail

dir=$(realpath -m "${1:?usage: start.sh DIR [OWNER_PID]}")
owner=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
bin=${KUBE_BIN:-$("$here/build.sh" | tail -n1)}
mkdir -p "$dir/pki" "$dir/etcd" "$dir/logs"
: >"$dir/pids"

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
etcd_client=$(free_port); etcd_peer=$(free_port); api_port=$(free_port)

# PKI: CA, apiserver serving cert (127.0.0.1, localhost, in-cluster names), SA key pair.
pki="$dir/pki"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=tributary-test-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
    -keyout "$pki/apiserver.key" -out "$pki/apiserver.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' >"$pki/san.ext"
openssl x509 -req -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
    -CAcreateserial -days 2 -extfile "$pki/san.ext" -out "$pki/apiserver.crt" 2>/dev/null
openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
token=$(openssl rand -hex 24)
echo "$token,tributary-admin,tributary-admin,system:masters" >"$pki/tokens.csv"

etcd --name default --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_client" \
    --advertise-client-urls "http://127.0.0.1:$etcd_client" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "default=http://127.0.0.1:$etcd_peer" \
    >"$dir/logs/etcd.log" 2>&1 &
echo $! >>"$dir/pids"

# podtemplates has no watch cache, so a compaction of etcd expires its watches (410 tests).
# shellcheck disable=SC2086
"$bin/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_client" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --insecure-port 0 \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" --token-auth-file "$pki/tokens.csv" \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc \
    --authorization-mode RBAC --service-cluster-ip-range 10.0.0.0/24 --allow-privileged \
    --watch-cache-sizes podtemplates#0 \
    ${EXTRA_APISERVER_FLAGS:-} \
    >"$dir/logs/kube-apiserver.log" 2>&1 &
echo $! >>"$dir/pids"

cat >"$dir/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: tributary-test
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority: $pki/ca.crt
users:
- name: tributary-admin
  user:
    token: $token
contexts:
- name: tributary-test
  context:
    cluster: tributary-test
    user: tributary-admin
    namespace: default
current-context: tributary-test
KC

cat >"$dir/env" <<ENV
KUBECONFIG=$dir/kubeconfig
APISERVER=https://127.0.0.1:$api_port
ETCD=http://127.0.0.1:$etcd_client
TOKEN=$token
ENV

if [[ -n "$owner" ]]; then
    (
        trap '' HUP
        while kill -0 "$owner" 2>/dev/null && [[ -f "$dir/pids" ]]; do sleep 1; done
        [[ -f "$dir/pids" ]] && "$here/stop.sh" "$dir" >/dev/null 2>&1
    ) </dev/null >/dev/null 2>&1 &
fi

ready() {
    curl -sf --max-time 2 --cacert "$pki/ca.crt" -H "Authorization: Bearer $token" \
        "https://127.0.0.1:$api_port/readyz" >/dev/null
}
for _ in $(seq 1 240); do
    if ready; then break; fi
    sleep 0.5
done
if ! ready; then
    echo "start.sh: kube-apiserver not ready; see $dir/logs" >&2
    tail -n 20 "$dir/logs/kube-apiserver.log" >&2
    "$here/stop.sh" "$dir"
    exit 1
fi

"$bin/kube-controller-manager" \
    --kubeconfig "$dir/kubeconfig" \
    --controllers '*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-route,-service' \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --leader-elect=false --port 0 --secure-port 0 \
    >"$dir/logs/kube-controller-manager.log" 2>&1 &
echo $! >>"$dir/pids"
echo "$dir/kubeconfig"
