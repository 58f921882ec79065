import { OBSERVABILITY_NAMESPACE } from "../kubernetes/platform-namespace";
import { serviceHost } from "../kubernetes/service-props";

/**
 * Release names, and the in-cluster addresses they give their Services. Each
 * chart names its Services after the release when the release name contains
 * the chart name, so these addresses follow from the release names below.
 */
export const RELEASES = {
  prometheusStack: "kube-prometheus-stack",
  grafana: "grafana",
  loki: "loki",
  tempo: "tempo",
  collector: "opentelemetry-collector",
  grafanaAdminSecret: "grafana-admin-secret",
} as const;

/** Namespace node-exporter runs in: it needs the host, the rest of observability does not. */
export const NODE_EXPORTER_NAMESPACE = "node-exporter";

const host = (service: string) => serviceHost(service, OBSERVABILITY_NAMESPACE);

export const PROMETHEUS_URL = `http://${host(`${RELEASES.prometheusStack}-prometheus`)}:9090`;
export const ALERTMANAGER_URL = `http://${host(`${RELEASES.prometheusStack}-alertmanager`)}:9093`;
export const LOKI_URL = `http://${host(RELEASES.loki)}:3100`;
export const TEMPO_URL = `http://${host(RELEASES.tempo)}:3200`;
export const TEMPO_OTLP_GRPC = `${host(RELEASES.tempo)}:4317`;
export const GRAFANA_URL = `http://${host(RELEASES.grafana)}`;
export const COLLECTOR_OTLP_GRPC = `${host(RELEASES.collector)}:4317`;
export const COLLECTOR_OTLP_HTTP = `http://${host(RELEASES.collector)}:4318`;

/**
 * One Prometheus replica by its StatefulSet pod name behind the operator's
 * governing Service `prometheus-operated`. Pushed data must reach every
 * replica: through the load-balanced Service each sample would land on one.
 */
export function prometheusReplicaUrl(replica: number): string {
  return `http://prometheus-${RELEASES.prometheusStack}-prometheus-${replica}.${host("prometheus-operated")}:9090`;
}
