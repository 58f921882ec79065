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

/** @default namespaces of the observability stack and of node-exporter (which needs the host). */
export const OBSERVABILITY_NAMESPACE = "observability";
export const NODE_EXPORTER_NAMESPACE = "node-exporter";

/** The addresses of the observability services in one namespace. */
export class ObservabilityEndpoints {
  public readonly prometheus: string;
  public readonly alertmanager: string;
  public readonly loki: string;
  public readonly tempo: string;
  public readonly tempoOtlpGrpc: string;
  public readonly grafana: string;
  public readonly collectorOtlpGrpc: string;
  public readonly collectorOtlpHttp: string;

  constructor(public readonly namespace: string) {
    const host = (service: string) => serviceHost(service, namespace);
    this.prometheus = `http://${host(`${RELEASES.prometheusStack}-prometheus`)}:9090`;
    this.alertmanager = `http://${host(`${RELEASES.prometheusStack}-alertmanager`)}:9093`;
    this.loki = `http://${host(RELEASES.loki)}:3100`;
    this.tempo = `http://${host(RELEASES.tempo)}:3200`;
    this.tempoOtlpGrpc = `${host(RELEASES.tempo)}:4317`;
    this.grafana = `http://${host(RELEASES.grafana)}`;
    this.collectorOtlpGrpc = `${host(RELEASES.collector)}:4317`;
    this.collectorOtlpHttp = `http://${host(RELEASES.collector)}:4318`;
  }

  /**
   * One Prometheus replica by its StatefulSet pod name behind the operator's
   * governing Service `prometheus-operated`. Pushed data must reach every
   * replica: through the load-balanced Service each sample would land on one.
   */
  public prometheusReplica(replica: number): string {
    return `http://prometheus-${RELEASES.prometheusStack}-prometheus-${replica}.${serviceHost("prometheus-operated", this.namespace)}:9090`;
  }
}
