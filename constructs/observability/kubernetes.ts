import { NetworkPolicyV1SpecEgress } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { waive } from "../../core/waivers";
import { assertValidProps } from "../common/validate-props";
import { ManifestsRelease } from "../helm/manifests-release";
import { HelmValues } from "../helm/merge-values";
import { PlatformRelease } from "../helm/platform-release";
import { checkNamespaceName } from "../kubernetes/names";
import { PlatformNamespace } from "../kubernetes/platform-namespace";
import { KubernetesServiceProps, resolveServiceProps } from "../kubernetes/service-props";
import { GRAFANA_CHART, KUBE_PROMETHEUS_STACK_CHART, LOKI_CHART, OPENTELEMETRY_COLLECTOR_CHART, TEMPO_CHART } from "./chart";
import { collectorValues } from "./collector";
import { ObservabilityContext } from "./context";
import { NODE_EXPORTER_NAMESPACE, OBSERVABILITY_NAMESPACE, ObservabilityEndpoints, RELEASES } from "./endpoints";
import { grafanaAdminSecretManifests, grafanaValues } from "./grafana";
import { lokiValues } from "./loki";
import { prometheusStackValues } from "./prometheus-stack";
import { ObservabilitySpec, ResolvedObservabilitySpec, resolveObservability, validateObservability } from "./spec";
import { tempoValues } from "./tempo";

export interface ObservabilityProps extends Omit<KubernetesServiceProps, "monitoring" | "prometheusNamespace"> {
  /** Retention, storage and replicas. @default - the documented defaults of `ObservabilitySpec` */
  readonly spec?: ObservabilitySpec;
  /** Namespace of Prometheus, Alertmanager, Loki, Tempo, the collector and Grafana. @default "observability" */
  readonly namespace?: string;
  /** Namespace of node-exporter, privileged: it reads the host. @default "node-exporter" */
  readonly nodeExporterNamespace?: string;
}

export interface GrafanaProps extends Omit<KubernetesServiceProps, "monitoring" | "prometheusNamespace"> {
  /** External Secrets, which generates the admin Secret; typically `ExternalSecrets.ready`. */
  readonly secretsReady: readonly ITerraformDependable[];
  /** Namespace of the observability stack whose datasources Grafana provisions; typically `Observability.namespaceName`. @default "observability" */
  readonly namespace?: string;
  /** Values of the grafana chart merged over the platform's, last. @default - none */
  readonly values?: HelmValues;
}

