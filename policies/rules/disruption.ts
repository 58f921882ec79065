import { StackInventory } from "../inventory";
import { objectAt, show, stringMapAt } from "../json";
import { RenderedObject } from "../kubernetes-objects";
import { defineRule, Finding, findingsFor } from "../rule";
import { budgetBlocksAll, ReplicatedWorkload, replicatedWorkloads } from "../workloads";

const WAIVE_ON_WORKLOAD = "the resource that renders the workload or the budget";
const APPLIES_WORKLOADS =
  "workloads and budgets the project renders; the budget switches of the Vault, redis-ha, CloudNativePG cluster and cert-manager chart values it sets";

/** PodDisruptionBudgets we render that select the workload's pods. */
function budgetsOf(inventory: StackInventory, workload: ReplicatedWorkload): RenderedObject[] {
  return inventory.objects.filter((object) => {
    if (object.kind !== "PodDisruptionBudget" || object.namespace !== workload.namespace) return false;
    const selector = stringMapAt(objectAt(objectAt(object.object.spec).selector).matchLabels);
    const keys = Object.keys(selector);
    return keys.length > 0 && keys.every((key) => workload.podLabels[key] === selector[key]);
  });
}

export const budgetWhenReplicated = defineRule({
  id: "PLAT-PDB-001",
  title: "Workloads with 2 or more replicas have a PodDisruptionBudget",
  anchors: ["kube-score deployment-has-poddisruptionbudget/statefulset-has-poddisruptionbudget", "Polaris missingPodDisruptionBudget"],
  severity: "error",
  waiveOn: WAIVE_ON_WORKLOAD,
  applies: APPLIES_WORKLOADS,
  checks: "resources",
  check: (inventory) =>
    findingsFor(
      replicatedWorkloads(inventory).filter((workload) => workload.replicas >= 2),
      (workload) => workload.construct,
      (workload) => {
        const budget = workload.budget;
        if (budget.source === "objects" && budgetsOf(inventory, workload).length === 0) {
          return `${workload.describe} runs ${workload.replicas} replicas with no PodDisruptionBudget, so a node drain may evict them all at once; add one with maxUnavailable: 1 selecting its pods`;
        }
        if (budget.source === "switch" && !budget.enabled) {
          return `${workload.describe} runs ${workload.replicas} replicas with its PodDisruptionBudget off; enable ${budget.field}`;
        }
        return undefined;
      },
    ),
});

export const noBudgetWhenSingle = defineRule({
  id: "PLAT-PDB-002",
  title: "Single-replica workloads have no PodDisruptionBudget",
  anchors: ["kube-linter pdb-min-available", "CloudNativePG: no PDB with 1 instance"],
  severity: "error",
  waiveOn: WAIVE_ON_WORKLOAD,
  applies: APPLIES_WORKLOADS,
  checks: "resources",
  check: (inventory) => {
    const findings: Finding[] = [];
    for (const workload of replicatedWorkloads(inventory)) {
      if (workload.replicas !== 1) continue;
      const budget = workload.budget;
      if (budget.source === "objects") {
        for (const pdb of budgetsOf(inventory, workload)) {
          findings.push({
            construct: pdb.construct,
            message: `${pdb.describe} guards ${workload.describe}, which has 1 replica, so it blocks every node drain; remove the budget or run 2 or more replicas`,
          });
        }
      } else if (budget.source === "switch" && budget.enabled) {
        findings.push({
          construct: workload.construct,
          message: `${workload.describe} has 1 replica and a PodDisruptionBudget, which blocks every node drain; disable ${budget.field}`,
        });
      }
    }
    return findings;
  },
});

export const budgetAllowsDisruption = defineRule({
  id: "PLAT-PDB-003",
  title: "No PodDisruptionBudget blocks all disruptions",
  anchors: ["kube-linter pdb-max-unavailable/pdb-min-available", "Polaris pdbDisruptionsIsZero"],
  severity: "error",
  waiveOn: WAIVE_ON_WORKLOAD,
  applies: APPLIES_WORKLOADS,
  checks: "resources",
  check: (inventory) => {
    const workloads = replicatedWorkloads(inventory);
    const findings: Finding[] = [];
    for (const pdb of inventory.objects) {
      if (pdb.kind !== "PodDisruptionBudget") continue;
      const guarded = workloads.filter((workload) => workload.budget.source === "objects" && budgetsOf(inventory, workload).includes(pdb));
      // A budget over single replicas is PLAT-PDB-002's finding.
      if (guarded.length > 0 && guarded.every((workload) => workload.replicas === 1)) continue;
      const spec = objectAt(pdb.object.spec);
      const replicas = Math.min(...guarded.map((workload) => workload.replicas), Number.POSITIVE_INFINITY);
      if (budgetBlocksAll(spec, Number.isFinite(replicas) ? replicas : 0)) {
        findings.push({
          construct: pdb.construct,
          message: `${pdb.describe} (maxUnavailable ${show(spec.maxUnavailable)}, minAvailable ${show(spec.minAvailable)}) never allows an eviction${guarded.length > 0 ? ` of ${guarded[0].describe} (${replicas} replicas)` : ""}; use maxUnavailable: 1`,
        });
      }
    }
    for (const workload of workloads) {
      const budget = workload.budget;
      if (budget.source === "switch" && budget.enabled && budget.blocksAll && workload.replicas >= 2) {
        findings.push({
          construct: workload.construct,
          message: `${workload.describe}: ${budget.field} yields a budget that never allows an eviction of its ${workload.replicas} replicas; set maxUnavailable: 1 there`,
        });
      }
    }
    return findings;
  },
});
