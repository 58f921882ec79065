import { EnvironmentTier } from "../core/tiers";
import { ARGOCD_RESOURCES } from "./argocd/values";
import { ResourceRequirements } from "./common/sizing";
import { EXTERNAL_SECRETS_RESOURCES } from "./external-secrets/sizing";
import { CONTROLLER_RESOURCES, ENTITY_OPERATOR_RESOURCES, KAFKA_EXPORTER_RESOURCES, STRIMZI_OPERATOR_RESOURCES } from "./kafka/resources";
import { KafkaSpec, resolveKafka } from "./kafka/spec";
import { ObservabilityResources, observabilityResources } from "./observability/sizing";
import { BARMAN_PLUGIN_RESOURCES, BARMAN_SIDECAR_RESOURCES, CNPG_OPERATOR_RESOURCES, PostgresSpec, resolvePostgres } from "./postgres/spec";
import { REDIS_EXPORTER_RESOURCES, REDIS_SENTINEL_RESOURCES, RedisSpec, resolveRedis } from "./redis/spec";
import { isEnabled, PlatformServicesConfig, ServiceName, specOf } from "./services";
import { VAULT_INJECTOR_RESOURCES } from "./vault/sizing";
import { resolveVault, VaultSpec } from "./vault/spec";

/** Where an environment sets a container's size, if it does. */
export type ContainerSizing =
  /** The service's `resources` field: requests and limits are reported at their own paths. */
  | { readonly kind: "resources"; readonly path: string }
  /** A field the size is derived from, such as Redis' maxMemory, when `resources` is not set. */
  | { readonly kind: "derived"; readonly path: string; readonly value: string; readonly how: string }
  /** A size the platform fixes: only the pool's flavor can make room for it. */
  | { readonly kind: "fixed" };

/** A container of a platform service on the system pool, with the size the platform gives it. */
export interface SizedContainer {
  readonly service: ServiceName;
  /** What runs in it, for messages: "the Redis servers", "Kafka's controllers". */
  readonly title: string;
  readonly resources: ResourceRequirements;
  readonly sizing: ContainerSizing;
}

const FIXED: ContainerSizing = { kind: "fixed" };

/**
 * Every container the enabled services run on a Kubernetes cluster's system pool whose size the
 * platform sets: each service's `resources` (or what they are derived from), and the sizes that
 * come with a service. A size set through a service's chart `values` is not seen here.
 */
export function platformContainers(services: PlatformServicesConfig, tier: EnvironmentTier): SizedContainer[] {
  const containers: SizedContainer[] = [];
  const add = (service: ServiceName, title: string, resources: ResourceRequirements, sizing: ContainerSizing = FIXED) =>
    containers.push({ service, title, resources, sizing });
  const configured = (service: ServiceName) => ({ kind: "resources", path: `services.${service}.resources` }) as const;

  if (isEnabled(services, "vault")) {
    const vault = resolveVault(specOf<VaultSpec>(services.vault));
    add("vault", "the Vault servers", vault.resources, configured("vault"));
    if (vault.injector) add("vault", "Vault's agent injector", VAULT_INJECTOR_RESOURCES);
  }
  if (isEnabled(services, "externalSecrets")) add("externalSecrets", "the External Secrets operator", EXTERNAL_SECRETS_RESOURCES);
  if (isEnabled(services, "redis")) {
    const spec = specOf<RedisSpec>(services.redis);
    const redis = resolveRedis(spec);
    add(
      "redis",
      "the Redis servers",
      redis.resources,
      spec?.resources === undefined
        ? { kind: "derived", path: "services.redis.maxMemory", value: redis.maxMemory, how: "half again above maxmemory" }
        : configured("redis"),
    );
    add("redis", "the sentinels", REDIS_SENTINEL_RESOURCES);
    add("redis", "the Redis exporters", REDIS_EXPORTER_RESOURCES);
  }
  if (isEnabled(services, "postgres")) {
    const postgres = resolvePostgres(specOf<PostgresSpec>(services.postgres));
    add("postgres", "the PostgreSQL instances", postgres.resources, configured("postgres"));
    add("postgres", "the CloudNativePG operator", CNPG_OPERATOR_RESOURCES);
    if (postgres.backup) {
      add("postgres", "the Barman Cloud plugin", BARMAN_PLUGIN_RESOURCES);
      add("postgres", "the Barman Cloud sidecars", BARMAN_SIDECAR_RESOURCES);
    }
  }
  if (isEnabled(services, "kafka")) {
    const kafka = resolveKafka(specOf<KafkaSpec>(services.kafka));
    add("kafka", kafka.combinedRoles ? "the Kafka nodes" : "the Kafka brokers", kafka.resources, configured("kafka"));
    if (!kafka.combinedRoles) add("kafka", "the KRaft controllers", CONTROLLER_RESOURCES);
    add("kafka", "the topic and user operators", ENTITY_OPERATOR_RESOURCES);
    add("kafka", "the Kafka exporter", KAFKA_EXPORTER_RESOURCES);
    add("kafka", "the Strimzi operator", STRIMZI_OPERATOR_RESOURCES);
  }
  if (isEnabled(services, "argocd")) {
    for (const [component, resources] of Object.entries(ARGOCD_RESOURCES)) add("argocd", `Argo CD's ${words(component)}`, resources);
  }
  if (isEnabled(services, "observability")) {
    for (const [component, resources] of Object.entries(observabilityResources(tier))) {
      add("observability", OBSERVABILITY_TITLES[component as keyof ObservabilityResources], resources);
    }
  }
  return containers;
}

const OBSERVABILITY_TITLES: Readonly<Record<keyof ObservabilityResources, string>> = {
  prometheus: "Prometheus",
  alertmanager: "Alertmanager",
  prometheusOperator: "the Prometheus Operator",
  configReloader: "Prometheus' config reloader",
  kubeStateMetrics: "kube-state-metrics",
  nodeExporter: "node-exporter",
  grafana: "Grafana",
  grafanaSidecar: "Grafana's sidecars",
  loki: "Loki",
  tempo: "Tempo",
  collector: "the OpenTelemetry collector",
  job: "the admission webhook jobs",
};

/** "repoServer" → "repo server". */
function words(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
}
