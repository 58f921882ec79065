import { ConfigurationError } from "../../core/problems";
import { DockerEnvironmentConfig, EnvironmentConfig, KubernetesEnvironmentConfig, PlatformServicesConfig } from "../../environments";
import { dev } from "../../environments/dev";
import { local } from "../../environments/local";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { buildPlatformApp } from "../../stacks/platform-app";
import { problemsOf } from "../support/environments";
import { containersByName, uploaded } from "../support/docker";
import { releaseValues, resourcesOfType, SynthesizedStack, synthEnvironment } from "../support/synth";

/** The environment with some services changed, and without its teams, which need most of them (see teams.test.ts). */
function withServices<T extends EnvironmentConfig>(config: T, services: PlatformServicesConfig): T {
  return { ...config, services: { ...config.services, ...services }, teams: [] };
}

type Json = Record<string, any>;

function releases(stack: SynthesizedStack): Json[] {
  return Object.values(resourcesOfType(stack, "helm_release")) as Json[];
}

/** Every `depends_on` entry and `${type.name…}` reference that names a resource the stack does not have. */
function danglingReferences(stack: SynthesizedStack): string[] {
  const existing = new Set<string>();
  for (const [type, resources] of Object.entries(stack.parsed.resource ?? {})) {
    for (const name of Object.keys(resources)) existing.add(`${type}.${name}`);
  }
  const dangling: string[] = [];
  const references = stack.json.matchAll(/\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)/g);
  for (const [, type, name] of references) {
    if (["var", "local", "data", "module", "each", "count", "path", "terraform", "self"].includes(type)) continue;
    if (!existing.has(`${type}.${name}`)) dangling.push(`${type}.${name}`);
  }
  return [...new Set(dangling)];
}

describe("enabled: false", () => {
  const withoutKafka = withServices(dev, { kafka: { ...dev.services?.kafka, enabled: false } });

  test("in dev, Kafka disabled leaves no Kafka release, namespace, output or dangling dependency", () => {
    const stack = synthEnvironment(withoutKafka);
    const names = releases(stack).map((release) => release.name);
    expect(names).not.toContain("strimzi-kafka-operator");
    expect(names).not.toContain("kafka-cluster");
    expect(stack.json).not.toMatch(/kafka\.strimzi\.io|strimzi/);
    const namespaces = Object.values(resourcesOfType(stack, "kubernetes_namespace_v1")).map((ns) => (ns as Json).metadata.name);
    expect(namespaces).not.toContain("kafka");
    expect(stack.parsed.output?.kafka_bootstrap_servers).toBeUndefined();
    expect(danglingReferences(stack)).toEqual([]);
    // The rest of the platform is still there.
    expect(names).toEqual(expect.arrayContaining(["vault", "redis", "cloudnative-pg", "kube-prometheus-stack"]));
  });

  test("the dangling-reference check notices a reference to a resource that is not there", () => {
    const stack = synthEnvironment(dev);
    expect(danglingReferences({ ...stack, json: `${stack.json} \${helm_release.gone_1234.id}` })).toEqual(["helm_release.gone_1234"]);
  });

  test("observability disabled: no monitors anywhere, no Grafana, nothing waits for the Prometheus Operator", () => {
    const stack = synthEnvironment(withServices(dev, { observability: { enabled: false } }));
    const names = releases(stack).map((release) => release.name);
    for (const release of ["kube-prometheus-stack", "loki", "tempo", "opentelemetry-collector", "grafana", "grafana-admin-secret"]) {
      expect(names).not.toContain(release);
    }
    expect(releaseValues(stack, "vault").serverTelemetry.serviceMonitor.enabled).toBe(false);
    expect(releaseValues(stack, "redis").exporter.serviceMonitor.enabled).toBe(false);
    expect(releaseValues(stack, "cloudnative-pg").monitoring.podMonitorEnabled).toBe(false);
    expect(releaseValues(stack, "kafka-cluster").manifests.map((manifest: Json) => manifest.kind)).not.toContain("PodMonitor");
    expect(stack.json).not.toContain("observability");
    expect(danglingReferences(stack)).toEqual([]);
  });

  test("every service can be switched off on its own where nothing needs it", () => {
    for (const service of ["kafka", "argocd", "observability"] as const) {
      const config = withServices(staging, { [service]: { ...staging.services?.[service], enabled: false } });
      expect(problemsOf(config)).toEqual([]);
      expect(danglingReferences(synthEnvironment(config))).toEqual([]);
    }
  });

  test("Vault disabled without PostgreSQL backups leaves External Secrets without a Vault store", () => {
    const config = withServices(dev, { vault: { enabled: false }, postgres: { ...dev.services?.postgres, backup: undefined } });
    expect(problemsOf(config)).toEqual([]);
    const stack = synthEnvironment(config);
    expect(releases(stack).map((release) => release.name)).not.toContain("vault-secret-store");
    expect(stack.parsed.output?.vault_endpoint).toBeUndefined();
    expect(danglingReferences(stack)).toEqual([]);
  });

  test("fails when Vault is disabled but PostgreSQL backups read their credentials from it", () => {
    expect(problemsOf(withServices(staging, { vault: { enabled: false } }))).toEqual([
      "environments/staging.ts: services.vault.enabled: PostgreSQL needs Vault for the object-storage credentials of its backups (services.postgres.backup) (got false; enable Vault, or set services.postgres.enabled: false too)",
    ]);
  });

  test("fails when External Secrets is disabled under the services that need it", () => {
    expect(problemsOf(withServices(dev, { externalSecrets: { enabled: false } }))).toEqual([
      "environments/dev.ts: services.externalSecrets.enabled: Redis needs External Secrets to generate its passwords in the cluster (got false; enable External Secrets, or set services.redis.enabled: false too)",
      "environments/dev.ts: services.externalSecrets.enabled: PostgreSQL needs External Secrets to generate its owners' passwords in the cluster (got false; enable External Secrets, or set services.postgres.enabled: false too)",
      "environments/dev.ts: services.externalSecrets.enabled: Observability needs External Secrets to generate Grafana's admin password in the cluster (got false; enable External Secrets, or set services.observability.enabled: false too)",
    ]);
  });

  test("fails when enabled is not a boolean, as when a config bypasses the type checker", () => {
    const config = withServices(dev, { kafka: { enabled: "no" as unknown as boolean } });
    expect(problemsOf(config)).toEqual([
      'environments/dev.ts: services.kafka.enabled: is not a boolean (got "no"; write true or false, without quotes)',
    ]);
  });

  test("a disabled service is not validated: its block may stay as it was", () => {
    expect(problemsOf(withServices(staging, { kafka: { controllers: 2, enabled: false } }))).toEqual([]);
  });

  test("an invalid environment writes nothing", () => {
    const config = withServices(dev, { externalSecrets: { enabled: false } });
    expect(() => buildPlatformApp([{ file: "environments/dev.ts", config }])).toThrow(ConfigurationError);
  });
});

