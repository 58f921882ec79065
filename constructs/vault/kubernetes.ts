import { Annotations } from "cdktf";
import { Construct } from "constructs";
import { podAntiAffinity, RESTRICTED_CONTAINER_SECURITY_CONTEXT } from "../kubernetes/affinity";
import { endpointOutput } from "../kubernetes/endpoint-output";
import { PlatformNamespace } from "../kubernetes/platform-namespace";
import { hardAntiAffinity, KubernetesServiceProps, serviceHost } from "../kubernetes/service-props";
import { PlatformRelease } from "../helm/platform-release";
import { VAULT_CHART } from "./chart";
import { resolveVault, ResolvedVaultSpec, VaultSpec, vaultWarnings } from "./spec";

export interface VaultProps extends KubernetesServiceProps {
  /** @default - VAULT_DEFAULTS */
  readonly spec?: VaultSpec;
  /** Namespaces whose pods reach the Vault API (External Secrets). @default [] */
  readonly clientNamespaces?: readonly string[];
}

export const VAULT_NAMESPACE = "vault";
/** Helm release name; the chart names its Services after it. */
const RELEASE = "vault";
const API_PORT = 8200;
const CLUSTER_PORT = 8201;

/**
 * Vault in HA mode on integrated raft storage. Initialisation and unseal are
 * an operator's step (README): no key share or root token ever passes
 * through Terraform.
 */
export class Vault extends Construct {
  public readonly spec: ResolvedVaultSpec;
  public readonly namespace: PlatformNamespace;
  public readonly helm: PlatformRelease;
  /** Address of the active node, for clients inside the cluster. */
  public readonly address: string;

  constructor(scope: Construct, id: string, props: VaultProps) {
    super(scope, id);
    this.spec = resolveVault(props.spec);
    for (const warning of vaultWarnings(props.spec)) Annotations.of(this).addWarning(warning);

    this.namespace = new PlatformNamespace(this, "namespace", {
      name: VAULT_NAMESPACE,
      podSecurity: "restricted",
      // The Kubernetes auth method reviews service account tokens with the API server.
      kubernetesApi: true,
      ingressFrom: (props.clientNamespaces ?? []).map((namespace) => ({ namespace, ports: [API_PORT] })),
      clientPorts: [API_PORT],
      metricsPorts: [API_PORT],
    });

    this.address = `http://${serviceHost(`${RELEASE}-active`, VAULT_NAMESPACE)}:${API_PORT}`;
    this.helm = new PlatformRelease(this, "release", {
      name: RELEASE,
      namespace: this.namespace.namespace.metadata.name,
      source: VAULT_CHART,
      values: vaultValues(this.spec, props),
      dependsOn: [...(props.dependsOn ?? []), ...this.namespace.dependables],
      preventDestroy: props.preventDestroy,
    });

    endpointOutput(this, "vault_endpoint", this.address, "Vault API inside the cluster (active node)");
  }
}

function vaultValues(spec: ResolvedVaultSpec, props: VaultProps): object {
  const hard = hardAntiAffinity(props.tier);
  const podSecurityContext = { runAsNonRoot: true, runAsUser: 100, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } };
  return {
    global: { enabled: true },
    injector: {
      enabled: spec.injector,
      replicas: props.tier === "production" ? 2 : 1,
      resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "128Mi" } },
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
      affinity: podAntiAffinity({ "app.kubernetes.io/name": `${RELEASE}-agent-injector`, component: "webhook" }, hard),
      securityContext: { pod: podSecurityContext, container: RESTRICTED_CONTAINER_SECURITY_CONTEXT },
    },
    server: {
      resources: spec.resources,
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
      affinity: podAntiAffinity({ "app.kubernetes.io/name": RELEASE, "app.kubernetes.io/instance": RELEASE, component: "server" }, hard),
      statefulSet: { securityContext: { pod: podSecurityContext, container: RESTRICTED_CONTAINER_SECURITY_CONTEXT } },
      dataStorage: { enabled: true, size: spec.dataStorage.size, storageClass: spec.dataStorage.storageClass ?? null },
      auditStorage: { enabled: true, size: spec.auditStorage.size, storageClass: spec.auditStorage.storageClass ?? null },
      standalone: { enabled: false },
      ha: {
        enabled: true,
        replicas: spec.replicas,
        raft: { enabled: true, setNodeId: true, config: raftConfig(spec.replicas) },
        // With one voter the chart's budget would be maxUnavailable 0 and block every node drain.
        disruptionBudget: { enabled: spec.replicas >= 2 },
      },
    },
    ui: { enabled: spec.ui },
    serverTelemetry: { serviceMonitor: { enabled: true } },
  };
}

/** Raft storage that joins its peers by their stable StatefulSet names, and Prometheus metrics. */
function raftConfig(replicas: number): string {
  const joins = Array.from(
    { length: replicas },
    (_, i) => `  retry_join {\n    leader_api_addr = "http://${RELEASE}-${i}.${RELEASE}-internal:${API_PORT}"\n  }`,
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
