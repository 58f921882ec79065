import { HelmValues } from "../helm/merge-values";
import { ResolvedArgoCdSpec } from "./spec";

/** The cluster Argo CD runs in, as Argo CD names it. */
export const IN_CLUSTER = "https://kubernetes.default.svc";

/** Name of the app-of-apps Application; the Applications it syncs are declared in Git. */
export const ROOT_APPLICATION = "root";

/**
 * Values of the argocd-apps chart: one AppProject named after the environment
 * and the root Application of the app-of-apps pattern in it.
 */
export function argoCdAppsValues(environmentName: string, argocd: ResolvedArgoCdSpec, namespace: string): HelmValues {
  const { repoUrl, path, targetRevision } = argocd.source;
  return {
    projects: {
      [environmentName]: {
        namespace,
        description: `Applications of the ${environmentName} environment, synced from ${repoUrl}`,
        sourceRepos: [repoUrl],
        destinations: [{ server: IN_CLUSTER, namespace: "*" }],
        // Applications may create their namespaces, and nothing else cluster-wide.
        clusterResourceWhitelist: [{ group: "", kind: "Namespace" }],
      },
    },
    applications: {
      [ROOT_APPLICATION]: {
        namespace,
        project: environmentName,
        source: { repoURL: repoUrl, targetRevision, path },
        // The child Application objects live next to Argo CD.
        destination: { server: IN_CLUSTER, namespace },
        // No resources finalizer: deleting the root must not cascade into every workload.
        syncPolicy: argocd.syncPolicy === "automated" ? { automated: { prune: true, selfHeal: true } } : {},
      },
    },
  };
}
