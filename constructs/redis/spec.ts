import { majorityOf, sentinelProblem } from "../../core/ha-rules";
import { ProblemCollector } from "../../core/problems";
import { ServiceContext } from "../../core/service-context";
import { withDefaults } from "../common/defaults";
import { checkHelmValues } from "../helm/check-values";
import { HelmValues } from "../helm/merge-values";
import { ResourceRequirements, StorageSpec, resources, validateResources, validateStorage } from "../common/sizing";
import * as v from "valibot";
import { checkStructure, opaque, schemaOf, stringOf } from "../../core/schema";
import { RESOURCES_SCHEMA, STORAGE_SCHEMA } from "../common/sizing";

/** Eviction policies Redis accepts for `maxmemory-policy`. */
export const REDIS_EVICTION_POLICIES = [
  "noeviction",
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
] as const;
export type RedisEvictionPolicy = (typeof REDIS_EVICTION_POLICIES)[number];

/** Redis with Sentinel: one master, replicas, and sentinels that elect a new master. */
export interface RedisSpec {
  /** Redis servers, the master included. @default 3 */
  readonly replicas?: number;
  /**
   * Sentinels. A failover needs a majority of them, so 3 is the minimum. On
   * Kubernetes (redis-ha chart) each Redis pod runs one sentinel: equal to `replicas`.
   * @default 3
   */
  readonly sentinels?: number;
  /** Sentinels that must agree a master is down. @default - a majority of `sentinels` */
  readonly quorum?: number;
  /** `maxmemory`, in Redis units. @default "512mb" */
  readonly maxMemory?: string;
  /** @default "allkeys-lru" */
  readonly evictionPolicy?: RedisEvictionPolicy;
  /**
   * `min-replicas-to-write`: the master refuses writes unless this many
   * replicas are connected, bounding what a failover can lose.
   * @default 1
   */
  readonly minReplicasToWrite?: number;
  /** `min-replicas-max-lag`, seconds. @default 10 */
  readonly minReplicasMaxLagSeconds?: number;
  /** Data volume per Redis server (AOF and RDB). @default { size: "10Gi" } */
  readonly storage?: StorageSpec;
  /** Redis container resources. @default 100m CPU, memory = maxMemory + 50% */
  readonly resources?: ResourceRequirements;
  /** Values of the redis-ha chart merged over the platform's, last. @default - none */
  readonly values?: HelmValues;
}

export type ResolvedRedisSpec = Required<RedisSpec>;

export const REDIS_DEFAULTS: Omit<ResolvedRedisSpec, "quorum" | "resources"> = {
  replicas: 3,
  sentinels: 3,
  maxMemory: "512mb",
  evictionPolicy: "allkeys-lru",
  minReplicasToWrite: 1,
  minReplicasMaxLagSeconds: 10,
  storage: { size: "10Gi" },
  values: {},
};

/** Each sentinel's container, beside each Redis server. */
export const REDIS_SENTINEL_RESOURCES: ResourceRequirements = resources("20m", "64Mi");
/** The redis_exporter sidecar. */
export const REDIS_EXPORTER_RESOURCES: ResourceRequirements = resources("20m", "64Mi");

export function resolveRedis(spec?: RedisSpec): ResolvedRedisSpec {
  const base = withDefaults<RedisSpec>({ ...REDIS_DEFAULTS, quorum: 0, resources: resources("100m", "1Gi") }, spec);
  return {
    ...base,
    quorum: spec?.quorum ?? majorityOf(base.sentinels),
    resources: spec?.resources ?? resources("100m", containerMemoryFor(base.maxMemory)),
  };
}

/** maxmemory plus half again for fork-time copy-on-write and buffers; 1Gi when maxmemory is malformed (validation reports it). */
function containerMemoryFor(maxMemory: string): string {
  const bytes = redisMemoryBytes(maxMemory);
  return bytes === undefined ? "1Gi" : `${Math.ceil((bytes * 1.5) / 2 ** 20)}Mi`;
}

/** Bytes of a Redis memory value (`512mb`, `1gb`, `100000`), or undefined when malformed. */
export function redisMemoryBytes(value: string): number | undefined {
  const match = /^([1-9][0-9]*)(b|k|kb|m|mb|g|gb)?$/i.exec(value);
  if (!match) return undefined;
  const units: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: 2 ** 20, g: 1e9, gb: 2 ** 30 };
  return Number(match[1]) * units[(match[2] ?? "b").toLowerCase()];
}

/** The shape of a RedisSpec, checked before its values. */
export const REDIS_SPEC_SCHEMA = schemaOf<RedisSpec>()(
  v.strictObject({
    replicas: v.optional(v.number()),
    sentinels: v.optional(v.number()),
    quorum: v.optional(v.number()),
    maxMemory: v.optional(v.string()),
    evictionPolicy: v.optional(stringOf<RedisEvictionPolicy>()),
    minReplicasToWrite: v.optional(v.number()),
    minReplicasMaxLagSeconds: v.optional(v.number()),
    storage: v.optional(STORAGE_SCHEMA),
    resources: v.optional(RESOURCES_SCHEMA),
    values: v.optional(opaque<HelmValues>()),
  }),
);

export function validateRedis(spec: RedisSpec | undefined, context: ServiceContext, problems: ProblemCollector): void {
  if (!checkStructure(REDIS_SPEC_SCHEMA, spec ?? {}, problems)) return;
  const redis = resolveRedis(spec);
  const quorum = sentinelProblem(redis.sentinels, redis.quorum);
  if (quorum !== undefined) problems.add(quorum.field, quorum.message, redis[quorum.field], quorum.fix);
  problems.check(
    Number.isInteger(redis.replicas) && redis.replicas >= 2,
    "replicas",
    "Redis needs a master and at least one replica to fail over to",
    redis.replicas,
    "use 3 (one master, two replicas)",
  );
  if (context.target === "kubernetes") {
    problems.check(
      redis.sentinels === redis.replicas,
      "sentinels",
      "the redis-ha chart runs one sentinel beside each Redis server",
      redis.sentinels,
      `set sentinels equal to replicas (${redis.replicas})`,
    );
  }
  problems.check(
    Number.isInteger(redis.minReplicasToWrite) &&
      redis.minReplicasToWrite >= 0 &&
      redis.minReplicasToWrite <= Math.max(0, redis.replicas - 2),
    "minReplicasToWrite",
    "min-replicas-to-write must leave the master writable with one replica down",
    redis.minReplicasToWrite,
    `use 0 to ${Math.max(0, redis.replicas - 2)} (replicas is ${redis.replicas})`,
  );
  problems.check(
    redisMemoryBytes(redis.maxMemory) !== undefined,
    "maxMemory",
    "maxmemory is not a Redis memory size",
    redis.maxMemory,
    "use e.g. 512mb or 2gb",
  );
  problems.check(
    (REDIS_EVICTION_POLICIES as readonly string[]).includes(redis.evictionPolicy),
    "evictionPolicy",
    "unknown eviction policy",
    redis.evictionPolicy,
    `use one of ${REDIS_EVICTION_POLICIES.join(", ")}`,
  );
  validateStorage(redis.storage, problems.at("storage"));
  validateResources(redis.resources, problems.at("resources"));
  if (spec?.values !== undefined) checkHelmValues(problems, "values", spec.values);
}
