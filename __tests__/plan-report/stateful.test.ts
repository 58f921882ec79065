import { JsonValue, ResourceChange } from "../../tools/plan-report/plan-json";
import { statefulRule } from "../../tools/plan-report/stateful";

function resource(type: string, before: JsonValue, after: JsonValue = before): ResourceChange {
  return { address: `${type}.x`, type, name: "x", change: { actions: ["delete"], before, after } };
}

const release = (name: string, chart: string, repository: string | null = null) => resource("helm_release", { name, chart, repository });

describe("stateful resources", () => {
  test.each([
    [release("vault", "vault", "https://helm.releases.hashicorp.com"), "Vault (Helm release)"],
    [release("secrets", "vault"), "Vault (Helm release)"],
    [release("redis", "redis-ha"), "Redis (Helm release)"],
    [release("cnpg", "cloudnative-pg"), "PostgreSQL (Helm release)"],
    [release("platform-db", "cluster", "https://cloudnative-pg.github.io/charts"), "PostgreSQL (Helm release)"],
    [release("postgres", "./assets/platform-manifests"), "PostgreSQL (Helm release)"],
    [release("strimzi", "strimzi-kafka-operator"), "Kafka (Helm release)"],
    [release("kafka", "./assets/platform-manifests"), "Kafka (Helm release)"],
    [resource("kubernetes_persistent_volume_claim", {}), "PersistentVolumeClaim"],
    [resource("kubernetes_persistent_volume_claim_v1", {}), "PersistentVolumeClaim"],
    [resource("docker_volume", { name: "anything" }), "Docker volume"],
    [resource("vault_mount", { path: "platform", type: "kv" }), "Vault secrets engine (its secrets)"],
  ])("%#: %s", (change, label) => {
    expect(statefulRule(change)?.label).toBe(label);
  });

  test.each([
    release("argocd", "argo-cd"),
    release("loki", "loki"),
    release("cluster-autoscaler", "cluster-autoscaler"),
    resource("docker_container", { name: "vault" }),
    resource("kubernetes_namespace_v1", { metadata: [{ name: "vault" }] }),
    resource("vault_policy", { name: "external-secrets" }),
    resource("vault_kubernetes_auth_backend_role", { role_name: "external-secrets" }),
  ])("%#: not stateful", (change) => {
    expect(statefulRule(change)).toBeUndefined();
  });

  test("a release renamed to a stateful chart is matched on its old or its new values", () => {
    expect(statefulRule(resource("helm_release", { name: "db", chart: "cluster" }, null))?.label).toBe("PostgreSQL (Helm release)");
    expect(statefulRule(resource("helm_release", null, { name: "queue", chart: "strimzi-kafka-operator" }))?.label).toBe(
      "Kafka (Helm release)",
    );
  });
});
