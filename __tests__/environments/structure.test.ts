import { EnvironmentConfig } from "../../environments";
import { dev } from "../../environments/dev";
import { local } from "../../environments/local";
import { formatProblem } from "../../core/problems";
import { validateEnvironment } from "../../environments/validate";
import { problemsOf } from "../support/environments";

// What a config written without the type checker can get wrong: `npm run synth` does not
// type-check, so each of these must be a problem in the documented format, never a
// TypeError or a silently different stack.

/** dev as plain data with a change the types would refuse. */
function devWith(patch: Record<string, unknown>): EnvironmentConfig {
  return { ...dev, ...patch } as unknown as EnvironmentConfig;
}

describe("structure", () => {
  test("fails when target is misspelled, instead of switching the cluster to a Docker stack", () => {
    expect(problemsOf(devWith({ target: "kubernets" }))).toEqual([
      'environments/dev.ts: target: is not one of the allowed values (got "kubernets"; use one of "kubernetes", "docker")',
    ]);
  });

  test("fails when the state backend is misspelled", () => {
    expect(problemsOf(devWith({ state: { ...dev.state, backend: "S3" } }))).toEqual([
      'environments/dev.ts: state.backend: is not one of the allowed values (got "S3"; use one of "s3", "local")',
    ]);
  });

  test("fails when the tier is misspelled, with the tiers it could be", () => {
    expect(problemsOf(devWith({ tier: "prod" }))).toContain(
      'environments/dev.ts: tier: unknown environment tier (got "prod"; use one of development, staging, production)',
    );
  });

  test("fails when a required field is missing", () => {
    const { nodePools: _pools, ...withoutPools } = dev;
    expect(problemsOf(withoutPools as unknown as EnvironmentConfig)).toEqual([
      "environments/dev.ts: nodePools: is required but missing (got nothing; set nodePools)",
    ]);
    expect(problemsOf(devWith({ cluster: { provider: "ovh", region: "GRA", kubeconfigContext: "x" } }))).toEqual([
      "environments/dev.ts: cluster.kubeconfigPath: is required but missing (got nothing; set kubeconfigPath)",
    ]);
  });

  test("fails when a string stands where a number belongs", () => {
    const pools = dev.nodePools.map((pool, index) => (index === 0 ? { ...pool, desiredNodes: "3" } : pool));
    expect(problemsOf(devWith({ nodePools: pools }))).toEqual([
      'environments/dev.ts: nodePools[0].desiredNodes: is not a number (got "3"; write a number without quotes, e.g. 3)',
    ]);
  });

  test("fails when an optional field is misspelled, suggesting the field it resembles", () => {
    const services = { ...dev.services, redis: { ...dev.services?.redis, maxMemry: "1gb" } };
    expect(problemsOf(devWith({ services }))).toEqual([
      'environments/dev.ts: services.redis.maxMemry: is not a field here (got "1gb"; remove it, or did you mean maxMemory? The fields here are: replicas, sentinels, quorum, maxMemory, evictionPolicy, minReplicasToWrite, minReplicasMaxLagSeconds, storage, resources, values)',
    ]);
  });

  test("fails when a service is misspelled", () => {
    expect(problemsOf(devWith({ services: { ...dev.services, kafak: {} } }))).toEqual([
      "environments/dev.ts: services.kafak: is not a field here (got {}; remove it, or did you mean kafka? The fields here are: certManager, vault, externalSecrets, redis, postgres, kafka, argocd, observability)",
    ]);
  });

  test("fails when a nested field of a service has the wrong type, naming its whole path", () => {
    const services = { ...dev.services, kafka: { ...dev.services?.kafka, topics: [{ name: "a", partitions: "6" }] } };
    expect(problemsOf(devWith({ services, teams: [] }))).toEqual([
      'environments/dev.ts: services.kafka.topics[0].partitions: is not a number (got "6"; write a number without quotes, e.g. 3)',
    ]);
  });

  test("fails when the config is not an object at all", () => {
    const problems = (config: unknown) =>
      validateEnvironment(config as EnvironmentConfig).problems.map((problem) => formatProblem("environments/x.ts", problem));
    expect(problems(null)).toEqual(["environments/x.ts: is not an object (got null; write an object: { … })"]);
    expect(problems([1, 2])).toEqual(["environments/x.ts: is not an object (got [1,2]; write an object: { … })"]);
    // A long value is cut, so that the message stays readable.
    expect(problems([dev])[0]).toMatch(
      /^environments\/x\.ts: is not an object \(got \[\{"name":"dev",.{90,}…; write an object: \{ … \}\)$/,
    );
  });

  test("fails when a local image names no image the environment runs", () => {
    expect(problemsOf({ ...local, images: { redis2: "redis:8.10.1" } } as unknown as EnvironmentConfig)).toEqual([
      'environments/local.ts: images.redis2: is not a field here (got "redis:8.10.1"; remove it, or did you mean redis? The fields here are: vault, redis, postgres, kafka, prometheus, grafana, redisExporter, postgresExporter, kafkaExporter)',
    ]);
  });

  test("reports every structural problem at once", () => {
    const problems = problemsOf(devWith({ tier: 1, protectFromDestroy: "yes", cluster: { ...dev.cluster, region: 7 } }));
    expect(problems.map((line) => line.split(": ")[1])).toEqual(["tier", "protectFromDestroy", "cluster.region"]);
  });
});
