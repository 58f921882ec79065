import { chartSettings, releaseLabel } from "../chart-settings";
import { ContainerView, containersOf, effectiveSecurity } from "../containers";
import { PIN_IMAGE_FIX, unpinnedImage } from "../images";
import { StackInventory } from "../inventory";
import { booleanAt, isObject, JsonObject, listAt, numberAt, objectAt, show, stringAt } from "../json";
import { podTemplateOf } from "../kubernetes-objects";
import { isClusterChart, postgresClusters } from "../postgres-clusters";
import { defineRule, Finding, findingsFor } from "../rule";

const WAIVE_ON_OBJECT = "the `ManifestsRelease` or `kubernetes_*` resource that renders the object";
const WAIVE_ON_OBJECT_OR_VALUES = `${WAIVE_ON_OBJECT}, or the \`PlatformRelease\` whose chart values set it`;
const APPLIES_CONTEXTS =
  "containers of the objects the project renders; security contexts in the chart values it sets (refuses weakening ones)";

/** The fix for a weakening value, which the platform's values or a user's override set. */
const UNSET_FIX = "or remove the value so that the platform's or the chart's default applies";

function perContainer(inventory: StackInventory, problem: (view: ContainerView) => string | undefined): Finding[] {
  return findingsFor(
    containersOf(inventory),
    (view) => view.object.construct,
    (view) => {
      const message = problem(view);
      return message === undefined ? undefined : `${view.describe}: ${message}`;
    },
  );
}

/**
 * The security contexts in chart values that weaken what a rule requires.
 * Charts bring their own defaults, so a context need not be there: only a
 * field that is set, and set weaker, is wrong. `problems` returns one
 * `<field> is …; <fix>` per such field.
 */
function perValuesContext(inventory: StackInventory, problems: (context: JsonObject) => readonly string[]): Finding[] {
  return chartSettings(inventory).securityContexts.flatMap(({ release, path, value }) =>
    problems(value).map((problem) => ({ construct: release.resource.construct, message: `${releaseLabel(release)}: ${path}.${problem}` })),
  );
}

export const imagePinned = defineRule({
  id: "PLAT-K8S-001",
  title: "Container images are pinned (no latest, no untagged)",
  anchors: ["Checkov CKV_K8S_14", "kube-linter latest-tag", "kube-score container-image-tag", "Polaris tagNotSpecified"],
  severity: "error",
  waiveOn: WAIVE_ON_OBJECT_OR_VALUES,
  applies: "containers of the objects the project renders; image tags in the chart values it sets; CloudNativePG `imageName`",
  checks: "resources",
  check: (inventory) => [
    ...perContainer(inventory, (view) => {
      const problem = unpinnedImage(stringAt(view.container.image) ?? "");
      return problem === undefined ? undefined : `${problem}; ${PIN_IMAGE_FIX}`;
    }),
    ...operatorImages(inventory),
    ...chartValueImages(inventory),
  ],
});

/** CloudNativePG takes its image as `imageName`; unset means the operator's pinned default. */
function operatorImages(inventory: StackInventory): Finding[] {
  return findingsFor(
    postgresClusters(inventory),
    (cluster) => cluster.construct,
    (cluster) => {
      const image = stringAt(cluster.spec.imageName);
      const problem = image === undefined ? undefined : unpinnedImage(image);
      return problem === undefined ? undefined : `${cluster.describe}: ${cluster.at}imageName: ${problem}; ${PIN_IMAGE_FIX}`;
    },
  );
}

/**
 * Images set in chart values. Only an explicit `latest` is wrong here: an
 * untagged repository in values is completed by the chart's pinned appVersion.
 */
function chartValueImages(inventory: StackInventory): Finding[] {
  const findings: Finding[] = [];
  for (const release of inventory.releases) {
    visitImages(release.values, "values", (path, image) => {
      findings.push({
        construct: release.resource.construct,
        message: `release "${stringAt(release.resource.attributes.name) ?? ""}": ${path} sets the moving tag "latest" (${image}); ${PIN_IMAGE_FIX}, or leave it unset for the chart's default`,
      });
    });
  }
  return findings;
}

