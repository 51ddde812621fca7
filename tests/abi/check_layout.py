#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/abi/check_layout.py ABI_XML LAYOUT_JSON

Checks struct_layout's JSON (what a C compiler sees in the installed
headers) against the library's ABI as abidw describes it: every public
struct of the ABI (a complete class-decl named socind_*, from the public
headers) is in the JSON with the same size and the same fields, in the same
order, at the same offsets; and the JSON names no struct the ABI lacks.
Prints each difference and exits 1 on any; 0 and a one-line summary else.
"""
import json
import sys
import xml.etree.ElementTree as ET


def abi_structs(path):
    structs = {}
    for c in ET.parse(path).getroot().iter("class-decl"):
        name = c.get("name", "")
        if not name.startswith("socind_") or name.startswith("socind__"):
            continue
        if c.get("is-declaration-only") == "yes":
            continue  # an opaque handle
        fields = []
        for m in c.findall("data-member"):
            v = m.find("var-decl")
            fields.append((v.get("name"), int(m.get("layout-offset-in-bits")) // 8))
        structs[name] = (int(c.get("size-in-bits")) // 8, fields)
    return structs


def main():
    abi = abi_structs(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        layout = {s["name"]: s for s in json.load(f)["structs"]}
    errors = []
    for name, (size, fields) in sorted(abi.items()):
        s = layout.get(name)
        if s is None:
            errors.append(f"{name}: in the ABI, missing from tests/abi/struct_layout.c")
            continue
        if s["size"] != size:
            errors.append(f"{name}: size {s['size']} in struct_layout, {size} in the ABI")
        got = [(f["name"], f["offset"]) for f in s["fields"]]
        if got != fields:
            errors.append(f"{name}: fields (name, offset) in struct_layout {got}, in the ABI {fields}")
    for name in sorted(set(layout) - set(abi)):
        errors.append(f"{name}: in tests/abi/struct_layout.c, not a struct of the library's ABI")
    for e in errors:
        print("struct layout:", e)
    if errors:
        print("struct layout: update tests/abi/struct_layout.c to the headers")
        return 1
    nfields = sum(len(f) for _, f in abi.values())
    print(f"struct layout: {len(abi)} public structs, {nfields} fields, as the ABI has them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
