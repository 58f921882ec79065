import { EnvironmentConfig, EnvironmentTarget, EnvironmentTier, NodePoolConfig } from "../../environments/types";

/** What a service's validation needs to know about the environment it is placed in. */
export interface ServiceContext {
  readonly tier: EnvironmentTier;
  readonly target: EnvironmentTarget;
  /** The pool platform services run on; undefined on Docker. */
  readonly systemPool?: NodePoolConfig;
}

export function serviceContext(environment: EnvironmentConfig): ServiceContext {
  return {
    tier: environment.tier,
    target: environment.target,
    systemPool: environment.target === "kubernetes" ? environment.nodePools.find((pool) => pool.role === "system") : undefined,
  };
}

/** Raft and KRaft quorums want an odd member count: an even one adds no failure tolerance. */
export function isOdd(value: number): boolean {
  return Number.isInteger(value) && value % 2 === 1;
}
