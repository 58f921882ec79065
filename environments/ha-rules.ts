/**
 * The vendors' quorum rules for the HA services, in one place: service
 * validation checks typed props with them, and the synth-time policies check
 * the values that reach Terraform (including ones set outside typed props).
 * Each function returns what is wrong and how to fix it, or undefined.
 */

/** Environments where one replica of a stateful service is acceptable. */
export const SINGLE_REPLICA_ENVIRONMENTS: readonly string[] = ["local", "dev"];

/** Vault raft voters and Kafka KRaft controllers: 3 tolerates one failure, 5 tolerates two. */
export const CONSENSUS_SIZES: readonly number[] = [3, 5];

/** Redis Sentinel cannot elect a leader after a failure with fewer. */
export const MIN_SENTINELS = 3;

/** CloudNativePG outside development: a primary and at least one standby to fail over to. */
export const MIN_POSTGRES_INSTANCES = 2;

export function allowsSingleReplica(environment: string): boolean {
  return SINGLE_REPLICA_ENVIRONMENTS.includes(environment);
}

/** Raft voters or KRaft controllers: odd everywhere, 3 or 5 outside development. */
export function consensusSizeProblem(count: number, environment: string, members: string): string | undefined {
  if (!Number.isInteger(count) || count < 1) return `${count} ${members} cannot form a quorum; use 3 or 5`;
  if (allowsSingleReplica(environment)) {
    return count % 2 === 0
      ? `${count} ${members} tolerate no more failures than ${count - 1}, and a split vote stalls; use 1, 3 or 5`
      : undefined;
  }
  return CONSENSUS_SIZES.includes(count)
    ? undefined
    : `${count} ${members} in ${environment}; use 3 (tolerates one failure) or 5 (tolerates two)`;
}

/** Sentinels: at least 3, and a quorum that is a majority of them. */
export function sentinelProblem(sentinels: number, quorum: number): string | undefined {
  if (!Number.isInteger(sentinels) || sentinels < MIN_SENTINELS) {
    return `${sentinels} sentinels cannot elect a leader after a failure; use 3 or 5`;
  }
  const majority = Math.floor(sentinels / 2) + 1;
  if (!Number.isInteger(quorum) || quorum < majority || quorum > sentinels) {
    return `quorum ${quorum} of ${sentinels} sentinels is not a majority (${quorum > sentinels ? "failover can never start" : "a minority partition can declare the primary down"}); use ${majority}`;
  }
  return undefined;
}

/** CloudNativePG instances: one is fine in development, a standby is needed elsewhere. */
export function postgresInstancesProblem(instances: number, environment: string): string | undefined {
  if (!Number.isInteger(instances) || instances < 1) return `${instances} instances run no database; use 1 in development, 3 elsewhere`;
  if (allowsSingleReplica(environment) || instances >= MIN_POSTGRES_INSTANCES) return undefined;
  return `${instances} instance in ${environment} leaves no standby to fail over to; use ${MIN_POSTGRES_INSTANCES} or more (3 recommended)`;
}
