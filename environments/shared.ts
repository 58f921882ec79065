import type { KafkaTopicSpec, KafkaUserSpec } from "../constructs/kafka/spec";
import { S3StateConfig, Taint } from "./types";

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
