import { consensusSizeProblem, describeBreach, postgresInstancesProblem, sentinelProblem } from "../../core/ha-rules";
import { booleanAt, listAt, numberAt, objectAt, stringAt, stringMapAt } from "../json";
import { RenderedObject } from "../kubernetes-objects";
import { postgresClusters } from "../postgres-clusters";
import { defineRule, findingsFor } from "../rule";
import { redisHaValues, replicatedWorkloads } from "../workloads";

const WAIVE_ON_SERVICE = "the release or resource that sets the count";

export const spreadInProduction = defineRule({
  id: "PLAT-HA-001",
  title: "Replicated services in production spread over nodes (anti-affinity or topology spread)",
  anchors: ["kube-linter no-anti-affinity", "kube-score deployment-has-host-podantiaffinity", "Polaris topologySpreadConstraint"],
  severity: "error",
  waiveOn: WAIVE_ON_SERVICE,
  applies:
    "workloads the project renders; the Vault, redis-ha, CloudNativePG cluster and cert-manager chart values it sets; Kafka node pools",
  checks: "resources",
  check: (inventory) => {
    if (inventory.tier !== "production") return [];
    return replicatedWorkloads(inventory)
      .filter((workload) => workload.replicas >= 2 && !workload.spread)
      .map((workload) => ({
        construct: workload.construct,
        message: `${workload.describe} runs ${workload.replicas} replicas with nothing keeping them on different nodes; set ${workload.spreadField}`,
      }));
  },
});

export const vaultRaftVoters = defineRule({
  id: "PLAT-HA-002",
  title: "Vault runs HA raft with 3 or 5 voters outside development",
  anchors: ["Vault integrated storage reference architecture (odd voters)"],
  severity: "error",
  waiveOn: WAIVE_ON_SERVICE,
  applies: "the Vault chart values the project sets",
  checks: "resources",
  check: (inventory) =>
    findingsFor(
      inventory.releases.filter((release) => release.chart === "vault" || release.chart.endsWith("/vault")),
      (release) => release.resource.construct,
      (release) => {
        const ha = objectAt(objectAt(release.values.server).ha);
        const where = `release "${stringAt(release.resource.attributes.name) ?? ""}"`;
        if (booleanAt(ha.enabled) === true) {
          const problem = consensusSizeProblem(numberAt(ha.replicas) ?? 3, inventory.tier, "raft voters");
          return problem === undefined ? undefined : `${where}: server.ha.replicas: ${describeBreach(problem)}`;
        }
        if (inventory.tier === "development") return undefined;
        return `${where}: Vault runs standalone in ${inventory.environment}, so one node failure stops it; set server.ha.enabled and server.ha.raft.enabled true with 3 or 5 replicas`;
      },
    ),
});

export const redisSentinelQuorum = defineRule({
  id: "PLAT-HA-003",
  title: "Redis Sentinel runs 3+ sentinels with a majority quorum",
  anchors: ["Redis Sentinel docs (majority to fail over)"],
  severity: "error",
  waiveOn: WAIVE_ON_SERVICE,
  applies: "the redis-ha chart values the project sets (Argo CD's redis-ha subchart too)",
  checks: "resources",
  check: (inventory) =>
    findingsFor(
      inventory.releases,
      (release) => release.resource.construct,
      (release) => {
        const redis = redisHaValues(release);
        if (redis === undefined) return undefined;
        const replicas = numberAt(redis.values.replicas) ?? 3;
        const quorum = numberAt(objectAt(redis.values.sentinel).quorum) ?? 2;
        const problem = sentinelProblem(replicas, quorum);
        if (problem === undefined) return undefined;
        return `release "${stringAt(release.resource.attributes.name) ?? ""}": ${redis.at}replicas ${replicas}, ${redis.at}sentinel.quorum ${quorum}: ${describeBreach(problem)}`;
      },
    ),
});

export const kraftControllers = defineRule({
  id: "PLAT-HA-004",
  title: "Kafka KRaft runs 3 or 5 controllers outside development",
  anchors: ["Apache Kafka KRaft docs (controller quorum)", "Strimzi KafkaNodePool roles"],
  severity: "error",
  waiveOn: WAIVE_ON_SERVICE,
  applies: "the Kafka node pools the project renders",
  checks: "resources",
  check: (inventory) => {
    const clusters = new Map<string, RenderedObject[]>();
    for (const object of inventory.objects) {
      if (object.kind !== "KafkaNodePool" || !object.apiVersion.startsWith("kafka.strimzi.io/")) continue;
      if (!listAt(objectAt(object.object.spec).roles).includes("controller")) continue;
      const cluster = stringMapAt(objectAt(object.object.metadata).labels)["strimzi.io/cluster"] ?? "";
      const key = `${object.namespace ?? ""}/${cluster}`;
      clusters.set(key, [...(clusters.get(key) ?? []), object]);
    }
    return findingsFor(
      clusters,
      ([, pools]) => pools[0].construct,
      ([key, pools]) => {
        const controllers = pools.reduce((sum, pool) => sum + (numberAt(objectAt(pool.object.spec).replicas) ?? 0), 0);
        const problem = consensusSizeProblem(controllers, inventory.tier, "KRaft controllers");
        if (problem === undefined) return undefined;
        return `Kafka cluster "${key.split("/")[1]}" (${pools.map((pool) => pool.describe).join(", ")}): ${describeBreach(problem)}; set spec.replicas of the controller pools`;
      },
    );
  },
});

export const postgresInstances = defineRule({
  id: "PLAT-HA-005",
  title: "CloudNativePG clusters run 2 instances in staging, 3 in production",
  anchors: ["CloudNativePG architecture (primary + standbys)"],
  severity: "error",
  waiveOn: WAIVE_ON_SERVICE,
  applies: "CloudNativePG clusters the project renders or sets through the cluster chart",
  checks: "resources",
  check: (inventory) =>
    findingsFor(
      postgresClusters(inventory),
      (cluster) => cluster.construct,
      (cluster) => {
        const problem = postgresInstancesProblem(numberAt(cluster.spec.instances) ?? cluster.defaultInstances, inventory.tier);
        return problem === undefined ? undefined : `${cluster.describe}: ${cluster.at}instances: ${describeBreach(problem)}`;
      },
    ),
});
