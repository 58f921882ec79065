import { PIN_IMAGE_FIX, unpinnedImage } from "../images";
import { ResourceView, StackInventory } from "../inventory";
import { blockAt, booleanAt, listAt, numberAt, objectsAt, show, stringAt } from "../json";
import { defineRule, Finding, findingsFor } from "../rule";

const WAIVE_ON_CONTAINER = "the `docker_container`";
const APPLIES_DOCKER = "the Docker containers and images of Docker environments";

function perResource(inventory: StackInventory, type: string, problem: (view: ResourceView) => string | undefined): Finding[] {
  return findingsFor(
    inventory.resources.filter((view) => view.type === type),
    (view) => view.construct,
    (view) => {
      const message = problem(view);
      return message === undefined ? undefined : `${type} "${stringAt(view.attributes.name) ?? view.id}": ${message}`;
    },
  );
}

export const dockerImagePinned = defineRule({
  id: "PLAT-DOCKER-001",
  title: "Docker images are pinned (no latest, no untagged)",
  anchors: ["Checkov CKV_DOCKER_7", "kube-linter latest-tag"],
  severity: "error",
  waiveOn: "the `docker_image` (the `docker_container` for a literal image)",
  applies: APPLIES_DOCKER,
  checks: "resources",
  check: (inventory) => [
    ...perResource(inventory, "docker_image", (view) => {
      const problem = unpinnedImage(stringAt(view.attributes.name) ?? "");
      return problem === undefined ? undefined : `${problem}; ${PIN_IMAGE_FIX}`;
    }),
    // A container usually references a docker_image (checked above); a literal image is checked here.
    ...perResource(inventory, "docker_container", (view) => {
      const image = stringAt(view.attributes.image) ?? "";
      if (image.includes("${")) return undefined;
      const problem = unpinnedImage(image);
      return problem === undefined ? undefined : `${problem}; ${PIN_IMAGE_FIX}`;
    }),
  ],
});

const HOST_MODES = ["network_mode", "pid_mode", "ipc_mode"];

export const dockerNotPrivileged = defineRule({
  id: "PLAT-DOCKER-002",
  title: "Docker containers are not privileged and share no host namespace",
  anchors: ["CIS Docker 5.4", "CIS Docker 5.9", "Checkov CKV_K8S_16 (the Kubernetes analogue)"],
  severity: "error",
  waiveOn: WAIVE_ON_CONTAINER,
  applies: APPLIES_DOCKER,
  checks: "resources",
  check: (inventory) =>
    perResource(inventory, "docker_container", (view) => {
      if (booleanAt(view.attributes.privileged) === true) return "privileged is true, which is root on the host; remove it";
      const host = HOST_MODES.filter((mode) => view.attributes[mode] === "host");
      return host.length > 0
        ? `${host.join(", ")} "host" shares the host's namespaces; remove it and publish ports on 127.0.0.1`
        : undefined;
    }),
});

/** Published ports listen on the loopback interface only: the laptop, not its network. */
export const LOOPBACK = "127.0.0.1";

export const dockerPortsLoopback = defineRule({
  id: "PLAT-DOCKER-003",
  title: "Docker ports are published on 127.0.0.1 only",
  anchors: ["CIS Docker 5.13"],
  severity: "error",
  waiveOn: WAIVE_ON_CONTAINER,
  applies: APPLIES_DOCKER,
  checks: "resources",
  check: (inventory) =>
    perResource(inventory, "docker_container", (view) => {
      const open = objectsAt(view.attributes.ports).filter((port) => (stringAt(port.ip) ?? "0.0.0.0") !== LOOPBACK);
      if (open.length === 0) return undefined;
      const ports = open
        .map((port) => `${stringAt(port.ip) ?? "0.0.0.0"}:${String(port.external ?? "(random)")}→${String(port.internal)}`)
        .join(", ");
      return `ports ${ports} listen beyond this machine; set ip = "${LOOPBACK}" on every port`;
    }),
});

export const dockerHealthcheck = defineRule({
  id: "PLAT-DOCKER-004",
  title: "Docker containers define a healthcheck",
  anchors: ["Checkov CKV_DOCKER_2", "CIS Docker 5.26"],
  severity: "error",
  waiveOn: WAIVE_ON_CONTAINER,
  applies: APPLIES_DOCKER,
  checks: "resources",
  check: (inventory) =>
    perResource(inventory, "docker_container", (view) => {
      const test = listAt(blockAt(view.attributes.healthcheck).test).map(String);
      if (test.length > 0 && test[0].toUpperCase() !== "NONE") return undefined;
      return `no healthcheck (got test ${show(test)}); add healthcheck { test = ["CMD", …] } so dependants wait for a healthy service`;
    }),
});

export const dockerMemoryLimit = defineRule({
  id: "PLAT-DOCKER-005",
  title: "Docker containers have a memory limit",
  anchors: ["CIS Docker 5.10", "Checkov CKV_K8S_13 (the Kubernetes analogue)"],
  severity: "error",
  waiveOn: WAIVE_ON_CONTAINER,
  applies: APPLIES_DOCKER,
  checks: "resources",
  check: (inventory) =>
    perResource(inventory, "docker_container", (view) => {
      const memory = numberAt(view.attributes.memory);
      return memory !== undefined && memory > 0
        ? undefined
        : `memory is ${show(view.attributes.memory)}, so one container can take the laptop's memory; set memory (MB)`;
    }),
});
