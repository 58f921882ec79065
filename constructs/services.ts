import { ProblemCollector } from "../core/problems";
import { ServiceContext } from "../core/service-context";
import { ArgoCdSpec, validateArgoCd } from "./argocd/spec";
import { CertManagerSpec, validateCertManager } from "./cert-manager/spec";
import { ExternalSecretsSpec, validateExternalSecrets } from "./external-secrets/spec";
import { KafkaSpec, validateKafka } from "./kafka/spec";
import { ObservabilitySpec, validateObservability } from "./observability/spec";
import { PostgresSpec, resolvePostgres, validatePostgres } from "./postgres/spec";
import { RedisSpec, validateRedis } from "./redis/spec";
import { VaultSpec, validateVault } from "./vault/spec";

/** A service block of an environment: the service's spec, and whether it is installed at all. */
export type Toggled<Spec> = Spec & {
  /**
   * Install the service. Services that need a disabled one are reported at
   * synth; those that merely use it (monitors, the Vault secret store) go without.
   * @default true (Argo CD: installed when its block is present)
   */
  readonly enabled?: boolean;
};

/**
 * The platform services of an environment. Each block is optional; an absent
 * block means the service at its documented defaults (Argo CD: not installed).
 */
export interface PlatformServicesConfig {
  readonly certManager?: Toggled<CertManagerSpec>;
  readonly vault?: Toggled<VaultSpec>;
  readonly externalSecrets?: Toggled<ExternalSecretsSpec>;
  readonly redis?: Toggled<RedisSpec>;
  readonly postgres?: Toggled<PostgresSpec>;
  readonly kafka?: Toggled<KafkaSpec>;
  readonly argocd?: Toggled<ArgoCdSpec>;
  readonly observability?: Toggled<ObservabilitySpec>;
}

export type ServiceName = keyof PlatformServicesConfig;

/** Readable names, for messages. */
export const SERVICE_TITLES: Readonly<Record<ServiceName, string>> = {
  certManager: "cert-manager",
  vault: "Vault",
  externalSecrets: "External Secrets",
  redis: "Redis",
  postgres: "PostgreSQL",
  kafka: "Kafka",
  argocd: "Argo CD",
  observability: "Observability",
};

/**
 * Namespaces the platform services create on a cluster (their defaults), and
 * so no team may take. A test checks this list against a synthesized stack.
 */
export const PLATFORM_NAMESPACES: readonly string[] = [
  "cert-manager",
  "vault",
  "external-secrets",
  "redis",
  "cnpg-system",
  "postgres",
  "kafka",
  "argocd",
  "observability",
  "node-exporter",
];

/** Services a Docker environment runs; the others manage Kubernetes clusters. */
export const DOCKER_SERVICES: readonly ServiceName[] = ["vault", "redis", "postgres", "kafka", "observability"];

/** Whether an environment installs a service. */
export function isEnabled(services: PlatformServicesConfig, name: ServiceName): boolean {
  const block = services[name];
  if (name === "argocd") return block !== undefined && block.enabled !== false;
  return block?.enabled !== false;
}

/** A service block's own spec, without the environment's `enabled`. */
export function specOf<Spec>(block: Toggled<Spec> | undefined): Spec | undefined {
  if (block === undefined) return undefined;
  const { enabled: _enabled, ...rest } = block;
  return rest as Spec;
}

/** A key the platform's ExternalSecrets read from Vault's KV mount, through the ClusterSecretStore. */
export interface VaultSecretReference {
  /** The key below the mount, as the ExternalSecret's `remoteRef.key` names it, e.g. `postgres/backup-s3`. */
  readonly key: string;
  /** The environment field it comes from. */
  readonly field: string;
}

/**
 * Every key the platform's ExternalSecrets read from Vault, derived from the
 * service specs (today: PostgreSQL's backup credentials), sorted and once
 * each. External Secrets' Vault policy allows reading exactly these.
 */
