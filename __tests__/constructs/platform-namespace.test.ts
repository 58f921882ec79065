import { Testing, TerraformStack } from "cdktf";
import { PlatformNamespace } from "../../constructs/kubernetes/platform-namespace";
import { production } from "../../environments/production";
import { resourcesOfType, synthEnvironment } from "../support/synth";

describe("platform namespaces", () => {
  const prod = synthEnvironment(production);
  const namespaces = Object.values(resourcesOfType(prod, "kubernetes_namespace_v1")) as Array<{ metadata: { name: string; labels: Record<string, string> } }>;
  const policies = Object.values(resourcesOfType(prod, "kubernetes_network_policy_v1")) as Array<{
    metadata: { name: string; namespace: string };
    spec: { policy_types: string[]; pod_selector: object; ingress?: object[]; egress?: object[] };
  }>;

  test("every service has its namespace, labelled for Pod Security Admission", () => {
    expect(namespaces.map((ns) => ns.metadata.name).sort()).toEqual(expect.arrayContaining(["cnpg-system", "external-secrets", "postgres", "redis", "vault"]));
    for (const ns of namespaces) {
      expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toMatch(/^(restricted|baseline|privileged)$/);
      expect(ns.metadata.labels["pod-security.kubernetes.io/warn"]).toBe("restricted");
    }
  });

  test("every namespace denies all ingress and egress by default and allows DNS", () => {
    for (const key of Object.keys(resourcesOfType(prod, "kubernetes_namespace_v1"))) {
      const own = policies.filter((policy) => policy.metadata.namespace.includes(`kubernetes_namespace_v1.${key}.`));
      expect(own.map((policy) => policy.metadata.name)).toEqual(expect.arrayContaining(["default-deny", "allow-dns"]));
      const deny = own.find((policy) => policy.metadata.name === "default-deny");
      expect(deny?.spec).toEqual({ policy_types: ["Ingress", "Egress"], pod_selector: {} });
    }
  });

  test("clients reach a service only from namespaces labelled for it, on its ports", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new PlatformNamespace(stack, "ns", { name: "cache", podSecurity: "restricted", clientPorts: [6379] });
    const synthesized = JSON.parse(Testing.synth(stack));
    const clients = Object.values(synthesized.resource.kubernetes_network_policy_v1 as Record<string, any>).find((p) => p.metadata.name === "allow-clients");
    expect(clients.spec.ingress).toEqual([
      { from: [{ namespace_selector: { match_labels: { "platform/access-cache": "true" } } }], ports: [{ port: "6379", protocol: "TCP" }] },
    ]);
  });

  test("a namespace below restricted must say why", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    expect(() => new PlatformNamespace(stack, "ns", { name: "nodes", podSecurity: "privileged" })).toThrow(
      'namespace nodes: Pod Security "privileged" needs a podSecurityReason',
    );
  });
});
