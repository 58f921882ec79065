import { ITerraformDependable } from "cdktf";
import { isDns1123Label } from "../../core/formats";
import { Construct } from "constructs";
import { assertValidProps } from "../common/validate-props";
import { KubernetesManifest, ManifestsRelease } from "../helm/manifests-release";
import { HelmValues } from "../helm/merge-values";
import { PlatformRelease } from "../helm/platform-release";
import { podAntiAffinity } from "../kubernetes/affinity";
import { checkNamespaceName, checkReleaseName } from "../kubernetes/names";
import { PlatformNamespace } from "../kubernetes/platform-namespace";
import { hardAntiAffinity, KubernetesServiceProps, ResolvedServiceProps, resolveServiceProps } from "../kubernetes/service-props";
import { CERT_MANAGER_CHART } from "./chart";
import { CertManagerSpec, ResolvedCertManagerSpec, resolveCertManager, validateCertManager } from "./spec";

/** cert-manager's API group and version at v1.21.1, the only one it serves. */
export const CERT_MANAGER_API = "cert-manager.io/v1";

/** An issuer certificates name in `issuerRef`, and what must exist before one is requested from it. */
export interface IssuerReference {
  readonly name: string;
  readonly kind: "ClusterIssuer" | "Issuer";
  /** The releases that create the issuer (and cert-manager before it). @default [] */
  readonly ready?: readonly ITerraformDependable[];
}

export interface CertManagerProps extends KubernetesServiceProps {
  /** @default - resolveCertManager defaults */
  readonly spec?: CertManagerSpec;
  /** @default "cert-manager" */
  readonly namespace?: string;
  /** @default "cert-manager" */
  readonly releaseName?: string;
  /**
   * Name of the environment's CA ClusterIssuer, of its CA Certificate and of
   * the Secret that holds the CA key (in `namespace`). The self-signed
   * ClusterIssuer that signs the CA is `<name>-selfsigned`.
   * @default "platform-ca"
   */
  readonly caIssuerName?: string;
}

/** @default namespace and release name */
export const CERT_MANAGER_NAMESPACE = "cert-manager";
const RELEASE = "cert-manager";
/** @default caIssuerName: the ClusterIssuer that signs the platform's in-cluster certificates. */
export const PLATFORM_CA_ISSUER = "platform-ca";
/** The API server calls the webhook on its pods' `webhook.securePort` (the Service maps 443 to it). */
export const CERT_MANAGER_WEBHOOK_PORT = 10250;
/** `http-metrics` of the controller, webhook and cainjector (templates at v1.21.1). */
export const CERT_MANAGER_METRICS_PORT = 9402;

const SELF_SIGNED_SUFFIX = "-selfsigned";

/** The restricted Pod Security profile, written out so that a chart default that changes cannot loosen it. */
const POD_SECURITY_CONTEXT = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
const CONTAINER_SECURITY_CONTEXT = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true };

/**
 * cert-manager (its CRDs installed and kept by the chart) and, through the
 * project's manifests chart once the operator answers, the environment's
 * internal certificate authority: a self-signed ClusterIssuer signs a CA
 * Certificate in cert-manager's namespace, and the CA ClusterIssuer
 * (`caIssuer`) signs what the platform serves inside the cluster (Vault's
 * listener). Its CA certificate reaches clients as `ca.crt` of each issued
 * Secret.
 */
export class CertManager extends Construct {
  public readonly spec: ResolvedCertManagerSpec;
  public readonly namespaceName: string;
  public readonly releaseName: string;
  public readonly namespace: PlatformNamespace;
  public readonly release: PlatformRelease;
  /** The self-signed ClusterIssuer, the CA Certificate and the CA ClusterIssuer. */
  public readonly issuers: ManifestsRelease;
  /** Name of the self-signed ClusterIssuer that signs the CA certificate. */
  public readonly selfSignedIssuerName: string;
  /** Name of the CA Certificate, in `namespaceName`. */
  public readonly caCertificateName: string;
  /** Secret holding the CA certificate and key (`tls.crt`, `tls.key`, `ca.crt`), in `namespaceName`. */
  public readonly caSecretName: string;
  /** Name of the CA ClusterIssuer. */
  public readonly caIssuerName: string;

