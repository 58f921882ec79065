import { NetworkPolicyV1SpecEgress } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { waive } from "../../core/waivers";
import { ManifestsRelease } from "../helm/manifests-release";
import { PlatformRelease } from "../helm/platform-release";
import { OBSERVABILITY_NAMESPACE, PlatformNamespace } from "../kubernetes/platform-namespace";
import { endpointOutput } from "../kubernetes/endpoint-output";
import { KubernetesServiceProps } from "../kubernetes/service-props";
import {
  GRAFANA_CHART,
  KUBE_PROMETHEUS_STACK_CHART,
  LOKI_CHART,
  OPENTELEMETRY_COLLECTOR_CHART,
  TEMPO_CHART,
} from "./chart";
import { collectorValues } from "./collector";
import { COLLECTOR_OTLP_GRPC, COLLECTOR_OTLP_HTTP, GRAFANA_URL, NODE_EXPORTER_NAMESPACE, RELEASES } from "./endpoints";
import { grafanaAdminSecretManifests, grafanaValues } from "./grafana";
import { lokiValues } from "./loki";
import { prometheusStackValues } from "./prometheus-stack";
import { ObservabilitySpec, ResolvedObservabilitySpec, resolveObservability } from "./spec";
import { tempoValues } from "./tempo";

export interface ObservabilityProps extends KubernetesServiceProps {
  /** Retention, storage and replicas. @default - the documented defaults of `ObservabilitySpec` */
  readonly spec?: ObservabilitySpec;
}

export interface GrafanaProps extends KubernetesServiceProps {
  /** External Secrets, which generates the admin Secret; typically `ExternalSecrets.ready`. */
  readonly secretsReady: readonly ITerraformDependable[];
}

/** Ports applications reach: OTLP gRPC and HTTP on the collector, Grafana's UI. */
export const OBSERVABILITY_CLIENT_PORTS = [4317, 4318, 3000];
export const NODE_EXPORTER_PORT = 9100;
/** kubelet (and cAdvisor) metrics on every node. */
export const KUBELET_PORT = 10250;
/** The Prometheus Operator's admission webhook (`prometheusOperator.tls.internalPort`), called by the API server. */
export const OPERATOR_WEBHOOK_PORT = 10250;

/** Charts whose first install includes CRDs, webhook certificate jobs and a Prometheus rollout. */
const PROMETHEUS_STACK_TIMEOUT_SECONDS = 900;

/**
 * Metrics, logs and traces: kube-prometheus-stack (Prometheus Operator and its
 * CRDs, Prometheus, Alertmanager, exporters), Loki, Tempo and an OpenTelemetry
 * collector. Everything that creates ServiceMonitors or PodMonitors installs
 * after `dependables`. Grafana is the `Grafana` construct below: its admin
 * Secret comes from External Secrets, whose own ServiceMonitor comes after this.
 */
export class Observability extends Construct {
  public readonly spec: ResolvedObservabilitySpec;
  public readonly namespace: PlatformNamespace;
  public readonly nodeExporterNamespace: PlatformNamespace;
  public readonly prometheusStack: PlatformRelease;
  public readonly loki: PlatformRelease;
  public readonly tempo: PlatformRelease;
  public readonly collector: PlatformRelease;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.spec = resolveObservability(props.spec, { tier: props.tier, target: "kubernetes" });
    const context = { environmentName: props.environmentName, tier: props.tier, placement: props.placement };

    this.namespace = new PlatformNamespace(this, "namespace", {
      name: OBSERVABILITY_NAMESPACE,
      podSecurity: "restricted",
      clientPorts: OBSERVABILITY_CLIENT_PORTS,
      // Service discovery, kube-state-metrics, Grafana's sidecars and the operator.
      kubernetesApi: true,
      webhookPorts: [OPERATOR_WEBHOOK_PORT],
      extraEgress: scrapeEgress(),
    });
    this.nodeExporterNamespace = new PlatformNamespace(this, "node-exporter-namespace", {
      name: NODE_EXPORTER_NAMESPACE,
      podSecurity: "privileged",
      podSecurityReason: "prometheus-node-exporter reads the host: hostNetwork, hostPID and a read-only hostPath mount of /",
      metricsPorts: [NODE_EXPORTER_PORT],
    });
    waive(
      this.nodeExporterNamespace,
      "PLAT-NS-001",
      "node-exporter reads the nodes' /proc and network: it needs hostPID and hostNetwork, which only the privileged level admits",
    );
    const dependsOn = [...(props.dependsOn ?? []), ...this.namespace.dependables, ...this.nodeExporterNamespace.dependables];
    this.prometheusStack = new PlatformRelease(this, "prometheus-stack", {
      name: RELEASES.prometheusStack,
      namespace: OBSERVABILITY_NAMESPACE,
      source: KUBE_PROMETHEUS_STACK_CHART,
      values: prometheusStackValues(this.spec, context),
      timeoutSeconds: PROMETHEUS_STACK_TIMEOUT_SECONDS,
      dependsOn,
      preventDestroy: props.preventDestroy,
    });
    // Every release below creates a ServiceMonitor, whose CRD comes with kube-prometheus-stack;
    // waiting for that release also waits for everything it waited for.
    const afterStack = [this.prometheusStack.release];

