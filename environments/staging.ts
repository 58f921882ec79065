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

export const staging: KubernetesEnvironmentConfig = {
  name: "staging",
  tier: "staging",
  target: "kubernetes",
  cluster: {
    provider: "ovh",
    region: "GRA",
    kubeconfigPath: "~/.kube/platform-staging.yaml",
    kubeconfigContext: "kubernetes-admin@platform-staging",
  },
  state: REMOTE_STATE,
  vaultAccess: vaultThroughPortForward("staging"),
  services: {
    vault: { replicas: 3 },
    redis: { replicas: 3, sentinels: 3 },
    postgres: {
      instances: 2,
      backup: { ...POSTGRES_BACKUPS, retention: "7d" },
      clusters: [
        {
          name: "platform",
          databases: [{ name: "platform", owner: "platform" }],
          // Production's data, sanitised: re-cloned whenever `refresh` changes (docs/services.md, Staging from production).
          cloneFrom: {
            environment: "production",
            cluster: "platform",
            refresh: 1,
            sanitise: [{ file: "postgres/sanitise/platform.sql" }],
          },
        },
        { name: "applications", databases: [{ name: "app", owner: "app" }] },
      ],
    },
    kafka: { controllers: 3, brokers: 3, topics: PLATFORM_TOPICS, users: PLATFORM_KAFKA_USERS },
    argocd: { source: { ...APPS_REPOSITORY, path: "environments/staging" } },
    observability: { prometheusRetention: "15d" },
  },
  teams: [teamIn("staging", IDENTITY, { cpu: "4", memory: "8Gi" }), teamIn("staging", BILLING, { cpu: "2", memory: "4Gi" })],
  nodePools: [
    {
      name: "system",
      role: "system",
      flavor: "b2-15",
      desiredNodes: 3,
      minNodes: 3,
      maxNodes: 5,
      labels: SYSTEM_POOL_LABELS,
      taints: SYSTEM_POOL_TAINTS,
    },
    {
      name: "applications",
      role: "applications",
      flavor: "b2-30",
      desiredNodes: 3,
      minNodes: 3,
      maxNodes: 8,
      labels: APPLICATIONS_POOL_LABELS,
    },
  ],
};

export default staging;
