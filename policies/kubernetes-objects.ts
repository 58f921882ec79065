import { IConstruct } from "constructs";
import { blockAt, isObject, JsonObject, numberAt, objectAt, stringAt, stringMapAt } from "./json";

/** A Kubernetes object the stack renders, whichever way it is written, in the API's own shape. */
export interface RenderedObject {
  /** The Terraform resource that renders it (a `kubernetes_*` resource or a `helm_release`). */
  readonly construct: IConstruct;
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  /** Namespace name, references to namespaces we create resolved; undefined when cluster-scoped or unknown. */
  readonly namespace?: string;
  /** camelCase, as `kubectl get -o yaml` would show it. */
  readonly object: JsonObject;
  /** For messages: `Deployment "api" (values.manifests[2])`. */
  readonly describe: string;
}

/** Kinds of the kubernetes provider's resources; both the `_v1` and the older names. */
const PROVIDER_KINDS: Readonly<Record<string, readonly [string, string]>> = {
  kubernetes_namespace: ["v1", "Namespace"],
  kubernetes_namespace_v1: ["v1", "Namespace"],
  kubernetes_network_policy: ["networking.k8s.io/v1", "NetworkPolicy"],
  kubernetes_network_policy_v1: ["networking.k8s.io/v1", "NetworkPolicy"],
  kubernetes_pod_disruption_budget: ["policy/v1", "PodDisruptionBudget"],
  kubernetes_pod_disruption_budget_v1: ["policy/v1", "PodDisruptionBudget"],
  kubernetes_deployment: ["apps/v1", "Deployment"],
  kubernetes_deployment_v1: ["apps/v1", "Deployment"],
  kubernetes_stateful_set: ["apps/v1", "StatefulSet"],
  kubernetes_stateful_set_v1: ["apps/v1", "StatefulSet"],
  kubernetes_daemonset: ["apps/v1", "DaemonSet"],
  kubernetes_daemon_set_v1: ["apps/v1", "DaemonSet"],
  kubernetes_job: ["batch/v1", "Job"],
  kubernetes_job_v1: ["batch/v1", "Job"],
  kubernetes_cron_job: ["batch/v1", "CronJob"],
  kubernetes_cron_job_v1: ["batch/v1", "CronJob"],
  kubernetes_pod: ["v1", "Pod"],
  kubernetes_pod_v1: ["v1", "Pod"],
  kubernetes_secret: ["v1", "Secret"],
  kubernetes_secret_v1: ["v1", "Secret"],
};

/** The provider names repeated blocks in the singular (`container`); the API uses plural lists. */
const RENAMED_FIELDS: Readonly<Record<string, string>> = {
  container: "containers",
  init_container: "initContainers",
  toleration: "tolerations",
  topology_spread_constraint: "topologySpreadConstraints",
  volume: "volumes",
  volume_mount: "volumeMounts",
  port: "ports",
  env_from: "envFrom",
  binary_data: "binaryData",
  string_data: "stringData",
};

/** Maps whose keys are data (label names, resource names): never renamed. */
const VERBATIM_MAPS = new Set([
  "labels",
  "annotations",
  "match_labels",
  "node_selector",
  "limits",
  "requests",
  "data",
  "binary_data",
  "string_data",
]);

/** Single nested blocks, which an override may write as a one-element list. */
const SINGLE_BLOCKS = new Set([
  "metadata",
  "spec",
  "template",
  "job_template",
  "selector",
  "pod_selector",
  "security_context",
  "capabilities",
  "seccomp_profile",
  "resources",
  "liveness_probe",
  "readiness_probe",
  "startup_probe",
  "affinity",
  "pod_anti_affinity",
]);

/** Int-or-string fields the provider types as strings: `"2"` means the number 2. */
const NUMERIC_FIELDS = new Set(["replicas", "min_available", "max_unavailable"]);

/** Resolves a namespace as written (a name or a reference to a namespace resource) to its name. */
export type NamespaceResolver = (written: string | undefined) => string | undefined;

/** The object a `kubernetes_*` resource renders, or undefined for other resource types. */
export function providerObject(
  construct: IConstruct,
  type: string,
  attributes: JsonObject,
  resolveNamespace: NamespaceResolver,
): RenderedObject | undefined {
  if (type === "kubernetes_manifest") {
    return manifestObject(construct, attributes.manifest, undefined, resolveNamespace, "kubernetes_manifest");
  }
  const kindInfo = PROVIDER_KINDS[type];
  if (kindInfo === undefined) return undefined;
  const [apiVersion, kind] = kindInfo;
  const object: JsonObject = { apiVersion, kind, ...objectAt(toApiShape(attributes)) };
  const metadata = objectAt(object.metadata);
  const name = stringAt(metadata.name) ?? "";
  return {
    construct,
    kind,
    apiVersion,
    name,
    namespace: kind === "Namespace" ? undefined : resolveNamespace(stringAt(metadata.namespace) ?? "default"),
    object,
    describe: `${kind} "${name}"`,
  };
}

/** A complete object from chart values; `defaultNamespace` is the release's namespace. */
export function manifestObject(
  construct: IConstruct,
  value: unknown,
  defaultNamespace: string | undefined,
  resolveNamespace: NamespaceResolver,
  where: string,
): RenderedObject | undefined {
  if (!isObject(value)) return undefined;
  const kind = stringAt(value.kind);
  if (kind === undefined) return undefined;
  const metadata = objectAt(value.metadata);
  const name = stringAt(metadata.name) ?? "";
  return {
    construct,
    kind,
    apiVersion: stringAt(value.apiVersion) ?? "",
    name,
    namespace: resolveNamespace(stringAt(metadata.namespace) ?? defaultNamespace),
    object: value,
    describe: `${kind} "${name}" (${where})`,
  };
}

/** The provider's snake_case blocks as the API's camelCase objects. */
function toApiShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toApiShape);
  if (!isObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (key === "//") continue;
    const field = RENAMED_FIELDS[key] ?? camelCase(key);
    const entry = SINGLE_BLOCKS.has(key) ? blockAt(raw) : raw;
    if (VERBATIM_MAPS.has(key)) result[field] = entry;
    else if (NUMERIC_FIELDS.has(key)) result[field] = numberAt(entry) ?? entry;
    else result[field] = toApiShape(entry);
  }
  return result;
}

function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** The pod template of a workload: its spec and the labels its pods carry. */
export interface PodTemplate {
  readonly spec: JsonObject;
  readonly labels: Readonly<Record<string, string>>;
}

/** Kinds whose `spec.replicas` counts their pods (default 1). */
export const REPLICATED_KINDS = new Set(["Deployment", "StatefulSet", "ReplicaSet"]);

export function podTemplateOf(rendered: RenderedObject): PodTemplate | undefined {
  const object = rendered.object;
  const spec = objectAt(object.spec);
  switch (rendered.kind) {
    case "Pod":
      return { spec, labels: stringMapAt(objectAt(object.metadata).labels) };
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "ReplicaSet":
    case "Job":
      return templateOf(spec.template);
    case "CronJob":
      return templateOf(objectAt(objectAt(spec.jobTemplate).spec).template);
    default:
      return undefined;
  }
}

function templateOf(template: unknown): PodTemplate | undefined {
  if (!isObject(template)) return undefined;
  return { spec: objectAt(template.spec), labels: stringMapAt(objectAt(template.metadata).labels) };
}
