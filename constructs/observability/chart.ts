import { ChartSource } from "../helm/platform-release";

/**
 * Prometheus Operator v0.93.1 with Prometheus, Alertmanager, kube-state-metrics
 * 8.4.0 and node-exporter 4.56.1. Checked at 88.5.3: values.yaml
 * (`prometheus.prometheusSpec.{replicas,retention,retentionSize,storageSpec,
 * podAntiAffinity,enableOTLPReceiver,tsdb.outOfOrderTimeWindow,
 * *SelectorNilUsesHelmValues}`, `alertmanager.alertmanagerSpec.*`,
 * `grafana.{enabled,forceDeployDatasources,forceDeployDashboards,additionalDataSources}`,
 * `prometheus-node-exporter.namespaceOverride`, `kubeEtcd|kubeControllerManager|kubeScheduler|kubeProxy.enabled`)
 * and the datasource ConfigMap template, rendered without Grafana when forced.
 */
export const KUBE_PROMETHEUS_STACK_CHART: ChartSource = {
  chart: "kube-prometheus-stack",
  repository: "https://prometheus-community.github.io/helm-charts",
  version: "88.5.3",
};

/**
 * Grafana 13.2.0, the version kube-prometheus-stack 88.5.3 bundles, as its own
 * release so that it can wait for its generated admin Secret. Checked at
 * 12.11.1: `admin.existingSecret|userKey|passwordKey`, `sidecar.dashboards|datasources.*`,
 * `serviceMonitor.enabled`, `testFramework.enabled`, `persistence.enabled`, `grafana.ini`.
 */
export const GRAFANA_CHART: ChartSource = {
  chart: "grafana",
  repository: "https://grafana-community.github.io/helm-charts",
  version: "12.11.1",
};

/**
 * Loki 3.7.6 (the chart moved from grafana/helm-charts in March 2026). Checked
 * at 18.11.0: values.yaml and templates/validate.yaml (Monolithic with
 * filesystem storage needs `singleBinary.replicas: 1`, `read|write|backend.replicas: 0`
 * and a `loki.schemaConfig`; `test.enabled` needs the canary).
 */
export const LOKI_CHART: ChartSource = {
  chart: "loki",
  repository: "https://grafana-community.github.io/helm-charts",
  version: "18.11.0",
};

/**
 * Tempo 2.10.8 single binary (chart 2.3.0 would bring Tempo 3). Checked at
 * 2.2.4: `tempo.{retention,resources,securityContext,reportingEnabled}`,
 * `persistence.{enabled,size,storageClassName}`, `securityContext`, `serviceMonitor.enabled`.
 */
export const TEMPO_CHART: ChartSource = {
  chart: "tempo",
  repository: "https://grafana-community.github.io/helm-charts",
  version: "2.2.4",
};

/**
 * OpenTelemetry Collector 0.158.0. Checked at 0.170.0 against values.yaml and
 * values.schema.json (no unknown top-level keys; `mode` and `image.repository`
 * required; `ports.metrics.enabled` for the ServiceMonitor).
 */
export const OPENTELEMETRY_COLLECTOR_CHART: ChartSource = {
  chart: "opentelemetry-collector",
  repository: "https://open-telemetry.github.io/opentelemetry-helm-charts",
  version: "0.170.0",
};
