import { Image } from "@cdktf/provider-docker/lib/image";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { parse } from "yaml";
import { hasExactTag } from "../../constructs/docker/images";
import { local } from "../../environments/local";
import { containersByName, imageOf, uploaded } from "../support/docker";
import { resourcesOfType, synthEnvironment } from "../support/synth";

const stack = synthEnvironment(local);
const containers = containersByName(stack);

/** Every container `cdktf deploy local` runs, and the directory its data lives in (none for dev-mode Vault). */
const EXPECTED: ReadonlyArray<readonly [string, string | undefined]> = [
  ["local-vault", undefined],
  ["local-redis-0", "/data"],
  ["local-redis-1", "/data"],
  ["local-redis-2", "/data"],
  ["local-sentinel-0", "/data"],
  ["local-sentinel-1", "/data"],
  ["local-sentinel-2", "/data"],
  ["local-redis-exporter", undefined],
  ["local-postgres-platform", "/var/lib/postgresql"],
  ["local-postgres-applications", "/var/lib/postgresql"],
  ["local-postgres-exporter-platform", undefined],
  ["local-postgres-exporter-applications", undefined],
  ["local-kafka", "/var/lib/kafka/data"],
  ["local-kafka-exporter", undefined],
  ["local-prometheus", "/prometheus"],
  ["local-grafana", "/var/lib/grafana"],
];

describe("docker stack", () => {
  test("configures the docker provider with the environment's engine", () => {
    const custom = synthEnvironment({ ...local, dockerHost: "ssh://dev@build-box" });
    expect(custom.json).toHaveProviderWithProperties(DockerProvider, { host: "ssh://dev@build-box" });
    expect(custom.parsed.provider?.kubernetes).toBeUndefined();
  });

  test("defaults to the local Docker socket", () => {
    const custom = synthEnvironment({ ...local, dockerHost: undefined });
    expect(custom.json).toHaveProviderWithProperties(DockerProvider, { host: "unix:///var/run/docker.sock" });
  });

  test("runs every platform container, and nothing else", () => {
    expect(Object.keys(containers).sort()).toEqual(EXPECTED.map(([name]) => name).sort());
  });

  test("keeps pulled images in the engine's cache on destroy", () => {
    const images = Object.values(resourcesOfType(stack, "docker_image"));
    expect(images.length).toBe(9);
    for (const image of images) expect(image.keep_locally).toBe(true);
    expect(stack.json).toHaveResourceWithProperties(Image, { name: "apache/kafka:4.3.1", keep_locally: true });
  });
});

describe.each(EXPECTED)("%s", (name, dataDirectory) => {
  const container = containers[name];

  test("runs an image pinned to an exact release", () => {
    expect(hasExactTag(imageOf(stack, container))).toBe(true);
  });

  test("has a healthcheck, a memory limit and restarts unless stopped", () => {
    expect(container.healthcheck?.test.length).toBeGreaterThan(1);
    expect(["CMD", "CMD-SHELL"]).toContain(container.healthcheck?.test[0]);
    expect(container.memory).toBeGreaterThan(0);
    expect(container.restart).toBe("unless-stopped");
  });

  test("publishes ports on 127.0.0.1 only", () => {
    for (const port of container.ports ?? []) expect(port.ip).toBe("127.0.0.1");
  });

  test("keeps its data directory in a named volume", () => {
    const volumes = container.volumes ?? [];
    if (dataDirectory === undefined) {
      expect(volumes).toEqual([]);
    } else {
      expect(volumes).toEqual([{ volume_name: expect.stringMatching(/^\$\{docker_volume\..+\.name\}$/), container_path: dataDirectory }]);
    }
  });

  test("carries the platform labels and joins the platform network", () => {
    expect(container.labels).toEqual(
      expect.arrayContaining([
        { label: "platform/environment", value: "local" },
        { label: "platform/service", value: expect.any(String) },
      ]),
    );
    expect(container.networks_advanced).toEqual([{ name: "${docker_network.network.name}", aliases: [name.replace(/^local-/, "")] }]);
  });
});

