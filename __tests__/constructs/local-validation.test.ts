import { hasExactTag, LOCAL_IMAGES, localImages } from "../../constructs/docker/images";
import { LOCAL_PORT_DEFAULTS, resolveLocalPorts } from "../../constructs/docker/ports";
import { resolvePostgres } from "../../constructs/postgres/spec";
import { resolveRedis } from "../../constructs/redis/spec";
import { DockerEnvironmentConfig } from "../../environments";
import { local } from "../../environments/local";
import { problemsOf } from "../support/environments";

/** local with its services block patched. */
/** local with some services changed, without the teams that need them as they are. */
function localWith(services: DockerEnvironmentConfig["services"]): DockerEnvironmentConfig {
  return { ...local, services: { ...local.services, ...services }, teams: [] };
}

describe("local host ports", () => {
  test("default to the documented ports", () => {
    const ports = resolveLocalPorts(undefined, resolveRedis({}), resolvePostgres({}));
    expect(ports).toEqual({
      vault: 8201,
      redis: [6379, 6380, 6381],
      sentinels: [26379, 26380, 26381],
      postgres: { platform: 5432, applications: 5433 },
      kafka: 9092,
      prometheus: 9090,
      grafana: 3000,
    });
    expect(LOCAL_PORT_DEFAULTS).toMatchObject({ vault: 8201, kafka: 9092, prometheus: 9090, grafana: 3000 });
  });

  test("fails when two services use the same host port", () => {
    expect(problemsOf({ ...local, ports: { grafana: 9090 } })).toEqual([
      "environments/local.ts: ports.grafana: host port 9090 is already used by ports.prometheus (got 9090; give every service its own host port)",
    ]);
  });

  test("fails when a PostgreSQL cluster takes a sentinel's port", () => {
    expect(problemsOf({ ...local, ports: { postgres: { applications: 26380 } } })).toEqual([
      expect.stringContaining('ports.postgres["applications"]: host port 26380 is already used by ports.sentinels[1]'),
    ]);
  });

  test.each([
    ["privileged", 80],
    ["above 65535", 70000],
    ["not a whole number", 9092.5],
  ])("fails when a host port is %s", (_why, kafka) => {
    expect(problemsOf({ ...local, ports: { kafka } })).toEqual([
      `environments/local.ts: ports.kafka: host port is out of range (got ${kafka}; use a whole number from 1024 to 65535)`,
    ]);
  });

  test("fails when the Redis ports do not match the Redis servers", () => {
    expect(problemsOf({ ...local, ports: { redis: [7000, 7001] } })).toEqual([
      "environments/local.ts: ports.redis: one host port is needed per Redis server (got [7000,7001]; list 3 ports, as services.redis.replicas is 3)",
    ]);
  });

  test("fails when a port names a PostgreSQL cluster that does not exist", () => {
    expect(problemsOf({ ...local, ports: { postgres: { billing: 5440 } } })).toEqual([
      expect.stringContaining(
        'ports.postgres["billing"]: no PostgreSQL cluster has this name (got "billing"; use one of services.postgres.clusters: platform, applications)',
      ),
    ]);
  });
});

describe("local images", () => {
  test("every pinned image has an exact release tag", () => {
    for (const reference of Object.values(localImages(local.services?.kafka, undefined))) expect(hasExactTag(reference)).toBe(true);
  });

  test("Kafka runs the release the clusters run", () => {
    expect(localImages({ version: "4.2.1" }, undefined).kafka).toBe("apache/kafka:4.2.1");
    expect(Object.keys(LOCAL_IMAGES)).not.toContain("kafka");
  });

  test.each([
    ["is latest", "redis:latest"],
    ["has no tag", "redis"],
    ["has a registry port but no tag", "registry.example.com:5000/redis"],
    ["floats on a major", "redis:8"],
    ["floats on a minor", "redis:8.10"],
    ["floats on a PostgreSQL major", "postgres:18"],
    ["is a variant without version", "redis:alpine"],
  ])("fails when an image %s", (_why, redis) => {
    expect(problemsOf({ ...local, images: { redis } })).toEqual([
      `environments/local.ts: images.redis: image is not pinned to an exact release tag (got ${JSON.stringify(
        redis,
      )}; use a released version such as redis:8.10.1 or prom/prometheus:v3.15.0, never latest, a floating 8 or 8.10, or no tag)`,
    ]);
  });

  test.each([
    "redis:8.10.1",
    "postgres:18.6",
    "oliver006/redis_exporter:v1.88.0-alpine",
    "registry.example.com:5000/redis:8.10.1",
    "redis:8.10.1@sha256:0123",
  ])("accepts %s", (reference) => {
    expect(hasExactTag(reference)).toBe(true);
  });
});

