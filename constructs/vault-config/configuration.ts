import { Audit } from "@cdktf/provider-vault/lib/audit";
import { AuthBackend } from "@cdktf/provider-vault/lib/auth-backend";
import { KubernetesAuthBackendConfig } from "@cdktf/provider-vault/lib/kubernetes-auth-backend-config";
import { KubernetesAuthBackendRole } from "@cdktf/provider-vault/lib/kubernetes-auth-backend-role";
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { Policy } from "@cdktf/provider-vault/lib/policy";
import { Construct } from "constructs";
import { assertValidProps } from "../common/validate-props";
import {
  declaredPolicies,
  durationSeconds,
  renderPolicy,
  ResolvedVaultConfiguration,
  resolveVaultConfiguration,
  validateVaultConfiguration,
  VaultConfigurationSpec,
} from "./spec";

export interface VaultConfigurationProps {
  /** @default - VAULT_CONFIGURATION_DEFAULTS: the mount, auth method and audit device, the configuration policy, no role */
  readonly spec?: VaultConfigurationSpec;
  /**
   * Refuse to destroy the KV mount (Terraform `prevent_destroy`): deleting it
   * deletes every secret in it.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/**
 * Vault's configuration through the Vault provider: the KV v2 mount, the
 * Kubernetes auth method and its config, one policy per consumer plus the
 * configuration policy, the roles, and the audit device. It needs a Vault
 * provider in its stack (address, CA) and a token in VAULT_TOKEN at plan and
 * apply time, never in the code. Resource ids follow names (`policy-<name>`,
 * `role-<name>`): adding or removing one leaves the others in place.
 */
export class VaultConfiguration extends Construct {
  public readonly spec: ResolvedVaultConfiguration;
  public readonly kvMount: Mount;
  public readonly kubernetesAuth: AuthBackend;
  public readonly kubernetesAuthConfig: KubernetesAuthBackendConfig;
  /** By policy name, the configuration policy included. */
  public readonly policies: ReadonlyMap<string, Policy>;
  /** By role name. */
  public readonly roles: ReadonlyMap<string, KubernetesAuthBackendRole>;
  public readonly audit: Audit;

  constructor(scope: Construct, id: string, props: VaultConfigurationProps = {}) {
    super(scope, id);
    assertValidProps(this, (problems) => validateVaultConfiguration(props.spec, problems.at("spec")));
    const spec = resolveVaultConfiguration(props.spec);
    this.spec = spec;

    this.kvMount = new Mount(this, "kv-mount", {
      path: spec.kvMount,
      type: "kv",
      options: { version: "2" },
      description: "The platform's secrets, read by External Secrets (KV v2)",
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });

    this.kubernetesAuth = new AuthBackend(this, "kubernetes-auth", {
      type: "kubernetes",
      path: spec.kubernetesAuthMount,
      description: "Service accounts of this cluster",
    });
    // Vault runs in the cluster: with no reviewer JWT and no CA, it reviews tokens with its own service
    // account token and CA (disable_local_ca_jwt false). Provider 5.6.0 sends disable_iss_validation=false
    // when it is left out; projected tokens carry the cluster's issuer, so Vault's recommended true is set.
    this.kubernetesAuthConfig = new KubernetesAuthBackendConfig(this, "kubernetes-auth-config", {
      backend: spec.kubernetesAuthMount,
      kubernetesHost: spec.kubernetesHost,
      disableLocalCaJwt: false,
      disableIssValidation: true,
      dependsOn: [this.kubernetesAuth],
    });

    const policies = new Map<string, Policy>();
    for (const policy of declaredPolicies(spec)) {
      policies.set(policy.name, new Policy(this, `policy-${policy.name}`, { name: policy.name, policy: renderPolicy(policy) }));
    }
    this.policies = policies;

    const roles = new Map<string, KubernetesAuthBackendRole>();
    for (const role of spec.roles) {
      roles.set(
        role.name,
        new KubernetesAuthBackendRole(this, `role-${role.name}`, {
          backend: spec.kubernetesAuthMount,
          roleName: role.name,
          boundServiceAccountNames: [...role.serviceAccounts],
          boundServiceAccountNamespaces: [...role.namespaces],
          tokenPolicies: [...role.policies],
          tokenTtl: durationSeconds(role.tokenTtl),
          tokenMaxTtl: durationSeconds(role.tokenMaxTtl),
          audience: role.audience,
          // Names stay literal in plans; the order comes from here: the method and the policies first.
          dependsOn: [
            this.kubernetesAuthConfig,
            ...role.policies.flatMap((name) => {
              const policy = policies.get(name);
              return policy ? [policy] : [];
            }),
          ],
        }),
      );
    }
    this.roles = roles;

    this.audit = new Audit(this, "audit", {
      type: "file",
      path: spec.audit.path,
      local: spec.audit.local,
      options: { file_path: spec.audit.filePath },
      description: "Every request and response, HMAC'd, on each server's audit volume",
    });
  }
}
