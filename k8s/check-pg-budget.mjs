// PostgreSQL connections (k8s/CAPACITY.md "PostgreSQL connections"): the chart's per-pod Npgsql pools against
// tools/mitreden/postgres-connections, the one budget, and against each CloudNativePG cluster's max_connections.
//   1. helm/mitreden/values.yaml: every database's `Maximum Pool Size` (databases.<name>.options) is the budget's
//      row for that service, the pool ./mitreden gives each process.
//   2. every values file (merged over values.yaml as helm does): per database reached directly (no `host`, i.e. no
//      PgBouncer in front), the most pods the HPAs allow × pool + the migrations Job's pool + superuser_reserved +
//      cluster_headroom ≤ the cluster's max_connections in k8s/base/postgres.yaml (overlays only raise it).
// Usage: node check-pg-budget.mjs <budget file> <postgres.yaml> <values.yaml> [values-*.yaml ...]
// Env: MITREDEN_NODE_MODULES = node_modules folder holding yaml. Last line: "postgres: N databases checked, M over".
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.env.MITREDEN_NODE_MODULES;
if (!modules) throw new Error("MITREDEN_NODE_MODULES is not set");
const YAML = await import(pathToFileURL(path.join(modules, "yaml/dist/index.js")).href);

const [budgetFile, clustersFile, defaultsFile, ...overrides] = process.argv.slice(2);
const budget = Object.fromEntries(fs.readFileSync(budgetFile, "utf8").split("\n")
  .map((line) => line.replace(/#.*/, "").trim()).filter(Boolean)
  .map((line) => line.split(/\s+/)).map(([name, count]) => [name, Number(count)]));
const maxConnections = Object.fromEntries(YAML.parseAllDocuments(fs.readFileSync(clustersFile, "utf8"))
  .map((d) => d.toJS()).filter((o) => o?.kind === "Cluster")
  .map((o) => [o.metadata.name, Number(o.spec?.postgresql?.parameters?.max_connections ?? 100)]));

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const merge = (dst, src) => {
  const out = { ...dst };
  for (const [k, v] of Object.entries(src ?? {})) out[k] = isObject(v) && isObject(out[k]) ? merge(out[k], v) : v;
  return out;
};
const NPGSQL_DEFAULT_POOL = 100;
const poolOf = (db) => Number(/Maximum Pool Size\s*=\s*(\d+)/i.exec(db.options ?? "")?.[1] ?? NPGSQL_DEFAULT_POOL);

const defaults = YAML.parse(fs.readFileSync(defaultsFile, "utf8"));
let checked = 0, over = 0;
for (const [name, db] of Object.entries(defaults.databases ?? {})) {
  if (poolOf(db) !== budget[name]) {
    over++;
    console.log(`values.yaml: databases.${name} has Maximum Pool Size ${poolOf(db)}, ${path.basename(budgetFile)} says ${budget[name]}`);
  }
}
for (const file of [defaultsFile, ...overrides]) {
  const values = file === defaultsFile ? defaults : merge(defaults, YAML.parse(fs.readFileSync(file, "utf8")) ?? {});
  const pods = {};
  for (const [name, component] of Object.entries(values.components ?? {})) {
    const c = merge(values.defaults, component);
    if (c.enabled === false || !c.database) continue;
    pods[c.database] = (pods[c.database] ?? 0) + (c.hpa?.enabled ? c.hpa.maxReplicas : c.replicas);
  }
  for (const [name, db] of Object.entries(values.databases ?? {})) {
    if (db.host || db.connectionStringSecret) continue; // behind a pooler (or a connection string we cannot read)
    checked++;
    const pool = poolOf(db), limit = maxConnections[db.cluster];
    const need = (pods[name] ?? 0) * pool + pool + budget.superuser_reserved + budget.cluster_headroom;
    if (limit === undefined) {
      over++; console.log(`${path.basename(file)}: databases.${name}: cluster ${db.cluster} is not in ${path.basename(clustersFile)}`);
    } else {
      if (need > limit) over++;
      console.log(`${path.basename(file)}: databases.${name}: ${pods[name] ?? 0} pods × ${pool} + migrations ${pool} + reserve ` +
        `${budget.superuser_reserved + budget.cluster_headroom} = ${need} ${need > limit ? ">" : "≤"} max_connections ${limit} of ${db.cluster}` +
        (need > limit ? "  OVER" : ""));
    }
  }
}
console.log(`postgres: ${checked} databases checked, ${over} over budget`);
process.exit(over ? 1 : 0);
