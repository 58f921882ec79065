import { ContainerView, containersOf, effectiveSecurity } from "../containers";
import { PIN_IMAGE_FIX, unpinnedImage } from "../images";
import { StackInventory } from "../inventory";
import { isObject, listAt, objectAt, show, stringAt } from "../json";
import { LONG_RUNNING_KINDS, podTemplateOf } from "../kubernetes-objects";
import { postgresClusters } from "../postgres-clusters";
import { defineRule, Finding, findingsFor } from "../rule";

const WAIVE_ON_OBJECT = "the `ManifestsRelease` or `kubernetes_*` resource that renders the object";
const APPLIES_CONTAINERS = "containers of the objects the project renders";

function perContainer(
  inventory: StackInventory,
  problem: (view: ContainerView) => string | undefined,
  include: (view: ContainerView) => boolean = () => true,
): Finding[] {
  return findingsFor(
    containersOf(inventory).filter(include),
    (view) => view.object.construct,
    (view) => {
      const message = problem(view);
      return message === undefined ? undefined : `${view.describe}: ${message}`;
    },
  );
}

export const imagePinned = defineRule({
  id: "PLAT-K8S-001",
  title: "Container images are pinned (no latest, no untagged)",
  anchors: ["Checkov CKV_K8S_14", "kube-linter latest-tag", "kube-score container-image-tag", "Polaris tagNotSpecified"],
  severity: "error",
  waiveOn: WAIVE_ON_OBJECT,
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
  waiveOn: WAIVE_ON_OBJECT,
  applies: APPLIES_CONTAINERS,
  checks: "resources",
  check: (inventory) =>
    perContainer(inventory, (view) => {
      if (effectiveSecurity(view, "runAsUser") === 0) return "runAsUser is 0 (root); run as a non-zero UID";
      if (effectiveSecurity(view, "runAsNonRoot") !== true) return "runAsNonRoot is not true; set securityContext.runAsNonRoot: true on the pod or the container";
      return undefined;
    }),
});

export const noPrivilegeEscalation = defineRule({
  id: "PLAT-K8S-003",
  title: "Containers set allowPrivilegeEscalation: false",
  anchors: ["Checkov CKV_K8S_20", "kube-linter privilege-escalation-container", "Polaris privilegeEscalationAllowed", "Kubescape C-0016", "PSS restricted"],
  severity: "error",
  waiveOn: WAIVE_ON_OBJECT,
  applies: APPLIES_CONTAINERS,
  checks: "resources",
  check: (inventory) =>
    perContainer(inventory, (view) =>
      objectAt(view.container.securityContext).allowPrivilegeEscalation === false
        ? undefined
        : "allowPrivilegeEscalation is not false; set securityContext.allowPrivilegeEscalation: false",
    ),
});

/** The only capability PSS "restricted" lets a container add back. */
const ALLOWED_ADDED_CAPABILITIES = new Set(["NET_BIND_SERVICE"]);

export const capabilitiesDropped = defineRule({
  id: "PLAT-K8S-004",
  title: "Containers drop ALL capabilities",
  anchors: ["Checkov CKV_K8S_37", "Checkov CKV_K8S_28", "Polaris insecureCapabilities", "Kubescape C-0046", "PSS restricted"],
  severity: "error",
  waiveOn: WAIVE_ON_OBJECT,
  applies: APPLIES_CONTAINERS,
  checks: "resources",
  check: (inventory) =>
    perContainer(inventory, (view) => {
      const capabilities = objectAt(objectAt(view.container.securityContext).capabilities);
      const dropped = listAt(capabilities.drop).map((entry) => String(entry).toUpperCase());
      if (!dropped.includes("ALL")) return `capabilities.drop is ${show(capabilities.drop)}; set securityContext.capabilities.drop: [ALL]`;
      const added = listAt(capabilities.add).map((entry) => String(entry).toUpperCase()).filter((cap) => !ALLOWED_ADDED_CAPABILITIES.has(cap));
      if (added.length > 0) return `capabilities.add includes ${added.join(", ")}; add back at most NET_BIND_SERVICE`;
      return undefined;
    }),
});

