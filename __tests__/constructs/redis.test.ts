import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { KubernetesEnvironmentConfig } from "../../environments/types";
import { REDIS_DEFAULTS, resolveRedis } from "../../constructs/redis/spec";
import { problemsOf } from "../support/environments";
import { helmRelease, releaseManifests, releaseValues, synthEnvironment } from "../support/synth";

function withRedis(base: KubernetesEnvironmentConfig, redis: object): KubernetesEnvironmentConfig {
  return { ...base, services: { ...base.services, redis } };
}

describe("Redis validation", () => {
  test("fails when there are 2 sentinels", () => {
    expect(problemsOf(withRedis(production, { replicas: 2, sentinels: 2 }))).toContain(
      "environments/production.ts: services.redis.sentinels: 2 sentinels cannot elect a leader after a failure (got 2; use 3 or 5)",
    );
  });

  test("fails when the quorum is not a majority", () => {
    expect(problemsOf(withRedis(staging, { replicas: 5, sentinels: 5, quorum: 2 }))).toEqual([
      "environments/staging.ts: services.redis.quorum: quorum 2 of 5 sentinels is not a majority (a minority partition can declare the primary down) (got 2; use 3)",
    ]);
  });

  test("fails when the quorum exceeds the sentinels", () => {
    expect(problemsOf(withRedis(staging, { quorum: 4 }))).toEqual([
      expect.stringContaining("services.redis.quorum: quorum 4 of 3 sentinels is not a majority (failover can never start) (got 4; use 2)"),
    ]);
  });

  test("fails when sentinels differ from Redis servers on Kubernetes", () => {
    expect(problemsOf(withRedis(staging, { replicas: 3, sentinels: 5 }))).toEqual([
      expect.stringContaining(
        "services.redis.sentinels: the redis-ha chart runs one sentinel beside each Redis server (got 5; set sentinels equal to replicas, 3)",
      ),
    ]);
  });

  test("fails when there is no replica to fail over to", () => {
    expect(problemsOf(withRedis(staging, { replicas: 1, sentinels: 3 }))).toContainEqual(
      expect.stringContaining("services.redis.replicas: Redis needs a master and at least one replica to fail over to (got 1;"),
    );
  });

  test("fails when min-replicas-to-write leaves no room for one replica down", () => {
    expect(problemsOf(withRedis(staging, { minReplicasToWrite: 2 }))).toEqual([
      expect.stringContaining(
        "services.redis.minReplicasToWrite: min-replicas-to-write must leave the master writable with one replica down (got 2; use 0 to 1",
      ),
    ]);
  });

  test("fails when maxmemory or the eviction policy is malformed", () => {
    expect(problemsOf(withRedis(staging, { maxMemory: "lots", evictionPolicy: "lru" }))).toEqual([
      expect.stringContaining('services.redis.maxMemory: maxmemory is not a Redis memory size (got "lots";'),
      expect.stringContaining('services.redis.evictionPolicy: unknown eviction policy (got "lru";'),
    ]);
  });
});

describe("Redis maxmemory", () => {
  const UNITS = "Redis units are b, k, kb, m, mb, g, gb, where mb and gb count powers of 1024";

  test("fails when it is 0, which Redis reads as no limit", () => {
    expect(problemsOf(withRedis(staging, { maxMemory: "0" }))).toEqual([
      'environments/staging.ts: services.redis.maxMemory: maxmemory 0 sets no limit: Redis grows until the kernel kills its container (got "0"; use a size below the container\'s memory limit, e.g. "512mb")',
    ]);
  });

  test("fails when it has no unit, which Redis reads as bytes, and the container it sizes is not reported as well", () => {
    expect(problemsOf(withRedis(staging, { maxMemory: "512" }))).toEqual([
      `environments/staging.ts: services.redis.maxMemory: maxmemory has no unit, so Redis reads it as 512 bytes (got "512"; write "512mb"; ${UNITS})`,
    ]);
  });

  test("fails when it is written in Kubernetes units, and names Redis' own", () => {
    expect(problemsOf(withRedis(staging, { maxMemory: "2Gi" }))).toEqual([
      `environments/staging.ts: services.redis.maxMemory: maxmemory is not a Redis memory size (got "2Gi"; write "2gb"; ${UNITS})`,
    ]);
  });

  test("fails when it is below 16mb", () => {
    expect(problemsOf(withRedis(staging, { maxMemory: "1k" }))).toEqual([
      'environments/staging.ts: services.redis.maxMemory: maxmemory is 1000 bytes, below 16mb: Redis would evict nearly every key, or refuse writes with noeviction (got "1k"; use 16mb or more, e.g. "512mb")',
    ]);
  });

  test("fails when it is above the container's memory limit", () => {
    const resources = { requests: { cpu: "100m", memory: "1Gi" }, limits: { memory: "1Gi" } };
    expect(problemsOf(withRedis(staging, { maxMemory: "2gb", resources }))).toEqual([
      'environments/staging.ts: services.redis.maxMemory: maxmemory 2gb is above the Redis container\'s memory limit, 1Gi: the kernel kills Redis before it evicts a key (got "2gb"; lower maxMemory, or raise resources.limits.memory and requests.memory to 3072Mi, half again above maxmemory for the fork that writes snapshots)',
    ]);
  });

  test("fails when the data volume cannot hold an RDB snapshot and an AOF of a full dataset", () => {
    expect(problemsOf(withRedis(production, { maxMemory: "2gb", storage: { size: "3Gi" } }))).toEqual([
      'environments/production.ts: services.redis.maxMemory: maxmemory 2gb needs a data volume of at least 4Gi, room for an RDB snapshot and an append-only file of a full dataset, but storage.size is 3Gi (got "2gb"; lower maxMemory, or raise storage.size to 4Gi or more)',
    ]);
  });

  test("passes a volume of exactly twice maxmemory, and Redis' decimal units", () => {
    expect(problemsOf(withRedis(production, { maxMemory: "2gb", storage: { size: "4Gi" } }))).toEqual([]);
    expect(problemsOf(withRedis(production, { maxMemory: "2g" }))).toEqual([]);
  });
});

