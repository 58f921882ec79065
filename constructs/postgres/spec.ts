import { postgresInstancesProblem } from "../../core/ha-rules";
import { ProblemCollector } from "../../core/problems";
import { isDns1123Label } from "../../core/formats";
import { ServiceContext } from "../../core/service-context";
import { withDefaults } from "../common/defaults";
import { checkHelmValues, checkValuesByChart } from "../helm/check-values";
import { HelmValues } from "../helm/merge-values";
import { ResourceRequirements, StorageSpec, resources, validateResources, validateStorage } from "../common/sizing";
import * as v from "valibot";
import { checkStructure, opaque, schemaOf } from "../../core/schema";
import { RESOURCES_SCHEMA, STORAGE_SCHEMA } from "../common/sizing";

/** A database and the role that owns it. */
export interface PostgresDatabaseSpec {
  readonly name: string;
  /** Owning role; created with a generated password. */
  readonly owner: string;
}

/** One PostgreSQL cluster (a primary and its streaming replicas). */
export interface PostgresClusterSpec {
  /** Cluster name: a DNS-1123 label, also its Service name prefix. */
  readonly name: string;
  /** At least one; the first is created at bootstrap. */
  readonly databases: readonly PostgresDatabaseSpec[];
  /** @default - the service's `instances` */
  readonly instances?: number;
  /** @default - the service's `storage` */
  readonly storage?: StorageSpec;
  /** Merged over the service's `parameters`. @default {} */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Values of this cluster's `cluster` chart release, merged last (after the service's `values.cluster`). @default - none */
  readonly values?: HelmValues;
}

/** Where base backups and WAL go: S3-compatible object storage. */
export interface PostgresBackupSpec {
  /** Bucket for backups; each cluster writes under `s3://<bucket>/<path>/<cluster>`. */
  readonly bucket: string;
  /**
   * Folder of the environment's backups in the bucket, e.g. to keep them
   * where they are when the environment is renamed.
   * @default - the environment's name
   */
  readonly path?: string;
  /** S3 endpoint. */
  readonly endpoint: string;
  /** Cron schedule with seconds (CloudNativePG format). @default "0 0 *\/6 * * *" (every 6 hours) */
  readonly schedule?: string;
  /** How long backups are kept, e.g. `7d`, `4w`. @default "7d" */
  readonly retention?: string;
  /**
   * Vault KV path (below the `platform` mount) holding `access_key_id` and
   * `secret_access_key`; External Secrets copies them into each cluster's namespace.
   * @default "postgres/backup-s3"
   */
  readonly credentialsVaultPath?: string;
}

/** PostgreSQL clusters managed by CloudNativePG. */
export interface PostgresSpec {
  readonly clusters?: readonly PostgresClusterSpec[];
  /** Instances per cluster: 1 only in development. @default 3 */
  readonly instances?: number;
  /** Data volume per instance. @default { size: "20Gi" } */
  readonly storage?: StorageSpec;
  /**
   * PostgreSQL parameters for every cluster.
   * @default shared_buffers 256MB, effective_cache_size 1GB, work_mem 16MB, max_connections 200
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /** @default - no scheduled backups (development only) */
  readonly backup?: PostgresBackupSpec;
  /** PostgreSQL container resources. @default 250m CPU, 1Gi memory */
  readonly resources?: ResourceRequirements;
  /**
   * Chart values merged over the platform's, last, by chart: `cloudnative-pg`
   * (the operator) and `cluster` (every cluster; a cluster's own `values` come after).
   * @default - none
   */
  readonly values?: PostgresValues;
}

/** Values overrides of the PostgreSQL releases, by chart name. */
export interface PostgresValues {
  readonly "cloudnative-pg"?: HelmValues;
  readonly cluster?: HelmValues;
}

export const POSTGRES_VALUES_KEYS: readonly (keyof PostgresValues)[] = ["cloudnative-pg", "cluster"];

export interface ResolvedPostgresCluster {
  readonly name: string;
  readonly databases: readonly PostgresDatabaseSpec[];
  readonly instances: number;
  readonly storage: StorageSpec;
  readonly parameters: Readonly<Record<string, string>>;
  readonly values: HelmValues;
}

