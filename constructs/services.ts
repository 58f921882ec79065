import { ProblemCollector } from "../core/problems";
import { ServiceContext } from "../core/service-context";
import { ArgoCdSpec, validateArgoCd } from "./argocd/spec";
import { ExternalSecretsSpec, validateExternalSecrets } from "./external-secrets/spec";
import { KafkaSpec, validateKafka } from "./kafka/spec";
import { ObservabilitySpec, validateObservability } from "./observability/spec";
import { PostgresSpec, validatePostgres } from "./postgres/spec";
import { RedisSpec, validateRedis } from "./redis/spec";
import { VaultSpec, validateVault } from "./vault/spec";

/**
 * Sizing of the platform services. Each block is optional; an absent block
 * means the service's documented defaults (Argo CD: not installed).
 */
export interface PlatformServicesConfig {
  readonly vault?: VaultSpec;
  readonly externalSecrets?: ExternalSecretsSpec;
  readonly redis?: RedisSpec;
  readonly postgres?: PostgresSpec;
  readonly kafka?: KafkaSpec;
  readonly argocd?: ArgoCdSpec;
  readonly observability?: ObservabilitySpec;
}

/** Checks every service block against its rules, in one pass; problems are recorded under `services.<name>`. */
export function validateServices(services: PlatformServicesConfig, context: ServiceContext, problems: ProblemCollector): void {
  const at = problems.at("services");
  validateVault(services.vault, context, at.at("vault"));
  validateExternalSecrets(services.externalSecrets, context, at.at("externalSecrets"));
  validateRedis(services.redis, context, at.at("redis"));
  validatePostgres(services.postgres, context, at.at("postgres"));
  validateKafka(services.kafka, context, at.at("kafka"));
  validateArgoCd(services.argocd, context, at.at("argocd"));
  validateObservability(services.observability, context, at.at("observability"));
}
