import { vaultStackName } from "../core/stacks";
import { chartFullname } from "../constructs/helm/platform-release";
import { isEnabled } from "../constructs/services";
import { VAULT_CHART } from "../constructs/vault/chart";
import { VAULT_API_PORT, VAULT_NAMESPACE, VAULT_RELEASE } from "../constructs/vault/kubernetes";
import { EnvironmentSource } from "../environments/load";
import { VAULT_CA_SECRET } from "./vault-stack";

/** `platform`: an environment's own stack (cluster or laptop); `vault`: its Vault configuration. */
export type StackKind = "platform" | "vault";

/** How CI reaches the Vault a `vault` stack configures, from a runner with the environment's kubeconfig. */
export interface VaultReach {
  /** Vault's address as the stack's provider uses it (the environment's `vaultAccess.address`). */
  readonly address: string;
  /** Where the provider reads the CA (`vaultAccess.caCertFile`): CI writes the CA there. */
  readonly caCertFile: string;
  /** The environment's kubeconfig context, for kubectl. */
  readonly kubeconfigContext: string;
  /** The Secret whose key holds the environment's internal CA, which signed Vault's certificate. */
  readonly caSecret: { readonly namespace: string; readonly name: string; readonly key: string };
  /**
   * The port-forward that makes `address` reach the active node: present when
   * the address is on the runner itself (127.0.0.1 or localhost).
   */
  readonly portForward?: { readonly namespace: string; readonly service: string; readonly port: number; readonly localPort: number };
}

/** One stack, as CI's matrices and `npm run -s stacks` see it. */
export interface StackEntry {
  /** The stack: `cdktf deploy <name>`, cdktf.out/stacks/<name>, state `<keyPrefix>/<name>.tfstate`. */
  readonly name: string;
  /** Its environment: the GitHub Environment that guards its apply, the suffix of its secrets (KUBECONFIG_<ENV>). */
  readonly environment: string;
  readonly kind: StackKind;
  /** For `vault` stacks. */
  readonly vault?: VaultReach;
}

/** The stacks of one environment, in apply order: its own, then its Vault configuration's when it runs Vault on Kubernetes. */
export function environmentStacks(source: EnvironmentSource): StackEntry[] {
  const config = source.config;
  const platform: StackEntry = { name: config.name, environment: config.name, kind: "platform" };
  if (config.target !== "kubernetes" || !isEnabled(config.services ?? {}, "vault") || config.vaultAccess === undefined) return [platform];
  const access = config.vaultAccess;
  const url = URL.canParse(access.address) ? new URL(access.address) : undefined;
  const local = url !== undefined && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  const vault: VaultReach = {
    address: access.address,
    caCertFile: access.caCertFile,
    kubeconfigContext: config.cluster.kubeconfigContext,
    caSecret: { namespace: VAULT_NAMESPACE, ...VAULT_CA_SECRET },
    portForward: local
      ? {
          namespace: VAULT_NAMESPACE,
          // The chart's Service selecting the active node only (HA mode).
          service: `${chartFullname(VAULT_RELEASE, VAULT_CHART.chart)}-active`,
          port: VAULT_API_PORT,
          localPort: Number(url?.port || 443),
        }
      : undefined,
  };
  return [platform, { name: vaultStackName(config.name), environment: config.name, kind: "vault", vault }];
}

/** Every stack the program synthesizes, in promotion and apply order. */
export function allStacks(sources: readonly EnvironmentSource[]): StackEntry[] {
  return sources.flatMap(environmentStacks);
}

/**
 * The stacks CI plans on every pull request and applies on merge, in apply
 * order (`dev`, `dev-vault`, `staging`, …): those of environments whose
 * state is shared in object storage. A laptop's stack (local state, a Docker
 * engine) has nothing for CI to reach.
 */
export function ciStacks(sources: readonly EnvironmentSource[]): StackEntry[] {
  return allStacks(sources.filter((source) => source.config.state.backend === "s3"));
}

export function ciStackNames(sources: readonly EnvironmentSource[]): string[] {
  return ciStacks(sources).map((stack) => stack.name);
}

export function allStackNames(sources: readonly EnvironmentSource[]): string[] {
  return allStacks(sources).map((stack) => stack.name);
}
