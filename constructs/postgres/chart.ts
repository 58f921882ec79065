import { ChartSource } from "../helm/platform-release";

/**
 * CloudNativePG operator chart 0.29.0 (CloudNativePG 1.30.0). Values keys
 * checked against its values.yaml and values.schema.json at
 * cloudnative-pg-v0.29.0: replicaCount, crds.create, resources, nodeSelector,
 * tolerations, monitoring.podMonitorEnabled.
 *
 * 1.30 is the last release with in-tree Barman Cloud backups
 * (spec.backup.barmanObjectStore, used below); moving to 1.31 means moving
 * backups to the Barman Cloud plugin.
 */
export const CLOUDNATIVE_PG_CHART: ChartSource = {
  repository: "https://cloudnative-pg.github.io/charts",
  chart: "cloudnative-pg",
  version: "0.29.0",
};

/**
 * CloudNativePG `cluster` chart 0.8.1. Values keys checked against its
 * values.yaml and values.schema.json at cluster-v0.8.1: type, mode,
 * cluster.{imageName,instances,storage,resources,enableSuperuserAccess,
 * enablePDB,affinity,postgresql.parameters,initdb.{database,owner,secret},
 * roles,monitoring.{enabled,podMonitor.enabled}}, databases[].{name,owner,ensure},
 * backups.{enabled,provider,endpointURL,destinationPath,secret.{create,name},
 * wal,data,scheduledBackups[],retentionPolicy}.
 */
export const CNPG_CLUSTER_CHART: ChartSource = {
  repository: "https://cloudnative-pg.github.io/charts",
  chart: "cluster",
  version: "0.8.1",
};

/**
 * CloudNativePG 1.30.0's own default image (pkg/versions DefaultImageName):
 * PostgreSQL 18.4 with Barman Cloud, which in-tree backups need.
 */
export const POSTGRES_IMAGE = "ghcr.io/cloudnative-pg/postgresql:18.4-system-trixie";
