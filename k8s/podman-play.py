#!/usr/bin/python3
"""k8s/podman-play.py - turns `helm template` output into what Podman 4.3's `podman kube play` runs, doing the parts a
cluster would do that kube play does not (used by `./mitreden k8s-smoke`, see k8s/README.md).

  podman-play.py RENDERED SECRETS_JSON OUT_DIR

RENDERED     multi-document YAML from `helm template`
SECRETS_JSON {"<secret name>": {"<key>": "<value>"}}: the Secrets the platform would hold (the same ones are created
             as Podman secrets, which kube play's secretKeyRef reads)
OUT_DIR      gets hosts (see below), jobs.yaml (every Job's pod template as a Pod with restartPolicy Never: kube play 4.3 has no Jobs),
             apps.yaml (ConfigMaps and Deployments), and plan.json (names, ports, readiness paths, what was left out)

What a cluster does and kube play 4.3 does not, done here:
- Services and cluster DNS: every pod runs in the host's network (kube play --network host), so a Service is the
  loopback address on its port. kube play 4.3 ignores hostAliases in the host's network, so OUT_DIR/hosts (every
  Service name -> 127.0.0.1) is mounted as each container's /etc/hosts (a hostPath volume).
- $(VAR) in an env value (Kubernetes expands references to entries defined earlier in the same list, secretKeyRef
  included; kube play passes them on literally): expanded here, secret values from SECRETS_JSON.
- Jobs: run as plain pods by the caller, before the Deployments, with the Job's backoffLimit as retries.
Everything else is passed on unchanged (securityContext, probes, resources, volumes, envFrom, args).
"""
import json
import re
import sys
from pathlib import Path

import yaml

REF = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)")


def expand_env(env, secrets, where):
    """Kubernetes' dependent environment variables: $(NAME) of an earlier entry is replaced, $$ escapes."""
    known = {}
    for entry in env or []:
        if "value" in entry:
            value = str(entry["value"])
            if "$" in value:
                def sub(m):
                    if m.group(0) == "$$":
                        return "$"
                    if m.group(1) not in known:
                        return m.group(0)   # as Kubernetes does: an unknown reference stays as it is
                    return known[m.group(1)]
                value = REF.sub(sub, value)
                entry["value"] = value
            known[entry["name"]] = value
        elif "secretKeyRef" in entry.get("valueFrom", {}):
            ref = entry["valueFrom"]["secretKeyRef"]
            try:
                known[entry["name"]] = secrets[ref["name"]][ref["key"]]
            except KeyError:
                sys.exit(f"{where}: env {entry['name']} needs secret {ref['name']} key {ref['key']}, which is not given")


def pod_spec_fix(spec, hosts, secrets, where):
    spec.setdefault("volumes", []).append({"name": "service-names", "hostPath": {"path": str(hosts), "type": "File"}})
    for c in spec.get("containers", []) + spec.get("initContainers", []):
        expand_env(c.get("env"), secrets, f"{where}/{c['name']}")
        c.setdefault("volumeMounts", []).append({"name": "service-names", "mountPath": "/etc/hosts", "readOnly": True})
        # In the host's network a containerPort is the host's port already; kube play 4.3 refuses port mappings
        # there, so probes get the number their named port stands for and the ports list goes.
        for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
            if "httpGet" in c.get(kind, {}):
                c[kind]["httpGet"]["port"] = probe_port(c, c[kind])
        c.pop("ports", None)


def probe_port(container, probe):
    port = probe["httpGet"]["port"]
    if isinstance(port, int):
        return port
    for p in container.get("ports", []):
        if p.get("name") == port:
            return p["containerPort"]
    sys.exit(f"container {container['name']}: probe port {port} is not a named port")


def main():
    rendered, secrets_file, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    docs = [d for d in yaml.safe_load_all(Path(rendered).read_text()) if d]
    secrets = json.loads(Path(secrets_file).read_text())
    out.mkdir(parents=True, exist_ok=True)
    hosts = (out / "hosts").resolve()
    services = sorted(d["metadata"]["name"] for d in docs if d["kind"] == "Service")
    hosts.write_text(f"127.0.0.1 localhost {' '.join(services)}\n::1 localhost\n")
    jobs, apps, left_out, plan = [], [], {}, {"jobs": [], "deployments": [], "images": [], "leftOut": {}}
    for d in docs:
        kind, name = d["kind"], d["metadata"]["name"]
        if kind == "ConfigMap":
            apps.append(d)
        elif kind == "Deployment":
            spec = d["spec"]["template"]["spec"]
            pod_spec_fix(spec, hosts, secrets, f"Deployment {name}")
            c = spec["containers"][0]   # probe ports are numbers now
            ready = c.get("readinessProbe", {}).get("httpGet")
            plan["deployments"].append({
                "name": name, "pod": f"{name}-pod-0", "container": f"{name}-pod-0-{c['name']}", "image": c["image"],
                "readyPath": ready["path"] if ready else None,
                "readyPort": probe_port(c, c["readinessProbe"]) if ready else None,
                "runAsUser": (c.get("securityContext") or {}).get("runAsUser"),
                "readOnlyRootFilesystem": (c.get("securityContext") or {}).get("readOnlyRootFilesystem", False),
            })
            apps.append(d)
        elif kind == "Job":
            template = d["spec"]["template"]
            spec = template["spec"]
            spec["restartPolicy"] = "Never"
            pod_spec_fix(spec, hosts, secrets, f"Job {name}")
            jobs.append({"apiVersion": "v1", "kind": "Pod",
                         "metadata": {"name": name, "labels": template.get("metadata", {}).get("labels", {})},
                         "spec": spec})
            plan["jobs"].append({"name": name, "container": f"{name}-{spec['containers'][0]['name']}",
                                 "image": spec["containers"][0]["image"], "backoffLimit": d["spec"].get("backoffLimit", 6)})
        else:
            left_out[kind] = left_out.get(kind, 0) + 1
    plan["images"] = sorted({x["image"] for x in plan["deployments"] + plan["jobs"]})
    plan["leftOut"] = left_out
    (out / "jobs.yaml").write_text(yaml.safe_dump_all(jobs, sort_keys=False))
    (out / "apps.yaml").write_text(yaml.safe_dump_all(apps, sort_keys=False))
    (out / "plan.json").write_text(json.dumps(plan, indent=1))


if __name__ == "__main__":
    main()
