/** Pod anti-affinity that keeps replicas with these labels on distinct nodes. */
export function podAntiAffinity(matchLabels: Readonly<Record<string, string>>, hard: boolean): object {
  const term = { labelSelector: { matchLabels: { ...matchLabels } }, topologyKey: "kubernetes.io/hostname" };
  return hard
    ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } }
    : { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
}

/** The container security context of the Pod Security Standards "restricted" profile. */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  runAsNonRoot: true,
  seccompProfile: { type: "RuntimeDefault" },
} as const;
