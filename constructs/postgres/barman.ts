import { KubernetesManifest } from "../helm/manifests-release";
import { ResourceRequirements } from "../common/sizing";

/**
 * The Barman Cloud plugin (CNPG-I) as CloudNativePG clusters name it: the
 * `cnpg.io/pluginName` label of its Service (plugin v0.14.0,
 * internal/cnpgi/metadata/constants.go).
 */
export const BARMAN_CLOUD_PLUGIN = "barman-cloud.cloudnative-pg.io";
/** The plugin's API group and version, the only one its CRD serves. */
export const BARMAN_CLOUD_API = "barmancloud.cnpg.io/v1";
export const CNPG_API = "postgresql.cnpg.io/v1";
/** The plugin's gRPC port (chart `service.port`), which the operator calls inside its namespace. */
export const BARMAN_CLOUD_PLUGIN_PORT = 9090;

/** S3 access keys in a Secret, under the key names the plugin's docs and the cluster chart use. */
export interface S3KeySecret {
  readonly name: string;
}
export const S3_ACCESS_KEY_ID = "ACCESS_KEY_ID";
export const S3_SECRET_ACCESS_KEY = "ACCESS_SECRET_KEY";

/** One cluster's object store, as an ObjectStore reads it. */
export interface ObjectStoreOptions {
  readonly name: string;
  readonly namespace: string;
  /** `s3://<bucket>/<path>`: the folder under which each server name has its own. */
  readonly destinationPath: string;
  readonly endpoint: string;
  readonly credentials: S3KeySecret;
  /** Barman retention, e.g. `7d`. @default - none: a store the cluster only reads */
  readonly retention?: string;
  /** Resources of the sidecar the plugin injects into each instance. @default - the plugin's (none) */
  readonly sidecarResources?: ResourceRequirements;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A `barmancloud.cnpg.io/v1` ObjectStore (plugin v0.14.0 CRD): where a
 * cluster's base backups and WAL are, and the keys to reach them. One per
 * cluster and purpose, in the cluster's namespace: the plugin reads stores
 * and their Secrets only there. A store written to carries the retention
 * (the plugin applies it, on the primary, to the cluster's server name); a
 * store only read carries none, nor wal/data settings.
 */
export function objectStoreManifest(options: ObjectStoreOptions): KubernetesManifest {
  const writes = options.retention !== undefined;
  return {
    apiVersion: BARMAN_CLOUD_API,
    kind: "ObjectStore",
    metadata: { name: options.name, namespace: options.namespace, ...(options.labels ? { labels: { ...options.labels } } : {}) },
    spec: {
      ...(writes ? { retentionPolicy: options.retention } : {}),
      configuration: {
        destinationPath: options.destinationPath,
        endpointURL: options.endpoint,
        s3Credentials: {
          accessKeyId: { name: options.credentials.name, key: S3_ACCESS_KEY_ID },
          secretAccessKey: { name: options.credentials.name, key: S3_SECRET_ACCESS_KEY },
        },
        // Encryption is left to the bucket: several S3-compatible stores refuse the AES256 header.
        ...(writes ? { wal: { compression: "gzip", maxParallel: 2 }, data: { compression: "gzip", jobs: 2 } } : {}),
      },
      ...(options.sidecarResources ? { instanceSidecarConfiguration: { resources: options.sidecarResources } } : {}),
    },
  };
}

/** A cluster's `spec.plugins` entry: the plugin archives WAL to `objectStore` under `serverName`. */
export function walArchiverPlugin(objectStore: string, serverName: string): Record<string, unknown> {
  return {
    name: BARMAN_CLOUD_PLUGIN,
    enabled: true,
    isWALArchiver: true,
    parameters: { barmanObjectName: objectStore, serverName },
  };
}

export interface ScheduledBackupOptions {
  readonly name: string;
  readonly namespace: string;
  readonly cluster: string;
  /** Six-field cron, seconds first. */
  readonly schedule: string;
}

/**
 * A `postgresql.cnpg.io/v1` ScheduledBackup through the plugin: a base backup
 * of `cluster` on schedule, and one when it is created, from a standby when
 * there is one, owned by the ScheduledBackup.
 */
export function scheduledBackupManifest(options: ScheduledBackupOptions): KubernetesManifest {
  return {
    apiVersion: CNPG_API,
    kind: "ScheduledBackup",
    metadata: { name: options.name, namespace: options.namespace, labels: { "cnpg.io/cluster": options.cluster } },
    spec: {
      cluster: { name: options.cluster },
      schedule: options.schedule,
      immediate: true,
      backupOwnerReference: "self",
      target: "prefer-standby",
      method: "plugin",
      pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN },
    },
  };
}

/** `registry`, `repository` and `tag` of an image reference, as charts take them. */
export function imageParts(image: string): { registry: string; repository: string; tag: string } {
  const colon = image.lastIndexOf(":");
  const slash = image.indexOf("/");
  return { registry: image.slice(0, slash), repository: image.slice(slash + 1, colon), tag: image.slice(colon + 1) };
}