describe("enabled: false on the local Docker engine", () => {
  const withoutKafka: DockerEnvironmentConfig = withServices(local, { kafka: { ...local.services?.kafka, enabled: false } });

  test("Kafka disabled: no container, no scrape job, no output", () => {
    const stack = synthEnvironment(withoutKafka);
    const containers = containersByName(stack);
    expect(Object.keys(containers).filter((name) => name.includes("kafka"))).toEqual([]);
    expect(uploaded(containers["local-prometheus"], "/etc/prometheus/prometheus.yml")).not.toContain("kafka");
    expect(stack.parsed.output?.kafka_bootstrap_servers).toBeUndefined();
    expect(danglingReferences(stack)).toEqual([]);
  });

  test("External Secrets and Argo CD may be declared there when disabled", () => {
    expect(
      problemsOf(
        withServices(local, {
          externalSecrets: { enabled: false },
          argocd: { enabled: false, source: { repoUrl: "https://x/y.git", path: "p" } },
        }),
      ),
    ).toEqual([]);
  });

  test("fails when a Docker service sets Helm values", () => {
    expect(problemsOf(withServices(local, { redis: { ...local.services?.redis, values: { replicas: 5 } } }))).toContain(
      'environments/local.ts: services.redis.values: values override Helm releases; a Docker environment runs containers (got {"replicas":5}; remove values here; the containers are configured by the service\'s typed fields)',
    );
  });
});