function visitImages(node: unknown, path: string, report: (path: string, image: string) => void): void {
  if (Array.isArray(node)) {
    node.forEach((item: unknown, index) => visitImages(item, `${path}[${index}]`, report));
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    const at = `${path}.${key}`;
    if (key === "manifests" || key === "extraObjects" || key === "extraManifests") continue; // objects: checked per container
    if (key === "tag" && typeof value === "string" && value.toLowerCase() === "latest") report(at, `tag ${value}`);
    else if (key === "image" && typeof value === "string" && /:latest$/i.test(value)) report(at, value);
    else visitImages(value, at, report);
  }
}

export const runAsNonRoot = defineRule({
  id: "PLAT-K8S-002",
  title: "Containers run as non-root",
  anchors: ["Checkov CKV_K8S_23", "kube-linter run-as-non-root", "Polaris runAsRootAllowed", "Kubescape C-0013", "PSS restricted"],
  severity: "error",
  waiveOn: WAIVE_ON_OBJECT_OR_VALUES,
  applies: APPLIES_CONTEXTS,
  checks: "resources",
  check: (inventory) => [
    ...perContainer(inventory, (view) => {
      if (effectiveSecurity(view, "runAsUser") === 0) return "runAsUser is 0 (root); run as a non-zero UID";
      if (effectiveSecurity(view, "runAsNonRoot") !== true)
        return "runAsNonRoot is not true; set securityContext.runAsNonRoot: true on the pod or the container";
      return undefined;
    }),
    ...perValuesContext(inventory, (context) => [
      ...(numberAt(context.runAsUser) === 0 ? [`runAsUser is 0 (root); set a non-zero UID, ${UNSET_FIX}`] : []),
      ...(booleanAt(context.runAsNonRoot) === false ? [`runAsNonRoot is false; set it to true, ${UNSET_FIX}`] : []),
    ]),
  ],
});

export const noPrivilegeEscalation = defineRule({
  id: "PLAT-K8S-003",
  title: "Containers set allowPrivilegeEscalation: false",
  anchors: [
    "Checkov CKV_K8S_20",
    "kube-linter privilege-escalation-container",
    "Polaris privilegeEscalationAllowed",
    "Kubescape C-0016",
    "PSS restricted",
  ],
  severity: "error",
  waiveOn: WAIVE_ON_OBJECT_OR_VALUES,
  applies: APPLIES_CONTEXTS,
  checks: "resources",
  check: (inventory) => [
    ...perContainer(inventory, (view) =>
      objectAt(view.container.securityContext).allowPrivilegeEscalation === false
        ? undefined
        : "allowPrivilegeEscalation is not false; set securityContext.allowPrivilegeEscalation: false",
    ),
    ...perValuesContext(inventory, (context) =>
      booleanAt(context.allowPrivilegeEscalation) === true ? [`allowPrivilegeEscalation is true; set it to false, ${UNSET_FIX}`] : [],
    ),
  ],
});

/** The only capability PSS "restricted" lets a container add back. */
const ALLOWED_ADDED_CAPABILITIES = new Set(["NET_BIND_SERVICE"]);

