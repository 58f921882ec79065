import { EnvironmentConfig } from "../../environments";
import { resourcesOfType, synthEnvironment } from "./synth";

interface SynthesizedNamespace {
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
}

interface SynthesizedNetworkPolicy {
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: Record<string, unknown>;
}

function namespaceOf(config: EnvironmentConfig, name: string): SynthesizedNamespace {
  const found = Object.values(resourcesOfType(synthEnvironment(config), "kubernetes_namespace_v1")).find(
    (candidate) => (candidate as unknown as SynthesizedNamespace).metadata.name === name,
  );
  if (found === undefined) throw new Error(`no namespace ${name}`);
  return found as unknown as SynthesizedNamespace;
}

export function namespaceLabels(config: EnvironmentConfig, name: string): Record<string, string> {
  return namespaceOf(config, name).metadata.labels ?? {};
}

export function namespaceAnnotations(config: EnvironmentConfig, name: string): Record<string, string> {
  return namespaceOf(config, name).metadata.annotations ?? {};
}

/** NetworkPolicies of a namespace by name; their `namespace` is a reference to the namespace resource. */
export function networkPolicies(config: EnvironmentConfig, namespaceResource: string): Record<string, Record<string, unknown>> {
  const policies = Object.values(resourcesOfType(synthEnvironment(config), "kubernetes_network_policy_v1")) as unknown as SynthesizedNetworkPolicy[];
  return Object.fromEntries(
    policies.filter((policy) => policy.metadata.namespace.includes(`.${namespaceResource}_`)).map((policy) => [policy.metadata.name, policy.spec]),
  );
}
