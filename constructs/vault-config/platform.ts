import { ServiceContext } from "../../core/service-context";
import { EXTERNAL_SECRETS_NAMESPACE } from "../external-secrets/kubernetes";
import { resolveExternalSecrets } from "../external-secrets/spec";
import { isEnabled, PlatformServicesConfig, specOf, vaultSecretReferences } from "../services";
import { resolveTeam, TeamSpec } from "../team/spec";
import { teamVaultAccess } from "../team/vault";
import { DEFAULT_POLICY, VaultConfigurationSpec, VaultKubernetesRoleSpec, VaultPolicySpec } from "./spec";

/**
 * The platform's own Vault configuration, derived from an environment's
 * services: the KV mount and auth mount External Secrets reads, and, when
 * External Secrets runs, its policy (read the keys the platform's
 * ExternalSecrets name, nothing else) and the role binding it to the
 * operator's service account; and each team's policy and role (its own KV
 * prefix, read-only, from its namespaces).
 */
export function platformVaultConfiguration(
  services: PlatformServicesConfig,
  context: ServiceContext,
  teams: readonly TeamSpec[] = [],
): VaultConfigurationSpec {
  const eso = resolveExternalSecrets(specOf(services.externalSecrets), context);
  const access = isEnabled(services, "externalSecrets") ? externalSecretsAccess(services, eso.vaultMount, eso.vaultRole) : undefined;
  const teamAccess = teams.map((team) => teamVaultAccess(resolveTeam(team), eso.vaultMount));
  return {
    kvMount: eso.vaultMount,
    kubernetesAuthMount: eso.vaultAuthMount,
    policies: [...(access?.policy ? [access.policy] : []), ...teamAccess.map((team) => team.policy)],
    roles: [...(access ? [access.role] : []), ...teamAccess.map((team) => team.role)],
  };
}

/**
 * External Secrets' policy and role. The ClusterSecretStore logs in with the
 * operator's service account (its release name, `external-secrets`, in its
 * namespace). It reads each key's current value at `<mount>/data/<key>`;
 * `<mount>/metadata/<key>` is not granted: the platform's ExternalSecrets
 * never fetch metadata (`metadataPolicy: Fetch`) nor list (`dataFrom.find`).
 * Without any key to read, the role keeps Vault's `default` policy only, so
 * the store can still log in and report Ready.
 */
function externalSecretsAccess(
  services: PlatformServicesConfig,
  mount: string,
  role: string,
): { readonly policy?: VaultPolicySpec; readonly role: VaultKubernetesRoleSpec } {
  const references = vaultSecretReferences(services);
  const policy: VaultPolicySpec | undefined =
    references.length === 0
      ? undefined
      : {
          name: role,
          description: "External Secrets' ClusterSecretStore: reads the keys the platform's ExternalSecrets name, nothing else",
          rules: references.map((reference) => ({
            path: `${mount}/data/${reference.key}`,
            capabilities: ["read"],
            comment: `Named by ${reference.field}`,
          })),
        };
  return {
    policy,
    role: {
      name: role,
      // The chart names the operator's service account after the release, which is named after the namespace.
      serviceAccounts: [EXTERNAL_SECRETS_NAMESPACE],
      namespaces: [EXTERNAL_SECRETS_NAMESPACE],
      policies: policy ? [policy.name] : [DEFAULT_POLICY],
      // External Secrets logs in for each sync and revokes its token afterwards.
      tokenTtl: "15m",
    },
  };
}
