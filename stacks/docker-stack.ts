import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Network } from "@cdktf/provider-docker/lib/network";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { localImages } from "../constructs/docker/images";
import { LocalImages } from "../constructs/docker/local-images";
import { resolveLocalPorts } from "../constructs/docker/ports";
import { DockerServiceProps, engineName } from "../constructs/docker/service-props";
import { KAFKA_ADMIN_USER, KAFKA_SASL_MECHANISM } from "../constructs/kafka/docker-config";
import { KafkaContainer } from "../constructs/kafka/docker";
import { GRAFANA_ADMIN_USER, ObservabilityContainers } from "../constructs/observability/docker";
import { PostgresContainers } from "../constructs/postgres/docker";
import { resolvePostgres } from "../constructs/postgres/spec";
import { SENTINEL_MASTER_NAME } from "../constructs/redis/docker-config";
import { RedisSentinelContainers } from "../constructs/redis/docker";
import { resolveRedis } from "../constructs/redis/spec";
import { isEnabled, ServiceName } from "../constructs/services";
import { withTeamDatabases, withTeamKafka } from "../constructs/team/service-needs";
import { ResolvedTeam, resolveTeam, teamRoleName } from "../constructs/team/spec";
import { VaultContainer } from "../constructs/vault/docker";
import { DockerEnvironmentConfig } from "../environments/types";
import { serviceContext } from "../environments/validate";
import { namedOutput } from "./named-output";
import { configureStateBackend, StateBackendOptions } from "./state-backend";

export interface DockerStackProps {
  readonly environment: DockerEnvironmentConfig;
  /** @default - the environment's declared state */
  readonly state?: StateBackendOptions;
}

/** @default dockerHost of a Docker environment */
export const DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

/**
 * One environment on a Docker engine: the platform services as containers on
 * one network, from the same specs as the clusters, each left out when its
 * block says `enabled: false`. Argo CD and External Secrets manage clusters
 * and are not part of it.
 */
export class DockerStack extends TerraformStack {
  public readonly environment: DockerEnvironmentConfig;
  public readonly network: Network;
  public readonly vault?: VaultContainer;
  public readonly redis?: RedisSentinelContainers;
  public readonly postgres?: PostgresContainers;
  public readonly kafka?: KafkaContainer;
  public readonly observability?: ObservabilityContainers;

  constructor(scope: Construct, props: DockerStackProps) {
    super(scope, props.environment.name);
    const environment = props.environment;
    const services = environment.services ?? {};
    const enabled = (name: ServiceName) => isEnabled(services, name);
    this.environment = environment;
    configureStateBackend(this, environment, props.state);
    new DockerProvider(this, "docker", { host: environment.dockerHost ?? DEFAULT_DOCKER_HOST });
    new RandomProvider(this, "random");

    this.network = new Network(this, "network", {
      name: engineName(environment.name, "platform"),
      driver: "bridge",
      labels: [{ label: "platform/environment", value: environment.name }],
    });
    const common: DockerServiceProps = {
      environmentName: environment.name,
      network: this.network,
      images: new LocalImages(this, "images", localImages(services.kafka, environment.images)),
    };
    const teams = (environment.teams ?? []).map(resolveTeam);
    // Teams get their databases and Kafka users here too, as on the clusters.
    const postgresSpec = withTeamDatabases(services.postgres, teams);
    const kafkaSpec = withTeamKafka(services.kafka, teams);
    const ports = resolveLocalPorts(environment.ports, resolveRedis(services.redis), resolvePostgres(postgresSpec));

    if (enabled("vault")) this.vault = new VaultContainer(this, "vault", { ...common, spec: services.vault, hostPort: ports.vault });
    if (enabled("redis")) {
      this.redis = new RedisSentinelContainers(this, "redis", {
        ...common,
        spec: services.redis,
        redisPorts: ports.redis,
        sentinelPorts: ports.sentinels,
      });
    }
    if (enabled("postgres")) {
      this.postgres = new PostgresContainers(this, "postgres", { ...common, spec: postgresSpec, hostPorts: ports.postgres });
    }
    if (enabled("kafka")) this.kafka = new KafkaContainer(this, "kafka", { ...common, spec: kafkaSpec, hostPort: ports.kafka });
    if (enabled("observability")) {
      this.observability = new ObservabilityContainers(this, "observability", {
        ...common,
        spec: services.observability,
        context: serviceContext(environment),
        prometheusPort: ports.prometheus,
        grafanaPort: ports.grafana,
        scrapeJobs: [this.vault, this.redis, this.postgres, this.kafka].flatMap((service) => service?.scrapeJobs ?? []),
      });
    }
    this.addOutputs(ports);
    for (const team of teams) this.addTeamOutputs(team, ports);
  }

