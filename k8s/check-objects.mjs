// Schema-checks every object of rendered manifests (helm template / kubectl kustomize output) with the
// kubernetes-models JSON schemas, applies our own rules (security context, probes, no Secret values), minimal
// rules for the operators' custom resources, and checks that the voting path is complete in every chart render.
// Usage: node check-objects.mjs <label>=<file.yaml> ...   (labels starting with "chart" hold a chart render)
// Env: MITREDEN_NODE_MODULES = node_modules folder holding kubernetes-models and yaml.
// Last line: "objects=N invalid=M" (M: objects or voting-path items with at least one problem).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.env.MITREDEN_NODE_MODULES;
if (!modules) throw new Error("MITREDEN_NODE_MODULES is not set");
const load = (p) => import(pathToFileURL(path.join(modules, p)).href);
const YAML = await load("yaml/dist/index.js");

let objects = 0;
const invalidItems = new Set(); // an object, or a missing piece of the voting path, counts once
const fail = (where, message) => {
  invalidItems.add(where);
  console.log(`INVALID ${where}: ${message}`);
};

const modelCache = new Map();
async function modelFor(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (!modelCache.has(key)) {
    const file = path.join(modules, "kubernetes-models", apiVersion, `${kind}.js`);
    modelCache.set(key, fs.existsSync(file) ? (await load(path.relative(modules, file)))[kind] : null);
  }
  return modelCache.get(key);
}

// Custom resources of the operators the platform uses: kubernetes-models has no schema for them.
const customRules = {
  "rabbitmq.com/v1beta1/RabbitmqCluster": (o) => {
    const r = o.spec?.replicas;
    if (!Number.isInteger(r) || r < 3 || r % 2 === 0) return "spec.replicas must be an odd integer >= 3 (quorum queues)";
    if (!/default_queue_type\s*=\s*quorum/.test(o.spec?.rabbitmq?.additionalConfig ?? "")) return "quorum queues are not the default";
    return null;
  },
  "postgresql.cnpg.io/v1/Cluster": (o) => {
    const s = o.spec ?? {};
    if (!Number.isInteger(s.instances) || s.instances < 1) return "spec.instances must be an integer >= 1";
    if (typeof s.storage?.size !== "string") return "spec.storage.size must be a quantity string";
    if (typeof s.bootstrap?.initdb?.database !== "string") return "spec.bootstrap.initdb.database is missing";
    return null;
  },
  "postgresql.cnpg.io/v1/Pooler": (o) => {
    const s = o.spec ?? {};
    if (typeof s.cluster?.name !== "string") return "spec.cluster.name is missing";
    if (!Number.isInteger(s.instances) || s.instances < 1) return "spec.instances must be an integer >= 1";
    if (!["rw", "ro"].includes(s.type)) return "spec.type must be rw or ro";
    if (!["session", "transaction"].includes(s.pgbouncer?.poolMode)) return "spec.pgbouncer.poolMode must be session or transaction";
    return null;
  },
};

const podSpecOf = (o) =>
  o.kind === "Deployment" || o.kind === "StatefulSet" ? o.spec?.template?.spec
    : o.kind === "Job" ? o.spec?.template?.spec : null;

function ownRules(o, where) {
  const problems = [];
  const pod = podSpecOf(o);
  if (pod) {
    if (pod.securityContext?.runAsNonRoot !== true) problems.push("pod securityContext.runAsNonRoot is not true");
    if (pod.securityContext?.seccompProfile?.type !== "RuntimeDefault") problems.push("pod seccompProfile is not RuntimeDefault");
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      const sc = c.securityContext ?? {};
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${c.name}: allowPrivilegeEscalation is not false`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${c.name}: readOnlyRootFilesystem is not true`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push(`${c.name}: capabilities do not drop ALL`);
      if (!c.resources?.requests) problems.push(`${c.name}: no resource requests`);
      for (const e of c.env ?? []) {
        if (/password|secret|key/i.test(e.name) && typeof e.value === "string" && !e.value.includes("$(") && e.value !== "")
          problems.push(`${c.name}: env ${e.name} holds a literal value; use a secretKeyRef`);
        if (/Password=[^$;]/.test(e.value ?? "") || /amqp:\/\/[^$:]+:[^$@]+@/.test(e.value ?? ""))
          problems.push(`${c.name}: env ${e.name} holds a literal credential`);
      }
    }
    const mitreden = o.metadata?.labels?.["app.kubernetes.io/part-of"] === "mitreden";
    if (mitreden && pod.securityContext?.runAsUser !== 1654) problems.push("pod runAsUser is not 1654");
  }
  if (o.kind === "Secret" && (o.data || o.stringData)) problems.push("manifests must not carry Secret values");
  for (const p of problems) fail(where, p);
}

