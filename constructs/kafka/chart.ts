import { ChartSource } from "../helm/platform-release";

/**
 * Strimzi cluster operator, from its OCI registry (the https repository is
 * deprecated since 0.36). Checked at 1.2.0: values.yaml (`watchNamespaces`,
 * `extraEnvs`, `generateNetworkPolicy`, `dashboards.enabled`, `resources`,
 * `nodeSelector`, `tolerations`; restricted `securityContext` by default) and
 * the CRDs it installs, which serve only `kafka.strimzi.io/v1` (Kafka 4.2.0 to
 * 4.3.1, KRaft with node pools only).
 */
export const STRIMZI_OPERATOR_CHART: ChartSource = {
  chart: "strimzi-kafka-operator",
  repository: "oci://quay.io/strimzi-helm",
  version: "1.2.0",
};
