import { ProblemCollector } from "../core/problems";
import { localImages, validateLocalImages } from "../constructs/docker/images";
import { validateLocalPorts } from "../constructs/docker/ports";
import { resolveKafka } from "../constructs/kafka/spec";
import { resolvePostgres } from "../constructs/postgres/spec";
import { resolveRedis } from "../constructs/redis/spec";
import { DOCKER_SERVICES, isEnabled, SERVICE_TITLES, ServiceName } from "../constructs/services";
import { resolveVault } from "../constructs/vault/spec";
import { DockerEnvironmentConfig } from "./types";

/**
 * Rules of an environment on a Docker engine, beside the services' own: host
 * ports, pinned images, and the sizes one engine honestly runs (a spec that
 * asks for three Vault voters must not silently get one).
 */
export function validateDockerEnvironment(config: DockerEnvironmentConfig, problems: ProblemCollector): void {
  const services = config.services ?? {};
  const enabled = (name: ServiceName) => isEnabled(services, name);
  const redis = resolveRedis(services.redis);
  const postgres = resolvePostgres(services.postgres);
  validateLocalPorts(config.ports, redis, postgres, problems.at("ports"));
  validateLocalImages(localImages(services.kafka, config.images), problems.at("images"));

  if (enabled("vault")) {
    const vault = resolveVault(services.vault);
    problems.check(
      vault.replicas === 1,
      "services.vault.replicas",
      "a Docker environment runs one Vault server, in dev mode",
      vault.replicas,
      "set services.vault.replicas: 1",
    );
    problems.check(
      services.vault?.tls === undefined,
      "services.vault.tls",
      "a Docker environment runs Vault in dev mode over HTTP on 127.0.0.1, with no certificate to size",
      services.vault?.tls,
      "remove services.vault.tls from this environment",
    );
    problems.check(
      vault.seal.kind === "shamir",
      "services.vault.seal",
      "a Docker environment runs Vault in dev mode, unsealed at start: no seal applies",
      vault.seal.kind,
      "remove services.vault.seal from this environment",
    );
  }
  if (enabled("postgres")) {
    const instances = postgres.clusters.map((cluster) => cluster.instances);
    problems.check(
      instances.every((count) => count === 1),
      "services.postgres.instances",
      "a Docker environment runs one PostgreSQL container per cluster",
      instances,
      "set services.postgres.instances: 1, and no per-cluster instances",
    );
  }
  for (const service of ["argocd", "externalSecrets", "certManager"] as const) {
    problems.check(
      services[service] === undefined || services[service]?.enabled === false,
      `services.${service}`,
      `${SERVICE_TITLES[service]} manages Kubernetes clusters; a Docker environment has none`,
      service,
      `remove services.${service} from this environment`,
    );
  }
  for (const service of DOCKER_SERVICES) {
    const values: unknown = (services[service] as { values?: unknown } | undefined)?.values;
    problems.check(
      values === undefined,
      `services.${service}.values`,
      "values override Helm releases; a Docker environment runs containers",
      values,
      "remove values here; the containers are configured by the service's typed fields",
    );
  }
  if (enabled("kafka")) {
    const kafka = resolveKafka(services.kafka);
    problems.check(
      kafka.combinedRoles && kafka.controllers === 1,
      "services.kafka",
      "a Docker environment runs one Kafka node that is broker and controller",
      { controllers: kafka.controllers, combinedRoles: kafka.combinedRoles },
      "set controllers: 1, combinedRoles: true, replicationFactor: 1, minInsyncReplicas: 1",
    );
  }
}