/** Backups with their defaults; `path` stays unset when it is the environment's name. */
export type ResolvedPostgresBackup = Required<Omit<PostgresBackupSpec, "path">> & Pick<PostgresBackupSpec, "path">;

export interface ResolvedPostgresSpec {
  readonly clusters: readonly ResolvedPostgresCluster[];
  readonly backup?: ResolvedPostgresBackup;
  readonly resources: ResourceRequirements;
  readonly values: PostgresValues;
}

export const POSTGRES_DEFAULT_PARAMETERS: Readonly<Record<string, string>> = {
  shared_buffers: "256MB",
  effective_cache_size: "1GB",
  work_mem: "16MB",
  max_connections: "200",
};

/** Two clusters, like the environments: one for platform tools, one for applications. */
export const POSTGRES_DEFAULT_CLUSTERS: readonly PostgresClusterSpec[] = [
  { name: "platform", databases: [{ name: "platform", owner: "platform" }] },
  { name: "applications", databases: [{ name: "app", owner: "app" }] },
];

export const POSTGRES_BACKUP_DEFAULTS = {
  schedule: "0 0 */6 * * *",
  retention: "7d",
  credentialsVaultPath: "postgres/backup-s3",
} as const;

/** Where a cluster's base backups and WAL go: `s3://<bucket>/<path, by default the environment>/<cluster>`. */
export function backupDestination(backup: Pick<PostgresBackupSpec, "bucket" | "path">, environmentName: string, cluster: string): string {
  return `s3://${backup.bucket}/${backup.path ?? environmentName}/${cluster}`;
}

export function resolvePostgres(spec?: PostgresSpec): ResolvedPostgresSpec {
  const instances = spec?.instances ?? 3;
  const storage = spec?.storage ?? { size: "20Gi" };
  const parameters = { ...POSTGRES_DEFAULT_PARAMETERS, ...(spec?.parameters ?? {}) };
  return {
    clusters: (spec?.clusters ?? POSTGRES_DEFAULT_CLUSTERS).map((cluster) => ({
      name: cluster.name,
      databases: cluster.databases,
      instances: cluster.instances ?? instances,
      storage: cluster.storage ?? storage,
      parameters: { ...parameters, ...(cluster.parameters ?? {}) },
      values: cluster.values ?? {},
    })),
    backup: spec?.backup ? resolveBackup(spec.backup) : undefined,
    resources: spec?.resources ?? resources("250m", "1Gi"),
    values: spec?.values ?? {},
  };
}

