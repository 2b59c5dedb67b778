# results.json option-id -> "yes|no TAB summary": the ballot is closed with one voter, one online vote for the option.
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except ValueError:
    print("no", "not JSON: " + open(sys.argv[1]).read(200), sep="\t"); sys.exit()
option = next((o for o in r.get("options", []) if o.get("optionId") == sys.argv[2]), {})
ok = r.get("state") == "closed" and r.get("voters") == 1 and option.get("onlineVotes") == 1
print("yes" if ok else "no", f"state {r.get('state')}, voters {r.get('voters')}, the chosen option {option.get('onlineVotes')} online vote(s)", sep="\t")
