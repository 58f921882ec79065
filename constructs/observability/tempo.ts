import { HelmValues } from "../helm/merge-values";
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT } from "../kubernetes/affinity";
import { ObservabilityContext } from "./context";
import { observabilityResources } from "./sizing";
import { ResolvedObservabilitySpec } from "./spec";

/** The uid the chart runs Tempo as. */
const TEMPO_UID = 10001;

/**
 * Values of the tempo chart: the single binary with its blocks on a volume.
 * Replicas would not share traces with local storage (that is tempo-distributed
 * with object storage), so it runs one.
 */
export function tempoValues(o: ResolvedObservabilitySpec, context: ObservabilityContext): HelmValues {
  return {
    replicas: 1,
    tempo: {
      retention: o.traceRetention,
      resources: observabilityResources(context.tier).tempo,
      // No egress to the internet: usage reports would only fail.
      reportingEnabled: false,
      securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
    },
    persistence: {
      enabled: true,
      size: o.tempoStorage.size,
      ...(o.tempoStorage.storageClass ? { storageClassName: o.tempoStorage.storageClass } : {}),
    },
    // The chart's pod context lacks the seccomp profile `restricted` requires.
    securityContext: {
      runAsNonRoot: true,
      runAsUser: TEMPO_UID,
      runAsGroup: TEMPO_UID,
      fsGroup: TEMPO_UID,
      seccompProfile: { type: "RuntimeDefault" },
    },
    nodeSelector: context.placement.nodeSelector,
    tolerations: context.placement.tolerations,
    serviceMonitor: { enabled: true },
  };
}
