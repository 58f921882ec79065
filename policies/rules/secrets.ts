import { defineRule, Finding } from "../rule";
import { scanSecrets, SecretKind } from "../secret-scan";
import { StackInventory } from "../inventory";

const WAIVE_ON_HOLDER = "the resource that holds the value";
const APPLIES_EVERYTHING = "everything the stack synthesizes";

const KEEP_OUT =
  "keep it out of the JSON: reference a Kubernetes Secret (existingSecret, secretKeyRef), generate it in the cluster (External Secrets Password), or pass it with set_wo from an ephemeral value";

function hitsOf(inventory: StackInventory, kind: SecretKind, describe: (where: string, length: number) => string): Finding[] {
  return scanSecrets(inventory)
    .filter((hit) => hit.kind === kind)
    .map((hit) => ({ construct: hit.construct, message: describe(hit.where, hit.length) }));
}

export const noLiteralSecrets = defineRule({
  id: "PLAT-SECRET-001",
  title: "No literal values in password/token/secret/key fields or Secret data",
  anchors: ["Checkov CKV_SECRET_10", "Kubescape C-0012", "Polaris sensitiveContainerEnvVar", "kube-linter env-var-secret"],
  severity: "error",
  waiveOn: WAIVE_ON_HOLDER,
  applies: APPLIES_EVERYTHING,
  checks: "resources",
  check: (inventory) =>
    hitsOf(inventory, "literal", (where, length) => `${where} holds a literal secret (${length} characters); ${KEEP_OUT}`),
});

export const noPrivateKeys = defineRule({
  id: "PLAT-SECRET-002",
  title: "No PEM private-key blocks",
  anchors: ["Checkov CKV_SECRET_13"],
  severity: "error",
  waiveOn: WAIVE_ON_HOLDER,
  applies: APPLIES_EVERYTHING,
  checks: "resources",
  check: (inventory) => hitsOf(inventory, "private-key", (where) => `${where} holds a PEM private key; ${KEEP_OUT}`),
});

export const noHighEntropyStrings = defineRule({
  id: "PLAT-SECRET-003",
  title: "No high-entropy strings (random keys or tokens)",
  anchors: ["Checkov CKV_SECRET_6", "Checkov CKV_SECRET_19"],
  severity: "error",
  waiveOn: WAIVE_ON_HOLDER,
  applies: APPLIES_EVERYTHING,
  checks: "resources",
  check: (inventory) =>
    hitsOf(
      inventory,
      "entropy",
      (where, length) =>
        `${where} holds a high-entropy string (${length} characters) that looks like a key or token; ${KEEP_OUT}. If it is not a secret, waive PLAT-SECRET-003 on it and say what it is`,
    ),
});