describe("values overrides", () => {
  const oidc = "name: SSO\nissuer: https://sso.example.com\nclientID: argocd\n";
  const withOidc: KubernetesEnvironmentConfig = withServices(dev, {
    argocd: {
      ...(dev.services?.argocd ?? { source: { repoUrl: "", path: "" } }),
      values: { "argo-cd": { configs: { cm: { "oidc.config": oidc } } } },
    },
  });

  test("an Argo CD OIDC setting shows in the argo-cd release's values, merged with the platform's", () => {
    const values = releaseValues(synthEnvironment(withOidc), "argocd");
    expect(values.configs.cm["oidc.config"]).toBe(oidc);
    // The platform's own values are still there.
    expect(values.dex).toEqual({ enabled: false });
    expect(values.global.networkPolicy).toEqual({ create: false });
  });

  test("an override replaces lists and scalars, merges mappings, and keeps null for Helm to drop a default", () => {
    const config = withServices(dev, {
      redis: { ...dev.services?.redis, values: { sentinel: { resources: null }, redis: { config: { "maxmemory-policy": "noeviction" } } } },
    });
    const values = releaseValues(synthEnvironment(config), "redis");
    expect(values.sentinel.resources).toBeNull();
    expect(values.sentinel.quorum).toBe(2);
    expect(values.redis.config["maxmemory-policy"]).toBe("noeviction");
    expect(values.redis.config.appendonly).toBe("yes");
  });

  test("a per-cluster PostgreSQL override applies after the service's, to that cluster only", () => {
    const config = withServices(dev, {
      postgres: {
        ...dev.services?.postgres,
        values: { cluster: { cluster: { logLevel: "debug" } } },
        clusters: [
          { name: "platform", databases: [{ name: "platform", owner: "platform" }], values: { cluster: { logLevel: "trace" } } },
          { name: "applications", databases: [{ name: "app", owner: "app" }] },
        ],
      },
    });
    const stack = synthEnvironment(config);
    expect(releaseValues(stack, "platform").cluster.logLevel).toBe("trace");
    expect(releaseValues(stack, "applications").cluster.logLevel).toBe("debug");
  });

  test("an override still passes the policies: a 2-voter Vault through values fails the synth", () => {
    const config = withServices(staging, { vault: { ...staging.services?.vault, values: { server: { ha: { replicas: 2 } } } } });
    // Production beside it: staging's platform cluster is a clone of production's.
    const app = buildPlatformApp([
      { file: "environments/staging.ts", config },
      { file: "environments/production.ts", config: production },
    ]);
    expect(() => app.synth()).toThrow(/PLAT-HA-002/);
  });

  test("fails when a multi-release service names a chart it does not install", () => {
    const config = withServices(dev, {
      argocd: { ...(dev.services?.argocd ?? { source: { repoUrl: "", path: "" } }), values: { argocd: { x: 1 } } as never },
    });
    expect(problemsOf(config)).toContain(
      'environments/dev.ts: services.argocd.values.argocd: no release of this service uses that chart (got "argocd"; use one of argo-cd, argocd-apps)',
    );
  });

  test("fails when values hold something YAML cannot carry: a function, undefined, NaN", () => {
    const config = withServices(dev, {
      vault: { ...dev.services?.vault, values: { server: { extraArgs: () => "-log-level=debug", ok: "x", gone: undefined } } },
    });
    expect(problemsOf(config)).toContain(
      'environments/dev.ts: services.vault.values.server.extraArgs: chart values hold a function, which YAML cannot carry to Helm (got "function extraArgs"; use strings, numbers, booleans, null, lists and mappings only)',
    );
    const undefinedValue = withServices(dev, { vault: { ...dev.services?.vault, values: { server: { ha: { replicas: undefined } } } } });
    expect(problemsOf(undefinedValue)).toContain(
      'environments/dev.ts: services.vault.values.server.ha.replicas: chart values hold undefined, which YAML cannot carry to Helm (got "undefined"; use strings, numbers, booleans, null, lists and mappings only)',
    );
    const notANumber = withServices(dev, { redis: { ...dev.services?.redis, values: { replicas: Number.NaN } } });
    expect(problemsOf(notANumber)).toContain(
      'environments/dev.ts: services.redis.values.replicas: chart values hold a number that is not finite, which YAML cannot carry to Helm (got "NaN"; use strings, numbers, booleans, null, lists and mappings only)',
    );
  });

  test("fails when values are not a mapping", () => {
    const config = withServices(dev, { kafka: { ...dev.services?.kafka, values: ["replicas: 2"] as never } });
    expect(problemsOf(config)).toContain(
      'environments/dev.ts: services.kafka.values: values must be a mapping of chart values (got ["replicas: 2"]; write the keys of the chart\'s values.yaml, e.g. { server: { replicas: 2 } })',
    );
  });
});
