import { ChartSource } from "../helm/platform-release";

/**
 * Argo CD 3.4.4. Checked at 10.1.1: values.yaml (`global.nodeSelector`,
 * `global.tolerations`, `global.affinity.podAntiAffinity`,
 * `global.networkPolicy.create` — true by default since 10.0.0 —, `dex.enabled`,
 * `<component>.replicas|resources|pdb|metrics.serviceMonitor`, `redis-ha.*`)
 * and the redis-ha 4.38.0 subchart's values (`nodeSelector`, `tolerations`,
 * `hardAntiAffinity`, `haproxy`, `redis`, `sentinel`, `init`,
 * `splitBrainDetection`), which does not inherit Argo CD's globals.
 */
export const ARGO_CD_CHART: ChartSource = {
  chart: "argo-cd",
  repository: "https://argoproj.github.io/argo-helm",
  version: "10.1.1",
};

/**
 * The environment's AppProject and root Application. Checked at 2.0.5:
 * `projects` and `applications` are maps keyed by name (lists before 2.0.0),
 * and the templates render `project`, `source`, `destination`, `syncPolicy`,
 * `sourceRepos`, `destinations`, `clusterResourceWhitelist`.
 */
export const ARGOCD_APPS_CHART: ChartSource = {
  chart: "argocd-apps",
  repository: "https://argoproj.github.io/argo-helm",
  version: "2.0.5",
};
