#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Checks Documentation/netlink/specs/nestsw.yaml against the kernel's
schema of its protocol (genetlink-legacy: the one that knows
uns-admin-perm), and uapi/linux/nestsw.h against the header that YNL's
generator makes from the spec: the same enums, names and values, and a
comment for every attribute and command.

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
    for f in failures:
        print("spec: " + f)
    if failures:
        return 1
    print("spec: uapi/linux/nestsw.h matches the spec, every entry documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