/** OTLP over gRPC and HTTP on the collector: where applications send telemetry. */
export const OTLP_PORTS = [4317, 4318];
/** Ports applications reach: the collector's OTLP ports and Grafana's UI. */
export const OBSERVABILITY_CLIENT_PORTS = [...OTLP_PORTS, 3000];
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
  public readonly namespaceName: string;
  public readonly endpoints: ObservabilityEndpoints;
  public readonly namespace: PlatformNamespace;
  public readonly nodeExporterNamespace: PlatformNamespace;
  public readonly prometheusStack: PlatformRelease;
  public readonly loki: PlatformRelease;
  public readonly tempo: PlatformRelease;
  public readonly collector: PlatformRelease;

  constructor(scope: Construct, id: string, props: ObservabilityProps = {}) {
    super(scope, id);
    const service = resolveServiceProps(this, props);
    this.namespaceName = props.namespace ?? OBSERVABILITY_NAMESPACE;
    const nodeExporterNamespace = props.nodeExporterNamespace ?? NODE_EXPORTER_NAMESPACE;
    assertValidProps(this, (problems) => {
      validateObservability(props.spec, service.context, problems.at("spec"));
      checkNamespaceName(problems, "namespace", this.namespaceName);
      checkNamespaceName(problems, "nodeExporterNamespace", nodeExporterNamespace);
    });
    this.spec = resolveObservability(props.spec, service.context);
    this.endpoints = new ObservabilityEndpoints(this.namespaceName);
    const context: ObservabilityContext = { ...service, endpoints: this.endpoints, nodeExporterNamespace };
    const namespace = this.namespaceName;

    this.namespace = new PlatformNamespace(this, "namespace", {
      name: namespace,
      podSecurity: "restricted",
      clientPorts: OBSERVABILITY_CLIENT_PORTS,
      // Service discovery, kube-state-metrics, Grafana's sidecars and the operator.
      kubernetesApi: true,
      webhookPorts: [OPERATOR_WEBHOOK_PORT],
      extraEgress: scrapeEgress(),
      prometheusNamespace: namespace,
    });
    this.nodeExporterNamespace = new PlatformNamespace(this, "node-exporter-namespace", {
      name: nodeExporterNamespace,
      podSecurity: "privileged",
      podSecurityReason: "prometheus-node-exporter reads the host: hostNetwork, hostPID and a read-only hostPath mount of /",
      metricsPorts: [NODE_EXPORTER_PORT],
      prometheusNamespace: namespace,
    });
    waive(
      this.nodeExporterNamespace,
      "PLAT-NS-001",
      "node-exporter reads the nodes' /proc and network: it needs hostPID and hostNetwork, which only the privileged level admits",
    );
    const values = this.spec.values;
    const dependsOn = [...service.dependsOn, ...this.namespace.dependables, ...this.nodeExporterNamespace.dependables];
    this.prometheusStack = new PlatformRelease(this, "prometheus-stack", {
      name: RELEASES.prometheusStack,
      namespace,
      source: KUBE_PROMETHEUS_STACK_CHART,
      values: prometheusStackValues(this.spec, context),
      overrides: values["kube-prometheus-stack"],
      timeoutSeconds: PROMETHEUS_STACK_TIMEOUT_SECONDS,
      dependsOn,
      preventDestroy: service.preventDestroy,
    });
    // Every release below creates a ServiceMonitor, whose CRD comes with kube-prometheus-stack;
    // waiting for that release also waits for everything it waited for.
    const afterStack = [this.prometheusStack.release];

    this.loki = new PlatformRelease(this, "loki", {
      name: RELEASES.loki,
      namespace,
      source: LOKI_CHART,
      values: lokiValues(this.spec, context),
      overrides: values.loki,
      dependsOn: afterStack,
      preventDestroy: service.preventDestroy,
    });
    this.tempo = new PlatformRelease(this, "tempo", {
      name: RELEASES.tempo,
      namespace,
      source: TEMPO_CHART,
      values: tempoValues(this.spec, context),
      overrides: values.tempo,
      dependsOn: afterStack,
      preventDestroy: service.preventDestroy,
    });
    this.collector = new PlatformRelease(this, "collector", {
      name: RELEASES.collector,
      namespace,
      source: OPENTELEMETRY_COLLECTOR_CHART,
      values: collectorValues(this.spec, context),
      overrides: values["opentelemetry-collector"],
      dependsOn: afterStack,
    });
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
  /** Grafana's UI inside the cluster. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    const service = resolveServiceProps(this, props);
    const namespace = props.namespace ?? OBSERVABILITY_NAMESPACE;
    assertValidProps(this, (problems) => checkNamespaceName(problems, "namespace", namespace));
    this.url = new ObservabilityEndpoints(namespace).grafana;
    this.adminSecret = new ManifestsRelease(this, "admin-secret", {
      name: RELEASES.grafanaAdminSecret,
      namespace,
      manifests: grafanaAdminSecretManifests(namespace),
      dependsOn: [...service.dependsOn, ...props.secretsReady],
    });
    this.release = new PlatformRelease(this, "release", {
      name: RELEASES.grafana,
      namespace,
      source: GRAFANA_CHART,
      values: grafanaValues(service),
      overrides: props.values,
      // The observability namespace and the ServiceMonitor CRD come with `dependsOn` (Observability.dependables).
      dependsOn: [...service.dependsOn, this.adminSecret.helm.release],
    });
  }
}
