import { HelmValues } from "../helm/merge-values";
import { StorageSpec } from "../common/sizing";
import { memoryBytes } from "../../core/quantities";
import { hardAntiAffinity } from "../kubernetes/service-props";
import { ObservabilityContext } from "./context";
import { observabilityResources } from "./sizing";
import { ResolvedObservabilitySpec } from "./spec";

/** Datasource uids Grafana links by (traces to logs, service graph from metrics). */
export const DATASOURCE_UIDS = { prometheus: "prometheus", loki: "loki", tempo: "tempo" } as const;

/** Labels Grafana's sidecars look for: kube-prometheus-stack's values.yaml defaults. */
export const GRAFANA_DATASOURCE_LABEL = { grafana_datasource: "1" } as const;
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;

/** Alertmanager keeps silences and the notification log on disk. */
export const ALERTMANAGER_STORAGE: StorageSpec = { size: "1Gi" };

/** Share of the Prometheus volume its TSDB may fill before the oldest blocks go, ahead of `retention`. */
export const PROMETHEUS_DISK_SHARE = 0.85;

/** A PersistentVolumeClaim template as the Prometheus Operator's `storage` fields take it. */
export function volumeClaim(storage: StorageSpec) {
  return {
    volumeClaimTemplate: {
      spec: {
        ...(storage.storageClass ? { storageClassName: storage.storageClass } : {}),
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: storage.size } },
      },
    },
  };
}

/**
 * `retentionSize` for a volume: Prometheus stops at `retention` or at this
 * size, whichever comes first, so a busy week cannot fill the disk and stop
 * ingestion. Prometheus reads `MB` as 2^20 bytes.
 */
export function prometheusRetentionSize(volumeSize: string): string {
  const bytes = memoryBytes(volumeSize);
  if (bytes === undefined || bytes <= 0) throw new Error(`not a storage quantity: ${volumeSize}`);
  return `${Math.floor((bytes * PROMETHEUS_DISK_SHARE) / 2 ** 20)}MB`;
}

/** Values of kube-prometheus-stack: Prometheus, Alertmanager, the operator and the exporters; Grafana is its own release. */
export function prometheusStackValues(o: ResolvedObservabilitySpec, context: ObservabilityContext): HelmValues {
  const { nodeSelector, tolerations } = context.placement;
  const sizes = observabilityResources(context.tier);
  const antiAffinity = hardAntiAffinity(context.tier) ? "hard" : "soft";
  const budget = (replicas: number) => ({ enabled: replicas > 1, minAvailable: 1 });
  return {
    // A managed control plane: etcd, the scheduler, the controller manager and kube-proxy's
    // metrics are not reachable from the cluster network and would only raise TargetDown alerts.
    kubeEtcd: { enabled: false },
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeProxy: { enabled: false },
    prometheusOperator: {
      nodeSelector,
      tolerations,
      resources: sizes.prometheusOperator,
      prometheusConfigReloader: { resources: sizes.configReloader },
      admissionWebhooks: { patch: { nodeSelector, tolerations, resources: sizes.job } },
    },
    prometheus: {
      prometheusSpec: {
        replicas: o.prometheusReplicas,
        retention: o.prometheusRetention,
        retentionSize: prometheusRetentionSize(o.prometheusStorage.size),
        storageSpec: volumeClaim(o.prometheusStorage),
        resources: sizes.prometheus,
        nodeSelector,
        tolerations,
        podAntiAffinity: antiAffinity,
        externalLabels: { environment: context.environmentName },
        // Select every ServiceMonitor, PodMonitor, rule, probe and scrape config in the cluster,
        // not only those labelled with this release: the other services' charts bring their own.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        scrapeConfigSelectorNilUsesHelmValues: false,
        // The OpenTelemetry collector pushes metrics over OTLP; batches arrive slightly out of order.
        enableOTLPReceiver: true,
        tsdb: { outOfOrderTimeWindow: "30m" },
      },
      podDisruptionBudget: budget(o.prometheusReplicas),
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: o.alertmanagerReplicas,
        storage: volumeClaim(ALERTMANAGER_STORAGE),
        resources: sizes.alertmanager,
        nodeSelector,
        tolerations,
        podAntiAffinity: antiAffinity,
      },
      podDisruptionBudget: budget(o.alertmanagerReplicas),
    },
    grafana: {
      enabled: false,
      // The datasources (Prometheus, Alertmanager and the two below) and the default dashboards
      // as ConfigMaps for the Grafana release's sidecars.
      forceDeployDatasources: true,
      forceDeployDashboards: true,
      additionalDataSources: [
        { name: "Loki", type: "loki", uid: DATASOURCE_UIDS.loki, url: context.endpoints.loki, access: "proxy" },
        {
          name: "Tempo",
          type: "tempo",
          uid: DATASOURCE_UIDS.tempo,
          url: context.endpoints.tempo,
          access: "proxy",
          jsonData: {
            tracesToLogsV2: { datasourceUid: DATASOURCE_UIDS.loki },
            serviceMap: { datasourceUid: DATASOURCE_UIDS.prometheus },
            nodeGraph: { enabled: true },
          },
        },
      ],
    },
    "kube-state-metrics": { nodeSelector, tolerations, resources: sizes.kubeStateMetrics },
    // node-exporter reads the host (hostNetwork, hostPID, hostPath) and runs on every node:
    // its own privileged namespace keeps `observability` restricted.
    "prometheus-node-exporter": { namespaceOverride: context.nodeExporterNamespace, resources: sizes.nodeExporter },
  };
}
