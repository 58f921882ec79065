import { ProblemCollector } from "../environments/problems";
import { EnvironmentConfig } from "../environments/types";
import { validateArgoCd } from "./argocd/spec";
import { serviceContext } from "./common/context";
import { validateExternalSecrets } from "./external-secrets/spec";
import { validateKafka } from "./kafka/spec";
import { validateObservability } from "./observability/spec";
import { validatePostgres } from "./postgres/spec";
import { validateRedis } from "./redis/spec";
import { validateVault } from "./vault/spec";

/** Checks every service block of an environment against its rules, in one pass. */
export function validateServices(environment: EnvironmentConfig, problems: ProblemCollector): void {
  const services = environment.services ?? {};
  const context = serviceContext(environment);
  const at = problems.at("services");
  validateVault(services.vault, context, at.at("vault"));
  validateExternalSecrets(services.externalSecrets, context, at.at("externalSecrets"));
  validateRedis(services.redis, context, at.at("redis"));
  validatePostgres(services.postgres, context, at.at("postgres"));
  validateKafka(services.kafka, context, at.at("kafka"));
  validateArgoCd(services.argocd, context, at.at("argocd"));
  validateObservability(services.observability, context, at.at("observability"));
}
