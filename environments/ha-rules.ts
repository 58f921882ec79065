import { EnvironmentTier } from "./types";

/**
 * The vendors' quorum rules for the HA services, by tier, in one place: the
 * synth-time policies check the values that reach Terraform with them
 * (including values set outside typed props), with the same numbers as the
 * services' validation. Each function returns what is wrong and how to fix
 * it, or undefined.
 */

/** Vault raft voters and Kafka KRaft controllers: 3 tolerates one failure, 5 tolerates two. */
export const CONSENSUS_SIZES: readonly number[] = [3, 5];

/** Redis Sentinel cannot elect a leader after a failure with fewer. */
export const MIN_SENTINELS = 3;

/** CloudNativePG instances: a standby to fail over to in staging, and one more while another is replaced in production. */
export const MIN_POSTGRES_INSTANCES: Readonly<Record<EnvironmentTier, number>> = { development: 1, staging: 2, production: 3 };

/**
 * The tier of a stack that declares none, from its name: `local` and `dev`
 * are development, `production` is production, anything else staging.
 */
export function tierOfEnvironment(name: string): EnvironmentTier {
  if (name === "local" || name === "dev") return "development";
  return name === "production" ? "production" : "staging";
}

/** Raft voters or KRaft controllers: 3 or 5, and 1 too in development. */
export function consensusSizeProblem(count: number, tier: EnvironmentTier, members: string): string | undefined {
  const allowed = tier === "development" ? "1, 3 or 5" : "3 or 5";
  if (CONSENSUS_SIZES.includes(count) || (tier === "development" && count === 1)) return undefined;
  if (!Number.isInteger(count) || count < 1) return `${count} ${members} cannot form a quorum; use ${allowed}`;
  if (count % 2 === 0) return `${count} ${members} tolerate no more failures than ${count - 1}, and a split vote stalls; use ${allowed}`;
  return `${count} ${members} in a ${tier} environment; use ${allowed} (3 tolerates one failure, 5 tolerates two)`;
}

/** Smallest majority of `members`: what a quorum must reach. */
export function majorityOf(members: number): number {
  return Math.floor(members / 2) + 1;
}

/** Sentinels: at least 3, and a quorum that is a majority of them. */
export function sentinelProblem(sentinels: number, quorum: number): string | undefined {
  if (!Number.isInteger(sentinels) || sentinels < MIN_SENTINELS) {
    return `${sentinels} sentinels cannot elect a leader after a failure; use 3 or 5`;
  }
  const majority = majorityOf(sentinels);
  if (!Number.isInteger(quorum) || quorum < majority || quorum > sentinels) {
    return `quorum ${quorum} of ${sentinels} sentinels is not a majority (${quorum > sentinels ? "failover can never start" : "a minority partition can declare the primary down"}); use ${majority}`;
  }
  return undefined;
}

/** CloudNativePG instances: 1 in development, 2 in staging, 3 in production. */
export function postgresInstancesProblem(instances: number, tier: EnvironmentTier): string | undefined {
  const minimum = MIN_POSTGRES_INSTANCES[tier];
  if (Number.isInteger(instances) && instances >= minimum) return undefined;
  if (minimum === 1) return `${instances} instances run no database; use 1 or more`;
  return `${instances} instance${instances === 1 ? "" : "s"} in a ${tier} environment cannot survive losing one${minimum === 3 ? " while another is being replaced" : ""}; use ${minimum} or more`;
}