export const capabilitiesDropped = defineRule({
  id: "PLAT-K8S-004",
  title: "Containers drop ALL capabilities",
  anchors: ["Checkov CKV_K8S_37", "Checkov CKV_K8S_28", "Polaris insecureCapabilities", "Kubescape C-0046", "PSS restricted"],
  severity: "error",
  waiveOn: WAIVE_ON_OBJECT_OR_VALUES,
  applies: APPLIES_CONTEXTS,
  checks: "resources",
  check: (inventory) => [
    ...perContainer(inventory, (view) => {
      const capabilities = objectAt(objectAt(view.container.securityContext).capabilities);
      if (!capabilityNames(capabilities.drop).includes("ALL"))
        return `capabilities.drop is ${show(capabilities.drop)}; set securityContext.capabilities.drop: [ALL]`;
      const added = addedCapabilities(capabilities.add);
      if (added.length > 0) return `capabilities.add includes ${added.join(", ")}; add back at most NET_BIND_SERVICE`;
      return undefined;
    }),
    ...perValuesContext(inventory, (context) => {
      const capabilities = objectAt(context.capabilities);
      const problems: string[] = [];
      // Helm replaces lists: a `drop` set here is the whole list the container drops.
      if (capabilities.drop !== undefined && capabilities.drop !== null && !capabilityNames(capabilities.drop).includes("ALL")) {
        problems.push(`capabilities.drop is ${show(capabilities.drop)}, which keeps every other capability; set it to [ALL], ${UNSET_FIX}`);
      }
      const added = addedCapabilities(capabilities.add);
      if (added.length > 0) problems.push(`capabilities.add includes ${added.join(", ")}; add back at most NET_BIND_SERVICE`);
      return problems;
    }),
  ],
});

function capabilityNames(list: unknown): string[] {
  return listAt(list).map((entry) => String(entry).toUpperCase());
}

function addedCapabilities(list: unknown): string[] {
  return capabilityNames(list).filter((capability) => !ALLOWED_ADDED_CAPABILITIES.has(capability));
}

const ALLOWED_SECCOMP = new Set(["RuntimeDefault", "Localhost"]);

export const seccompRuntimeDefault = defineRule({
  id: "PLAT-K8S-005",
  title: "Containers run with the RuntimeDefault seccomp profile",
  anchors: ["Checkov CKV_K8S_31", "kube-score container-seccomp-profile", "Kubescape C-0210", "PSS restricted"],
  severity: "error",
  waiveOn: WAIVE_ON_OBJECT_OR_VALUES,
  applies: APPLIES_CONTEXTS,
  checks: "resources",
  check: (inventory) => [
    ...perContainer(inventory, (view) => {
      const type = stringAt(objectAt(effectiveSecurity(view, "seccompProfile")).type);
      return type !== undefined && ALLOWED_SECCOMP.has(type)
        ? undefined
        : `seccompProfile.type is ${show(type)}; set securityContext.seccompProfile.type: RuntimeDefault on the pod`;
    }),
    ...perValuesContext(inventory, (context) => {
      const type = objectAt(context.seccompProfile).type;
      if (type === undefined || type === null || (typeof type === "string" && ALLOWED_SECCOMP.has(type))) return [];
      return [`seccompProfile.type is ${show(type)}; set RuntimeDefault (or Localhost with a profile), ${UNSET_FIX}`];
    }),
  ],
});

const HOST_NAMESPACES = ["hostNetwork", "hostPID", "hostIPC"];
const PRIVILEGED_FIX = "remove it (a privileged container is root on the node)";

export const notPrivileged = defineRule({
  id: "PLAT-K8S-006",
  title: "No privileged containers or host namespaces",
  anchors: ["Checkov CKV_K8S_16", "kube-linter privileged-container", "Polaris runAsPrivileged", "Kubescape C-0057", "PSS baseline"],
  severity: "error",
  waiveOn: WAIVE_ON_OBJECT_OR_VALUES,
  applies:
    "pods and containers of the objects the project renders; `privileged`, `hostNetwork`, `hostPID` and `hostIPC` anywhere in the chart values it sets",
  checks: "resources",
  check: (inventory) => {
    const findings = perContainer(inventory, (view) =>
      objectAt(view.container.securityContext).privileged === true ? `privileged is true; ${PRIVILEGED_FIX}` : undefined,
    );
    for (const object of inventory.objects) {
      const template = podTemplateOf(object);
      const shared = HOST_NAMESPACES.filter((field) => template?.spec[field] === true);
      if (shared.length > 0) {
        findings.push({
          construct: object.construct,
          message: `${object.describe}: ${shared.join(", ")} true shares the node's namespaces; remove it`,
        });
      }
    }
    // Whatever a chart calls the pod or container it applies to, the key names say what it does.
    for (const { release, path, value, field } of chartSettings(inventory).hostAccess) {
      if (booleanAt(value) !== true) continue;
      const problem =
        field === "privileged" ? `is true; ${PRIVILEGED_FIX}` : "is true, so the pods would share the node's namespaces; remove it";
      findings.push({ construct: release.resource.construct, message: `${releaseLabel(release)}: ${path} ${problem}` });
    }
    return findings;
  },
});

