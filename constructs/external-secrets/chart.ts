import { ChartSource } from "../helm/platform-release";

/**
 * External Secrets Operator chart 2.9.0. Values keys checked against its
 * values.yaml and values.schema.json at helm-chart-2.9.0: installCRDs,
 * replicaCount, leaderElect, resources, global.{nodeSelector,tolerations},
 * podDisruptionBudget.{enabled,minAvailable}, serviceMonitor.enabled,
 * webhook.{replicaCount,resources,podDisruptionBudget}, certController.resources.
 * CRDs at that version: external-secrets.io/v1 (ClusterSecretStore,
 * ExternalSecret), generators.external-secrets.io/v1alpha1 (Password).
 */
export const EXTERNAL_SECRETS_CHART: ChartSource = {
  repository: "https://charts.external-secrets.io",
  chart: "external-secrets",
  version: "2.9.0",
};
