import {
  byteQuantityProblem,
  containerMemoryRule,
  cpuQuantityProblem,
  ResourceRequirements,
  volumeRule,
} from "../../constructs/common/sizing";
import { memoryMiB } from "../../constructs/docker/memory";
import { prometheusRetentionSize } from "../../constructs/observability/prometheus-stack";
import { ExternalSecretsSpec } from "../../constructs/external-secrets/spec";
import { VaultSpec } from "../../constructs/vault/spec";
import { dev } from "../../environments/dev";
import { KubernetesEnvironmentConfig } from "../../environments/types";
import { problemsOf } from "../support/environments";

const UNITS = "units are Ki, Mi, Gi, Ti, or k, M, G, T for powers of ten, case-sensitive";

/** dev with Vault's spec patched: its resources and volumes stand for every service's. */
function withVault(vault: VaultSpec): KubernetesEnvironmentConfig {
  return { ...dev, services: { ...dev.services, vault: { ...dev.services?.vault, ...vault } } };
}

const sized = (requests: { cpu: string; memory: string }, limits: { memory: string; cpu?: string }): ResourceRequirements => ({
  requests,
  limits,
});

describe("container memory", () => {
  test("fails when it has no unit, which Kubernetes reads as bytes, and suggests the unit meant", () => {
    expect(problemsOf(withVault({ resources: sized({ cpu: "100m", memory: "512" }, { memory: "2" }) }))).toEqual([
      `environments/dev.ts: services.vault.resources.requests.memory: memory request has no unit, so Kubernetes reads it as 512 bytes (got "512"; write "512Mi"; ${UNITS})`,
      `environments/dev.ts: services.vault.resources.limits.memory: memory limit has no unit, so Kubernetes reads it as 2 bytes (got "2"; write "2Gi"; ${UNITS})`,
    ]);
  });

  test("fails when a bare number of bytes is large enough to mean bytes: it is still written with a unit", () => {
    expect(byteQuantityProblem("2147483648", containerMemoryRule("memory limit"))?.fix).toBe(`write "2Gi"; ${UNITS}`);
    expect(byteQuantityProblem("1000000000", containerMemoryRule("memory limit"))?.fix).toBe(`write "954Mi"; ${UNITS}`);
  });

  test("fails when it is in thousandths of a byte: m is milli", () => {
    expect(problemsOf(withVault({ resources: sized({ cpu: "100m", memory: "512m" }, { memory: "512m" }) }))).toContain(
      'environments/dev.ts: services.vault.resources.requests.memory: memory request counts thousandths of a byte: m is milli, Mi is mebi (got "512m"; write "512Mi")',
    );
  });

  test.each([
    ["2GB", "2Gi"],
    ["512 MiB", "512Mi"],
    ["1.5gb", "1.5Gi"],
    ["64K", "64Ki"],
  ])("fails when %j is not a Kubernetes quantity, and suggests %j", (value, meant) => {
    expect(byteQuantityProblem(value, containerMemoryRule("memory request"))).toEqual({
      message: "memory request is not a Kubernetes quantity",
      fix: `write "${meant}"; ${UNITS}`,
    });
  });

  test("fails when it is not a quantity at all", () => {
    expect(byteQuantityProblem("lots", containerMemoryRule("memory request"))).toEqual({
      message: "memory request is not a Kubernetes quantity",
      fix: 'write a number and a unit, e.g. "512Mi" or "2Gi"',
    });
  });

  test("fails when it is below 16Mi, zero or negative", () => {
    expect(problemsOf(withVault({ resources: sized({ cpu: "100m", memory: "0" }, { memory: "8Mi" }) }))).toEqual([
      'environments/dev.ts: services.vault.resources.requests.memory: memory request is 0, below 16Mi: too little for a container\'s process to start (got "0"; use 16Mi or more)',
      'environments/dev.ts: services.vault.resources.limits.memory: memory limit is 8Mi, below 16Mi: too little for a container\'s process to start (got "8Mi"; use 16Mi or more)',
    ]);
    expect(byteQuantityProblem("-1Gi", containerMemoryRule("memory limit"))).toEqual({
      message: "memory limit is negative",
      fix: "use 16Mi or more",
    });
  });

  test("fails when the request is above the limit", () => {
    expect(problemsOf(withVault({ resources: sized({ cpu: "100m", memory: "1Gi" }, { memory: "512Mi" }) }))).toEqual([
      'environments/dev.ts: services.vault.resources.requests.memory: memory request is above the memory limit, 512Mi, and Kubernetes refuses such a pod (got "1Gi"; request at most the limit; the platform requests as much memory as it limits)',
    ]);
  });

  test.each(["16Mi", "1.5Gi", "2G", "1e9", "0.5Gi", "1536Mi"])("passes %j", (value) => {
    expect(byteQuantityProblem(value, containerMemoryRule("memory limit"))).toBeUndefined();
  });
});

