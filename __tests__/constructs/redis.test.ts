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
        "services.redis.sentinels: the redis-ha chart runs one sentinel beside each Redis server (got 5; set sentinels equal to replicas (3))",
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
