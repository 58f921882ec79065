import {
  APPLICATIONS_POOL_LABELS,
  APPS_REPOSITORY,
  PLATFORM_KAFKA_USERS,
  PLATFORM_TOPICS,
  POSTGRES_BACKUPS,
  REMOTE_STATE,
  SYSTEM_POOL_LABELS,
  SYSTEM_POOL_TAINTS,
  vaultThroughPortForward,
} from "./shared";
import { BILLING, IDENTITY, teamIn } from "./teams";
import { KubernetesEnvironmentConfig } from "./types";

export const dev: KubernetesEnvironmentConfig = {
  name: "dev",
  tier: "development",
  target: "kubernetes",
  cluster: {
    provider: "ovh",
    region: "GRA",
    kubeconfigPath: "~/.kube/platform-dev.yaml",
    kubeconfigContext: "kubernetes-admin@platform-dev",
  },
  state: REMOTE_STATE,
  vaultAccess: vaultThroughPortForward("dev"),
  services: {
    // A single raft voter: fine for development, warned about at synth.
    vault: { replicas: 1, dataStorage: { size: "5Gi" }, auditStorage: { size: "5Gi" } },
    redis: { replicas: 3, sentinels: 3, storage: { size: "2Gi" } },
    postgres: {
      instances: 1,
      storage: { size: "5Gi" },
      backup: { ...POSTGRES_BACKUPS, retention: "3d" },
    },
    kafka: {
      controllers: 1,
      combinedRoles: true,
      replicationFactor: 1,
      minInsyncReplicas: 1,
      logRetentionHours: 24,
      brokerStorage: { size: "5Gi" },
      topics: PLATFORM_TOPICS,
      users: PLATFORM_KAFKA_USERS,
    },
    argocd: { source: { ...APPS_REPOSITORY, path: "environments/dev" } },
    observability: {
      prometheusRetention: "3d",
      prometheusStorage: { size: "10Gi" },
      logRetention: "72h",
      lokiStorage: { size: "10Gi" },
      traceRetention: "24h",
      tempoStorage: { size: "5Gi" },
    },
  },
  teams: [teamIn("dev", IDENTITY, { cpu: "2", memory: "4Gi" }), teamIn("dev", BILLING, { cpu: "1", memory: "2Gi" })],
  nodePools: [
    {
      name: "system",
      role: "system",
      flavor: "b2-7",
      desiredNodes: 2,
      minNodes: 2,
      maxNodes: 3,
      labels: SYSTEM_POOL_LABELS,
      taints: SYSTEM_POOL_TAINTS,
    },
    {
      name: "applications",
      role: "applications",
      flavor: "b2-15",
      desiredNodes: 2,
      minNodes: 2,
      maxNodes: 5,
      labels: APPLICATIONS_POOL_LABELS,
    },
  ],
};

export default dev;