function resolveBackup(backup: PostgresBackupSpec): ResolvedPostgresBackup {
  const { path, ...rest } = backup;
  const resolved = withDefaults<Omit<PostgresBackupSpec, "path">>({ ...POSTGRES_BACKUP_DEFAULTS, bucket: "", endpoint: "" }, rest);
  return path === undefined ? resolved : { ...resolved, path };
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const BACKUP_PATH = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

const PARAMETERS_SCHEMA = v.record(v.string(), v.string());

const DATABASE_SCHEMA = schemaOf<PostgresDatabaseSpec>()(v.strictObject({ name: v.string(), owner: v.string() }));

const CLUSTER_SCHEMA = schemaOf<PostgresClusterSpec>()(
  v.strictObject({
    name: v.string(),
    databases: v.array(DATABASE_SCHEMA),
    instances: v.optional(v.number()),
    storage: v.optional(STORAGE_SCHEMA),
    parameters: v.optional(PARAMETERS_SCHEMA),
    values: v.optional(opaque<HelmValues>()),
  }),
);

const BACKUP_SCHEMA = schemaOf<PostgresBackupSpec>()(
  v.strictObject({
    bucket: v.string(),
    path: v.optional(v.string()),
    endpoint: v.string(),
    schedule: v.optional(v.string()),
    retention: v.optional(v.string()),
    credentialsVaultPath: v.optional(v.string()),
  }),
);

/** The shape of a PostgresSpec, checked before its values. */
export const POSTGRES_SPEC_SCHEMA = schemaOf<PostgresSpec>()(
  v.strictObject({
    clusters: v.optional(v.array(CLUSTER_SCHEMA)),
    instances: v.optional(v.number()),
    storage: v.optional(STORAGE_SCHEMA),
    parameters: v.optional(PARAMETERS_SCHEMA),
    backup: v.optional(BACKUP_SCHEMA),
    resources: v.optional(RESOURCES_SCHEMA),
    values: v.optional(opaque<PostgresValues>()),
  }),
);

export function validatePostgres(spec: PostgresSpec | undefined, context: ServiceContext, problems: ProblemCollector): void {
  if (!checkStructure(POSTGRES_SPEC_SCHEMA, spec ?? {}, problems)) return;
  const postgres = resolvePostgres(spec);
  const names = new Set<string>();
  postgres.clusters.forEach((cluster, index) => {
    const at = problems.at("clusters").at(index);
    at.check(
      isDns1123Label(cluster.name),
      "name",
      "cluster name is not a DNS-1123 label",
      cluster.name,
      "use lowercase letters, digits and '-'",
    );
    at.check(!names.has(cluster.name), "name", "cluster name is used twice", cluster.name, "give every cluster its own name");
    names.add(cluster.name);
    const instances = postgresInstancesProblem(cluster.instances, context.tier);
    if (instances !== undefined) at.add("instances", instances.message, cluster.instances, instances.fix);
    at.check(
      cluster.databases.length > 0,
      "databases",
      "a cluster needs at least one database",
      cluster.databases,
      "declare { name, owner }",
    );
    cluster.databases.forEach((database, d) => {
      const db = at.at("databases").at(d);
      db.check(
        ROLE_NAME.test(database.name),
        "name",
        "database name is not a plain PostgreSQL identifier",
        database.name,
        "use lowercase letters, digits and '_', starting with a letter",
      );
      db.check(
        typeof database.owner === "string" && database.owner !== "",
        "owner",
        "database has no owner",
        database.owner,
        "name the role that owns it, e.g. the application's name",
      );
      if (database.owner) {
        db.check(
          ROLE_NAME.test(database.owner),
          "owner",
          "owner is not a plain PostgreSQL role name",
          database.owner,
          "use lowercase letters, digits and '_'",
        );
        db.check(
          database.owner !== "postgres",
          "owner",
          "the superuser cannot own an application database",
          database.owner,
          "use a dedicated role",
        );
      }
    });
    validateStorage(cluster.storage, at.at("storage"));
    if (cluster.values !== undefined && Object.keys(cluster.values).length > 0) checkHelmValues(at, "values", cluster.values);
  });
  if (postgres.backup) {
    const backup = problems.at("backup");
    backup.check(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(postgres.backup.bucket),
      "bucket",
      "bucket name breaks the S3 naming rules",
      postgres.backup.bucket,
      "use 3-63 lowercase letters, digits, '-' or '.'",
    );
    backup.check(
      postgres.backup.path === undefined || BACKUP_PATH.test(postgres.backup.path),
      "path",
      "backup path is not a folder path",
      postgres.backup.path,
      "use lowercase letters, digits, '.', '_' and '-' in segments separated by single '/', without a leading or trailing '/'",
    );
    backup.check(
      /^https:\/\/[^/]+$/.test(postgres.backup.endpoint),
      "endpoint",
      "backup endpoint is not an https URL without path",
      postgres.backup.endpoint,
      "e.g. https://s3.gra.io.cloud.ovh.net",
    );
    backup.check(
      postgres.backup.schedule.trim().split(/\s+/).length === 6,
      "schedule",
      "CloudNativePG schedules have six fields (seconds first)",
      postgres.backup.schedule,
      'e.g. "0 0 */6 * * *" for every 6 hours',
    );
    backup.check(
      /^[1-9][0-9]*[dwm]$/.test(postgres.backup.retention),
      "retention",
      "retention is not a Barman retention",
      postgres.backup.retention,
      "use a number of days, weeks or months, e.g. 7d, 4w, 3m",
    );
  } else if (context.target === "kubernetes") {
    problems.check(
      context.tier === "development",
      "backup",
      `a ${context.tier} environment needs scheduled PostgreSQL backups`,
      undefined,
      "declare backup: { bucket, endpoint }, the object storage for base backups and WAL",
    );
  }
  validateResources(postgres.resources, problems.at("resources"));
  checkValuesByChart(problems, spec?.values, POSTGRES_VALUES_KEYS);
}