/**
 * Requests size scheduling; the memory limit bounds a leak to its own pod. A
 * CPU limit is not required: it throttles a busy pod while the node has CPU to
 * spare, which costs latency for no protection (requests already share CPU fairly).
 */
const RESOURCE_FIELDS = ["requests.cpu", "requests.memory", "limits.memory"];

export const resourcesSet = defineRule({
  id: "PLAT-K8S-007",
  title: "Containers set CPU and memory requests and a memory limit",
  anchors: [
    "Checkov CKV_K8S_10/CKV_K8S_12/CKV_K8S_13",
    "kube-score container-resources",
    "Polaris cpuRequestsMissing/memoryRequestsMissing/memoryLimitsMissing",
    "kube-linter unset-cpu-requirements/unset-memory-requirements",
    "Kubescape C-0004",
  ],
  severity: "error",
  waiveOn: WAIVE_ON_OBJECT_OR_VALUES,
  applies:
    "containers of the objects the project renders; `resources` in the chart values it sets; Kafka node pools and CloudNativePG clusters",
  checks: "resources",
  check: (inventory) => [
    ...perContainer(inventory, (view) => missingResources(view.container.resources, "resources")),
    // Chart values: each `resources` that sizes a container (chartSettings says which shapes are not).
    ...findingsFor(
      // The cluster chart's `cluster.resources` is the Cluster's spec, checked below with the clusters.
      chartSettings(inventory).resources.filter(
        (setting) => !(isClusterChart(setting.release) && setting.path === "values.cluster.resources"),
      ),
      (setting) => setting.release.resource.construct,
      (setting) => {
        const message =
          setting.value === null
            ? `${setting.path} is null, which drops the requests and limits the platform sets for the chart's default (usually none); set requests.cpu, requests.memory and limits.memory`
            : missingResources(setting.value, setting.path);
        return message === undefined ? undefined : `${releaseLabel(setting.release)}: ${message}`;
      },
    ),
    // Operators size the pods they run from their custom resource.
    ...findingsFor(
      [
        ...inventory.objects
          .filter((object) => object.kind === "KafkaNodePool" && object.apiVersion.startsWith("kafka.strimzi.io/"))
          .map((pool) => ({
            construct: pool.construct,
            describe: pool.describe,
            resources: objectAt(pool.object.spec).resources,
            at: "spec.",
          })),
        ...postgresClusters(inventory).map((cluster) => ({ ...cluster, resources: cluster.spec.resources })),
      ],
      (sized) => sized.construct,
      (sized) => {
        const message = missingResources(sized.resources, `${sized.at}resources`);
        return message === undefined ? undefined : `${sized.describe}: ${message}`;
      },
    ),
  ],
});

function missingResources(resources: unknown, at: string): string | undefined {
  const missing = RESOURCE_FIELDS.filter((field) => {
    const [group, name] = field.split(".");
    const value = objectAt(objectAt(resources)[group])[name];
    return value === undefined || value === null || value === "";
  });
  return missing.length === 0
    ? undefined
    : `${at} has no ${missing.join(", ")}; set requests from observed use and limits.memory at or above requests.memory`;
}
