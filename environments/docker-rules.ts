import { ProblemCollector } from "../core/problems";
import { DockerEnvironmentConfig } from "./types";
import { resolveKafka } from "../constructs/kafka/spec";
import { resolvePostgres } from "../constructs/postgres/spec";
import { resolveRedis } from "../constructs/redis/spec";
import { resolveVault } from "../constructs/vault/spec";
import { localImages, validateLocalImages } from "../constructs/docker/images";
import { validateLocalPorts } from "../constructs/docker/ports";

/**
 * Rules of an environment on a Docker engine, beside the services' own: host
 * ports, pinned images, and the sizes one engine honestly runs (a spec that
 * asks for three Vault voters must not silently get one).
 */
export function validateDockerEnvironment(config: DockerEnvironmentConfig, problems: ProblemCollector): void {
  const services = config.services ?? {};
  const redis = resolveRedis(services.redis);
  const postgres = resolvePostgres(services.postgres);
  validateLocalPorts(config.ports, redis, postgres, problems.at("ports"));
  validateLocalImages(localImages(services.kafka, config.images), problems.at("images"));

  const vault = resolveVault(services.vault);
  problems.check(
    vault.replicas === 1,
    "services.vault.replicas",
    "a Docker environment runs one Vault server, in dev mode",
    vault.replicas,
    "set services.vault.replicas: 1",
  );
  const instances = postgres.clusters.map((cluster) => cluster.instances);
  problems.check(
    instances.every((count) => count === 1),
    "services.postgres.instances",
    "a Docker environment runs one PostgreSQL container per cluster",
    instances,
    "set services.postgres.instances: 1 (and no per-cluster instances)",
  );
  for (const service of ["argocd", "externalSecrets"] as const) {
    problems.check(
      services[service] === undefined,
      `services.${service}`,
      `${service === "argocd" ? "Argo CD" : "External Secrets"} manages Kubernetes clusters; a Docker environment has none`,
      service,
      `remove services.${service} from this environment`,
    );
  }
  const kafka = resolveKafka(services.kafka);
  problems.check(
    kafka.combinedRoles && kafka.controllers === 1,
    "services.kafka",
    "a Docker environment runs one Kafka node that is broker and controller",
    { controllers: kafka.controllers, combinedRoles: kafka.combinedRoles },
    "set controllers: 1, combinedRoles: true, replicationFactor: 1, minInsyncReplicas: 1",
  );
}
