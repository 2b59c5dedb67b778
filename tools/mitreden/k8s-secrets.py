# secrets.json -> one line per secret: name TAB JSON with base64 values (what kube play reads from a Podman secret).
import base64, json, sys
for name, keys in json.load(open(sys.argv[1])).items():
    if name:
        print(name, json.dumps({k: base64.b64encode(v.encode()).decode() for k, v in keys.items()}), sep="\t")