    this.loki = new PlatformRelease(this, "loki", {
      name: RELEASES.loki,
      namespace: OBSERVABILITY_NAMESPACE,
      source: LOKI_CHART,
      values: lokiValues(this.spec, context),
      dependsOn: afterStack,
      preventDestroy: props.preventDestroy,
    });
    this.tempo = new PlatformRelease(this, "tempo", {
      name: RELEASES.tempo,
      namespace: OBSERVABILITY_NAMESPACE,
      source: TEMPO_CHART,
      values: tempoValues(this.spec, context),
      dependsOn: afterStack,
      preventDestroy: props.preventDestroy,
    });
    this.collector = new PlatformRelease(this, "collector", {
      name: RELEASES.collector,
      namespace: OBSERVABILITY_NAMESPACE,
      source: OPENTELEMETRY_COLLECTOR_CHART,
      values: collectorValues(this.spec, context),
      dependsOn: afterStack,
    });

    endpointOutput(this, "otlp_grpc_endpoint", COLLECTOR_OTLP_GRPC, "OpenTelemetry collector, OTLP over gRPC (in-cluster): traces, metrics and logs");
    endpointOutput(this, "otlp_http_endpoint", COLLECTOR_OTLP_HTTP, "OpenTelemetry collector, OTLP over HTTP (in-cluster): traces, metrics and logs");
  }

  /** What releases that create ServiceMonitors, PodMonitors or PrometheusRules must wait for: their CRDs. */
  public get dependables(): ITerraformDependable[] {
    return [this.prometheusStack.release];
  }
}

/**
 * What the namespace's standard rules do not cover: Prometheus scrapes pods
 * in every namespace (each target namespace admits it on its metrics ports
 * only) and nodes (kubelet, host-network node-exporter).
 */
function scrapeEgress(): NetworkPolicyV1SpecEgress[] {
  const tcp = (port: number) => ({ port: String(port), protocol: "TCP" });
  return [
    { to: [{ namespaceSelector: {} }] },
    // Node addresses are only known at runtime; the ports limit this to the two exporters.
    { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(KUBELET_PORT), tcp(NODE_EXPORTER_PORT)] },
  ];
}

/**
 * Grafana, with kube-prometheus-stack's datasources (Prometheus, Alertmanager,
 * Loki, Tempo) and dashboards. Its admin login is a Secret generated in the
 * cluster by External Secrets before the release starts.
 */
export class Grafana extends Construct {
  public readonly adminSecret: ManifestsRelease;
  public readonly release: PlatformRelease;
  public readonly url = GRAFANA_URL;

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    this.adminSecret = new ManifestsRelease(this, "admin-secret", {
      name: RELEASES.grafanaAdminSecret,
      namespace: OBSERVABILITY_NAMESPACE,
      manifests: grafanaAdminSecretManifests(),
      dependsOn: [...(props.dependsOn ?? []), ...props.secretsReady],
    });
    this.release = new PlatformRelease(this, "release", {
      name: RELEASES.grafana,
      namespace: OBSERVABILITY_NAMESPACE,
      source: GRAFANA_CHART,
      values: grafanaValues(props),
      // The observability namespace and the ServiceMonitor CRD come with `dependsOn` (Observability.dependables).
      dependsOn: [...(props.dependsOn ?? []), this.adminSecret.helm.release],
    });
    endpointOutput(this, "grafana_url", this.url, "Grafana (in-cluster); admin login in the Secret grafana-admin of the observability namespace");
  }
}
