# Messages of the management API's queue get on stdin, marker vote-id -> "kind:x-mitreden-reason" of each probe found.
import sys, json
marker, vote = sys.argv[1], sys.argv[2]
found = {}
for m in json.load(sys.stdin):
    reason = (m.get("properties", {}).get("headers") or {}).get("x-mitreden-reason", "")
    if marker in m.get("payload", ""): found["unparsable"] = reason
    if vote in m.get("payload", ""): found["unknown-ballot"] = reason
print(" ".join(f"{k}:{v}" for k, v in sorted(found.items())))
