import { EnvironmentTier } from "./tiers";

/**
 * The vendors' quorum rules for the HA services, by tier, written once: the
 * services' validation reports them against the environment file, and the
 * synth-time policies check the values that reach Terraform with them
 * (including values set outside typed props). Each function returns the
 * breach, or undefined.
 */

/** A broken HA rule: what is wrong, and how to fix it. */
export interface Breach {
  readonly message: string;
  readonly fix: string;
}

/** One line, for policy findings: `<message>; <fix>`. */
export function describeBreach(breach: Breach): string {
  return `${breach.message}; ${breach.fix}`;
}

/** Vault raft voters and Kafka KRaft controllers: 3 tolerates one failure, 5 tolerates two. */
export const CONSENSUS_SIZES: readonly number[] = [3, 5];

/** Redis Sentinel cannot elect a leader after a failure with fewer. */
export const MIN_SENTINELS = 3;

/** CloudNativePG instances: a standby to fail over to in staging, and one more while another is replaced in production. */
export const MIN_POSTGRES_INSTANCES: Readonly<Record<EnvironmentTier, number>> = { development: 1, staging: 2, production: 3 };

/** Raft voters or KRaft controllers: 3 or 5, and 1 too in development. */
export function consensusSizeProblem(count: number, tier: EnvironmentTier, members: string): Breach | undefined {
  const fix = `use ${tier === "development" ? "1, 3 or 5" : "3 or 5"}`;
  if (CONSENSUS_SIZES.includes(count) || (tier === "development" && count === 1)) return undefined;
  if (!Number.isInteger(count) || count < 1) return { message: `${count} ${members} cannot form a quorum`, fix };
  if (count % 2 === 0) return { message: `${count} ${members} tolerate no more failures than ${count - 1}, and a split vote stalls`, fix };
  if (count === 1)
    return {
      message: `a ${tier} environment needs 3 or 5 ${members} to survive losing one`,
      fix: `${fix}: 3 tolerates one failure, 5 tolerates two`,
    };
  return { message: `${count} ${members} tolerate no more failures than 5 and slow every commit`, fix };
}

/** Smallest majority of `members`: what a quorum must reach. */
export function majorityOf(members: number): number {
  return Math.floor(members / 2) + 1;
}

/** Sentinels: at least 3, and a quorum that is a majority of them. `field` says which of the two is wrong. */
export function sentinelProblem(sentinels: number, quorum: number): (Breach & { readonly field: "sentinels" | "quorum" }) | undefined {
  if (!Number.isInteger(sentinels) || sentinels < MIN_SENTINELS) {
    return { field: "sentinels", message: `${sentinels} sentinels cannot elect a leader after a failure`, fix: "use 3 or 5" };
  }
  const majority = majorityOf(sentinels);
  if (!Number.isInteger(quorum) || quorum < majority || quorum > sentinels) {
    const why = quorum > sentinels ? "failover can never start" : "a minority partition can declare the primary down";
    return { field: "quorum", message: `quorum ${quorum} of ${sentinels} sentinels is not a majority (${why})`, fix: `use ${majority}` };
  }
  return undefined;
}

/** CloudNativePG instances: 1 in development, 2 in staging, 3 in production. */
export function postgresInstancesProblem(instances: number, tier: EnvironmentTier): Breach | undefined {
  const minimum = MIN_POSTGRES_INSTANCES[tier];
  if (Number.isInteger(instances) && instances >= minimum) return undefined;
  const fix = `use ${minimum} or more`;
  if (minimum === 1) return { message: `${instances} instances run no database`, fix };
  const plural = instances === 1 ? "" : "s";
  const during = minimum === 3 ? " while another is being replaced" : "";
  return { message: `${instances} instance${plural} in a ${tier} environment cannot survive losing one${during}`, fix };
}