describe("Redis min-replicas-max-lag", () => {
  test("fails when it is 0, which switches off min-replicas-to-write", () => {
    expect(problemsOf(withRedis(staging, { minReplicasMaxLagSeconds: 0 }))).toEqual([
      "environments/staging.ts: services.redis.minReplicasMaxLagSeconds: min-replicas-max-lag 0 switches off the min-replicas-to-write guard (got 0; use 1 to 60, e.g. 10; a replica acknowledges every second)",
    ]);
  });

  test.each([-1, 61, 2.5])("fails when it is %d", (lag) => {
    expect(problemsOf(withRedis(staging, { minReplicasMaxLagSeconds: lag }))).toEqual([
      `environments/staging.ts: services.redis.minReplicasMaxLagSeconds: min-replicas-max-lag is not a whole number of seconds a replica may lag (got ${lag}; use 1 to 60, e.g. 10; a replica acknowledges every second)`,
    ]);
  });

  test("passes 0 when min-replicas-to-write is off too", () => {
    expect(problemsOf(withRedis(staging, { minReplicasToWrite: 0, minReplicasMaxLagSeconds: 0 }))).toEqual([]);
  });
});

describe("Redis defaults", () => {
  test("are 3 servers, 3 sentinels with quorum 2, 512mb allkeys-lru, one replica to write", () => {
    expect(resolveRedis(undefined)).toEqual({
      ...REDIS_DEFAULTS,
      quorum: 2,
      resources: { requests: { cpu: "100m", memory: "768Mi" }, limits: { memory: "768Mi" } },
      values: {},
    });
    expect(REDIS_DEFAULTS).toEqual({
      replicas: 3,
      sentinels: 3,
      maxMemory: "512mb",
      evictionPolicy: "allkeys-lru",
      minReplicasToWrite: 1,
      minReplicasMaxLagSeconds: 10,
      storage: { size: "10Gi" },
      values: {},
    });
  });

  test("the quorum follows the sentinels: 3 of 5", () => {
    expect(resolveRedis({ sentinels: 5 }).quorum).toBe(3);
  });
});

describe("Redis release", () => {
  const prod = synthEnvironment(production);
  const values = releaseValues(prod, "redis");

  test("pins the redis-ha chart and protects production", () => {
    expect(helmRelease(prod, "redis")).toMatchObject({
      repository: "https://dandydeveloper.github.io/charts",
      chart: "redis-ha",
      version: "4.39.0",
      atomic: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("sets Sentinel quorum, AOF and RDB persistence, memory policy and write safety", () => {
    expect(values.replicas).toBe(3);
    expect(values.sentinel.quorum).toBe(2);
    expect(values.redis.config).toEqual({
      maxmemory: "2gb",
      "maxmemory-policy": "allkeys-lru",
      appendonly: "yes",
      appendfsync: "everysec",
      save: "900 1 300 10 60 10000",
      "min-replicas-to-write": 1,
      "min-replicas-max-lag": 10,
      // The teams' ACL users (teams.test.ts): every pod loads the same file.
      aclfile: "/etc/redis-acl/users.acl",
    });
    expect(values.persistentVolume).toMatchObject({ enabled: true, size: "20Gi" });
  });

  test("authenticates Redis and Sentinel with secrets generated in the cluster", () => {
    expect(values).toMatchObject({ auth: true, existingSecret: "redis-auth", authKey: "auth" });
    expect(values.sentinel).toMatchObject({ auth: true, existingSecret: "redis-sentinel-auth", authKey: "sentinel-password" });
    expect(values.redisPassword).toBeUndefined();
    const kinds = releaseManifests(prod, "redis-credentials").map((m) => `${m.kind}/${m.metadata.name}`);
    expect(kinds).toEqual([
      "Password/redis-auth-generator",
      "ExternalSecret/redis-auth",
      "Password/redis-sentinel-auth-generator",
      "ExternalSecret/redis-sentinel-auth",
      // The identity team's ACL user.
      "Password/redis-user-identity-generator",
      "ExternalSecret/redis-user-identity",
    ]);
    expect(helmRelease(prod, "redis").depends_on).toContain(
      `helm_release.${Object.entries(prod.parsed.resource!.helm_release).find(([, r]) => r.name === "redis-credentials")![0]}`,
    );
  });

  test("is placed on the system pool, hard anti-affinity only in production, with a PDB and an exporter", () => {
    expect(values).toMatchObject({
      hardAntiAffinity: true,
      nodeSelector: { "platform/pool": "system" },
      podDisruptionBudget: { maxUnavailable: 1 },
    });
    expect(values.exporter).toMatchObject({ enabled: true, serviceMonitor: { enabled: true } });
    expect(releaseValues(synthEnvironment(dev), "redis").hardAntiAffinity).toBe(false);
  });
});
