import { VAULT_CONFIGURATION_DEFAULTS } from "../../constructs/vault-config/spec";
import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { Vault } from "../../constructs/vault/kubernetes";
import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { KubernetesEnvironmentConfig } from "../../environments/types";
import { VAULT_DEFAULTS, resolveVault } from "../../constructs/vault/spec";
import { buildInventory } from "../../policies/inventory";
import { scanSecrets } from "../../policies/secret-scan";
import { problemsOf } from "../support/environments";
import { allowRules } from "../support/namespaces";
import { promqlSyntaxErrors } from "../support/promql";
import { dependsOn, helmRelease as release } from "../support/releases";
import { helmRelease, releaseManifests, releaseValues, synthEnvironment, synthWarnings } from "../support/synth";

function withVault(base: KubernetesEnvironmentConfig, vault: object): KubernetesEnvironmentConfig {
  return { ...base, services: { ...base.services, vault } };
}

describe("Vault validation", () => {
  test.each([2, 4])("fails when the voter count is even (%i)", (replicas) => {
    expect(problemsOf(withVault(staging, { replicas }))).toEqual([
      expect.stringContaining(
        `environments/staging.ts: services.vault.replicas: ${replicas} raft voters tolerate no more failures than ${replicas - 1}`,
      ),
    ]);
  });

  test("fails when staging or production run a single voter", () => {
    expect(problemsOf(withVault(production, { replicas: 1 }))).toEqual([
      "environments/production.ts: services.vault.replicas: a production environment needs 3 or 5 raft voters to survive losing one (got 1; use 3 or 5: 3 tolerates one failure, 5 tolerates two)",
    ]);
  });

  test("fails when there are more than 5 voters", () => {
    expect(problemsOf(withVault(staging, { replicas: 7 }))).toEqual([
      expect.stringContaining(
        "services.vault.replicas: 7 raft voters tolerate no more failures than 5 and slow every commit (got 7; use 3 or 5)",
      ),
    ]);
  });

  test("fails when a storage size is not a quantity", () => {
    expect(problemsOf(withVault(dev, { replicas: 1, dataStorage: { size: "10GB" } }))).toEqual([
      expect.stringContaining('services.vault.dataStorage.size: storage size is not a Kubernetes quantity (got "10GB";'),
    ]);
  });

  test("passes a single voter in development", () => {
    expect(problemsOf(withVault(dev, { replicas: 1 }))).toEqual([]);
  });
});

describe("Vault defaults", () => {
  test("are 3 voters, 10Gi data and audit volumes, UI and injector on", () => {
    expect(resolveVault(undefined)).toEqual({
      replicas: 3,
      dataStorage: { size: "10Gi" },
      auditStorage: { size: "10Gi" },
      ui: true,
      injector: true,
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "512Mi" } },
      tls: { duration: "8760h", renewBefore: "720h" },
      seal: { kind: "shamir" },
      values: {},
    });
    expect(resolveVault({ tls: { renewBefore: "168h" } }).tls).toEqual({ duration: "8760h", renewBefore: "168h" });
    expect(resolveVault({ replicas: undefined })).toEqual(VAULT_DEFAULTS);
  });
});

