import { ChartSource } from "../helm/platform-release";

/**
 * cert-manager v1.21.1 (the chart version is the tag, with its `v`: the
 * release tool writes it into Chart.yaml). Values keys checked against
 * deploy/charts/cert-manager/values.yaml and values.schema.json at v1.21.1,
 * whose schema refuses unknown keys at the top level and in every component:
 * crds.{enabled,keep}, global.{nodeSelector,leaderElection.namespace},
 * replicaCount, podDisruptionBudget.{enabled,minAvailable}, resources,
 * tolerations, affinity, securityContext, containerSecurityContext,
 * prometheus.{enabled,servicemonitor.enabled}, webhook.{replicaCount,
 * podDisruptionBudget.{enabled,minAvailable},resources,tolerations,affinity,
 * securityContext,containerSecurityContext}, cainjector.{enabled,
 * replicaCount,podDisruptionBudget.{enabled,minAvailable},resources,
 * tolerations,affinity,securityContext,containerSecurityContext},
 * startupapicheck.{enabled,resources,tolerations,affinity,securityContext,
 * containerSecurityContext}. Webhook port (`webhook.securePort`, 10250) and
 * metrics port (9402, `http-metrics`) read from the templates at v1.21.1.
 * CRDs at that version: cert-manager.io/v1 (ClusterIssuer, Certificate).
 */
export const CERT_MANAGER_CHART: ChartSource = {
  repository: "https://charts.jetstack.io",
  chart: "cert-manager",
  version: "v1.21.1",
};
