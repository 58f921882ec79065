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

/** A service's spec, its defaults applied, and the warnings synth should show. */
export function isOdd(value: number): boolean {
  return Number.isInteger(value) && value % 2 === 1;
}

/** Smallest majority of `members`: what a quorum must reach. */
export function majorityOf(members: number): number {
  return Math.floor(members / 2) + 1;
}
