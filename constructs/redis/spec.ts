import { majorityOf, sentinelProblem } from "../../core/ha-rules";
import { ProblemCollector } from "../../core/problems";
import { ServiceContext } from "../../core/service-context";
import { withDefaults } from "../common/defaults";
import { checkHelmValues } from "../helm/check-values";
import { HelmValues } from "../helm/merge-values";
import {
  MIN_CONTAINER_MEMORY_BYTES,
  MIN_VOLUME_BYTES,
  ResourceRequirements,
  StorageSpec,
  resources,
  validateResources,
  validateStorage,
} from "../common/sizing";
import { Breach } from "../../core/ha-rules";
import { formatBytes, memoryBytes, redisMemoryBytes } from "../../core/quantities";
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
  /**
   * `maxmemory`, in Redis units: `mb` and `gb` count powers of 1024, `m` and `g` powers of 1000.
   * At most the container's memory limit, and half the data volume (an RDB snapshot and an AOF).
   * @default "512mb"
   */
  readonly maxMemory?: string;
  /** @default "allkeys-lru" */
  readonly evictionPolicy?: RedisEvictionPolicy;
  /**
   * `min-replicas-to-write`: the master refuses writes unless this many
   * replicas are connected, bounding what a failover can lose.
   * @default 1
   */
  readonly minReplicasToWrite?: number;
  /** `min-replicas-max-lag`, seconds, 1 to 60. @default 10 */
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

const MiB = 2 ** 20;

/** maxmemory plus half again for fork-time copy-on-write and buffers; 1Gi when maxmemory is not sane (validation reports it). */
function containerMemoryFor(maxMemory: string): string {
  const bytes = redisMemoryBytes(maxMemory);
  return bytes === undefined || maxMemoryProblem(maxMemory) !== undefined ? "1Gi" : `${Math.ceil((bytes * 1.5) / MiB)}Mi`;
}

/** The least maxmemory that holds more than a handful of keys; the container minimum, for the same reason. */
export const MIN_REDIS_MAXMEMORY_BYTES = MIN_CONTAINER_MEMORY_BYTES;

/**
 * The data volume holds an RDB snapshot and an append-only file, each up to a full dataset: it
 * must be at least this many times maxmemory. (An AOF also grows to twice its base before a
 * rewrite; the rewrite then writes a new base beside the old files, so 2 is the floor, not a
 * comfortable size.)
 */
export const REDIS_VOLUME_PER_MAXMEMORY = 2;

/** min-replicas-max-lag, seconds: a replica acknowledges every second, so a minute behind is a broken link. */
export const MAX_REDIS_REPLICA_LAG_SECONDS = 60;

/** Kubernetes units people write for Redis, and Redis' own binary ones. */
const REDIS_UNIT_FOR: Readonly<Record<string, string>> = { ki: "kb", mi: "mb", gi: "gb", kib: "kb", mib: "mb", gib: "gb" };

/** Why `value` is not a sane maxmemory, or undefined: malformed, 0 (no limit), without a unit, or tiny. */
function maxMemoryProblem(value: string): Breach | undefined {
  const bytes = redisMemoryBytes(value);
  const units = "Redis units are b, k, kb, m, mb, g, gb, where mb and gb count powers of 1024";
  if (bytes === undefined) {
    const written = /^\s*([0-9]+)\s*([A-Za-z]+)\s*$/.exec(value);
    const unit = written === null ? undefined : REDIS_UNIT_FOR[written[2].toLowerCase()];
    return {
      message: "maxmemory is not a Redis memory size",
      fix: written === null || unit === undefined ? `use e.g. "512mb" or "2gb"; ${units}` : `write "${written[1]}${unit}"; ${units}`,
    };
  }
  if (bytes === 0) {
    return {
      message: "maxmemory 0 sets no limit: Redis grows until the kernel kills its container",
      fix: 'use a size below the container\'s memory limit, e.g. "512mb"',
    };
  }
  if (/^[0-9]+$/.test(value)) {
    const number = Number(value);
    return {
      message: `maxmemory has no unit, so Redis reads it as ${value} bytes`,
      fix: `write "${number < 64 ? `${number}gb` : `${number}mb`}"; ${units}`,
    };
  }
  if (bytes < MIN_REDIS_MAXMEMORY_BYTES) {
    return {
      message: `maxmemory is ${formatBytes(bytes)}${bytes < 1024 ? " bytes" : ""}, below 16mb: Redis would evict nearly every key, or refuse writes with noeviction`,
      fix: 'use 16mb or more, e.g. "512mb"',
    };
  }
  return undefined;
}