  /**
   * One output per team with where its services are on the host, and one
   * sensitive output with its passwords: what the team's application needs to
   * run against the laptop's platform.
   */
  private addTeamOutputs(team: ResolvedTeam, ports: ReturnType<typeof resolveLocalPorts>): void {
    const name = team.name.replace(/-/g, "_");
    const connection: Record<string, unknown> = {};
    const credentials: Record<string, unknown> = {};
    const database = team.postgres;
    const cluster = database && this.postgres?.clusters[database.cluster];
    if (database && cluster) {
      const role = teamRoleName(team.name);
      connection.postgres = { host: "127.0.0.1", port: ports.postgres[database.cluster], dbname: database.database, user: role };
      credentials.postgres_password = cluster.passwords[role]?.result;
    }
    const kafkaPassword = this.kafka?.userPasswords[team.name];
    if (team.kafka && kafkaPassword) {
      connection.kafka = {
        bootstrap_servers: `127.0.0.1:${ports.kafka}`,
        user: team.name,
        sasl_mechanism: KAFKA_SASL_MECHANISM,
        security_protocol: "SASL_PLAINTEXT",
      };
      credentials.kafka_password = kafkaPassword.result;
    }
    if (team.redis && this.redis) {
      // One Redis password on the laptop: the clusters give each team its own ACL user.
      connection.redis = {
        sentinels: ports.sentinels.map((port) => `127.0.0.1:${port}`),
        master_name: SENTINEL_MASTER_NAME,
        key_prefix: `${team.name}:`,
      };
      credentials.redis_password = this.redis.password.result;
    }
    namedOutput(this, `team_${name}`, connection, { description: `Where team ${team.name}'s services are on the host` });
    namedOutput(this, `team_${name}_credentials`, credentials, {
      description: `Passwords of team ${team.name}: terraform output -json team_${name}_credentials`,
      sensitive: true,
    });
  }

  /** Host addresses, and the generated passwords as sensitive outputs, under the names the README's commands use. */
  private addOutputs(ports: ReturnType<typeof resolveLocalPorts>): void {
    const output = (name: string, value: unknown, description: string) => namedOutput(this, name, value, { description });
    const secret = (name: string, value: unknown, description: string) => namedOutput(this, name, value, { description, sensitive: true });
    if (this.vault) {
      output("vault_address", `http://127.0.0.1:${ports.vault}`, "Vault API and UI on the host");
      secret("vault_root_token", this.vault.rootToken.result, "Vault root token: terraform output -raw vault_root_token");
    }
    if (this.redis) {
      output(
        "redis_master_address",
        `127.0.0.1:${ports.redis[0]}`,
        "The initial Redis master on the host; after a failover ask a sentinel",
      );
      output(
        "redis_sentinel_addresses",
        ports.sentinels.map((port) => `127.0.0.1:${port}`),
        `Sentinels on the host; the master is named "${SENTINEL_MASTER_NAME}"`,
      );
      secret(
        "redis_password",
        this.redis.password.result,
        "Password of every Redis server and sentinel: terraform output -raw redis_password",
      );
    }
    for (const [cluster, containers] of Object.entries(this.postgres?.clusters ?? {})) {
      const name = cluster.replace(/-/g, "_");
      output(`postgres_${name}_address`, `127.0.0.1:${ports.postgres[cluster]}`, `PostgreSQL cluster ${cluster} on the host`);
      secret(
        `postgres_${name}_passwords`,
        Object.fromEntries(Object.entries(containers.passwords).map(([role, password]) => [role, password.result])),
        `Passwords of cluster ${cluster} by role: terraform output -json postgres_${name}_passwords`,
      );
    }
    if (this.kafka) {
      output(
        "kafka_bootstrap_servers",
        `127.0.0.1:${ports.kafka}`,
        `Kafka bootstrap server on the host (SASL_PLAINTEXT, ${KAFKA_SASL_MECHANISM}, user ${KAFKA_ADMIN_USER})`,
      );
      secret(
        "kafka_admin_password",
        this.kafka.adminPassword.result,
        `Password of the Kafka user ${KAFKA_ADMIN_USER}: terraform output -raw kafka_admin_password`,
      );
    }
    if (this.observability) {
      output("prometheus_url", `http://127.0.0.1:${ports.prometheus}`, "Prometheus on the host");
      output("grafana_url", `http://127.0.0.1:${ports.grafana}`, `Grafana on the host; user ${GRAFANA_ADMIN_USER}`);
      secret(
        "grafana_admin_password",
        this.observability.grafanaAdminPassword.result,
        `Password of the Grafana user ${GRAFANA_ADMIN_USER}: terraform output -raw grafana_admin_password`,
      );
    }
  }
}
