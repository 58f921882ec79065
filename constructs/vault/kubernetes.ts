import { Annotations } from "cdktf";
import { Construct } from "constructs";
import { podAntiAffinity, RESTRICTED_CONTAINER_SECURITY_CONTEXT } from "../kubernetes/affinity";
import { assertValidProps } from "../common/validate-props";
import { HelmValues } from "../helm/merge-values";
import { chartFullname, PlatformRelease } from "../helm/platform-release";
import { checkNamespaceName, checkReleaseName } from "../kubernetes/names";
import { PlatformNamespace } from "../kubernetes/platform-namespace";
import {
  hardAntiAffinity,
  KubernetesServiceProps,
  ResolvedServiceProps,
  resolveServiceProps,
  serviceHost,
} from "../kubernetes/service-props";
import { VAULT_CHART } from "./chart";
import { VAULT_INJECTOR_RESOURCES } from "./sizing";
import { resolveVault, ResolvedVaultSpec, validateVault, VaultSpec, vaultWarnings } from "./spec";

export interface VaultProps extends KubernetesServiceProps {
  /** @default - VAULT_DEFAULTS */
  readonly spec?: VaultSpec;
  /** Namespaces whose pods reach the Vault API (External Secrets). @default [] */
  readonly clientNamespaces?: readonly string[];
  /** @default "vault" */
  readonly namespace?: string;
  /** Helm release name; the chart names its Services and pods after it. @default "vault" */
  readonly releaseName?: string;
}

/** @default namespace and release name */
export const VAULT_NAMESPACE = "vault";
export const VAULT_RELEASE = "vault";
export const VAULT_API_PORT = 8200;
const API_PORT = VAULT_API_PORT;
const CLUSTER_PORT = 8201;

/**
 * Vault in HA mode on integrated raft storage. Initialisation and unseal are
 * an operator's step (README): no key share or root token ever passes
 * through Terraform.
 */
export class Vault extends Construct {
  public readonly spec: ResolvedVaultSpec;
  public readonly namespaceName: string;
  public readonly releaseName: string;
  /** What the chart names its pods and Services after (`vault`, `vault-active`, `vault-internal`). */
  public readonly fullname: string;
  public readonly namespace: PlatformNamespace;
  public readonly helm: PlatformRelease;
  /** Address of the active node, for clients inside the cluster. */
  public readonly address: string;
  public readonly port = VAULT_API_PORT;

  constructor(scope: Construct, id: string, props: VaultProps = {}) {
    super(scope, id);
    const service = resolveServiceProps(this, props);
    this.namespaceName = props.namespace ?? VAULT_NAMESPACE;
    this.releaseName = props.releaseName ?? VAULT_RELEASE;
    assertValidProps(this, (problems) => {
      validateVault(props.spec, service.context, problems.at("spec"));
      checkNamespaceName(problems, "namespace", this.namespaceName);
      checkReleaseName(problems, "releaseName", this.releaseName);
    });
    this.spec = resolveVault(props.spec);
    for (const warning of vaultWarnings(props.spec)) Annotations.of(this).addWarning(warning);

    this.namespace = new PlatformNamespace(this, "namespace", {
      name: this.namespaceName,
      prometheusNamespace: service.prometheusNamespace,
      podSecurity: "restricted",
      // The Kubernetes auth method reviews service account tokens with the API server.
      kubernetesApi: true,
      ingressFrom: (props.clientNamespaces ?? []).map((namespace) => ({ namespace, ports: [API_PORT] })),
      clientPorts: [API_PORT],
      metricsPorts: [API_PORT],
    });

    this.fullname = chartFullname(this.releaseName, VAULT_CHART.chart);
    this.address = `http://${serviceHost(`${this.fullname}-active`, this.namespaceName)}:${API_PORT}`;
    this.helm = new PlatformRelease(this, "release", {
      name: this.releaseName,
      namespace: this.namespace.namespace.metadata.name,
      source: VAULT_CHART,
      values: vaultValues(this.spec, service, this.releaseName, this.fullname),
      overrides: this.spec.values,
      dependsOn: [...service.dependsOn, ...this.namespace.dependables],
      preventDestroy: service.preventDestroy,
    });
  }
}

function vaultValues(spec: ResolvedVaultSpec, props: ResolvedServiceProps, release: string, fullname: string): HelmValues {
  const hard = hardAntiAffinity(props.tier);
  const podSecurityContext = {
    runAsNonRoot: true,
    runAsUser: 100,
    runAsGroup: 1000,
    fsGroup: 1000,
    seccompProfile: { type: "RuntimeDefault" },
  };
  return {
    global: { enabled: true },
    injector: {
      enabled: spec.injector,
      replicas: props.tier === "production" ? 2 : 1,
      resources: VAULT_INJECTOR_RESOURCES,
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
      affinity: podAntiAffinity(
        { "app.kubernetes.io/name": `${VAULT_CHART.chart}-agent-injector`, "app.kubernetes.io/instance": release, component: "webhook" },
        hard,
      ),
      securityContext: { pod: podSecurityContext, container: RESTRICTED_CONTAINER_SECURITY_CONTEXT },
    },
    server: {
      resources: spec.resources,
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
      affinity: podAntiAffinity(
        { "app.kubernetes.io/name": VAULT_CHART.chart, "app.kubernetes.io/instance": release, component: "server" },
        hard,
      ),
      statefulSet: { securityContext: { pod: podSecurityContext, container: RESTRICTED_CONTAINER_SECURITY_CONTEXT } },
      dataStorage: { enabled: true, size: spec.dataStorage.size, storageClass: spec.dataStorage.storageClass ?? null },
      auditStorage: { enabled: true, size: spec.auditStorage.size, storageClass: spec.auditStorage.storageClass ?? null },
      standalone: { enabled: false },
      ha: {
        enabled: true,
        replicas: spec.replicas,
        raft: { enabled: true, setNodeId: true, config: raftConfig(spec.replicas, fullname) },
        // With one voter the chart's budget would be maxUnavailable 0 and block every node drain.
        disruptionBudget: { enabled: spec.replicas >= 2 },
      },
    },
    ui: { enabled: spec.ui },
    serverTelemetry: { serviceMonitor: { enabled: props.monitoring } },
  };
}

/** Raft storage that joins its peers by their stable StatefulSet names, and Prometheus metrics. */
function raftConfig(replicas: number, fullname: string): string {
  const joins = Array.from(
    { length: replicas },
    (_, i) => `  retry_join {\n    leader_api_addr = "http://${fullname}-${i}.${fullname}-internal:${API_PORT}"\n  }`,
  ).join("\n");
  return [
    "ui = true",
    "",
    'listener "tcp" {',
    "  tls_disable = 1",
    `  address = "[::]:${API_PORT}"`,
    `  cluster_address = "[::]:${CLUSTER_PORT}"`,
    "  telemetry {",
    '    unauthenticated_metrics_access = "true"',
    "  }",
    "}",
    "",
    'storage "raft" {',
    '  path = "/vault/data"',
    joins,
    "}",
    "",
    "telemetry {",
    '  prometheus_retention_time = "30s"',
    "  disable_hostname = true",
    "}",
    "",
    'service_registration "kubernetes" {}',
    "",
  ].join("\n");
}
