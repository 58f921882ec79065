import { Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { parse } from "yaml";
import { ArgoCd } from "../../constructs/argocd/kubernetes";
import { CertManager } from "../../constructs/cert-manager/kubernetes";
import { ExternalSecrets } from "../../constructs/external-secrets/kubernetes";
import { Kafka } from "../../constructs/kafka/kubernetes";
import { Grafana, Observability } from "../../constructs/observability/kubernetes";
import { Postgres } from "../../constructs/postgres/kubernetes";
import { RedisHa } from "../../constructs/redis/kubernetes";
import { Vault } from "../../constructs/vault/kubernetes";
import { ConfigurationError } from "../../core/problems";

// aws-cdk style: each service construct in a bare stack, without an EnvironmentConfig,
// twice with different ids and namespaces, validating its own props.

type Json = Record<string, any>;

function bareStack(): TerraformStack {
  return new TerraformStack(Testing.app(), "bare");
}

function releases(stack: TerraformStack): Json[] {
  const json = JSON.parse(Testing.synth(stack)) as Json;
  return Object.values(json.resource?.helm_release ?? {}) as Json[];
}

function namespaces(stack: TerraformStack): string[] {
  const json = JSON.parse(Testing.synth(stack)) as Json;
  return Object.values(json.resource?.kubernetes_namespace_v1 ?? {}).map((ns) => (ns as Json).metadata.name);
}

const SOURCE = { repoUrl: "https://github.com/acme/apps.git", path: "apps" };

/** Each construct with the props that put a second instance beside the first. */
const BUILDERS: ReadonlyArray<readonly [string, (scope: Construct, id: string, suffix: string) => Construct]> = [
  [
    "CertManager",
    (scope, id, suffix) => new CertManager(scope, id, { namespace: `cert-manager${suffix}`, caIssuerName: `platform-ca${suffix}` }),
  ],
  ["Vault", (scope, id, suffix) => new Vault(scope, id, { namespace: `vault${suffix}`, releaseName: `vault${suffix}` })],
  ["ExternalSecrets", (scope, id, suffix) => new ExternalSecrets(scope, id, { namespace: `eso${suffix}`, storeName: `vault${suffix}` })],
  ["RedisHa", (scope, id, suffix) => new RedisHa(scope, id, { namespace: `redis${suffix}`, secretsReady: [] })],
  [
    "Postgres",
    (scope, id, suffix) =>
      new Postgres(scope, id, {
        namespace: `pg${suffix}`,
        operatorNamespace: `cnpg${suffix}`,
        secretsReady: [],
        spec: { backup: { bucket: "backups", endpoint: "https://s3.gra.io.cloud.ovh.net" } },
      }),
  ],
  ["Kafka", (scope, id, suffix) => new Kafka(scope, id, { namespace: `kafka${suffix}` })],
  ["ArgoCd", (scope, id, suffix) => new ArgoCd(scope, id, { namespace: `argocd${suffix}`, spec: { source: SOURCE } })],
  [
    "Observability",
    (scope, id, suffix) => new Observability(scope, id, { namespace: `obs${suffix}`, nodeExporterNamespace: `nodes${suffix}` }),
  ],
  ["Grafana", (scope, id, suffix) => new Grafana(scope, id, { namespace: `obs${suffix}`, secretsReady: [] })],
];

describe.each(BUILDERS)("%s", (_name, build) => {
  test("synthesizes alone in a bare stack, twice with different ids and namespaces", () => {
    const stack = bareStack();
    build(stack, "first", "-a");
    build(stack, "second", "-b");
    const names = releases(stack).map((release) => `${release.namespace}/${release.name}`);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
    const created = namespaces(stack);
    if (created.length > 0) {
      expect(created.some((name) => name.endsWith("-a"))).toBe(true);
      expect(created.some((name) => name.endsWith("-b"))).toBe(true);
    }
  });
});

describe("a bare construct follows the strictest rules", () => {
  test("fails when RedisHa is built with 2 sentinels, naming the construct and the field", () => {
    expect(() => new RedisHa(bareStack(), "cache", { secretsReady: [], spec: { replicas: 2, sentinels: 2 } })).toThrow(ConfigurationError);
    expect(() => new RedisHa(bareStack(), "cache", { secretsReady: [], spec: { replicas: 2, sentinels: 2 } })).toThrow(
      "bare/cache: spec.sentinels: 2 sentinels cannot elect a leader after a failure (got 2; use 3 or 5)",
    );
  });

  test("fails when Vault runs one voter without a tier, which production forbids", () => {
    expect(() => new Vault(bareStack(), "vault", { spec: { replicas: 1 } })).toThrow(
      "bare/vault: spec.replicas: a production environment needs 3 or 5 raft voters to survive losing one",
    );
    expect(() => new Vault(bareStack(), "vault", { spec: { replicas: 1 }, tier: "development" })).not.toThrow();
  });

  test("fails when a namespace prop is not a DNS-1123 label", () => {
    expect(() => new Kafka(bareStack(), "kafka", { namespace: "Kafka_Cluster" })).toThrow(
      'bare/kafka: namespace: namespace name is not a DNS-1123 label (got "Kafka_Cluster";',
    );
  });

  test("fails when a release name is longer than Helm allows", () => {
    expect(() => new Vault(bareStack(), "vault", { releaseName: "v".repeat(54) })).toThrow(
      "bare/vault: releaseName: Helm release name is not allowed",
    );
  });

  test("lists every problem at once", () => {
    let error: unknown;
    try {
      new Kafka(bareStack(), "kafka", { namespace: "Bad", spec: { controllers: 2, brokers: 0 } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).lines.map((line) => line.split(":").slice(0, 2).join(":"))).toEqual([
      "bare/kafka: spec.controllers",
      "bare/kafka: spec.brokers",
      "bare/kafka: spec.replicationFactor",
      "bare/kafka: namespace",
    ]);
  });
});

describe("names are claimed per stack", () => {
  test("fails when two services share a namespace, naming both constructs", () => {
    const stack = bareStack();
    new Kafka(stack, "first");
    expect(() => new Kafka(stack, "second")).toThrow("bare/second/namespace: name: namespace is already created by bare/first/namespace");
  });

  test("fails when two releases of one name land in one namespace", () => {
    const stack = bareStack();
    new Grafana(stack, "first", { secretsReady: [] });
    expect(() => new Grafana(stack, "second", { secretsReady: [] })).toThrow(
      'bare/second/admin-secret/helm: name: Helm release "grafana-admin-secret" is already installed in namespace observability by bare/first/admin-secret/helm',
    );
  });

  test("the same names in two stacks are two clusters' business", () => {
    const app = Testing.app();
    new Kafka(new TerraformStack(app, "one"), "kafka");
    expect(() => new Kafka(new TerraformStack(app, "two"), "kafka")).not.toThrow();
  });
});

describe("defaults of a bare construct", () => {
  test("the environment name is the stack's: it prefixes PostgreSQL backup paths", () => {
    const stack = bareStack();
    new Postgres(stack, "pg", { secretsReady: [], spec: { backup: { bucket: "backups", endpoint: "https://s3.gra.io.cloud.ovh.net" } } });
    const stores = releases(stack).find((release) => release.name === "postgres-object-stores");
    expect(parse(stores?.values[0]).manifests[0].spec.configuration.destinationPath).toBe("s3://backups/bare/platform");
  });

  test("placement is anywhere: no node selector, no tolerations", () => {
    const stack = bareStack();
    new Kafka(stack, "kafka");
    const operator = releases(stack).find((release) => release.name === "strimzi-kafka-operator");
    expect(parse(operator?.values[0])).toMatchObject({ nodeSelector: {}, tolerations: [] });
  });

  test("the namespaces are today's", () => {
    const stack = bareStack();
    new Vault(stack, "vault");
    new RedisHa(stack, "redis", { secretsReady: [] });
    new Postgres(stack, "postgres", { secretsReady: [], tier: "development" });
    expect(namespaces(stack).sort()).toEqual(["cnpg-system", "postgres", "redis", "vault"]);
  });

  test("monitoring is on unless switched off, and off leaves no monitor behind", () => {
    const on = bareStack();
    new RedisHa(on, "redis", { secretsReady: [] });
    const off = bareStack();
    new RedisHa(off, "redis", { secretsReady: [], monitoring: false });
    const exporter = (stack: TerraformStack) => parse(releases(stack).find((release) => release.name === "redis")?.values[0]).exporter;
    expect(exporter(on).serviceMonitor).toEqual({ enabled: true });
    expect(exporter(off).serviceMonitor).toEqual({ enabled: false });
  });
});
