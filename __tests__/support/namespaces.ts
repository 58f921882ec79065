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

type Rule = Record<string, any>;

/** The ingress and egress rules of a namespace's `allow` policy (its `namespace` references the namespace resource). */
export function allowRules(config: EnvironmentConfig, namespaceResource: string): { ingress: Rule[]; egress: Rule[] } {
  const policies = Object.values(
    resourcesOfType(synthEnvironment(config), "kubernetes_network_policy_v1"),
  ) as unknown as SynthesizedNetworkPolicy[];
  const allow = policies.find((policy) => policy.metadata.name === "allow" && policy.metadata.namespace.includes(`.${namespaceResource}_`));
  if (allow === undefined) throw new Error(`no allow policy in ${namespaceResource}`);
  return { ingress: (allow.spec.ingress as Rule[]) ?? [], egress: (allow.spec.egress as Rule[]) ?? [] };
}

/** The ingress rule admitting application namespaces labelled `platform/access-<namespace>`. */
export function clientRule(rules: { ingress: Rule[] }, namespace: string): Rule | undefined {
  return rules.ingress.find((rule) => rule.from?.[0]?.namespace_selector?.match_labels?.[`platform/access-${namespace}`] === "true");
}

/** The ingress rule admitting one named platform namespace. */
export function ingressFromRule(rules: { ingress: Rule[] }, namespace: string): Rule | undefined {
  return rules.ingress.find((rule) => rule.from?.[0]?.namespace_selector?.match_labels?.["kubernetes.io/metadata.name"] === namespace);
}

/** The ingress rule admitting any address (admission webhooks called by the API server). */
export function webhookRule(rules: { ingress: Rule[] }): Rule | undefined {
  return rules.ingress.find((rule) => rule.from?.[0]?.ip_block !== undefined);
}

/** The egress rule to public addresses (private ranges excepted). */
export function internetRule(rules: { egress: Rule[] }): Rule | undefined {
  return rules.egress.find((rule) => rule.to?.[0]?.ip_block?.except !== undefined);
}
