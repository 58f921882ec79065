import { IConstruct } from "constructs";
import { derived, HelmReleaseView, StackInventory } from "./inventory";
import { booleanAt, isObject, JsonObject, listAt, numberAt, objectAt, stringAt, valueAt } from "./json";
import { podTemplateOf, RenderedObject, REPLICATED_KINDS } from "./kubernetes-objects";
import { PostgresCluster, postgresClusters } from "./postgres-clusters";

/** How a workload's PodDisruptionBudget comes to exist. */
export type DisruptionBudget =
  /** We render PodDisruptionBudget objects; they are matched by selector. */
  | { readonly source: "objects" }
  /** A chart or operator renders it from a switch in our values. */
  | { readonly source: "switch"; readonly enabled: boolean; readonly blocksAll: boolean; readonly field: string }
  /** The operator manages it on its own terms (Strimzi); nothing of ours to check. */
  | { readonly source: "operator" };

/** Something that runs a number of identical pods, as the disruption and HA rules see it. */
export interface ReplicatedWorkload {
  /** Where to fix it: the resource that renders it. */
  readonly construct: IConstruct;
  readonly describe: string;
  readonly namespace?: string;
  readonly replicas: number;
  /** Labels of its pods, to match PodDisruptionBudget selectors (objects only). */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly budget: DisruptionBudget;
  /** Has pod anti-affinity or a topology spread, so replicas land on different nodes. */
  readonly spread: boolean;
  /** The field that controls `spread`, for messages. */
  readonly spreadField: string;
}

/** Rendered Deployments/StatefulSets, Kafka node pools, CloudNativePG clusters, and the Vault, Redis and cert-manager charts. */
export const replicatedWorkloads = derived((inventory: StackInventory): readonly ReplicatedWorkload[] => {
  const workloads: ReplicatedWorkload[] = [];
  for (const object of inventory.objects) {
    const workload = objectWorkload(object);
    if (workload !== undefined) workloads.push(workload);
  }
  for (const release of inventory.releases) workloads.push(...chartWorkloads(release));
  for (const cluster of postgresClusters(inventory)) workloads.push(postgresWorkload(cluster));
  return workloads;
});

function objectWorkload(object: RenderedObject): ReplicatedWorkload | undefined {
  const spec = objectAt(object.object.spec);
  const base = { construct: object.construct, describe: object.describe, namespace: object.namespace, podLabels: {} };
  if (REPLICATED_KINDS.has(object.kind)) {
    const template = podTemplateOf(object);
    const pod = template?.spec ?? {};
    return {
      ...base,
      replicas: numberAt(spec.replicas) ?? 1,
      podLabels: template?.labels ?? {},
      budget: { source: "objects" },
      spread: hasPodAntiAffinity(pod.affinity) || listAt(pod.topologySpreadConstraints).length > 0,
      spreadField: "spec.template.spec.affinity.podAntiAffinity or topologySpreadConstraints",
    };
  }
  if (object.kind === "KafkaNodePool" && object.apiVersion.startsWith("kafka.strimzi.io/")) {
    const pod = objectAt(objectAt(spec.template).pod);
    return {
      ...base,
      replicas: numberAt(spec.replicas) ?? 0,
      budget: { source: "operator" },
      spread: hasPodAntiAffinity(pod.affinity) || listAt(pod.topologySpreadConstraints).length > 0,
      spreadField: "spec.template.pod.affinity.podAntiAffinity or spec.template.pod.topologySpreadConstraints",
    };
  }
  return undefined;
}

function postgresWorkload(cluster: PostgresCluster): ReplicatedWorkload {
  const spec = cluster.spec;
  return {
    construct: cluster.construct,
    describe: cluster.describe,
    namespace: cluster.namespace,
    podLabels: {},
    replicas: numberAt(spec.instances) ?? cluster.defaultInstances,
    // The operator creates PDBs for primary and replicas unless told not to.
    budget: { source: "switch", enabled: booleanAt(spec.enablePDB) !== false, blocksAll: false, field: `${cluster.at}enablePDB` },
    // The operator adds preferred anti-affinity unless it is switched off.
    spread: booleanAt(objectAt(spec.affinity).enablePodAntiAffinity) !== false || listAt(spec.topologySpreadConstraints).length > 0,
    spreadField: `${cluster.at}affinity.enablePodAntiAffinity`,
  };
}