  constructor(scope: Construct, id: string, props: CertManagerProps = {}) {
    super(scope, id);
    const service = resolveServiceProps(this, props);
    this.namespaceName = props.namespace ?? CERT_MANAGER_NAMESPACE;
    this.releaseName = props.releaseName ?? RELEASE;
    this.caIssuerName = props.caIssuerName ?? PLATFORM_CA_ISSUER;
    assertValidProps(this, (problems) => {
      validateCertManager(props.spec, service.context, problems.at("spec"));
      checkNamespaceName(problems, "namespace", this.namespaceName);
      checkReleaseName(problems, "releaseName", this.releaseName);
      problems.check(
        isDns1123Label(`${this.caIssuerName}${SELF_SIGNED_SUFFIX}`),
        "caIssuerName",
        "CA issuer name is not allowed",
        this.caIssuerName,
        `use at most ${63 - SELF_SIGNED_SUFFIX.length} lowercase letters, digits and '-', starting and ending with a letter or digit: the self-signed issuer is named <name>${SELF_SIGNED_SUFFIX}`,
      );
    });
    this.spec = resolveCertManager(props.spec, service.context);
    this.selfSignedIssuerName = `${this.caIssuerName}${SELF_SIGNED_SUFFIX}`;
    this.caCertificateName = this.caIssuerName;
    this.caSecretName = this.caIssuerName;

    this.namespace = new PlatformNamespace(this, "namespace", {
      name: this.namespaceName,
      podSecurity: "restricted",
      // The controller, webhook and CA injector all work through the API server; the API server calls the webhook.
      kubernetesApi: true,
      webhookPorts: [CERT_MANAGER_WEBHOOK_PORT],
      metricsPorts: [CERT_MANAGER_METRICS_PORT],
      prometheusNamespace: service.prometheusNamespace,
    });
    this.release = new PlatformRelease(this, "release", {
      name: this.releaseName,
      namespace: this.namespace.namespace.metadata.name,
      source: CERT_MANAGER_CHART,
      values: certManagerValues(this.spec, service, this.releaseName, this.namespaceName),
      overrides: this.spec.values,
      dependsOn: [...service.dependsOn, ...this.namespace.dependables],
    });
    this.issuers = new ManifestsRelease(this, "issuers", {
      name: `${this.caIssuerName}-issuers`,
      namespace: this.namespaceName,
      manifests: this.issuerManifests(service.environmentName),
      // The chart's startupapicheck hook has seen the webhook answer by the time the release is done.
      dependsOn: [this.release.release],
    });
  }

  /** The CA ClusterIssuer, for certificates that must be ready before their workload starts. */
  public get caIssuer(): IssuerReference {
    return { name: this.caIssuerName, kind: "ClusterIssuer", ready: [this.issuers.helm.release] };
  }

  private issuerManifests(environmentName: string): KubernetesManifest[] {
    return [
      { apiVersion: CERT_MANAGER_API, kind: "ClusterIssuer", metadata: { name: this.selfSignedIssuerName }, spec: { selfSigned: {} } },
      {
        apiVersion: CERT_MANAGER_API,
        kind: "Certificate",
        // A ClusterIssuer reads its secretName in the cluster resource namespace, which the chart sets to its own.
        metadata: { name: this.caCertificateName, namespace: this.namespaceName },
        spec: {
          isCA: true,
          commonName: this.caIssuerName,
          subject: { organizations: ["platform"], organizationalUnits: [environmentName] },
          secretName: this.caSecretName,
          duration: this.spec.ca.duration,
          renewBefore: this.spec.ca.renewBefore,
          // A renewed CA keeps its key, so certificates it signed before still verify against the renewed one.
          privateKey: { algorithm: "ECDSA", size: 384, rotationPolicy: "Never" },
          issuerRef: { name: this.selfSignedIssuerName, kind: "ClusterIssuer", group: "cert-manager.io" },
        },
      },
      {
        apiVersion: CERT_MANAGER_API,
        kind: "ClusterIssuer",
        metadata: { name: this.caIssuerName },
        spec: { ca: { secretName: this.caSecretName } },
      },
    ];
  }
}

function certManagerValues(spec: ResolvedCertManagerSpec, props: ResolvedServiceProps, release: string, namespace: string): HelmValues {
  const hard = hardAntiAffinity(props.tier);
  const replicated = spec.replicas >= 2;
  const sized = (cpu: string, memory: string, limit: string) => ({ requests: { cpu, memory }, limits: { memory: limit } });
  // Each component's pods carry app.kubernetes.io/{name,instance,component} (templates at v1.21.1).
  const component = (name: string, role: string, resources: object) => ({
    replicaCount: spec.replicas,
    podDisruptionBudget: { enabled: replicated, minAvailable: 1 },
    resources,
    tolerations: props.placement.tolerations,
    affinity: podAntiAffinity(
      { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": release, "app.kubernetes.io/component": role },
      hard,
    ),
    securityContext: POD_SECURITY_CONTEXT,
    containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
  });
  return {
    // Helm keeps CRDs marked keep when the release is uninstalled: deleting them would delete every
    // Certificate and Issuer of the cluster, and the Secrets' owners with them.
    crds: { enabled: true, keep: true },
    global: {
      nodeSelector: props.placement.nodeSelector,
      // Leases in cert-manager's own namespace rather than kube-system: its Roles stay where it runs.
      leaderElection: { namespace },
    },
    ...component("cert-manager", "controller", sized("50m", "128Mi", "256Mi")),
    webhook: component("webhook", "webhook", sized("20m", "64Mi", "128Mi")),
    cainjector: { enabled: true, ...component("cainjector", "cainjector", sized("50m", "128Mi", "256Mi")) },
    startupapicheck: {
      enabled: true,
      resources: sized("10m", "32Mi", "64Mi"),
      tolerations: props.placement.tolerations,
      securityContext: POD_SECURITY_CONTEXT,
      containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
    },
    prometheus: { enabled: true, servicemonitor: { enabled: props.monitoring } },
  };
}
