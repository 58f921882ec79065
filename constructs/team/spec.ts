import * as v from "valibot";
import { isDns1123Label, isDns1123Subdomain } from "../../core/formats";
import { ProblemCollector } from "../../core/problems";
import { checkStructure, schemaOf } from "../../core/schema";
import { ServiceContext } from "../../core/service-context";
import { GitSourceSpec } from "../argocd/spec";
import { cpuCores, memoryBytes } from "../../core/quantities";
import {
  RESOURCES_SCHEMA,
  ResourceRequirements,
  byteQuantityProblem,
  containerMemoryRule,
  cpuQuantityProblem,
  resources,
  validateResources,
  volumeRule,
} from "../common/sizing";
import { KAFKA_TOPIC_SCHEMA, KafkaTopicSpec } from "../kafka/spec";

/**
 * An application team on the platform: its namespaces, what it may use of
 * the cluster, its Argo CD project, and the platform services it uses, each
 * wired with credentials delivered into its namespaces (never through
 * Terraform). One declaration per environment; share the definition and size
 * it per environment.
 */
export interface TeamSpec {
  /**
   * The team's name, a DNS-1123 label: it names the team's first namespace,
   * its Argo CD project, its PostgreSQL role, its Kafka user and its Vault role.
   */
  readonly name: string;
  /** Namespaces the team deploys into. @default - one, named after the team */
  readonly namespaces?: readonly string[];
  /** What the team's pods may use in each of its namespaces, sized per environment. */
  readonly quota: TeamQuotaSpec;
  /**
   * Requests and memory limit a container gets when it declares none (a
   * LimitRange), so that it still fits the quota, which counts both.
   * @default 100m CPU, 128Mi memory requested, 512Mi memory limit
   */
  readonly containerDefaults?: ResourceRequirements;
  /** Argo CD syncs this repository path into the team's namespaces. @default - no Application */
  readonly repository?: GitSourceSpec;
  /** A database owned by the team's role in a PostgreSQL cluster. @default - none */
  readonly postgres?: TeamPostgresSpec;
  /** Kafka topics the team owns and reads, as one Kafka user. @default - none */
  readonly kafka?: TeamKafkaSpec;
  /** Access to the shared Redis Sentinel deployment, keys under `<team>:`. @default false */
  readonly redis?: boolean;
  /**
   * A Vault KV prefix `teams/<team>/` the team reads (and writes below
   * `teams/<team>/app/`), a SecretStore in each namespace to pull from it, and
   * a Kubernetes-auth role for these service accounts of the team's namespaces.
   * @default - the prefix and the SecretStore; no application service account
   */
  readonly vault?: TeamVaultSpec;
  /** Ports Prometheus may scrape in the team's namespaces. @default [] */
  readonly metricsPorts?: readonly number[];
}

/** Limits of one team namespace (a ResourceQuota). */
export interface TeamQuotaSpec {
  /** CPU all pods of the namespace may request together, e.g. `4` or `2500m`. */
  readonly cpu: string;
  /** Memory all pods of the namespace may request, and be limited to, together, e.g. `8Gi`. */
  readonly memory: string;
  /** @default 50 */
  readonly pods?: number;
  /** Persistent volume storage all claims of the namespace may request. @default "10Gi" */
  readonly storage?: string;
  /** @default 10 */
  readonly persistentVolumeClaims?: number;
}

export interface TeamPostgresSpec {
  /** The cluster (services.postgres.clusters[].name) that holds the database. */
  readonly cluster: string;
  /** @default - the team's name, `-` as `_` */
  readonly database?: string;
}

export interface TeamKafkaSpec {
  /** Topics the team creates and may do anything with. @default [] */
  readonly owns?: readonly KafkaTopicSpec[];
  /** Topics the team reads: declared topics, or a prefix ending in `*`. @default [] */
  readonly reads?: readonly string[];
  /** Consumer groups the team may join start with this. @default "<team>-" */
  readonly consumerGroupPrefix?: string;
}

export interface TeamVaultSpec {
  /** Service accounts of the team's namespaces that may log in with the team's Vault role. @default [] */
  readonly serviceAccounts?: readonly string[];
}

