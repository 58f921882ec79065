import { HelmValues } from "../helm/merge-values";
import { podAntiAffinity, RESTRICTED_CONTAINER_SECURITY_CONTEXT } from "../kubernetes/affinity";
import { hardAntiAffinity } from "../kubernetes/service-props";
import { ObservabilityContext } from "./context";
import { ObservabilityEndpoints, RELEASES } from "./endpoints";
import { observabilityResources } from "./sizing";
import { ResolvedObservabilitySpec } from "./spec";

/**
 * The k8s distribution of the collector: OTLP in and out, no
 * prometheusremotewrite exporter, so metrics go to Prometheus' OTLP receiver.
 */
export const COLLECTOR_IMAGE = "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s";
export const COLLECTOR_COMMAND = "otelcol-k8s";

const PROCESSORS = ["memory_limiter", "batch"];

// Exporter types use the names of collector 0.144 and later (`otlp_grpc`, `otlp_http`);
// the older `otlp` and `otlphttp` are deprecated aliases.

/** Exporter name of each Prometheus replica; every replica receives every sample. */
export function prometheusExporters(replicas: number, endpoints: ObservabilityEndpoints): Record<string, object> {
  return Object.fromEntries(
    Array.from({ length: replicas }, (_, i) => [
      `otlp_http/prometheus-${i}`,
      { endpoint: `${endpoints.prometheusReplica(i)}/api/v1/otlp` },
    ]),
  );
}

/**
 * Values of the opentelemetry-collector chart: a gateway receiving OTLP over
 * gRPC (4317) and HTTP (4318) and sending traces to Tempo, metrics to
 * Prometheus and logs to Loki, each over its native OTLP endpoint.
 */
export function collectorValues(o: ResolvedObservabilitySpec, context: ObservabilityContext): HelmValues {
  const metricsExporters = prometheusExporters(o.prometheusReplicas, context.endpoints);
  return {
    mode: "deployment",
    image: { repository: COLLECTOR_IMAGE },
    command: { name: COLLECTOR_COMMAND },
    replicaCount: o.collectorReplicas,
    resources: observabilityResources(context.tier).collector,
    nodeSelector: context.placement.nodeSelector,
    tolerations: context.placement.tolerations,
    affinity: podAntiAffinity(
      { "app.kubernetes.io/name": RELEASES.collector, "app.kubernetes.io/instance": RELEASES.collector },
      hardAntiAffinity(context.tier),
    ),
    podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
    podDisruptionBudget: o.collectorReplicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
    // OTLP only: the Jaeger and Zipkin receivers of the chart's defaults are removed below.
    ports: {
      "jaeger-compact": { enabled: false },
      "jaeger-thrift": { enabled: false },
      "jaeger-grpc": { enabled: false },
      zipkin: { enabled: false },
      // The collector's own metrics, for its ServiceMonitor.
      metrics: { enabled: true },
    },
    serviceMonitor: { enabled: true },
    config: {
      // `null` removes a default of the chart's `config` (merged, not replaced).
      receivers: { jaeger: null, zipkin: null, prometheus: null },
      exporters: {
        debug: null,
        "otlp_grpc/tempo": { endpoint: context.endpoints.tempoOtlpGrpc, tls: { insecure: true } },
        // Loki's native OTLP endpoint; the exporter appends /v1/logs.
        "otlp_http/loki": { endpoint: `${context.endpoints.loki}/otlp` },
        ...metricsExporters,
      },
      service: {
        pipelines: {
          traces: { receivers: ["otlp"], processors: PROCESSORS, exporters: ["otlp_grpc/tempo"] },
          metrics: { receivers: ["otlp"], processors: PROCESSORS, exporters: Object.keys(metricsExporters) },
          logs: { receivers: ["otlp"], processors: PROCESSORS, exporters: ["otlp_http/loki"] },
        },
      },
    },
  };
}
