import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { assertValidProps } from "../common/validate-props";
import { ManifestsRelease } from "../helm/manifests-release";
import { PlatformRelease } from "../helm/platform-release";
import { checkNamespaceName, checkReleaseName } from "../kubernetes/names";
import { PlatformNamespace } from "../kubernetes/platform-namespace";
import { KubernetesServiceProps, resolveServiceProps } from "../kubernetes/service-props";
import { EXTERNAL_SECRETS_CHART } from "./chart";
import { EXTERNAL_SECRETS_API } from "./generated-secret";
import { ExternalSecretsSpec, resolveExternalSecrets, ResolvedExternalSecretsSpec, validateExternalSecrets } from "./spec";
import { EXTERNAL_SECRETS_RESOURCES } from "./sizing";

/** Where a Vault's API is reached inside the cluster; the `Vault` construct is one. */
export interface VaultEndpoint {
  /** API URL over https, e.g. `https://vault-active.vault.svc.cluster.local:8200`. */
  readonly address: string;
  /** Namespace of the Vault pods, for the egress allow (and of `caCertificate`). */
  readonly namespaceName: string;
  readonly port: number;
  /**
   * The CA certificate that verifies Vault's listener, in a Secret of
   * `namespaceName` (the `Vault` construct's: `ca.crt` of `vault-tls`).
   * @default - the operator's system roots: a Vault with a publicly trusted certificate
   */
  readonly caCertificate?: { readonly secretName: string; readonly key: string };
}

export interface ExternalSecretsProps extends KubernetesServiceProps {
  /** @default - resolveExternalSecrets defaults */
  readonly spec?: ExternalSecretsSpec;
  /** The Vault the ClusterSecretStore reads. @default - no store: only in-cluster generators */
  readonly vault?: VaultEndpoint;
  /** @default "external-secrets" */
  readonly namespace?: string;
  /** @default "external-secrets" */
  readonly releaseName?: string;
  /** Name of the ClusterSecretStore that reads Vault. @default "vault" */
  readonly storeName?: string;
}

/** @default namespace and release name */
export const EXTERNAL_SECRETS_NAMESPACE = "external-secrets";
/** @default storeName: the ClusterSecretStore every namespace reads Vault through. */
export const VAULT_SECRET_STORE = "vault";
const RELEASE = "external-secrets";
const WEBHOOK_PORT = 10250;
const METRICS_PORT = 8080;

/**
 * The External Secrets operator and, with a Vault, a ClusterSecretStore for
 * it (KV v2, Kubernetes auth, https verified with Vault's CA). Services
 * create their credentials with `generatedSecretManifests` or ExternalSecrets
 * on that store, after `ready`.
 */
export class ExternalSecrets extends Construct {
  public readonly spec: ResolvedExternalSecretsSpec;
  public readonly namespaceName: string;
  public readonly releaseName: string;
  public readonly storeName: string;
  public readonly namespace: PlatformNamespace;
  public readonly operator: PlatformRelease;
  /** The Vault ClusterSecretStore; undefined without a Vault. */
  public readonly store?: ManifestsRelease;

  constructor(scope: Construct, id: string, props: ExternalSecretsProps = {}) {
    super(scope, id);
    const service = resolveServiceProps(this, props);
    this.namespaceName = props.namespace ?? EXTERNAL_SECRETS_NAMESPACE;
    this.releaseName = props.releaseName ?? RELEASE;
    this.storeName = props.storeName ?? VAULT_SECRET_STORE;
    assertValidProps(this, (problems) => {
      validateExternalSecrets(props.spec, service.context, problems.at("spec"));
      checkNamespaceName(problems, "namespace", this.namespaceName);
      checkReleaseName(problems, "releaseName", this.releaseName);
      checkNamespaceName(problems, "storeName", this.storeName);
      if (props.vault !== undefined) {
        problems.check(
          props.vault.address.startsWith("https://"),
          "vault.address",
          "the ClusterSecretStore would send Vault tokens in clear text",
          props.vault.address,
          "serve Vault over TLS and give its https:// address; the Vault construct does",
        );
      }
    });
    this.spec = resolveExternalSecrets(props.spec, service.context);
    const vault = props.vault;
    this.namespace = new PlatformNamespace(this, "namespace", {
      name: this.namespaceName,
      podSecurity: "restricted",
      // The operator writes Secrets in every namespace; the API server calls its webhook.
      kubernetesApi: true,
      webhookPorts: [WEBHOOK_PORT],
      egressTo: vault ? [{ namespace: vault.namespaceName, ports: [vault.port] }] : [],
      metricsPorts: [METRICS_PORT],
      prometheusNamespace: service.prometheusNamespace,
    });
    const replicated = this.spec.replicas >= 2;
    const small = EXTERNAL_SECRETS_RESOURCES;
    const { nodeSelector, tolerations } = service.placement;
    this.operator = new PlatformRelease(this, "release", {
      name: this.releaseName,
      namespace: this.namespace.namespace.metadata.name,
      source: EXTERNAL_SECRETS_CHART,
      values: {
        installCRDs: true,
        replicaCount: this.spec.replicas,
        leaderElect: replicated,
        resources: small,
        global: { nodeSelector, tolerations },
        podDisruptionBudget: { enabled: replicated, minAvailable: 1 },
        serviceMonitor: { enabled: service.monitoring },
        webhook: { replicaCount: this.spec.replicas, resources: small, podDisruptionBudget: { enabled: replicated, minAvailable: 1 } },
        certController: { resources: small },
      },
      overrides: this.spec.values,
      dependsOn: [...service.dependsOn, ...this.namespace.dependables],
    });

    if (vault === undefined) return;
    this.store = new ManifestsRelease(this, "store", {
      name: `${this.storeName}-secret-store`,
      namespace: this.namespaceName,
      manifests: [
        {
          apiVersion: EXTERNAL_SECRETS_API,
          kind: "ClusterSecretStore",
          metadata: { name: this.storeName },
          spec: {
            provider: {
              vault: {
                server: vault.address,
                // Read from the Secret at each connection: a renewed CA reaches the store without a change here.
                ...(vault.caCertificate
                  ? {
                      caProvider: {
                        type: "Secret",
                        name: vault.caCertificate.secretName,
                        key: vault.caCertificate.key,
                        namespace: vault.namespaceName,
                      },
                    }
                  : {}),
                path: this.spec.vaultMount,
                version: "v2",
                auth: {
                  kubernetes: {
                    mountPath: this.spec.vaultAuthMount,
                    role: this.spec.vaultRole,
                    serviceAccountRef: { name: this.releaseName, namespace: this.namespaceName },
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
    return this.store ? [this.operator.release, this.store.helm.release] : [this.operator.release];
  }
}
