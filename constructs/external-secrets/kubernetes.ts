import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ManifestsRelease } from "../helm/manifests-release";
import { PlatformRelease } from "../helm/platform-release";
import { PlatformNamespace } from "../kubernetes/platform-namespace";
import { KubernetesServiceProps } from "../kubernetes/service-props";
import { EXTERNAL_SECRETS_CHART } from "./chart";
import { EXTERNAL_SECRETS_API } from "./generated-secret";
import { ExternalSecretsSpec, resolveExternalSecrets, ResolvedExternalSecretsSpec } from "./spec";

export interface ExternalSecretsProps extends KubernetesServiceProps {
  /** @default - resolveExternalSecrets defaults */
  readonly spec?: ExternalSecretsSpec;
  /** Vault API address inside the cluster. */
  readonly vaultAddress: string;
  /** Namespace of Vault, for the egress allow. */
  readonly vaultNamespace: string;
}

export const EXTERNAL_SECRETS_NAMESPACE = "external-secrets";
/** The ClusterSecretStore every namespace reads Vault through. */
export const VAULT_SECRET_STORE = "vault";
const RELEASE = "external-secrets";
const WEBHOOK_PORT = 10250;
const METRICS_PORT = 8080;

/**
 * The External Secrets operator and a ClusterSecretStore for Vault (KV v2,
 * Kubernetes auth). Services create their credentials with
 * `generatedSecretManifests` or ExternalSecrets on this store, after `ready`.
 */
export class ExternalSecrets extends Construct {
  public readonly spec: ResolvedExternalSecretsSpec;
  public readonly namespace: PlatformNamespace;
  public readonly operator: PlatformRelease;
  public readonly store: ManifestsRelease;

  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    super(scope, id);
    this.spec = resolveExternalSecrets(props.spec, { tier: props.tier, target: "kubernetes" });
    this.namespace = new PlatformNamespace(this, "namespace", {
      name: EXTERNAL_SECRETS_NAMESPACE,
      podSecurity: "restricted",
      // The operator writes Secrets in every namespace; the API server calls its webhook.
      kubernetesApi: true,
      webhookPorts: [WEBHOOK_PORT],
      egressTo: [{ namespace: props.vaultNamespace, ports: [8200] }],
      metricsPorts: [METRICS_PORT],
    });
    const replicated = this.spec.replicas >= 2;
    const small = { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } };
    this.operator = new PlatformRelease(this, "release", {
      name: RELEASE,
      namespace: this.namespace.namespace.metadata.name,
      source: EXTERNAL_SECRETS_CHART,
      values: {
        installCRDs: true,
        replicaCount: this.spec.replicas,
        leaderElect: replicated,
        resources: small,
        global: { nodeSelector: props.placement.nodeSelector, tolerations: props.placement.tolerations },
        podDisruptionBudget: { enabled: replicated, minAvailable: 1 },
        serviceMonitor: { enabled: true },
        webhook: { replicaCount: this.spec.replicas, resources: small, podDisruptionBudget: { enabled: replicated, minAvailable: 1 } },
        certController: { resources: small },
      },
      dependsOn: [...(props.dependsOn ?? []), ...this.namespace.dependables],
    });

    this.store = new ManifestsRelease(this, "store", {
      name: "vault-secret-store",
      namespace: EXTERNAL_SECRETS_NAMESPACE,
      manifests: [
        {
          apiVersion: EXTERNAL_SECRETS_API,
          kind: "ClusterSecretStore",
          metadata: { name: VAULT_SECRET_STORE },
          spec: {
            provider: {
              vault: {
                server: props.vaultAddress,
                path: this.spec.vaultMount,
                version: "v2",
                auth: {
                  kubernetes: {
                    mountPath: this.spec.vaultAuthMount,
                    role: this.spec.vaultRole,
                    serviceAccountRef: { name: RELEASE, namespace: EXTERNAL_SECRETS_NAMESPACE },
                  },
                },
              },
            },
          },
        },
      ],
      dependsOn: [this.operator.release],
    });
  }

  /** What a release that creates ExternalSecrets or generators must wait for. */
  public get ready(): ITerraformDependable[] {
    return [this.operator.release, this.store.helm.release];
  }
}
