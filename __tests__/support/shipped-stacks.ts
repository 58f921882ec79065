/** The stacks the shipped environments synthesize, in order: each cluster's Vault stack right after it. */
export const SHIPPED_STACKS: readonly string[] = [
  "local",
  "dev",
  "dev-vault",
  "staging",
  "staging-vault",
  "production",
  "production-vault",
];
