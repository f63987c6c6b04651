#!/usr/bin/env bash
# helm install of the chart into a real kube-apiserver v1.20 (label kube): CRDs without CEL are
# accepted and established, the examples validate against them, printer columns and the
# `tributary` category work, helm upgrade re-applies the CRDs, helm uninstall keeps the CRDs and
# the custom resources, and `kubectl apply -f manifests/` then takes the install over.
set -euo pipefail
repo=${TRIBUTARY_SOURCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
helm=$("$repo/helm/fetch-tools.sh" helm)
kubectl=$("$repo/helm/fetch-tools.sh" kubectl)
work=$(mktemp -d)
cleanup() { "$repo/e2e/control-plane/stop.sh" "$work/cp" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
export HELM_CACHE_HOME=$work/helm/cache HELM_CONFIG_HOME=$work/helm/config HELM_DATA_HOME=$work/helm/data
"$repo/e2e/control-plane/start.sh" "$work/cp" $$ >/dev/null
export KUBECONFIG=$work/cp/kubeconfig
fail() { echo "FAIL: $*" >&2; exit 1; }
chart=$repo/helm/tributary-operator
crds="crd/kafkaclusters.tributary.io crd/kafkatopics.tributary.io crd/kafkausers.tributary.io"

"$helm" install tributary-operator "$chart" -n tributary-system --create-namespace >/dev/null \
    || fail "helm install"
# shellcheck disable=SC2086
"$kubectl" wait --for condition=established --timeout=60s $crds >/dev/null || fail "CRDs established"
"$kubectl" get deploy -n tributary-system tributary-operator >/dev/null || fail "Deployment"

"$kubectl" apply -f "$repo/examples/" >/dev/null || fail "examples rejected"
out=$("$kubectl" get kc -n kafka events)
echo "$out" | head -1 | grep -q 'REPLICAS' || fail "printer columns: $out"
echo "$out" | tail -1 | grep -qE 'events +3 ' || fail "replicas column: $out"
[[ $("$kubectl" get tributary -n kafka -o name | wc -l) == 5 ]] || fail "category tributary"
[[ $("$kubectl" get kt -n kafka orders -o jsonpath='{.spec.deletionPolicy}') == Delete ]] \
    || fail "schema default deletionPolicy"
# The schema refuses what it can say without CEL.
if "$kubectl" apply -f - >/dev/null 2>&1 <<'YAML'
apiVersion: tributary.io/v1alpha1
kind: KafkaTopic
metadata: {name: bad, namespace: kafka}
spec: {clusterRef: {name: events}, partitions: 0}
YAML
then fail "partitions 0 accepted"; fi

"$helm" upgrade tributary-operator "$chart" -n tributary-system --set logLevel=debug >/dev/null \
    || fail "helm upgrade"
"$helm" uninstall tributary-operator -n tributary-system >/dev/null || fail "helm uninstall"
# shellcheck disable=SC2086
"$kubectl" get $crds >/dev/null || fail "CRDs deleted by uninstall"
"$kubectl" get kc -n kafka events >/dev/null || fail "custom resources lost"

"$kubectl" apply -f "$repo/manifests/" >/dev/null || fail "kubectl apply -f manifests/"
"$kubectl" get deploy -n tributary-system tributary-operator >/dev/null || fail "manifests Deployment"
echo "helm_install_kube_test: ok"
