import { HelmValues } from "../helm/merge-values";
import { EnvironmentTier } from "../../core/tiers";
import { ResourceRequirements, resources } from "../common/sizing";
import { hardAntiAffinity } from "../kubernetes/service-props";
import { Placement } from "../../core/placement";
import { ResolvedArgoCdSpec } from "./spec";

/** Ports Prometheus scrapes (values.yaml `containerPorts.metrics` of each component). */
export const ARGOCD_METRICS_PORTS = {
  controller: 8082,
  server: 8083,
  repoServer: 8084,
  applicationSet: 8080,
  notifications: 9001,
} as const;
/** argocd-server's container port behind its Service's 80 and 443. */
export const ARGOCD_SERVER_PORT = 8080;

/** Replicas of the stateless components in HA mode; one each otherwise. */
export const ARGOCD_HA_REPLICAS = 2;

export const ARGOCD_RESOURCES = {
  controller: resources("250m", "1Gi"),
  server: resources("50m", "256Mi"),
  repoServer: resources("100m", "512Mi"),
  applicationSet: resources("50m", "128Mi"),
  notifications: resources("50m", "128Mi"),
  redis: resources("50m", "128Mi"),
  redisHaProxy: resources("50m", "64Mi"),
  sentinel: resources("20m", "64Mi"),
  job: resources("10m", "64Mi"),
} satisfies Record<string, ResourceRequirements>;

export interface ArgoCdValuesContext {
  readonly tier: EnvironmentTier;
  readonly placement: Placement;
  /** Host of the UI for links and SSO callbacks. */
  readonly domain: string;
  /** ServiceMonitors for every component. */
  readonly monitoring: boolean;
}

/** Values of the argo-cd chart. */
export function argoCdValues(argocd: ResolvedArgoCdSpec, context: ArgoCdValuesContext): HelmValues {
  const ha = argocd.highAvailability;
  const replicas = ha ? ARGOCD_HA_REPLICAS : 1;
  const { nodeSelector, tolerations } = context.placement;
  const monitored = (port: number, resourceRequirements: ResourceRequirements) => ({
    resources: resourceRequirements,
    metrics: { enabled: true, serviceMonitor: { enabled: context.monitoring } },
    // Documents the port the namespace admits Prometheus on; the chart's default is the same.
    containerPorts: { metrics: port },
  });
  const disruptionBudget = { pdb: { enabled: ha, minAvailable: 1 } };
  return {
    global: {
      domain: context.domain,
      nodeSelector,
      tolerations,
      // HA validation guarantees the nodes a hard rule needs.
      affinity: { podAntiAffinity: ha || hardAntiAffinity(context.tier) ? "hard" : "soft" },
      // The platform namespace's policies are the single source of network rules; the chart's
      // (on by default since 10.0.0) would admit every namespace to argocd-server.
      networkPolicy: { create: false },
    },
    // No connector is configured: the admin account logs in, SSO is wired through `configs.cm`.
    dex: { enabled: false },
    controller: {
      // Extra controller replicas shard clusters instead of failing over (failover is the alpha
      // dynamic cluster distribution): one replica, rescheduled by its StatefulSet, as in Argo CD's HA manifests.
      replicas: 1,
      ...monitored(ARGOCD_METRICS_PORTS.controller, ARGOCD_RESOURCES.controller),
    },
    server: { replicas, ...monitored(ARGOCD_METRICS_PORTS.server, ARGOCD_RESOURCES.server), ...disruptionBudget },
    repoServer: { replicas, ...monitored(ARGOCD_METRICS_PORTS.repoServer, ARGOCD_RESOURCES.repoServer), ...disruptionBudget },
    applicationSet: { replicas, ...monitored(ARGOCD_METRICS_PORTS.applicationSet, ARGOCD_RESOURCES.applicationSet), ...disruptionBudget },
    notifications: monitored(ARGOCD_METRICS_PORTS.notifications, ARGOCD_RESOURCES.notifications),
    redis: { resources: ARGOCD_RESOURCES.redis },
    redisSecretInit: { resources: ARGOCD_RESOURCES.job },
    "redis-ha": ha ? redisHaValues(context.placement) : { enabled: false },
  };
}

/** redis-ha reads none of Argo CD's globals: placement is repeated here. */
function redisHaValues(placement: Placement): HelmValues {
  return {
    enabled: true,
    nodeSelector: placement.nodeSelector,
    tolerations: placement.tolerations,
    hardAntiAffinity: true,
    redis: { resources: ARGOCD_RESOURCES.redis },
    sentinel: { resources: ARGOCD_RESOURCES.sentinel },
    init: { resources: ARGOCD_RESOURCES.job },
    splitBrainDetection: { resources: ARGOCD_RESOURCES.sentinel },
    // One Redis (with its sentinel) or HAProxy pod at a time: the sentinels keep their majority.
    podDisruptionBudget: { maxUnavailable: 1 },
    haproxy: { hardAntiAffinity: true, resources: ARGOCD_RESOURCES.redisHaProxy, podDisruptionBudget: { maxUnavailable: 1 } },
  };
}