describe("container CPU", () => {
  test("fails when a whole number of cores is beyond 64: a forgotten m", () => {
    expect(problemsOf(withVault({ resources: sized({ cpu: "250", memory: "512Mi" }, { memory: "512Mi" }) }))).toEqual([
      'environments/dev.ts: services.vault.resources.requests.cpu: CPU request is 250 cores, more than the 64 one container may have; a number without m counts cores (got "250"; did you mean "250m"? Otherwise use at most 64)',
    ]);
  });

  test("fails when it carries a memory unit", () => {
    expect(cpuQuantityProblem("1Gi", "CPU request")).toEqual({
      message: 'CPU request has the unit "Gi", which is not a CPU unit',
      fix: 'write cores like "1" or "0.5", or millicores like "250m"',
    });
    expect(cpuQuantityProblem("2k", "CPU request")?.message).toBe('CPU request has the unit "k", which is not a CPU unit');
  });

  test("fails when it is 0 or negative", () => {
    expect(cpuQuantityProblem("0", "CPU request")).toEqual({
      message: "CPU request is 0, which guarantees no CPU under contention",
      fix: 'use 1m or more, e.g. "50m"',
    });
    expect(cpuQuantityProblem("-1", "CPU request")).toEqual({ message: "CPU request is negative", fix: 'use 1m or more, e.g. "50m"' });
  });

  test("fails when it is finer than a millicore, which Kubernetes rounds up", () => {
    expect(cpuQuantityProblem("0.0001", "CPU limit")).toEqual({
      message: "CPU limit is finer than a millicore, and Kubernetes rounds it up to 1m",
      fix: 'write whole millicores, e.g. "1m"',
    });
    expect(cpuQuantityProblem("1.0005", "CPU limit")?.fix).toBe('write whole millicores, e.g. "1001m"');
  });

  test.each([
    ["0.5 cores", '"0.5"'],
    ["2 vCPU", '"2"'],
    ["250mc", '"250m"'],
    ["250 millicores", '"250m"'],
  ])("fails when %j is written in words, and suggests %s", (value, meant) => {
    expect(cpuQuantityProblem(value, "CPU request")).toEqual({
      message: "CPU request is not a Kubernetes quantity",
      fix: `write ${meant}`,
    });
  });

  test("fails when the request is above a CPU limit", () => {
    expect(problemsOf(withVault({ resources: sized({ cpu: "1", memory: "512Mi" }, { memory: "512Mi", cpu: "500m" }) }))).toEqual([
      'environments/dev.ts: services.vault.resources.requests.cpu: CPU request is above the CPU limit, 500m, and Kubernetes refuses such a pod (got "1"; request at most the limit, or leave the CPU limit out)',
    ]);
  });

  test.each(["1m", "250m", "0.5", "1", "1.5", "64"])("passes %j", (value) => {
    expect(cpuQuantityProblem(value, "CPU request", 64)).toBeUndefined();
  });
});

describe("volume sizes", () => {
  test("fail when they have no unit, or are below 1Gi", () => {
    expect(problemsOf(withVault({ dataStorage: { size: "10" }, auditStorage: { size: "500Mi" } }))).toEqual([
      `environments/dev.ts: services.vault.dataStorage.size: storage size has no unit, so Kubernetes reads it as 10 bytes (got "10"; write "10Gi"; ${UNITS})`,
      'environments/dev.ts: services.vault.auditStorage.size: storage size is 500Mi, below 1Gi: volumes are provisioned in whole gibibytes (got "500Mi"; use 1Gi or more)',
    ]);
  });

  test("fail when they are in thousandths of a byte", () => {
    expect(byteQuantityProblem("10m", volumeRule("storage size"))).toEqual({
      message: "storage size counts thousandths of a byte: m is milli, Mi is mebi",
      fix: 'write "10Mi"',
    });
  });

  test("pass in any Kubernetes unit, fractions included, and reach the chart values that read them", () => {
    expect(problemsOf(withVault({ dataStorage: { size: "1.5Ti" }, auditStorage: { size: "20G" } }))).toEqual([]);
    expect(prometheusRetentionSize("1.5Ti")).toBe("1336934MB");
  });
});

describe("memory on Docker", () => {
  test("is any Kubernetes memory quantity, rounded up to whole MiB", () => {
    expect(memoryMiB("1.5Gi")).toBe(1536);
    expect(memoryMiB("2G")).toBe(1908);
    expect(memoryMiB("768Mi")).toBe(768);
    expect(() => memoryMiB("lots")).toThrow('memory "lots" is not a quantity such as 512Mi or 2Gi');
  });
});

describe("External Secrets' refresh interval", () => {
  const withRefresh = (refreshInterval: string): KubernetesEnvironmentConfig => ({
    ...dev,
    services: { ...dev.services, externalSecrets: { refreshInterval } satisfies ExternalSecretsSpec },
  });

  test("fails when it is not a Go duration: Go has no days", () => {
    expect(problemsOf(withRefresh("1d"))).toEqual([
      'environments/dev.ts: services.externalSecrets.refreshInterval: refresh interval is not a Go duration (got "1d"; write hours, minutes or seconds, e.g. "1h" or "15m"; Go has no days, so a day is "24h")',
    ]);
  });

  test("fails when it is 0, which refreshes never", () => {
    expect(problemsOf(withRefresh("0"))).toEqual([
      'environments/dev.ts: services.externalSecrets.refreshInterval: refresh interval 0 reads each secret once and never again (got "0"; use 1m or more)',
    ]);
  });

  test("fails when it is below a minute", () => {
    expect(problemsOf(withRefresh("30s"))).toEqual([
      'environments/dev.ts: services.externalSecrets.refreshInterval: refresh interval is below 1m: every ExternalSecret would read Vault that often (got "30s"; use 1m or more)',
    ]);
  });

  test.each(["1m", "15m", "1h30m", "24h"])("passes %j", (refreshInterval) => {
    expect(problemsOf(withRefresh(refreshInterval))).toEqual([]);
  });
});
