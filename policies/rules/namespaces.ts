import { StackInventory } from "../inventory";
import { isObject, listAt, objectAt, show, stringMapAt } from "../json";
import { RenderedObject } from "../kubernetes-objects";
import { defineRule, findingsFor } from "../rule";

const WAIVE_ON_NAMESPACE = "the namespace resource";
const APPLIES_NAMESPACES = "the namespaces the project creates";

/** The Pod Security Admission label that makes the API server reject pods weaker than the level. */
export const PSA_ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";
const ENFORCED_LEVELS = new Set(["restricted", "baseline"]);

function namespaces(inventory: StackInventory): RenderedObject[] {
  return inventory.objects.filter((object) => object.kind === "Namespace");
}

export const namespacePodSecurity = defineRule({
  id: "PLAT-NS-001",
  title: "Namespaces we create enforce a Pod Security Standard",
  anchors: ["Pod Security Admission pod-security.kubernetes.io/enforce", "PSS restricted"],
  severity: "error",
  waiveOn: WAIVE_ON_NAMESPACE,
  applies: APPLIES_NAMESPACES,
  checks: "resources",
  check: (inventory) =>
    findingsFor(
      namespaces(inventory),
      (namespace) => namespace.construct,
      (namespace) => {
        const level = stringMapAt(objectAt(namespace.object.metadata).labels)[PSA_ENFORCE_LABEL];
        if (level !== undefined && ENFORCED_LEVELS.has(level)) return undefined;
        const label = level === undefined ? `no label ${PSA_ENFORCE_LABEL}` : `label ${PSA_ENFORCE_LABEL} is ${show(level)}`;
        return `${namespace.describe}: ${label}; set it to "restricted" (or "baseline" for a workload that needs it)`;
      },
    ),
});

export const namespaceDefaultDeny = defineRule({
  id: "PLAT-NS-002",
  title: "Namespaces we create have a default-deny NetworkPolicy",
  anchors: ["kube-score pod-networkpolicy", "kube-linter non-isolated-pod", "Kubescape C-0260"],
  severity: "error",
  waiveOn: WAIVE_ON_NAMESPACE,
  applies: APPLIES_NAMESPACES,
  checks: "resources",
  check: (inventory) => {
    const denied = new Set(inventory.objects.filter(isDefaultDeny).map((policy) => policy.namespace));
    return findingsFor(
      namespaces(inventory),
      (namespace) => namespace.construct,
      (namespace) =>
        denied.has(namespace.name)
          ? undefined
          : `${namespace.describe} has no default-deny NetworkPolicy; add one with podSelector {} and policyTypes [Ingress, Egress] and no rules, then allow what the services need`,
    );
  },
});

/** Selects every pod and allows nothing, in both directions. */
function isDefaultDeny(object: RenderedObject): boolean {
  if (object.kind !== "NetworkPolicy") return false;
  const spec = objectAt(object.object.spec);
  const selector = spec.podSelector;
  const selectsAll =
    selector === undefined ||
    (isObject(selector) && Object.keys(objectAt(selector.matchLabels)).length === 0 && listAt(selector.matchExpressions).length === 0);
  const types = listAt(spec.policyTypes);
  return (
    selectsAll &&
    types.includes("Ingress") &&
    types.includes("Egress") &&
    listAt(spec.ingress).length === 0 &&
    listAt(spec.egress).length === 0
  );
}
