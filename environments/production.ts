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
import { resources } from "../constructs/common/sizing";
import { BILLING, IDENTITY, teamIn } from "./teams";
import { KubernetesEnvironmentConfig } from "./types";

export const production: KubernetesEnvironmentConfig = {
  name: "production",
  tier: "production",
  target: "kubernetes",
  cluster: {
    provider: "ovh",
    region: "GRA",
    kubeconfigPath: "~/.kube/platform-production.yaml",
    kubeconfigContext: "kubernetes-admin@platform-production",
  },
  state: REMOTE_STATE,
  vaultAccess: vaultThroughPortForward("production"),
  protectFromDestroy: true,
  services: {
    vault: { replicas: 3, dataStorage: { size: "20Gi" }, auditStorage: { size: "50Gi" } },
    redis: { replicas: 3, sentinels: 3, maxMemory: "2gb", storage: { size: "20Gi" } },
    postgres: {
      instances: 3,
      storage: { size: "100Gi" },
      // shared_buffers a quarter and effective_cache_size three quarters of the instances' memory.
      parameters: { shared_buffers: "2GB", effective_cache_size: "6GB" },
      resources: resources("250m", "8Gi"),
      backup: { ...POSTGRES_BACKUPS, retention: "30d" },
    },
    kafka: {
      controllers: 3,
      brokers: 3,
      replicationFactor: 3,
      minInsyncReplicas: 2,
      brokerStorage: { size: "200Gi" },
      topics: PLATFORM_TOPICS,
      users: PLATFORM_KAFKA_USERS,
    },
    argocd: { source: { ...APPS_REPOSITORY, path: "environments/production", targetRevision: "production" } },
    observability: {
      prometheusRetention: "30d",
      prometheusStorage: { size: "200Gi" },
      logRetention: "720h",
      lokiStorage: { size: "200Gi" },
      traceRetention: "168h",
      tempoStorage: { size: "50Gi" },
    },
  },
  teams: [
    teamIn("production", IDENTITY, { cpu: "8", memory: "16Gi", storage: "50Gi" }),
    teamIn("production", BILLING, { cpu: "4", memory: "8Gi" }),
  ],
  nodePools: [
    {
      name: "system",
      role: "system",
      flavor: "b2-30",
      desiredNodes: 3,
      minNodes: 3,
      maxNodes: 5,
      // One node per hypervisor: losing a host costs one replica of each service.
      antiAffinity: true,
      monthlyBilled: true,
      labels: SYSTEM_POOL_LABELS,
      taints: SYSTEM_POOL_TAINTS,
    },
    {
      name: "applications",
      role: "applications",
      flavor: "b2-60",
      desiredNodes: 5,
      minNodes: 3,
      maxNodes: 15,
      monthlyBilled: true,
      labels: APPLICATIONS_POOL_LABELS,
    },
  ],
};

export default production;
