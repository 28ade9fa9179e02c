#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Checks Documentation/netlink/specs/nestsw.yaml against the kernel's
schema of its protocol (genetlink-legacy: the one that knows
uns-admin-perm), and uapi/linux/nestsw.h against the header that YNL's
generator makes from the spec: the same enums, names and values, and a
comment for every attribute and command; and the tool's tables of the
spec's attribute names (tools/nestsw/genl.c, for kernel errors) against
the spec's attribute sets and the sets their nests hold.

Usage: spec_check.py KSRC   (an extracted linux-source-6.12 tree)
"""
import os
import re
import subprocess
import sys
import tempfile

import jsonschema
import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = os.path.join(TOP, "Documentation/netlink/specs/nestsw.yaml")
HEADER = os.path.join(TOP, "uapi/linux/nestsw.h")
GENL = os.path.join(TOP, "tools/nestsw/genl.c")


def enums(text):
    """{enum name: {enumerator: value}} of a C header."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    out = {}
    for name, body in re.findall(r"enum\s+(\w+)\s*{(.*?)}", text, re.S):
        value, members = -1, {}
        for item in filter(None, (i.strip() for i in body.split(","))):
            key, _, expr = item.partition("=")
            key = key.strip()
            expr = expr.strip()
            if expr.isdigit():
                value = int(expr)
            elif expr:
                value = members[re.sub(r"[()]|\s*-\s*1", "", expr)] - 1 \
                    if expr.endswith("1)") else members[expr]
            else:
                value += 1
            members[key] = value
        out[name] = members
    return out


def c_name(*parts):
    """The C enumerator of a spec name: c_name("nestsw-a-pg-", "name")."""
    return "".join(parts).upper().replace("-", "_")


def tool_tables(text):
    """genl.c's tables of names and nests: {table: (the enumerator of its
    size, {enumerator: name or set variable})}; and its sets:
    {set variable: (names table, max enumerator, nests table or NULL)}."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    tables = {}
    for table, size, body in re.findall(
            r"\b(nsw_\w+_(?:attr_names|nests))\s*\[\s*(\w+)\s*\+\s*1\s*\]"
            r"\s*=\s*{(.*?)}", text, re.S):
        tables[table] = (size, {k: name or var for k, name, var in re.findall(
            r'\[\s*(\w+)\s*\]\s*=\s*(?:"([^"]*)"|&\s*(\w+))', body)})
    sets = {var: fields for var, *fields in re.findall(
        r"struct nsw_attr_set\s+(\w+)\s*=\s*{\s*(\w+)\s*,\s*(\w+)\s*,"
        r"\s*(\w+)\s*,?\s*}", text)}
    return tables, sets


def check_tool(spec, text):
    """Failures of genl.c's tables against the spec's attribute sets: a
    names table (sized SET_MAX + 1) names every attribute of its set as the
    spec does, and no other; a set's nests point each nest attribute to
    the set of its nested-attributes (if genl.c has that set), and no
    other attribute anywhere."""
    spec_sets = {}  # max enumerator: (set name, {enumerator: attribute})
    for aset in spec["attribute-sets"]:
        prefix = aset.get("name-prefix", f"{spec['name']}-a-{aset['name']}-")
        spec_sets[c_name(aset.get("attr-max-name", prefix + "max"))] = (
            aset["name"],
            {c_name(prefix, a["name"]): a for a in aset["attributes"]})
    tables, sets = tool_tables(text)
    failures = [f"{t}: {size} is the max of no attribute set of the spec"
                for t, (size, _) in tables.items() if size not in spec_sets]
    if not sets:
        failures.append(f"{GENL}: no struct nsw_attr_set found")

    for table, (size, entries) in tables.items():
        if table.endswith("_nests") or size not in spec_sets:
            continue
        set_name, attrs = spec_sets[size]
        for key in sorted(attrs.keys() | entries.keys()):
            mine, name = entries.get(key), attrs.get(key, {}).get("name")
            if mine is None:
                failures.append(f"{table}: [{key}] is missing, the spec's "
                                f'set {set_name} names it "{name}"')
            elif name is None:
                failures.append(f'{table}: [{key}] is "{mine}", the spec\'s '
                                f"set {set_name} has no such attribute")
            elif mine != name:
                failures.append(f'{table}: [{key}] is "{mine}", the spec\'s '
                                f'set {set_name} names it "{name}"')

    set_of = {}     # set variable: the name of its set in the spec
    for var, (names, top, nests) in sets.items():
        size = tables.get(names, (None,))[0]
        if size not in spec_sets or top != size or \
                nests != "NULL" and tables.get(nests, (None,))[0] != size:
            failures.append(f"{var}: {names}, {top} and {nests} are not "
                            "all of one attribute set of the spec")
        else:
            set_of[var] = spec_sets[size][0]
    for var, (_, top, nests) in sets.items():
        if var not in set_of:
            continue
        attrs = spec_sets[top][1]
        entries = tables.get(nests, (None, {}))[1]
        where = nests if nests != "NULL" else f"{var} (nests NULL)"
        for key in sorted(attrs.keys() | entries.keys()):
            want = attrs.get(key, {}).get("nested-attributes")
            want = want if want in set_of.values() else None
            mine = entries.get(key)
            if set_of.get(mine, mine) == want:
                continue
            mine = f"&{mine} (set {set_of.get(mine, '?')})" if mine \
                else "missing"
            failures.append(f"{where}: [{key}] is {mine}, the spec's "
                            f"nested-attributes {want or 'none'}")
    return failures


def generated_header(ksrc):
    specs = os.path.join(ksrc, "Documentation/netlink/specs")
    copy = os.path.join(specs, "nestsw.yaml")
    with open(SPEC) as src, open(copy, "w") as dst:
        dst.write(src.read())
    with tempfile.NamedTemporaryFile("r", suffix=".h") as out:
        subprocess.run([sys.executable, "ynl-gen-c.py", "--mode", "uapi",
                        "--header", "--spec", copy, "-o", out.name],
                       cwd=os.path.join(ksrc, "tools/net/ynl"), check=True)
        return out.read()


def main():
    ksrc = os.path.abspath(sys.argv[1])
    failures = []

    spec = yaml.safe_load(open(SPEC))
    protocol = spec["protocol"]
    schema = yaml.safe_load(open(os.path.join(
        ksrc, "Documentation/netlink", protocol + ".yaml")))
    jsonschema.validate(spec, schema)
    print(f"spec: valid against the kernel's {protocol} schema")

    ours_text = open(HEADER).read()
    ours, gen = enums(ours_text), enums(generated_header(ksrc))
    for name, members in gen.items():
        mine = {k: v for k, v in ours.get(name, {}).items()
                if not k.endswith("_UNSPEC")}
        if mine != members:
            failures.append(f"enum {name}: header {mine} != spec {members}")
        for key in members:
            if key.startswith("__") or key.endswith("_MAX"):
                continue
            if not re.search(r"@%s:" % key, ours_text):
                failures.append(f"{key} has no comment in {HEADER}")
    genl = open(GENL).read()
    failures += check_tool(spec, genl)
    for f in failures:
        print("spec: " + f)
    if failures:
        return 1
    print("spec: uapi/linux/nestsw.h matches the spec, every entry documented")
    print("spec: tools/nestsw/genl.c names the attributes of its %d sets, "
          "and their nests, as the spec does" % len(tool_tables(genl)[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
