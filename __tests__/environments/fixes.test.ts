import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { EnvironmentConfig, KubernetesEnvironmentConfig, PlatformServicesConfig } from "../../environments/types";
import { validateEnvironment } from "../../environments/validate";
import { devWithPool } from "../support/environments";

/**
 * A fix is printed inside "(got …; <fix>)": a parenthesis in it would nest. The quantity, unit and
 * capacity rules, and the node pool and service rules beside them, are broken here, many at once,
 * and none of their fixes may hold one.
 */
const res = (cpu: string, memory: string, limit = memory) => ({ requests: { cpu, memory }, limits: { memory: limit } });
const services = (patch: PlatformServicesConfig): KubernetesEnvironmentConfig => ({ ...dev, services: { ...dev.services, ...patch } });
const [identity, billing] = dev.teams ?? [];

const BROKEN: ReadonlyArray<readonly [string, EnvironmentConfig]> = [
  [
    "container sizes",
    services({ vault: { resources: res("250", "512m", "8Mi"), dataStorage: { size: "10" }, auditStorage: { size: "10GB" } } }),
  ],
  [
    "CPU words and units",
    services({ vault: { resources: { requests: { cpu: "0.5 cores", memory: "2 GiB" }, limits: { memory: "1Gi", cpu: "0.0001" } } } }),
  ],
  ["Redis", services({ redis: { maxMemory: "2Gi", minReplicasMaxLagSeconds: -1 } })],
  ["Redis fit", services({ redis: { maxMemory: "4gb", resources: res("100m", "1Gi"), storage: { size: "2Gi" } } })],
  [
    "PostgreSQL",
    {
      ...services({
        postgres: {
          resources: res("250m", "256Mi"),
          parameters: { shared_bufers: "1GB", shared_buffers: "64kB", work_mem: "lots", statement_timeout: "5m", port: "5433" },
          backup: { bucket: "b-backups", endpoint: "https://s3.xyz.io.cloud.ovh.net", schedule: "0 0 0 * * 7", retention: "1 year" },
        },
      }),
      teams: [],
    },
  ],
  ["Kafka", services({ kafka: { logRetentionHours: 100_000, topics: [{ name: "a", partitions: 5000, retentionHours: 1e6 }] } })],
  ["observability", services({ observability: { prometheusRetention: "15 days", logRetention: "0", traceRetention: "7d" } })],
  ["External Secrets", services({ externalSecrets: { refreshInterval: "1d" } })],
  [
    "flavor and node counts",
    { ...devWithPool(1, { flavor: "b2-8", maxNodes: 150 }), cluster: { ...dev.cluster, plan: "premium" as never } },
  ],
  ["state", { ...dev, state: { backend: "s3", bucket: "platform-state", region: "sbg", endpoint: "https://s3.gra.perf.cloud.ovh.net" } }],
  ["state region", { ...dev, state: { backend: "s3", bucket: "platform-state", region: "ap-southeast-sgp" } }],
  [
    "node pools",
    {
      ...devWithPool(0, { name: "Sys_1", desiredNodes: 9, antiAffinity: true, maxNodes: 6 }),
      cluster: { ...dev.cluster, kubeconfigContext: " " },
    },
  ],
  [
    "services",
    services({
      redis: { replicas: 3, sentinels: 5, minReplicasToWrite: 2 },
      kafka: { users: [{ name: "u", acls: [{ topic: "nope", operations: ["Read"] }] }] },
    }),
  ],
  ["tiny system pool", { ...production, nodePools: production.nodePools.map((pool, i) => (i === 0 ? { ...pool, flavor: "c3-4" } : pool)) }],
  [
    "teams",
    {
      ...dev,
      teams: [
        {
          ...identity,
          quota: { cpu: "20", memory: "40Gi", pods: 600 },
          containerDefaults: { requests: { cpu: "8", memory: "1Gi" }, limits: { memory: "16Gi" } },
        },
        { ...billing, quota: { cpu: "50m", memory: "256Mi", storage: "500Mi" } },
      ],
    },
  ],
];

test.each(BROKEN)("%s: problems are found, and no fix holds a parenthesis", (_what, config) => {
  const problems = validateEnvironment(config).problems;
  expect(problems.length).toBeGreaterThan(0);
  expect(problems.filter((problem) => /[()]/.test(problem.fix)).map((problem) => `${problem.path}: ${problem.fix}`)).toEqual([]);
});
