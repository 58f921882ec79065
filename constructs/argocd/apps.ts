import { HelmValues } from "../helm/merge-values";
import { GitSourceSpec, ResolvedArgoCdSpec } from "./spec";

/** A team's AppProject, restricted to its namespaces, and its Application when it has a repository. */
export interface ArgoCdTeam {
  /** The project's (and the Application's) name. */
  readonly name: string;
  /** The only namespaces its Applications may deploy into; the first receives its Application. */
  readonly namespaces: readonly string[];
  /** The repository path its Application follows; the project admits this repository only. */
  readonly source: GitSourceSpec;
}

/**
 * Kinds a team's Applications may not manage in its namespaces: what the
 * platform sizes for it. NetworkPolicies stay allowed, so a team can open its
 * own ingress on top of the platform's default deny.
 */
export const TEAM_RESOURCE_BLACKLIST = [
  { group: "", kind: "ResourceQuota" },
  { group: "", kind: "LimitRange" },
] as const;

/** The cluster Argo CD runs in, as Argo CD names it. */
export const IN_CLUSTER = "https://kubernetes.default.svc";

/** Name of the app-of-apps Application; the Applications it syncs are declared in Git. */
export const ROOT_APPLICATION = "root";

/**
 * Values of the argocd-apps chart: one AppProject named after the environment
 * and the root Application of the app-of-apps pattern in it.
 */
export function argoCdAppsValues(
  environmentName: string,
  argocd: ResolvedArgoCdSpec,
  namespace: string,
  teams: readonly ArgoCdTeam[] = [],
): HelmValues {
  const { repoUrl, path, targetRevision } = argocd.source;
  const syncPolicy = argocd.syncPolicy === "automated" ? { automated: { prune: true, selfHeal: true } } : {};
  const teamProjects = teams.map((team) => [
    team.name,
    {
      namespace,
      description: `Team ${team.name}: ${team.namespaces.join(", ")}`,
      sourceRepos: [team.source.repoUrl],
      destinations: team.namespaces.map((teamNamespace) => ({ server: IN_CLUSTER, namespace: teamNamespace })),
      // No clusterResourceWhitelist: Argo CD then allows no cluster-scoped kind at all.
      namespaceResourceBlacklist: TEAM_RESOURCE_BLACKLIST.map((kind) => ({ ...kind })),
    },
  ]);
  const teamApplications = teams.map((team) => [
    team.name,
    {
      namespace,
      project: team.name,
      source: { repoURL: team.source.repoUrl, targetRevision: team.source.targetRevision ?? "main", path: team.source.path },
      destination: { server: IN_CLUSTER, namespace: team.namespaces[0] },
      syncPolicy,
    },
  ]);
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
      ...Object.fromEntries(teamProjects),
    },
    applications: {
      [ROOT_APPLICATION]: {
        namespace,
        project: environmentName,
        source: { repoURL: repoUrl, targetRevision, path },
        // The child Application objects live next to Argo CD.
        destination: { server: IN_CLUSTER, namespace },
        // No resources finalizer: deleting the root must not cascade into every workload.
        syncPolicy,
      },
      ...Object.fromEntries(teamApplications),
    },
  };
}
