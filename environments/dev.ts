import { APPLICATIONS_POOL_LABELS, REMOTE_STATE, SYSTEM_POOL_LABELS, SYSTEM_POOL_TAINTS } from "./shared";
import { KubernetesEnvironmentConfig } from "./types";

export const dev: KubernetesEnvironmentConfig = {
  name: "dev",
  target: "kubernetes",
  cluster: {
    provider: "ovh",
    region: "GRA",
    kubeconfigPath: "~/.kube/platform-dev.yaml",
    kubeconfigContext: "kubernetes-admin@platform-dev",
  },
  state: REMOTE_STATE,
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
