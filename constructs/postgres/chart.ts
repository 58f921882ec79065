import { ChartSource } from "../helm/platform-release";

/**
 * CloudNativePG operator chart 0.29.0 (CloudNativePG 1.30.0), the newest
 * release; CNPG-I plugins work from 1.26 and the Barman Cloud plugin
 * recommends 1.27 or later, so no upgrade is needed for the plugin. Values
 * keys checked against its values.yaml and values.schema.json at
 * cloudnative-pg-v0.29.0: replicaCount, crds.create, resources, nodeSelector,
 * tolerations, monitoring.podMonitorEnabled. The chart has no plugin values:
 * the operator finds the plugin by its Service's `cnpg.io/pluginName` label
 * in the operator's own namespace.
 */
export const CLOUDNATIVE_PG_CHART: ChartSource = {
  repository: "https://cloudnative-pg.github.io/charts",
  chart: "cloudnative-pg",
  version: "0.29.0",
};

/**
 * CloudNativePG `cluster` chart 0.8.1. Values keys checked against its
 * values.yaml, values.schema.json and templates at cluster-v0.8.1: type, mode,
 * cluster.{imageName,instances,storage,resources,enableSuperuserAccess,
 * enablePDB,affinity,postgresql.parameters,initdb.{database,owner,secret},
 * roles,monitoring.{enabled,podMonitor.enabled},plugins}, databases[].{name,
 * owner,ensure}, backups.enabled. `cluster.plugins` (templates/cluster.yaml):
 * an entry named barman-cloud.cloudnative-pg.io is re-rendered with its
 * `enabled` and `isWALArchiver` as given (false when unset and
 * `backups.enabled` is false) and its `parameters`, `barmanObjectName`
 * included. Backups stay off in the chart (`backups.enabled: false`): with
 * `backups.method: plugin` the chart's ObjectStore is a Helm hook, deleted
 * and re-created on every upgrade and never tracked; the platform renders
 * the ObjectStore and the ScheduledBackup itself.
 */
export const CNPG_CLUSTER_CHART: ChartSource = {
  repository: "https://cloudnative-pg.github.io/charts",
  chart: "cluster",
  version: "0.8.1",
};

/**
 * The Barman Cloud plugin's chart 0.7.0 (the newest; it ships plugin v0.13.0,
 * run here at v0.14.0, whose ObjectStore CRD and ClusterRole are identical).
 * Values keys checked against its values.yaml, values.schema.json and
 * templates at plugin-barman-cloud-v0.7.0: replicaCount, image.{registry,
 * repository,tag}, sidecarImage.{registry,repository,tag}, crds.create,
 * resources, nodeSelector, tolerations, containerSecurityContext,
 * podSecurityContext, certificate.{createClientCertificate,
 * createServerCertificate,duration,renewBefore}. The chart creates its own
 * self-signed cert-manager `Issuer` (`<fullname>-selfsigned-issuer`) and the
 * Certificates behind the Secrets `barman-cloud-client-tls` and
 * `barman-cloud-server-tls`, which its Service's annotations name for the
 * operator; it must run in the operator's namespace.
 */
export const BARMAN_CLOUD_PLUGIN_CHART: ChartSource = {
  repository: "https://cloudnative-pg.github.io/charts",
  chart: "plugin-barman-cloud",
  version: "0.7.0",
};

/**
 * The plugin v0.14.0 (2026-07-29, the newest release) over chart 0.7.0's
 * v0.13.0: `git diff v0.13.0 v0.14.0 -- config api` is empty; v0.14.0 honours
 * the operator's empty-archive decision on recovery.
 */
export const BARMAN_CLOUD_PLUGIN_IMAGE = "ghcr.io/cloudnative-pg/plugin-barman-cloud:v0.14.0";
/** The sidecar injected into every instance and recovery pod: it archives WAL, takes base backups and restores. */
export const BARMAN_CLOUD_SIDECAR_IMAGE = "ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v0.14.0";

/**
 * PostgreSQL 18.4, `standard` flavour (postgres-containers: PGAudit, pgvector,
 * pg_failover_slots, every locale, JIT), the same PostgreSQL and Debian
 * trixie as CloudNativePG 1.30.0's default `18.4-system-trixie`, which
 * is `standard` plus the Barman Cloud tools that in-tree backups needed and
 * is deprecated: with the plugin, the sidecar brings them. `minimal` lacks the
 * locales and extensions a restored database may use. Also the image of the
 * sanitising Job (psql).
 */
export const POSTGRES_IMAGE = "ghcr.io/cloudnative-pg/postgresql:18.4-standard-trixie";
