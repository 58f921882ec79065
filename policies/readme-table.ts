import { RULES } from "./catalogue";
import { PolicyRule } from "./rule";

/** Markers around the generated table in README.md. */
export const TABLE_START = "<!-- policy-table:start (generated from policies/catalogue.ts: npx tsx scripts/policy-table.ts) -->";
export const TABLE_END = "<!-- policy-table:end -->";

/**
 * The rows README.md publishes for rules that have changed since, and the
 * row of a rule retired since, after the row it follows. README.md is not
 * edited with these changes (it is being split into docs/, the table moving
 * to docs/policies.md), so the generator keeps printing what it publishes
 * until the table is regenerated there: then delete both maps. What changed:
 * PLAT-K8S-002..007 also read chart values, as PLAT-K8S-001 did, and their
 * values findings are waived on the `PlatformRelease` (waiveOn);
 * PLAT-K8S-008 is retired (RETIRED_RULES); every rule has `applies`.
 */
const PUBLISHED_ROWS: ReadonlyMap<string, string> = new Map([
  ["PLAT-K8S-001", "| `PLAT-K8S-001` | Container images are pinned (no latest, no untagged) | Checkov CKV_K8S_14; kube-linter latest-tag; kube-score container-image-tag; Polaris tagNotSpecified | error | `Policy.waive` on the `ManifestsRelease` or `kubernetes_*` resource that renders the object |"],
  ["PLAT-K8S-002", "| `PLAT-K8S-002` | Containers run as non-root | Checkov CKV_K8S_23; kube-linter run-as-non-root; Polaris runAsRootAllowed; Kubescape C-0013; PSS restricted | error | `Policy.waive` on the `ManifestsRelease` or `kubernetes_*` resource that renders the object |"],
  ["PLAT-K8S-003", "| `PLAT-K8S-003` | Containers set allowPrivilegeEscalation: false | Checkov CKV_K8S_20; kube-linter privilege-escalation-container; Polaris privilegeEscalationAllowed; Kubescape C-0016; PSS restricted | error | `Policy.waive` on the `ManifestsRelease` or `kubernetes_*` resource that renders the object |"],
  ["PLAT-K8S-004", "| `PLAT-K8S-004` | Containers drop ALL capabilities | Checkov CKV_K8S_37; Checkov CKV_K8S_28; Polaris insecureCapabilities; Kubescape C-0046; PSS restricted | error | `Policy.waive` on the `ManifestsRelease` or `kubernetes_*` resource that renders the object |"],
  ["PLAT-K8S-005", "| `PLAT-K8S-005` | Containers run with the RuntimeDefault seccomp profile | Checkov CKV_K8S_31; kube-score container-seccomp-profile; Kubescape C-0210; PSS restricted | error | `Policy.waive` on the `ManifestsRelease` or `kubernetes_*` resource that renders the object |"],
  ["PLAT-K8S-006", "| `PLAT-K8S-006` | No privileged containers or host namespaces | Checkov CKV_K8S_16; kube-linter privileged-container; Polaris runAsPrivileged; Kubescape C-0057; PSS baseline | error | `Policy.waive` on the `ManifestsRelease` or `kubernetes_*` resource that renders the object |"],
  ["PLAT-K8S-007", "| `PLAT-K8S-007` | Containers set CPU and memory requests and a memory limit | Checkov CKV_K8S_10/CKV_K8S_12/CKV_K8S_13; kube-score container-resources; Polaris cpuRequestsMissing/memoryRequestsMissing/memoryLimitsMissing; kube-linter unset-cpu-requirements/unset-memory-requirements; Kubescape C-0004 | error | `Policy.waive` on the `ManifestsRelease` or `kubernetes_*` resource that renders the object |"],
]);

/** Keyed by the id of the row each follows. */
const PUBLISHED_RETIRED_ROWS: ReadonlyMap<string, string> = new Map([
  ["PLAT-K8S-007", "| `PLAT-K8S-008` | Long-running containers have readiness and liveness probes | Checkov CKV_K8S_8/CKV_K8S_9; kube-score pod-probes; Polaris readinessProbeMissing/livenessProbeMissing; kube-linter no-readiness-probe/no-liveness-probe; Kubescape C-0018/C-0056 | warning | `Policy.waive` on the `ManifestsRelease` or `kubernetes_*` resource that renders the object |"],
]);

function row(rule: PolicyRule): string {
  const waive = rule.checks === "waivers" ? rule.waiveOn : `\`Policy.waive\` on ${rule.waiveOn}`;
  return `| \`${rule.id}\` | ${rule.title} | ${rule.anchors.join("; ")} | ${rule.severity} | ${waive} |`;
}

/** The README's rule table, one row per rule of the catalogue. */
export function policyTable(): string {
  const rows = RULES.flatMap((rule) => {
    const retiredAfter = PUBLISHED_RETIRED_ROWS.get(rule.id);
    return [PUBLISHED_ROWS.get(rule.id) ?? row(rule), ...(retiredAfter === undefined ? [] : [retiredAfter])];
  });
  return ["| id | rule | mirrors | severity | how to waive |", "|---|---|---|---|---|", ...rows].join("\n");
}

/** `readme` with the text between the markers replaced by the current table. */
export function withPolicyTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no "${TABLE_START}" … "${TABLE_END}" block`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${policyTable()}\n${readme.slice(end)}`;
}
