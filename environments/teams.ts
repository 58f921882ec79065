import type { TeamSpec } from "../constructs/team/spec";

/**
 * The application teams, as every environment declares them; each environment
 * sizes them (`quota`) and points Argo CD at its own path of their repository.
 */
type TeamDefinition = Omit<TeamSpec, "quota" | "repository"> & { readonly repoUrl: string };

/** Sign-up, login and sessions: PostgreSQL, Kafka, Redis and Vault. */
export const IDENTITY: TeamDefinition = {
  name: "identity",
  repoUrl: "https://github.com/acme/identity.git",
  postgres: { cluster: "applications" },
  kafka: {
    owns: [
      { name: "identity.users", partitions: 6 },
      { name: "identity.sessions", partitions: 12 },
    ],
    reads: ["platform.events"],
  },
  redis: true,
  vault: { serviceAccounts: ["identity"] },
  metricsPorts: [8080],
};

/** Invoices from identity's users: PostgreSQL, Kafka as a reader, Vault; no Redis. */
export const BILLING: TeamDefinition = {
  name: "billing",
  repoUrl: "https://github.com/acme/billing.git",
  postgres: { cluster: "applications" },
  kafka: { reads: ["identity.users"] },
  vault: { serviceAccounts: ["billing"] },
  metricsPorts: [8080],
};

/** A team sized for an environment, following `deploy/<environment>` of its repository. */
export function teamIn(environment: string, team: TeamDefinition, quota: TeamSpec["quota"]): TeamSpec {
  const { repoUrl, ...spec } = team;
  return { ...spec, quota, repository: { repoUrl, path: `deploy/${environment}` } };
}
