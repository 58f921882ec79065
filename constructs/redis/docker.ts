import { Password } from "@cdktf/provider-random/lib/password";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { generatedPassword } from "../docker/generated-password";
import { PlatformContainer } from "../docker/platform-container";
import { DockerServiceProps } from "../docker/service-props";
import { ScrapeJob } from "../observability/scrape-job";
import {
  REDIS_CONFIG_DIR,
  REDIS_PASSWORD_FILE,
  RedisNode,
  redisConf,
  redisStartScript,
  sentinelConf,
  sentinelStartScript,
} from "./docker-config";
import { RedisSpec, resolveRedis } from "./spec";

export interface RedisSentinelContainersProps extends DockerServiceProps {
  /** @default - the spec's defaults: 3 servers, 3 sentinels, quorum 2 */
  readonly spec?: RedisSpec;
  /** Host (and container) port of each Redis server, the initial master first. */
  readonly redisPorts: readonly number[];
  /** Host (and container) port of each sentinel. */
  readonly sentinelPorts: readonly number[];
}

/** Sentinels hold a few kilobytes of state; exporters a few megabytes. */
const SENTINEL_MEMORY = "64Mi";
const EXPORTER_MEMORY = "64Mi";
const EXPORTER_PORT = 9121;
const EXPORTER_PASSWORDS_FILE = "/run/secrets/redis-passwords.json";

/**
 * Redis with Sentinel on Docker: one master, replicas and sentinels, each in
 * its own container with a volume, all sharing one generated password, and a
 * redis_exporter that Prometheus asks about every server and sentinel.
 *
 * Sentinel breaks behind port remapping: it hands out the addresses servers
 * announce. Here every server and sentinel listens on its host port and
 * announces its network name, so inside the network the answers are right,
 * and on the laptop they are too once the names resolve to 127.0.0.1.
 */
export class RedisSentinelContainers extends Construct {
  public readonly password: Password;
  public readonly servers: readonly PlatformContainer[];
  public readonly sentinels: readonly PlatformContainer[];
  public readonly exporter: PlatformContainer;
  public readonly scrapeJobs: readonly ScrapeJob[];

  constructor(scope: Construct, id: string, props: RedisSentinelContainersProps) {
    super(scope, id);
    const redis = resolveRedis(props.spec);
    this.password = generatedPassword(this, "password");
    const secret = { path: REDIS_PASSWORD_FILE, content: this.password.result };
    const serverNodes: RedisNode[] = props.redisPorts.map((port, i) => ({ host: `redis-${i}`, port }));
    const sentinelNodes: RedisNode[] = props.sentinelPorts.map((port, i) => ({ host: `sentinel-${i}`, port }));
    const initialMaster = serverNodes[0];

    this.servers = serverNodes.map(
      (node) =>
        new PlatformContainer(this, node.host, {
          ...props,
          name: node.host,
          service: "redis",
          image: "redis",
          memory: redis.resources.limits.memory,
          command: ["sh", `${REDIS_CONFIG_DIR}/start.sh`],
          files: [
            { path: `${REDIS_CONFIG_DIR}/redis.conf`, content: redisConf(redis, node) },
            { path: `${REDIS_CONFIG_DIR}/start.sh`, content: redisStartScript(node, initialMaster, sentinelNodes), executable: true },
            secret,
          ],
          volumes: [{ name: `${node.host}-data`, containerPath: "/data" }],
          ports: [{ host: node.port, container: node.port }],
          healthcheck: { test: ["CMD-SHELL", pingCommand(node.port)] },
        }),
    );

    this.sentinels = sentinelNodes.map((node) => {
      const template = sentinelConf(redis, node, initialMaster);
      return new PlatformContainer(this, node.host, {
        ...props,
        name: node.host,
        service: "redis",
        image: "redis",
        memory: SENTINEL_MEMORY,
        command: ["sh", `${REDIS_CONFIG_DIR}/start-sentinel.sh`],
        files: [
          { path: `${REDIS_CONFIG_DIR}/sentinel.conf`, content: template },
          { path: `${REDIS_CONFIG_DIR}/start-sentinel.sh`, content: sentinelStartScript(template), executable: true },
          secret,
        ],
        volumes: [{ name: `${node.host}-data`, containerPath: "/data" }],
        ports: [{ host: node.port, container: node.port }],
        healthcheck: { test: ["CMD-SHELL", pingCommand(node.port)] },
        // Sentinel refuses to start while the master's name does not resolve.
        dependsOn: this.servers.map((server) => server.container),
      });
    });

    const targets = [...serverNodes, ...sentinelNodes].map((node) => `redis://${node.host}:${node.port}`);
    this.exporter = new PlatformContainer(this, "exporter", {
      ...props,
      name: "redis-exporter",
      service: "redis",
      image: "redisExporter",
      memory: EXPORTER_MEMORY,
      // An empty address: the exporter only answers /scrape?target=… (multi-target mode).
      command: ["--redis.addr=", `--redis.password-file=${EXPORTER_PASSWORDS_FILE}`],
      files: [
        {
          path: EXPORTER_PASSWORDS_FILE,
          content: Fn.jsonencode(Object.fromEntries(targets.map((target) => [target, this.password.result]))),
        },
      ],
      healthcheck: { test: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${EXPORTER_PORT}/health`] },
    });
    this.scrapeJobs = [{ jobName: "redis", targets, metricsPath: "/scrape", exporter: `${this.exporter.hostname}:${EXPORTER_PORT}` }];
  }
}

/** PING with the password from the secret file; `redis-cli` prints errors, so look for PONG. */
function pingCommand(port: number): string {
  return `REDISCLI_AUTH="$(cat ${REDIS_PASSWORD_FILE})" redis-cli -p ${port} ping | grep -q PONG`;
}
