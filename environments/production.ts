import { APPLICATIONS_POOL_LABELS, REMOTE_STATE, SYSTEM_POOL_LABELS, SYSTEM_POOL_TAINTS } from "./shared";
import { KubernetesEnvironmentConfig } from "./types";

export const production: KubernetesEnvironmentConfig = {
  name: "production",
  target: "kubernetes",
  cluster: {
    provider: "ovh",
    region: "GRA",
    kubeconfigPath: "~/.kube/platform-production.yaml",
    kubeconfigContext: "kubernetes-admin@platform-production",
  },
  state: REMOTE_STATE,
  protectFromDestroy: true,
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
