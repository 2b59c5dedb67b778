// helm/mitreden/values*.yaml must give every component the port of tools/mitreden/ports, the one table that
// ./mitreden and the build read (Helm cannot read it). A component's port is that of its image (voting-consumer
// runs the voting image). Usage: node check-ports.mjs <ports file> <values.yaml> [values-*.yaml ...]
// Env: MITREDEN_NODE_MODULES = node_modules folder holding yaml. Last line: "ports: N checked, M differ".
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.env.MITREDEN_NODE_MODULES;
if (!modules) throw new Error("MITREDEN_NODE_MODULES is not set");
const YAML = await import(pathToFileURL(path.join(modules, "yaml/dist/index.js")).href);

const [portsFile, defaultsFile, ...overrides] = process.argv.slice(2);
const ports = Object.fromEntries(fs.readFileSync(portsFile, "utf8").split("\n")
  .map((line) => line.replace(/#.*/, "").trim()).filter(Boolean)
  .map((line) => line.split(/\s+/)).map(([name, port]) => [name, Number(port)]));
const defaults = YAML.parse(fs.readFileSync(defaultsFile, "utf8"));
let checked = 0, differ = 0;
for (const file of [defaultsFile, ...overrides]) {
  const values = file === defaultsFile ? defaults : YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
  for (const [name, component] of Object.entries(values.components ?? {})) {
    const merged = { ...defaults.defaults, ...defaults.components?.[name], ...component };
    if (file !== defaultsFile && component?.port === undefined) continue; // an override file that keeps the port
    const image = (merged.image?.repository ?? `mitreden/${name}`).split("/").pop();
    checked++;
    if (ports[image] === undefined) {
      differ++; console.log(`${path.basename(file)}: ${name} runs image ${image}, which has no port in ${portsFile}`);
    } else if (merged.port !== ports[image]) {
      differ++; console.log(`${path.basename(file)}: ${name} has port ${merged.port}, tools/mitreden/ports says ${ports[image]}`);
    }
  }
}
console.log(`ports: ${checked} checked, ${differ} differ`);
process.exit(differ ? 1 : 0);
