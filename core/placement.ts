/**
 * Node pools and how platform pods are placed on them: the types environments
 * declare and constructs consume.
 */

/** A Kubernetes taint, as the scheduler sees it. */
export interface Taint {
  readonly key: string;
  /** @default - no value (`key:effect`) */
  readonly value?: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export const TAINT_EFFECTS: readonly Taint["effect"][] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/**
 * What a node pool is for: platform services run on the single `system` pool,
 * application workloads on `applications` pools.
 */
export type NodePoolRole = "system" | "applications";

export const NODE_POOL_ROLES: readonly NodePoolRole[] = ["system", "applications"];

/** A group of identical worker nodes. */
export interface NodePoolConfig {
  /**
   * Pool name. On OVHcloud it cannot change after creation: renaming a pool
   * replaces all its nodes.
   */
  readonly name: string;
  readonly role: NodePoolRole;
  /** Instance flavor, e.g. `b2-15`. Immutable on OVHcloud. */
  readonly flavor: string;
  readonly desiredNodes: number;
  readonly minNodes: number;
  readonly maxNodes: number;
  /** @default true */
  readonly autoscale?: boolean;
  /**
   * Spread nodes over distinct hypervisors. Immutable on OVHcloud and caps
   * `maxNodes` at 5.
   * @default false
   */
  readonly antiAffinity?: boolean;
  /** @default false */
  readonly monthlyBilled?: boolean;
  /**
   * Labels put on every node of the pool. Platform services select the
   * system pool by these labels.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Taints put on every node of the pool. Platform services tolerate the
   * system pool's taints; other workloads are kept off it.
   * @default []
   */
  readonly taints?: readonly Taint[];
}

/** A toleration as Helm charts and pod specs expect it. */
export interface Toleration {
  readonly key: string;
  readonly operator: "Equal" | "Exists";
  readonly value?: string;
  readonly effect: Taint["effect"];
}

/** Where pods of a service are scheduled: a node selector and the tolerations of the pool's taints. */
export interface Placement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
}

/** Anywhere the scheduler likes: the default of a construct used without a pool. */
export const ANYWHERE: Placement = { nodeSelector: {}, tolerations: [] };

/** The single pool with role `system` (validation guarantees there is one). */
export function systemPoolOf(pools: readonly NodePoolConfig[]): NodePoolConfig {
  const pool = pools.find((candidate) => candidate.role === "system");
  if (pool === undefined) throw new Error(`no node pool has role "system" among ${pools.map((p) => p.name).join(", ") || "no pools"}`);
  return pool;
}

/** Selects the pool by its labels and tolerates its taints. */
export function placementOn(pool: NodePoolConfig): Placement {
  return {
    nodeSelector: { ...(pool.labels ?? {}) },
    tolerations: (pool.taints ?? []).map((taint) =>
      taint.value === undefined
        ? { key: taint.key, operator: "Exists", effect: taint.effect }
        : { key: taint.key, operator: "Equal", value: taint.value, effect: taint.effect },
    ),
  };
}
