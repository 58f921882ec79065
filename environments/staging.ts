import { APPLICATIONS_POOL_LABELS, REMOTE_STATE, SYSTEM_POOL_LABELS, SYSTEM_POOL_TAINTS } from "./shared";
import { KubernetesEnvironmentConfig } from "./types";

export const staging: KubernetesEnvironmentConfig = {
  name: "staging",
  target: "kubernetes",
  cluster: {
    provider: "ovh",
    region: "GRA",
    kubeconfigPath: "~/.kube/platform-staging.yaml",
    kubeconfigContext: "kubernetes-admin@platform-staging",
  },
  state: REMOTE_STATE,
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
