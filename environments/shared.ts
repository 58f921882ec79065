import type { KafkaTopicSpec, KafkaUserSpec } from "../constructs/kafka/spec";
import { S3StateConfig, Taint, VaultAccessConfig } from "./types";

/** Label every node of the system pool carries; platform services select it. */
export const SYSTEM_POOL_LABELS = { "platform/pool": "system" } as const;

/** Keeps application workloads off the system pool; platform services tolerate it. */
export const SYSTEM_POOL_TAINTS: readonly Taint[] = [{ key: "platform/pool", value: "system", effect: "NoSchedule" }];

export const APPLICATIONS_POOL_LABELS = { "platform/pool": "applications" } as const;

/**
 * The one bucket that holds every cluster environment's state, one key per stack.
 * Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, never from here.
 */
export const REMOTE_STATE: S3StateConfig = {
  backend: "s3",
  bucket: "platform-terraform-state",
  region: "gra",
  keyPrefix: "platform",
};

/** PostgreSQL backups: one bucket, one prefix per environment and cluster. */
export const POSTGRES_BACKUPS = {
  bucket: "platform-postgres-backups",
  endpoint: "https://s3.gra.io.cloud.ovh.net",
} as const;

/** The Git repository Argo CD's root Application follows; each environment has its own path. */
export const APPS_REPOSITORY = {
  repoUrl: "https://github.com/acme/platform-apps.git",
  targetRevision: "main",
} as const;

/** Topics every environment has: the platform's own event streams. */
export const PLATFORM_TOPICS: readonly KafkaTopicSpec[] = [
  { name: "platform.audit", partitions: 6 },
  { name: "platform.events", partitions: 12 },
];

/** Kafka users with the least access their job needs. */
export const PLATFORM_KAFKA_USERS: readonly KafkaUserSpec[] = [
  { name: "audit-writer", acls: [{ topic: "platform.audit", operations: ["Write", "Describe"] }] },
  { name: "events-reader", acls: [{ topic: "platform.events", operations: ["Read", "Describe"] }] },
];

/** Where an operator's port-forward puts Vault: `kubectl -n vault port-forward svc/vault-active 8200`. */
export const VAULT_PORT_FORWARD_ADDRESS = "https://127.0.0.1:8200";

/**
 * How the `<environment>-vault` stack reaches Vault, on a laptop and in CI
 * alike: through a port-forward to the active node, trusting the
 * environment's internal CA (the `ca.crt` of the Secret `vault/vault-tls`)
 * saved as `~/.vault/platform-<environment>-ca.pem`. Vault's certificate is
 * valid for 127.0.0.1. Only one environment's port-forward fits on 8200 at a time.
 */
export function vaultThroughPortForward(environment: string): VaultAccessConfig {
  return { address: VAULT_PORT_FORWARD_ADDRESS, caCertFile: `~/.vault/platform-${environment}-ca.pem` };
}
