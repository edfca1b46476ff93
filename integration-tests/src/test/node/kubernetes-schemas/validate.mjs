// Validates every document of the YAML files given as arguments against the JSON schema of its
// apiVersion and kind: Kubernetes' own (kubernetes-models) and the Prometheus Operator's
// (@kubernetes-models/prometheus-operator). Prints one line per document, "valid <file> <kind>/<name>"
// or "invalid <file> <kind>/<name>: <errors>", and exits 1 when any document is invalid or of a
// kind with no schema here.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

function modulePath(apiVersion) {
  if (apiVersion.startsWith("monitoring.coreos.com/")) {
    return `@kubernetes-models/prometheus-operator/${apiVersion}`;
  }
  return `kubernetes-models/${apiVersion}`;
}

let failed = false;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length > 0) {
      console.log(`invalid ${file}: ${document.errors.map((e) => e.message).join("; ")}`);
      failed = true;
      continue;
    }
    const object = document.toJS();
    if (object === null || object === undefined) {
      continue;
    }
    const id = `${file} ${object.kind}/${object.metadata?.name}`;
    let Model;
    try {
      Model = (await import(modulePath(String(object.apiVersion))))[object.kind];
    } catch (e) {
      Model = undefined;
    }
    if (typeof Model !== "function") {
      console.log(`invalid ${id}: no schema for apiVersion ${object.apiVersion} kind ${object.kind}`);
      failed = true;
      continue;
    }
    try {
      new Model(object).validate();
      console.log(`valid ${id}`);
    } catch (e) {
      console.log(`invalid ${id}: ${e.message}`);
      failed = true;
    }
  }
}
process.exit(failed ? 1 : 0);
