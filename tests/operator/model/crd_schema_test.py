#!/usr/bin/env python3
"""The CRDs' schemas agree with the examples and with the operator's own JSON.

- every document in examples/ is valid under its CRD's openAPIV3Schema;
- no field of an example or of a golden input (what the C++ types read and write) would be
  pruned by the API server (it drops fields a structural schema does not list);
- known-bad documents are refused by the schema.
Runs under Debian's python3 (python3-yaml, python3-jsonschema).
"""
import copy
import glob
import json
import os
import sys

import jsonschema
import yaml

REPO = os.environ.get("TRIBUTARY_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", ".."))
failures = []


def load_schemas():
    schemas = {}
    for path in glob.glob(os.path.join(REPO, "crds", "*.yaml")):
        for doc in yaml.safe_load_all(open(path)):
            if doc and doc.get("kind") == "CustomResourceDefinition":
                version = doc["spec"]["versions"][0]
                schemas[doc["spec"]["names"]["kind"]] = version["schema"]["openAPIV3Schema"]
    return schemas


def to_json_schema(s):
    """openAPIV3Schema -> JSON Schema: int-or-string and preserve-unknown-fields."""
    s = copy.deepcopy(s)
    if s.get("x-kubernetes-int-or-string"):
        return {"type": ["integer", "string"]}
    for key in ("properties",):
        if key in s:
            s[key] = {k: to_json_schema(v) for k, v in s[key].items()}
    if isinstance(s.get("items"), dict):
        s["items"] = to_json_schema(s["items"])
    if isinstance(s.get("additionalProperties"), dict):
        s["additionalProperties"] = to_json_schema(s["additionalProperties"])
    return s


def pruned_fields(value, schema, path):
    """Fields the API server would drop: not listed and not preserved."""
    out = []
    if schema.get("x-kubernetes-preserve-unknown-fields") or schema.get(
            "x-kubernetes-int-or-string"):
        return out
    if isinstance(value, dict) and schema.get("type") == "object":
        if path.endswith(".metadata") or path == "metadata":
            return out
        props = schema.get("properties")
        extra = schema.get("additionalProperties")
        for k, v in value.items():
            child = f"{path}.{k}" if path else k
            if props is not None and k in props:
                out += pruned_fields(v, props[k], child)
            elif isinstance(extra, dict):
                out += pruned_fields(v, extra, child)
            else:
                out.append(child)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, v in enumerate(value):
            out += pruned_fields(v, schema["items"], f"{path}[{i}]")
    return out


def check(name, doc, schemas):
    schema = schemas.get(doc.get("kind"))
    if schema is None:
        return
    try:
        jsonschema.validate(doc, to_json_schema(schema))
    except jsonschema.ValidationError as e:
        failures.append(f"{name}: {e.message} at {list(e.absolute_path)}")
    for field in pruned_fields(doc, schema, ""):
        failures.append(f"{name}: field {field} is not in the CRD schema (would be pruned)")


def must_fail(name, doc, schemas):
    try:
        jsonschema.validate(doc, to_json_schema(schemas[doc["kind"]]))
        failures.append(f"{name}: the schema accepted a bad document")
    except jsonschema.ValidationError:
        pass


def main():
    schemas = load_schemas()
    if sorted(schemas) != ["KafkaCluster", "KafkaTopic", "KafkaUser"]:
        failures.append(f"crds/ holds {sorted(schemas)}")
    checked = 0
    for path in sorted(glob.glob(os.path.join(REPO, "examples", "*.yaml"))):
        for i, doc in enumerate(yaml.safe_load_all(open(path))):
            if doc:
                check(f"{os.path.basename(path)}#{i}", doc, schemas)
                checked += 1
    for path in sorted(glob.glob(os.path.join(REPO, "tests/operator/model/golden/*/input.json"))):
        check(path, json.load(open(path))["cluster"], schemas)
        checked += 1
    base = {"apiVersion": "tributary.io/v1alpha1", "kind": "KafkaCluster",
            "metadata": {"name": "x"},
            "spec": {"replicas": 1, "storage": {"type": "ephemeral"},
                     "listeners": [{"name": "plain", "port": 9092}]}}
    check("minimal cluster", base, schemas)
    bad = copy.deepcopy(base)
    bad["spec"]["replicas"] = 0
    must_fail("replicas 0", bad, schemas)
    bad = copy.deepcopy(base)
    bad["spec"]["listeners"][0]["type"] = "ingress"
    must_fail("listener type", bad, schemas)
    bad = copy.deepcopy(base)
    bad["spec"]["storage"] = {"type": "persistent-claim", "size": "ten"}
    must_fail("storage size", bad, schemas)
    must_fail("topic without clusterRef",
              {"kind": "KafkaTopic", "metadata": {"name": "t"}, "spec": {"partitions": 3}}, schemas)
    must_fail("user with unknown operation",
              {"kind": "KafkaUser", "metadata": {"name": "u"},
               "spec": {"clusterRef": {"name": "c"}, "authentication": {"type": "tls"},
                        "authorization": {"type": "simple", "acls": [
                            {"resource": {"type": "topic", "name": "t"},
                             "operations": ["Fly"]}]}}}, schemas)
    for f in failures:
        print("FAIL:", f)
    print(f"crd_schema_test: {checked} documents checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
