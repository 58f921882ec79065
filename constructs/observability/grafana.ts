import { HelmValues } from "../helm/merge-values";
import { GENERATED_PASSWORD, generatedSecretManifests } from "../external-secrets/generated-secret";
import { KubernetesManifest } from "../helm/manifests-release";
import { ObservabilityContext } from "./context";
import { GRAFANA_DASHBOARD_LABEL, GRAFANA_DATASOURCE_LABEL } from "./prometheus-stack";
import { observabilityResources } from "./sizing";

/** Secret holding Grafana's admin login, generated in the cluster by External Secrets. */
export const GRAFANA_ADMIN_SECRET = { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" } as const;
export const GRAFANA_ADMIN_USER = "admin";

/** The admin Secret's generator: the password never passes through Terraform. */
export function grafanaAdminSecretManifests(namespace: string): KubernetesManifest[] {
  return generatedSecretManifests({
    name: GRAFANA_ADMIN_SECRET.name,
    namespace,
    data: { [GRAFANA_ADMIN_SECRET.userKey]: GRAFANA_ADMIN_USER, [GRAFANA_ADMIN_SECRET.passwordKey]: GENERATED_PASSWORD },
  });
}

const [datasourceLabel, datasourceLabelValue] = Object.entries(GRAFANA_DATASOURCE_LABEL)[0];
const [dashboardLabel, dashboardLabelValue] = Object.entries(GRAFANA_DASHBOARD_LABEL)[0];

/**
 * Values of the grafana chart. Grafana is stateless: datasources and
 * dashboards are provisioned from ConfigMaps, the admin login from its Secret,
 * so a restart loses nothing declared here. One replica: more would each keep
 * their own SQLite database (users, sessions) and disagree.
 */
export function grafanaValues(context: Pick<ObservabilityContext, "tier" | "placement">): HelmValues {
  const sizes = observabilityResources(context.tier);
  return {
    replicas: 1,
    persistence: { enabled: false },
    admin: {
      existingSecret: GRAFANA_ADMIN_SECRET.name,
      userKey: GRAFANA_ADMIN_SECRET.userKey,
      passwordKey: GRAFANA_ADMIN_SECRET.passwordKey,
    },
    resources: sizes.grafana,
    nodeSelector: context.placement.nodeSelector,
    tolerations: context.placement.tolerations,
    sidecar: {
      resources: sizes.grafanaSidecar,
      // kube-prometheus-stack's datasources sit next to Grafana; dashboards may come from any namespace.
      datasources: { enabled: true, label: datasourceLabel, labelValue: datasourceLabelValue },
      dashboards: { enabled: true, label: dashboardLabel, labelValue: dashboardLabelValue, searchNamespace: "ALL" },
    },
    serviceMonitor: { enabled: true },
    // Its test pod runs only under `helm test`, without a restricted security context.
    testFramework: { enabled: false },
    // No egress to the internet: update checks and usage reports would only fail.
    "grafana.ini": { analytics: { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false } },
  };
}