describe("local services", () => {
  test("fails when there are fewer than 3 sentinels", () => {
    expect(problemsOf({ ...localWith({ redis: { replicas: 3, sentinels: 2 } }), ports: { sentinels: [26379, 26380] } })).toEqual([
      "environments/local.ts: services.redis.sentinels: 2 sentinels cannot elect a leader after a failure (got 2; use 3 or 5)",
    ]);
  });

  test("fails when the quorum is not a majority of the sentinels", () => {
    expect(problemsOf(localWith({ redis: { replicas: 3, sentinels: 3, quorum: 1 } }))).toEqual([
      "environments/local.ts: services.redis.quorum: quorum 1 of 3 sentinels is not a majority (a minority partition can declare the primary down) (got 1; use 2)",
    ]);
  });

  test("fails when a database has no owner", () => {
    const clusters = [{ name: "platform", databases: [{ name: "platform", owner: "" }] }];
    expect(problemsOf(localWith({ postgres: { ...local.services?.postgres, clusters } }))).toEqual([
      'environments/local.ts: services.postgres.clusters[0].databases[0].owner: database has no owner (got ""; name the role that owns it, e.g. the application\'s name)',
    ]);
  });

  test("fails when Vault asks for more than the one dev-mode server", () => {
    expect(problemsOf(localWith({ vault: { replicas: 3 } }))).toEqual([
      "environments/local.ts: services.vault.replicas: a Docker environment runs one Vault server, in dev mode (got 3; set services.vault.replicas: 1)",
    ]);
  });

  test("fails when Vault sizes a certificate the dev-mode server over HTTP never has", () => {
    expect(problemsOf(localWith({ vault: { replicas: 1, tls: { duration: "2160h" } } }))).toEqual([
      'environments/local.ts: services.vault.tls: a Docker environment runs Vault in dev mode over HTTP on 127.0.0.1, with no certificate to size (got {"duration":"2160h"}; remove services.vault.tls from this environment)',
    ]);
  });

  test("fails when Vault asks for an auto-unseal seal the dev-mode server never uses", () => {
    expect(
      problemsOf(localWith({ vault: { replicas: 1, seal: { kind: "awskms", region: "eu-west-3", kmsKeyId: "alias/vault" } } })),
    ).toEqual([
      'environments/local.ts: services.vault.seal: a Docker environment runs Vault in dev mode, unsealed at start: no seal applies (got "awskms"; remove services.vault.seal from this environment)',
    ]);
  });

  test("fails when PostgreSQL asks for several instances per cluster", () => {
    expect(problemsOf(localWith({ postgres: { instances: 2 } }))).toEqual([
      "environments/local.ts: services.postgres.instances: a Docker environment runs one PostgreSQL container per cluster (got [2,2]; set services.postgres.instances: 1, and no per-cluster instances)",
    ]);
  });

  test("fails when Kafka asks for separate controllers and brokers", () => {
    expect(problemsOf(localWith({ kafka: { ...local.services?.kafka, controllers: 3, combinedRoles: false, brokers: 1 } }))).toContainEqual(
      expect.stringContaining("services.kafka: a Docker environment runs one Kafka node that is broker and controller"),
    );
  });

  test("fails when Argo CD is declared: it manages clusters", () => {
    const argocd = { source: { repoUrl: "https://github.com/acme/platform-apps.git", path: "environments/local" } };
    expect(problemsOf(localWith({ argocd }))).toEqual([
      expect.stringContaining("services.argocd: Argo CD manages Kubernetes clusters; a Docker environment has none"),
    ]);
  });
});
