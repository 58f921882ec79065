import { EnvironmentTier } from "../../core/tiers";
import { ResourceRequirements, resources } from "../common/sizing";

/** Container resources of the observability stack; production holds more series, logs and spans. */
export interface ObservabilityResources {
  readonly prometheus: ResourceRequirements;
  readonly alertmanager: ResourceRequirements;
  readonly prometheusOperator: ResourceRequirements;
  readonly configReloader: ResourceRequirements;
  readonly kubeStateMetrics: ResourceRequirements;
  readonly nodeExporter: ResourceRequirements;
  readonly grafana: ResourceRequirements;
  readonly grafanaSidecar: ResourceRequirements;
  readonly loki: ResourceRequirements;
  readonly tempo: ResourceRequirements;
  readonly collector: ResourceRequirements;
  /** Short-lived jobs: admission webhook certificates. */
  readonly job: ResourceRequirements;
}

const SHARED = {
  alertmanager: resources("50m", "128Mi"),
  prometheusOperator: resources("100m", "256Mi"),
  configReloader: resources("10m", "64Mi"),
  kubeStateMetrics: resources("50m", "256Mi"),
  nodeExporter: resources("50m", "64Mi"),
  grafanaSidecar: resources("50m", "128Mi"),
  job: resources("10m", "64Mi"),
};

export function observabilityResources(tier: EnvironmentTier): ObservabilityResources {
  if (tier === "production") {
    return {
      ...SHARED,
      prometheus: resources("500m", "4Gi"),
      grafana: resources("200m", "512Mi"),
      loki: resources("500m", "2Gi"),
      tempo: resources("500m", "2Gi"),
      collector: resources("200m", "512Mi"),
    };
  }
  return {
    ...SHARED,
    prometheus: resources("250m", "2Gi"),
    grafana: resources("100m", "256Mi"),
    loki: resources("250m", "1Gi"),
    tempo: resources("250m", "1Gi"),
    collector: resources("100m", "256Mi"),
  };
}