/** maxmemory against what holds it: the container's memory limit, and the data volume with its RDB and AOF. */
function checkMaxMemoryFits(redis: ResolvedRedisSpec, problems: ProblemCollector): void {
  const maxMemory = redisMemoryBytes(redis.maxMemory);
  if (maxMemory === undefined || maxMemoryProblem(redis.maxMemory) !== undefined) return;
  const limit = memoryBytes(redis.resources.limits.memory);
  if (limit !== undefined && maxMemory > limit) {
    problems.add(
      "maxMemory",
      `maxmemory ${redis.maxMemory} is above the Redis container's memory limit, ${redis.resources.limits.memory}: the kernel kills Redis before it evicts a key`,
      redis.maxMemory,
      `lower maxMemory, or raise resources.limits.memory and requests.memory to ${containerMemoryFor(redis.maxMemory)}, half again above maxmemory for the fork that writes snapshots`,
    );
  }
  const volume = memoryBytes(redis.storage.size);
  const needed = maxMemory * REDIS_VOLUME_PER_MAXMEMORY;
  if (volume !== undefined && volume >= MIN_VOLUME_BYTES && volume < needed) {
    const size = `${Math.ceil(needed / 2 ** 30)}Gi`;
    problems.add(
      "maxMemory",
      `maxmemory ${redis.maxMemory} needs a data volume of at least ${size}, room for an RDB snapshot and an append-only file of a full dataset, but storage.size is ${redis.storage.size}`,
      redis.maxMemory,
      `lower maxMemory, or raise storage.size to ${size} or more`,
    );
  }
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
    "use 3: one master and two replicas",
  );
  if (context.target === "kubernetes") {
    problems.check(
      redis.sentinels === redis.replicas,
      "sentinels",
      "the redis-ha chart runs one sentinel beside each Redis server",
      redis.sentinels,
      `set sentinels equal to replicas, ${redis.replicas}`,
    );
  }
  problems.check(
    Number.isInteger(redis.minReplicasToWrite) &&
      redis.minReplicasToWrite >= 0 &&
      redis.minReplicasToWrite <= Math.max(0, redis.replicas - 2),
    "minReplicasToWrite",
    "min-replicas-to-write must leave the master writable with one replica down",
    redis.minReplicasToWrite,
    `use 0 to ${Math.max(0, redis.replicas - 2)}, as replicas is ${redis.replicas}`,
  );
  const maxMemory = maxMemoryProblem(redis.maxMemory);
  if (maxMemory !== undefined) problems.add("maxMemory", maxMemory.message, redis.maxMemory, maxMemory.fix);
  problems.check(
    Number.isInteger(redis.minReplicasMaxLagSeconds) &&
      redis.minReplicasMaxLagSeconds >= (redis.minReplicasToWrite > 0 ? 1 : 0) &&
      redis.minReplicasMaxLagSeconds <= MAX_REDIS_REPLICA_LAG_SECONDS,
    "minReplicasMaxLagSeconds",
    redis.minReplicasMaxLagSeconds === 0
      ? "min-replicas-max-lag 0 switches off the min-replicas-to-write guard"
      : "min-replicas-max-lag is not a whole number of seconds a replica may lag",
    redis.minReplicasMaxLagSeconds,
    `use 1 to ${MAX_REDIS_REPLICA_LAG_SECONDS}, e.g. 10; a replica acknowledges every second`,
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
  checkMaxMemoryFits(redis, problems);
  if (spec?.values !== undefined) checkHelmValues(problems, "values", spec.values);
}
