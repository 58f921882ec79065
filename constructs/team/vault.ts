import { VaultKubernetesRoleSpec, VaultPolicySpec } from "../vault-config/spec";
import { ResolvedTeam } from "./spec";

/** The service account a team namespace's Vault SecretStore logs in as. */
export const TEAM_VAULT_SERVICE_ACCOUNT = "platform-vault";

/** A team's Vault policy and Kubernetes-auth role: `team-<name>`. */
export function teamVaultName(team: string): string {
  return `team-${team}`;
}

/** A team's KV prefix below the platform's mount: `teams/<name>`. */
export function teamVaultPrefix(team: string): string {
  return `teams/${team}`;
}

/**
 * What a team may do in Vault: read its own KV prefix (and list it, which
 * External Secrets' `dataFrom.find` does), logging in from its namespaces
 * with the SecretStore's service account or one the team names. Writing below
 * the prefix is an operator's step (`vault kv put`): no team credential can
 * write into Vault.
 */
export function teamVaultAccess(
  team: ResolvedTeam,
  kvMount: string,
): { readonly policy: VaultPolicySpec; readonly role: VaultKubernetesRoleSpec } {
  const name = teamVaultName(team.name);
  const prefix = teamVaultPrefix(team.name);
  return {
    policy: {
      name,
      description: `Team ${team.name}: reads its own secrets below ${kvMount}/${prefix}`,
      rules: [
        { path: `${kvMount}/data/${prefix}/*`, capabilities: ["read"], comment: "The team's secrets" },
        { path: `${kvMount}/metadata/${prefix}/*`, capabilities: ["read", "list"], comment: "Listing them, for dataFrom.find" },
      ],
    },
    role: {
      name,
      serviceAccounts: [TEAM_VAULT_SERVICE_ACCOUNT, ...team.vault.serviceAccounts],
      namespaces: [...team.namespaces],
      policies: [name],
      tokenTtl: "15m",
    },
  };
}
