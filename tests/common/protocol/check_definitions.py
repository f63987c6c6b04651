#!/usr/bin/env python3
"""Cross-checks the project's message definitions against Kafka's reference message specs.

Usage: check_definitions.py DEFS_DIR REFERENCE_DIR

For every messages/*.def it compares, with the reference request and response specs of the
same API: API key, valid versions, flexible versions, and per field (recursively, in order)
the name, type, versions, nullable versions, tag, tagged versions and default. Prints every
mismatch and exits 1 if there is any. When REFERENCE_DIR does not exist it says it had nothing
to compare and exits 0. Standard library only; reuses the generator's parser.
"""

import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "common", "protocol", "generator"))
import generate  # noqa: E402


def load_spec(path):
    """Reads a reference spec: JSON with whole-line // comments."""
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f if not line.lstrip().startswith("//")]
    return json.loads("".join(lines))


def norm_range(text, where):
    r = generate.Range.parse(text, where)
    return "none" if r.empty else r.text()


def norm_default(value):
    if value is None:
        return None
    return str(value).replace(" ", "").lower()


def compare_fields(ours, spec_fields, common_structs, where, problems):
    theirs = list(spec_fields)
    if [f.name for f in ours] != [f["name"] for f in theirs]:
        problems.append(f"{where}: fields {[f.name for f in ours]} != "
                        f"reference {[f['name'] for f in theirs]}")
        return
    for f, ref in zip(ours, theirs):
        at = f"{where}.{f.name}"
        checks = [
            ("type", f.type_text, ref["type"]),
            ("versions", f.versions.text(), norm_range(ref["versions"], at)),
            ("nullable", f.nullable.text() if f.nullable else None,
             norm_range(ref["nullableVersions"], at) if "nullableVersions" in ref else None),
            ("tag", f.tag, ref.get("tag")),
            ("tagged", f.tagged.text() if f.tagged else None,
             norm_range(ref["taggedVersions"], at) if "taggedVersions" in ref else None),
            ("default", norm_default(f.default), norm_default(ref.get("default"))),
        ]
        if "flexibleVersions" in ref:
            problems.append(f"{at}: reference has per-field flexibleVersions, not modelled")
        for what, mine, ref_value in checks:
            if mine != ref_value:
                problems.append(f"{at}: {what} {mine!r} != reference {ref_value!r}")
        if f.is_struct:
            children = ref.get("fields")
            if children is None:
                children = common_structs.get(f.base, {}).get("fields", [])
            compare_fields(f.children, children, common_structs, at, problems)


def check_api(api, ref_dir, problems):
    for kind in ("request", "response"):
        msg = api.messages[kind]
        path = os.path.join(ref_dir, f"{msg.name}.json")
        if not os.path.exists(path):
            problems.append(f"{api.path}: no reference spec {msg.name}.json")
            continue
        spec = load_spec(path)
        where = msg.name
        if spec.get("apiKey") != api.key:
            problems.append(f"{where}: api key {api.key} != reference {spec.get('apiKey')}")
        if api.versions.text() != norm_range(spec["validVersions"], where):
            problems.append(f"{where}: versions {api.versions.text()} != reference "
                            f"{spec['validVersions']}")
        theirs_flex = norm_range(spec.get("flexibleVersions", "none"), where)
        ours_flex = "none" if api.flexible.empty else api.flexible.text()
        if ours_flex != theirs_flex:
            problems.append(f"{where}: flexible {ours_flex} != reference {theirs_flex}")
        common_structs = {s["name"]: s for s in spec.get("commonStructs", [])}
        compare_fields(msg.fields, spec.get("fields", []), common_structs, where, problems)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    defs_dir, ref_dir = sys.argv[1], sys.argv[2]
    defs = sorted(glob.glob(os.path.join(defs_dir, "*.def")))
    if not os.path.isdir(ref_dir):
        print(f"reference specs not found at {ref_dir}: nothing to compare "
              f"({len(defs)} definitions unchecked)")
        return 0
    problems = []
    for path in defs:
        try:
            check_api(generate.parse_def(path), ref_dir, problems)
        except generate.DefError as e:
            problems.append(str(e))
    for p in problems:
        print(f"MISMATCH {p}")
    print(f"checked {len(defs)} definitions against {ref_dir}: {len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
