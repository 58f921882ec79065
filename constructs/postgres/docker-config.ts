import { configFile } from "../docker/config-file";
import { ResolvedPostgresCluster } from "./spec";

/**
 * Files of a PostgreSQL container on Docker. No secret is in them: passwords
 * are read from /run/secrets/postgres/<role> at start and passed to psql as
 * variables.
 */

export const POSTGRES_CONFIG_DIR = "/etc/platform/postgres";
export const POSTGRES_SECRETS_DIR = "/run/secrets/postgres";
export const SUPERUSER = "postgres";

/** The roles that own the cluster's databases, each once, in declaration order. */
export function ownerRoles(cluster: ResolvedPostgresCluster): string[] {
  return [...new Set(cluster.databases.map((database) => database.owner))];
}

/** psql variable holding a role's password. Role names are plain identifiers (validated). */
function passwordVariable(role: string): string {
  return `password_${role}`;
}

/**
 * Idempotent SQL run on every start: creates missing roles and databases and
 * sets every password to the generated one, so the Terraform outputs stay
 * right even for a volume initialised before a database was added.
 */
export function ensureRolesSql(cluster: ResolvedPostgresCluster): string {
  const statements = [`-- Roles and databases of the PostgreSQL cluster "${cluster.name}", written by cdktf.`];
  for (const role of ownerRoles(cluster)) {
    statements.push(
      `SELECT format('CREATE ROLE %I LOGIN', '${role}') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}')\\gexec`,
      `ALTER ROLE ${role} WITH LOGIN PASSWORD :'${passwordVariable(role)}';`,
    );
  }
  for (const database of cluster.databases) {
    statements.push(
      `SELECT format('CREATE DATABASE %I OWNER %I', '${database.name}', '${database.owner}') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${database.name}')\\gexec`,
      `ALTER DATABASE ${database.name} OWNER TO ${database.owner};`,
    );
  }
  statements.push(`ALTER ROLE ${SUPERUSER} WITH PASSWORD :'${passwordVariable(SUPERUSER)}';`);
  return configFile(statements);
}

/**
 * Initialises an empty volume the image's way (docker-ensure-initdb.sh, with
 * POSTGRES_PASSWORD_FILE), then applies ensure-roles.sql on a socket-only
 * temporary server before the real start: the image's own init scripts run
 * only once, on an empty volume.
 */
export function postgresStartScript(cluster: ResolvedPostgresCluster): string {
  const variables = [SUPERUSER, ...ownerRoles(cluster)].map(
    (role) => `  --set "${passwordVariable(role)}=$(cat ${POSTGRES_SECRETS_DIR}/${role})" \\`,
  );
  return configFile([
    "#!/usr/bin/env bash",
    "set -Eeuo pipefail",
    "source /usr/local/bin/docker-entrypoint.sh",
    'if [ "$(id -u)" = 0 ]; then',
    '  docker-ensure-initdb.sh "$@"',
    '  exec gosu postgres "$BASH_SOURCE" "$@"',
    "fi",
    "docker_setup_env",
    'docker_temp_server_start "$@"',
    "POSTGRES_DB= docker_process_sql --dbname postgres \\",
    ...variables,
    `  -f ${POSTGRES_CONFIG_DIR}/ensure-roles.sql`,
    "docker_temp_server_stop",
    'exec docker-entrypoint.sh "$@"',
  ]);
}

/** `postgres -c name=value …`: the environment's parameters, as the server's arguments. */
export function postgresCommand(cluster: ResolvedPostgresCluster): string[] {
  return ["postgres", ...Object.entries(cluster.parameters).flatMap(([name, value]) => ["-c", `${name}=${value}`])];
}
