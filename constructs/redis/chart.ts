import { ChartSource } from "../helm/platform-release";

/**
 * DandyDeveloper redis-ha chart 4.39.0 (Redis 8.8.0, official images). Values
 * keys checked against its values.yaml at redis-ha-4.39.0 (the chart has no
 * schema): replicas, auth, existingSecret, authKey, sentinel.{quorum,auth,
 * existingSecret,authKey,resources}, redis.{config,resources},
 * persistentVolume.{enabled,size,storageClass}, hardAntiAffinity, nodeSelector,
 * tolerations, podDisruptionBudget, exporter.{enabled,resources,serviceMonitor.enabled}.
 */
export const REDIS_HA_CHART: ChartSource = {
  repository: "https://dandydeveloper.github.io/charts",
  chart: "redis-ha",
  version: "4.39.0",
};
