import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { CertManager } from "../../constructs/cert-manager/kubernetes";
import { CA_LIFETIME_DEFAULTS, resolveCertManager } from "../../constructs/cert-manager/spec";
import { goDurationSeconds } from "../../core/quantities";
import { DockerEnvironmentConfig, KubernetesEnvironmentConfig } from "../../environments";
import { dev } from "../../environments/dev";
import { local } from "../../environments/local";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { problemsOf } from "../support/environments";
import { allowRules, namespaceLabels, webhookRule } from "../support/namespaces";
import { dependsOn, helmRelease as release } from "../support/releases";
import { helmRelease, releaseManifests, releaseValues, synthEnvironment } from "../support/synth";

function withCertManager(base: KubernetesEnvironmentConfig, certManager: object): KubernetesEnvironmentConfig {
  return { ...base, services: { ...base.services, certManager } };
}

describe("Go durations", () => {
  test.each([
    ["2160h", 2160 * 3600],
    ["1h30m", 5400],
    ["90s", 90],
    ["1.5h", 5400],
    ["500ms", 0.5],
  ])("%s is %d seconds", (text, seconds) => {
    expect(goDurationSeconds(text)).toBe(seconds);
  });

  test.each(["90d", "1y", "", "h", "1 h", "3600"])("%j is not a Go duration", (text) => {
    expect(goDurationSeconds(text)).toBeUndefined();
  });

  test("a negative duration is one to Go; cert-manager's rules refuse it (below)", () => {
    expect(goDurationSeconds("-1h")).toBe(-3600);
  });
});

describe("cert-manager validation", () => {
  test("fails when the CA's duration is not longer than its renewBefore", () => {
    expect(problemsOf(withCertManager(staging, { ca: { duration: "720h", renewBefore: "720h" } }))).toEqual([
      'environments/staging.ts: services.certManager.ca.duration: is not longer than renewBefore (720h), so cert-manager refuses the Certificate: it would be due for renewal as soon as it is issued (got "720h"; make duration longer than renewBefore, e.g. three times 720h, or shorten renewBefore)',
    ]);
    expect(problemsOf(withCertManager(staging, { ca: { duration: "24h" } }))).toEqual([
      expect.stringContaining("services.certManager.ca.duration: is not longer than renewBefore (8760h), so cert-manager refuses"),
    ]);
  });

  test("fails when a duration is not a Go duration, as cert-manager reads it", () => {
    expect(problemsOf(withCertManager(staging, { ca: { duration: "10y", renewBefore: "30d" } }))).toEqual([
      'environments/staging.ts: services.certManager.ca.duration: is not a Go duration (got "10y"; write a Go duration in hours, minutes or seconds, e.g. 2160h for 90 days: cert-manager knows no d or y unit)',
      expect.stringContaining('services.certManager.ca.renewBefore: is not a Go duration (got "30d";'),
    ]);
  });

  test("fails when a duration is below cert-manager's minimums: 1h, and 5m to renew", () => {
    expect(problemsOf(withCertManager(staging, { ca: { duration: "59m", renewBefore: "4m" } }))).toEqual([
      'environments/staging.ts: services.certManager.ca.duration: cert-manager refuses a certificate that lives less than 1h (got "59m"; use 1h or more, e.g. 2160h)',
      'environments/staging.ts: services.certManager.ca.renewBefore: cert-manager refuses a renewBefore under 5m (got "4m"; use 5m or more, e.g. 720h)',
    ]);
  });

  test("fails when replicas is not a whole number of at least 1", () => {
    expect(problemsOf(withCertManager(staging, { replicas: 0 }))).toEqual([
      expect.stringContaining("services.certManager.replicas: replicas must be a whole number of at least 1 (got 0;"),
    ]);
  });

  test("fails when a field is misspelled", () => {
    expect(problemsOf(withCertManager(staging, { ca: { durration: "2160h" } }))).toEqual([
      expect.stringContaining('services.certManager.ca.durration: is not a field here (got "2160h"; remove it, or did you mean duration?'),
    ]);
  });

  test("fails when Vault is on and cert-manager, which issues its certificate, is off", () => {
    expect(problemsOf(withCertManager(staging, { enabled: false }))).toEqual([
      "environments/staging.ts: services.certManager.enabled: Vault needs cert-manager to issue the certificate of its TLS listener inside the cluster (got false; enable cert-manager, or set services.vault.enabled: false too)",
      "environments/staging.ts: services.certManager.enabled: PostgreSQL needs cert-manager for the TLS between CloudNativePG and the Barman Cloud plugin that takes its backups (services.postgres.backup) (got false; enable cert-manager, or set services.postgres.enabled: false too)",
    ]);
  });

  test("cert-manager may be off when nothing needs it", () => {
    const config = {
      ...dev,
      services: { ...dev.services, certManager: { enabled: false }, vault: { enabled: false }, postgres: { enabled: false } },
      // Teams receive their credentials through Vault.
      teams: [],
    };
    expect(problemsOf(config)).toEqual([]);
  });

  test("fails when a Docker environment declares cert-manager", () => {
    const config: DockerEnvironmentConfig = { ...local, services: { ...local.services, certManager: {} } };
    expect(problemsOf(config)).toEqual([
      'environments/local.ts: services.certManager: cert-manager manages Kubernetes clusters; a Docker environment has none (got "certManager"; remove services.certManager from this environment)',
    ]);
  });

  test("a bare construct fails when its CA issuer name leaves no room for the self-signed issuer's suffix", () => {
    const stack = new TerraformStack(Testing.app(), "bare");
    expect(() => new CertManager(stack, "cm", { caIssuerName: "c".repeat(53) })).toThrow(
      "bare/cm: caIssuerName: CA issuer name is not allowed",
    );
  });
});

