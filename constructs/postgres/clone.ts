import { createHash } from "crypto";
import { ProblemCollector } from "../../core/problems";
import { EnvironmentTier } from "../../core/tiers";
import { backupDestination, PostgresDatabaseSpec, PostgresSpec, ResolvedPostgresClone, resolvePostgres } from "./spec";

/** What a clone needs to know of the environment it clones from. */
export interface CloneSourceEnvironment {
  readonly name: string;
  readonly tier: EnvironmentTier;
  /** Its PostgreSQL spec when it runs PostgreSQL on Kubernetes; undefined when it runs none there. */
  readonly postgres?: PostgresSpec;
}

/** A clone's source cluster, resolved from its environment's declaration. */
export interface PostgresCloneSource {
  readonly environment: string;
  readonly tier: EnvironmentTier;
  readonly cluster: string;
  /** S3 endpoint of the source's backups. */
  readonly endpoint: string;
  /** `s3://<bucket>/<path>/<cluster>` of the source's backups. */
  readonly destinationPath: string;
  /** The Barman server name the source archives under: the folder below `destinationPath`. */
  readonly serverName: string;
  readonly databases: readonly PostgresDatabaseSpec[];
}

/** A sanitising script with its SQL, read from the repository by the stack (constructs read no files). */
export interface PostgresSanitiseSql {
  /** The path it was declared with, from the repository root. */
  readonly file: string;
  readonly database: string;
  readonly sql: string;
}

/** What a `Postgres` construct needs for each clone beyond its spec, keyed by cluster name. */
export interface PostgresCloneInput {
  readonly source: PostgresCloneSource;
  /** The `cloneFrom.sanitise` scripts, in their declared order, with their content. */
  readonly scripts: readonly PostgresSanitiseSql[];
}

/**
 * What a clone is a copy of: source, point in time and refresh marker. Any
 * change of it makes a new clone (Terraform replaces the cluster) that
 * archives under a new server name.
 */
export function cloneIdentity(clone: ResolvedPostgresClone): Readonly<Record<string, string>> {
  return { environment: clone.environment, cluster: clone.cluster, pointInTime: clone.pointInTime ?? "latest", refresh: clone.refresh };
}

/**
 * The Barman server name a cluster archives under: its own name, as in-tree
 * archiving used; for a clone, one per generation, `<cluster>-<refresh>-<8 hex
 * of its identity>`, because the plugin refuses to archive into a folder that
 * already holds WAL (a previous generation's).
 */
export function archiveServerName(cluster: { readonly name: string; readonly cloneFrom?: ResolvedPostgresClone }): string {
  if (cluster.cloneFrom === undefined) return cluster.name;
  const digest = createHash("sha256")
    .update(JSON.stringify(cloneIdentity(cluster.cloneFrom)))
    .digest("hex")
    .slice(0, 8);
  return `${cluster.name}-${cluster.cloneFrom.refresh}-${digest}`;
}

/**
 * Finds a clone's source among the environments: records at `problems`
 * (the cluster's `cloneFrom`) why it cannot be, or returns it.
 */
export function resolveCloneSource(
  clone: ResolvedPostgresClone,
  self: string,
  environments: readonly CloneSourceEnvironment[],
  problems: ProblemCollector,
): PostgresCloneSource | undefined {
  const candidates = environments.filter((environment) => environment.name !== self && environment.postgres !== undefined);
  const environment = environments.find((candidate) => candidate.name === clone.environment);
  if (environment === undefined || environment.name === self || environment.postgres === undefined) {
    const why =
      environment === undefined
        ? "no environment of this repository has this name"
        : environment.name === self
          ? "a cluster cannot clone its own environment: a clone reads another environment's backups"
          : "that environment runs no PostgreSQL on Kubernetes";
    problems.add(
      "environment",
      why,
      clone.environment,
      candidates.length > 0
        ? `clone from one of ${candidates.map((candidate) => candidate.name).join(", ")}`
        : "clone from an environment that runs PostgreSQL on Kubernetes",
    );
    return undefined;
  }
  const postgres = resolvePostgres(environment.postgres);
  const cluster = postgres.clusters.find((candidate) => candidate.name === clone.cluster);
  if (cluster === undefined) {
    problems.add(
      "cluster",
      `${environment.name} has no cluster of this name`,
      clone.cluster,
      `clone one of ${postgres.clusters.map((candidate) => candidate.name).join(", ")}`,
    );
    return undefined;
  }
  if (postgres.backup === undefined) {
    problems.add(
      "environment",
      `${environment.name} keeps no backups to recover from: it declares no services.postgres.backup`,
      clone.environment,
      `declare backups in ${environment.name}, or clone an environment that keeps them`,
    );
    return undefined;
  }
  return {
    environment: environment.name,
    tier: environment.tier,
    cluster: cluster.name,
    endpoint: postgres.backup.endpoint,
    destinationPath: backupDestination(postgres.backup, environment.name, cluster.name),
    serverName: archiveServerName(cluster),
    databases: cluster.databases,
  };
}

