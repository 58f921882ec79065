import { ProblemCollector } from "../../core/problems";
import { ResolvedPostgresSpec } from "../postgres/spec";
import { ResolvedRedisSpec } from "../redis/spec";

/**
 * Host ports of the local environment. Every port is published on 127.0.0.1
 * only: nothing on the laptop's network can reach the services.
 */
export interface LocalPortsSpec {
  /** Vault API and UI. @default 8201 */
  readonly vault?: number;
  /**
   * Redis servers, the initial master first. Each container listens on its
   * host port, so the addresses Sentinel hands out are right on the host too.
   * @default [6379, 6380, 6381] (one per Redis server)
   */
  readonly redis?: readonly number[];
  /** Sentinels; each listens on its host port, like Redis. @default [26379, 26380, 26381] */
  readonly sentinels?: readonly number[];
  /** PostgreSQL, by cluster name. @default - 5432 for the first cluster, 5433 for the second, … */
  readonly postgres?: Readonly<Record<string, number>>;
  /** Kafka's listener for clients on the host. @default 9092 */
  readonly kafka?: number;
  /** @default 9090 */
  readonly prometheus?: number;
  /** @default 3000 */
  readonly grafana?: number;
}

export interface ResolvedLocalPorts {
  readonly vault: number;
  readonly redis: readonly number[];
  readonly sentinels: readonly number[];
  readonly postgres: Readonly<Record<string, number>>;
  readonly kafka: number;
  readonly prometheus: number;
  readonly grafana: number;
}

export const LOCAL_PORT_DEFAULTS = {
  vault: 8201,
  redis: 6379,
  sentinels: 26379,
  postgres: 5432,
  kafka: 9092,
  prometheus: 9090,
  grafana: 3000,
} as const;

/** Ports with defaults applied; Redis and PostgreSQL count from their base per server or cluster. */
export function resolveLocalPorts(
  ports: LocalPortsSpec | undefined,
  redis: ResolvedRedisSpec,
  postgres: ResolvedPostgresSpec,
): ResolvedLocalPorts {
  const counting = (base: number, count: number) => Array.from({ length: Math.max(0, count) }, (_, i) => base + i);
  return {
    vault: ports?.vault ?? LOCAL_PORT_DEFAULTS.vault,
    redis: ports?.redis ?? counting(LOCAL_PORT_DEFAULTS.redis, redis.replicas),
    sentinels: ports?.sentinels ?? counting(LOCAL_PORT_DEFAULTS.sentinels, redis.sentinels),
    postgres: Object.fromEntries(
      postgres.clusters.map((cluster, i) => [cluster.name, ports?.postgres?.[cluster.name] ?? LOCAL_PORT_DEFAULTS.postgres + i]),
    ),
    kafka: ports?.kafka ?? LOCAL_PORT_DEFAULTS.kafka,
    prometheus: ports?.prometheus ?? LOCAL_PORT_DEFAULTS.prometheus,
    grafana: ports?.grafana ?? LOCAL_PORT_DEFAULTS.grafana,
  };
}

/** Unprivileged ports: binding below 1024 needs root on Linux engines. */
const MIN_PORT = 1024;
const MAX_PORT = 65535;

/** Every resolved host port with the field path that sets it, in declaration order. */
export function portAssignments(ports: ResolvedLocalPorts): Array<readonly [string, number]> {
  return [
    ["vault", ports.vault],
    ...ports.redis.map((port, i) => [`redis[${i}]`, port] as const),
    ...ports.sentinels.map((port, i) => [`sentinels[${i}]`, port] as const),
    ...Object.entries(ports.postgres).map(([cluster, port]) => [`postgres["${cluster}"]`, port] as const),
    ["kafka", ports.kafka],
    ["prometheus", ports.prometheus],
    ["grafana", ports.grafana],
  ];
}

export function validateLocalPorts(
  spec: LocalPortsSpec | undefined,
  redis: ResolvedRedisSpec,
  postgres: ResolvedPostgresSpec,
  problems: ProblemCollector,
): void {
  const counts = [
    ["redis", spec?.redis, redis.replicas, "Redis server", "services.redis.replicas"],
    ["sentinels", spec?.sentinels, redis.sentinels, "sentinel", "services.redis.sentinels"],
  ] as const;
  for (const [field, declared, expected, what, source] of counts) {
    problems.check(
      declared === undefined || declared.length === expected,
      field,
      `one host port is needed per ${what}`,
      declared,
      `list ${expected} ports, as ${source} is ${expected}`,
    );
  }
  const clusters = new Set(postgres.clusters.map((cluster) => cluster.name));
  for (const cluster of Object.keys(spec?.postgres ?? {})) {
    problems.check(
      clusters.has(cluster),
      `postgres["${cluster}"]`,
      "no PostgreSQL cluster has this name",
      cluster,
      `use one of services.postgres.clusters: ${[...clusters].join(", ")}`,
    );
  }
  const owners = new Map<number, string>();
  for (const [field, port] of portAssignments(resolveLocalPorts(spec, redis, postgres))) {
    if (
      !problems.check(
        Number.isInteger(port) && port >= MIN_PORT && port <= MAX_PORT,
        field,
        "host port is out of range",
        port,
        `use a whole number from ${MIN_PORT} to ${MAX_PORT}`,
      )
    )
      continue;
    const owner = owners.get(port);
    problems.check(
      owner === undefined,
      field,
      `host port ${port} is already used by ports.${owner}`,
      port,
      "give every service its own host port",
    );
    if (owner === undefined) owners.set(port, field);
  }
}