describe("cert-manager defaults", () => {
  test("2 replicas in production, 1 elsewhere; a 10-year CA renewed a year ahead", () => {
    expect(resolveCertManager(undefined, { tier: "production", target: "kubernetes" })).toEqual({
      replicas: 2,
      ca: { duration: "87600h", renewBefore: "8760h" },
      values: {},
    });
    expect(resolveCertManager(undefined, { tier: "staging", target: "kubernetes" }).replicas).toBe(1);
    expect(resolveCertManager({ ca: { duration: "43800h" } }, { tier: "staging", target: "kubernetes" }).ca).toEqual({
      duration: "43800h",
      renewBefore: CA_LIFETIME_DEFAULTS.renewBefore,
    });
  });
});

describe("cert-manager release", () => {
  const prod = synthEnvironment(production);

  test("pins the Jetstack chart at v1.21.1, its v included", () => {
    expect(helmRelease(prod, "cert-manager")).toMatchObject({
      repository: "https://charts.jetstack.io",
      chart: "cert-manager",
      version: "v1.21.1",
      namespace: expect.stringContaining("kubernetes_namespace_v1.cert-manager_namespace_"),
      atomic: true,
    });
  });

  test("sets only keys its values.schema.json at v1.21.1 knows (the list in chart.ts)", () => {
    const values = releaseValues(prod, "cert-manager");
    expect(Object.keys(values).sort()).toEqual(
      [
        "affinity",
        "cainjector",
        "containerSecurityContext",
        "crds",
        "global",
        "podDisruptionBudget",
        "prometheus",
        "replicaCount",
        "resources",
        "securityContext",
        "startupapicheck",
        "tolerations",
        "webhook",
      ].sort(),
    );
    const component = [
      "affinity",
      "containerSecurityContext",
      "podDisruptionBudget",
      "replicaCount",
      "resources",
      "securityContext",
      "tolerations",
    ];
    expect(Object.keys(values.webhook).sort()).toEqual(component);
    expect(Object.keys(values.cainjector).sort()).toEqual(["enabled", ...component].sort());
    expect(Object.keys(values.startupapicheck).sort()).toEqual([
      "containerSecurityContext",
      "enabled",
      "resources",
      "securityContext",
      "tolerations",
    ]);
    expect(values.global).toEqual({ nodeSelector: { "platform/pool": "system" }, leaderElection: { namespace: "cert-manager" } });
  });

  test("installs its CRDs and keeps them when the release goes, with the Certificates and Issuers they hold", () => {
    expect(releaseValues(prod, "cert-manager").crds).toEqual({ enabled: true, keep: true });
  });

  test("production runs 2 of each component, spread hard over nodes, each with a disruption budget", () => {
    const values = releaseValues(prod, "cert-manager");
    for (const [component, name, role] of [
      [values, "cert-manager", "controller"],
      [values.webhook, "webhook", "webhook"],
      [values.cainjector, "cainjector", "cainjector"],
    ]) {
      expect(component).toMatchObject({ replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } });
      expect(component.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
        {
          labelSelector: {
            matchLabels: {
              "app.kubernetes.io/name": name,
              "app.kubernetes.io/instance": "cert-manager",
              "app.kubernetes.io/component": role,
            },
          },
          topologyKey: "kubernetes.io/hostname",
        },
      ]);
      expect(component.tolerations).toEqual([{ key: "platform/pool", operator: "Equal", value: "system", effect: "NoSchedule" }]);
    }
  });

  test("a single replica elsewhere has no disruption budget, which would block every drain", () => {
    const values = releaseValues(synthEnvironment(staging), "cert-manager");
    for (const component of [values, values.webhook, values.cainjector]) {
      expect(component).toMatchObject({ replicaCount: 1, podDisruptionBudget: { enabled: false } });
    }
  });

  test("every container is sized and runs under the restricted profile", () => {
    const values = releaseValues(prod, "cert-manager");
    for (const component of [values, values.webhook, values.cainjector, values.startupapicheck]) {
      expect(component.resources).toMatchObject({
        requests: { cpu: expect.any(String), memory: expect.any(String) },
        limits: { memory: expect.any(String) },
      });
      expect(component.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(component.containerSecurityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        readOnlyRootFilesystem: true,
      });
    }
  });

  test("metrics go to Prometheus through a ServiceMonitor, only where one can be created", () => {
    expect(releaseValues(prod, "cert-manager").prometheus).toEqual({ enabled: true, servicemonitor: { enabled: true } });
    const unmonitored = synthEnvironment({ ...production, services: { ...production.services, observability: { enabled: false } } });
    expect(releaseValues(unmonitored, "cert-manager").prometheus).toEqual({ enabled: true, servicemonitor: { enabled: false } });
  });

  test("installs after kube-prometheus-stack, whose CRDs its ServiceMonitor needs", () => {
    expect(dependsOn(release(prod, "cert-manager"))).toContain(release(prod, "kube-prometheus-stack").address);
  });

  test("its namespace is restricted; the API server reaches the webhook, Prometheus the metrics, the pods the API server", () => {
    expect(namespaceLabels(production, "cert-manager")["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const rules = allowRules(production, "cert-manager_namespace");
    expect(webhookRule(rules)?.ports).toEqual([{ port: "10250", protocol: "TCP" }]);
    expect(rules.ingress).toContainEqual({
      from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "observability" } } }],
      ports: [{ port: "9402", protocol: "TCP" }],
    });
    expect(rules.egress).toContainEqual({
      to: [{ ip_block: { cidr: "0.0.0.0/0" } }],
      ports: [
        { port: "443", protocol: "TCP" },
        { port: "6443", protocol: "TCP" },
      ],
    });
  });
});

