import { KubernetesEnvironmentConfig, NodePoolConfig, Taint } from "../environments/types";

/** A toleration as Helm charts and pod specs expect it. */
export interface Toleration {
  readonly key: string;
  readonly operator: "Equal" | "Exists";
  readonly value?: string;
  readonly effect: Taint["effect"];
}

/** Where pods of a platform service are scheduled: the environment's system pool. */
export interface Placement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
}

/** The environment's single system pool (validation guarantees there is one). */
export function systemPool(environment: KubernetesEnvironmentConfig): NodePoolConfig {
  const pool = environment.nodePools.find((candidate) => candidate.role === "system");
  if (pool === undefined) throw new Error(`environment ${environment.name} has no system node pool`);
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