function chartWorkloads(release: HelmReleaseView): ReplicatedWorkload[] {
  const base = {
    construct: release.resource.construct,
    namespace: stringAt(release.resource.attributes.namespace),
    podLabels: {},
  };
  const name = stringAt(release.resource.attributes.name) ?? release.resource.id;
  if (release.chart === "vault" || release.chart.endsWith("/vault")) {
    const server = objectAt(valueAt(release.values, "server"));
    if (booleanAt(objectAt(server.dev).enabled) === true) return [];
    const ha = objectAt(server.ha);
    const haEnabled = booleanAt(ha.enabled) === true;
    const replicas = haEnabled ? (numberAt(ha.replicas) ?? 3) : 1;
    const budget = objectAt(ha.disruptionBudget);
    const enabled = haEnabled && booleanAt(budget.enabled) !== false;
    // The chart's own formula: 0 with one replica, else the value set, else floor((n-1)/2).
    const maxUnavailable = replicas === 1 ? 0 : (numberAt(budget.maxUnavailable) ?? Math.floor((replicas - 1) / 2));
    return [
      {
        ...base,
        describe: `Vault server of release "${name}"`,
        replicas,
        budget: { source: "switch", enabled, blocksAll: enabled && maxUnavailable === 0, field: "server.ha.disruptionBudget" },
        spread: affinitySpreads(server.affinity, false) || nonEmpty(server.topologySpreadConstraints),
        spreadField: "server.affinity (podAntiAffinity) or server.topologySpreadConstraints",
      },
    ];
  }
  if (release.chart === "cert-manager" || release.chart.endsWith("/cert-manager")) return certManagerWorkloads(release, base, name);
  const redis = redisHaValues(release);
  if (redis === undefined) return [];
  const { values, at } = redis;
  const replicas = numberAt(values.replicas) ?? 3;
  const budget = objectAt(values.podDisruptionBudget);
  const topology = objectAt(values.topologySpreadConstraints);
  return [
    {
      ...base,
      describe: `Redis of release "${name}"`,
      replicas,
      budget: {
        source: "switch",
        enabled: Object.keys(budget).length > 0,
        blocksAll: budgetBlocksAll(budget, replicas),
        field: `${at}podDisruptionBudget`,
      },
      // hardAntiAffinity true or false both render pod anti-affinity (required or preferred); a custom affinity replaces it.
      spread: affinitySpreads(values.affinity, true) || booleanAt(topology.enabled) === true,
      spreadField: `${at}affinity (leave empty for the chart's anti-affinity) or ${at}topologySpreadConstraints.enabled`,
    },
  ];
}

/**
 * cert-manager's controller, webhook and CA injector: each has `replicaCount`
 * (1 by default), a `podDisruptionBudget` switch whose budget is
 * `minAvailable: 1` when neither bound is set, and no anti-affinity unless
 * `affinity` says so (templates at v1.21.1).
 */
function certManagerWorkloads(
  release: HelmReleaseView,
  base: Pick<ReplicatedWorkload, "construct" | "namespace" | "podLabels">,
  name: string,
): ReplicatedWorkload[] {
  const values = release.values;
  const components: Array<readonly [string, JsonObject, string]> = [
    ["controller", values, ""],
    ["webhook", objectAt(values.webhook), "webhook."],
  ];
  const cainjector = objectAt(values.cainjector);
  if (booleanAt(cainjector.enabled) !== false) components.push(["CA injector", cainjector, "cainjector."]);
  return components.map(([component, settings, at]) => {
    const replicas = numberAt(settings.replicaCount) ?? 1;
    const budget = objectAt(settings.podDisruptionBudget);
    const enabled = booleanAt(budget.enabled) === true;
    const bounds = "minAvailable" in budget || "maxUnavailable" in budget ? budget : { minAvailable: 1 };
    return {
      ...base,
      describe: `cert-manager ${component} of release "${name}"`,
      replicas,
      budget: { source: "switch", enabled, blocksAll: enabled && budgetBlocksAll(bounds, replicas), field: `${at}podDisruptionBudget` },
      spread: hasPodAntiAffinity(settings.affinity) || listAt(settings.topologySpreadConstraints).length > 0,
      spreadField: `${at}affinity (podAntiAffinity) or ${at}topologySpreadConstraints`,
    };
  });
}

/** The redis-ha values of a release: the chart itself, or Argo CD's redis-ha subchart when enabled. */
export function redisHaValues(release: HelmReleaseView): { readonly values: JsonObject; readonly at: string } | undefined {
  if (release.chart === "redis-ha" || release.chart.endsWith("/redis-ha")) return { values: release.values, at: "" };
  const sub = objectAt(release.values["redis-ha"]);
  if ((release.chart === "argo-cd" || release.chart.endsWith("/argo-cd")) && booleanAt(sub.enabled) === true) {
    return { values: sub, at: "redis-ha." };
  }
  return undefined;
}

/** `maxUnavailable: 0`, `minAvailable: 100%`, or `minAvailable` at or above the replicas: nothing may ever be evicted. */
export function budgetBlocksAll(spec: JsonObject, replicas: number): boolean {
  const maxUnavailable = spec.maxUnavailable;
  if (maxUnavailable === 0 || maxUnavailable === "0" || maxUnavailable === "0%") return true;
  const minAvailable = spec.minAvailable;
  if (minAvailable === "100%") return true;
  const min = numberAt(minAvailable);
  return min !== undefined && replicas > 0 && min >= replicas;
}

function hasPodAntiAffinity(affinity: unknown): boolean {
  const anti = objectAt(objectAt(affinity).podAntiAffinity);
  return (
    listAt(anti.requiredDuringSchedulingIgnoredDuringExecution).length > 0 ||
    listAt(anti.preferredDuringSchedulingIgnoredDuringExecution).length > 0
  );
}

/**
 * Chart affinity values are objects or templated strings. Unset means the
 * chart's default; an empty string drops Vault's but selects redis-ha's.
 */
function affinitySpreads(affinity: unknown, emptyStringSpreads: boolean): boolean {
  if (affinity === undefined || affinity === null) return true;
  if (typeof affinity === "string") return affinity.trim() === "" ? emptyStringSpreads : affinity.includes("podAntiAffinity");
  return isObject(affinity) && isObject(affinity.podAntiAffinity);
}

function nonEmpty(value: unknown): boolean {
  if (typeof value === "string") return value.trim() !== "";
  return listAt(value).length > 0;
}
