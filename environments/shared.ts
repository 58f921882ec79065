import { S3StateConfig, Taint } from "./types";

/** Label every node of the system pool carries; platform services select it. */
export const SYSTEM_POOL_LABELS = { "platform/pool": "system" } as const;

/** Keeps application workloads off the system pool; platform services tolerate it. */
export const SYSTEM_POOL_TAINTS: readonly Taint[] = [
  { key: "platform/pool", value: "system", effect: "NoSchedule" },
];

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
