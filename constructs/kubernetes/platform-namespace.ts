import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1, NetworkPolicyV1SpecEgress, NetworkPolicyV1SpecIngress } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ITerraformDependable, TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { assertValidProps } from "../common/validate-props";
import { checkNamespaceName } from "./names";
import { DEFAULT_PROMETHEUS_NAMESPACE } from "./service-props";

/** Pod Security Admission level enforced in a namespace. */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/** Traffic to or from another platform namespace. */
export interface NamespacePeer {
  readonly namespace: string;
  readonly ports: readonly number[];
}

export interface PlatformNamespaceProps {
  readonly name: string;
  /**
   * Enforced Pod Security level. Anything below `restricted` needs a reason;
   * `warn` and `audit` stay at `restricted` so violations remain visible.
   */
  readonly podSecurity: PodSecurityLevel;
  /** Why the namespace cannot run `restricted`. Required below `restricted`. */
  readonly podSecurityReason?: string;
  /** More labels on the namespace, e.g. the `platform/access-<service>` labels that admit it to a service. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Ports that application namespaces labelled `platform/access-<name>=true` may reach. @default [] */
  readonly clientPorts?: readonly number[];
  /** Ports scraped by Prometheus from `prometheusNamespace`. @default [] */
  readonly metricsPorts?: readonly number[];
  /** Namespace Prometheus scrapes from; false: nothing scrapes the metrics ports. @default "observability" */
  readonly prometheusNamespace?: string | false;
  /** Egress to the Kubernetes API server (operators, Vault Kubernetes auth). @default false */
  readonly kubernetesApi?: boolean;
  /**
   * Admission webhook ports the API server calls. Its source address is
   * outside the pod network on managed clusters, so any source is admitted.
   * @default []
   */
  readonly webhookPorts?: readonly number[];
  /** Egress to other platform namespaces. @default [] */
  readonly egressTo?: readonly NamespacePeer[];
  /** Ingress from other platform namespaces. @default [] */
  readonly ingressFrom?: readonly NamespacePeer[];
  /** Egress to public addresses on these ports (object storage, Git, chart repositories). @default [] */
  readonly internetEgressPorts?: readonly number[];
  /** Egress rules the options above do not express, e.g. Prometheus scraping every namespace. @default [] */
  readonly extraEgress?: readonly NetworkPolicyV1SpecEgress[];
}

/** Label an application namespace sets to reach a service's client ports. */
export function clientAccessLabel(namespace: string): string {
  return `platform/access-${namespace}`;
}

/**
 * The API server's address is only known once the cluster exists, and on
 * managed clusters it sits outside the pod network: allow its ports to any
 * address. 443 is the managed-cluster default, 6443 the kubeadm one.
 */
const KUBERNETES_API_PORTS = [443, 6443];
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/**
 * A namespace for one platform service: Pod Security Admission labels, a
 * default-deny NetworkPolicy for ingress and egress, and one `allow` policy
 * holding each explicitly allowed path as its own rule.
 */
export class PlatformNamespace extends Construct {
  public readonly name: string;
  public readonly namespace: NamespaceV1;
  /** Denies all ingress and egress of every pod in the namespace. */
  public readonly defaultDeny: NetworkPolicyV1;
  /**
   * Every allowed path, one rule each. One policy rather than one per path:
   * a stack holds a namespace per service, and each extra Terraform resource
   * costs synth, plan and apply time; a new path still shows in the plan as
   * one added rule.
   */
  public readonly allow: NetworkPolicyV1;
  public readonly networkPolicies: readonly NetworkPolicyV1[];

