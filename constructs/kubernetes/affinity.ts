/**
 * Affinity terms for charts and custom resources that take a raw Kubernetes
 * `affinity` instead of a `nodeSelector` or an anti-affinity preset.
 */

/** One node per replica: the unit a node failure takes away. */
export const HOSTNAME_TOPOLOGY_KEY = "kubernetes.io/hostname";

export interface PodAntiAffinity {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly object[];
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly object[];
}

export interface NodeAffinity {
  readonly requiredDuringSchedulingIgnoredDuringExecution: {
    readonly nodeSelectorTerms: readonly { readonly matchExpressions: readonly object[] }[];
  };
}

/**
 * Keeps pods matching `matchLabels` on distinct nodes: required when `hard`
 * (a replica stays Pending rather than share a node), preferred otherwise.
 */
export function podAntiAffinity(matchLabels: Readonly<Record<string, string>>, hard: boolean): PodAntiAffinity {
  const term = { labelSelector: { matchLabels: { ...matchLabels } }, topologyKey: HOSTNAME_TOPOLOGY_KEY };
  return hard
    ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
    : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
}

/** A `nodeSelector` as required node affinity, for pod templates that have no `nodeSelector` field. */
export function requiredNodeAffinity(nodeSelector: Readonly<Record<string, string>>): NodeAffinity {
  const matchExpressions = Object.entries(nodeSelector).map(([key, value]) => ({ key, operator: "In", values: [value] }));
  return { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } };
}
