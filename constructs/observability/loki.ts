import { HelmValues } from "../helm/merge-values";
import { ObservabilityContext } from "./context";
import { observabilityResources } from "./sizing";
import { ResolvedObservabilitySpec } from "./spec";

/**
 * Values of the loki chart: one Monolithic replica on a filesystem volume.
 * More replicas need object storage (the chart refuses them on a filesystem),
 * which the platform does not provide for logs yet.
 */
export function lokiValues(o: ResolvedObservabilitySpec, context: ObservabilityContext): HelmValues {
  const sizes = observabilityResources(context.tier);
  return {
    deploymentMode: "Monolithic",
    loki: {
      // Single tenant: clients send no X-Scope-OrgID.
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: "filesystem" },
      schemaConfig: {
        configs: [
          { from: "2024-04-01", store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "index_", period: "24h" } },
        ],
      },
      limits_config: { retention_period: o.logRetention },
      // The compactor deletes chunks past retention_period; without it logs are kept forever.
      compactor: { retention_enabled: true, delete_request_store: "filesystem" },
      analytics: { reporting_enabled: false },
    },
    singleBinary: {
      replicas: 1,
      persistence: {
        enabled: true,
        size: o.lokiStorage.size,
        ...(o.lokiStorage.storageClass ? { storageClass: o.lokiStorage.storageClass } : {}),
      },
      resources: sizes.loki,
      nodeSelector: context.placement.nodeSelector,
      tolerations: context.placement.tolerations,
    },
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    // Grafana and the collector talk to the single binary directly.
    gateway: { enabled: false },
    // memcached defaults to 8 GiB for chunks; one replica on a local disk does not need it.
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    // The canary is a DaemonSet on every node; helm tests require it.
    lokiCanary: { enabled: false },
    test: { enabled: false },
    // No Loki alerting rules are declared: no sidecar watching ConfigMaps for them.
    sidecar: { rules: { enabled: false } },
    monitoring: { serviceMonitor: { enabled: true } },
  };
}
