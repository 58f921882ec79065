import { isObjectValue } from "./marks";
import { JsonValue, ResourceChange } from "./plan-json";

/**
 * Resources whose delete or replace loses data. This list is the one place to
 * extend: a reviewer sees these called out by name above every other change.
 */
export interface StatefulRule {
  /** What the reviewer reads, e.g. `PostgreSQL (Helm release)`. */
  readonly label: string;
  /** Terraform resource types the rule applies to. */
  readonly types: readonly string[];
  /**
   * Attributes that must match (any of them) for the rule to apply; without
   * it, every resource of the types is stateful.
   */
  readonly attributes?: Readonly<Record<string, RegExp>>;
}

export const STATEFUL_RULES: readonly StatefulRule[] = [
  { label: "Vault (Helm release)", types: ["helm_release"], attributes: { name: /vault/i, chart: /vault/i } },
  { label: "Redis (Helm release)", types: ["helm_release"], attributes: { name: /redis/i, chart: /redis/i } },
  {
    label: "PostgreSQL (Helm release)",
    types: ["helm_release"],
    // CloudNativePG's database chart is called just `cluster`.
    attributes: { name: /postgres|cnpg/i, chart: /postgres|cloudnative-pg|^cluster$/i, repository: /cloudnative-pg/i },
  },
  {
    label: "Kafka (Helm release)",
    types: ["helm_release"],
    attributes: { name: /kafka|strimzi/i, chart: /kafka|strimzi/i },
  },
  {
    label: "PersistentVolumeClaim",
    types: ["kubernetes_persistent_volume_claim", "kubernetes_persistent_volume_claim_v1"],
  },
  { label: "Docker volume", types: ["docker_volume"] },
  // Deleting or replacing a Vault secrets engine mount deletes every secret in it.
  { label: "Vault secrets engine (its secrets)", types: ["vault_mount"] },
];

/** The first rule that matches the resource before or after the change, if any. */
export function statefulRule(resource: ResourceChange, rules: readonly StatefulRule[] = STATEFUL_RULES): StatefulRule | undefined {
  return rules.find((rule) => {
    if (!rule.types.includes(resource.type)) return false;
    if (rule.attributes === undefined) return true;
    return Object.entries(rule.attributes).some(([attribute, pattern]) =>
      [resource.change.before, resource.change.after].some((value) => matches(value, attribute, pattern)),
    );
  });
}

function matches(value: JsonValue, attribute: string, pattern: RegExp): boolean {
  const field = isObjectValue(value) ? value[attribute] : undefined;
  return typeof field === "string" && pattern.test(field);
}
