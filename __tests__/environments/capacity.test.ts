import { platformContainers } from "../../constructs/containers";
import { TeamSpec } from "../../constructs/team/spec";
import { flavorFitting } from "../../environments/capacity";
import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { KubernetesEnvironmentConfig, PlatformServicesConfig } from "../../environments/types";
import { problemsOf } from "../support/environments";

const withServices = (base: KubernetesEnvironmentConfig, services: PlatformServicesConfig): KubernetesEnvironmentConfig => ({
  ...base,
  services: { ...base.services, ...services },
});
const withTeams = (teams: readonly TeamSpec[]): KubernetesEnvironmentConfig => ({ ...dev, teams });
const [identity, billing] = dev.teams ?? [];

describe("platform containers on one system node", () => {
  // dev's system pool is b2-7: 2 vCPU and 7 GB, of which about 4.54Gi and 1840m are allocatable.
  test("fails when a service's memory limit is more than one node allocates", () => {
    const redis = { ...dev.services?.redis, resources: { requests: { cpu: "100m", memory: "1Gi" }, limits: { memory: "6Gi" } } };
    expect(problemsOf(withServices(dev, { redis }))).toEqual([
      'environments/dev.ts: services.redis.resources.limits.memory: a container of the Redis servers is limited to 6Gi of memory, more than one b2-7 node of the system pool "system" can allocate, about 4.54Gi (got "6Gi"; lower it to 4648Mi or less, or give the system pool a larger flavor, e.g. b2-15, in a new pool)',
    ]);
  });

  test("fails when a service's CPU request is more than one node allocates", () => {
    const kafka = { ...dev.services?.kafka, resources: { requests: { cpu: "2", memory: "2Gi" }, limits: { memory: "2Gi" } } };
    expect(problemsOf(withServices(dev, { kafka }))).toEqual([
      'environments/dev.ts: services.kafka.resources.requests.cpu: a container of the Kafka nodes requests 2 CPU, more than one b2-7 node of the system pool "system" can allocate, 1.84 (got "2"; lower it to 1840m or less, or give the system pool a larger flavor, e.g. b2-15, in a new pool)',
    ]);
  });

  test("fails at maxMemory when Redis' container is sized from it", () => {
    const redis = { ...dev.services?.redis, maxMemory: "4gb", storage: { size: "10Gi" } };
    expect(problemsOf(withServices(dev, { redis }))).toEqual([
      'environments/dev.ts: services.redis.maxMemory: a container of the Redis servers, sized half again above maxmemory, requests 6Gi of memory, more than one b2-7 node of the system pool "system" can allocate, about 4.54Gi (got "4gb"; lower maxMemory, or set the service\'s resources, or give the system pool a larger flavor, e.g. b2-15, in a new pool)',
    ]);
  });

  test("fails at the system pool's flavor when a size the platform fixes does not fit", () => {
    const tiny = {
      ...production,
      nodePools: production.nodePools.map((pool) => (pool.role === "system" ? { ...pool, flavor: "c3-4" } : pool)),
    };
    expect(problemsOf(tiny)).toEqual([
      'environments/production.ts: services.redis.maxMemory: a container of the Redis servers, sized half again above maxmemory, requests 3Gi of memory, more than one c3-4 node of the system pool "system" can allocate, about 2.54Gi (got "2gb"; lower maxMemory, or set the service\'s resources, or give the system pool a larger flavor, e.g. c3-8, in a new pool)',
      'environments/production.ts: services.postgres.resources.requests.memory: a container of the PostgreSQL instances requests 8Gi of memory, more than one c3-4 node of the system pool "system" can allocate, about 2.54Gi (got "8Gi"; lower it to 2599Mi or less, or give the system pool a larger flavor, e.g. c3-16, in a new pool)',
      'environments/production.ts: nodePools[0].flavor: one c3-4 node of the system pool "system" can allocate about 2.54Gi of memory and 1.84 CPU, less than a container of each of these, sized by the platform, needs: Prometheus 4Gi of memory (got "c3-4"; use c3-8 or larger, in a new pool as a pool\'s flavor cannot change)',
    ]);
  });

  test("passes any size on a generic cluster, and on a flavor the catalogue lacks, which is reported alone", () => {
    const redis = { ...dev.services?.redis, resources: { requests: { cpu: "100m", memory: "64Gi" }, limits: { memory: "64Gi" } } };
    expect(problemsOf({ ...withServices(dev, { redis }), cluster: { ...dev.cluster, provider: "generic" } })).toEqual([]);
    const unknown = withServices(
      { ...dev, nodePools: dev.nodePools.map((pool, i) => (i === 0 ? { ...pool, flavor: "x9-7" } : pool)) },
      { redis },
    );
    expect(problemsOf(unknown)).toEqual([
      expect.stringContaining("nodePools[0].flavor: flavor is not an OVHcloud Managed Kubernetes flavor"),
    ]);
  });

  test("does not report a size again that is already malformed", () => {
    const vault = { ...dev.services?.vault, resources: { requests: { cpu: "250", memory: "64Gi" }, limits: { memory: "64G" } } };
    const lines = problemsOf(withServices(dev, { vault }));
    expect(lines.filter((line) => line.includes("requests.cpu"))).toEqual([
      expect.stringContaining("more than the 64 one container may have"),
    ]);
  });

  test("lists every container of the enabled services with its size", () => {
    const containers = platformContainers(production.services ?? {}, "production");
    expect(containers.map((container) => container.title)).toEqual(
      expect.arrayContaining([
        "the Vault servers",
        "Vault's agent injector",
        "the KRaft controllers",
        "Prometheus",
        "Argo CD's repo server",
      ]),
    );
    expect(containers.find((container) => container.title === "Prometheus")?.resources.limits.memory).toBe("4Gi");
    expect(platformContainers({ kafka: { combinedRoles: true, controllers: 1 } }, "development").map((c) => c.title)).not.toContain(
      "the KRaft controllers",
    );
  });
});

