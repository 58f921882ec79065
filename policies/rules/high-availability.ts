import { consensusSizeProblem, postgresInstancesProblem, sentinelProblem } from "../../environments/ha-rules";
import { isDevelopment, isProduction, StackInventory } from "../inventory";
import { booleanAt, listAt, numberAt, objectAt, stringAt, stringMapAt } from "../json";
import { RenderedObject } from "../kubernetes-objects";
import { postgresClusters } from "../postgres-clusters";
import { defineRule, Finding } from "../rule";
import { redisHaValues, replicatedWorkloads } from "../workloads";

const WAIVE_ON_SERVICE = "the release or resource that sets the count";

export const spreadInProduction = defineRule({
  id: "PLAT-HA-001",
  title: "Replicated services in production spread over nodes (anti-affinity or topology spread)",
  anchors: ["kube-linter no-anti-affinity", "kube-score deployment-has-host-podantiaffinity", "Polaris topologySpreadConstraint"],
  severity: "error",
  waiveOn: WAIVE_ON_SERVICE,
  checks: "resources",
  check: (inventory) => {
    if (!isProduction(inventory.environment)) return [];
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
  title: "Vault runs HA raft with 3 or 5 voters outside dev",
  anchors: ["Vault integrated storage reference architecture (odd voters)"],
  severity: "error",
  waiveOn: WAIVE_ON_SERVICE,
  checks: "resources",
  check: (inventory) => {
    const findings: Finding[] = [];
    for (const release of inventory.releases) {
      if (release.chart !== "vault" && !release.chart.endsWith("/vault")) continue;
      const ha = objectAt(objectAt(release.values.server).ha);
      const where = `release "${stringAt(release.resource.attributes.name) ?? ""}"`;
      if (booleanAt(ha.enabled) !== true) {
        if (!isDevelopment(inventory.environment)) {
          findings.push({
            construct: release.resource.construct,
            message: `${where}: Vault runs standalone in ${inventory.environment}, so one node failure stops it; set server.ha.enabled and server.ha.raft.enabled true with 3 or 5 replicas`,
          });
        }
        continue;
      }
      const problem = consensusSizeProblem(numberAt(ha.replicas) ?? 3, inventory.environment, "raft voters");
      if (problem !== undefined) findings.push({ construct: release.resource.construct, message: `${where}: server.ha.replicas: ${problem}` });
    }
    return findings;
  },
});

export const redisSentinelQuorum = defineRule({
  id: "PLAT-HA-003",
  title: "Redis Sentinel runs 3+ sentinels with a majority quorum",
  anchors: ["Redis Sentinel docs (majority to fail over)"],
  severity: "error",
  waiveOn: WAIVE_ON_SERVICE,
  checks: "resources",
  check: (inventory) => {
    const findings: Finding[] = [];
    for (const release of inventory.releases) {
      const redis = redisHaValues(release);
      if (redis === undefined) continue;
      const replicas = numberAt(redis.values.replicas) ?? 3;
      const quorum = numberAt(objectAt(redis.values.sentinel).quorum) ?? 2;
      const problem = sentinelProblem(replicas, quorum);
      if (problem !== undefined) {
        findings.push({
          construct: release.resource.construct,
          message: `release "${stringAt(release.resource.attributes.name) ?? ""}": ${redis.at}replicas ${replicas}, ${redis.at}sentinel.quorum ${quorum}: ${problem}`,
        });
      }
    }
    return findings;
  },
});

export const kraftControllers = defineRule({
  id: "PLAT-HA-004",
  title: "Kafka KRaft runs 3 or 5 controllers outside dev",
  anchors: ["Apache Kafka KRaft docs (controller quorum)", "Strimzi KafkaNodePool roles"],
  severity: "error",
  waiveOn: WAIVE_ON_SERVICE,
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
    const findings: Finding[] = [];
    for (const [key, pools] of clusters) {
      const controllers = pools.reduce((sum, pool) => sum + (numberAt(objectAt(pool.object.spec).replicas) ?? 0), 0);
      const problem = consensusSizeProblem(controllers, inventory.environment, "KRaft controllers");
      if (problem === undefined) continue;
      findings.push({
        construct: pools[0].construct,
        message: `Kafka cluster "${key.split("/")[1]}" (${pools.map((pool) => pool.describe).join(", ")}): ${problem}; set spec.replicas of the controller pools`,
      });
    }
    return findings;
  },
});

export const postgresInstances = defineRule({
  id: "PLAT-HA-005",
  title: "CloudNativePG clusters run a standby outside dev",
  anchors: ["CloudNativePG architecture (primary + standbys)"],
  severity: "error",
  waiveOn: WAIVE_ON_SERVICE,
  checks: "resources",
  check: (inventory: StackInventory) => {
    const findings: Finding[] = [];
    for (const cluster of postgresClusters(inventory)) {
      const problem = postgresInstancesProblem(numberAt(cluster.spec.instances) ?? cluster.defaultInstances, inventory.environment);
      if (problem !== undefined) findings.push({ construct: cluster.construct, message: `${cluster.describe}: ${cluster.at}instances: ${problem}` });
    }
    return findings;
  },
});