const ALLOWED_SECCOMP = new Set(["RuntimeDefault", "Localhost"]);

export const seccompRuntimeDefault = defineRule({
  id: "PLAT-K8S-005",
  title: "Containers run with the RuntimeDefault seccomp profile",
  anchors: ["Checkov CKV_K8S_31", "kube-score container-seccomp-profile", "Kubescape C-0210", "PSS restricted"],
  severity: "error",
  waiveOn: WAIVE_ON_OBJECT,
  applies: APPLIES_CONTAINERS,
  checks: "resources",
  check: (inventory) =>
    perContainer(inventory, (view) => {
      const type = stringAt(objectAt(effectiveSecurity(view, "seccompProfile")).type);
      return type !== undefined && ALLOWED_SECCOMP.has(type)
        ? undefined
        : `seccompProfile.type is ${show(type)}; set securityContext.seccompProfile.type: RuntimeDefault on the pod`;
    }),
});

const HOST_NAMESPACES = ["hostNetwork", "hostPID", "hostIPC"];

export const notPrivileged = defineRule({
  id: "PLAT-K8S-006",
  title: "No privileged containers or host namespaces",
  anchors: ["Checkov CKV_K8S_16", "kube-linter privileged-container", "Polaris runAsPrivileged", "Kubescape C-0057", "PSS baseline"],
  severity: "error",
  waiveOn: WAIVE_ON_OBJECT,
  applies: APPLIES_CONTAINERS,
  checks: "resources",
  check: (inventory) => {
    const findings = perContainer(inventory, (view) =>
      objectAt(view.container.securityContext).privileged === true ? "privileged is true; remove it (a privileged container is root on the node)" : undefined,
    );
    for (const object of inventory.objects) {
      const template = podTemplateOf(object);
      const shared = HOST_NAMESPACES.filter((field) => template?.spec[field] === true);
      if (shared.length > 0) {
        findings.push({ construct: object.construct, message: `${object.describe}: ${shared.join(", ")} true shares the node's namespaces; remove it` });
      }
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
  anchors: ["Checkov CKV_K8S_10/CKV_K8S_12/CKV_K8S_13", "kube-score container-resources", "Polaris cpuRequestsMissing/memoryRequestsMissing/memoryLimitsMissing", "kube-linter unset-cpu-requirements/unset-memory-requirements", "Kubescape C-0004"],
  severity: "error",
  waiveOn: WAIVE_ON_OBJECT,
  applies: "containers of the objects the project renders; Kafka node pools and CloudNativePG clusters",
  checks: "resources",
  check: (inventory) => [
    ...perContainer(inventory, (view) => missingResources(view.container.resources, "resources")),
    // Operators size the pods they run from their custom resource.
    ...findingsFor(
      [
        ...inventory.objects
          .filter((object) => object.kind === "KafkaNodePool" && object.apiVersion.startsWith("kafka.strimzi.io/"))
          .map((pool) => ({ construct: pool.construct, describe: pool.describe, resources: objectAt(pool.object.spec).resources, at: "spec." })),
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
  return missing.length === 0 ? undefined : `${at} has no ${missing.join(", ")}; set requests from observed use and limits.memory at or above requests.memory`;
}

export const probesSet = defineRule({
  id: "PLAT-K8S-008",
  title: "Long-running containers have readiness and liveness probes",
  anchors: ["Checkov CKV_K8S_8/CKV_K8S_9", "kube-score pod-probes", "Polaris readinessProbeMissing/livenessProbeMissing", "kube-linter no-readiness-probe/no-liveness-probe", "Kubescape C-0018/C-0056"],
  severity: "warning",
  waiveOn: WAIVE_ON_OBJECT,
  applies: "containers of long-running objects the project renders",
  checks: "resources",
  check: (inventory) =>
    perContainer(
      inventory,
      (view) => {
        const missing = ["readinessProbe", "livenessProbe"].filter((probe) => !isObject(view.container[probe]));
        return missing.length === 0 ? undefined : `no ${missing.join(" or ")}; add probes so traffic and restarts follow the container's health`;
      },
      (view) => !view.init && LONG_RUNNING_KINDS.has(view.object.kind),
    ),
});
