import { VAULT_STACK_SUFFIX } from "./stacks";

/**
 * How much an environment matters. Availability rules follow the tier, not
 * the name: `development` may run single replicas, `staging` and `production`
 * must survive the loss of a node, `production` also spreads replicas hard.
 */
export type EnvironmentTier = "development" | "staging" | "production";

/** Every tier, from the least to the most demanding. */
export const TIERS: readonly EnvironmentTier[] = ["development", "staging", "production"];

/** Where the platform runs: a Kubernetes cluster, or a Docker engine (a laptop). */
export type EnvironmentTarget = "kubernetes" | "docker";

export const TARGETS: readonly EnvironmentTarget[] = ["kubernetes", "docker"];

/**
 * The tier of a stack that declares none, from its name: `local` and `dev`
 * are development, `production` is production, anything else staging. An
 * environment's Vault stack (`dev-vault`) has its environment's tier.
 */
export function tierOfEnvironment(name: string): EnvironmentTier {
  const environment = name.endsWith(VAULT_STACK_SUFFIX) ? name.slice(0, -VAULT_STACK_SUFFIX.length) : name;
  if (environment === "local" || environment === "dev") return "development";
  return environment === "production" ? "production" : "staging";
}
