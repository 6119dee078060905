# Prints, for the given aten op names, each overload's schema and dispatch keys from
# native_functions-2.14.yaml (no dispatch: section = CompositeImplicitAutograd).
# Usage: python3 scripts/op-dispatch-info.py add relu view ...
import sys, re
path = "../shared/reference/native_functions-2.14.yaml"
entries, cur = [], None
for line in open(path):
    if line.startswith("- func:"):
        cur = {"func": line[len("- func:"):].strip(), "dispatch": [], "composite": None}
        entries.append(cur)
    elif cur is not None:
        m = re.match(r"\s{4}([A-Za-z0-9_, ]+):\s*(\S+)", line)
        if line.startswith("  dispatch:"):
            cur["in_dispatch"] = True
        elif cur.get("in_dispatch") and m:
            cur["dispatch"].append(m.group(1).strip())
        elif not line.startswith("    "):
            cur["in_dispatch"] = False
        if line.strip().startswith("structured_delegate:"):
            cur["composite"] = "structured_delegate " + line.split(":",1)[1].strip()
for e in entries:
    name = e["func"].split("(")[0]
    base = name.split(".")[0]
    if base in sys.argv[1:] or name in sys.argv[1:]:
        keys = ", ".join(e["dispatch"]) or ("(structured delegate)" if e["composite"] else "CompositeImplicitAutograd")
        print(f"{e['func']}\n    -> {keys}")
