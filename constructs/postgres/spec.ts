import { postgresInstancesProblem } from "../../core/ha-rules";
import { ProblemCollector } from "../../core/problems";
import { isDns1123Label, isOvhName, iso8601InstantMillis, isWholeNumber } from "../../core/formats";
import { MAX_RELEASE_NAME_LENGTH } from "../kubernetes/names";
import { ServiceContext } from "../../core/service-context";
import { withDefaults } from "../common/defaults";
import { checkHelmValues, checkValuesByChart } from "../helm/check-values";
import { HelmValues } from "../helm/merge-values";
import { ResourceRequirements, StorageSpec, resources, validateResources, validateStorage } from "../common/sizing";
import * as v from "valibot";
import { checkStructure, opaque, pathOf, schemaOf, stringOf } from "../../core/schema";
import { cnpgScheduleBreach } from "../../core/cron";
import { ovhS3EndpointProblem } from "../../core/ovh";
import { postgresParameterProblem } from "../../core/postgres-parameters";
import { barmanRetention, formatBytes, memoryBytes, postgresMemoryKb } from "../../core/quantities";
import { RESOURCES_SCHEMA, STORAGE_SCHEMA } from "../common/sizing";

/** A database and the role that owns it. */
export interface PostgresDatabaseSpec {
  readonly name: string;
  /** Owning role; created with a generated password. */
  readonly owner: string;
}

/** A file of SQL in this repository, named by its path from the repository root. */
export type RepositorySqlFile = `${string}.sql`;

/** A SQL script that sanitises a clone's data. */
export interface PostgresSanitiseScript {
  /**
   * The script, by its path from the repository root, e.g.
   * `postgres/sanitise/platform.sql`. It must exist when the stacks are
   * synthesized; its content is shipped, not its path.
   */
  readonly file: RepositorySqlFile;
  /** Database it runs in. @default - the cluster's first database */
  readonly database?: string;
}

/**
 * Bootstrap a cluster from another environment's backups of one of its
 * clusters (point-in-time recovery through the Barman Cloud plugin), then
 * sanitise it before applications get credentials. Only outside production.
 */
export interface PostgresCloneFromSpec {
  /** The environment whose cluster is cloned: another environment of this repository, e.g. `production`. */
  readonly environment: string;
  /** The cluster of that environment to clone, e.g. `platform`. */
  readonly cluster: string;
  /**
   * Recover up to this instant, ISO 8601 with seconds and a time zone, e.g.
   * `2026-08-01T06:00:00Z`; it must be in the past and after the source's
   * oldest kept backup.
   * @default - the end of the source's WAL archive: the latest state
   */
  readonly pointInTime?: string;
  /**
   * The refresh marker, e.g. a date (`"2026-08-24"`) or a counter (`3`).
   * Changing it, like changing the source or the point in time, replaces the
   * clone: the plan shows the cluster's release replaced.
   */
  readonly refresh: string | number;
  /**
   * Scripts run once after each recovery, in order, as the clone's superuser,
   * each in one transaction; applications get credentials only once every one
   * has succeeded. At least one.
   */
  readonly sanitise: readonly PostgresSanitiseScript[];
  /**
   * Vault KV path (below the `platform` mount) holding `access_key_id` and
   * `secret_access_key` of a key that may only read the source's backups.
   * @default "postgres/clone-source/<environment>"
   */
  readonly credentialsVaultPath?: string;
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
  /**
   * Bootstrap from another environment's backups instead of an empty
   * database. The clone's databases are the source's: declare the same.
   * @default - a new, empty cluster (initdb)
   */
  readonly cloneFrom?: PostgresCloneFromSpec;
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

/** A clone's declaration with its defaults. */
export interface ResolvedPostgresClone {
  readonly environment: string;
  readonly cluster: string;
  readonly pointInTime?: string;
  /** The marker as written, as a string. */
  readonly refresh: string;
  readonly sanitise: readonly Required<PostgresSanitiseScript>[];
  readonly credentialsVaultPath: string;
}

export interface ResolvedPostgresCluster {
  readonly name: string;
  readonly databases: readonly PostgresDatabaseSpec[];
  readonly instances: number;
  readonly storage: StorageSpec;
  readonly parameters: Readonly<Record<string, string>>;
  readonly values: HelmValues;
  readonly cloneFrom?: ResolvedPostgresClone;
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

/** The CloudNativePG operator's container. */
export const CNPG_OPERATOR_RESOURCES: ResourceRequirements = resources("100m", "256Mi");
/** The Barman Cloud plugin's container, in the operator's namespace. */
export const BARMAN_PLUGIN_RESOURCES: ResourceRequirements = { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } };
/** The sidecar that archives WAL and takes base backups in every instance pod: a base backup buffers uploads. */
export const BARMAN_SIDECAR_RESOURCES: ResourceRequirements = { requests: { cpu: "50m", memory: "256Mi" }, limits: { memory: "512Mi" } };
/** A clone's sanitising Job: psql sending the repository's scripts. */
export const SANITISE_JOB_RESOURCES: ResourceRequirements = { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } };

