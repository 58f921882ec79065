import { Password } from "@cdktf/provider-random/lib/password";
import { Construct } from "constructs";
import { generatedPassword } from "../docker/generated-password";
import { PlatformContainer } from "../docker/platform-container";
import { DockerServiceProps } from "../docker/service-props";
import { ScrapeJob } from "../observability/scrape-job";
import {
  ensureRolesSql,
  ownerRoles,
  POSTGRES_CONFIG_DIR,
  POSTGRES_SECRETS_DIR,
  postgresCommand,
  postgresStartScript,
  SUPERUSER,
} from "./docker-config";
import { PostgresSpec, resolvePostgres } from "./spec";

export interface PostgresContainersProps extends DockerServiceProps {
  /** @default - the spec's defaults: the clusters `platform` and `applications` */
  readonly spec?: PostgresSpec;
  /** Host port of each cluster, by cluster name. */
  readonly hostPorts: Readonly<Record<string, number>>;
}

const SERVER_PORT = 5432;
const EXPORTER_PORT = 9187;
const EXPORTER_MEMORY = "64Mi";

/** One cluster's server, exporter and generated passwords. */
export interface PostgresClusterContainers {
  readonly server: PlatformContainer;
  readonly exporter: PlatformContainer;
  /** By role: the owners of the cluster's databases and `postgres`. */
  readonly passwords: Readonly<Record<string, Password>>;
}

/**
 * PostgreSQL on Docker: one container per cluster of the environment (the
 * clusters run several instances; a laptop runs one), with the environment's
 * parameters, its databases and their owners, a generated password per role
 * and a postgres_exporter each.
 */
export class PostgresContainers extends Construct {
  public readonly clusters: Readonly<Record<string, PostgresClusterContainers>>;
  public readonly scrapeJobs: readonly ScrapeJob[];

  constructor(scope: Construct, id: string, props: PostgresContainersProps) {
    super(scope, id);
    const postgres = resolvePostgres(props.spec);
    const clusters: Record<string, PostgresClusterContainers> = {};
    for (const cluster of postgres.clusters) {
      const scopeOfCluster = new Construct(this, cluster.name);
      const passwords = Object.fromEntries(
        [SUPERUSER, ...ownerRoles(cluster)].map((role) => [role, generatedPassword(scopeOfCluster, `password-${role}`)]),
      );
      const secretFiles = Object.entries(passwords).map(([role, password]) => ({
        path: `${POSTGRES_SECRETS_DIR}/${role}`,
        content: password.result,
      }));
      const hostPort = props.hostPorts[cluster.name];
      const server = new PlatformContainer(scopeOfCluster, "server", {
        ...props,
        name: `postgres-${cluster.name}`,
        service: "postgres",
        image: "postgres",
        memory: postgres.resources.limits.memory,
        command: [`${POSTGRES_CONFIG_DIR}/start.sh`, ...postgresCommand(cluster)],
        env: [`POSTGRES_PASSWORD_FILE=${POSTGRES_SECRETS_DIR}/${SUPERUSER}`],
        files: [
          { path: `${POSTGRES_CONFIG_DIR}/start.sh`, content: postgresStartScript(cluster), executable: true },
          { path: `${POSTGRES_CONFIG_DIR}/ensure-roles.sql`, content: ensureRolesSql(cluster) },
          ...secretFiles,
        ],
        // PostgreSQL 18 images keep PGDATA below /var/lib/postgresql (the image's volume).
        volumes: [{ name: `postgres-${cluster.name}-data`, containerPath: "/var/lib/postgresql" }],
        ports: [{ host: hostPort, container: SERVER_PORT }],
        healthcheck: {
          // TCP, not the socket: the temporary setup server listens on the socket only.
          test: ["CMD", "pg_isready", "-h", "127.0.0.1", "-p", String(SERVER_PORT), "-U", SUPERUSER, "-d", "postgres"],
          startPeriodSeconds: 30,
        },
      });
      const exporter = new PlatformContainer(scopeOfCluster, "exporter", {
        ...props,
        name: `postgres-exporter-${cluster.name}`,
        service: "postgres",
        image: "postgresExporter",
        memory: EXPORTER_MEMORY,
        env: [
          `DATA_SOURCE_URI=${server.hostname}:${SERVER_PORT}/postgres?sslmode=disable`,
          `DATA_SOURCE_USER=${SUPERUSER}`,
          `DATA_SOURCE_PASS_FILE=${POSTGRES_SECRETS_DIR}/${SUPERUSER}`,
        ],
        files: [{ path: `${POSTGRES_SECRETS_DIR}/${SUPERUSER}`, content: passwords[SUPERUSER].result }],
        healthcheck: { test: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${EXPORTER_PORT}/`] },
        dependsOn: [server.container],
      });
      clusters[cluster.name] = { server, exporter, passwords };
    }
    this.clusters = clusters;
    this.scrapeJobs = [
      {
        jobName: "postgres",
        targets: Object.values(clusters).map(({ exporter }) => `${exporter.hostname}:${EXPORTER_PORT}`),
      },
    ];
  }
}