export const TEAM_QUOTA_DEFAULTS = { pods: 50, storage: "10Gi", persistentVolumeClaims: 10 } as const;
export const TEAM_CONTAINER_DEFAULTS: ResourceRequirements = { ...resources("100m", "128Mi"), limits: { memory: "512Mi" } };

export interface ResolvedTeam {
  readonly name: string;
  readonly namespaces: readonly string[];
  readonly quota: Required<TeamQuotaSpec>;
  readonly containerDefaults: ResourceRequirements;
  readonly repository?: GitSourceSpec;
  readonly postgres?: Required<TeamPostgresSpec>;
  readonly kafka?: Required<TeamKafkaSpec>;
  readonly redis: boolean;
  readonly vault: Required<TeamVaultSpec>;
  readonly metricsPorts: readonly number[];
}

/** PostgreSQL role and database names: letters, digits and `_`. */
export function teamRoleName(team: string): string {
  return team.replace(/-/g, "_");
}

export function resolveTeam(spec: TeamSpec): ResolvedTeam {
  return {
    name: spec.name,
    namespaces: spec.namespaces ?? [spec.name],
    quota: { ...TEAM_QUOTA_DEFAULTS, ...withoutUndefined(spec.quota) },
    containerDefaults: spec.containerDefaults ?? TEAM_CONTAINER_DEFAULTS,
    repository: spec.repository,
    postgres: spec.postgres && { cluster: spec.postgres.cluster, database: spec.postgres.database ?? teamRoleName(spec.name) },
    kafka: spec.kafka && {
      owns: spec.kafka.owns ?? [],
      reads: spec.kafka.reads ?? [],
      consumerGroupPrefix: spec.kafka.consumerGroupPrefix ?? `${spec.name}-`,
    },
    redis: spec.redis ?? false,
    vault: { serviceAccounts: spec.vault?.serviceAccounts ?? [] },
    metricsPorts: spec.metricsPorts ?? [],
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

/** The shape of a TeamSpec, checked before its values. */
export const TEAM_SCHEMA = schemaOf<TeamSpec>()(
  v.strictObject({
    name: v.string(),
    namespaces: v.optional(v.array(v.string())),
    quota: schemaOf<TeamQuotaSpec>()(
      v.strictObject({
        cpu: v.string(),
        memory: v.string(),
        pods: v.optional(v.number()),
        storage: v.optional(v.string()),
        persistentVolumeClaims: v.optional(v.number()),
      }),
    ),
    containerDefaults: v.optional(RESOURCES_SCHEMA),
    repository: v.optional(v.strictObject({ repoUrl: v.string(), path: v.string(), targetRevision: v.optional(v.string()) })),
    postgres: v.optional(schemaOf<TeamPostgresSpec>()(v.strictObject({ cluster: v.string(), database: v.optional(v.string()) }))),
    kafka: v.optional(
      schemaOf<TeamKafkaSpec>()(
        v.strictObject({
          owns: v.optional(v.array(KAFKA_TOPIC_SCHEMA)),
          reads: v.optional(v.array(v.string())),
          consumerGroupPrefix: v.optional(v.string()),
        }),
      ),
    ),
    redis: v.optional(v.boolean()),
    vault: v.optional(schemaOf<TeamVaultSpec>()(v.strictObject({ serviceAccounts: v.optional(v.array(v.string())) }))),
    metricsPorts: v.optional(v.array(v.number())),
  }),
);

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A team's own fields; what it names elsewhere is checked by validateTeams. */
export function validateTeam(spec: TeamSpec, _context: ServiceContext, problems: ProblemCollector): void {
  if (!checkStructure(TEAM_SCHEMA, spec, problems)) return;
  const team = resolveTeam(spec);
  problems.check(
    isDns1123Label(team.name) && !/^[0-9]/.test(team.name),
    "name",
    "team name is not a DNS-1123 label starting with a letter",
    team.name,
    "use lowercase letters, digits and '-', e.g. identity",
  );
  problems.check(
    team.namespaces.length > 0,
    "namespaces",
    "a team needs a namespace",
    team.namespaces,
    `leave namespaces out for one named ${team.name}`,
  );
  const seen = new Set<string>();
  team.namespaces.forEach((namespace, index) => {
    problems.check(
      isDns1123Label(namespace),
      `namespaces[${index}]`,
      "namespace name is not a DNS-1123 label",
      namespace,
      "use at most 63 lowercase letters, digits and '-'",
    );
    problems.check(!seen.has(namespace), `namespaces[${index}]`, "namespace is listed twice", namespace, "list each namespace once");
    seen.add(namespace);
  });
  const quota = problems.at("quota");
  validateQuotaQuantities(team, quota);
  for (const field of ["pods", "persistentVolumeClaims"] as const) {
    quota.check(
      Number.isInteger(team.quota[field]) && team.quota[field] >= 0,
      field,
      `${field} must be a whole number`,
      team.quota[field],
      "use e.g. 10",
    );
  }
  validateResources(team.containerDefaults, problems.at("containerDefaults"));
  // A database named after the team is checked through the team's name.
  if (team.postgres && spec.postgres?.database !== undefined) {
    problems.check(
      ROLE_NAME.test(team.postgres.database),
      "postgres.database",
      "database name is not a plain PostgreSQL identifier",
      team.postgres.database,
      "use lowercase letters, digits and '_', starting with a letter",
    );
  }
  team.metricsPorts.forEach((port, index) =>
    problems.check(
      Number.isInteger(port) && port >= 1 && port <= 65535,
      `metricsPorts[${index}]`,
      "not a port number",
      port,
      "use 1 to 65535",
    ),
  );
  team.vault.serviceAccounts.forEach((account, index) =>
    problems.check(
      isDns1123Subdomain(account),
      `vault.serviceAccounts[${index}]`,
      "service account name is not allowed",
      account,
      "use lowercase letters, digits, '-' and '.'",
    ),
  );
  if (team.repository) {
    problems.check(
      /^(https:\/\/|ssh:\/\/|git@)[^\s]+$/.test(team.repository.repoUrl),
      "repository.repoUrl",
      "repository is not an https or ssh Git URL",
      team.repository.repoUrl,
      "use e.g. https://github.com/acme/identity.git",
    );
    problems.check(
      team.repository.path !== "" && !team.repository.path.startsWith("/") && !team.repository.path.includes(".."),
      "repository.path",
      "path must be a relative directory inside the repository",
      team.repository.path,
      "e.g. deploy/dev",
    );
  }
}

/**
 * The quota's CPU, memory and storage are quantities in their units (storage "0" for none), and
 * the quota holds at least one container of the team's LimitRange defaults: a smaller one admits
 * no pod that leaves its resources to the defaults.
 */
function validateQuotaQuantities(team: ResolvedTeam, quota: ProblemCollector): void {
  const { cpu, memory, storage } = team.quota;
  const cpuProblem = cpuQuantityProblem(cpu, "CPU quota");
  if (cpuProblem !== undefined) quota.add("cpu", cpuProblem.message, cpu, cpuProblem.fix);
  const memoryProblem = byteQuantityProblem(memory, containerMemoryRule("memory quota"));
  if (memoryProblem !== undefined) quota.add("memory", memoryProblem.message, memory, memoryProblem.fix);
  const storageProblem = storage === "0" ? undefined : byteQuantityProblem(storage, volumeRule("storage quota"));
  if (storageProblem !== undefined) quota.add("storage", storageProblem.message, storage, `${storageProblem.fix}, or "0" for none`);

  const defaults = team.containerDefaults;
  const [quotaCpu, defaultCpu] = [cpuCores(cpu), cpuCores(defaults.requests.cpu)];
  if (cpuProblem === undefined && quotaCpu !== undefined && defaultCpu !== undefined && quotaCpu < defaultCpu) {
    quota.add(
      "cpu",
      `the quota cannot hold one container of the team's defaults, which requests ${defaults.requests.cpu} CPU`,
      cpu,
      `raise it to ${defaults.requests.cpu} or more, or lower containerDefaults.requests.cpu`,
    );
  }
  const [quotaMemory, defaultMemory] = [memoryBytes(memory), memoryBytes(defaults.limits.memory)];
  if (memoryProblem === undefined && quotaMemory !== undefined && defaultMemory !== undefined && quotaMemory < defaultMemory) {
    quota.add(
      "memory",
      `the quota cannot hold one container of the team's defaults, whose memory limit is ${defaults.limits.memory}`,
      memory,
      `raise it to ${defaults.limits.memory} or more, or lower containerDefaults.limits.memory`,
    );
  }
}
