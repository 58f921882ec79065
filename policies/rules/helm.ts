import { isAllowedRepository, normalizeRepository } from "../chart-repositories";
import { HelmReleaseView, StackInventory } from "../inventory";
import { booleanAt, numberAt, show, stringAt } from "../json";
import { defineRule, Finding, findingsFor } from "../rule";

const WAIVE_ON_RELEASE = "the `PlatformRelease` (or its `release`)";
const APPLIES_RELEASES = "every Helm release";

/** SemVer 2 without ranges: what `helm install --version` resolves to exactly one chart. */
const EXACT_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** Revisions kept for rollback; more only slows upgrades and fills the namespace with release secrets. */
export const MAX_HELM_HISTORY = 20;

function perRelease(inventory: StackInventory, problem: (release: HelmReleaseView) => string | undefined): Finding[] {
  return findingsFor(
    inventory.releases,
    (release) => release.resource.construct,
    (release) => {
      const message = problem(release);
      return message === undefined ? undefined : `release "${releaseName(release)}": ${message}`;
    },
  );
}

function releaseName(release: HelmReleaseView): string {
  return stringAt(release.resource.attributes.name) ?? release.resource.id;
}

export const helmVersionPinned = defineRule({
  id: "PLAT-HELM-001",
  title: "Helm chart version is pinned exactly",
  anchors: ["Checkov CKV_TF_2 (the module-source analogue)", "Checkov CKV_K8S_14 (the image analogue)"],
  severity: "error",
  waiveOn: WAIVE_ON_RELEASE,
  applies: APPLIES_RELEASES,
  checks: "resources",
  check: (inventory) =>
    perRelease(inventory, (release) => {
      const version = release.resource.attributes.version;
      if (version === undefined || version === null || version === "") {
        return "no chart version, so Helm installs whatever is newest at apply time; set source.version to an exact version such as 1.2.3";
      }
      if (typeof version !== "string" || !EXACT_VERSION.test(version)) {
        return `chart version ${show(version)} is a range or partial version, so the chart can change without a diff; pin one exact version such as 1.2.3`;
      }
      return undefined;
    }),
});

export const helmRepositoryAllowed = defineRule({
  id: "PLAT-HELM-002",
  title: "Helm chart comes from an allowed https/OCI repository or the project",
  anchors: ["Kubescape C-0078 (images from allowed registry; the chart analogue)"],
  severity: "error",
  waiveOn: WAIVE_ON_RELEASE,
  applies: APPLIES_RELEASES,
  checks: "resources",
  check: (inventory) => perRelease(inventory, repositoryProblem),
});

function repositoryProblem(release: HelmReleaseView): string | undefined {
  if (release.local) return undefined;
  const repository = release.repository ?? chartUrlRepository(release.chart);
  if (repository === undefined) {
    return `chart ${show(release.chart)} has no repository and is not a chart shipped with the project; set source.repository to an allowed repository, or ship the chart under charts/ as a TerraformAsset`;
  }
  if (!/^(https|oci):\/\//.test(repository)) {
    return `repository ${show(repository)} is not https or OCI, so the chart can be altered in transit; use the vendor's https or oci:// repository`;
  }
  if (!isAllowedRepository(repository)) {
    return `repository ${show(normalizeRepository(repository))} is not on the allow-list; use an allowed repository or add it to policies/chart-repositories.ts in a reviewed change`;
  }
  return undefined;
}

/** `oci://quay.io/strimzi-helm/strimzi-kafka-operator` as a chart: its repository is the parent. */
function chartUrlRepository(chart: string): string | undefined {
  if (!/^[a-z]+:\/\//.test(chart)) return undefined;
  return chart.replace(/\/[^/]*$/, "");
}

export const helmAtomic = defineRule({
  id: "PLAT-HELM-003",
  title: "Helm release is atomic and cleans up on failure",
  anchors: ["Helm provider defaults atomic=false, cleanup_on_fail=false (no tool rule)"],
  severity: "error",
  waiveOn: WAIVE_ON_RELEASE,
  applies: APPLIES_RELEASES,
  checks: "resources",
  check: (inventory) =>
    perRelease(inventory, (release) => {
      const missing = ["atomic", "cleanup_on_fail"].filter((key) => booleanAt(release.resource.attributes[key]) !== true);
      if (missing.length === 0) return undefined;
      return `${missing.join(" and ")} not true, so a failed upgrade leaves a half-applied release; set ${missing.map((key) => `${key} = true`).join(" and ")} (PlatformRelease does)`;
    }),
});

export const helmHistoryBounded = defineRule({
  id: "PLAT-HELM-004",
  title: "Helm release history is bounded",
  anchors: ["Helm provider default max_history=0 is unlimited (no tool rule)"],
  severity: "error",
  waiveOn: WAIVE_ON_RELEASE,
  applies: APPLIES_RELEASES,
  checks: "resources",
  check: (inventory) =>
    perRelease(inventory, (release) => {
      const history = numberAt(release.resource.attributes.max_history);
      if (history !== undefined && history >= 1 && history <= MAX_HELM_HISTORY) return undefined;
      return `max_history is ${show(release.resource.attributes.max_history)} (0 or unset keeps every revision); set it from 1 to ${MAX_HELM_HISTORY}, e.g. 5`;
    }),
});

export const helmTimeoutSet = defineRule({
  id: "PLAT-HELM-005",
  title: "Helm release sets its timeout",
  anchors: ["Helm provider default timeout=300s applies silently (no tool rule)"],
  severity: "error",
  waiveOn: WAIVE_ON_RELEASE,
  applies: APPLIES_RELEASES,
  checks: "resources",
  check: (inventory) =>
    perRelease(inventory, (release) => {
      const timeout = numberAt(release.resource.attributes.timeout);
      if (timeout !== undefined && timeout > 0) return undefined;
      return `timeout is ${show(release.resource.attributes.timeout)}; set timeoutSeconds to how long the release may take to become ready`;
    }),
});

export const helmValuesReadable = defineRule({
  id: "PLAT-HELM-006",
  title: "Helm values are one YAML mapping the policies can read",
  anchors: ["Project convention: values[0] is one YAML document (no tool rule)"],
  severity: "error",
  waiveOn: WAIVE_ON_RELEASE,
  applies: "the values of every Helm release",
  checks: "resources",
  check: (inventory) =>
    inventory.releases.flatMap((release) =>
      release.problems.map((problem) => ({
        construct: release.resource.construct,
        message: `release "${releaseName(release)}": ${problem}; pass values as one object (PlatformRelease renders it)`,
      })),
    ),
});
