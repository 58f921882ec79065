import { IConstruct } from "constructs";
import { derived, HelmReleaseView, StackInventory } from "./inventory";
import { JsonObject, objectAt, stringAt } from "./json";

/**
 * A CloudNativePG cluster, written either as a `Cluster` object or as values
 * of CloudNativePG's `cluster` chart (whose `cluster.*` values are the
 * Cluster's spec fields).
 */
export interface PostgresCluster {
  readonly construct: IConstruct;
  readonly describe: string;
  readonly namespace?: string;
  /** The Cluster spec fields: `instances`, `enablePDB`, `affinity`, `resources`, `imageName`. */
  readonly spec: JsonObject;
  /** Where those fields are written, for messages: `spec.` or `cluster.`. */
  readonly at: string;
  /** `instances` when unset: 1 for the CRD, 3 for the chart. */
  readonly defaultInstances: number;
}

export const postgresClusters = derived((inventory: StackInventory): readonly PostgresCluster[] => {
  const clusters: PostgresCluster[] = [];
  for (const object of inventory.objects) {
    if (object.kind !== "Cluster" || !object.apiVersion.startsWith("postgresql.cnpg.io/")) continue;
    clusters.push({
      construct: object.construct,
      describe: object.describe,
      namespace: object.namespace,
      spec: objectAt(object.object.spec),
      at: "spec.",
      defaultInstances: 1,
    });
  }
  for (const release of inventory.releases) {
    if (!isClusterChart(release)) continue;
    clusters.push({
      construct: release.resource.construct,
      describe: `CloudNativePG cluster of release "${stringAt(release.resource.attributes.name) ?? release.resource.id}"`,
      namespace: stringAt(release.resource.attributes.namespace),
      spec: objectAt(release.values.cluster),
      at: "cluster.",
      defaultInstances: 3,
    });
  }
  return clusters;
});

/** CloudNativePG's `cluster` chart, whose `cluster.*` values are a Cluster's spec. */
export function isClusterChart(release: HelmReleaseView): boolean {
  return release.chart === "cluster" && (release.repository ?? "").includes("cloudnative-pg");
}