const charts = [];
for (const arg of process.argv.slice(2)) {
  const [label, file] = arg.split("=");
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, "utf8"));
  const list = [];
  for (const doc of docs) {
    if (doc.errors.length) { fail(label, `YAML: ${doc.errors[0].message}`); continue; }
    const o = doc.toJS();
    if (o == null) continue;
    objects++;
    const where = `${label} ${o.kind}/${o.metadata?.name}`;
    if (!o.apiVersion || !o.kind || !o.metadata?.name) { fail(where, "apiVersion, kind or metadata.name missing"); continue; }
    list.push(o);
    const Model = await modelFor(o.apiVersion, o.kind);
    if (Model) {
      try { new Model(o).validate(); } catch (e) { fail(where, String(e.message ?? e).split("\n").slice(0, 6).join(" | ")); }
    } else if (customRules[`${o.apiVersion}/${o.kind}`]) {
      const problem = customRules[`${o.apiVersion}/${o.kind}`](o);
      if (problem) fail(where, problem);
    } else {
      fail(where, `no schema for ${o.apiVersion} ${o.kind}`);
    }
    ownRules(o, where);
  }
  if (label.startsWith("chart")) charts.push([label, list]);
}

// The voting path: API and consumer Deployments with all three probes, an HPA and a PDB each; the consumer's
// HPA also scales on the votes queue; the two run with opposite Voting__*__Enabled switches.
for (const [label, list] of charts) {
  const find = (kind, suffix) => list.find((o) => o.kind === kind && o.metadata.name.endsWith(suffix)
    && o.metadata.labels?.["app.kubernetes.io/component"] === suffix.slice(1));
  for (const component of ["voting", "voting-consumer"]) {
    const where = `${label} voting path (${component})`;
    const deployment = find("Deployment", `-${component}`);
    if (!deployment) { fail(where, "Deployment missing"); continue; }
    const c = deployment.spec.template.spec.containers[0];
    for (const [probe, pathPrefix] of [["startupProbe", "/health/"], ["livenessProbe", "/health/live"], ["readinessProbe", "/health/ready"]]) {
      if (!c[probe]?.httpGet?.path?.startsWith(pathPrefix)) fail(where, `${probe} missing or not on ${pathPrefix}`);
    }
    const hpa = list.find((o) => o.kind === "HorizontalPodAutoscaler" && o.spec.scaleTargetRef.name === deployment.metadata.name);
    if (!hpa) fail(where, "HorizontalPodAutoscaler missing");
    else {
      if (!hpa.spec.metrics.some((m) => m.type === "Resource" && m.resource.name === "cpu")) fail(where, "HPA does not scale on CPU");
      if (component === "voting-consumer" && !hpa.spec.metrics.some((m) => m.type === "External"
        && m.external.metric.name === "rabbitmq_queue_messages_ready" && m.external.metric.selector?.matchLabels?.queue === "votes"))
        fail(where, "HPA does not scale on rabbitmq_queue_messages_ready{queue=votes}");
    }
    const selector = deployment.spec.selector.matchLabels;
    const pdb = list.find((o) => o.kind === "PodDisruptionBudget"
      && Object.entries(o.spec.selector.matchLabels ?? {}).every(([k, v]) => selector[k] === v)
      && Object.keys(o.spec.selector.matchLabels ?? {}).length === Object.keys(selector).length);
    if (!pdb) fail(where, "PodDisruptionBudget missing");
    const configName = c.envFrom?.[0]?.configMapRef?.name;
    const config = list.find((o) => o.kind === "ConfigMap" && o.metadata.name === configName)?.data ?? {};
    const consumer = component === "voting-consumer";
    if (config.Voting__Consumer__Enabled !== String(consumer) || config.Voting__Api__Enabled !== String(!consumer))
      fail(where, "Voting__Consumer__Enabled / Voting__Api__Enabled are not set for this role");
    if (config.Auth__Audience !== "mitreden-voting") fail(where, "Auth__Audience is not mitreden-voting");
  }
  const gatewayConfig = list.find((o) => o.kind === "ConfigMap" && o.metadata.labels?.["app.kubernetes.io/component"] === "gateway")?.data ?? {};
  for (const s of ["identity", "proposals", "comments", "voting", "moderation", "web"])
    if (!gatewayConfig[`Services__${s}`]) fail(`${label} gateway`, `Services__${s} missing`);
  if (!list.some((o) => o.kind === "Job" && o.metadata.annotations?.["helm.sh/hook"]?.includes("pre-install")
    && o.spec.template.spec.containers[0].args?.includes("--migrate-only") && o.metadata.name.endsWith("-voting-migrations")))
    fail(`${label} voting`, "migrations Job (pre-install hook, --migrate-only) missing");
}

console.log(`objects=${objects} invalid=${invalidItems.size}`);
