import { Testing, TerraformStack } from "cdktf";
import { PlatformNamespace } from "../../constructs/kubernetes/platform-namespace";
import { production } from "../../environments/production";
import { resourcesOfType, synthEnvironment } from "../support/synth";

describe("platform namespaces", () => {
  const prod = synthEnvironment(production);
  const namespaces = Object.values(resourcesOfType(prod, "kubernetes_namespace_v1")) as Array<{
    metadata: { name: string; labels: Record<string, string> };
  }>;
  const policies = Object.values(resourcesOfType(prod, "kubernetes_network_policy_v1")) as Array<{
    metadata: { name: string; namespace: string };
    spec: { policy_types: string[]; pod_selector: object; ingress?: object[]; egress?: object[] };
  }>;

  test("every service has its namespace, labelled for Pod Security Admission", () => {
    expect(namespaces.map((ns) => ns.metadata.name).sort()).toEqual(
      expect.arrayContaining(["cnpg-system", "external-secrets", "postgres", "redis", "vault"]),
    );
    for (const ns of namespaces) {
      expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toMatch(/^(restricted|baseline|privileged)$/);
      expect(ns.metadata.labels["pod-security.kubernetes.io/warn"]).toBe("restricted");
    }
  });

  test("every namespace denies all ingress and egress by default, then allows its own pods and DNS", () => {
    for (const key of Object.keys(resourcesOfType(prod, "kubernetes_namespace_v1"))) {
      const own = policies.filter((policy) => policy.metadata.namespace.includes(`kubernetes_namespace_v1.${key}.`));
      expect(own.map((policy) => policy.metadata.name).sort()).toEqual(["allow", "default-deny"]);
      expect(own.find((policy) => policy.metadata.name === "default-deny")?.spec).toEqual({
        policy_types: ["Ingress", "Egress"],
        pod_selector: {},
      });
      const allow = own.find((policy) => policy.metadata.name === "allow")?.spec as { ingress: object[]; egress: object[] };
      expect(allow.ingress[0]).toEqual({ from: [{ pod_selector: {} }] });
      expect(allow.egress.slice(0, 2)).toEqual([
        { to: [{ pod_selector: {} }] },
        {
          to: [
            {
              namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "kube-system" } },
              pod_selector: { match_labels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { port: "53", protocol: "UDP" },
            { port: "53", protocol: "TCP" },
          ],
        },
      ]);
    }
  });

  test("each allowed path is one rule: peers, clients, webhooks, the API server, the internet", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new PlatformNamespace(stack, "ns", {
      name: "cache",
      podSecurity: "restricted",
      clientPorts: [6379],
      metricsPorts: [9121],
      ingressFrom: [{ namespace: "operator", ports: [8000] }],
      egressTo: [{ namespace: "vault", ports: [8200] }],
      webhookPorts: [9443],
      kubernetesApi: true,
      internetEgressPorts: [443],
    });
    const synthesized = JSON.parse(Testing.synth(stack));
    const allow = Object.values(synthesized.resource.kubernetes_network_policy_v1 as Record<string, any>).find(
      (p) => p.metadata.name === "allow",
    );
    const tcp = (port: number) => ({ port: String(port), protocol: "TCP" });
    const byName = (name: string) => ({ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": name } } });
    expect(allow.spec.ingress).toEqual([
      { from: [{ pod_selector: {} }] },
      { from: [byName("operator")], ports: [tcp(8000)] },
      { from: [byName("observability")], ports: [tcp(9121)] },
      { from: [{ namespace_selector: { match_labels: { "platform/access-cache": "true" } } }], ports: [tcp(6379)] },
      { from: [{ ip_block: { cidr: "0.0.0.0/0" } }], ports: [tcp(9443)] },
    ]);
    expect(allow.spec.egress.slice(2)).toEqual([
      { to: [byName("vault")], ports: [tcp(8200)] },
      { to: [{ ip_block: { cidr: "0.0.0.0/0" } }], ports: [tcp(443), tcp(6443)] },
      { to: [{ ip_block: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } }], ports: [tcp(443)] },
    ]);
  });

  test("a namespace below restricted must say why", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    expect(() => new PlatformNamespace(stack, "ns", { name: "nodes", podSecurity: "privileged" })).toThrow(
      'test/ns: podSecurityReason: Pod Security "privileged" needs a reason (got nothing; say why the namespace cannot run "restricted", or use "restricted")',
    );
  });
});