export function vaultSecretReferences(services: PlatformServicesConfig): VaultSecretReference[] {
  const references: VaultSecretReference[] = [];
  if (isEnabled(services, "postgres")) {
    const postgres = resolvePostgres(specOf(services.postgres));
    if (postgres.backup)
      references.push({ key: postgres.backup.credentialsVaultPath, field: "services.postgres.backup.credentialsVaultPath" });
    postgres.clusters.forEach((cluster, index) => {
      // A clone reads its source's backups with a read-only key of its own.
      const key = cluster.cloneFrom?.credentialsVaultPath;
      if (key !== undefined) references.push({ key, field: `services.postgres.clusters[${index}].cloneFrom.credentialsVaultPath` });
    });
  }
  const byKey = new Map<string, VaultSecretReference>();
  for (const reference of references) if (!byKey.has(reference.key)) byKey.set(reference.key, reference);
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** A service that cannot work without another one, and why. */
interface Requirement {
  readonly service: ServiceName;
  readonly needs: ServiceName;
  /** Why, completing "<service> needs <needs> …". */
  readonly because: string;
  /** Only when this holds, e.g. only with backups. @default - always */
  readonly when?: (services: PlatformServicesConfig) => boolean;
}

/** What needs what on Kubernetes. Monitoring is not here: services without Prometheus go unmonitored. */
const REQUIREMENTS: readonly Requirement[] = [
  { service: "vault", needs: "certManager", because: "to issue the certificate of its TLS listener inside the cluster" },
  { service: "redis", needs: "externalSecrets", because: "to generate its passwords in the cluster" },
  { service: "postgres", needs: "externalSecrets", because: "to generate its owners' passwords in the cluster" },
  {
    service: "postgres",
    needs: "certManager",
    because: "for the TLS between CloudNativePG and the Barman Cloud plugin that takes its backups (services.postgres.backup)",
    when: (services) => services.postgres?.backup !== undefined,
  },
  {
    service: "postgres",
    needs: "vault",
    because: "for the object-storage credentials of its backups (services.postgres.backup)",
    when: (services) => services.postgres?.backup !== undefined,
  },
  { service: "observability", needs: "externalSecrets", because: "to generate Grafana's admin password in the cluster" },
];

/** Checks every service block against its rules, in one pass; problems are recorded under `services.<name>`. */
export function validateServices(services: PlatformServicesConfig, context: ServiceContext, problems: ProblemCollector): void {
  const at = problems.at("services");
  const enabled = (name: ServiceName) => isEnabled(services, name);
  // Each validation checks its spec's shape too; `enabled` is the environment's, not the spec's.
  const spec = specOf;
  if (enabled("certManager")) validateCertManager(spec(services.certManager), context, at.at("certManager"));
  if (enabled("vault")) validateVault(spec(services.vault), context, at.at("vault"));
  if (enabled("externalSecrets")) validateExternalSecrets(spec(services.externalSecrets), context, at.at("externalSecrets"));
  if (enabled("redis")) validateRedis(spec(services.redis), context, at.at("redis"));
  if (enabled("postgres")) validatePostgres(spec(services.postgres), context, at.at("postgres"));
  if (enabled("kafka")) validateKafka(spec(services.kafka), context, at.at("kafka"));
  if (enabled("argocd")) validateArgoCd(spec(services.argocd), context, at.at("argocd"));
  if (enabled("observability")) validateObservability(spec(services.observability), context, at.at("observability"));
  if (context.target !== "kubernetes") return;
  for (const requirement of REQUIREMENTS) {
    if (!enabled(requirement.service) || enabled(requirement.needs)) continue;
    if (requirement.when && !requirement.when(services)) continue;
    at.at(requirement.needs).add(
      "enabled",
      `${SERVICE_TITLES[requirement.service]} needs ${SERVICE_TITLES[requirement.needs]} ${requirement.because}`,
      false,
      `enable ${SERVICE_TITLES[requirement.needs]}, or set services.${requirement.service}.enabled: false too`,
    );
  }
}