/**
 * The rules between a clone and its resolved source: the clone never
 * archives into the source's backups, and it declares the databases the
 * backups hold. `problems` is the cluster's; `ownDestination` is undefined
 * when the environment declares no backup (reported on its own).
 */
export function checkCloneAgainstSource(
  databases: readonly PostgresDatabaseSpec[],
  source: PostgresCloneSource,
  ownDestination: string | undefined,
  problems: ProblemCollector,
): void {
  if (ownDestination !== undefined) {
    const nested = (outer: string, inner: string) => inner === outer || inner.startsWith(`${outer}/`);
    problems.check(
      !nested(source.destinationPath, ownDestination) && !nested(ownDestination, source.destinationPath),
      "cloneFrom",
      `the clone would archive its WAL and backups into its source's, ${source.destinationPath}`,
      ownDestination,
      `give this environment's services.postgres.backup another bucket or path than ${source.environment}'s`,
    );
  }
  const same =
    databases.length === source.databases.length &&
    databases.every(
      (database, index) => database.name === source.databases[index].name && database.owner === source.databases[index].owner,
    );
  problems.check(
    same,
    "databases",
    `a clone holds its source's databases, and these differ from ${source.environment}'s ${source.cluster}`,
    databases,
    `declare the source's, in its order: ${source.databases.map((database) => `${database.name} owned by ${database.owner}`).join(", ")}`,
  );
}

/** The Secret of a clone's read-only keys to its source's backups. */
export function cloneSourceSecretName(cluster: string): string {
  return `${cluster}-clone-source-s3`;
}

/** The ObjectStore a clone recovers from: the source's backups, read with read-only keys. */
export function cloneSourceObjectStoreName(cluster: string): string {
  return `${cluster}-clone-source`;
}

/** The sanitising Job of a clone, and its ConfigMap of scripts. */
export function sanitiseJobName(cluster: string): string {
  return `${cluster}-sanitise`;
}

/**
 * Keys of the sanitising ConfigMap, one per script in order:
 * `<two-digit position>-<database>.sql`, so the Job runs them in order and
 * knows each one's database without a change to its own spec.
 */
export function sanitiseScriptKeys(scripts: readonly { readonly database: string }[]): string[] {
  return scripts.map((script, index) => `${String(index + 1).padStart(2, "0")}-${script.database}.sql`);
}

/**
 * What the sanitising Job runs (`sh -eu -c`): wait until the recovered
 * primary accepts writes, then each script in its database in one
 * transaction, stopping at the first error. Free of `$` + `{`, which
 * Terraform would read as its own interpolation.
 */
export const SANITISE_COMMAND = [
  'echo "waiting for $PGHOST to finish recovery and accept writes"',
  'until [ "$(psql -X -A -t -c "select pg_is_in_recovery()" 2>/dev/null)" = "f" ]; do sleep 10; done',
  "for script in /sanitise/*.sql; do",
  '  name="$(basename "$script")"',
  "  database=\"$(echo \"$name\" | sed -e 's/^[0-9]*-//' -e 's/[.]sql$//')\"",
  '  echo "sanitising database $database with $name"',
  '  psql -X -v ON_ERROR_STOP=1 --single-transaction -d "$database" -f "$script"',
  "done",
  'echo "sanitised"',
].join("\n");