describe("flavorFitting", () => {
  test("is the smallest flavor of the family that fits, else of any family", () => {
    expect(flavorFitting(6 * 2 ** 30, 1, "b2")).toBe("b2-15");
    expect(flavorFitting(6 * 2 ** 30, 1, "c3")).toBe("c3-8");
    expect(flavorFitting(6 * 2 ** 30, 6, "c3")).toBe("c3-16");
    expect(flavorFitting(2 ** 40, 1)).toBeUndefined();
  });
});

describe("teams on the applications pools", () => {
  // dev's applications pool: at most 5 b2-15 nodes, about 57.85Gi and 19.15 CPU allocatable, 550 pods.
  test("fails when one team's quota, times its namespaces, is more than the pools hold at maxNodes", () => {
    const team = { ...identity, namespaces: ["identity", "identity-jobs"], quota: { cpu: "2", memory: "32Gi" } };
    expect(problemsOf(withTeams([team, billing]))).toEqual([
      "environments/dev.ts: teams[0].quota.memory: the team's 2 namespaces may request 2 × 32Gi of memory, more than the applications pools hold at maxNodes, about 57.85Gi on 5 b2-15 nodes (got \"32Gi\"; lower the quota to 29618Mi or less, or raise the applications pools' maxNodes or flavor)",
    ]);
  });

  test("fails when one team's CPU or pods are more than the pools hold at maxNodes", () => {
    expect(problemsOf(withTeams([{ ...identity, quota: { cpu: "20", memory: "4Gi", pods: 600 } }, billing]))).toEqual([
      "environments/dev.ts: teams[0].quota.cpu: the team's namespace may request 20 CPU, more than the applications pools hold at maxNodes, 19.15 on 5 b2-15 nodes (got \"20\"; lower the quota to 19150m or less, or raise the applications pools' maxNodes or flavor)",
      "environments/dev.ts: teams[0].quota.pods: the team's namespace may run 600 pods, more than the applications pools run at maxNodes, 550 at OVHcloud's 110 per node (got 600; lower it to 550 or less, or raise the applications pools' maxNodes)",
    ]);
  });

  test("fails at teams when every team fits alone and all together do not", () => {
    const teams = [
      { ...identity, quota: { cpu: "10", memory: "40Gi" } },
      { ...billing, quota: { cpu: "10", memory: "30Gi" } },
    ];
    expect(problemsOf(withTeams(teams))).toEqual([
      "environments/dev.ts: teams: the teams identity and billing together may request 70Gi of memory, more than the applications pools hold at maxNodes, about 57.85Gi on 5 b2-15 nodes (got \"70Gi\"; lower some teams' quota.memory, or raise the applications pools' maxNodes or flavor)",
      "environments/dev.ts: teams: the teams identity and billing together may request 20 CPU, more than the applications pools hold at maxNodes, 19.15 on 5 b2-15 nodes (got \"20\"; lower some teams' quota.cpu, or raise the applications pools' maxNodes or flavor)",
    ]);
  });

  test("fails when a team's container defaults are more than one applications node allocates", () => {
    const team = {
      ...identity,
      quota: { cpu: "10", memory: "40Gi" },
      containerDefaults: { requests: { cpu: "8", memory: "1Gi" }, limits: { memory: "16Gi" } },
    };
    expect(problemsOf(withTeams([team, billing]))).toEqual([
      'environments/dev.ts: teams[0].containerDefaults.limits.memory: a container left to the team\'s defaults would get 16Gi of memory, more than one b2-15 node of the applications pools can allocate, about 11.57Gi (got "16Gi"; lower it to 11847Mi or less)',
      'environments/dev.ts: teams[0].containerDefaults.requests.cpu: a container left to the team\'s defaults would request 8 CPU, more than one b2-15 node of the applications pools can allocate, 3.83 (got "8"; lower it to 3830m or less)',
    ]);
  });

  test("passes without an applications pool to measure, or on a generic cluster", () => {
    const huge = { ...identity, quota: { cpu: "500", memory: "10Ti" } };
    expect(problemsOf({ ...withTeams([huge]), cluster: { ...dev.cluster, provider: "generic" } })).toEqual([]);
  });
});
