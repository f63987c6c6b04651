#!/usr/bin/env bash
# The Helm chart lints, renders for every values combination that changes its shape, renders
# CEL rules only for Kubernetes >= 1.25, and crds/ + manifests/ match what it renders today.
# Offline once helm is cached (helm/fetch-tools.sh fetches it once).
set -euo pipefail
repo=${TRIBUTARY_SOURCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
helm=$("$repo/helm/fetch-tools.sh" helm)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HELM_CACHE_HOME=$scratch/cache HELM_CONFIG_HOME=$scratch/config HELM_DATA_HOME=$scratch/data
chart=$repo/helm/tributary-operator
fail() { echo "FAIL: $*" >&2; exit 1; }

"$helm" lint --strict "$chart" >/dev/null || fail "helm lint"
"$helm" lint --strict "$chart" --set watchNamespaces='{team-a,team-b}' >/dev/null \
    || fail "helm lint with watchNamespaces"

render() { "$helm" template tributary-operator "$chart" --namespace ops "$@"; }
count() { grep -c -- "$1" || true; }

# CEL rules: only where the server knows them.
[[ $(render --kube-version 1.20.2 | count x-kubernetes-validations) == 0 ]] || fail "CEL on 1.20"
[[ $(render --kube-version 1.24.0 | count x-kubernetes-validations) == 0 ]] || fail "CEL on 1.24"
[[ $(render --kube-version 1.25.0 | count x-kubernetes-validations) -gt 0 ]] || fail "no CEL on 1.25"
[[ $(render --kube-version 1.20.2 --set crds.celValidation=true | count x-kubernetes-validations) -gt 0 ]] \
    || fail "celValidation=true ignored"

# Every namespace: cluster-wide binding; listed namespaces: one RoleBinding each.
all=$(render)
[[ $(echo "$all" | count 'kind: CustomResourceDefinition') == 3 ]] || fail "3 CRDs"
[[ $(echo "$all" | count 'kind: ClusterRoleBinding') == 2 ]] || fail "cluster-wide bindings"
listed=$(render --set watchNamespaces='{team-a,team-b}')
[[ $(echo "$listed" | count 'kind: ClusterRoleBinding') == 1 ]] || fail "one cluster binding"
echo "$listed" | grep -q 'namespace: team-a' || fail "RoleBinding in team-a"
echo "$listed" | grep -q -- '--namespaces=team-a,team-b' || fail "watch flag"
[[ $(render --set crds.install=false | count 'kind: CustomResourceDefinition') == 0 ]] \
    || fail "crds.install=false"
[[ $(render --set metrics.serviceMonitor.enabled=true | count 'kind: ServiceMonitor') == 1 ]] \
    || fail "ServiceMonitor"
[[ $(render --set leaderElection.enabled=false | count 'coordination.k8s.io') == 0 ]] \
    || fail "leader election RBAC off"
echo "$all" | grep -q 'helm.sh/resource-policy: keep' || fail "CRDs kept on uninstall"

# Checked-in bundles are what the chart renders.
"$repo/helm/generate.sh" --check || fail "crds/ or manifests/ drifted (run helm/generate.sh)"
echo "chart_test: ok"
