// Validates every document of the YAML files given as arguments against the JSON schema of its
// apiVersion and kind: Kubernetes' own (kubernetes-models) and the Prometheus Operator's
// (@kubernetes-models/prometheus-operator), and then with the API server's own format checks that
// the schemas lack (formats(), below): names, label and annotation keys, label values, ConfigMap and
// Secret data keys, container names and images of pod templates. Prints one line per document,
// "valid <file> <kind>/<name>" or "invalid <file> <kind>/<name>: <errors>", and exits 1 when any
// document is invalid or of a kind with no schema here.
//
// Not checked: unknown fields (the schemas allow them, as Kubernetes' OpenAPI does for many
// objects; kubectl --validate=strict would refuse them), references between objects, quotas,
// admission webhooks and anything else only a cluster knows.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// k8s.io/apimachinery/pkg/util/validation: the formats the API server enforces
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
// kinds whose name must be a DNS-1035 label (the API server: Service); the others a DNS-1123 subdomain
const LABEL_NAMED_KINDS = new Set(["Service"]);
const POD_TEMPLATE_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]);

function subdomain(value, what, errors) {
  if (typeof value !== "string" || value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    errors.push(
      `${what} ${JSON.stringify(value)} is no lower-case RFC 1123 subdomain` +
        " ([a-z0-9]([-a-z0-9]*[a-z0-9])? separated by '.', at most 253 characters)",
    );
  }
}

function qualifiedName(key, what, errors) {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== null) {
    subdomain(prefix, `${what} ${JSON.stringify(key)}: prefix`, errors);
  }
  if (name.length > 63 || !QUALIFIED_NAME_PART.test(name)) {
    errors.push(
      `${what} ${JSON.stringify(key)}: name part ${JSON.stringify(name)} must be at most 63` +
        " characters of [-A-Za-z0-9_.], beginning and ending with an alphanumeric character",
    );
  }
}

function labels(map, where, errors) {
  for (const [key, value] of Object.entries(map ?? {})) {
    qualifiedName(key, `${where} key`, errors);
    if (typeof value !== "string" || value.length > 63 || !LABEL_VALUE.test(value)) {
      errors.push(
        `${where} ${JSON.stringify(key)}: value ${JSON.stringify(value)} must be empty or at most 63` +
          " characters of [-A-Za-z0-9_.], beginning and ending with an alphanumeric character",
      );
    }
  }
}

function dataKeys(map, where, errors) {
  for (const key of Object.keys(map ?? {})) {
    if (key.length > 253 || !CONFIG_MAP_KEY.test(key) || key === "." || key === "..") {
      errors.push(
        `${where} key ${JSON.stringify(key)} must be at most 253 characters of [-._a-zA-Z0-9]` +
          " (and not '.' or '..')",
      );
    }
  }
}

function podTemplate(template, where, errors) {
  labels(template?.metadata?.labels, `${where}.metadata.labels`, errors);
  const containers = [
    ...(template?.spec?.initContainers ?? []),
    ...(template?.spec?.containers ?? []),
  ];
  for (const container of containers) {
    const name = container?.name;
    if (typeof name !== "string" || name.length > 63 || !DNS1123_LABEL.test(name)) {
      errors.push(`${where}: container name ${JSON.stringify(name)} is no RFC 1123 label`);
    }
    if (typeof container?.image !== "string" || container.image.trim() === "") {
      errors.push(`${where}: container ${JSON.stringify(name)} has no image (required)`);
    }
  }
}

/** The API server's format checks that the JSON schemas do not make; the errors found. */
function formats(object) {
  const errors = [];
  const metadata = object.metadata ?? {};
  if (LABEL_NAMED_KINDS.has(object.kind)) {
    const name = metadata.name;
    if (typeof name !== "string" || name.length > 63 || !DNS1035_LABEL.test(name)) {
      errors.push(
        `metadata.name ${JSON.stringify(name)} of a ${object.kind} is no RFC 1035 label` +
          " ([a-z]([-a-z0-9]*[a-z0-9])?, at most 63 characters)",
      );
    }
  } else {
    subdomain(metadata.name, "metadata.name", errors);
  }
  if (metadata.namespace !== undefined) {
    if (metadata.namespace.length > 63 || !DNS1123_LABEL.test(metadata.namespace)) {
      errors.push(`metadata.namespace ${JSON.stringify(metadata.namespace)} is no RFC 1123 label`);
    }
  }
  labels(metadata.labels, "metadata.labels", errors);
  for (const key of Object.keys(metadata.annotations ?? {})) {
    qualifiedName(key, "metadata.annotations key", errors);
  }
  if (object.kind === "ConfigMap") {
    dataKeys(object.data, "data", errors);
    dataKeys(object.binaryData, "binaryData", errors);
    const both = Object.keys(object.data ?? {}).filter((k) => k in (object.binaryData ?? {}));
    both.forEach((k) => errors.push(`key ${JSON.stringify(k)} is in both data and binaryData`));
    const size = JSON.stringify(object.data ?? {}).length + JSON.stringify(object.binaryData ?? {}).length;
    if (size > 1048576) {
      errors.push(`data of ${size} bytes: a ConfigMap holds at most 1 MiB`);
    }
  }
  if (object.kind === "Secret") {
    dataKeys(object.data, "data", errors);
    dataKeys(object.stringData, "stringData", errors);
  }
  if (POD_TEMPLATE_KINDS.has(object.kind)) {
    labels(object.spec?.selector?.matchLabels, "spec.selector.matchLabels", errors);
    podTemplate(object.spec?.template, "spec.template", errors);
  }
  return errors;
}

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
    } catch (e) {
      console.log(`invalid ${id}: ${e.message}`);
      failed = true;
      continue;
    }
    const errors = formats(object);
    if (errors.length > 0) {
      console.log(`invalid ${id}: ${errors.join("; ")}`);
      failed = true;
      continue;
    }
    console.log(`valid ${id}`);
  }
}
process.exit(failed ? 1 : 0);
