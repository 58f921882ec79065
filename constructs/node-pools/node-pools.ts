import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { NodePoolConfig } from "../../core/placement";
import { KubernetesManifest, ManifestsRelease } from "../helm/manifests-release";

export interface NodePoolsProps {
  /**
   * `ovh`: the pools are OVHcloud `NodePool` resources this construct creates;
   * `generic`: the cluster brings its own pools.
   */
  readonly provider: "ovh" | "generic";
  readonly pools: readonly NodePoolConfig[];
  /**
   * Refuse to destroy the pools: destroying the release deletes every node.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/** Namespace that records the release; `NodePool` objects themselves are cluster-scoped. */
const RELEASE_NAMESPACE = "kube-system";

/**
 * The environment's node pools. On OVHcloud they are `NodePool` custom
 * resources (`kube.cloud.ovh.com/v1alpha1`); a generic cluster brings its own
 * pools and only their labels and taints are used, for placement.
 */
export class NodePools extends Construct {
  /** The release that creates the pools; undefined when the cluster manages them. */
  public readonly release?: ManifestsRelease;
  /** The NodePool objects, in declaration order (empty for a generic cluster). */
  public readonly manifests: readonly KubernetesManifest[];

  constructor(scope: Construct, id: string, props: NodePoolsProps) {
    super(scope, id);
    this.manifests = props.provider === "ovh" ? props.pools.map(ovhNodePool) : [];
    if (this.manifests.length > 0) {
      this.release = new ManifestsRelease(this, "ovh", {
        name: "node-pools",
        namespace: RELEASE_NAMESPACE,
        manifests: this.manifests,
        preventDestroy: props.preventDestroy,
      });
    }
  }

  /** What services must wait for: nodes to schedule on. */
  public get dependables(): ITerraformDependable[] {
    return this.release ? [this.release.helm.release] : [];
  }
}

function ovhNodePool(pool: NodePoolConfig): KubernetesManifest {
  return {
    apiVersion: "kube.cloud.ovh.com/v1alpha1",
    kind: "NodePool",
    metadata: { name: pool.name, labels: { "platform/pool-role": pool.role } },
    spec: {
      flavor: pool.flavor,
      desiredNodes: pool.desiredNodes,
      minNodes: pool.minNodes,
      maxNodes: pool.maxNodes,
      autoscale: pool.autoscale ?? true,
      antiAffinity: pool.antiAffinity ?? false,
      monthlyBilled: pool.monthlyBilled ?? false,
      template: {
        metadata: { labels: { ...(pool.labels ?? {}) }, annotations: {}, finalizers: [] },
        spec: { taints: [...(pool.taints ?? [])], unschedulable: false },
      },
    },
  };
}