/** @default cloneFrom.credentialsVaultPath, below this prefix: `postgres/clone-source/<environment>`. */
export const CLONE_CREDENTIALS_VAULT_PREFIX = "postgres/clone-source";

export function resolveClone(clone: PostgresCloneFromSpec, databases: readonly PostgresDatabaseSpec[]): ResolvedPostgresClone {
  const first = databases[0]?.name ?? "";
  return {
    environment: clone.environment,
    cluster: clone.cluster,
    ...(clone.pointInTime !== undefined ? { pointInTime: clone.pointInTime } : {}),
    refresh: String(clone.refresh),
    sanitise: (clone.sanitise ?? []).map((script) => ({ file: script.file, database: script.database ?? first })),
    credentialsVaultPath: clone.credentialsVaultPath ?? `${CLONE_CREDENTIALS_VAULT_PREFIX}/${clone.environment}`,
  };
}

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
      ...(cluster.cloneFrom ? { cloneFrom: resolveClone(cluster.cloneFrom, cluster.databases) } : {}),
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
const VAULT_PATH = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/;
/** A refresh marker: a date, a counter or a short word; it becomes part of an archive folder's name. */
const REFRESH_MARKER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
/** A path from the repository root to a .sql file: no leading '/', no segment starting with '.', so no way out of the repository. */
const REPOSITORY_SQL_FILE = /^([A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*\.sql$/;

/** Helm release name of a clone: `postgres-<cluster>-clone` (53 characters at most). */
export function cloneReleaseName(cluster: string): string {
  return `postgres-${cluster}-clone`;
}
/** Whether a sanitising script's path is a `.sql` file's, from the repository root and inside it. */
export function isRepositorySqlFile(file: unknown): file is RepositorySqlFile {
  return typeof file === "string" && REPOSITORY_SQL_FILE.test(file);
}
const CLONE_RELEASE_OVERHEAD = cloneReleaseName("").length;

const PARAMETERS_SCHEMA = v.record(v.string(), v.string());

const DATABASE_SCHEMA = schemaOf<PostgresDatabaseSpec>()(v.strictObject({ name: v.string(), owner: v.string() }));

const SANITISE_SCRIPT_SCHEMA = schemaOf<PostgresSanitiseScript>()(
  v.strictObject({ file: stringOf<RepositorySqlFile>(), database: v.optional(v.string()) }),
);

const CLONE_SCHEMA = schemaOf<PostgresCloneFromSpec>()(
  v.strictObject({
    environment: v.string(),
    cluster: v.string(),
    pointInTime: v.optional(v.string()),
    refresh: v.union([v.string(), v.number()]),
    sanitise: v.array(SANITISE_SCRIPT_SCHEMA),
    credentialsVaultPath: v.optional(v.string()),
  }),
);

const CLUSTER_SCHEMA = schemaOf<PostgresClusterSpec>()(
  v.strictObject({
    name: v.string(),
    databases: v.array(DATABASE_SCHEMA),
    instances: v.optional(v.number()),
    storage: v.optional(STORAGE_SCHEMA),
    parameters: v.optional(PARAMETERS_SCHEMA),
    values: v.optional(opaque<HelmValues>()),
    cloneFrom: v.optional(CLONE_SCHEMA),
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
    const databaseNames = new Set<string>();
    cluster.databases.forEach((database, d) => {
      const db = at.at("databases").at(d);
      db.check(
        !databaseNames.has(database.name),
        "name",
        `database is declared twice in cluster ${cluster.name}`,
        database.name,
        "declare each database once; one owner may own several databases",
      );
      databaseNames.add(database.name);
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
    checkParameters(spec?.clusters?.[index]?.parameters, at);
    if (cluster.values !== undefined && Object.keys(cluster.values).length > 0) checkHelmValues(at, "values", cluster.values);
    const declared = spec?.clusters?.[index]?.cloneFrom;
    if (cluster.cloneFrom && declared) validateCloneDeclaration(cluster, cluster.cloneFrom, declared.refresh, postgres, context, at);
  });
  checkParameters(spec?.parameters, problems);
  checkSharedBuffers(spec, postgres, problems);
  if (postgres.backup) {
    const backup = problems.at("backup");
    backup.check(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(postgres.backup.bucket),
      "bucket",
      "bucket name breaks the S3 naming rules",
      postgres.backup.bucket,
      "use 3-63 lowercase letters, digits, '-' or '.'",
    );
    // An endpoint on cloud.ovh.net is OVHcloud's: its region must exist and its form be the S3 one.
    const ovh = ovhS3EndpointProblem(postgres.backup.endpoint);
    if (ovh !== undefined) backup.add("endpoint", ovh.message, postgres.backup.endpoint, ovh.fix);
    else {
      backup.check(
        /^https:\/\/[^/]+$/.test(postgres.backup.endpoint),
        "endpoint",
        "backup endpoint is not an https URL without path",
        postgres.backup.endpoint,
        "e.g. https://s3.gra.io.cloud.ovh.net",
      );
    }
    const schedule = cnpgScheduleBreach(postgres.backup.schedule);
    if (schedule !== undefined) backup.add("schedule", schedule.message, postgres.backup.schedule, schedule.fix);
    if (barmanRetention(postgres.backup.retention) === undefined) {
      backup.add("retention", "retention is not a Barman retention", postgres.backup.retention, retentionFix(postgres.backup.retention));
    }
    // External Secrets reads this key, and Vault's policy for it is derived from it: one exact key, no glob.
    backup.check(
      /^[A-Za-z0-9_.@-]+(\/[A-Za-z0-9_.@-]+)*$/.test(postgres.backup.credentialsVaultPath),
      "credentialsVaultPath",
      "Vault key is not a path below the KV mount",
      postgres.backup.credentialsVaultPath,
      "use segments of letters, digits, '-', '_', '.' or '@' separated by single '/', without the mount, data/ or a leading '/', e.g. postgres/backup-s3",
    );
    backup.check(
      postgres.backup.path === undefined || BACKUP_PATH.test(postgres.backup.path),
      "path",
      "backup path is not a folder path",
      postgres.backup.path,
      "use lowercase letters, digits, '.', '_' and '-' in segments separated by single '/', without a leading or trailing '/'",
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

/** Each parameter an environment sets, at its own path: `parameters.work_mem`, `clusters[0].parameters["pg_stat_statements.max"]`. */
function checkParameters(parameters: Readonly<Record<string, string>> | undefined, problems: ProblemCollector): void {
  for (const [name, value] of Object.entries(parameters ?? {})) {
    const problem = postgresParameterProblem(name, value);
    if (problem !== undefined) problems.add(pathOf(["parameters", name]), problem.message, value, problem.fix);
  }
}

/**
 * shared_buffers is allocated in the instance's container: at or above its memory limit, the
 * kernel kills PostgreSQL once the cache fills. Reported where the value is set: a cluster's
 * parameters, the service's, or, for the default, the memory limit.
 */
function checkSharedBuffers(spec: PostgresSpec | undefined, postgres: ResolvedPostgresSpec, problems: ProblemCollector): void {
  const limit = memoryBytes(postgres.resources.limits.memory);
  if (limit === undefined) return;
  const reported = new Set<string>();
  postgres.clusters.forEach((cluster, index) => {
    const value = cluster.parameters.shared_buffers;
    const kb =
      value === undefined || postgresParameterProblem("shared_buffers", value) !== undefined ? undefined : postgresMemoryKb(value, "8kB");
    if (kb === undefined || kb * 1024 < limit) return;
    const quarter = `${Math.max(1, Math.floor(limit / 4 / 2 ** 20))}MB`;
    const enough = formatBytes(Math.ceil((kb * 1024 * 4) / 2 ** 30) * 2 ** 30);
    const message = `shared_buffers ${value} does not fit the PostgreSQL container's memory limit, ${postgres.resources.limits.memory}: the kernel kills the instance once the cache fills`;
    const fix = `lower shared_buffers to about a quarter of the limit, ${quarter}, or raise resources.limits.memory and requests.memory to ${enough}`;
    const path =
      spec?.clusters?.[index]?.parameters?.shared_buffers !== undefined
        ? pathOf(["clusters", index, "parameters", "shared_buffers"])
        : spec?.parameters?.shared_buffers !== undefined
          ? "parameters.shared_buffers"
          : "resources.limits.memory";
    if (reported.has(path)) return;
    reported.add(path);
    problems.add(path, message, path === "resources.limits.memory" ? postgres.resources.limits.memory : value, fix);
  });
}

/** What a malformed retention probably meant: "7 days" is "7d", "1 year" "12m", "168h" "7d". */
function retentionFix(value: string): string {
  const written = /^\s*([0-9]+)\s*([A-Za-z]+)\s*$/.exec(value);
  const count = written === null ? undefined : Number(written[1]);
  const unit = written?.[2].toLowerCase() ?? "";
  const units = "Barman counts d days, w weeks and m months of 31 days";
  let meant: string | undefined;
  if (count !== undefined && count > 0) {
    if (["d", "day", "days"].includes(unit)) meant = `${count}d`;
    else if (["w", "wk", "week", "weeks"].includes(unit)) meant = `${count}w`;
    else if (["m", "mo", "month", "months"].includes(unit)) meant = `${count}m`;
    else if (["y", "yr", "year", "years"].includes(unit)) meant = `${count * 12}m`;
    else if (["h", "hour", "hours"].includes(unit)) meant = `${Math.ceil(count / 24)}d`;
  }
  return meant === undefined ? `use a number of days, weeks or months, e.g. 7d, 4w, 3m; ${units}` : `write "${meant}"; ${units}`;
}

/**
 * The rules a clone's declaration follows on its own. Those that need its
 * source are `resolveCloneSource` and `checkCloneAgainstSource` (clone.ts),
 * which `validateClones` (environments/validate.ts) runs with every
 * environment in view, and the construct runs again on the source it is given.
 */
function validateCloneDeclaration(
  cluster: ResolvedPostgresCluster,
  clone: ResolvedPostgresClone,
  refresh: string | number,
  postgres: ResolvedPostgresSpec,
  context: ServiceContext,
  problems: ProblemCollector,
): void {
  const at = problems.at("cloneFrom");
  const declared = { environment: clone.environment, cluster: clone.cluster };
  if (context.target !== "kubernetes") {
    at.add(
      "",
      "a clone needs a Kubernetes environment: recovery from backups runs through CloudNativePG's Barman Cloud plugin",
      declared,
      "remove cloneFrom from this environment",
    );
    return;
  }
  at.check(
    context.tier !== "production",
    "",
    "a production cluster never bootstraps from another environment's backups",
    declared,
    "clone into a development or staging environment; production keeps its own data",
  );
  at.check(
    isOvhName(clone.environment),
    "environment",
    "is not an environment name",
    clone.environment,
    "name an environment of this repository, e.g. production",
  );
  at.check(
    isDns1123Label(clone.cluster),
    "cluster",
    "is not a cluster name",
    clone.cluster,
    "name a cluster of that environment, e.g. platform",
  );
  if (clone.pointInTime !== undefined) {
    const instant = iso8601InstantMillis(clone.pointInTime);
    if (
      at.check(
        instant !== undefined,
        "pointInTime",
        "point in time is not an ISO 8601 instant with seconds and a time zone",
        clone.pointInTime,
        'write e.g. "2026-08-01T06:00:00Z" or "2026-08-01T08:00:00+02:00", or leave it unset for the latest state',
      ) &&
      instant !== undefined
    ) {
      at.check(
        instant <= Date.now(),
        "pointInTime",
        "point in time is in the future: recovery would wait for WAL that does not exist yet and fail",
        clone.pointInTime,
        "use an instant in the past, or leave pointInTime unset for the latest state",
      );
    }
  }
  at.check(
    typeof refresh === "number" ? isWholeNumber(refresh) : REFRESH_MARKER.test(refresh),
    "refresh",
    "refresh marker is not allowed",
    clone.refresh,
    "use a date such as 2026-08-24 or a whole number such as 3: up to 40 letters, digits, '.', '_' and '-', starting with a letter or digit",
  );
  at.check(
    clone.sanitise.length > 0,
    "sanitise",
    "a clone needs at least one sanitising script: production data would reach applications as it is",
    [],
    'list the SQL files that replace personal data, e.g. sanitise: [{ file: "postgres/sanitise/platform.sql" }]',
  );
  const databases = cluster.databases.map((database) => database.name);
  clone.sanitise.forEach((script, index) => {
    const scriptAt = at.at("sanitise").at(index);
    scriptAt.check(
      isRepositorySqlFile(script.file),
      "file",
      "is not the path of a .sql file inside the repository",
      script.file,
      "write the path from the repository root with '/', e.g. postgres/sanitise/platform.sql",
    );
    scriptAt.check(
      databases.includes(script.database),
      "database",
      "is not one of this cluster's databases",
      script.database,
      `use one of ${databases.join(", ")}`,
    );
  });
  if (
    at.check(
      VAULT_PATH.test(clone.credentialsVaultPath),
      "credentialsVaultPath",
      "Vault path is not allowed",
      clone.credentialsVaultPath,
      "use path segments without leading or trailing '/', e.g. postgres/clone-source/production",
    )
  ) {
    at.check(
      clone.credentialsVaultPath !== postgres.backup?.credentialsVaultPath,
      "credentialsVaultPath",
      "the clone would read its source with this environment's read-write backup key",
      clone.credentialsVaultPath,
      `store a key that may only read the source's backups at its own path, e.g. ${CLONE_CREDENTIALS_VAULT_PREFIX}/${clone.environment}`,
    );
  }
  // Outside development a missing backup is reported on its own (validatePostgres); here only where it is optional.
  at.check(
    postgres.backup !== undefined || context.tier !== "development",
    "",
    "a clone archives its own WAL and backups, and this environment declares no backup",
    declared,
    "declare services.postgres.backup: the clone writes under its own path there",
  );
  problems.check(
    Object.keys(cluster.values).length === 0,
    "values",
    "a clone's Cluster is rendered by the platform, not by the cluster chart: chart values do not reach it",
    cluster.values,
    "remove values from the clone; its sizing fields apply as for any cluster",
  );
  problems.check(
    cluster.name.length + CLONE_RELEASE_OVERHEAD <= MAX_RELEASE_NAME_LENGTH,
    "name",
    `a clone's Helm release, ${cloneReleaseName(cluster.name)}, would be longer than ${MAX_RELEASE_NAME_LENGTH} characters`,
    cluster.name,
    `use a cluster name of at most ${MAX_RELEASE_NAME_LENGTH - CLONE_RELEASE_OVERHEAD} characters`,
  );
}