describe("published host ports", () => {
  const published = (name: string) => (containers[name].ports ?? []).map((port) => [port.external, port.internal]);

  test("are the documented defaults", () => {
    expect(published("local-vault")).toEqual([[8201, 8200]]);
    expect(published("local-postgres-platform")).toEqual([[5432, 5432]]);
    expect(published("local-postgres-applications")).toEqual([[5433, 5432]]);
    expect(published("local-kafka")).toEqual([[9092, 9092]]);
    expect(published("local-prometheus")).toEqual([[9090, 9090]]);
    expect(published("local-grafana")).toEqual([[3000, 3000]]);
  });

  test("map Redis and sentinels to the same port inside, so announced addresses hold on the host", () => {
    expect([0, 1, 2].map((i) => published(`local-redis-${i}`))).toEqual([[[6379, 6379]], [[6380, 6380]], [[6381, 6381]]]);
    expect([0, 1, 2].map((i) => published(`local-sentinel-${i}`))).toEqual([[[26379, 26379]], [[26380, 26380]], [[26381, 26381]]]);
  });

  test("follow the environment's ports block", () => {
    const custom = containersByName(synthEnvironment({ ...local, ports: { redis: [7000, 7001, 7002], kafka: 19092 } }));
    expect(custom["local-redis-1"].ports).toEqual([{ internal: 7001, external: 7001, ip: "127.0.0.1", protocol: "tcp" }]);
    expect(uploaded(custom["local-redis-1"], "/etc/platform/redis/redis.conf")).toContain("port 7001\n");
    expect(uploaded(custom["local-sentinel-0"], "/etc/platform/redis/sentinel.conf")).toContain(
      "sentinel monitor platform redis-0 7000 2\n",
    );
    expect(uploaded(custom["local-kafka"], "/etc/platform/kafka/server.properties")).toContain("HOST://127.0.0.1:19092");
  });
});

