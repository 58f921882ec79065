/**
 * Security contexts that pass the `restricted` Pod Security Standard, for
 * charts whose defaults leave a field out.
 */

/** Every field `restricted` checks on a container. */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
} as const;

/** A pod running as `uid`, its volumes writable by the same group. */
export function restrictedPodSecurityContext(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: "RuntimeDefault" },
  } as const;
}
