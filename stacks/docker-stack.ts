import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Network } from "@cdktf/provider-docker/lib/network";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { serviceContext } from "../environments/validate";
import { localImages } from "../constructs/docker/images";
import { LocalImages } from "../constructs/docker/local-images";
import { resolveLocalPorts } from "../constructs/docker/ports";
import { DockerServiceProps, engineName } from "../constructs/docker/service-props";
import { KafkaContainer } from "../constructs/kafka/docker";
import { ObservabilityContainers } from "../constructs/observability/docker";
import { PostgresContainers } from "../constructs/postgres/docker";
import { resolvePostgres } from "../constructs/postgres/spec";
import { RedisSentinelContainers } from "../constructs/redis/docker";
import { resolveRedis } from "../constructs/redis/spec";
import { VaultContainer } from "../constructs/vault/docker";
import { DockerEnvironmentConfig } from "../environments/types";
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
 * one network, from the same specs as the clusters. Argo CD and External
 * Secrets manage clusters and are not part of it.
 */
export class DockerStack extends TerraformStack {
  public readonly environment: DockerEnvironmentConfig;
  public readonly network: Network;
  public readonly vault: VaultContainer;
  public readonly redis: RedisSentinelContainers;
  public readonly postgres: PostgresContainers;
  public readonly kafka: KafkaContainer;
  public readonly observability: ObservabilityContainers;

  constructor(scope: Construct, props: DockerStackProps) {
    super(scope, props.environment.name);
    const environment = props.environment;
    const services = environment.services ?? {};
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
    const ports = resolveLocalPorts(environment.ports, resolveRedis(services.redis), resolvePostgres(services.postgres));

    this.vault = new VaultContainer(this, "vault", { ...common, spec: services.vault, hostPort: ports.vault });
    this.redis = new RedisSentinelContainers(this, "redis", {
      ...common,
      spec: services.redis,
      redisPorts: ports.redis,
      sentinelPorts: ports.sentinels,
    });
    this.postgres = new PostgresContainers(this, "postgres", { ...common, spec: services.postgres, hostPorts: ports.postgres });
    this.kafka = new KafkaContainer(this, "kafka", { ...common, spec: services.kafka, hostPort: ports.kafka });
    this.observability = new ObservabilityContainers(this, "observability", {
      ...common,
      spec: services.observability,
      context: serviceContext(environment),
      prometheusPort: ports.prometheus,
      grafanaPort: ports.grafana,
      scrapeJobs: [...this.vault.scrapeJobs, ...this.redis.scrapeJobs, ...this.postgres.scrapeJobs, ...this.kafka.scrapeJobs],
    });
  }
}
