"""Pure node choice for a Pending pod among the agent's own nodes: nodeSelector, required node
affinity, a required node (from a node-local volume), required topology spread constraints
(DoNotSchedule) as hard filters; ScheduleAnyway spread, then pods per node, then the node name
as preferences. Taints and tolerations are not modelled (the agent's nodes carry no taints)."""


def _expression_matches(expr, labels):
    key, op, values = expr["key"], expr["operator"], expr.get("values", [])
    if op == "In":
        return key in labels and labels[key] in values
    if op == "NotIn":
        return key not in labels or labels[key] not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    if op in ("Gt", "Lt") and key in labels:
        try:
            have, want = int(labels[key]), int(values[0])
        except (ValueError, IndexError):
            return False
        return have > want if op == "Gt" else have < want
    return False


def selector_matches(selector, labels):
    """A LabelSelector (matchLabels + matchExpressions); a missing selector matches nothing."""
    if selector is None:
        return False
    for k, v in selector.get("matchLabels", {}).items():
        if labels.get(k) != v:
            return False
    return all(_expression_matches(e, labels) for e in selector.get("matchExpressions", []))


def node_fits(pod, node):
    """nodeSelector and requiredDuringSchedulingIgnoredDuringExecution node affinity."""
    labels = node.get("metadata", {}).get("labels", {})
    spec = pod.get("spec", {})
    for k, v in spec.get("nodeSelector", {}).items():
        if labels.get(k) != v:
            return False
    required = (spec.get("affinity", {}).get("nodeAffinity", {})
                .get("requiredDuringSchedulingIgnoredDuringExecution"))
    if required:
        terms = required.get("nodeSelectorTerms", [])
        if not any(all(_expression_matches(e, labels) for e in t.get("matchExpressions", []))
                   for t in terms):
            return False
    return True


def _domain_counts(constraint, pod, nodes, pods):
    """Matching pods per topology domain (a value of the constraint's key) over `nodes`."""
    key = constraint["topologyKey"]
    ns = pod["metadata"].get("namespace")
    node_domain = {n["metadata"]["name"]: n["metadata"].get("labels", {}).get(key)
                   for n in nodes}
    counts = {d: 0 for d in node_domain.values() if d is not None}
    for other in pods:
        meta = other.get("metadata", {})
        if meta.get("namespace") != ns or meta.get("deletionTimestamp"):
            continue
        domain = node_domain.get(other.get("spec", {}).get("nodeName"))
        if domain is None:
            continue
        if selector_matches(constraint.get("labelSelector"), meta.get("labels", {})):
            counts[domain] += 1
    return counts, node_domain


def choose_node(pod, nodes, pods, required_node=None):
    """The name of the node to bind `pod` to, or None when no node may take it. `pods` are the
    pods already bound (to count spread and load)."""
    eligible = [n for n in nodes if node_fits(pod, n)]
    candidates = eligible
    if required_node is not None:
        candidates = [n for n in eligible if n["metadata"]["name"] == required_node]
    constraints = pod.get("spec", {}).get("topologySpreadConstraints", [])
    preference = {n["metadata"]["name"]: 0 for n in candidates}
    for c in constraints:
        counts, node_domain = _domain_counts(c, pod, eligible, pods)
        if not counts:
            continue
        low = min(counts.values())
        hard = c.get("whenUnsatisfiable", "DoNotSchedule") == "DoNotSchedule"
        kept = []
        for n in candidates:
            domain = node_domain[n["metadata"]["name"]]
            if domain is None:
                if not hard:
                    kept.append(n)
                continue
            if hard and counts[domain] + 1 - low > int(c.get("maxSkew", 1)):
                continue
            preference[n["metadata"]["name"]] += counts[domain]
            kept.append(n)
        candidates = kept
    if not candidates:
        return None
    load = {n["metadata"]["name"]: 0 for n in candidates}
    for other in pods:
        name = other.get("spec", {}).get("nodeName")
        if name in load:
            load[name] += 1
    best = min(candidates, key=lambda n: (preference[n["metadata"]["name"]],
                                          load[n["metadata"]["name"]], n["metadata"]["name"]))
    return best["metadata"]["name"]
