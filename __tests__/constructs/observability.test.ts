import { KubernetesEnvironmentConfig } from "../../environments";
import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { NODE_EXPORTER_NAMESPACE, ObservabilityEndpoints } from "../../constructs/observability/endpoints";

const endpoints = new ObservabilityEndpoints("observability");
const GRAFANA_URL = endpoints.grafana;
const prometheusReplicaUrl = (replica: number) => endpoints.prometheusReplica(replica);
import { prometheusRetentionSize } from "../../constructs/observability/prometheus-stack";
import { ObservabilitySpec, resolveObservability } from "../../constructs/observability/spec";
import { problemsOf } from "../support/environments";
import { allowRules, clientRule, namespaceAnnotations, namespaceLabels, webhookRule } from "../support/namespaces";
import { Json, at, dependsOn, helmRelease, helmReleases, manifestsOf } from "../support/releases";
import { synthEnvironment } from "../support/synth";

function observabilityProblems(base: KubernetesEnvironmentConfig, observability: ObservabilitySpec): string[] {
  return problemsOf({ ...base, services: { ...base.services, observability } }).filter((line) => line.includes("services.observability."));
}

const release = (config: KubernetesEnvironmentConfig, name: string) => helmRelease(synthEnvironment(config), name);
const values = (config: KubernetesEnvironmentConfig, name: string) => release(config, name).values;
const prometheusSpec = (config: KubernetesEnvironmentConfig) => at(values(config, "kube-prometheus-stack"), "prometheus", "prometheusSpec");

describe("observability validation", () => {
  test("fails when a retention is not a duration the component reads", () => {
    // Loki's retention_period is a Prometheus duration ("7d" is one); Tempo's a Go duration, which has no weeks.
    expect(observabilityProblems(staging, { prometheusRetention: "15 days", logRetention: "7 days", traceRetention: "1w" })).toEqual([
      'environments/staging.ts: services.observability.prometheusRetention: retention is not a Prometheus duration (got "15 days"; write whole numbers with units y, w, d, h, m, s, ms, largest first, e.g. "15d" or "1d12h")',
      'environments/staging.ts: services.observability.logRetention: log retention is not a Prometheus duration, which Loki reads (got "7 days"; write whole numbers with units y, w, d, h, m, s, ms, largest first, e.g. "15d" or "1d12h")',
      'environments/staging.ts: services.observability.traceRetention: trace retention is not a Go duration, which Tempo reads (got "1w"; write hours, minutes or seconds, e.g. "72h"; Go has no days, so a week is "168h")',
    ]);
  });

  test("fails when a retention is shorter than its component honours", () => {
    expect(observabilityProblems(staging, { prometheusRetention: "1h", logRetention: "12h", traceRetention: "30m" })).toEqual([
      'environments/staging.ts: services.observability.prometheusRetention: retention is below 2h, Prometheus keeps its newest two hours in its head block regardless (got "1h"; use 2h or more)',
      'environments/staging.ts: services.observability.logRetention: log retention is below 24h, the shortest retention Loki applies (got "12h"; use 24h or more)',
      'environments/staging.ts: services.observability.traceRetention: trace retention is below 1h, too short to look at an incident\'s traces (got "30m"; use 1h or more)',
    ]);
  });

  test("fails when Loki's retention is 0, which switches retention off", () => {
    expect(observabilityProblems(staging, { logRetention: "0" })).toEqual([
      'environments/staging.ts: services.observability.logRetention: log retention 0 switches Loki\'s retention off: logs are kept until the volume fills (got "0"; use 24h or more, e.g. "168h")',
    ]);
  });

  test("passes each retention in its component's own form", () => {
    expect(observabilityProblems(staging, { prometheusRetention: "1d12h", logRetention: "4w", traceRetention: "1h30m" })).toEqual([]);
  });

  test("fails when replicas are not whole numbers of at least 1", () => {
    expect(observabilityProblems(staging, { prometheusReplicas: 0, collectorReplicas: 1.5 })).toEqual([
      "environments/staging.ts: services.observability.prometheusReplicas: replicas must be a whole number of at least 1 (got 0; use 1, or 2 for high availability)",
      "environments/staging.ts: services.observability.collectorReplicas: replicas must be a whole number of at least 1 (got 1.5; use 1, or 2 for high availability)",
    ]);
  });

  test("fails when Alertmanager runs 2 members", () => {
    expect(observabilityProblems(production, { alertmanagerReplicas: 2 })).toEqual([
      "environments/production.ts: services.observability.alertmanagerReplicas: Alertmanager clusters need 3 members to keep deduplicating with one down (got 2; use 1, or 3 for high availability)",
    ]);
  });

  test("fails when a volume size is not a Kubernetes quantity", () => {
    expect(observabilityProblems(dev, { lokiStorage: { size: "10 GB" } })).toEqual([
      'environments/dev.ts: services.observability.lokiStorage.size: storage size is not a Kubernetes quantity (got "10 GB"; write "10Gi"; units are Ki, Mi, Gi, Ti, or k, M, G, T for powers of ten, case-sensitive)',
    ]);
  });
});

