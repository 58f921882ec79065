import { ITerraformDependable, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { ANYWHERE, NodePoolConfig, Placement } from "../../core/placement";
import { ServiceContext } from "../../core/service-context";
import { EnvironmentTier } from "../../core/tiers";

/**
 * What every platform service on Kubernetes may receive from its stack. All
 * optional: a service construct works alone in a bare stack, where it follows
 * the strictest (production) rules.
 */
export interface KubernetesServiceProps {
  /** Environment name: labels metrics and prefixes backup paths. @default - the stack's name */
  readonly environmentName?: string;
  /** Availability rules the service follows. @default "production" */
  readonly tier?: EnvironmentTier;
  /** Node selector and tolerations of the pool the service runs on. @default - anywhere the scheduler likes */
  readonly placement?: Placement;
  /**
   * The pool `placement` selects, for rules that depend on its size
   * (Argo CD's hard anti-affinity needs 3 nodes).
   * @default - unknown: those rules are not checked
   */
  readonly pool?: NodePoolConfig;
  /** Releases to install first, typically the node pools. @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Guard stateful releases with `prevent_destroy`. @default false */
  readonly preventDestroy?: boolean;
  /**
   * Create ServiceMonitors, PodMonitors and PrometheusRules. Their CRDs come
   * with the Prometheus Operator: switch this off where none is installed.
   * @default true
   */
  readonly monitoring?: boolean;
  /** Namespace of the Prometheus that scrapes the service; admitted on its metrics ports. @default "observability" */
  readonly prometheusNamespace?: string;
}

/** @default prometheusNamespace */
export const DEFAULT_PROMETHEUS_NAMESPACE = "observability";

/** KubernetesServiceProps with every default applied. */
export interface ResolvedServiceProps {
  readonly environmentName: string;
  readonly tier: EnvironmentTier;
  readonly placement: Placement;
  readonly dependsOn: readonly ITerraformDependable[];
  readonly preventDestroy: boolean;
  readonly monitoring: boolean;
  /** Where Prometheus scrapes from; false when the service is not monitored. */
  readonly prometheusNamespace: string | false;
  /** What the service's validation needs. */
  readonly context: ServiceContext;
}

export function resolveServiceProps(scope: IConstruct, props: KubernetesServiceProps): ResolvedServiceProps {
  const tier = props.tier ?? "production";
  const monitoring = props.monitoring ?? true;
  return {
    environmentName: props.environmentName ?? TerraformStack.of(scope).node.id,
    tier,
    placement: props.placement ?? ANYWHERE,
    dependsOn: props.dependsOn ?? [],
    preventDestroy: props.preventDestroy ?? false,
    monitoring,
    prometheusNamespace: monitoring ? (props.prometheusNamespace ?? DEFAULT_PROMETHEUS_NAMESPACE) : false,
    context: { tier, target: "kubernetes", systemPool: props.pool },
  };
}

/** Pod anti-affinity strength by tier: production refuses to co-locate replicas. */
export function hardAntiAffinity(tier: EnvironmentTier): boolean {
  return tier === "production";
}

/** In-cluster DNS name of a Service. */
export function serviceHost(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}