describe("Vault release", () => {
  const prod = synthEnvironment(production);

  test("pins the HashiCorp chart with the release guard rails and protects production", () => {
    expect(helmRelease(prod, "vault")).toMatchObject({
      repository: "https://helm.releases.hashicorp.com",
      chart: "vault",
      version: "0.34.1",
      atomic: true,
      cleanup_on_fail: true,
      max_history: 5,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("runs HA raft with the environment's voters, volumes and metrics", () => {
    const values = releaseValues(prod, "vault");
    expect(values.server.ha).toMatchObject({
      enabled: true,
      replicas: 3,
      raft: { enabled: true, setNodeId: true },
      disruptionBudget: { enabled: true },
    });
    expect(values.server.dataStorage).toMatchObject({ enabled: true, size: "20Gi" });
    expect(values.server.auditStorage).toMatchObject({ enabled: true, size: "50Gi" });
    expect(values.serverTelemetry.serviceMonitor.enabled).toBe(true);
    const hcl: string = values.server.ha.raft.config;
    for (const i of [0, 1, 2]) expect(hcl).toContain(`leader_api_addr = "https://vault-${i}.vault-internal:8200"`);
    expect(hcl).not.toContain("vault-3.");
    expect(hcl).toContain("prometheus_retention_time");
  });

  test("sits on the system pool with hard anti-affinity in production and soft in staging", () => {
    const values = releaseValues(prod, "vault");
    expect(values.server.nodeSelector).toEqual({ "platform/pool": "system" });
    expect(values.server.tolerations).toEqual([{ key: "platform/pool", operator: "Equal", value: "system", effect: "NoSchedule" }]);
    expect(values.server.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    const soft = releaseValues(synthEnvironment(staging), "vault").server.affinity.podAntiAffinity;
    expect(soft.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
    expect(soft.preferredDuringSchedulingIgnoredDuringExecution[0].weight).toBe(100);
  });

  test("runs under the restricted Pod Security profile", () => {
    const values = releaseValues(prod, "vault");
    for (const context of [values.server.statefulSet.securityContext, values.injector.securityContext]) {
      expect(context.pod).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(context.container).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    }
  });

  test("a single development voter gets no disruption budget, which would block node drains", () => {
    expect(releaseValues(synthEnvironment(dev), "vault").server.ha).toMatchObject({ replicas: 1, disruptionBudget: { enabled: false } });
  });

  test("values are one YAML document", () => {
    expect(() => parse((helmRelease(prod, "vault").values as string[])[0])).not.toThrow();
  });
});

describe("Vault synth warnings", () => {
  test("a single development voter is allowed with a warning", () => {
    expect(synthWarnings(dev)).toContain("Vault runs a single raft voter (replicas: 1): no failover; acceptable in development only");
  });

  test("three voters warn about nothing", () => {
    expect(synthWarnings(staging).filter((warning) => warning.includes("vault"))).toEqual([]);
  });
});

describe("Vault TLS inside the cluster", () => {
  const prod = synthEnvironment(production);
  const tlsDirectory = "/vault/userconfig/vault-tls";

  test("fails when the certificate's duration is not longer than its renewBefore", () => {
    expect(problemsOf(withVault(staging, { tls: { duration: "720h", renewBefore: "2160h" } }))).toEqual([
      expect.stringContaining(
        "environments/staging.ts: services.vault.tls.duration: is not longer than renewBefore (2160h), so cert-manager refuses the Certificate",
      ),
    ]);
  });

  test("fails when a certificate duration is not a Go duration", () => {
    expect(problemsOf(withVault(staging, { tls: { duration: "365d" } }))).toEqual([
      expect.stringContaining('services.vault.tls.duration: is not a Go duration (got "365d";'),
    ]);
  });

  test("the chart serves https: tlsDisable off, the certificate's Secret mounted, VAULT_CACERT for the CLI in the pods", () => {
    const values = releaseValues(prod, "vault");
    expect(values.global).toEqual({ enabled: true, tlsDisable: false });
    expect(values.server.extraVolumes).toEqual([{ type: "secret", name: "vault-tls" }]);
    expect(values.server.extraEnvironmentVars).toEqual({ VAULT_CACERT: `${tlsDirectory}/ca.crt` });
  });

  test("the listener serves the certificate cert-manager wrote, and nothing disables TLS", () => {
    const hcl: string = releaseValues(prod, "vault").server.ha.raft.config;
    const listener = hcl.slice(hcl.indexOf('listener "tcp"'), hcl.indexOf('storage "raft"'));
    expect(listener).toContain(`tls_cert_file = "${tlsDirectory}/tls.crt"`);
    expect(listener).toContain(`tls_key_file = "${tlsDirectory}/tls.key"`);
    expect(listener).toContain(`tls_client_ca_file = "${tlsDirectory}/ca.crt"`);
    expect(hcl).not.toContain("tls_disable");
  });

  test("each raft node joins its peers over https, verifying them with the CA and the name the certificate covers", () => {
    const hcl: string = releaseValues(prod, "vault").server.ha.raft.config;
    const joins = hcl.match(/retry_join \{[^}]*\}/g) ?? [];
    expect(joins).toEqual(
      [0, 1, 2].map(
        (i) =>
          `retry_join {\n    leader_api_addr = "https://vault-${i}.vault-internal:8200"\n    leader_ca_cert_file = "${tlsDirectory}/ca.crt"\n    leader_tls_servername = "vault-${i}.vault-internal"\n  }`,
      ),
    );
    const [certificate] = releaseManifests(prod, "vault-certificate");
    for (const i of [0, 1, 2]) expect(certificate.spec.dnsNames).toContain(`vault-${i}.vault-internal`);
  });

  test("a Certificate from the CA ClusterIssuer writes the Secret vault-tls in Vault's namespace", () => {
    const [certificate] = releaseManifests(prod, "vault-certificate");
    expect(certificate).toMatchObject({
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: "vault-tls", namespace: "vault" },
      spec: {
        secretName: "vault-tls",
        ipAddresses: ["127.0.0.1"],
        duration: "8760h",
        renewBefore: "720h",
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
        usages: ["digital signature", "server auth"],
        issuerRef: { name: "platform-ca", kind: "ClusterIssuer", group: "cert-manager.io" },
      },
    });
  });

  test.each([
    ["production", production, 3],
    ["dev", dev, 1],
  ])("in %s the certificate covers every Service and every pod, short and fully qualified, and localhost", (_name, config, replicas) => {
    const [certificate] = releaseManifests(synthEnvironment(config), "vault-certificate");
    const forms = (host: string) => [host, `${host}.vault`, `${host}.vault.svc`, `${host}.vault.svc.cluster.local`];
    const pods = Array.from({ length: replicas }, (_, i) => `vault-${i}.vault-internal`);
    expect(certificate.spec.dnsNames).toEqual([
      ...["vault", "vault-active", "vault-standby", "vault-internal", "vault-ui"].flatMap(forms),
      ...pods.flatMap(forms),
      "localhost",
    ]);
    expect(certificate.spec.dnsNames).not.toContain(`vault-${replicas}.vault-internal`);
  });

  test("the certificate names what the clients dial: the address, the injector's service address, Prometheus' server name", () => {
    const [certificate] = releaseManifests(prod, "vault-certificate");
    const values = releaseValues(prod, "vault");
    const address = new URL(String(synthEnvironment(production).parsed.output?.vault_endpoint?.value));
    expect(address.protocol).toBe("https:");
    expect(certificate.spec.dnsNames).toContain(address.hostname);
    // The chart points the injector's agents at <scheme>://<fullname>.<namespace>.svc:8200 (injector-deployment.yaml at v0.34.1).
    expect(certificate.spec.dnsNames).toContain("vault.vault.svc");
    expect(certificate.spec.dnsNames).toContain(values.serverTelemetry.serviceMonitor.tlsConfig.serverName);
  });

  test("without the UI there is no vault-ui Service to name", () => {
    const [certificate] = releaseManifests(synthEnvironment(withVault(staging, { ui: false })), "vault-certificate");
    expect(certificate.spec.dnsNames.filter((name: string) => name.startsWith("vault-ui"))).toEqual([]);
  });

  test("the certificate is requested once the CA issuer exists, and Vault starts after it", () => {
    const issuers = release(prod, "platform-ca-issuers").address;
    const certificate = release(prod, "vault-certificate");
    expect(dependsOn(certificate)).toContain(issuers);
    expect(dependsOn(release(prod, "vault"))).toContain(certificate.address);
    expect(helmRelease(prod, "vault-certificate")).toMatchObject({
      namespace: "vault",
      chart: expect.stringMatching(/^assets\/platform-manifests-chart\//),
    });
  });

  test("Prometheus scrapes every pod over https, verifying the CA, so that a sealed one is seen", () => {
    expect(releaseValues(prod, "vault").serverTelemetry.serviceMonitor).toEqual({
      enabled: true,
      matchLabels: { "vault-internal": "true" },
      tlsConfig: { ca: { secret: { name: "vault-tls", key: "ca.crt" } }, serverName: "vault.vault.svc" },
    });
  });

  test("the audit volume is mounted where the file audit device writes", () => {
    expect(releaseValues(prod, "vault").server.auditStorage.mountPath).toBe("/vault/audit");
    // The configuration stack's audit device writes below it (constructs/vault-config).
    expect(VAULT_CONFIGURATION_DEFAULTS.audit.filePath.startsWith(`${releaseValues(prod, "vault").server.auditStorage.mountPath}/`)).toBe(
      true,
    );
  });

  test("sets only values keys the vault chart has at 0.34.1 (values.yaml; the list in chart.ts)", () => {
    const paths = (value: unknown, prefix: string): string[] =>
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      !["affinity", "resources", "nodeSelector", "pod", "container"].includes(prefix.split(".").pop() ?? "")
        ? Object.entries(value).flatMap(([key, child]) => paths(child, prefix === "" ? key : `${prefix}.${key}`))
        : [prefix];
    expect(paths(releaseValues(prod, "vault"), "").sort()).toEqual(
      [
        "global.enabled",
        "global.tlsDisable",
        "injector.enabled",
        "injector.replicas",
        "injector.resources",
        "injector.nodeSelector",
        "injector.tolerations",
        "injector.affinity",
        "injector.securityContext.pod",
        "injector.securityContext.container",
        "server.resources",
        "server.nodeSelector",
        "server.tolerations",
        "server.affinity",
        "server.statefulSet.securityContext.pod",
        "server.statefulSet.securityContext.container",
        "server.dataStorage.enabled",
        "server.dataStorage.size",
        "server.dataStorage.storageClass",
        "server.auditStorage.enabled",
        "server.auditStorage.size",
        "server.auditStorage.storageClass",
        "server.auditStorage.mountPath",
        "server.extraVolumes",
        "server.extraEnvironmentVars.VAULT_CACERT",
        "server.standalone.enabled",
        "server.ha.enabled",
        "server.ha.replicas",
        "server.ha.raft.enabled",
        "server.ha.raft.setNodeId",
        "server.ha.raft.config",
        "server.ha.disruptionBudget.enabled",
        "ui.enabled",
        "serverTelemetry.serviceMonitor.enabled",
        "serverTelemetry.serviceMonitor.matchLabels.vault-internal",
        "serverTelemetry.serviceMonitor.tlsConfig.ca.secret.name",
        "serverTelemetry.serviceMonitor.tlsConfig.ca.secret.key",
        "serverTelemetry.serviceMonitor.tlsConfig.serverName",
      ].sort(),
    );
  });

  test("a bare Vault asks the platform CA ClusterIssuer by default, or the issuer it is given", () => {
    const stack = new TerraformStack(Testing.app(), "bare");
    const first = new Vault(stack, "first");
    const second = new Vault(stack, "second", { namespace: "vault-b", tlsIssuer: { name: "team-ca", kind: "Issuer" } });
    expect(first.address).toBe("https://vault-active.vault.svc.cluster.local:8200");
    expect(second.caCertificate).toEqual({ secretName: "vault-tls", key: "ca.crt" });
    const json = JSON.parse(Testing.synth(stack));
    const certificates = Object.values(json.resource.helm_release as Record<string, any>)
      .filter((candidate) => candidate.name === "vault-certificate")
      .map((candidate) => parse(candidate.values[0]).manifests[0]);
    expect(certificates.map((certificate) => [certificate.metadata.namespace, certificate.spec.issuerRef])).toEqual([
      ["vault", { name: "platform-ca", kind: "ClusterIssuer", group: "cert-manager.io" }],
      ["vault-b", { name: "team-ca", kind: "Issuer", group: "cert-manager.io" }],
    ]);
  });
});

describe("a sealed Vault is visible", () => {
  const prod = synthEnvironment(production);
  const alerts = () => releaseManifests(prod, "vault-alerts");
  const rules = (stack = prod) => releaseManifests(stack, "vault-alerts")[0].spec.groups[0].rules as Array<Record<string, any>>;
  const byName = (name: string, stack = prod) => rules(stack).find((rule) => rule.alert === name);

  test("a PrometheusRule in Vault's namespace, through the project's chart after the Prometheus Operator", () => {
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]).toMatchObject({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: "vault-alerts", namespace: "vault" },
    });
    expect(dependsOn(release(prod, "vault-alerts"))).toContain(release(prod, "kube-prometheus-stack").address);
  });

  test("a pod that answers without reporting unsealed is critical, absence of the gauge included", () => {
    expect(byName("VaultSealed")).toEqual({
      alert: "VaultSealed",
      expr: 'up{namespace="vault",job="vault-internal"} == 1 unless on (namespace, pod) vault_core_unsealed{namespace="vault",job="vault-internal"} == 1',
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: "Vault pod {{ $labels.pod }} is sealed or not initialised",
        description: expect.stringContaining("`kubectl -n vault exec -ti {{ $labels.pod }} -- vault operator unseal`"),
      },
    });
  });

  test("the alerts read the job the ServiceMonitor scrapes: the headless Service of every pod", () => {
    expect(releaseValues(prod, "vault").serverTelemetry.serviceMonitor.matchLabels).toEqual({ "vault-internal": "true" });
    for (const rule of rules()) expect(rule.expr).toContain('job="vault-internal"');
  });

  test("raft health comes from autopilot: the cluster, each node, the voters present and the failures it can take", () => {
    expect(
      Object.fromEntries(rules().map((rule) => [rule.alert, [rule.expr.match(/vault_[a-z_]+|up\{/g)?.[0], rule.labels.severity]])),
    ).toEqual({
      VaultSealed: ["up{", "critical"],
      VaultMetricsUnreachable: ["up{", "warning"],
      VaultRaftUnhealthy: ["vault_autopilot_healthy", "critical"],
      VaultRaftPeerUnhealthy: ["vault_autopilot_node_healthy", "warning"],
      VaultRaftPeerMissing: ["vault_autopilot_node_healthy", "warning"],
      VaultRaftNoFailureTolerance: ["vault_autopilot_failure_tolerance", "warning"],
    });
    expect(byName("VaultRaftPeerMissing")?.expr).toMatch(/ < 3$/);
  });

  test("a single development voter is counted as one, and cannot tolerate a failure by design", () => {
    const devStack = synthEnvironment(dev);
    expect(byName("VaultRaftPeerMissing", devStack)?.expr).toMatch(/ < 1$/);
    expect(byName("VaultRaftNoFailureTolerance", devStack)).toBeUndefined();
  });

  test("every expression parses as PromQL, and every alert has a summary, a description and a severity", () => {
    for (const rule of rules()) {
      expect({ alert: rule.alert, errors: promqlSyntaxErrors(rule.expr) }).toEqual({ alert: rule.alert, errors: [] });
      expect(Object.keys(rule.annotations).sort()).toEqual(["description", "summary"]);
      expect(["critical", "warning"]).toContain(rule.labels.severity);
    }
  });

  test("the PromQL check notices a broken expression", () => {
    expect(promqlSyntaxErrors('up{namespace="vault" == 1 unles on (pod) x')).not.toEqual([]);
  });

  test("without monitoring there is no PrometheusRule, whose CRD would be missing", () => {
    const stack = synthEnvironment({ ...production, services: { ...production.services, observability: { enabled: false } } });
    expect(() => release(stack, "vault-alerts")).toThrow("no helm_release named vault-alerts");
  });
});

describe("the seal", () => {
  const sealed = (seal: object) => withVault(staging, { seal });
  const hclOf = (seal: object) => releaseValues(synthEnvironment(sealed(seal)), "vault").server.ha.raft.config as string;
  const AWS = { kind: "awskms", region: "eu-west-3", kmsKeyId: "alias/vault-unseal", credentials: { secretName: "vault-kms" } };
  const TRANSIT = {
    kind: "transit",
    address: "https://vault.central.example.com:8200",
    keyName: "autounseal",
    mountPath: "transit/",
    credentials: { secretName: "vault-transit-token" },
  };

  test.each(["kmip", "pkcs11"])(
    "fails when the kind is %s, which open-source Vault does not support (a config that bypasses the type checker)",
    (kind) => {
      expect(problemsOf(sealed({ kind }))).toEqual([
        `environments/staging.ts: services.vault.seal.kind: is not one of the allowed values (got "${kind}"; use one of "shamir", "awskms", "azurekeyvault", "gcpckms", "ocikms", "alicloudkms", "transit")`,
      ]);
    },
  );

  test("fails when a required parameter of the seal is missing", () => {
    expect(problemsOf(sealed({ kind: "awskms", region: "eu-west-3" }))).toEqual([
      "environments/staging.ts: services.vault.seal.kmsKeyId: is required but missing (got nothing; set kmsKeyId)",
    ]);
    expect(problemsOf(sealed({ kind: "gcpckms", project: "acme", region: "global", cryptoKey: "vault" }))).toEqual([
      "environments/staging.ts: services.vault.seal.keyRing: is required but missing (got nothing; set keyRing)",
    ]);
  });

  test("fails when the transit seal has no token to read", () => {
    const { credentials: _credentials, ...withoutToken } = TRANSIT;
    expect(problemsOf(sealed(withoutToken))).toEqual([
      "environments/staging.ts: services.vault.seal.credentials: is required but missing (got nothing; set credentials)",
    ]);
  });

  test("fails when a credentials Secret has no name", () => {
    expect(problemsOf(sealed({ ...AWS, credentials: {} }))).toEqual([
      "environments/staging.ts: services.vault.seal.credentials.secretName: is required but missing (got nothing; set secretName)",
    ]);
    expect(problemsOf(sealed({ ...AWS, credentials: { secretName: "" } }))).toEqual([
      `environments/staging.ts: services.vault.seal.credentials.secretName: is not a Secret name (got ""; name an existing Secret in Vault's namespace, lowercase letters, digits, '-' and '.', holding AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`,
    ]);
  });

  test("fails when an address Vault dials is not https", () => {
    expect(problemsOf(sealed({ ...TRANSIT, address: "http://vault.central.example.com:8200" }))).toEqual([
      'environments/staging.ts: services.vault.seal.address: is not an https:// URL (got "http://vault.central.example.com:8200"; give the transit Vault\'s https:// address, e.g. https://vault.example.com:8200)',
    ]);
    expect(problemsOf(sealed({ ...AWS, endpoint: "vpce-0a1b.kms.eu-west-3.vpce.amazonaws.com" }))).toEqual([
      expect.stringContaining('services.vault.seal.endpoint: is not an https:// URL (got "vpce-0a1b.kms.eu-west-3.vpce.amazonaws.com";'),
    ]);
  });

  test("fails when a parameter would break the HCL or Helm's template pass", () => {
    expect(problemsOf(sealed({ ...AWS, kmsKeyId: 'alias/x" }\nseal "transit' }))).toEqual([
      expect.stringContaining("services.vault.seal.kmsKeyId: is not a value the awskms stanza can hold as written"),
    ]);
    expect(problemsOf(sealed({ ...AWS, kmsKeyId: "{{ .Values.key }}" }))).toEqual([
      expect.stringContaining("services.vault.seal.kmsKeyId: is not a value the awskms stanza can hold as written"),
    ]);
  });

  test("fails when the seal's credentials would be read from the listener's certificate Secret", () => {
    expect(
      () =>
        new Vault(new TerraformStack(Testing.app(), "bare"), "vault", {
          spec: { seal: { ...AWS, credentials: { secretName: "vault-tls" } } as never },
        }),
    ).toThrow("bare/vault: spec.seal.credentials.secretName: is the Secret of the listener's certificate, which cert-manager writes");
  });

  test("Shamir, the default, writes no seal stanza and passes no credential", () => {
    const values = releaseValues(synthEnvironment(production), "vault");
    expect(values.server.ha.raft.config).not.toContain("seal ");
    expect(values.server.extraSecretEnvironmentVars).toBeUndefined();
  });

  test("awskms: the stanza in the raft config, the keys from the Secret as environment variables, never as values", () => {
    const values = releaseValues(synthEnvironment(sealed(AWS)), "vault");
    expect(values.server.ha.raft.config).toContain('seal "awskms" {\n  region = "eu-west-3"\n  kms_key_id = "alias/vault-unseal"\n}\n');
    expect(values.server.extraSecretEnvironmentVars).toEqual([
      { envName: "AWS_ACCESS_KEY_ID", secretName: "vault-kms", secretKey: "AWS_ACCESS_KEY_ID" },
      { envName: "AWS_SECRET_ACCESS_KEY", secretName: "vault-kms", secretKey: "AWS_SECRET_ACCESS_KEY" },
    ]);
  });

  test("awskms without credentials uses the SDK's chain: nothing from a Secret", () => {
    const { credentials: _credentials, ...ambient } = AWS;
    expect(releaseValues(synthEnvironment(sealed(ambient)), "vault").server.extraSecretEnvironmentVars).toBeUndefined();
  });

  test("transit always names its address, since VAULT_ADDR in the pod is the server itself; the token comes as VAULT_TOKEN", () => {
    const values = releaseValues(
      synthEnvironment(sealed({ ...TRANSIT, caCertificate: { secretName: "central-ca", key: "ca.crt" } })),
      "vault",
    );
    expect(values.server.ha.raft.config).toContain(
      [
        'seal "transit" {',
        '  address = "https://vault.central.example.com:8200"',
        '  key_name = "autounseal"',
        '  mount_path = "transit/"',
        '  tls_ca_cert = "/vault/userconfig/central-ca/ca.crt"',
        "}",
      ].join("\n"),
    );
    expect(values.server.extraSecretEnvironmentVars).toEqual([
      { envName: "VAULT_TOKEN", secretName: "vault-transit-token", secretKey: "VAULT_TOKEN" },
    ]);
    expect(values.server.extraVolumes).toEqual([
      { type: "secret", name: "vault-tls" },
      { type: "secret", name: "central-ca" },
    ]);
  });

  test("gcpckms mounts its key file and names the path, which is what Vault reads", () => {
    const seal = {
      kind: "gcpckms",
      project: "acme",
      region: "europe-west1",
      keyRing: "vault",
      cryptoKey: "unseal",
      credentials: { secretName: "vault-gcp" },
    };
    const values = releaseValues(synthEnvironment(sealed(seal)), "vault");
    expect(values.server.ha.raft.config).toContain(
      'seal "gcpckms" {\n  project = "acme"\n  region = "europe-west1"\n  key_ring = "vault"\n  crypto_key = "unseal"\n  credentials = "/vault/userconfig/vault-gcp/credentials.json"\n}',
    );
    expect(values.server.extraVolumes).toContainEqual({ type: "secret", name: "vault-gcp" });
    expect(values.server.extraSecretEnvironmentVars).toBeUndefined();
  });

  test.each([
    [
      { kind: "azurekeyvault", tenantId: "t-1", vaultName: "acme-kv", keyName: "vault", credentials: { secretName: "vault-azure" } },
      'seal "azurekeyvault" {\n  tenant_id = "t-1"\n  vault_name = "acme-kv"\n  key_name = "vault"\n}',
      ["AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"],
    ],
    [
      { kind: "alicloudkms", region: "eu-central-1", kmsKeyId: "key-1", credentials: { secretName: "vault-ali" } },
      'seal "alicloudkms" {\n  region = "eu-central-1"\n  kms_key_id = "key-1"\n}',
      ["ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY"],
    ],
    [
      {
        kind: "ocikms",
        keyId: "ocid1.key.oc1.eu-frankfurt-1.x",
        cryptoEndpoint: "https://x-crypto.kms.eu-frankfurt-1.oraclecloud.com",
        managementEndpoint: "https://x-management.kms.eu-frankfurt-1.oraclecloud.com",
      },
      'seal "ocikms" {\n  key_id = "ocid1.key.oc1.eu-frankfurt-1.x"\n  crypto_endpoint = "https://x-crypto.kms.eu-frankfurt-1.oraclecloud.com"\n  management_endpoint = "https://x-management.kms.eu-frankfurt-1.oraclecloud.com"\n  auth_type_api_key = "false"\n}',
      [],
    ],
  ])("%j", (seal, stanza, environment) => {
    const values = releaseValues(synthEnvironment(sealed(seal)), "vault");
    expect(values.server.ha.raft.config).toContain(stanza);
    expect((values.server.extraSecretEnvironmentVars ?? []).map((entry: { envName: string }) => entry.envName)).toEqual(environment);
  });

  test("the seal stanza sits beside storage, the listener keeps its TLS", () => {
    const hcl = hclOf(AWS);
    expect(hcl.indexOf('seal "awskms"')).toBeGreaterThan(hcl.indexOf('storage "raft"'));
    expect(hcl).toContain('tls_cert_file = "/vault/userconfig/vault-tls/tls.crt"');
  });

  test("an auto-unseal seal may reach its KMS, or the transit Vault on its port", () => {
    const egressPorts = (seal: object) =>
      allowRules(sealed(seal), "vault_namespace")
        .egress.filter((rule) => rule.to?.[0]?.ip_block?.cidr === "0.0.0.0/0" && rule.to[0].ip_block.except === undefined)
        .map((rule) => rule.ports.map((port: { port: string }) => port.port));
    expect(egressPorts(AWS)).toContainEqual(["443"]);
    expect(egressPorts(TRANSIT)).toContainEqual(["8200"]);
    expect(egressPorts({ kind: "shamir" })).toEqual([["443", "6443"]]);
  });

  test("no seal puts a credential in the synthesized JSON: the secret scan of the policies finds nothing", () => {
    for (const seal of [AWS, TRANSIT]) {
      const stack = new TerraformStack(Testing.app(), "sealed");
      new Vault(stack, "vault", { spec: { seal: seal as never } });
      expect(scanSecrets(buildInventory(stack, "production"))).toEqual([]);
    }
  });
});