describe("observability defaults", () => {
  test("are the documented ones, with production HA where the components support it", () => {
    const common = {
      prometheusRetention: "15d",
      prometheusStorage: { size: "50Gi" },
      logRetention: "168h",
      lokiStorage: { size: "50Gi" },
      traceRetention: "72h",
      tempoStorage: { size: "20Gi" },
      values: {},
    };
    expect(resolveObservability(undefined, { tier: "production", target: "kubernetes" })).toEqual({
      ...common,
      prometheusReplicas: 2,
      alertmanagerReplicas: 3,
      collectorReplicas: 2,
    });
    expect(resolveObservability(undefined, { tier: "staging", target: "kubernetes" })).toEqual({
      ...common,
      prometheusReplicas: 1,
      alertmanagerReplicas: 1,
      collectorReplicas: 1,
    });
  });
});

describe("observability on Kubernetes", () => {
  test.each([
    ["kube-prometheus-stack", "https://prometheus-community.github.io/helm-charts", "88.5.3", 900],
    ["grafana", "https://grafana-community.github.io/helm-charts", "12.11.1", 600],
    ["loki", "https://grafana-community.github.io/helm-charts", "18.11.0", 600],
    ["tempo", "https://grafana-community.github.io/helm-charts", "2.2.4", 600],
    ["opentelemetry-collector", "https://open-telemetry.github.io/opentelemetry-helm-charts", "0.170.0", 600],
  ])("%s is pinned from its repository", (chart, repository, version, timeout) => {
    expect(release(dev, chart).attributes).toMatchObject({
      chart,
      repository,
      version,
      namespace: "observability",
      timeout,
      atomic: true,
      max_history: 5,
    });
  });

  test("releases with data refuse destruction in production only", () => {
    for (const name of ["kube-prometheus-stack", "loki", "tempo"]) {
      expect(release(production, name).attributes.lifecycle).toEqual({ prevent_destroy: true });
      expect(release(staging, name).attributes.lifecycle).toBeUndefined();
    }
    expect(release(production, "grafana").attributes.lifecycle).toBeUndefined();
  });

  test.each([
    ["dev", dev, 1, "3d", "10Gi", "8704MB", "soft"],
    ["staging", staging, 1, "15d", "50Gi", "43520MB", "soft"],
    ["production", production, 2, "30d", "200Gi", "174080MB", "hard"],
  ])("%s sizes Prometheus per environment", (_name, config, replicas, retention, size, retentionSize, antiAffinity) => {
    expect(prometheusSpec(config)).toMatchObject({
      replicas,
      retention,
      retentionSize,
      podAntiAffinity: antiAffinity,
      storageSpec: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } } } },
      nodeSelector: { "platform/pool": "system" },
      externalLabels: { environment: config.name },
    });
  });

  test("retention size leaves 15% of the Prometheus volume free", () => {
    expect(prometheusRetentionSize("50Gi")).toBe("43520MB");
    expect(prometheusRetentionSize("1Ti")).toBe("891289MB");
    expect(prometheusRetentionSize("100G")).toBe("81062MB");
    expect(() => prometheusRetentionSize("lots")).toThrow("not a storage quantity: lots");
  });

  test("Prometheus picks up every ServiceMonitor, PodMonitor and rule in the cluster, and receives OTLP", () => {
    expect(prometheusSpec(dev)).toMatchObject({
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
      probeSelectorNilUsesHelmValues: false,
      scrapeConfigSelectorNilUsesHelmValues: false,
      enableOTLPReceiver: true,
    });
  });

  test.each([
    ["dev", dev, 1, "soft", false],
    ["production", production, 3, "hard", true],
  ])("%s runs Alertmanager with its replicas and a disruption budget when replicated", (_name, config, replicas, antiAffinity, budget) => {
    const alertmanager = at(values(config, "kube-prometheus-stack"), "alertmanager");
    expect(alertmanager).toMatchObject({
      alertmanagerSpec: { replicas, podAntiAffinity: antiAffinity },
      podDisruptionBudget: { enabled: budget },
    });
  });

  test("the managed control plane's unreachable targets are not scraped", () => {
    const stack = values(dev, "kube-prometheus-stack");
    for (const component of ["kubeEtcd", "kubeControllerManager", "kubeScheduler", "kubeProxy"])
      expect(at(stack, component)).toEqual({ enabled: false });
  });

  test("Grafana is its own release: kube-prometheus-stack only provides its datasources and dashboards", () => {
    expect(at(values(dev, "kube-prometheus-stack"), "grafana")).toMatchObject({
      enabled: false,
      forceDeployDatasources: true,
      forceDeployDashboards: true,
      additionalDataSources: [
        { name: "Loki", type: "loki", uid: "loki", url: "http://loki.observability.svc.cluster.local:3100" },
        {
          name: "Tempo",
          type: "tempo",
          uid: "tempo",
          url: "http://tempo.observability.svc.cluster.local:3200",
          jsonData: { tracesToLogsV2: { datasourceUid: "loki" } },
        },
      ],
    });
    expect(values(dev, "grafana")).toMatchObject({
      sidecar: {
        datasources: { enabled: true, label: "grafana_datasource", labelValue: "1" },
        dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" },
      },
      serviceMonitor: { enabled: true },
      nodeSelector: { "platform/pool": "system" },
    });
  });

  test("Grafana's admin password is generated in the cluster and never passes through Terraform", () => {
    expect(at(values(dev, "grafana"), "admin")).toEqual({
      existingSecret: "grafana-admin",
      userKey: "admin-user",
      passwordKey: "admin-password",
    });
    expect(at(values(dev, "grafana"), "adminPassword")).toBeUndefined();
    const [generator, externalSecret] = manifestsOf(release(dev, "grafana-admin-secret"));
    expect(generator).toMatchObject({
      apiVersion: "generators.external-secrets.io/v1alpha1",
      kind: "Password",
      metadata: { namespace: "observability" },
    });
    expect(at(externalSecret.spec, "target")).toMatchObject({
      name: "grafana-admin",
      template: { data: { "admin-user": "admin", "admin-password": "{{ .password }}" } },
    });
    const externalSecrets = release(dev, "external-secrets").address;
    expect(dependsOn(release(dev, "grafana-admin-secret"))).toContain(externalSecrets);
    expect(dependsOn(release(dev, "grafana"))).toEqual(
      expect.arrayContaining([release(dev, "kube-prometheus-stack").address, release(dev, "grafana-admin-secret").address]),
    );
  });

  test.each([
    ["dev", dev, "72h", "10Gi"],
    ["staging", staging, "168h", "50Gi"],
    ["production", production, "720h", "200Gi"],
  ])("%s keeps logs in one Monolithic Loki for its retention", (_name, config, retention, size) => {
    expect(values(config, "loki")).toMatchObject({
      deploymentMode: "Monolithic",
      loki: {
        auth_enabled: false,
        storage: { type: "filesystem" },
        limits_config: { retention_period: retention },
        compactor: { retention_enabled: true, delete_request_store: "filesystem" },
        schemaConfig: { configs: [{ store: "tsdb", object_store: "filesystem", schema: "v13" }] },
      },
      singleBinary: { replicas: 1, persistence: { enabled: true, size } },
      read: { replicas: 0 },
      write: { replicas: 0 },
      backend: { replicas: 0 },
    });
  });

  test("Loki's chart renders: its Helm test needs the canary, so both are off together", () => {
    const loki = values(dev, "loki");
    expect([at(loki, "lokiCanary", "enabled"), at(loki, "test", "enabled")]).toEqual([false, false]);
  });

  test.each([
    ["dev", dev, "24h", "5Gi"],
    ["production", production, "168h", "50Gi"],
  ])("%s keeps traces in Tempo for its retention, under a restricted security context", (_name, config, retention, size) => {
    expect(values(config, "tempo")).toMatchObject({
      replicas: 1,
      tempo: { retention, securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } },
      persistence: { enabled: true, size },
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    });
  });

  test("the collector receives OTLP and sends traces to Tempo, logs to Loki and metrics to every Prometheus replica", () => {
    const collector = values(production, "opentelemetry-collector");
    expect(collector).toMatchObject({
      mode: "deployment",
      image: { repository: "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s" },
      command: { name: "otelcol-k8s" },
      replicaCount: 2,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
    });
    expect(at(collector, "config", "exporters")).toEqual({
      debug: null,
      "otlp_grpc/tempo": { endpoint: "tempo.observability.svc.cluster.local:4317", tls: { insecure: true } },
      "otlp_http/loki": { endpoint: "http://loki.observability.svc.cluster.local:3100/otlp" },
      "otlp_http/prometheus-0": { endpoint: `${prometheusReplicaUrl(0)}/api/v1/otlp` },
      "otlp_http/prometheus-1": { endpoint: `${prometheusReplicaUrl(1)}/api/v1/otlp` },
    });
    expect(at(collector, "config", "service", "pipelines")).toEqual({
      traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["otlp_grpc/tempo"] },
      metrics: {
        receivers: ["otlp"],
        processors: ["memory_limiter", "batch"],
        exporters: ["otlp_http/prometheus-0", "otlp_http/prometheus-1"],
      },
      logs: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["otlp_http/loki"] },
    });
    expect(prometheusReplicaUrl(1)).toBe(
      "http://prometheus-kube-prometheus-stack-prometheus-1.prometheus-operated.observability.svc.cluster.local:9090",
    );
  });

  test("a single collector has no disruption budget and sends metrics to the one Prometheus", () => {
    const collector = values(dev, "opentelemetry-collector");
    expect(at(collector, "podDisruptionBudget")).toEqual({ enabled: false });
    expect(at(collector, "config", "service", "pipelines", "metrics", "exporters")).toEqual(["otlp_http/prometheus-0"]);
  });

  test.each([
    ["loki", ["monitoring", "serviceMonitor", "enabled"]],
    ["tempo", ["serviceMonitor", "enabled"]],
    ["grafana", ["serviceMonitor", "enabled"]],
    ["opentelemetry-collector", ["serviceMonitor", "enabled"]],
  ])("%s is scraped through its ServiceMonitor, installed after the Prometheus Operator's CRDs", (name, path) => {
    expect(at(values(dev, name), ...path)).toBe(true);
    expect(dependsOn(release(dev, name))).toContain(release(dev, "kube-prometheus-stack").address);
  });

  test("values are written out in full: YAML anchors for shared objects (the placement) would hide plan diffs", () => {
    const values = helmReleases(synthEnvironment(production)).map(({ attributes }) => (attributes.values as string[])[0]);
    expect(values.filter((yaml) => /(^|[\s-])[&*]a\d+\b/m.test(yaml))).toEqual([]);
    expect(values.join("\n")).toContain("platform/pool: system");
  });

  test("every container the platform sizes has requests and a memory limit", () => {
    const stack = values(dev, "kube-prometheus-stack");
    const sized: Array<Json | undefined> = [
      at(stack, "prometheus", "prometheusSpec", "resources"),
      at(stack, "alertmanager", "alertmanagerSpec", "resources"),
      at(stack, "prometheusOperator", "resources"),
      at(stack, "prometheusOperator", "prometheusConfigReloader", "resources"),
      at(stack, "prometheusOperator", "admissionWebhooks", "patch", "resources"),
      at(stack, "kube-state-metrics", "resources"),
      at(stack, "prometheus-node-exporter", "resources"),
      at(values(dev, "grafana"), "resources"),
      at(values(dev, "grafana"), "sidecar", "resources"),
      at(values(dev, "loki"), "singleBinary", "resources"),
      at(values(dev, "tempo"), "tempo", "resources"),
      at(values(dev, "opentelemetry-collector"), "resources"),
    ];
    for (const resources of sized)
      expect(resources).toMatchObject({
        requests: { cpu: expect.any(String), memory: expect.any(String) },
        limits: { memory: expect.any(String) },
      });
  });

  test("observability runs restricted; node-exporter gets its own privileged namespace, with the reason", () => {
    expect(namespaceLabels(dev, "observability")["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(namespaceLabels(dev, NODE_EXPORTER_NAMESPACE)["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(namespaceAnnotations(dev, NODE_EXPORTER_NAMESPACE)["platform/pod-security-reason"]).toMatch(/hostNetwork, hostPID/);
    expect(at(values(dev, "kube-prometheus-stack"), "prometheus-node-exporter", "namespaceOverride")).toBe(NODE_EXPORTER_NAMESPACE);
  });

  test("Prometheus may scrape pods in any namespace and the nodes' exporters; the API server reaches the operator's webhook", () => {
    const rules = allowRules(dev, "observability_namespace");
    expect(rules.egress).toContainEqual({ to: [{ namespace_selector: {} }] });
    expect(rules.egress).toContainEqual({
      to: [{ ip_block: { cidr: "0.0.0.0/0" } }],
      ports: [
        { port: "10250", protocol: "TCP" },
        { port: "9100", protocol: "TCP" },
      ],
    });
    expect(webhookRule(rules)?.ports).toEqual([{ port: "10250", protocol: "TCP" }]);
    expect(clientRule(rules, "observability")?.ports).toEqual([4317, 4318, 3000].map((port) => ({ port: String(port), protocol: "TCP" })));
  });

  test("the core services, whose charts create ServiceMonitors and PodMonitors too, install after kube-prometheus-stack", () => {
    const stack = release(dev, "kube-prometheus-stack").address;
    for (const name of ["vault", "external-secrets", "redis", "cloudnative-pg", "strimzi-kafka-operator", "argocd"]) {
      expect(dependsOn(release(dev, name))).toContain(stack);
    }
  });

  test("Grafana's and the collector's in-cluster addresses are outputs", () => {
    expect(synthEnvironment(dev).parsed.output).toMatchObject({
      grafana_url: { value: GRAFANA_URL },
      otlp_grpc_endpoint: { value: "opentelemetry-collector.observability.svc.cluster.local:4317" },
      otlp_http_endpoint: { value: "http://opentelemetry-collector.observability.svc.cluster.local:4318" },
    });
    expect(GRAFANA_URL).toBe("http://grafana.observability.svc.cluster.local");
  });
});