describe("the environment's certificate authority", () => {
  const prod = synthEnvironment(production);

  test("a self-signed ClusterIssuer signs an ECDSA CA Certificate in cert-manager's namespace, and a CA ClusterIssuer signs with it", () => {
    expect(releaseManifests(prod, "platform-ca-issuers")).toEqual([
      { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "platform-ca-selfsigned" }, spec: { selfSigned: {} } },
      {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "platform-ca", namespace: "cert-manager" },
        spec: {
          isCA: true,
          commonName: "platform-ca",
          subject: { organizations: ["platform"], organizationalUnits: ["production"] },
          secretName: "platform-ca",
          duration: "87600h",
          renewBefore: "8760h",
          privateKey: { algorithm: "ECDSA", size: 384, rotationPolicy: "Never" },
          issuerRef: { name: "platform-ca-selfsigned", kind: "ClusterIssuer", group: "cert-manager.io" },
        },
      },
      {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: "platform-ca" },
        spec: { ca: { secretName: "platform-ca" } },
      },
    ]);
  });

  test("goes through the project's chart once cert-manager has answered", () => {
    expect(helmRelease(prod, "platform-ca-issuers")).toMatchObject({
      chart: expect.stringMatching(/^assets\/platform-manifests-chart\//),
      namespace: "cert-manager",
    });
    expect(dependsOn(release(prod, "platform-ca-issuers"))).toEqual([release(prod, "cert-manager").address]);
  });

  test("the CA's lifetime is the environment's", () => {
    const config = withCertManager(staging, { ca: { duration: "43800h", renewBefore: "4380h" } });
    const [, ca] = releaseManifests(synthEnvironment(config), "platform-ca-issuers");
    expect(ca.spec).toMatchObject({ duration: "43800h", renewBefore: "4380h" });
  });

  test("the construct names its issuers and CA Secret, and hands out the CA issuer with what it waits for", () => {
    const stack = new TerraformStack(Testing.app(), "bare");
    const certManager = new CertManager(stack, "cm", { caIssuerName: "internal-ca", namespace: "certs" });
    expect([certManager.selfSignedIssuerName, certManager.caCertificateName, certManager.caSecretName, certManager.caIssuerName]).toEqual([
      "internal-ca-selfsigned",
      "internal-ca",
      "internal-ca",
      "internal-ca",
    ]);
    expect(certManager.caIssuer).toEqual({ name: "internal-ca", kind: "ClusterIssuer", ready: [certManager.issuers.helm.release] });
    const json = JSON.parse(Testing.synth(stack));
    const issuers = Object.values(json.resource.helm_release as Record<string, any>).find((r) => r.name === "internal-ca-issuers");
    expect(parse(issuers.values[0]).manifests[1].metadata).toEqual({ name: "internal-ca", namespace: "certs" });
  });
});
