import { ITerraformDependable } from "cdktf";
import { EnvironmentTier } from "../../environments/types";
import { Placement } from "../../core/placement";

/** What every platform service on Kubernetes receives from its stack. */
export interface KubernetesServiceProps {
  /** Environment (and stack) name, e.g. `dev`. */
  readonly environmentName: string;
  readonly tier: EnvironmentTier;
  /** Node selector and tolerations of the system pool. */
  readonly placement: Placement;
  /** Releases to install first, typically the node pools. @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Guard stateful releases with `prevent_destroy`. @default false */
  readonly preventDestroy?: boolean;
}

/** Pod anti-affinity strength by tier: production refuses to co-locate replicas. */
export function hardAntiAffinity(tier: EnvironmentTier): boolean {
  return tier === "production";
}

/** In-cluster DNS name of a Service. */
export function serviceHost(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}