describe("vault", () => {
  const vault = containers["local-vault"];

  test("runs one dev-mode server whose root token comes from a file, not the environment", () => {
    expect(vault.command?.join(" ")).toContain('server -dev -dev-root-token-id="$(cat /run/secrets/vault-root-token)"');
    expect(uploaded(vault, "/run/secrets/vault-root-token")).toMatch(/^\$\{random_password\.vault_root-token_[0-9A-F]+\.result\}$/);
    expect((vault.env ?? []).join(" ")).not.toMatch(/TOKEN/);
    expect(vault.healthcheck?.test).toEqual(["CMD", "vault", "status", "-address=http://127.0.0.1:8200"]);
  });

  test("exposes the root token as a sensitive output", () => {
    expect(stack.parsed.output?.vault_root_token).toMatchObject({
      sensitive: true,
      value: expect.stringMatching(/^\$\{random_password\./),
    });
    expect(stack.parsed.output?.vault_address).toMatchObject({ value: "http://127.0.0.1:8201" });
  });
});

describe("redis with sentinel", () => {
  test("persists with AOF and RDB and evicts with allkeys-lru under 512mb", () => {
    const conf = uploaded(containers["local-redis-0"], "/etc/platform/redis/redis.conf");
    for (const line of [
      "appendonly yes",
      "save 3600 1 300 100 60 10000",
      "maxmemory 512mb",
      "maxmemory-policy allkeys-lru",
      "min-replicas-to-write 1",
    ]) {
      expect(conf).toContain(`${line}\n`);
    }
  });

  test("servers announce their network name and port", () => {
    const conf = uploaded(containers["local-redis-2"], "/etc/platform/redis/redis.conf");
    expect(conf).toContain("replica-announce-ip redis-2\nreplica-announce-port 6381\n");
  });

  test("a server rejoins the master the sentinels know, else the first server leads", () => {
    const script = uploaded(containers["local-redis-1"], "/etc/platform/redis/start.sh");
    expect(script).toContain("for sentinel in sentinel-0:26379 sentinel-1:26380 sentinel-2:26381; do");
    expect(script).toContain("master_host=redis-0\nmaster_port=6379\n");
    expect(script).toContain('if [ "$master_host" != redis-1 ]; then echo "replicaof $master_host $master_port"; fi');
  });

  test("three sentinels with quorum 2 resolve and announce host names", () => {
    for (const i of [0, 1, 2]) {
      const conf = uploaded(containers[`local-sentinel-${i}`], "/etc/platform/redis/sentinel.conf");
      expect(conf).toContain("sentinel monitor platform redis-0 6379 2\n");
      expect(conf).toContain(
        `sentinel resolve-hostnames yes\nsentinel announce-hostnames yes\nsentinel announce-ip sentinel-${i}\nsentinel announce-port ${
          26379 + i
        }\n`,
      );
    }
    // Sentinel will not start before the master's name resolves.
    expect(containers["local-sentinel-0"].depends_on).toHaveLength(3);
  });

  test("every server and sentinel uses the one generated password", () => {
    const secrets = Object.values(containers)
      .filter((container) => /^local-(redis|sentinel)-\d$/.test(container.name))
      .map((container) => uploaded(container, "/run/secrets/redis-password"));
    expect(new Set(secrets)).toEqual(new Set([expect.stringMatching(/^\$\{random_password\.redis_password_[0-9A-F]+\.result\}$/)]));
    expect(secrets).toHaveLength(6);
  });
});

describe("postgres", () => {
  test("runs one container per cluster with the environment's parameters", () => {
    expect(containers["local-postgres-platform"].command).toEqual([
      "/etc/platform/postgres/start.sh",
      "postgres",
      "-c",
      "shared_buffers=128MB",
      "-c",
      "effective_cache_size=256MB",
      "-c",
      "work_mem=16MB",
      "-c",
      "max_connections=100",
    ]);
    expect(containers["local-postgres-platform"].memory).toBe(512);
  });

  test("creates each database with its owner, on every start", () => {
    const sql = uploaded(containers["local-postgres-applications"], "/etc/platform/postgres/ensure-roles.sql");
    expect(sql).toContain("SELECT format('CREATE ROLE %I LOGIN', 'app')");
    expect(sql).toContain("SELECT format('CREATE DATABASE %I OWNER %I', 'app', 'app')");
    expect(sql).toContain("ALTER ROLE app WITH LOGIN PASSWORD :'password_app';");
    expect(stack.parsed.output?.postgres_applications_passwords).toMatchObject({
      sensitive: true,
      value: { app: expect.any(String), postgres: expect.any(String) },
    });
  });

  test("its start script stays executable for the postgres user it re-runs as", () => {
    const start = (containers["local-postgres-platform"].upload ?? []).find((file) => file.file === "/etc/platform/postgres/start.sh");
    expect(start?.permissions).toBe("0755");
  });

  test("checks readiness over TCP, which the setup server does not open", () => {
    expect(containers["local-postgres-platform"].healthcheck?.test).toEqual([
      "CMD",
      "pg_isready",
      "-h",
      "127.0.0.1",
      "-p",
      "5432",
      "-U",
      "postgres",
      "-d",
      "postgres",
    ]);
  });
});

describe("kafka", () => {
  const kafka = containers["local-kafka"];
  const properties = uploaded(kafka, "/etc/platform/kafka/server.properties");

  test("is one KRaft node from the official image, without ZooKeeper", () => {
    expect(imageOf(stack, kafka)).toBe("apache/kafka:4.3.1");
    expect(properties).toContain("process.roles=broker,controller\n");
    expect(properties).toContain("controller.quorum.voters=1@localhost:9093\n");
    expect(properties).not.toMatch(/zookeeper/i);
  });

  test("requires SASL/SCRAM on both client listeners and advertises 127.0.0.1 to the host", () => {
    expect(properties).toContain("listener.security.protocol.map=INTERNAL:SASL_PLAINTEXT,HOST:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT\n");
    expect(properties).toContain("advertised.listeners=INTERNAL://kafka:19092,HOST://127.0.0.1:9092\n");
    expect(uploaded(kafka, "/etc/platform/kafka/start.sh")).toContain('--add-scram "SCRAM-SHA-512=[name=admin,password=$password]"');
  });

  test("keeps logs for the environment's retention and creates its topics", () => {
    expect(properties).toContain("log.retention.hours=24\n");
    const script = uploaded(kafka, "/etc/platform/kafka/start.sh");
    expect(script).toContain("--create --if-not-exists --topic platform.audit --partitions 6 --replication-factor 1");
    expect(script).toContain("--create --if-not-exists --topic platform.events --partitions 12 --replication-factor 1");
  });

  test("checks the broker's API with an authenticated client", () => {
    expect(kafka.healthcheck?.test[1]).toContain(
      "kafka-broker-api-versions.sh --bootstrap-server 127.0.0.1:19092 --command-config /tmp/platform-client.properties",
    );
  });
});

describe("observability", () => {
  const config = parse(uploaded(containers["local-prometheus"], "/etc/prometheus/prometheus.yml"));

  test("Prometheus scrapes every service's exporter", () => {
    const jobs = Object.fromEntries(
      config.scrape_configs.map((job: { job_name: string; static_configs: Array<{ targets: string[] }> }) => [
        job.job_name,
        job.static_configs[0].targets,
      ]),
    );
    expect(jobs).toEqual({
      prometheus: ["localhost:9090"],
      grafana: ["grafana:3000"],
      vault: ["vault:8200"],
      redis: [
        "redis://redis-0:6379",
        "redis://redis-1:6380",
        "redis://redis-2:6381",
        "redis://sentinel-0:26379",
        "redis://sentinel-1:26380",
        "redis://sentinel-2:26381",
      ],
      postgres: ["postgres-exporter-platform:9187", "postgres-exporter-applications:9187"],
      kafka: ["kafka-exporter:9308"],
    });
  });

  test("Vault metrics are read with a token file, never a token in the config", () => {
    const vault = config.scrape_configs.find((job: { job_name: string }) => job.job_name === "vault");
    expect(vault).toMatchObject({
      metrics_path: "/v1/sys/metrics",
      params: { format: ["prometheus"] },
      authorization: { credentials_file: "/etc/prometheus/secrets/vault" },
    });
    expect(uploaded(containers["local-prometheus"], "/etc/prometheus/secrets/vault")).toMatch(/^\$\{random_password\.vault_root-token_/);
  });

  test("keeps the environment's retention", () => {
    expect(containers["local-prometheus"].command).toContain("--storage.tsdb.retention.time=3d");
  });

  test("Grafana has Prometheus provisioned as its default data source", () => {
    const sources = parse(uploaded(containers["local-grafana"], "/etc/grafana/provisioning/datasources/platform.yaml"));
    expect(sources.datasources).toEqual([expect.objectContaining({ type: "prometheus", url: "http://prometheus:9090", isDefault: true })]);
    expect(containers["local-grafana"].env).toContain("GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/grafana-admin-password");
  });
});

describe("outputs", () => {
  test("give every endpoint and, sensitive, every generated credential", () => {
    const outputs = stack.parsed.output ?? {};
    const sensitive = Object.keys(outputs)
      .filter((name) => outputs[name].sensitive === true)
      .sort();
    expect(sensitive).toEqual([
      "grafana_admin_password",
      "kafka_admin_password",
      "postgres_applications_passwords",
      "postgres_platform_passwords",
      "redis_password",
      "team_billing_credentials",
      "team_identity_credentials",
      "vault_root_token",
    ]);
    expect(
      Object.keys(outputs)
        .filter((name) => !sensitive.includes(name))
        .sort(),
    ).toEqual([
      "grafana_url",
      "kafka_bootstrap_servers",
      "postgres_applications_address",
      "postgres_platform_address",
      "prometheus_url",
      "redis_master_address",
      "redis_sentinel_addresses",
      "team_billing",
      "team_identity",
      "vault_address",
    ]);
  });
});

describe("teams on the laptop", () => {
  test("each team gets its database, its Kafka user with the clusters' ACLs, and its connection outputs", () => {
    const outputs = stack.parsed.output ?? {};
    expect(outputs.team_identity.value).toEqual({
      postgres: { host: "127.0.0.1", port: 5433, dbname: "identity", user: "identity" },
      kafka: {
        bootstrap_servers: "127.0.0.1:9092",
        user: "identity",
        sasl_mechanism: "SCRAM-SHA-512",
        security_protocol: "SASL_PLAINTEXT",
      },
      redis: { sentinels: ["127.0.0.1:26379", "127.0.0.1:26380", "127.0.0.1:26381"], master_name: "platform", key_prefix: "identity:" },
    });
    expect((outputs.team_billing.value as Record<string, unknown>).redis).toBeUndefined();
    const credentials = outputs.team_identity_credentials.value as Record<string, string>;
    expect(Object.keys(credentials).sort()).toEqual(["kafka_password", "postgres_password", "redis_password"]);
    for (const value of Object.values(credentials)) expect(value).toMatch(/^\$\{random_password\.[\w-]+\.result\}$/);

    const containers = containersByName(stack);
    const start = uploaded(containers["local-kafka"], "/etc/platform/kafka/start.sh");
    expect(start).toContain("--entity-type users --entity-name identity");
    expect(start).toContain(
      "/opt/kafka/bin/kafka-acls.sh $tool --add --allow-principal User:billing --operation Read --operation Describe --topic identity.users",
    );
    expect(start).toContain("--allow-principal User:billing --operation Read --group billing- --resource-pattern-type prefixed");
    expect(uploaded(containers["local-kafka"], "/etc/platform/kafka/server.properties")).toContain(
      "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    );
    const init = Object.values(containers["local-postgres-applications"].upload ?? [])
      .map((file) => file.content)
      .join("\n");
    expect(init).toMatch(/identity/);
    expect(init).toMatch(/billing/);
  });
});
