import { parse } from "yaml";
import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { KubernetesEnvironmentConfig } from "../../environments/types";
import { VAULT_DEFAULTS, resolveVault } from "../../constructs/vault/spec";
import { problemsOf } from "../support/environments";
import { helmRelease, releaseValues, synthEnvironment, synthWarnings } from "../support/synth";

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
      values: {},
    });
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
    for (const i of [0, 1, 2]) expect(hcl).toContain(`leader_api_addr = "http://vault-${i}.vault-internal:8200"`);
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