  constructor(scope: Construct, id: string, props: PlatformNamespaceProps) {
    super(scope, id);
    assertValidProps(this, (problems) => {
      checkNamespaceName(problems, "name", props.name);
      problems.check(
        props.podSecurity === "restricted" || (props.podSecurityReason ?? "").trim() !== "",
        "podSecurityReason",
        `Pod Security "${props.podSecurity}" needs a reason`,
        props.podSecurityReason,
        'say why the namespace cannot run "restricted", or use "restricted"',
      );
      const other = namespacesOf(scope).get(props.name);
      problems.check(
        other === undefined,
        "name",
        `namespace is already created by ${other?.node.path}`,
        props.name,
        "give each service its own namespace: every service construct takes a `namespace` prop",
      );
    });
    this.name = props.name;
    this.namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          "pod-security.kubernetes.io/enforce": props.podSecurity,
          "pod-security.kubernetes.io/enforce-version": "latest",
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
          "app.kubernetes.io/part-of": "platform",
        },
        annotations: props.podSecurityReason ? { "platform/pod-security-reason": props.podSecurityReason } : undefined,
      },
    });

    const rules = allowRules(props);
    this.defaultDeny = new NetworkPolicyV1(this, "default-deny", {
      metadata: { name: "default-deny", namespace: this.namespace.metadata.name },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });
    this.allow = new NetworkPolicyV1(this, "allow", {
      metadata: { name: "allow", namespace: this.namespace.metadata.name },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: rules.ingress, egress: rules.egress },
    });
    this.networkPolicies = [this.defaultDeny, this.allow];
    namespacesOf(scope).set(props.name, this);
  }

  /** Everything a release in this namespace must wait for. */
  public get dependables(): ITerraformDependable[] {
    return [this.namespace, ...this.networkPolicies];
  }
}

const NAMESPACES = new WeakMap<IConstruct, Map<string, PlatformNamespace>>();

/** The platform namespaces created so far in the stack of `scope`, by name. */
function namespacesOf(scope: IConstruct): Map<string, PlatformNamespace> {
  const stack = TerraformStack.of(scope);
  let names = NAMESPACES.get(stack);
  if (names === undefined) NAMESPACES.set(stack, (names = new Map()));
  return names;
}

/** The allowed paths, in a fixed order: own pods, DNS, named peers, clients, the API server, the internet. */
function allowRules(props: PlatformNamespaceProps): { ingress: NetworkPolicyV1SpecIngress[]; egress: NetworkPolicyV1SpecEgress[] } {
  const ingress: NetworkPolicyV1SpecIngress[] = [{ from: [{ podSelector: {} }] }];
  const egress: NetworkPolicyV1SpecEgress[] = [
    { to: [{ podSelector: {} }] },
    {
      to: [{ namespaceSelector: byName("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
      ports: [port(53, "UDP"), port(53, "TCP")],
    },
  ];
  const ingressFrom = [...(props.ingressFrom ?? [])];
  const prometheusNamespace = props.prometheusNamespace ?? DEFAULT_PROMETHEUS_NAMESPACE;
  if (prometheusNamespace !== false && props.metricsPorts?.length && props.name !== prometheusNamespace) {
    ingressFrom.push({ namespace: prometheusNamespace, ports: props.metricsPorts });
  }
  for (const peer of ingressFrom) {
    ingress.push({ from: [{ namespaceSelector: byName(peer.namespace) }], ports: peer.ports.map((p) => port(p)) });
  }
  if (props.clientPorts?.length) {
    ingress.push({
      from: [{ namespaceSelector: { matchLabels: { [clientAccessLabel(props.name)]: "true" } } }],
      ports: props.clientPorts.map((p) => port(p)),
    });
  }
  if (props.webhookPorts?.length) {
    ingress.push({ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: props.webhookPorts.map((p) => port(p)) });
  }
  for (const peer of props.egressTo ?? []) {
    egress.push({ to: [{ namespaceSelector: byName(peer.namespace) }], ports: peer.ports.map((p) => port(p)) });
  }
  if (props.kubernetesApi) {
    egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: KUBERNETES_API_PORTS.map((p) => port(p)) });
  }
  if (props.internetEgressPorts?.length) {
    egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: PRIVATE_RANGES } }], ports: props.internetEgressPorts.map((p) => port(p)) });
  }
  egress.push(...(props.extraEgress ?? []));
  return { ingress, egress };
}

function byName(namespace: string) {
  return { matchLabels: { "kubernetes.io/metadata.name": namespace } };
}

function port(number: number, protocol: "TCP" | "UDP" = "TCP") {
  return { port: String(number), protocol };
}
