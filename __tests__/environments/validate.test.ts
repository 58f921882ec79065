import { ENVIRONMENTS } from "../../environments";
import { dev } from "../../environments/dev";
import { local } from "../../environments/local";
import { ConfigurationError } from "../../core/problems";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { assertValidEnvironments } from "../../environments/validate";
import { devWithPool, problemsOf } from "../support/environments";

describe("shipped environments", () => {
  test.each(ENVIRONMENTS.map((source) => [source.file, source]))("%s is valid", (_file, source) => {
    expect(problemsOf(source.config)).toEqual([]);
  });

  test("are local, dev, staging and production, in promotion order", () => {
    expect(ENVIRONMENTS.map((source) => source.config.name)).toEqual(["local", "dev", "staging", "production"]);
  });
});

describe("problem messages", () => {
  test("name the file, field path, value and fix", () => {
    expect(problemsOf(devWithPool(0, { desiredNodes: 4 }))).toEqual([
      "environments/dev.ts: nodePools[0].desiredNodes: desiredNodes is above maxNodes (got 4; use a value from minNodes, 2, to maxNodes, 3, or raise maxNodes)",
    ]);
  });

  test("every problem of every environment is reported in one error", () => {
    const broken = [
      { file: "environments/dev.ts", config: devWithPool(0, { desiredNodes: 9, flavor: "" }) },
      { file: "environments/staging.ts", config: { ...staging, state: { backend: "local" as const } } },
      // Valid, and the source of staging's PostgreSQL clone.
      { file: "environments/production.ts", config: production },
    ];
    let thrown: unknown;
    try {
      assertValidEnvironments(broken);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    const lines = (thrown as ConfigurationError).lines;
    expect(lines).toHaveLength(3);
    expect((thrown as Error).message).toMatch(/^3 configuration problems; nothing was synthesized:\n/);
    expect(lines.filter((line) => line.startsWith("environments/dev.ts: nodePools[0]."))).toHaveLength(2);
    expect(lines).toContain(
      'environments/staging.ts: state.backend: a staging environment must keep its state in remote object storage (got "local"; use { backend: "s3", bucket, region } so the team and CI share one locked state)',
    );
  });
});

describe("validation", () => {
  test("fails when the environment name is not a DNS-1123 label", () => {
    expect(problemsOf({ ...dev, name: "Dev_1" })).toEqual([
      expect.stringContaining('environments/Dev_1.ts: name: environment name is not a valid stack and DNS-1123 name (got "Dev_1";'),
    ]);
  });

  test("fails when the tier is unknown", () => {
    expect(problemsOf({ ...dev, tier: "qa" as never })).toContainEqual(
      'environments/dev.ts: tier: unknown environment tier (got "qa"; use one of development, staging, production)',
    );
  });

  test("fails when two environments share a name", () => {
    expect(() =>
      assertValidEnvironments([
        { file: "environments/dev.ts", config: dev },
        { file: "environments/dev-copy.ts", config: dev },
      ]),
    ).toThrow('environments/dev-copy.ts: name: environment name is already used by environments/dev.ts (got "dev";');
  });

  test.each([
    ["contains an underscore", "app_pool"],
    ["contains a dot", "app.pool"],
    ["starts with a digit", "1apps"],
    ["has upper case", "Apps"],
    ["is longer than 63 characters", "a".repeat(64)],
  ])("fails when a node pool name %s", (_why, name) => {
    expect(problemsOf(devWithPool(1, { name }))).toEqual([
      expect.stringContaining(`environments/dev.ts: nodePools[1].name: node pool name is not allowed (got "${name}"; use lowercase`),
    ]);
  });

  test("fails when two node pools share a name", () => {
    expect(problemsOf(devWithPool(1, { name: "system", role: "applications" }))).toEqual([
      expect.stringContaining('nodePools[1].name: node pool name is used twice (got "system";'),
    ]);
  });

  test("fails when there is no system pool", () => {
    expect(problemsOf(devWithPool(0, { role: "applications" }))).toEqual([
      expect.stringContaining('environments/dev.ts: nodePools: 0 pools have role "system"'),
    ]);
  });

  test("fails when there are two system pools", () => {
    expect(problemsOf(devWithPool(1, { role: "system" }))).toEqual([
      expect.stringContaining('nodePools: 2 pools have role "system" (got ["system:system","applications:system"]; declare exactly one'),
    ]);
  });

  test("fails when the role is unknown", () => {
    const config = devWithPool(1, { role: "workers" as never });
    expect(problemsOf(config)).toEqual([expect.stringContaining('nodePools[1].role: unknown node pool role (got "workers";')]);
  });

  test("fails when desired nodes are below min nodes", () => {
    expect(problemsOf(devWithPool(1, { desiredNodes: 1 }))).toEqual([
      expect.stringContaining("nodePools[1].desiredNodes: desiredNodes is below minNodes (got 1;"),
    ]);
  });

  test("fails when desired nodes are above max nodes", () => {
    expect(problemsOf(devWithPool(1, { desiredNodes: 6 }))).toEqual([
      expect.stringContaining("nodePools[1].desiredNodes: desiredNodes is above maxNodes (got 6;"),
    ]);
  });

  test("fails when a node count is not a whole number", () => {
    expect(problemsOf(devWithPool(1, { minNodes: 1.5 }))).toEqual([
      expect.stringContaining("nodePools[1].minNodes: minNodes is not a whole number (got 1.5;"),
    ]);
  });

  test("fails when max nodes is zero", () => {
    expect(problemsOf(devWithPool(1, { minNodes: 0, desiredNodes: 0, maxNodes: 0 }))).toEqual([
      expect.stringContaining("nodePools[1].maxNodes: maxNodes is not a whole number of at least 1 (got 0;"),
    ]);
  });

  test("fails when a pool with anti-affinity may grow above 5 nodes", () => {
    expect(problemsOf(devWithPool(1, { antiAffinity: true, maxNodes: 6 }))).toEqual([
      expect.stringContaining("nodePools[1].maxNodes: a pool with antiAffinity holds at most 5 nodes (got 6; lower maxNodes to 5"),
    ]);
  });

  test("passes a pool with anti-affinity and exactly 5 nodes", () => {
    expect(problemsOf(devWithPool(1, { antiAffinity: true, maxNodes: 5 }))).toEqual([]);
  });

  test("fails when the flavor is empty", () => {
    expect(problemsOf(devWithPool(0, { flavor: " " }))).toEqual([
      expect.stringContaining('nodePools[0].flavor: flavor is empty (got " ";'),
    ]);
  });

  test("fails when a label key or value is not allowed", () => {
    expect(problemsOf(devWithPool(1, { labels: { "bad key!": "ok", team: "-bad-" } }))).toEqual([
      expect.stringContaining('nodePools[1].labels["bad key!"]: label key is not a Kubernetes qualified name'),
      expect.stringContaining('nodePools[1].labels["team"]: label value is not allowed (got "-bad-";'),
    ]);
  });

  test("fails when a taint is malformed", () => {
    const taints = [{ key: "a/b/c", value: "x y", effect: "Sometimes" as never }];
    expect(problemsOf(devWithPool(0, { taints }))).toEqual([
      expect.stringContaining('nodePools[0].taints[0].key: taint key is not a Kubernetes qualified name (got "a/b/c";'),
      expect.stringContaining('nodePools[0].taints[0].value: taint value is not allowed (got "x y";'),
      expect.stringContaining(
        'nodePools[0].taints[0].effect: unknown taint effect (got "Sometimes"; use one of NoSchedule, PreferNoSchedule, NoExecute)',
      ),
    ]);
  });

  test("fails when the cluster provider is unknown and the kubeconfig is missing", () => {
    const cluster = { ...dev.cluster, provider: "gke" as never, region: "", kubeconfigPath: "", kubeconfigContext: "" };
    expect(problemsOf({ ...dev, cluster })).toEqual([
      expect.stringContaining('cluster.provider: unknown cluster provider (got "gke";'),
      expect.stringContaining("cluster.region: cluster region is empty"),
      expect.stringContaining("cluster.kubeconfigPath: kubeconfig path is empty"),
      expect.stringContaining("cluster.kubeconfigContext: kubeconfig context is empty"),
    ]);
  });

  test.each([
    ["too short", "ab"],
    ["in upper case", "Platform-State"],
    ["ending with a dash", "platform-"],
    ["with double dots", "platform..state"],
    ["an IP address", "192.168.1.1"],
  ])("fails when the state bucket name is %s", (_why, bucket) => {
    expect(problemsOf({ ...dev, state: { ...dev.state, bucket } as typeof dev.state })).toEqual([
      expect.stringContaining(`state.bucket: bucket name breaks the S3 naming rules (got "${bucket}";`),
    ]);
  });

  test("fails when the state region is not a region code", () => {
    expect(problemsOf({ ...dev, state: { backend: "s3", bucket: "platform-state", region: "GRA 7" } })).toEqual([
      expect.stringContaining('state.region: state region is not a region code (got "GRA 7";'),
    ]);
  });

  test.each([
    ["is not a URL", "s3.gra.io.cloud.ovh.net"],
    ["uses plain http to a remote host", "http://s3.gra.io.cloud.ovh.net"],
    ["carries credentials", "https://key:secret@s3.gra.io.cloud.ovh.net"],
    ["has a path", "https://s3.gra.io.cloud.ovh.net/bucket"],
  ])("fails when the state endpoint %s", (_why, endpoint) => {
    expect(problemsOf({ ...dev, state: { backend: "s3", bucket: "platform-state", region: "gra", endpoint } })).toEqual([
      expect.stringContaining(`state.endpoint: state endpoint is not an https URL without path or credentials (got "${endpoint}";`),
    ]);
  });

  test("passes an http endpoint on localhost, for a local S3-compatible store", () => {
    const state = { backend: "s3" as const, bucket: "platform-state", region: "gra", endpoint: "http://127.0.0.1:9000" };
    expect(problemsOf({ ...dev, state })).toEqual([]);
  });

  test.each(["/platform", "platform/", "a//b", "with space"])("fails when the state key prefix is %j", (keyPrefix) => {
    expect(problemsOf({ ...dev, state: { backend: "s3", bucket: "platform-state", region: "gra", keyPrefix } })).toEqual([
      expect.stringContaining(`state.keyPrefix: state key prefix must be path segments`),
    ]);
  });

  test.each([
    ["staging", staging],
    ["production", production],
  ])("fails when %s uses local state", (name, config) => {
    expect(problemsOf({ ...config, state: { backend: "local" } })).toEqual([
      expect.stringContaining(`environments/${name}.ts: state.backend: a ${name} environment must keep its state in remote object storage`),
    ]);
  });

  test("passes dev on local state, for experiments", () => {
    expect(problemsOf({ ...dev, state: { backend: "local" } })).toEqual([]);
  });

  test("fails when a local state path is absolute or not a .tfstate file", () => {
    expect(problemsOf({ ...local, state: { backend: "local", path: "/tmp/state.json" } })).toEqual([
      expect.stringContaining('state.path: local state path must be a relative path ending in .tfstate (got "/tmp/state.json";'),
    ]);
  });

  test("fails when the Docker host is not an engine address", () => {
    expect(problemsOf({ ...local, dockerHost: "/var/run/docker.sock" })).toEqual([
      expect.stringContaining('dockerHost: Docker host is not an engine address (got "/var/run/docker.sock";'),
    ]);
  });
});

describe("environment files", () => {
  test("fails when an environment's name differs from its file's", () => {
    expect(() => assertValidEnvironments([{ file: "environments/qa.ts", config: dev }])).toThrow(
      'environments/qa.ts: name: the environment\'s name differs from its file\'s, qa (got "dev"; rename the file to environments/dev.ts, or set name: "qa")',
    );
  });
});
